package io.marketgate.handlers.store;

import io.marketgate.market.DataKind;

/**
 * Whether the platform has collected a record for a seller: an action may only name an order, inquiry, review, product
 * or claim that is stored for that seller on that market ({@code POST /v1/actions} refuses any other id before
 * anything is queued).
 *
 * <pre>{@code
 * ActionTargets targets = ActionTargets.stored(orderStore, ActionTargets.NONE);
 * targets.collected("coupang", "A001", DataKind.ORDERS, "O-1");   // true once O-1 was collected
 * }</pre>
 */
@FunctionalInterface
public interface ActionTargets {

    /** Nothing collected: the lookup of kinds the platform does not store. */
    ActionTargets NONE = (market, sellerId, kind, id) -> false;

    /** Whether the record {@code id} of {@code kind} is stored for {@code sellerId} on {@code market}. */
    boolean collected(String market, String sellerId, DataKind kind, String id);

    /** Orders from {@code orders} ({@link OrderStore#find}), the other kinds from {@code others}. */
    static ActionTargets stored(OrderStore orders, ActionTargets others) {
        return (market, sellerId, kind, id) -> kind == DataKind.ORDERS ? orders.find(market, sellerId, id).isPresent()
                : others.collected(market, sellerId, kind, id);
    }
}
