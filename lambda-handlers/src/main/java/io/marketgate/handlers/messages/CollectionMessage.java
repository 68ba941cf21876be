package io.marketgate.handlers.messages;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public record CollectionMessage(String requestId, String market, String sellerId, String kind, String from, String to, String priority) {}
