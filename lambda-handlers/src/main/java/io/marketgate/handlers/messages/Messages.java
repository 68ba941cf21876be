package io.marketgate.handlers.messages;

import com.fasterxml.jackson.databind.ObjectMapper;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {}

    public static ObjectMapper json() {
        return JSON;
    }
}
