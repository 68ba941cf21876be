package io.marketgate.handlers.store;

import io.marketgate.market.DataKind;

/**
 * Whether the platform has collected a record for a seller: an action may only name an order, inquiry, review, product
 * or claim that is stored for that seller on that market ({@code POST /v1/actions} refuses any other id before
 * anything is queued).
 *
 * <pre>{@code
 * ActionTargets targets = ActionTargets.stored(orderStore, recordStore);
 * targets.collected("coupang", "A001", DataKind.ORDERS, "O-1");   // true once O-1 was collected
 * }</pre>
 */
@FunctionalInterface
public interface ActionTargets {

    /** Nothing collected (a test's world without stores). */
    ActionTargets NONE = (market, sellerId, kind, id) -> false;

    /** Whether the record {@code id} of {@code kind} is stored for {@code sellerId} on {@code market}. */
    boolean collected(String market, String sellerId, DataKind kind, String id);

    /** Orders from {@code orders} ({@link OrderStore#find}), the other kinds from {@code records} ({@link RecordStore#find}). */
    static ActionTargets stored(OrderStore orders, RecordStore records) {
        return (market, sellerId, kind, id) -> kind == DataKind.ORDERS ? orders.find(market, sellerId, id).isPresent()
                : records.find(market, sellerId, kind, id).isPresent();
    }
}
