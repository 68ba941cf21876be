package io.marketgate.limiter;

import java.time.Duration;
import java.util.Arrays;

/**
 * The latest round trips of one market's calls and the jitter guard they call for: the spread {@code p99 − p50} of
 * the last {@link #SAMPLES} round trips, rounded up to {@link #STEP}, once {@link #MIN_SAMPLES} are measured (zero
 * before). Thread-safe; recomputed every {@link #RECOMPUTE_EVERY} round trips, so a decision only reads a field.
 *
 * <p>Why that figure: a call's delay from its grant to its arrival at the market is its time to reach the limiter's
 * caller, to be sent, and half a network round trip, give or take. What the guard must cover is how much that delay
 * varies between two calls (the window is long enough for the earliest, the guard adds what the latest needs more).
 * Half a round trip varies from its p1 to its p99 by about {@code (p99 − p1) / 2} of the round trips, which for the
 * skewed distributions of networks (log-normal and heavier) is below {@code p99 − p50}; the rare calls beyond p99
 * are what the guard does not cover (docs/limiter.md, the jitter guard).
 */
public final class RoundTrips {

    /** How many of the latest round trips count. */
    public static final int SAMPLES = 256;

    /** How many must be measured before the guard follows them. */
    public static final int MIN_SAMPLES = 16;

    /** How often the guard is recomputed, in round trips. */
    public static final int RECOMPUTE_EVERY = 16;

    /** The guard's granularity: budgets change only in these steps, so the stores see few distinct windows. */
    public static final Duration STEP = Duration.ofMillis(5);

    private final long[] nanos = new long[SAMPLES];
    private int next;
    private int count;
    private volatile Duration guard = Duration.ZERO;

    /** Adds one measured round trip (negative ones are ignored). */
    public void add(Duration roundTrip) {
        long n = roundTrip.toNanos();
        if (n < 0) {
            return;
        }
        synchronized (this) {
            nanos[next] = n;
            next = (next + 1) % SAMPLES;
            count++;
            if (count >= MIN_SAMPLES && (count - MIN_SAMPLES) % RECOMPUTE_EVERY == 0) {
                long[] sorted = Arrays.copyOf(nanos, Math.min(count, SAMPLES));
                Arrays.sort(sorted);
                long spread = quantile(sorted, 0.99) - quantile(sorted, 0.50);
                long step = STEP.toNanos();
                long rounded = Math.min(((spread + step - 1) / step) * step, Budget.MAX_JITTER_GUARD.toNanos());
                guard = Duration.ofNanos(rounded);
            }
        }
    }

    /** The guard the round trips call for: their spread p99 − p50 rounded up to {@link #STEP}; zero until measured. */
    public Duration guard() {
        return guard;
    }

    /** How many round trips were measured in all. */
    public synchronized int measured() {
        return count;
    }

    private static long quantile(long[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
