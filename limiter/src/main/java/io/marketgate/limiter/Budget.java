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
 * <pre>{@code
 * Budget vendor = Budget.named("coupang/vendor").limit(10).build();                 // 10 per second
 * Budget mall = Budget.named("cafe24/mall").limit(40).window(Duration.ofSeconds(20)) // leaky bucket 40, 2/s
 *         .ceilings(new Ceilings(1.0, 0.8, 0.6)).build();
 * }</pre>
 */
public record Budget(String name, long limit, Duration window, Ceilings ceilings, ThrottleRecovery recovery) {

    /** A market or budget name part: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit. */
    public static final Pattern NAME_PART = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    /** The default window: one second. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);

    /** The largest window a budget may have (the store keeps one entry per admitted cost unit per window). */
    public static final Duration MAX_WINDOW = Duration.ofHours(24);

    public Budget {
        checkName(name);
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
        if (ceilings.capacity(Priority.LOW, limit) < 1) {
            throw new IllegalArgumentException("budget " + name + ": LOW's ceiling " + ceilings.low() + " of limit " + limit
                    + " admits no call at all; raise the limit or the ceiling (a rate of 1 per second is limit 10 per 10 s window)");
        }
    }

    /** Starts a budget named {@code market/name}; the limit is required, everything else has a default. */
    public static LimitStage named(String name) {
        checkName(name);
        return limit -> new Builder(name, limit);
    }

    /** Checks a budget name and names the rule it breaks. */
    public static void checkName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("budget name is missing");
        }
        int slash = name.indexOf('/');
        if (slash < 0 || !NAME_PART.matcher(name.substring(0, slash)).matches()
                || !NAME_PART.matcher(name.substring(slash + 1)).matches()) {
            throw new IllegalArgumentException("budget name '" + name
                    + "' must be market/name, each part lower-case letters, digits, '-', '_' or '.' (for example coupang/vendor)");
        }
    }

    /** The market part of the name: every budget of a market shares one store hash tag. */
    public String market() {
        return name.substring(0, name.indexOf('/'));
    }

    /** The budget part of the name, after the market. */
    public String shortName() {
        return name.substring(name.indexOf('/') + 1);
    }

    /** How many cost units {@code priority} may hold in one window at the configured limit. */
    public long capacity(Priority priority) {
        return ceilings.capacity(priority, limit);
    }

    public long windowMicros() {
        return window.toNanos() / 1_000L;
    }

    /** The mandatory step of {@link #named(String)}. */
    @FunctionalInterface
    public interface LimitStage {
        /** Cost units per window shared by the whole fleet; must be &gt; 0. */
        Builder limit(long limit);
    }

    /** Optional settings; each has the default its setter documents. */
    public static final class Builder {
        private final String name;
        private final long limit;
        private Duration window = DEFAULT_WINDOW;
        private Ceilings ceilings = Ceilings.DEFAULT;
        private ThrottleRecovery recovery = ThrottleRecovery.DEFAULT;

        private Builder(String name, long limit) {
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

        public Budget build() {
            return new Budget(name, limit, window, ceilings, recovery);
        }
    }
}
