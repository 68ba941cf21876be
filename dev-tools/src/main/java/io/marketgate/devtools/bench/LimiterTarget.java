package io.marketgate.devtools.bench;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import java.time.Duration;

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
    /** The same limiter with {@code ValkeyStoreOptions.denialMemory(ZERO)}: every denial is the server's. */
    static final String NAME_NO_DENIAL_MEMORY = "this limiter (no denial memory)";
    /** The same limiter with neither coalescing nor denial memory: one script call per decision. */
    static final String NAME_NO_COALESCING = "this limiter (no coalescing)";

    /** Which of the Valkey store's options the run uses. */
    enum Variant {
        DEFAULT(NAME, "bench/", true, true),
        NO_DENIAL_MEMORY(NAME_NO_DENIAL_MEMORY, "benchnomem/", true, false),
        NO_COALESCING(NAME_NO_COALESCING, "benchsolo/", false, false);

        final String displayName;
        final String budgetPrefix;
        final boolean coalesce;
        final boolean denialMemory;

        Variant(String displayName, String budgetPrefix, boolean coalesce, boolean denialMemory) {
            this.displayName = displayName;
            this.budgetPrefix = budgetPrefix;
            this.coalesce = coalesce;
            this.denialMemory = denialMemory;
        }
    }

    private final Scenario scenario;
    private final Store store;
    private final Variant variant;
    private final String budget;
    private final Call call;
    private PriorityLimiter limiter;

    LimiterTarget(Scenario scenario, Store store) {
        this(scenario, store, Variant.DEFAULT);
    }

    LimiterTarget(Scenario scenario, Store store, Variant variant) {
        this.scenario = scenario;
        this.store = store;
        this.variant = variant;
        // one budget per scenario and variant, so that the denials' full window does not linger into the grants'
        // run, and so that the variants do not share a budget
        this.budget = variant.budgetPrefix + scenario.keySuffix();
        this.call = Call.of(Priority.MEDIUM, budget);
    }

    @Override
    public String name() {
        return variant.displayName;
    }

    @Override
    public String description() {
        String options = (variant.coalesce ? "" : ", coalesce(false)") + (variant.denialMemory ? "" : ", denialMemory(0)");
        String on = store == Store.VALKEY
                ? "ValkeyLimiterStore.standalone(uri, commandTimeout(10s)" + options + "), connections as the store makes them"
                : "InMemoryLimiterStore (no Redis: not comparable with the others)";
        return "PriorityLimiter.tryAcquire(MEDIUM, " + budget + ") on " + on;
    }

    @Override
    public void setUp(String uri) {
        LimiterStore s;
        if (store == Store.VALKEY) {
            try {
                // the peers wait for Lettuce's and Redisson's defaults (many seconds), so this limiter does too: its
                // production timeout of 200 ms would turn a hiccup of a loaded machine into an aborted run
                ValkeyStoreOptions.Builder options = ValkeyStoreOptions.builder().coalesce(variant.coalesce)
                        .commandTimeout(Duration.ofSeconds(10));
                if (!variant.denialMemory) {
                    options.denialMemory(Duration.ZERO);
                }
                s = ValkeyLimiterStore.standalone(uri, options.build());
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
        // a store failure would show as fast fail-closed denials: that must stop the bench, not flatter it. A denial
        // repeated from the store's denial memory is the server's answer of moments ago (grants never are).
        boolean remembered = d.decidedBy() == Decision.DecidedBy.REMEMBERED && !d.granted();
        if (d.decidedBy() != Decision.DecidedBy.STORE && !remembered) {
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
