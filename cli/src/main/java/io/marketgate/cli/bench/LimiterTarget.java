package io.marketgate.cli.bench;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;

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

    private final Scenario scenario;
    private final Store store;
    private final String budget;
    private final Call call;
    private PriorityLimiter limiter;

    LimiterTarget(Scenario scenario, Store store) {
        this.scenario = scenario;
        this.store = store;
        // one budget per scenario, so that the denials' full window does not linger into the grants' run
        this.budget = "bench/" + scenario.keySuffix();
        this.call = Call.of(Priority.MEDIUM, budget);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        String on = store == Store.VALKEY
                ? "ValkeyLimiterStore.standalone(uri), connections as the store makes them"
                : "InMemoryLimiterStore (no Redis: not comparable with the others)";
        return "PriorityLimiter.tryAcquire(MEDIUM, " + budget + ") on " + on;
    }

    @Override
    public void setUp(String uri) {
        LimiterStore s;
        if (store == Store.VALKEY) {
            try {
                s = ValkeyLimiterStore.standalone(uri);
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
