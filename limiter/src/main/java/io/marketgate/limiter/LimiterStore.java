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

    /** Usage per priority over the last window, limits, overrides, pauses and cool-down. */
    BudgetStatus status(Budget budget);

    /** A short description for logs and the CLI, for example {@code valkey redis://host:6379}. */
    String describe();

    @Override
    default void close() {}
}
