package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.FaultSchedule;
import io.marketgate.marketsim.Faults;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/** Draws the fault of each admitted request: scheduled ones first, then the configured random ones. */
public final class FaultInjector implements FaultSchedule {

    /** The fault of one request: a delay (possibly zero) and a 5xx status (0 for none). */
    public record Injected(Duration delay, int status) {
        static final Injected NONE = new Injected(Duration.ZERO, 0);
    }

    private final Faults config;
    private SplittableRandom random;
    private final ArrayDeque<Integer> failures = new ArrayDeque<>();
    private final ArrayDeque<Duration> delays = new ArrayDeque<>();
    private final java.util.EnumMap<Endpoint, Integer> outages = new java.util.EnumMap<>(Endpoint.class);

    public FaultInjector(Faults config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
    }

    @Override
    public synchronized void failNext(int count, int status) {
        if (count < 0 || status < 500 || status > 599) {
            throw new IllegalArgumentException("failNext(" + count + ", " + status + "): count must be ≥ 0 and status 5xx");
        }
        for (int i = 0; i < count; i++) {
            failures.add(status);
        }
    }

    @Override
    public synchronized void delayNext(int count, Duration delay) {
        if (count < 0 || delay.isNegative()) {
            throw new IllegalArgumentException("delayNext(" + count + ", " + delay + "): count and delay must be ≥ 0");
        }
        for (int i = 0; i < count; i++) {
            delays.add(delay);
        }
    }

    @Override
    public synchronized void failEndpoint(Endpoint endpoint, int status) {
        java.util.Objects.requireNonNull(endpoint, "endpoint");
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("failEndpoint(" + endpoint + ", " + status + "): status must be 5xx");
        }
        outages.put(endpoint, status);
    }

    @Override
    public synchronized void restoreEndpoint(Endpoint endpoint) {
        outages.remove(endpoint);
    }

    @Override
    public synchronized void clear() {
        failures.clear();
        delays.clear();
        outages.clear();
    }

    synchronized void reset() {
        clear();
        random = new SplittableRandom(config.seed());
    }

    synchronized Injected next(Endpoint endpoint) {
        Integer outage = outages.get(endpoint);
        if (outage != null) {
            return new Injected(Duration.ZERO, outage);   // an outage answers at once and leaves the queued faults for later
        }
        Duration delay = delays.isEmpty() ? Duration.ZERO : delays.poll();
        int status = failures.isEmpty() ? 0 : failures.poll();
        if (config.slowRate() > 0 && random.nextDouble() < config.slowRate()) {
            delay = delay.plus(config.slowDelay());
        }
        if (status == 0 && config.serverErrorRate() > 0 && random.nextDouble() < config.serverErrorRate()) {
            status = config.serverErrorStatus();
        }
        return delay.isZero() && status == 0 ? Injected.NONE : new Injected(delay, status);
    }
}
