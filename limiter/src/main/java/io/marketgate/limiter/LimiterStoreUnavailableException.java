package io.marketgate.limiter;

/** The shared store could not be reached or did not answer in time. */
public final class LimiterStoreUnavailableException extends LimiterException {
    public LimiterStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
