package io.marketgate.limiter;

import io.marketgate.limiter.internal.DefaultPriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Fleet-wide, priority-aware market budgets. Every market call of every instance draws from budgets kept in a
 * shared {@link LimiterStore}; a call of priority {@code p} is admitted iff, for every budget {@code b} it
 * names, {@code admitted in (now − window, now] + cost ≤ floor(ceiling(p) × effectiveLimit(b))}.
 *
 * <pre>{@code
 * PriorityLimiter limiter = PriorityLimiter.builder()
 *         .budget(Budget.named("coupang/vendor").limit(10).build())
 *         .budget(Budget.named("coupang/ordersheets").limit(10).build())
 *         .store(ValkeyLimiterStore.standalone("redis://localhost:6379"))
 *         .failureMode(FailureMode.localFallback(20))
 *         .build();
 *
 * Decision d = limiter.tryAcquire(Call.of(Priority.MEDIUM, "coupang/vendor", "coupang/ordersheets"));
 * if (!d.granted()) {
 *     // hand the message back for d.retryAfter(); d.blockingBudget() says which budget is full
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe. Closing the limiter closes its store.
 */
public interface PriorityLimiter extends AutoCloseable {

    /** Decides now, without waiting. Throws {@link UnknownBudgetException} or {@link IllegalArgumentException} for a bad call. */
    Decision tryAcquire(Call call);

    /**
     * Waits until the call is admitted or until admitting it would take longer than {@code maxWait}: each wait is
     * the denial's retry-after plus jitter. Returns the grant, or, as soon as the next chance lies beyond the
     * deadline, the last denial (without sleeping through the rest), so that a queue consumer can hand its
     * message back with that delay.
     *
     * @throws InterruptedException when the thread is interrupted while waiting; nothing was consumed
     */
    Decision acquire(Call call, Duration maxWait) throws InterruptedException;

    /**
     * The market throttled a call on {@code budget} (HTTP 429, or its own throttle code in a 200 body):
     * start a cool-down of {@code retryAfter} (the budget's default when null or zero) and lower the effective
     * limit, which then recovers step by step (see {@link ThrottleRecovery}).
     */
    void reportThrottled(String budget, Duration retryAfter);

    /**
     * The market said, on its answer to the call that {@code grant} admitted, that its own bucket behind {@code budget}
     * holds {@code used} of {@code capacity} calls (Cafe24's {@code X-Api-Call-Limit: used/capacity} per mall). Its
     * bucket counts every caller of the market, other apps too: when it has less room than the budget, the budget's
     * room is lowered to the market's (HIGH's room becomes {@code capacity − used}, less the slack the budget's limit keeps below
     * {@code capacity}; lower priorities keep their reserve
     * below it) by market units that leave the window at the budget's rate; calls granted after {@code grant}, which the
     * market had not counted yet, keep their room taken on top. It never adds room. See
     * {@link LimiterStore#observeMarketLevel}.
     *
     * <p>Feedback, not a decision: a store that fails or is switched off by the circuit breaker loses the observation
     * (logged, and reported to the listener's {@link LimiterListener#onStoreFailure}) instead of failing the caller,
     * who is handling the market's answer. The local fallback does not follow the market.
     *
     * @return the market units added, 0 when the budget had no more room than the market or the store failed
     * @throws IllegalArgumentException for an unknown budget, {@code used < 0}, {@code capacity < 1} or a grant that is
     *     not one
     */
    long observeMarketLevel(String budget, long used, long capacity, Decision grant);

    /**
     * One call to {@code market} took {@code roundTrip} from its grant (or from sending it) to its answer: the limiter
     * sizes the jitter
     * guard of the market's budgets built with {@link Budget.Builder#measuredJitterGuard()} from the spread of these
     * ({@link RoundTrips}). Budgets of other markets and budgets with a fixed guard ignore it. The market client
     * reports every call it sends.
     */
    default void observeRoundTrip(String market, Duration roundTrip) {
    }

    /**
     * The jitter guard that {@code budget} (a configured name or an instance) decides with now: its fixed guard, or for
     * a measured one the guard its market's round trips call for (its configured guard until enough are measured).
     */
    default Duration jitterGuard(String budget) {
        return Duration.ZERO;
    }

    /** Live control: overrides, pauses, status. */
    LimiterControl control();

    /** The budgets this limiter was configured with, by name. */
    Collection<Budget> budgets();

    /** Closes the store. */
    @Override
    void close();

    static Builder builder() {
        return new Builder();
    }

    /** Settings of a limiter; each setter documents its default. */
    final class Builder {
        private final List<Budget> budgets = new ArrayList<>();
        private LimiterStore store;
        private FailureMode failureMode = FailureMode.failClosed();
        private LimiterListener listener = LimiterListener.NONE;
        private Duration breakerOpenDuration = Duration.ofSeconds(2);
        private int breakerMinimumCalls = 4;
        private Duration maxJitter = Duration.ofMillis(20);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.THREAD;

        private Builder() {}

        /** Adds a budget. At least one is required; names must be unique. */
        public Builder budget(Budget budget) {
            budgets.add(Objects.requireNonNull(budget, "budget"));
            return this;
        }

        /** Adds budgets. */
        public Builder budgets(Collection<Budget> budgets) {
            budgets.forEach(this::budget);
            return this;
        }

        /** The shared store; default a new {@link InMemoryLimiterStore} (one JVM only). */
        public Builder store(LimiterStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** What happens while the store is unreachable; default {@link FailureMode#failClosed()}. */
        public Builder failureMode(FailureMode failureMode) {
            this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
            return this;
        }

        /** Observes grants, denials and waits; default none. */
        public Builder listener(LimiterListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How long the circuit breaker stays open after the store failed, before one call tries the store again;
         * default 2 s. While open, a call costs no store round trip at all.
         */
        public Builder breakerOpenDuration(Duration duration) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("breakerOpenDuration is " + duration + ", must be positive");
            }
            this.breakerOpenDuration = duration;
            return this;
        }

        /** How many of the last calls must have been tried before the breaker may open (half failing); default 4. */
        public Builder breakerMinimumCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("breakerMinimumCalls is " + calls + ", must be ≥ 1");
            }
            this.breakerMinimumCalls = calls;
            return this;
        }

        /** The most random time added to each wait in {@link #acquire}, so waiters do not retry in lock-step; default 20 ms. */
        public Builder maxJitter(Duration maxJitter) {
            if (maxJitter == null || maxJitter.isNegative()) {
                throw new IllegalArgumentException("maxJitter is " + maxJitter + ", must be zero or positive");
            }
            this.maxJitter = maxJitter;
            return this;
        }

        /** The clock for {@link #acquire} deadlines; default the system clock. Decisions use the store's clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How {@link #acquire} waits; default {@link Thread#sleep}. Tests pass one that advances a manual clock. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public PriorityLimiter build() {
            if (budgets.isEmpty()) {
                throw new IllegalArgumentException("a limiter needs at least one budget");
            }
            LimiterStore s = store != null ? store : new InMemoryLimiterStore(Clock.systemUTC());
            return new DefaultPriorityLimiter(budgets, s, failureMode, listener, breakerOpenDuration,
                    breakerMinimumCalls, maxJitter, clock, sleeper);
        }
    }

    /** Waits for a duration; interruptible. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper THREAD = duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000L));

        void sleep(Duration duration) throws InterruptedException;
    }
}
