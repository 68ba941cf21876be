package io.marketgate.marketsim;

import java.time.Instant;

/** A shipment the market accepted; a repeated shipment of the same order does not create a second one. */
public record Shipment(String shipmentId, String sellerId, String orderId, String carrier, String trackingNumber, Instant createdAt) {}
