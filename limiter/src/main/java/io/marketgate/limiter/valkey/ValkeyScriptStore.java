package io.marketgate.limiter.valkey;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.List;

/**
 * The store itself, without a denial memory: every decision and operation is one script call on the connection, put
 * together by the wire format, decisions through the market lanes.
 */
final class ValkeyScriptStore implements LimiterStore {

    private final ValkeyConnection connection;
    private final DecideScript wire;
    private final MarketLanes lanes;

    ValkeyScriptStore(ValkeyConnection connection, ValkeyStoreOptions options) {
        this.connection = connection;
        this.wire = new DecideScript(options.keyPrefix());
        this.lanes = new MarketLanes(connection, wire, options.coalesce());
    }

    @Override
    public Decision decide(List<Budget> budgets, Priority priority, int cost) {
        return lanes.decide(wire.call(budgets, priority, cost));
    }

    /** Decides {@code calls} in one script call, in order, as a lane would batch them; for tests of the batch. */
    List<Decision> decideBatch(List<ValkeyLimiterStore.BatchCall> calls) {
        return lanes.decideBatch(calls.stream().map(c -> wire.call(c.budgets(), c.priority(), c.cost())).toList());
    }

    MarketLanes lanes() {
        return lanes;
    }

    @Override
    public void reportThrottled(Budget budget, Duration cooldown) {
        run(wire.throttle(budget, cooldown));
    }

    @Override
    public long observeMarketLevel(Budget budget, long marketUsed, long marketCapacity, long grantMicros) {
        return DecideScript.observed(run(wire.observe(budget, marketUsed, marketCapacity, grantMicros)));
    }

    @Override
    public void overrideLimit(Budget budget, long limit, Duration ttl) {
        run(wire.override(budget, limit, ttl));
    }

    @Override
    public void clearOverride(Budget budget) {
        run(wire.clear(budget));
    }

    @Override
    public void pause(Budget budget, Priority priority, Duration ttl) {
        run(wire.pause(budget, priority, ttl));
    }

    @Override
    public void resume(Budget budget, Priority priority) {
        run(wire.resume(budget, priority));
    }

    @Override
    public BudgetStatus status(Budget budget) {
        return DecideScript.status(budget, run(wire.status(budget)));
    }

    private List<Object> run(DecideScript.Script script) {
        return connection.run(script.keys(), script.args());
    }

    @Override
    public String describe() {
        return connection.description();
    }

    @Override
    public void close() {
        connection.close();
    }
}
