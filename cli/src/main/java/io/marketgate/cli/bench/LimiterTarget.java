package io.marketgate.cli.bench;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;

/**
 * This limiter: a {@link PriorityLimiter} with one budget, {@code tryAcquire} of a MEDIUM call of cost 1, on the
 * Valkey store (the same Redis server as the others) or, before that store exists, on the in-memory store.
 */
final class LimiterTarget implements BenchTarget {

    /** Which store the limiter decides in. */
    enum Store {
        VALKEY,
        MEMORY
    }

    static final String NAME = "this limiter";
    /** The same limiter with {@code ValkeyStoreOptions.coalesce(false)}: one script call per decision. */
    static final String NAME_NO_COALESCING = "this limiter (no coalescing)";

    private final Scenario scenario;
    private final Store store;
    private final boolean coalesce;
    private final String budget;
    private final Call call;
    private PriorityLimiter limiter;

    LimiterTarget(Scenario scenario, Store store) {
        this(scenario, store, true);
    }

    /** {@code coalesce}: the Valkey store's option; without it, every decision is its own script call. */
    LimiterTarget(Scenario scenario, Store store, boolean coalesce) {
        this.scenario = scenario;
        this.store = store;
        this.coalesce = coalesce;
        // one budget per scenario (and variant), so that the denials' full window does not linger into the grants'
        // run, and so that the two variants do not share a budget
        this.budget = (coalesce ? "bench/" : "benchsolo/") + scenario.keySuffix();
        this.call = Call.of(Priority.MEDIUM, budget);
    }

    @Override
    public String name() {
        return coalesce ? NAME : NAME_NO_COALESCING;
    }

    @Override
    public String description() {
        String on = store == Store.VALKEY
                ? "ValkeyLimiterStore.standalone(uri" + (coalesce ? "" : ", coalesce(false)") + "), connections as the store makes them"
                : "InMemoryLimiterStore (no Redis: not comparable with the others)";
        return "PriorityLimiter.tryAcquire(MEDIUM, " + budget + ") on " + on;
    }

    @Override
    public void setUp(String uri) {
        LimiterStore s;
        if (store == Store.VALKEY) {
            try {
                s = ValkeyLimiterStore.standalone(uri, ValkeyStoreOptions.builder().coalesce(coalesce).build());
            } catch (UnsupportedOperationException e) {
                throw new BenchException("this build has no working ValkeyLimiterStore (" + e.getMessage()
                        + "); run with --limiter-store memory or --limiter-store none", e);
            }
        } else {
            s = InMemoryLimiterStore.create();
        }
        limiter = PriorityLimiter.builder()
                .budget(Budget.named(budget).limit(scenario.limit()).window(scenario.window()).build())
                .store(s)
                .build();
    }

    @Override
    public boolean decide() {
        Decision d = limiter.tryAcquire(call);
        // a store failure would show as fast fail-closed denials: that must stop the bench, not flatter it
        if (d.decidedBy() != Decision.DecidedBy.STORE) {
            throw new BenchException("the limiter's store did not decide: " + d.reason() + ", decided by " + d.decidedBy());
        }
        return d.granted();
    }

    @Override
    public void close() {
        if (limiter != null) {
            limiter.close();
        }
    }
}
