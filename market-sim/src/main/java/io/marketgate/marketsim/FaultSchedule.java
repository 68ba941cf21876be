package io.marketgate.marketsim;

import java.time.Duration;

/**
 * Faults scheduled on demand, on top of the configured random {@link Faults}: the next admitted requests of the
 * market get them, in arrival order. Thread-safe.
 *
 * <pre>{@code
 * sim.market("coupang").faults().failNext(2, 503);                     // two 503s, then normal answers
 * sim.market("coupang").faults().delayNext(1, Duration.ofSeconds(5));  // a client with a 1 s timeout times out
 * }</pre>
 */
public interface FaultSchedule {

    /** The next {@code count} admitted requests are answered with {@code status} (5xx). */
    void failNext(int count, int status);

    /** The next {@code count} admitted requests are answered only after {@code delay}. */
    void delayNext(int count, Duration delay);

    /** Cancels scheduled faults (the configured random ones stay). */
    void clear();
}
