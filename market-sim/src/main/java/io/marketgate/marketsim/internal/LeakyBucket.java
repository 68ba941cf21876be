package io.marketgate.marketsim.internal;

/**
 * A leaky bucket in exact integer arithmetic: one call adds {@code windowNanos} units, the bucket holds
 * {@code limit × windowNanos} and drains {@code limit} units per nanosecond (so {@code limit} calls per window).
 * Not thread-safe; the market's lock guards it.
 */
public final class LeakyBucket implements Counter {
    private final long limit;
    private final long windowNanos;
    private long level;
    private long lastNanos;
    private boolean started;

    public LeakyBucket(long limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    private void drain(long now) {
        if (started && now > lastNanos) {
            long elapsed = now - lastNanos;
            long drainable = (level + limit - 1) / limit;
            level = elapsed >= drainable ? 0 : level - elapsed * limit;
        }
        lastNanos = started ? Math.max(lastNanos, now) : now;
        started = true;
    }

    /** Nanoseconds until one more call fits; 0 when it fits now. */
    @Override
    public long waitNanos(long now) {
        drain(now);
        long over = level + windowNanos - limit * windowNanos;
        return over <= 0 ? 0 : (over + limit - 1) / limit;
    }

    @Override
    public void add(long now) {
        drain(now);
        level += windowNanos;
    }

    /** Calls in the bucket, rounded up. */
    @Override
    public long calls(long now) {
        drain(now);
        return (level + windowNanos - 1) / windowNanos;
    }
}
