package io.marketgate.market;

import java.time.Instant;
import java.util.Objects;

/**
 * One order as a market answered it: the fields every market has, the market's own status and its common one, and
 * the order's JSON as received, for the writer to store.
 *
 * @param orderId the market's id of the order (of the unit a market ships: Coupang's shipment box, Naver's product order)
 * @param status the market's own status code (Cafe24: its items' codes joined by {@code ,})
 * @param commonStatus the status mapped onto the common model by the market's adapter
 * @param updatedAt the time the market dates the order by in its lists (payment, or last change where the market has one)
 * @param changedAt when the market stated this state: its own change time or version where it gives one, else the time
 *     of its answer (its {@code Date} header, set by {@link MarketClient}); {@code null} until known. The store never
 *     replaces the state of a later {@code changedAt} with an earlier one.
 * @param json the order as the market answered it
 */
public record Order(String orderId, String status, OrderStatus commonStatus, Instant updatedAt, Instant changedAt, String json) {
    public Order {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(commonStatus, "commonStatus");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(json, "json");
    }

    /** An order whose answer time is not known yet ({@link MarketClient} sets it from the answer). */
    public Order(String orderId, String status, OrderStatus commonStatus, Instant updatedAt, String json) {
        this(orderId, status, commonStatus, updatedAt, null, json);
    }

    /** This order stated at {@code at} (kept when it has a time of its own already). */
    public Order stampedAt(Instant at) {
        return changedAt != null || at == null ? this : new Order(orderId, status, commonStatus, updatedAt, at, json);
    }
}
