package io.marketgate.handlers.messages;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public record ScheduleEvent(String market, String kind, String lookback, String spreadOver, String priority) {}
