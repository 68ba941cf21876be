package io.marketgate.devtools.bench;

import io.marketgate.embedded.aws.LocalAws;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.dynamodb.DynamoDbLimiterStore;
import io.marketgate.limiter.dynamodb.DynamoDbStoreOptions;
import io.marketgate.limiter.dynamodb.LimiterTable;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * This limiter on the DynamoDB store: a {@link PriorityLimiter} with one budget, {@code tryAcquire} of a MEDIUM call of
 * cost 1, against a DynamoDB-compatible server (the bench's dynalite, or {@code --dynamodb URL}). Its one budget is
 * one item, so every decision of the run contends for that item, the worst case of the store.
 *
 * <p>Two ways of calling it: {@link Mode#SHARED}, one store for every caller (one JVM with many threads: the store's
 * lock per item queues them, no write loses a race), and {@link Mode#PER_CALLER}, a store and a client per caller (as
 * many Lambda execution environments: their conditional writes race and the losers read again).
 */
final class DynamoDbTarget implements BenchTarget {

    /** The table the bench's DynamoDB targets use. */
    static final String TABLE = "marketgate-bench-limiter";
    /** Every count this target reports through {@link #statistics()} starts with this. */
    static final String COUNTER_PREFIX = "dynamodb.";
    static final String NAME_SHARED = "dynamodb store";
    static final String NAME_PER_CALLER = "dynamodb (store per caller)";
    /** The most callers a per-caller run may have: one store and HTTP client each. */
    private static final int MAX_CALLERS = 1024;

    /** How the callers share the store. */
    enum Mode {
        SHARED(NAME_SHARED, "ddb-shared"),
        PER_CALLER(NAME_PER_CALLER, "ddb-each");

        final String displayName;
        final String keyPrefix;

        Mode(String displayName, String keyPrefix) {
            this.displayName = displayName;
            this.keyPrefix = keyPrefix;
        }
    }

    private final Scenario scenario;
    private final Mode mode;
    private final URI endpoint;
    private final Budget budget;
    private final Call call;
    private final AtomicReferenceArray<PriorityLimiter> limiters = new AtomicReferenceArray<>(MAX_CALLERS);
    private final AtomicReferenceArray<DynamoDbLimiterStore> stores = new AtomicReferenceArray<>(MAX_CALLERS);

    DynamoDbTarget(Scenario scenario, Mode mode, URI endpoint) {
        this.scenario = scenario;
        this.mode = mode;
        this.endpoint = endpoint;
        // a market per scenario: one item each, so that the denials' full window is not in the grants' item
        this.budget = Budget.named("bench-" + scenario.keySuffix() + "/ddb").limit(scenario.limit()).window(scenario.window()).build();
        this.call = Call.of(Priority.MEDIUM, budget.name());
    }

    @Override
    public String name() {
        return mode.displayName;
    }

    @Override
    public String description() {
        return "PriorityLimiter.tryAcquire(MEDIUM, " + budget.name() + ") on DynamoDbLimiterStore, table " + TABLE + " at "
                + endpoint + (mode == Mode.SHARED ? ", one store for all callers" : ", a store and client per caller (as Lambdas)");
    }

    /** Makes the table; {@code uri} (the Redis server) is not used. */
    @Override
    public void setUp(String uri) {
        try (DynamoDbClient client = LocalAws.dynamoDb(endpoint)) {
            LimiterTable.create(client, TABLE);
        } catch (RuntimeException e) {
            throw new BenchException("cannot make table " + TABLE + " at " + endpoint + ": " + e.getMessage(), e);
        }
        limiter(0);
    }

    @Override
    public boolean decide() {
        return decide(0);
    }

    @Override
    public boolean decide(int caller) {
        Decision d = limiter(mode == Mode.SHARED ? 0 : caller).tryAcquire(call);
        boolean remembered = d.decidedBy() == Decision.DecidedBy.REMEMBERED && !d.granted();
        if (d.decidedBy() != Decision.DecidedBy.STORE && !remembered) {
            throw new BenchException("the DynamoDB store did not decide: " + d.reason() + ", decided by " + d.decidedBy());
        }
        return d.granted();
    }

    private PriorityLimiter limiter(int slot) {
        if (slot >= MAX_CALLERS) {
            throw new BenchException(mode.displayName + " takes at most " + MAX_CALLERS + " callers");
        }
        PriorityLimiter l = limiters.get(slot);
        if (l != null) {
            return l;
        }
        synchronized (this) {
            l = limiters.get(slot);
            if (l == null) {
                // the bench waits as long as the peers' clients do: a loaded machine must not abort the run
                DynamoDbLimiterStore store = DynamoDbLimiterStore.create(LocalAws.dynamoDb(endpoint),
                        DynamoDbStoreOptions.table(TABLE).keyPrefix(mode.keyPrefix).contentionTimeout(Duration.ofSeconds(30)).build());
                stores.set(slot, store);
                l = PriorityLimiter.builder().budget(budget).store(store).build();
                limiters.set(slot, l);
            }
            return l;
        }
    }

    /** What this target's stores have asked of DynamoDB so far, by {@link #COUNTER_PREFIX}-prefixed name. */
    Map<String, Long> statistics() {
        long reads = 0;
        long writes = 0;
        long lost = 0;
        long readUnits = 0;
        long writeUnits = 0;
        for (int i = 0; i < MAX_CALLERS; i++) {
            DynamoDbLimiterStore s = stores.get(i);
            if (s != null) {
                DynamoDbLimiterStore.Statistics st = s.statistics();
                reads += st.itemReads();
                writes += st.itemWrites();
                lost += st.lostRaces();
                readUnits += st.readUnits();
                writeUnits += st.writeUnits();
            }
        }
        Map<String, Long> m = new HashMap<>();
        m.put(COUNTER_PREFIX + "reads", reads);
        m.put(COUNTER_PREFIX + "writes", writes);
        m.put(COUNTER_PREFIX + "lost races", lost);
        m.put(COUNTER_PREFIX + "RCU", readUnits);
        m.put(COUNTER_PREFIX + "WCU", writeUnits);
        return m;
    }

    @Override
    public void close() {
        for (int i = 0; i < MAX_CALLERS; i++) {
            PriorityLimiter l = limiters.get(i);
            if (l != null) {
                l.close();
            }
        }
    }

    Scenario scenario() {
        return scenario;
    }
}
