package io.marketgate.marketsim;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A rate limit the simulated market enforces, and against which {@link ComplianceChecker} judges a run.
 *
 * <ul>
 *   <li>{@link Kind#SLIDING_WINDOW}: at most {@code limit} admitted calls in any window {@code (t − window, t]}.</li>
 *   <li>{@link Kind#LEAKY_BUCKET}: a bucket of {@code limit} calls that drains {@code limit} per {@code window}
 *       continuously (Cafe24: 40, drains 2/s, so {@code leakyBucket("mall", SELLER, 40, Duration.ofMillis(500))}
 *       has a window of 20 s).</li>
 * </ul>
 *
 * <pre>{@code
 * MarketBudget vendor = MarketBudget.slidingWindow("vendor", Scope.API_KEY, 10, Duration.ofSeconds(1));
 * MarketBudget list = MarketBudget.slidingWindow("last-changed", Scope.API_KEY_ENDPOINT, 2, Duration.ofSeconds(1))
 *         .forEndpoints(Endpoint.LIST_ORDERS);
 * }</pre>
 *
 * @param endpoints the endpoints whose calls this budget counts; by default every served endpoint
 */
public record MarketBudget(String name, Scope scope, Kind kind, long limit, Duration window, Set<Endpoint> endpoints) {

    /** How a budget counts. */
    public enum Kind { SLIDING_WINDOW, LEAKY_BUCKET }

    /** Every endpoint a market serves: all but {@link Endpoint#AUTHORIZE} (a consent page) and {@link Endpoint#UNKNOWN}. */
    private static final Set<Endpoint> SERVED = EnumSet.complementOf(EnumSet.of(Endpoint.AUTHORIZE, Endpoint.UNKNOWN));

    public MarketBudget {
        if (name == null || !MarketConfig.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("budget name '" + name + "' must be lower-case letters, digits, '-', '_' or '.'");
        }
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(kind, "kind");
        if (limit <= 0) {
            throw new IllegalArgumentException("budget " + name + ": limit is " + limit + ", must be > 0");
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("budget " + name + ": window is " + window + ", must be > 0 and ≤ 1 day");
        }
        if (kind == Kind.LEAKY_BUCKET && limit > Long.MAX_VALUE / 4 / window.toNanos()) {
            throw new IllegalArgumentException("budget " + name + ": a leaky bucket of " + limit + " over " + window
                    + " is too large to simulate exactly");
        }
        Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.isEmpty() || endpoints.contains(Endpoint.UNKNOWN)) {
            throw new IllegalArgumentException("budget " + name + ": endpoints must name served endpoints, got " + endpoints);
        }
        endpoints = Set.copyOf(endpoints);
    }

    /** At most {@code limit} calls in any sliding {@code window}, counted per {@code scope}, on every endpoint. */
    public static MarketBudget slidingWindow(String name, Scope scope, long limit, Duration window) {
        return new MarketBudget(name, scope, Kind.SLIDING_WINDOW, limit, window, SERVED);
    }

    /** A leaky bucket of {@code capacity} calls of which one drains every {@code leakInterval}. */
    public static MarketBudget leakyBucket(String name, Scope scope, long capacity, Duration leakInterval) {
        Objects.requireNonNull(leakInterval, "leakInterval");
        return new MarketBudget(name, scope, Kind.LEAKY_BUCKET, capacity, leakInterval.multipliedBy(capacity), SERVED);
    }

    /** This budget restricted to the given endpoints. */
    public MarketBudget forEndpoints(Endpoint... only) {
        return new MarketBudget(name, scope, kind, limit, window, Set.of(only));
    }

    /** Whether calls to {@code endpoint} draw from this budget. */
    public boolean appliesTo(Endpoint endpoint) {
        return endpoints.contains(endpoint);
    }

    public long windowNanos() {
        return window.toNanos();
    }
}
