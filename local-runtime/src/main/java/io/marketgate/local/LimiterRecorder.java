package io.marketgate.local;

import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The {@link LimiterListener} the local runtime hands to the handlers: counts grants per priority and per market,
 * priority and second (for the report's chart), and records the waits of blocking acquires.
 *
 * <p>The limiter reports {@code onWaited} only for calls that had to wait; a call granted at once reports only
 * {@code onGranted}. So the wait distribution of granted calls is the recorded waits plus one zero for every grant
 * that did not wait, which {@link #waits(Priority)} adds.
 */
public final class LimiterRecorder implements LimiterListener {
    private final long startMillis = System.currentTimeMillis();
    private final Map<Priority, AtomicLong> grants = new EnumMap<>(Priority.class);
    private final Map<Priority, AtomicLong> timeouts = new EnumMap<>(Priority.class);
    private final Map<Priority, Histogram> waited = new EnumMap<>(Priority.class);
    private final AtomicLong storeFailures = new AtomicLong();
    /** market → priority → second since start → grants. */
    private final Map<String, Map<Priority, Map<Long, AtomicLong>>> perSecond = new ConcurrentHashMap<>();
    /** configured budget → its grants and the sum of the jitter guards they counted with. */
    private final Map<String, Guards> guards = new ConcurrentHashMap<>();
    /** market → priority → waits of granted calls that waited, as {@link #waited}. */
    private final Map<String, Map<Priority, Histogram>> waitedPerMarket = new ConcurrentHashMap<>();

    public LimiterRecorder() {
        for (Priority p : Priority.values()) {
            grants.put(p, new AtomicLong());
            timeouts.put(p, new AtomicLong());
            waited.put(p, new Histogram(3_600_000L, 3));
        }
    }

    @Override
    public void onGranted(Call call, Decision decision) {
        grants.get(call.priority()).incrementAndGet();
        for (String budget : call.budgets()) {
            guards.computeIfAbsent(configured(budget), b -> new Guards()).grants.incrementAndGet();
        }
        long second = (System.currentTimeMillis() - startMillis) / 1000;
        perSecond.computeIfAbsent(call.market(), m -> new ConcurrentHashMap<>())
                .computeIfAbsent(call.priority(), p -> new ConcurrentHashMap<>())
                .computeIfAbsent(second, s -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onWaited(Call call, Duration waitedFor, Decision outcome) {
        if (outcome.granted()) {
            Histogram h = waited.get(call.priority());
            synchronized (h) {
                h.recordValue(Math.min(Math.max(0, waitedFor.toMillis()), h.getHighestTrackableValue()));
            }
            Histogram m = waitedPerMarket.computeIfAbsent(call.market(), k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(call.priority(), p -> new Histogram(3_600_000L, 3));
            synchronized (m) {
                m.recordValue(Math.min(Math.max(0, waitedFor.toMillis()), m.getHighestTrackableValue()));
            }
        } else {
            timeouts.get(call.priority()).incrementAndGet();
        }
    }

    @Override
    public void onGuarded(Call call, String budget, Duration jitterGuard) {
        guards.computeIfAbsent(configured(budget), b -> new Guards()).guardMicros.addAndGet(jitterGuard.toNanos() / 1_000);
    }

    /**
     * The mean jitter guard the grants of the configured budget {@code budget} counted with (zero for grants without
     * one): the budget as the limiter enforced it counted each grant for its window plus this, on average.
     */
    public Duration meanJitterGuard(String budget) {
        Guards g = guards.get(budget);
        long n = g == null ? 0 : g.grants.get();
        return n == 0 ? Duration.ZERO : Duration.ofNanos(g.guardMicros.get() * 1_000 / n);
    }

    private static String configured(String budget) {
        try {
            return io.marketgate.limiter.BudgetName.parse(budget).configured().toString();
        } catch (IllegalArgumentException e) {
            return budget;
        }
    }

    private static final class Guards {
        final AtomicLong grants = new AtomicLong();
        final AtomicLong guardMicros = new AtomicLong();
    }

    @Override
    public void onStoreFailure(Throwable cause) {
        storeFailures.incrementAndGet();
    }

    /** Times the shared store failed and the failure mode decided instead (local fallback is not fleet-wide). */
    public long storeFailures() {
        return storeFailures.get();
    }

    public long startMillis() {
        return startMillis;
    }

    /** Waits of granted calls of {@code priority}, in milliseconds, zero for grants that did not wait. */
    public Histogram waits(Priority priority) {
        Histogram h = waited.get(priority);
        Histogram copy;
        synchronized (h) {
            copy = h.copy();
        }
        long immediate = grants.get(priority).get() - copy.getTotalCount();
        if (immediate > 0) {
            copy.recordValueWithCount(0, immediate);
        }
        return copy;
    }

    /** Waits of granted calls of {@code priority} on {@code market}, as {@link #waits(Priority)}. */
    public Histogram waits(String market, Priority priority) {
        Histogram h = waitedPerMarket.getOrDefault(market, Map.of()).get(priority);
        Histogram copy = new Histogram(3_600_000L, 3);
        if (h != null) {
            synchronized (h) {
                copy.add(h);
            }
        }
        long immediate = grants(market, priority) - copy.getTotalCount();
        if (immediate > 0) {
            copy.recordValueWithCount(0, immediate);
        }
        return copy;
    }

    /** Grants of {@code priority} on {@code market}. */
    public long grants(String market, Priority priority) {
        return perSecond.getOrDefault(market, Map.of()).getOrDefault(priority, Map.of()).values().stream()
                .mapToLong(AtomicLong::get).sum();
    }

    public long grants(Priority priority) {
        return grants.get(priority).get();
    }

    /** Blocking acquires that gave up at their longest wait. */
    public long waitTimeouts(Priority priority) {
        return timeouts.get(priority).get();
    }

    /** Grants per second since start for one market and priority, seconds without grants as 0. */
    public List<Long> grantsPerSecond(String market, Priority priority, int seconds) {
        Map<Long, AtomicLong> bySecond = perSecond.getOrDefault(market, Map.of()).getOrDefault(priority, Map.of());
        List<Long> out = new ArrayList<>(seconds);
        for (long s = 0; s < seconds; s++) {
            AtomicLong n = bySecond.get(s);
            out.add(n == null ? 0 : n.get());
        }
        return out;
    }
}
