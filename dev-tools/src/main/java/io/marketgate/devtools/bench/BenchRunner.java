package io.marketgate.devtools.bench;

import io.marketgate.cli.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs every target at every caller count in closed loops (each caller starts its next decision as soon as the
 * previous one returns). For each caller count: one warm-up slice per target, then {@code rounds} measured
 * slices per target of {@code duration / rounds} each. The order of the targets rotates with the caller count
 * and the round, so that a noisy moment of the machine does not always fall on the same implementation.
 */
final class BenchRunner {

    /** Counts the commands a Redis server has executed, by name; the runner reads it around each measured slice. */
    @FunctionalInterface
    interface CommandCounter {
        CommandCounter NONE = Map::of;

        Map<String, Long> commandCalls();
    }

    /**
     * How long and how wide to measure.
     *
     * @param warmup   per target and caller count, not measured
     * @param duration measured time per target and caller count, split over the rounds
     * @param rounds   how many measured slices per target and caller count (≥ 1)
     * @param callers  the caller counts (threads), in order
     */
    record Settings(Duration warmup, Duration duration, int rounds, List<Integer> callers) {
        Settings {
            Objects.requireNonNull(warmup, "warmup");
            Objects.requireNonNull(duration, "duration");
            if (warmup.isNegative()) {
                throw new UsageException("--warmup is " + warmup + ", must be zero or positive");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new UsageException("--duration is " + duration + ", must be positive");
            }
            if (rounds < 1) {
                throw new UsageException("--rounds is " + rounds + ", must be ≥ 1");
            }
            callers = List.copyOf(callers);
            if (callers.isEmpty() || callers.stream().anyMatch(c -> c < 1)) {
                throw new UsageException("--callers is " + callers + ", must be one or more counts ≥ 1");
            }
        }
    }

    private final Settings settings;
    private final CommandCounter counter;
    private final Consumer<String> progress;

    BenchRunner(Settings settings, CommandCounter counter, Consumer<String> progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.counter = Objects.requireNonNull(counter, "counter");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Measures targets that are already set up; returns one cell per caller count and target, in that order. */
    List<Cell> run(List<BenchTarget> targets) {
        List<Cell> cells = new ArrayList<>();
        Duration slice = settings.duration().dividedBy(settings.rounds());
        for (int c = 0; c < settings.callers().size(); c++) {
            int callers = settings.callers().get(c);
            Map<BenchTarget, Cell> byTarget = new HashMap<>();
            for (BenchTarget target : targets) {
                Cell cell = new Cell(target.name(), callers);
                byTarget.put(target, cell);
                cells.add(cell);
            }
            if (!settings.warmup().isZero()) {
                for (BenchTarget target : rotated(targets, c)) {
                    progress.accept("warm-up  " + target.name() + " at " + callers + " callers");
                    measure(target, callers, settings.warmup());
                }
            }
            for (int round = 0; round < settings.rounds(); round++) {
                for (BenchTarget target : rotated(targets, c + round)) {
                    progress.accept("measure  " + target.name() + " at " + callers + " callers, round "
                            + (round + 1) + "/" + settings.rounds());
                    Map<String, Long> before = counter.commandCalls();
                    Slice s = measure(target, callers, slice);
                    Map<String, Long> after = counter.commandCalls();
                    byTarget.get(target).add(s.latencies(), s.grants(), s.nanos(), difference(before, after));
                }
            }
        }
        return cells;
    }

    /** {@code targets} rotated left by {@code by}: 0 → a b c, 1 → b c a, … */
    static List<BenchTarget> rotated(List<BenchTarget> targets, int by) {
        List<BenchTarget> order = new ArrayList<>(targets);
        if (!order.isEmpty()) {
            Collections.rotate(order, -(by % order.size()));
        }
        return order;
    }

    /** What {@code after} counted beyond {@code before}, without zeroes. */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((name, calls) -> {
            long d = calls - before.getOrDefault(name, 0L);
            if (d > 0) {
                delta.put(name, d);
            }
        });
        return delta;
    }

    private record Slice(Histogram latencies, long grants, long nanos) {}

    private static Slice measure(BenchTarget target, int callers, Duration length) {
        Histogram[] latencies = new Histogram[callers];
        long[] grants = new long[callers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2]; // start and deadline, published to the callers by the go latch
        List<Thread> threads = new ArrayList<>(callers);
        for (int i = 0; i < callers; i++) {
            int caller = i;
            latencies[caller] = new Histogram(3);
            threads.add(Thread.ofPlatform().name("bench-" + target.name() + "-" + caller).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    Histogram own = latencies[caller];
                    long deadline = window[1];
                    long granted = 0;
                    while (failure.get() == null) {
                        long start = System.nanoTime();
                        if (start >= deadline) {
                            break;
                        }
                        boolean grant = target.decide(caller);
                        own.recordValue(System.nanoTime() - start);
                        if (grant) {
                            granted++;
                        }
                    }
                    grants[caller] = granted;
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        try {
            ready.await();
            window[0] = System.nanoTime();
            window[1] = window[0] + length.toNanos();
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        }
        long nanos = System.nanoTime() - window[0];
        Throwable t = failure.get();
        if (t != null) {
            throw new BenchException(target.name() + " failed at " + callers + " callers: " + t, t);
        }
        Histogram all = new Histogram(3);
        long granted = 0;
        for (int i = 0; i < callers; i++) {
            all.add(latencies[i]);
            granted += grants[i];
        }
        return new Slice(all, granted, nanos);
    }
}
