package io.marketgate.limiter;

import java.time.Duration;
import java.util.List;

/**
 * Where a fleet's budgets live and where the rule is applied: every method is atomic in the store and uses
 * the store's own clock. Implementations: {@link io.marketgate.limiter.memory.InMemoryLimiterStore} (one JVM,
 * the embedded default), {@link io.marketgate.limiter.valkey.ValkeyLimiterStore} (Valkey/Redis, standalone
 * or cluster), and {@code io.marketgate.limiter.dynamodb.DynamoDbLimiterStore} in module
 * {@code marketgate-limiter-dynamodb} (a DynamoDB table, atomic per item by conditional writes; DynamoDB has no clock,
 * so its clock is the caller's, with a tolerance for skew between callers). A new store is done when it passes the
 * limiter's contract suite ({@code LimiterStoreContract} in the test jar).
 *
 * <p>Callers go through {@link PriorityLimiter}, which validates calls before they reach a store; a store may
 * assume valid arguments. A store that cannot be reached throws {@link LimiterStoreUnavailableException}.
 */
public interface LimiterStore extends AutoCloseable {

    /**
     * Admits a call of {@code cost} at {@code priority} on all of {@code budgets} (one market) or on none.
     * A denial consumes nothing anywhere.
     */
    Decision decide(List<Budget> budgets, Priority priority, int cost);

    /** Starts a cool-down of {@code cooldown} and lowers the effective limit (see {@link ThrottleRecovery}). */
    void reportThrottled(Budget budget, Duration cooldown);

    /** Replaces the budget's limit by {@code limit} until {@code ttl} has passed. */
    void overrideLimit(Budget budget, long limit, Duration ttl);

    /** Removes a limit override, if any. */
    void clearOverride(Budget budget);

    /** Admits nothing of {@code priority} on the budget until {@code ttl} has passed. */
    void pause(Budget budget, Priority priority, Duration ttl);

    /** Ends a pause of {@code priority}, if any. */
    void resume(Budget budget, Priority priority);

    /**
     * The market answered a call that this store granted at {@code grantMicros} (the grant's
     * {@link Decision#storeTimeMicros()}) and said that its own bucket for {@code budget} now holds {@code marketUsed} of
     * {@code marketCapacity} calls (Cafe24's {@code X-Api-Call-Limit}), counting every caller of the market, not only this
     * fleet. When the budget has more room than the market, the store adds <em>market units</em> to the budget's window
     * until the room of HIGH equals the market's room ({@code marketCapacity − marketUsed}, less the slack
     * {@code marketCapacity − limit} when positive, at least 0: see {@link MarketUnits#missing}); the k-th of them leaves
     * the window {@code k × window / limit} after now, so that room comes back at the budget's own rate. Units granted
     * after {@code grantMicros} are calls the market had not counted yet: they keep their room taken on top.
     * Nothing is ever removed: a market emptier than the budget adds no room. One atomic step, like a decision, so two
     * instances observing the same level add the units once. See {@code docs/limiter.md}, "Market feedback".
     *
     * @return the market units added (0 when the budget had no more room than the market)
     */
    long observeMarketLevel(Budget budget, long marketUsed, long marketCapacity, long grantMicros);

    /** Usage per priority over the last (configured, not counted) window, limits, overrides, pauses and cool-down. */
    BudgetStatus status(Budget budget);

    /** A short description for logs and the CLI, for example {@code valkey redis://host:6379}. */
    String describe();

    @Override
    default void close() {}
}
