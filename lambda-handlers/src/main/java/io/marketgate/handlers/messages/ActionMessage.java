package io.marketgate.handlers.messages;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public record ActionMessage(String actionId, String idempotencyKey, String market, String sellerId, String type,
        String orderId, String carrier, String trackingNumber) {}
