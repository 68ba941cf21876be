package io.marketgate.marketsim;

/** What a repeated shipment of an already shipped order gets. Either way the arrival is recorded as {@link Outcome#DUPLICATE}. */
public enum DuplicateShipments {
    /** HTTP 409 with {@code {"code":"ALREADY_SHIPPED","shipment":{…}}}. */
    CONFLICT,
    /** HTTP 200 with the first shipment, as an idempotent API would answer. */
    RETURN_EXISTING
}
