package io.marketgate.limiter;

/** The root of the limiter's exceptions, all unchecked; each subclass is one failure mode. */
public abstract class LimiterException extends RuntimeException {
    protected LimiterException(String message, Throwable cause) {
        super(message, cause);
    }
}
