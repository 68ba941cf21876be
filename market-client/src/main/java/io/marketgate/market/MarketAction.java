package io.marketgate.market;

import java.util.regex.Pattern;

/**
 * A HIGH-priority action on a market on behalf of a seller. Adding an action is a new record here and a
 * {@code planX} method on {@link MarketAdapter} (with a case in {@link MarketAdapter#plan(MarketAction)}, which
 * the compiler asks for because this interface is sealed); nothing else changes.
 */
public sealed interface MarketAction permits MarketAction.ShipOrder {

    /** An order or other market id that goes into a URL path: letters, digits, '_', '.', '@' or '-'. */
    Pattern ID = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");

    /** Whom the action is for. */
    Seller seller();

    /** The action's name in logs and metrics, such as {@code ship-order}. */
    String name();

    /**
     * Ship an order: tell the market the carrier and the tracking number. Idempotent at the market's side for the
     * reference protocol (a second shipment of the same order is answered 409 and counts as done).
     */
    record ShipOrder(Seller seller, String orderId, String carrier, String trackingNumber) implements MarketAction {
        public ShipOrder {
            if (seller == null) {
                throw new IllegalArgumentException("seller is missing");
            }
            if (orderId == null || !ID.matcher(orderId).matches()) {
                throw new IllegalArgumentException("orderId '" + orderId + "' must be 1 to 128 letters, digits, '_', '.', '@' or '-'");
            }
            if (carrier == null || carrier.isBlank()) {
                throw new IllegalArgumentException("carrier is missing");
            }
            if (trackingNumber == null || trackingNumber.isBlank()) {
                throw new IllegalArgumentException("trackingNumber is missing");
            }
        }

        @Override
        public String name() {
            return "ship-order";
        }
    }
}
