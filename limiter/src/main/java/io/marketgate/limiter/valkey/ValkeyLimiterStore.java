package io.marketgate.limiter.valkey;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.DenialMemoryStore;
import io.marketgate.limiter.ForwardingLimiterStore;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.Priority;
import java.util.List;

/**
 * The limiter's budgets in Valkey or Redis (standalone, or cluster such as ElastiCache Serverless): every
 * decision is one EVALSHA of {@code limiter.lua}, atomic on the server and timed by the server's clock.
 *
 * <pre>{@code
 * LimiterStore store = ValkeyLimiterStore.standalone("redis://127.0.0.1:6379");
 * LimiterStore prod = ValkeyLimiterStore.cluster(List.of("rediss://my-cache.serverless.apn2.cache.amazonaws.com:6379"),
 *         ValkeyStoreOptions.builder().username("limiter").password(secret).build());
 * PriorityLimiter limiter = PriorityLimiter.builder().budgets(budgets).store(store).build();
 * }</pre>
 *
 * <p>Parts: {@code ValkeyConnection} (the client, the script, the timeouts), {@code DecideScript} (KEYS and ARGV of
 * each operation and what its reply means) and {@code MarketLanes} (decisions coalesced per market), with a
 * {@link DenialMemoryStore} in front unless {@link ValkeyStoreOptions#denialMemory()} is zero.
 *
 * <p>Keys: {@code <prefix>:{<market>}:<budget>:log}, a sorted set with one member per admitted cost unit scored by
 * its admission time in µs, and {@code <prefix>:{<market>}:<budget>:ctl}, a hash with the operator's override and
 * pauses and the throttle state. The {@code {market}} hash tag puts all budgets of a market in one cluster slot, so
 * a call on several budgets of a market is one script. Both keys expire on their own. An instance
 * ({@code coupang/vendor:V1}) also obeys the pauses and the override of its configured budget's ctl
 * ({@code …:vendor:ctl}), which its decisions read in the same script; a control operation on any budget of a market
 * forgets what this store remembered of the market's denials ({@link DenialMemoryStore}), its instances' included.
 *
 * <p>Coalescing ({@link ValkeyStoreOptions.Builder#coalesce(boolean)}, on by default): while {@value #MAX_IN_FLIGHT}
 * decide scripts of a market are in flight on this store's connection, further decisions of that market wait and then
 * go together, up to {@value #MAX_BATCH} in one script call, which decides them in order, each exactly as if it had
 * been its own call at the same server time. Replies on one connection come back in the order the scripts were sent,
 * and each script runs atomically after the ones before it, so several in flight keep the server busy while the callers
 * of the last batch are woken, without changing what any decision sees. A lone caller never waits; under load the server
 * runs one script per batch instead of one per decision. A failure of the script call (timeout, disconnect) fails
 * every decision of its batch.
 *
 * <p>One thread-safe connection per store; while it is down, commands fail at once (instead of queueing) with
 * {@link LimiterStoreUnavailableException}, and the connection is re-established in the background within
 * 10 to 500 ms. Thread-safe.
 */
public final class ValkeyLimiterStore extends ForwardingLimiterStore {

    /** The most decisions one script call takes. */
    static final int MAX_BATCH = DecideScript.MAX_BATCH;
    /** Decide scripts of one market in flight at once before further decisions wait to be batched. */
    static final int MAX_IN_FLIGHT = MarketLanes.MAX_IN_FLIGHT;

    private final ValkeyScriptStore scripts;

    private ValkeyLimiterStore(ValkeyConnection connection, ValkeyStoreOptions options) {
        this(new ValkeyScriptStore(connection, options), options);
    }

    /** The script store, behind a denial memory unless the options turn it off. */
    private ValkeyLimiterStore(ValkeyScriptStore scripts, ValkeyStoreOptions options) {
        super(options.denialMemory().isZero() ? scripts : DenialMemoryStore.wrap(scripts, options.denialMemory(), options.ticker()));
        this.scripts = scripts;
    }

    /** A store on one server, {@code redis://host:port} ({@code rediss://} for TLS), with default options. */
    public static ValkeyLimiterStore standalone(String uri) {
        return standalone(uri, ValkeyStoreOptions.defaults());
    }

    /**
     * A store on one server, {@code redis://host:port} ({@code rediss://} for TLS).
     *
     * @throws IllegalArgumentException           when the URI is malformed
     * @throws LimiterStoreUnavailableException   when the server cannot be reached
     */
    public static ValkeyLimiterStore standalone(String uri, ValkeyStoreOptions options) {
        return new ValkeyLimiterStore(ValkeyConnection.standalone(uri, options), options);
    }

    /**
     * A store on a cluster, found through {@code seedUris} ({@code redis://host:port} or {@code rediss://…}); the
     * topology is refreshed periodically, whenever a node moves slots or disconnects, and when a command fails (at most
     * once a second), so the store follows a failover. It opens while a primary is down (its slots fail meanwhile).
     *
     * @throws IllegalArgumentException           when no URI is given or one is malformed
     * @throws LimiterStoreUnavailableException   when no seed can be reached
     */
    public static ValkeyLimiterStore cluster(List<String> seedUris, ValkeyStoreOptions options) {
        return new ValkeyLimiterStore(ValkeyConnection.cluster(seedUris, options), options);
    }

    /** {@code valkey redis://host:port} or {@code valkey-cluster [redis://host:port, …]}; never credentials. */
    @Override
    public String describe() {
        return scripts.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- for tests

    /**
     * Decides {@code calls} in one script call, in order, as the coalescing path would batch them; for tests of the
     * batch's semantics.
     */
    List<Decision> decideBatch(List<BatchCall> calls) {
        return scripts.decideBatch(calls);
    }

    /** One call of {@link #decideBatch}. */
    record BatchCall(List<Budget> budgets, Priority priority, int cost) {}

    /** How many decide script calls this store has sent: batches, or single decisions without coalescing. */
    long decideScriptCalls() {
        return scripts.lanes().decideScriptCalls();
    }

    /** How many of this store's decide script calls held more than one decision. */
    long batchedScriptCalls() {
        return scripts.lanes().batchedScriptCalls();
    }
}
