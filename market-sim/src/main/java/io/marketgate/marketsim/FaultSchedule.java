package io.marketgate.marketsim;

import java.time.Duration;

/**
 * Faults scheduled on demand, on top of the configured random {@link Faults}: the next admitted requests of the
 * market get them, in arrival order. Thread-safe.
 *
 * <pre>{@code
 * sim.market("coupang").faults().failNext(2, 503);                     // two 503s, then normal answers
 * sim.market("coupang").faults().delayNext(1, Duration.ofSeconds(5));  // a client with a 1 s timeout times out
 * sim.market("cafe24").faults().failEndpoint(Endpoint.TOKEN, 503);      // the token endpoint is down ...
 * sim.market("cafe24").faults().restoreEndpoint(Endpoint.TOKEN);        // ... until now
 * }</pre>
 */
public interface FaultSchedule {

    /** The next {@code count} admitted requests are answered with {@code status} (5xx). */
    void failNext(int count, int status);

    /** The next {@code count} admitted requests are answered only after {@code delay}. */
    void delayNext(int count, Duration delay);

    /**
     * Every admitted request of {@code endpoint} is answered with {@code status} (5xx) from now until
     * {@link #restoreEndpoint}, before the endpoint is served (a token endpoint rotates nothing).
     */
    void failEndpoint(Endpoint endpoint, int status);

    /** Ends {@link #failEndpoint}'s outage of {@code endpoint}. */
    void restoreEndpoint(Endpoint endpoint);

    /**
     * The market shows {@code fault} for arrivals at {@code from ≤ t < to} of its clock (several windows may overlap; each
     * arrival gets the first active one that applies to it, in the order they were scheduled).
     *
     * @throws IllegalArgumentException when {@code to} is not after {@code from}
     */
    void during(java.time.Instant from, java.time.Instant to, MarketFault fault);

    /** Cancels scheduled faults and outages (the configured random ones stay). */
    void clear();
}
