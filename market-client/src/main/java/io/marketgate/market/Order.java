package io.marketgate.market;

import java.time.Instant;
import java.util.Objects;

/**
 * One order as a market listed it: the fields every market has, and the order's JSON as received, for the writer
 * to store.
 */
public record Order(String orderId, String status, Instant updatedAt, String json) {
    public Order {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(json, "json");
    }
}
