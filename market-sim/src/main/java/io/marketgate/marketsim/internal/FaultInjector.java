package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.FaultSchedule;
import io.marketgate.marketsim.Faults;
import io.marketgate.marketsim.MarketFault;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/** Draws the fault of each admitted request: scheduled ones first, then the configured random ones. */
public final class FaultInjector implements FaultSchedule {

    /** The fault of one request: a delay (possibly zero), a 5xx status (0 for none), or a body cut off mid-JSON. */
    public record Injected(Duration delay, int status, boolean malformed) {
        static final Injected NONE = new Injected(Duration.ZERO, 0, false);

        Injected(Duration delay, int status) {
            this(delay, status, false);
        }
    }

    /** A window of {@link #during}: {@code [fromNanos, toNanos)} of the market's clock. */
    record Window(long fromNanos, long toNanos, MarketFault fault) {
        boolean active(long nanos) {
            return nanos >= fromNanos && nanos < toNanos;
        }
    }

    private final Faults config;
    private SplittableRandom random;
    private final ArrayDeque<Integer> failures = new ArrayDeque<>();
    private final ArrayDeque<Duration> delays = new ArrayDeque<>();
    private final java.util.EnumMap<Endpoint, Integer> outages = new java.util.EnumMap<>(Endpoint.class);
    private final java.util.List<Window> windows = new java.util.ArrayList<>();
    /** Draws the shares of the windowed faults, apart from the configured faults' sequence so that it stays as it was. */
    private SplittableRandom windowRandom;

    public FaultInjector(Faults config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.windowRandom = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    }

    @Override
    public synchronized void during(java.time.Instant from, java.time.Instant to, MarketFault fault) {
        java.util.Objects.requireNonNull(fault, "fault");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("during(" + from + ", " + to + ", " + fault.type() + "): to must be after from");
        }
        windows.add(new Window(nanos(from), nanos(to), fault));
    }

    private static long nanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * The windowed fault that refuses a call at {@code nanos} before the budgets (credential, IP, penalty, 429 storm), or
     * null. {@code authenticated}: whether the call carried valid credentials (only those can be revoked).
     */
    synchronized Window refusal(long nanos, boolean authenticated) {
        for (Window w : windows) {
            if (!w.active(nanos)) {
                continue;
            }
            switch (w.fault()) {
                case MarketFault.CredentialRevoked c -> {
                    if (authenticated) {
                        return w;
                    }
                }
                case MarketFault.IpRejected i -> {
                    return w;
                }
                case MarketFault.PenaltyBlock p -> {
                    return w;
                }
                case MarketFault.Storm429 s -> {
                    if (windowRandom.nextDouble() < s.rate()) {
                        return w;
                    }
                }
                default -> { }
            }
        }
        return null;
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
        windows.clear();
    }

    synchronized void reset() {
        clear();
        random = new SplittableRandom(config.seed());
        windowRandom = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    }

    /** The fault of an admitted call at {@code nanos}: a windowed one first, else a scheduled or configured one. */
    synchronized Injected next(Endpoint endpoint, long nanos) {
        for (Window w : windows) {
            if (!w.active(nanos)) {
                continue;
            }
            switch (w.fault()) {
                case MarketFault.Hang h -> {
                    return new Injected(Duration.ofNanos(w.toNanos() - nanos), 503);
                }
                case MarketFault.ServerErrors e -> {
                    if (windowRandom.nextDouble() < e.rate()) {
                        return new Injected(Duration.ZERO, e.status());
                    }
                }
                case MarketFault.Timeouts t -> {
                    if (windowRandom.nextDouble() < t.rate()) {
                        return new Injected(t.delay(), 0);   // served late: the client gave up, the market did the work
                    }
                }
                case MarketFault.Malformed m -> {
                    if (windowRandom.nextDouble() < m.rate()) {
                        return new Injected(Duration.ZERO, 0, true);
                    }
                }
                default -> { }
            }
        }
        return next(endpoint);
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
