package io.marketgate.limiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A store whose every decision is made while other threads decide on other budgets of the same market through the
 * same store, so that a store which coalesces concurrent decisions (the Valkey store's market lanes) decides the
 * wrapped call in a batch with theirs. Run the whole {@link LimiterStoreContract} through it and batched decisions are
 * held to the same contract as lone ones:
 *
 * <pre>{@code
 * protected LimiterStore createStore() {
 *     return BusyNeighbours.around(ValkeyLimiterStore.standalone(uri, options), 8);
 * }
 * }</pre>
 *
 * <p>The neighbours decide from a decision of the market made here until {@link #LINGER} after the last one (so that
 * they rest while a contract test waits for its clock), and a decision that finds them resting goes to the store only
 * once they have decided as often as there are neighbours, so the store is busy with the market when it arrives. The neighbours' budgets ({@code <market>/neighbour-a}, {@code …-b} and an instance of {@code -a}) have the
 * largest limit a budget may have and never share a name with the contract's. Control operations and status go to the
 * store directly. A neighbour's failure fails the next decision made here.
 */
public final class BusyNeighbours extends ForwardingLimiterStore {

    private static final long NEIGHBOUR_LIMIT = 1_000_000_000L;
    private static final Duration MAX_WAIT_FOR_NEIGHBOURS = Duration.ofSeconds(10);
    /** How long the neighbours go on deciding after a decision here, so that a run of decisions finds them busy. */
    private static final Duration LINGER = Duration.ofMillis(20);

    private final int threads;
    private final Map<String, Neighbourhood> markets = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> neighbourFailure = new AtomicReference<>();
    private final AtomicLong decisions = new AtomicLong();
    private volatile boolean closed;

    private BusyNeighbours(LimiterStore store, int threads) {
        super(store);
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", must be ≥ 1");
        }
        this.threads = threads;
    }

    /** {@code store}, each of whose decisions made through this is made while {@code threads} neighbours decide. */
    public static BusyNeighbours around(LimiterStore store, int threads) {
        return new BusyNeighbours(store, threads);
    }

    /** How many decisions were made here (each while the neighbours were busy). */
    public long decisions() {
        return decisions.get();
    }

    /** How many decisions the neighbours have made. */
    public long neighbourDecisions() {
        return markets.values().stream().mapToLong(n -> n.completed.get()).sum();
    }

    @Override
    public Decision decide(List<Budget> budgets, Priority priority, int cost) {
        Neighbourhood n = markets.computeIfAbsent(budgets.get(0).market(), Neighbourhood::new);
        n.busy.incrementAndGet();
        try {
            n.lastDecision = System.nanoTime();
            if (!n.running) {
                // idle neighbours: wake them and let each decide once, so that the market is busy when this arrives
                n.running = true;
                n.wake();
                long target = n.completed.get() + threads;
                long deadline = System.nanoTime() + MAX_WAIT_FOR_NEIGHBOURS.toNanos();
                while (n.completed.get() < target) {
                    failIfANeighbourFailed();
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("the neighbours made no " + threads + " decisions within "
                                + MAX_WAIT_FOR_NEIGHBOURS);
                    }
                    LockSupport.parkNanos(50_000L);
                }
            }
            Decision d = super.decide(budgets, priority, cost);
            decisions.incrementAndGet();
            failIfANeighbourFailed();
            return d;
        } finally {
            n.busy.decrementAndGet();
        }
    }

    private void failIfANeighbourFailed() {
        Throwable failure = neighbourFailure.get();
        if (failure != null) {
            throw new IllegalStateException("a neighbour's decision failed: " + failure, failure);
        }
    }

    @Override
    public String describe() {
        return super.describe() + " with " + threads + " busy neighbours";
    }

    /** Stops the neighbours, then closes the store. */
    @Override
    public void close() {
        closed = true;
        try {
            for (Neighbourhood n : markets.values()) {
                n.stop();
            }
        } finally {
            super.close();
        }
    }

    /** The neighbour threads of one market. */
    private final class Neighbourhood {
        final AtomicInteger busy = new AtomicInteger();
        /** When the last decision here began (System.nanoTime()). */
        volatile long lastDecision;
        /** Whether the neighbours are deciding; they go idle {@link #LINGER} after the last decision here. */
        volatile boolean running;
        final AtomicLong completed = new AtomicLong();
        final List<Thread> workers = new ArrayList<>();

        Neighbourhood(String market) {
            Budget a = Budget.named(market + "/neighbour-a").limit(NEIGHBOUR_LIMIT).build();
            Budget b = Budget.named(market + "/neighbour-b").limit(NEIGHBOUR_LIMIT).build();
            // lone calls of cost 1, calls on two budgets of cost 2, and an instance: every form a batch can hold
            List<List<Budget>> calls = List.of(List.of(a), List.of(a, b), List.of(a.forKey("n1")));
            for (int i = 0; i < threads; i++) {
                List<Budget> budgets = calls.get(i % calls.size());
                int cost = budgets.size();
                Thread t = Thread.ofPlatform().daemon().name("neighbour-" + market + "-" + i).start(() -> {
                    while (!closed) {
                        if (busy.get() == 0 && System.nanoTime() - lastDecision > LINGER.toNanos()) {
                            // nothing decided here for a while (the contract waits for its clock): rest
                            running = false;
                            LockSupport.parkNanos(1_000_000L);
                            continue;
                        }
                        try {
                            delegate().decide(budgets, Priority.HIGH, cost);
                        } catch (RuntimeException e) {
                            neighbourFailure.compareAndSet(null, e);
                        }
                        completed.incrementAndGet();
                    }
                });
                workers.add(t);
            }
        }

        void wake() {
            workers.forEach(LockSupport::unpark);
        }

        void stop() {
            for (Thread t : workers) {
                LockSupport.unpark(t);
                try {
                    t.join(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
