package io.marketgate.limiter;

import java.time.Duration;

/**
 * Live operator control of budgets, stored in the shared store and read by every decision in the same round
 * trip: every instance of the fleet sees a change at its next call. Each change has an expiry so that a
 * forgotten override cannot outlive the incident it was made for.
 *
 * <p>A budget of a per-seller, -vendor or -mall scope is one window per instance ({@code coupang/vendor:V1}). A pause
 * or override of its configured name ({@code coupang/vendor}) applies to every instance: an instance is paused while
 * either is, and its limit is its own override while one is active, else the configured budget's. Changing one
 * instance changes that instance alone.
 *
 * <pre>{@code
 * limiter.control().pause("coupang/vendor", Priority.LOW, Duration.ofMinutes(15));
 * limiter.control().overrideLimit("naver/orders", 1, Duration.ofMinutes(30));
 * BudgetStatus s = limiter.control().status("coupang/vendor");
 * }</pre>
 */
public interface LimiterControl {

    /** The longest a pause or override may last. */
    Duration MAX_TTL = Duration.ofDays(7);

    /** Uses {@code limit} instead of the configured limit until {@code ttl} has passed; limit must be &gt; 0. */
    void overrideLimit(String budget, long limit, Duration ttl);

    /** Goes back to the configured limit now. */
    void clearOverride(String budget);

    /** Admits nothing of {@code priority} on the budget until {@code ttl} has passed. */
    void pause(String budget, Priority priority, Duration ttl);

    /** Ends a pause now. */
    void resume(String budget, Priority priority);

    /** What the store holds for the budget now. */
    BudgetStatus status(String budget);
}
