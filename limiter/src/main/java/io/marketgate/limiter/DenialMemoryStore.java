package io.marketgate.limiter;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * A store that repeats the last {@link Decision.Reason#CEILING_REACHED} denial of another store for a combination of
 * budgets and a priority, so that the same call repeated before its retry-after is denied without asking that store
 * (a round trip to Valkey); such a denial says {@link Decision.DecidedBy#REMEMBERED}. Any store can have it:
 *
 * <pre>{@code
 * LimiterStore store = DenialMemoryStore.wrap(new InMemoryLimiterStore(clock), Duration.ofMillis(100));
 * }</pre>
 *
 * {@link io.marketgate.limiter.valkey.ValkeyLimiterStore} has one by default
 * ({@link io.marketgate.limiter.valkey.ValkeyStoreOptions.Builder#denialMemory(Duration)}).
 *
 * <p>Why it is safe: a full ceiling opens only when the store's oldest entries leave the window, which is exactly
 * what the retry-after measures; grants elsewhere in the fleet only fill the window further. So until the retry-after
 * has passed, the store would deny the same call again (and a call of no smaller cost) unless the effective limit
 * rose in the meantime: an operator's override or resume through another instance, an override that expires, or a
 * throttle recovery step. The memory lasts at most its maximum to bound that, and a control operation through this
 * store on any budget of a market forgets what it remembered of the market's denials (its instances' included) at
 * once. It only ever denies: it can leave room unused for that long, never admit a call the store would refuse.
 * Pauses and cool-downs are not remembered.
 *
 * <p>The retry-after repeated from memory counts from when this store received the wrapped store's answer, so it is
 * later than the store's by at most the reply's latency: a caller that waits it is never early. Thread-safe.
 */
public final class DenialMemoryStore implements LimiterStore {

    /** The longest memory {@link #wrap} accepts. */
    public static final Duration MAX_MEMORY = Duration.ofSeconds(10);
    /** Budget combinations remembered at once; beyond this the memory starts over. */
    private static final int MAX_COMBINATIONS = 10_000;

    private final LimiterStore store;
    private final long maxNanos;
    private final LongSupplier ticker;
    private final Map<List<Budget>, Memory> memories = new ConcurrentHashMap<>();

    private DenialMemoryStore(LimiterStore store, Duration maxMemory, LongSupplier ticker) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(maxMemory, "maxMemory");
        if (maxMemory.isNegative() || maxMemory.isZero() || maxMemory.compareTo(MAX_MEMORY) > 0) {
            throw new IllegalArgumentException("maxMemory is " + maxMemory + ", must be > 0 and ≤ 10 s");
        }
        this.maxNanos = maxMemory.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * {@code store} with a memory of its ceiling denials, each repeated for at most {@code maxMemory} (and never past
     * its retry-after), timed by {@link System#nanoTime()}.
     *
     * @throws IllegalArgumentException when {@code maxMemory} is not in (0, 10 s]
     */
    public static LimiterStore wrap(LimiterStore store, Duration maxMemory) {
        return new DenialMemoryStore(store, maxMemory, System::nanoTime);
    }

    /**
     * As {@link #wrap(LimiterStore, Duration)}, timed by {@code nanoTicker}, a monotonic clock in nanoseconds (for a
     * test's fake clock: the memory must move with the wrapped store's clock).
     */
    public static LimiterStore wrap(LimiterStore store, Duration maxMemory, LongSupplier nanoTicker) {
        return new DenialMemoryStore(store, maxMemory, nanoTicker);
    }

    @Override
    public Decision decide(List<Budget> budgets, Priority priority, int cost) {
        Memory memory = memory(budgets);
        Decision remembered = memory.recall(priority, cost, ticker.getAsLong());
        if (remembered != null) {
            return remembered;
        }
        Decision d = store.decide(budgets, priority, cost);
        if (!d.granted()) {
            memory.remember(priority, cost, d, ticker.getAsLong(), maxNanos);
        }
        return d;
    }

    @Override
    public void reportThrottled(Budget budget, Duration cooldown) {
        store.reportThrottled(budget, cooldown);
        forget(budget);
    }

    /**
     * Passes the market's level on; remembers nothing of it and forgets nothing: market units only ever take room,
     * so a remembered denial stays true.
     */
    @Override
    public long observeMarketLevel(Budget budget, long marketUsed, long marketCapacity, long grantMicros) {
        return store.observeMarketLevel(budget, marketUsed, marketCapacity, grantMicros);
    }

    @Override
    public void overrideLimit(Budget budget, long limit, Duration ttl) {
        store.overrideLimit(budget, limit, ttl);
        forget(budget);
    }

    @Override
    public void clearOverride(Budget budget) {
        store.clearOverride(budget);
        forget(budget);
    }

    @Override
    public void pause(Budget budget, Priority priority, Duration ttl) {
        store.pause(budget, priority, ttl);
        forget(budget);
    }

    @Override
    public void resume(Budget budget, Priority priority) {
        store.resume(budget, priority);
        forget(budget);
    }

    @Override
    public BudgetStatus status(Budget budget) {
        return store.status(budget);
    }

    /** The wrapped store's description: the memory changes no answer's meaning. */
    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return store + " with a denial memory of " + Duration.ofNanos(maxNanos).toMillis() + " ms";
    }

    private Memory memory(List<Budget> budgets) {
        Memory m = memories.get(budgets);
        if (m == null) {
            if (memories.size() >= MAX_COMBINATIONS) {
                memories.clear();
            }
            m = memories.computeIfAbsent(List.copyOf(budgets), Memory::new);
        }
        return m;
    }

    /** This store's own changes apply to its next call at once, whatever it remembered of the market. */
    private void forget(Budget budget) {
        for (Memory m : memories.values()) {
            if (m.markets.contains(budget.market())) {
                m.forget();
            }
        }
    }

    /** The last ceiling denial per priority of one combination of budgets. */
    private static final class Memory {

        private record Memo(int cost, long receivedNanos, long validUntilNanos, Decision decision) {}

        final Set<String> markets = new HashSet<>();
        private final AtomicReferenceArray<Memo> byPriority = new AtomicReferenceArray<>(Priority.values().length);

        Memory(List<Budget> budgets) {
            budgets.forEach(b -> markets.add(b.market()));
        }

        /** The remembered denial of {@code priority} for {@code cost} at {@code nowNanos}, or null when the store must decide. */
        Decision recall(Priority priority, int cost, long nowNanos) {
            Memo memo = byPriority.get(priority.ordinal());
            if (memo == null || cost < memo.cost || nowNanos - memo.validUntilNanos >= 0) {
                return null;
            }
            Decision d = memo.decision;
            // whole µs, as the store counts: store time + retry-after still names the same instant as the store's
            // answer, and the retry-after is never shorter than what is really left
            long elapsedMicros = (nowNanos - memo.receivedNanos) / 1_000L;
            Duration retryAfter = d.retryAfter().minusNanos(elapsedMicros * 1_000L);
            return Decision.denied(d.reason(), retryAfter, d.blockingBudget(), d.remaining(),
                    d.storeTimeMicros() + elapsedMicros, Decision.DecidedBy.REMEMBERED);
        }

        /** Remembers {@code decision} when it is a ceiling denial, for at most {@code maxNanos} from {@code receivedNanos}. */
        void remember(Priority priority, int cost, Decision decision, long receivedNanos, long maxNanos) {
            if (decision.reason() != Decision.Reason.CEILING_REACHED) {
                return;
            }
            long retryNanos = decision.retryAfter().toNanos();
            byPriority.set(priority.ordinal(), new Memo(cost, receivedNanos, receivedNanos + Math.min(retryNanos, maxNanos), decision));
        }

        void forget() {
            for (int i = 0; i < byPriority.length(); i++) {
                byPriority.set(i, null);
            }
        }
    }
}
