package io.marketgate.handlers;

import java.util.Map;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public record QueueDirectory(Map<String, String> collection, Map<String, String> actions) {}
