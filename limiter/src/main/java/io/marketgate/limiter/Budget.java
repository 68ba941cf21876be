package io.marketgate.limiter;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An allowance shared by every caller in every instance of a fleet: {@code limit} cost units per sliding
 * {@code window} for one scope a market defines (per vendor, per endpoint per app, per mall, …).
 *
 * <p>A budget is named {@code market/name}, for example {@code coupang/vendor}. Every budget of one market
 * lives under one Valkey hash tag, so one call may draw from several budgets of the same market atomically.
 *
 * <p>Scopes such as "per seller" or "per mall" are one budget per seller or mall with the same settings: a call
 * names the instance as {@code market/name:key} ({@code cafe24/mall:shop42}), and the limiter derives it from the
 * configured {@code cafe24/mall} with {@link #forKey(String)}. Each instance has its own window and control state.
 *
 * <pre>{@code
 * Budget vendor = Budget.named("coupang/vendor").limit(10).build();                 // 10 per second
 * Budget mall = Budget.named("cafe24/mall").limit(40).window(Duration.ofSeconds(20)) // leaky bucket 40, 2/s
 *         .ceilings(new Ceilings(1.0, 0.8, 0.6)).build();
 * Budget guarded = Budget.named("coupang/vendor").limit(10)                         // 10 per second at the market,
 *         .jitterGuard(Duration.ofMillis(150)).build();                             // whatever the network's spread
 * }</pre>
 *
 * <p><b>The jitter guard.</b> Decisions are taken on the store's clock; a granted call reaches the market later by a
 * delay that varies from call to call, so calls granted a window apart can arrive closer than a window. A budget with
 * a jitter guard {@code G} keeps every grant for {@code window + G} ({@link #countedWindow()}) and admits a call of
 * priority {@code p} and cost {@code c} only if both terms hold:
 * <pre>
 *   units in (now − window, now]      + c ≤ capacity(p)       the priority's ceiling, on the configured window
 *   units in (now − window − G, now]  + c ≤ limit             the market's limit, on the counted window
 * </pre>
 * (a waiting HIGH call's held units count in both for MEDIUM and LOW; the limit is the effective limit). Then no interval
 * of {@code window + G} holds more than {@code limit} grants (its last grant checked all the others within the counted
 * window), so whenever the delays from grant to arrival differ by at most {@code G}, no window of the market's clock holds
 * more arrivals than the limit. The guard costs only what the limit leaves: a priority keeps {@code capacity} per
 * {@code window} as long as {@code limit / (window + G)} allows it, a priority whose capacity is the limit (HIGH) gets
 * {@code limit} per {@code window + G}. With {@code G = 0} both terms are the same window and the second is implied; for a
 * priority whose capacity is the limit the second implies the first. A budget built with
 * {@link Builder#measuredJitterGuard()} lets the limiter size {@code G} from the round trips of the market's calls
 * ({@link PriorityLimiter#observeRoundTrip}); its {@link #jitterGuard()} is the guard until then.
 */
public final class Budget {

    /** A market or budget name part: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit. */
    public static final Pattern NAME_PART = BudgetName.NAME_PART;

    /** An instance key of a per-seller, per-mall or per-vendor budget: letters, digits, '_', '.', '@', '-'. */
    public static final Pattern KEY = BudgetName.KEY;

    /** The default window: one second. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);

    /** The largest window a budget may have (the store keeps one entry per admitted cost unit per window). */
    public static final Duration MAX_WINDOW = Duration.ofHours(24);

    /** The largest jitter guard: a spread of delays beyond a minute is a timeout, not jitter. */
    public static final Duration MAX_JITTER_GUARD = Duration.ofMinutes(1);

    private final BudgetName budgetName;
    private final String name;
    private final long limit;
    private final Duration window;
    private final Ceilings ceilings;
    private final ThrottleRecovery recovery;
    private final Duration jitterGuard;
    private final boolean measuredJitterGuard;
    /** Computed once: a budget list is a map key on every decision (the store's prepared calls, the denial memory). */
    private final int hash;

    /**
     * A budget named {@code market/name} or, for an instance, {@code market/name:key}.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    public Budget(String name, long limit, Duration window, Ceilings ceilings, ThrottleRecovery recovery) {
        this(BudgetName.parse(name), limit, window, ceilings, recovery, Duration.ZERO);
    }

    /**
     * A budget of the given name, without a jitter guard.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    public Budget(BudgetName name, long limit, Duration window, Ceilings ceilings, ThrottleRecovery recovery) {
        this(name, limit, window, ceilings, recovery, Duration.ZERO);
    }

    /**
     * A budget of the given name whose grants count for {@code window + jitterGuard} against the limit (see the class
     * comment).
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    public Budget(BudgetName name, long limit, Duration window, Ceilings ceilings, ThrottleRecovery recovery,
            Duration jitterGuard) {
        this(name, limit, window, ceilings, recovery, jitterGuard, false);
    }

    /**
     * A budget whose jitter guard, when {@code measuredJitterGuard}, the limiter sizes from the market's measured round
     * trips ({@code jitterGuard} until it has measured enough).
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    public Budget(BudgetName name, long limit, Duration window, Ceilings ceilings, ThrottleRecovery recovery,
            Duration jitterGuard, boolean measuredJitterGuard) {
        this.budgetName = Objects.requireNonNull(name, "name");
        this.name = name.toString();
        if (limit <= 0) {
            throw new IllegalArgumentException("budget " + name + ": limit is " + limit + ", must be > 0");
        }
        if (limit > 1_000_000_000L) {
            throw new IllegalArgumentException("budget " + name + ": limit is " + limit + ", must be ≤ 1000000000");
        }
        Objects.requireNonNull(window, "window");
        if (window.toNanos() % 1_000L != 0 || window.compareTo(Duration.ofMillis(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(
                    "budget " + name + ": window is " + window + ", must be between 1 ms and 24 h in whole microseconds");
        }
        Objects.requireNonNull(ceilings, "ceilings");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(jitterGuard, "jitterGuard");
        if (jitterGuard.isNegative() || jitterGuard.toNanos() % 1_000L != 0 || jitterGuard.compareTo(MAX_JITTER_GUARD) > 0) {
            throw new IllegalArgumentException("budget " + name + ": jitterGuard is " + jitterGuard
                    + ", must be between 0 and 1 min in whole microseconds");
        }
        if (window.plus(jitterGuard).compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("budget " + name + ": window " + window + " + jitterGuard " + jitterGuard
                    + " must be ≤ 24 h (the store keeps a grant for both)");
        }
        if (ceilings.capacity(Priority.LOW, limit) < 1) {
            throw new IllegalArgumentException("budget " + name + ": LOW's ceiling " + ceilings.low() + " of limit " + limit
                    + " admits no call at all; raise the limit or the ceiling (a rate of 1 per second is limit 10 per 10 s window)");
        }
        this.limit = limit;
        this.window = window;
        this.ceilings = ceilings;
        this.recovery = recovery;
        this.jitterGuard = jitterGuard;
        this.measuredJitterGuard = measuredJitterGuard;
        this.hash = Objects.hash(this.name, limit, window, ceilings, recovery, jitterGuard, measuredJitterGuard);
    }

    /** Starts a budget named {@code market/name}; the limit is required, everything else has a default. */
    public static LimitStage named(String name) {
        BudgetName parsed = BudgetName.parse(name);
        return limit -> new Builder(parsed, limit);
    }

    /**
     * Checks a budget name ({@code market/name} or {@code market/name:key}) and names the rule it breaks; see
     * {@link BudgetName#parse(String)}.
     */
    public static void checkName(String name) {
        BudgetName.parse(name);
    }

    /** The name, {@code market/name} or {@code market/name:key}. */
    public String name() {
        return name;
    }

    /** The name as a value: market, budget and instance key. */
    public BudgetName budgetName() {
        return budgetName;
    }

    /** Cost units per window shared by the whole fleet. */
    public long limit() {
        return limit;
    }

    /** The sliding window. */
    public Duration window() {
        return window;
    }

    /** The share of the limit each priority may hold. */
    public Ceilings ceilings() {
        return ceilings;
    }

    /** What a market's throttling does to the limit. */
    public ThrottleRecovery recovery() {
        return recovery;
    }

    /**
     * How much longer than the window a grant counts: the largest spread of the delays between a grant and its call's
     * arrival at the market that the budget allows for. Zero (the default) trusts the calls to arrive as granted.
     */
    public Duration jitterGuard() {
        return jitterGuard;
    }

    /**
     * Whether the limiter sizes the guard from the market's measured round trips (the spread p99 − p50,
     * {@link PriorityLimiter#observeRoundTrip}); {@link #jitterGuard()} is then the guard until enough are measured.
     */
    public boolean measuredJitterGuard() {
        return measuredJitterGuard;
    }

    /**
     * How long a grant counts against the budget: {@code window + jitterGuard}. The stores keep every grant this long and
     * hold the units in it to the (effective) limit; each priority's ceiling applies to the configured {@link #window()}
     * (see the class comment).
     */
    public Duration countedWindow() {
        return window.plus(jitterGuard);
    }

    /** {@link #countedWindow()} in µs. */
    public long countedWindowMicros() {
        return countedWindow().toNanos() / 1_000L;
    }

    /** This budget with another jitter guard; the same budget when the guard is unchanged. */
    public Budget withJitterGuard(Duration guard) {
        return guard.equals(jitterGuard) ? this
                : new Budget(budgetName, limit, window, ceilings, recovery, guard, measuredJitterGuard);
    }

    /** The market part of the name: every budget of a market shares one store hash tag. */
    public String market() {
        return budgetName.market();
    }

    /** The budget part of the name, after the market and before an instance key. */
    public String shortName() {
        return budgetName.budget();
    }

    /** The configured budget's name, without an instance key: {@code cafe24/mall} for {@code cafe24/mall:shop42}. */
    public String template() {
        return budgetName.configured().toString();
    }

    /** The instance key of a per-seller or per-mall budget, if this is one. */
    public java.util.Optional<String> key() {
        return budgetName.instance();
    }

    /** This budget's instance for one seller, mall or vendor: same settings, its own window. */
    public Budget forKey(String key) {
        if (budgetName.isInstance()) {
            throw new IllegalArgumentException("budget " + name + " is already an instance; derive from " + template());
        }
        return new Budget(budgetName.withInstance(key), limit, window, ceilings, recovery, jitterGuard, measuredJitterGuard);
    }

    /** How many cost units {@code priority} may hold in one window at the configured limit. */
    public long capacity(Priority priority) {
        return ceilings.capacity(priority, limit);
    }

    /**
     * The configured window in µs, on which each priority's ceiling applies (without the jitter guard; the limit applies
     * to {@link #countedWindowMicros()} too).
     */
    public long windowMicros() {
        return window.toNanos() / 1_000L;
    }

    /** {@link #jitterGuard()} in µs. */
    public long jitterGuardMicros() {
        return jitterGuard.toNanos() / 1_000L;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Budget b && hash == b.hash && limit == b.limit && name.equals(b.name) && window.equals(b.window)
                && ceilings.equals(b.ceilings) && recovery.equals(b.recovery) && jitterGuard.equals(b.jitterGuard)
                && measuredJitterGuard == b.measuredJitterGuard;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Budget[name=" + name + ", limit=" + limit + ", window=" + window + ", ceilings=" + ceilings
                + ", recovery=" + recovery + (jitterGuard.isZero() ? "" : ", jitterGuard=" + jitterGuard)
                + (measuredJitterGuard ? ", measuredJitterGuard" : "") + "]";
    }

    /** The mandatory step of {@link #named(String)}. */
    @FunctionalInterface
    public interface LimitStage {
        /** Cost units per window shared by the whole fleet; must be &gt; 0. */
        Builder limit(long limit);
    }

    /** Optional settings; each has the default its setter documents. */
    public static final class Builder {
        private final BudgetName name;
        private final long limit;
        private Duration window = DEFAULT_WINDOW;
        private Ceilings ceilings = Ceilings.DEFAULT;
        private ThrottleRecovery recovery = ThrottleRecovery.DEFAULT;
        private Duration jitterGuard = Duration.ZERO;
        private boolean measuredJitterGuard;

        private Builder(BudgetName name, long limit) {
            this.name = name;
            this.limit = limit;
        }

        /** The sliding window; default one second. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /** Per-priority ceilings; default {@link Ceilings#DEFAULT} (100/80/70%). */
        public Builder ceilings(Ceilings ceilings) {
            this.ceilings = Objects.requireNonNull(ceilings, "ceilings");
            return this;
        }

        /** Throttle cool-down and recovery; default {@link ThrottleRecovery#DEFAULT}. */
        public Builder recovery(ThrottleRecovery recovery) {
            this.recovery = Objects.requireNonNull(recovery, "recovery");
            return this;
        }

        /**
         * How much longer than the window each grant counts against the limit, to keep the market's windows within the limit when the
         * delay from grant to arrival varies by up to this much; default zero.
         */
        public Builder jitterGuard(Duration guard) {
            this.jitterGuard = Objects.requireNonNull(guard, "jitterGuard");
            return this;
        }

        /**
         * Lets the limiter size the jitter guard from the spread (p99 − p50) of the market's measured round trips; the
         * guard set with {@link #jitterGuard(Duration)} applies until it has measured enough. Default: off.
         */
        public Builder measuredJitterGuard() {
            this.measuredJitterGuard = true;
            return this;
        }

        public Budget build() {
            return new Budget(name, limit, window, ceilings, recovery, jitterGuard, measuredJitterGuard);
        }
    }
}
