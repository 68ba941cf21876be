package io.marketgate.embedded;

/** An embedded Valkey/Redis server could not be found, started, reached or formed into a cluster. */
public class EmbeddedValkeyException extends RuntimeException {
    public EmbeddedValkeyException(String message) {
        super(message);
    }

    public EmbeddedValkeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
