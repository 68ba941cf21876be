package io.marketgate.handlers.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The writes of one page of records, at most {@code concurrency} at once: the items of distinct keys each on a virtual
 * thread of its own, those of one key (a page may list one record twice) one after another in page order, so that the
 * newer-state guard and the tracking of one order see its states in the order the market gave them.
 *
 * <p>The first failed write stops launching more; the call returns only when every write it started has ended (none
 * outlives it, so a caller that checkpoints after it never passes a write still running), then throws that failure.
 * With {@code concurrency} 1 the writes run one after another on the caller's thread.
 */
final class PageWrites {

    private PageWrites() {}

    /**
     * Applies {@code write} to each of {@code items} and returns the results in item order.
     *
     * @throws IllegalArgumentException when {@code concurrency} is below 1
     * @throws RuntimeException the first write's failure, after every started write ended
     */
    static <T, R> List<R> run(List<T> items, Function<? super T, String> key, int concurrency, Function<? super T, R> write) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency is " + concurrency + ", must be ≥ 1");
        }
        if (concurrency == 1 || items.size() <= 1) {
            List<R> results = new ArrayList<>(items.size());
            for (T item : items) {
                results.add(write.apply(item));
            }
            return results;
        }
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            byKey.computeIfAbsent(key.apply(items.get(i)), k -> new ArrayList<>()).add(i);
        }
        Object[] results = new Object[items.size()];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Semaphore permits = new Semaphore(concurrency);
        // close() waits for every task: its end happens-before the reads of results below
        try (ExecutorService writers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("page-write-", 0).factory())) {
            for (List<Integer> group : byKey.values()) {
                permits.acquireUninterruptibly();
                if (failure.get() != null) {
                    permits.release();
                    break;
                }
                writers.execute(() -> {
                    try {
                        for (int i : group) {
                            results[i] = write.apply(items.get(i));
                        }
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        switch (failure.get()) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure.get());
        }
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Arrays.asList(results);
        return list;
    }
}
