package io.marketgate.market;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How full the market says its own rate-limit bucket is, as it reports on an answer (Cafe24's
 * {@code X-Api-Call-Limit: 12/40} per mall, with its usage headers): market feedback beside the answer itself, which
 * {@link MarketClient} hands to its {@link MarketCallListener#onBucketLevel listener} for every answer that carries it.
 *
 * <p>The market's bucket counts every caller of the mall (other apps installed on it too), so its level can be higher
 * than the fleet's own budget believes. {@link MarketClient} therefore hands the level of each of {@link #budgets()} to
 * the limiter ({@link io.marketgate.limiter.PriorityLimiter#observeMarketLevel}), which lowers the budget's room to the
 * market's, so that the fleet neither waits for room the market has nor draws a 429 for room it lacks (see
 * {@code docs/limiter.md}, "Market feedback"; {@link MarketClient.Builder#followMarketLevel} turns it off).
 *
 * <pre>{@code
 * MarketClient.builder(limiter, adapter).listener(new MarketCallListener() {
 *     public void onOutcome(PlannedCall c, Priority p, CallOutcome o, Duration d) {}
 *     public void onBucketLevel(PlannedCall c, BucketLevel level) { metrics.gauge("MarketBucketUsed", level.fill()); }
 * });
 * }</pre>
 *
 * @param budgets the call's budgets that model the market's bucket and follow its level (configured with
 *     {@code followsMarketLevel: true}; Cafe24's per-mall budget, not its per-second one), keyed as the call's; empty
 *     when none is configured to follow it
 * @param used the calls in the bucket after this one, as the market counts them
 * @param capacity the bucket's capacity
 * @param usage the market's other usage figures by header name ({@code X-Cafe24-Call-Usage} → {@code 12.50}), in the
 *     order received; empty when it gave none
 */
public record BucketLevel(List<String> budgets, long used, long capacity, Map<String, String> usage) {

    public BucketLevel {
        budgets = List.copyOf(budgets);
        Objects.requireNonNull(usage, "usage");
        usage = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(usage));
        if (capacity < 1 || used < 0) {
            throw new IllegalArgumentException("a bucket of " + used + "/" + capacity + " must have used ≥ 0 and capacity ≥ 1");
        }
    }

    /** {@code used / capacity}, from 0 (empty) up; above 1 the market has refused calls. */
    public double fill() {
        return (double) used / capacity;
    }

    /** The calls that still fit before the market refuses ({@code capacity − used}, at least 0). */
    public long room() {
        return Math.max(0, capacity - used);
    }
}
