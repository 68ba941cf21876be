package io.marketgate.devtools.bench;

/** The bench could not measure (no Redis server, a connection failure, an implementation that threw). */
final class BenchException extends RuntimeException {

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
