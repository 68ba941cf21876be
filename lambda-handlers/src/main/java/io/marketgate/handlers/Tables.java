package io.marketgate.handlers;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public record Tables(String orders, String requests, String sellers, String idempotency) {}
