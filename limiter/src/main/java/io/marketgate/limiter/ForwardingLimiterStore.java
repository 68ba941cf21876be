package io.marketgate.limiter;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A store that hands every operation to another: the base of a store that puts something in front of the one that
 * decides (a {@link DenialMemoryStore}) or that changes one operation and keeps the rest, overriding only what it
 * changes.
 *
 * <pre>{@code
 * final class Logged extends ForwardingLimiterStore {
 *     Logged(LimiterStore store) { super(store); }
 *     public Decision decide(List<Budget> budgets, Priority priority, int cost) {
 *         Decision d = super.decide(budgets, priority, cost);
 *         log.debug("{} {}", budgets, d);
 *         return d;
 *     }
 * }
 * }</pre>
 */
public abstract class ForwardingLimiterStore implements LimiterStore {

    private final LimiterStore delegate;

    protected ForwardingLimiterStore(LimiterStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store every operation goes to. */
    protected final LimiterStore delegate() {
        return delegate;
    }

    @Override
    public Decision decide(List<Budget> budgets, Priority priority, int cost) {
        return delegate.decide(budgets, priority, cost);
    }

    @Override
    public void reportThrottled(Budget budget, Duration cooldown) {
        delegate.reportThrottled(budget, cooldown);
    }

    @Override
    public long observeMarketLevel(Budget budget, long marketUsed, long marketCapacity, long grantMicros) {
        return delegate.observeMarketLevel(budget, marketUsed, marketCapacity, grantMicros);
    }

    @Override
    public void overrideLimit(Budget budget, long limit, Duration ttl) {
        delegate.overrideLimit(budget, limit, ttl);
    }

    @Override
    public void clearOverride(Budget budget) {
        delegate.clearOverride(budget);
    }

    @Override
    public void pause(Budget budget, Priority priority, Duration ttl) {
        delegate.pause(budget, priority, ttl);
    }

    @Override
    public void resume(Budget budget, Priority priority) {
        delegate.resume(budget, priority);
    }

    @Override
    public BudgetStatus status(Budget budget) {
        return delegate.status(budget);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
