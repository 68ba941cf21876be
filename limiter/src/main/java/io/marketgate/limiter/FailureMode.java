package io.marketgate.limiter;

/**
 * What a limiter does while its shared store cannot be reached (and while the circuit breaker keeps it from
 * being tried).
 *
 * <ul>
 *   <li>{@link #failClosed()}: deny every call with {@link Decision.Reason#STORE_UNAVAILABLE}. No market is
 *       called until the store is back. The default.</li>
 *   <li>{@link #localFallback(int)}: decide in this instance with each budget's limit divided by the fleet
 *       size (the consumer's maximum concurrency), so that the whole fleet together stays within the market's
 *       rate. Where a budget's limit is smaller than the fleet, each instance gets one call per
 *       {@code ceil(fleet / limit)} windows: the fleet's average rate holds, though a single window can see up
 *       to one call per instance.</li>
 * </ul>
 */
public sealed interface FailureMode {

    static FailureMode failClosed() {
        return FailClosed.INSTANCE;
    }

    /** Local decisions at {@code limit / fleetSize}; {@code fleetSize} must be ≥ 1. */
    static FailureMode localFallback(int fleetSize) {
        return new LocalFallback(fleetSize);
    }

    /** Deny everything while the store is unreachable. */
    enum FailClosed implements FailureMode {
        INSTANCE
    }

    /** Decide locally at {@code limit / fleetSize} while the store is unreachable. */
    record LocalFallback(int fleetSize) implements FailureMode {
        public LocalFallback {
            if (fleetSize < 1) {
                throw new IllegalArgumentException("fleetSize is " + fleetSize + ", must be ≥ 1");
            }
        }
    }
}
