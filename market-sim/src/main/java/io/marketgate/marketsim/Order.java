package io.marketgate.marketsim;

import java.time.Instant;

/**
 * A generated order. The same seed, market, seller and range always give the same orders with the same ids;
 * {@code updatedAt} has millisecond precision. Lists are sorted by ({@code updatedAt}, {@code orderId}).
 */
public record Order(String orderId, String sellerId, String status, Instant orderedAt, Instant updatedAt, long totalPrice, int itemCount) {}
