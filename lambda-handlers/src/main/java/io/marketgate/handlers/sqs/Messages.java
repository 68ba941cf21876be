package io.marketgate.handlers.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON of every message the handlers and the local runtime exchange: ISO-8601 instants and durations, unknown
 * properties rejected (a field renamed by one side is an error, not a silently missing value).
 *
 * <pre>{@code
 * String body = Messages.json().writeValueAsString(message);
 * CollectionMessage back = Messages.read(body, CollectionMessage.class);
 * }</pre>
 */
public final class Messages {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Messages() {}

    /** The shared mapper; configured once, thread-safe. */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Reads {@code body} as {@code type}.
     *
     * @throws BadMessageException naming what is wrong: not JSON, an unknown or missing field, a bad value
     */
    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new BadMessageException("the message body is empty");
        }
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String detail = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
            throw new BadMessageException("not a " + type.getSimpleName() + ": " + detail);
        }
    }

    /** {@code message} as JSON. */
    public static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + message.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A message that cannot be processed as it is; retrying it would not help. */
    public static final class BadMessageException extends RuntimeException {
        public BadMessageException(String message) {
            super(message);
        }
    }

    static String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }
}
