package io.marketgate.devtools.demo;

import io.marketgate.config.Durations;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Simulated Lambda instances of a fleet, each with its own limiter and store connection, calling markets with
 * mixed priorities as fast as their budgets let them. Every second it prints, from the shared store, what each
 * budget admitted in its last window per priority against its limit; at the end it proves from the store's
 * grant timestamps that no sliding window held more than the limit, or more than a priority's ceiling.
 */
public final class DemoRun {

    /** Share of calls per priority in the simulated workload: bulk collection dominates, paid actions are rare. */
    static final Map<Priority, Integer> WEIGHTS = Map.of(Priority.HIGH, 10, Priority.MEDIUM, 40, Priority.LOW, 50);

    private final List<DemoMarket> markets;
    private final int instances;
    private final Duration duration;
    private final Supplier<LimiterStore> storePerInstance;
    private final PrintWriter out;
    private final Map<String, GrantLog> logs = new LinkedHashMap<>();
    private final Map<Priority, Histogram> waits = new EnumMap<>(Priority.class);
    private final Map<Priority, Long> handedBack = new ConcurrentHashMap<>();

    public DemoRun(List<DemoMarket> markets, int instances, Duration duration, Supplier<LimiterStore> storePerInstance,
            PrintWriter out) {
        this.markets = List.copyOf(markets);
        this.instances = instances;
        this.duration = duration;
        this.storePerInstance = storePerInstance;
        this.out = out;
        for (DemoMarket m : markets) {
            m.budgets().forEach(b -> logs.put(b.name(), new GrantLog(b)));
        }
        for (Priority p : Priority.values()) {
            waits.put(p, new ConcurrentHistogram(3));
        }
    }

    /** Runs to the end and prints the summary; returns whether every budget held. */
    public boolean run() throws InterruptedException {
        // one limiter per instance and market, as each market's collector function has its own
        List<PriorityLimiter> limiters = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < instances; i++) {
            for (DemoMarket m : markets) {
                PriorityLimiter limiter = PriorityLimiter.builder()
                        .budgets(m.budgets()).store(storePerInstance.get()).failureMode(m.failureMode()).build();
                limiters.add(limiter);
                long seed = 31L * i + m.name().hashCode();
                workers.add(Thread.ofPlatform().name("instance-" + i + "-" + m.name()).start(() -> work(limiter, m, seed, end, go)));
            }
        }
        printHeader();
        go.countDown();
        List<Budget> all = markets.stream().flatMap(m -> m.budgets().stream()).toList();
        PriorityLimiter observer = PriorityLimiter.builder().budgets(all).store(storePerInstance.get()).build();
        limiters.add(observer);
        long second = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1_000L, Math.max(1L, (end - System.nanoTime()) / 1_000_000L)));
            second++;
            printSecond(observer, second);
        }
        for (Thread t : workers) {
            t.join();
        }
        boolean ok = printSummary();
        limiters.forEach(PriorityLimiter::close);
        return ok;
    }

    private void work(PriorityLimiter limiter, DemoMarket m, long seed, long end, CountDownLatch go) {
        SplittableRandom random = new SplittableRandom(seed);
        try {
            go.await();
            while (System.nanoTime() < end) {
                Priority p = pick(random);
                Call call = new Call(m.calls().get(random.nextInt(m.calls().size())), p, 1);
                long start = System.nanoTime();
                Duration left = Duration.ofNanos(Math.max(0, end - start));
                Decision d = limiter.acquire(call, left.compareTo(Duration.ofSeconds(2)) < 0 ? left : Duration.ofSeconds(2));
                if (d.granted()) {
                    waits.get(p).recordValue(Math.max(0, (System.nanoTime() - start) / 1_000L));
                    for (String b : call.budgets()) {
                        logs.get(b).add(d.storeTimeMicros(), p, 1);
                    }
                } else if (System.nanoTime() < end) {
                    // what a queue consumer does with a wait over its threshold: hand the message back with that delay
                    handedBack.merge(p, 1L, Long::sum);
                    long pause = Math.min(d.retryAfter().toNanos(), Math.max(0, end - System.nanoTime()));
                    Thread.sleep(pause / 1_000_000L, (int) (pause % 1_000_000L));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Priority pick(SplittableRandom random) {
        int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
        int r = random.nextInt(total);
        for (Priority p : Priority.values()) {
            r -= WEIGHTS.get(p);
            if (r < 0) {
                return p;
            }
        }
        throw new AssertionError("weights do not add up");
    }

    private void printHeader() {
        out.printf("%5s  %-28s %8s %6s %7s %6s %15s%n", "t", "budget", "window", "HIGH", "MEDIUM", "LOW", "total / limit");
        out.flush();
    }

    private void printSecond(PriorityLimiter observer, long second) {
        for (GrantLog log : logs.values()) {
            Budget b = log.budget();
            BudgetStatus s;
            try {
                s = observer.control().status(b.name());
            } catch (RuntimeException e) {
                out.printf("%4ds  %-28s store unreachable: %s%n", second, b.name(), e.getMessage());
                continue;
            }
            out.printf("%4ds  %-28s %8s %6d %7d %6d %7d / %-6d%s%n", second, b.name(), Durations.format(b.window()),
                    s.usage().get(Priority.HIGH), s.usage().get(Priority.MEDIUM), s.usage().get(Priority.LOW),
                    s.totalUsage(), s.effectiveLimit(), s.totalUsage() > s.effectiveLimit() ? "  OVER" : "");
        }
        out.flush();
    }

    private boolean printSummary() {
        out.println();
        out.println("Summary, from the store's timestamp of every grant (max = most units in any sliding window):");
        out.printf("%-28s %7s %7s %7s %7s   %-14s %-18s %-14s%n", "budget", "granted", "HIGH", "MEDIUM", "LOW",
                "max all/limit", "max MED+LOW/80%", "max LOW/70%");
        boolean ok = true;
        for (GrantLog log : logs.values()) {
            Budget b = log.budget();
            boolean held = log.compliant();
            ok &= held;
            out.printf("%-28s %7d %7d %7d %7d   %-14s %-18s %-14s %s%n", b.name(),
                    log.count(Priority.HIGH) + log.count(Priority.MEDIUM) + log.count(Priority.LOW),
                    log.count(Priority.HIGH), log.count(Priority.MEDIUM), log.count(Priority.LOW),
                    log.maxInWindow(Priority.HIGH) + "/" + b.capacity(Priority.HIGH),
                    log.maxInWindow(Priority.MEDIUM) + "/" + b.capacity(Priority.MEDIUM),
                    log.maxInWindow(Priority.LOW) + "/" + b.capacity(Priority.LOW),
                    held ? "ok" : "EXCEEDED");
        }
        out.println();
        for (Priority p : Priority.values()) {
            Histogram h = waits.get(p);
            out.printf("%-6s wait until granted: p50 %6.1f ms, p99 %7.1f ms over %d grants; handed back (wait > 2 s): %d%n", p,
                    h.getValueAtPercentile(50) / 1_000.0, h.getValueAtPercentile(99) / 1_000.0, h.getTotalCount(),
                    handedBack.getOrDefault(p, 0L));
        }
        out.println(ok
                ? "Result: no budget exceeded its limit in any sliding window, and every priority stayed within its ceiling."
                : "Result: a budget was EXCEEDED (see above).");
        out.flush();
        return ok;
    }

}
