package io.marketgate.limiter.valkey;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

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
 * <p>Keys: {@code <prefix>:{<market>}:<budget>:log}, a sorted set with one member per admitted cost unit scored by
 * its admission time in µs, and {@code <prefix>:{<market>}:<budget>:ctl}, a hash with the operator's override and
 * pauses and the throttle state. The {@code {market}} hash tag puts all budgets of a market in one cluster slot, so
 * a call on several budgets of a market is one script. Both keys expire on their own. An instance
 * ({@code coupang/vendor:V1}) also obeys the pauses and the override of its configured budget's ctl
 * ({@code …:vendor:ctl}), which its decisions read in the same script; a control operation on any budget of a market
 * forgets what this store remembered of the market's denials ({@link DenialMemory}), its instances' included.
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
public final class ValkeyLimiterStore implements LimiterStore {

    private static final String SCRIPT_RESOURCE = "limiter.lua";
    private static final byte[] SCRIPT = loadScript();
    private static final String SCRIPT_SHA = sha1Hex(SCRIPT);

    /** ARGV before the per-budget values: operation and up to three operands (see {@code limiter.lua}). */
    private static final int HEADER = 4;
    /** ARGV per budget. */
    private static final int BLOCK = 8;
    /**
     * ARGV per budget of a decide batch: the same values without the reduction, then this store's expiry cell for the
     * budget and its configured budget's ctl key.
     */
    private static final int DECIDE_BLOCK = 9;
    /** The cells of time in which {@code limiter.lua} writes a log's expiry once per caller: its CELL_MS. */
    private static final long CELL_MS = 256;
    /** ARGV of a decide batch before the per-budget values: 'decide' and the number of budgets. */
    private static final int DECIDE_HEADER = 2;
    /** ARGV of a lone call of cost 1 on one budget before the budget's decide values: 'one' and the log member. */
    private static final int ONE_HEADER = 2;
    /** ARGV per call of a decide batch on all of the batch's budgets: priority, cost, token, 0. */
    private static final int CALL_ARGS = 4;
    /** Reply values per call of a decide batch, after the batch's time. */
    private static final int CALL_REPLY = 6;
    /** The most decisions one script call takes. */
    static final int MAX_BATCH = 128;
    /**
     * Decide scripts of one market in flight at once on the connection before further decisions wait to be batched. A
     * waiting decision's latency is its wait for a free slot plus its batch's round trip, so few slots make callers
     * wait and many make small batches (a script per decision costs the server about four times the floor's). Measured
     * with {@code ./marketgate bench} on 2 cores: at 16 callers 2 slots reached about 0.83x the floor, 6 about 0.97x,
     * 16 (no batching at that load) 0.76x; at 64 callers 2 to 8 slots all about 1.3-1.45x.
     */
    static final int MAX_IN_FLIGHT = 6;
    /** Budget combinations whose keys and arguments are kept ready; beyond this the cache starts over. */
    private static final int MAX_PREPARED = 10_000;

    private static final byte[] OP_DECIDE = ascii("decide");
    private static final byte[] OP_ONE = ascii("one");
    private static final byte[] OP_THROTTLE = ascii("throttle");
    private static final byte[] OP_OVERRIDE = ascii("override");
    private static final byte[] OP_CLEAR = ascii("clear");
    private static final byte[] OP_PAUSE = ascii("pause");
    private static final byte[] OP_RESUME = ascii("resume");
    private static final byte[] OP_STATUS = ascii("status");
    private static final byte[] NONE = ascii("0");
    private static final byte[][] PRIORITY = {ascii("0"), ascii("1"), ascii("2")};
    private static final byte[][] SMALL_NUMBERS = new byte[65][];
    private static final Decision.Reason[] REASONS = {Decision.Reason.GRANTED, Decision.Reason.CEILING_REACHED,
            Decision.Reason.PAUSED, Decision.Reason.COOLING_DOWN};

    static {
        for (int i = 0; i < SMALL_NUMBERS.length; i++) {
            SMALL_NUMBERS[i] = ascii(Integer.toString(i));
        }
    }

    private final String description;
    private final String keyPrefix;
    private final long timeoutNanos;
    /**
     * How long loading the script may take when the store opens: part of connecting (a cluster client reaches every
     * primary for it, a cold Lambda instance does its TLS handshakes), so the longer of the command and connect timeouts.
     */
    private final long startupTimeoutNanos;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisScriptingAsyncCommands<byte[], byte[]> commands;
    /** Makes the log members of this store's grants unique among every store of the fleet. */
    private final byte[] tokenPrefixBytes;
    private final Map<List<Budget>, Prepared> prepared = new ConcurrentHashMap<>();
    private final boolean coalesce;
    /** How long a ceiling denial is repeated from memory at most; 0: never (see {@link DenialMemory}). */
    private final long denialMemoryNanos;
    private final LongSupplier ticker;
    /** Decisions waiting for a batch, per market. */
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Decide script calls sent (batches, and single decisions when not coalescing), for tests. */
    private final AtomicLong decideScripts = new AtomicLong();

    private ValkeyLimiterStore(String description, ValkeyStoreOptions options, ClientResources resources,
            AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
            RedisScriptingAsyncCommands<byte[], byte[]> commands) {
        this.description = description;
        this.keyPrefix = options.keyPrefix();
        this.timeoutNanos = options.commandTimeout().toNanos();
        this.startupTimeoutNanos = Math.max(timeoutNanos, options.connectTimeout().toNanos());
        this.coalesce = options.coalesce();
        this.denialMemoryNanos = options.denialMemory().toNanos();
        this.ticker = options.ticker();
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.tokenPrefixBytes = ascii(Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + '.');
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
        Objects.requireNonNull(options, "options");
        RedisURI redisUri = redisUri(uri, options);
        String description = "valkey " + display(redisUri);
        ClientResources resources = resources();
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(common(ClientOptions.builder(), options).build());
        return open(description, options, resources, client, () -> client.connect(ByteArrayCodec.INSTANCE),
                StatefulRedisConnection::async);
    }

    /**
     * A store on a cluster, found through {@code seedUris} ({@code redis://host:port} or {@code rediss://…}); the
     * topology is refreshed periodically and whenever a node moves slots or disconnects.
     *
     * @throws IllegalArgumentException           when no URI is given or one is malformed
     * @throws LimiterStoreUnavailableException   when no seed can be reached
     */
    @SuppressWarnings("deprecation") // Lettuce 7 deprecates adaptive refresh triggers but has no replacement yet
    public static ValkeyLimiterStore cluster(List<String> seedUris, ValkeyStoreOptions options) {
        Objects.requireNonNull(options, "options");
        if (seedUris == null || seedUris.isEmpty()) {
            throw new IllegalArgumentException("a cluster store needs at least one seed URI");
        }
        List<RedisURI> uris = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (String s : seedUris) {
            RedisURI u = redisUri(s, options);
            uris.add(u);
            shown.add(display(u));
        }
        String description = "valkey-cluster " + shown;
        ClientResources resources = resources();
        RedisClusterClient client = RedisClusterClient.create(resources, uris);
        client.setOptions(common(ClusterClientOptions.builder(), options)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .enableAdaptiveRefreshTrigger(RefreshTrigger.MOVED_REDIRECT, RefreshTrigger.ASK_REDIRECT,
                                RefreshTrigger.PERSISTENT_RECONNECTS, RefreshTrigger.UNCOVERED_SLOT,
                                RefreshTrigger.UNKNOWN_NODE)
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .build())
                .build());
        return open(description, options, resources, client, () -> client.connect(ByteArrayCodec.INSTANCE),
                StatefulRedisClusterConnection::async);
    }

    /** The options a standalone and a cluster client share. */
    private static <B extends ClientOptions.Builder> B common(B builder, ValkeyStoreOptions options) {
        builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                // every wait is bounded by the store itself (the command timeout): no per-command timer task,
                // which would cost a schedule and a cancel on Netty's timer thread for every decision
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .socketOptions(socketOptions(options));
        options.trustedCertificates().ifPresent(pem -> builder.sslOptions(
                SslOptions.builder().jdkSslProvider().trustManager(pem.toFile()).build()));
        return builder;
    }

    /** Connects, loads the script, and on any failure releases what was opened and names the store. */
    private static <C extends StatefulConnection<byte[], byte[]>> ValkeyLimiterStore open(String description,
            ValkeyStoreOptions options, ClientResources resources, AbstractRedisClient client, Supplier<C> connect,
            Function<C, ? extends RedisScriptingAsyncCommands<byte[], byte[]>> async) {
        C connection = null;
        try {
            connection = connect.get();
            ValkeyLimiterStore store = new ValkeyLimiterStore(description, options, resources, client, connection,
                    async.apply(connection));
            store.cacheScript();
            return store;
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            shutdown(client, resources);
            throw unavailable(description, e);
        }
    }

    @Override
    public Decision decide(List<Budget> budgets, Priority priority, int cost) {
        if (denialMemoryNanos == 0) {
            return decideInStore(budgets, priority, cost);
        }
        DenialMemory memory = prepare(budgets).denials;
        Decision remembered = memory.recall(priority, cost, ticker.getAsLong());
        if (remembered != null) {
            return remembered;
        }
        Decision d = decideInStore(budgets, priority, cost);
        if (!d.granted()) {
            memory.remember(priority, cost, d, ticker.getAsLong(), denialMemoryNanos);
        }
        return d;
    }

    private Decision decideInStore(List<Budget> budgets, Priority priority, int cost) {
        Request request = new Request(budgets, priority, cost, token());
        String market = budgets.get(0).market();
        if (!coalesce || !oneMarket(budgets, market)) {
            return decideAlone(request);
        }
        Lane lane = lanes.computeIfAbsent(market, m -> new Lane());
        Flight flight = null;
        synchronized (lane) {
            if (lane.flights.size() >= MAX_IN_FLIGHT) {
                lane.queue.add(request);
            } else {
                request.taken = true;
                flight = lane.launch();
            }
        }
        if (flight != null) {
            send(lane, flight, List.of(request), false);
        }
        return await(lane, request);
    }

    /**
     * Decides {@code calls} in one script call, in order, as the coalescing path would batch them; for tests of the
     * batch's semantics.
     */
    List<Decision> decideBatch(List<BatchCall> calls) {
        if (calls.isEmpty() || calls.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " calls, not " + calls.size());
        }
        List<Request> requests = new ArrayList<>();
        for (BatchCall c : calls) {
            requests.add(new Request(c.budgets(), c.priority(), c.cost(), token()));
        }
        Script script = script(requests);
        decideScripts.incrementAndGet();
        List<Object> reply = run(script.keys, script.args);
        noteGrants(script, reply);
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            decisions.add(decision(requests.get(i), reply, i));
        }
        return decisions;
    }

    /** One call of {@link #decideBatch}. */
    record BatchCall(List<Budget> budgets, Priority priority, int cost) {}

    /** How many decide script calls this store has sent: batches, or single decisions without coalescing. */
    long decideScriptCalls() {
        return decideScripts.get();
    }

    @Override
    public void reportThrottled(Budget budget, Duration cooldown) {
        control(budget, OP_THROTTLE, number(micros(cooldown)), NONE);
    }

    @Override
    public void overrideLimit(Budget budget, long limit, Duration ttl) {
        control(budget, OP_OVERRIDE, number(limit), number(micros(ttl)));
    }

    @Override
    public void clearOverride(Budget budget) {
        control(budget, OP_CLEAR, NONE, NONE);
    }

    @Override
    public void pause(Budget budget, Priority priority, Duration ttl) {
        control(budget, OP_PAUSE, PRIORITY[priority.ordinal()], number(micros(ttl)));
    }

    @Override
    public void resume(Budget budget, Priority priority) {
        control(budget, OP_RESUME, PRIORITY[priority.ordinal()], NONE);
    }

    @Override
    public BudgetStatus status(Budget budget) {
        Prepared p = prepare(List.of(budget));
        List<Object> r = run(p.keys, p.args(OP_STATUS, NONE, NONE, NONE));
        long now = at(r, 0);
        long effective = at(r, 1);
        Map<Priority, Long> usage = new EnumMap<>(Priority.class);
        Map<Priority, Instant> paused = new EnumMap<>(Priority.class);
        for (Priority q : Priority.values()) {
            usage.put(q, at(r, 2 + q.ordinal()));
            long pausedUntil = at(r, 7 + q.ordinal());
            if (pausedUntil > now) {
                paused.put(q, instant(pausedUntil));
            }
        }
        long overrideLimit = at(r, 5);
        long overrideUntil = at(r, 6);
        long cooldownUntil = at(r, 10);
        boolean overridden = overrideUntil > now;
        return new BudgetStatus(budget.name(), budget.limit(), effective, usage,
                overridden ? Optional.of(overrideLimit) : Optional.empty(),
                overridden ? Optional.of(instant(overrideUntil)) : Optional.empty(),
                paused,
                cooldownUntil > now ? Optional.of(instant(cooldownUntil)) : Optional.empty(),
                instant(now));
    }

    /** {@code valkey redis://host:port} or {@code valkey-cluster [redis://host:port, …]}; never credentials. */
    @Override
    public String describe() {
        return description;
    }

    /** Closes the connection and releases the client's threads. */
    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            shutdown(client, resources);
        }
    }

    @Override
    public String toString() {
        return description;
    }

    // ---- internals

    // ---- decide: alone, or coalesced per market

    /**
     * A member prefix unique to this call: the store's random prefix, the calling thread and that thread's own
     * counter, written straight into bytes. No counter shared by all callers, which a hot path of many threads would
     * contend on.
     */
    private byte[] token() {
        long[] counter = TOKEN_COUNTER.get();
        long n = ++counter[0];
        byte[] out = new byte[tokenPrefixBytes.length + 26];
        System.arraycopy(tokenPrefixBytes, 0, out, 0, tokenPrefixBytes.length);
        int i = tokenPrefixBytes.length;
        i = base36(Thread.currentThread().threadId(), out, i);
        out[i++] = '.';
        i = base36(n, out, i);
        return java.util.Arrays.copyOf(out, i);
    }

    private static final ThreadLocal<long[]> TOKEN_COUNTER = ThreadLocal.withInitial(() -> new long[1]);
    private static final byte[] DIGITS = ascii("0123456789abcdefghijklmnopqrstuvwxyz");

    /** Writes {@code v} (≥ 0) in base 36 at {@code at}; returns the index after it. */
    private static int base36(long v, byte[] out, int at) {
        int start = at;
        do {
            out[at++] = DIGITS[(int) (v % 36)];
            v /= 36;
        } while (v > 0);
        for (int l = start, r = at - 1; l < r; l++, r--) {
            byte t = out[l];
            out[l] = out[r];
            out[r] = t;
        }
        return at;
    }

    private static boolean oneMarket(List<Budget> budgets, String market) {
        for (int i = 1; i < budgets.size(); i++) {
            if (!budgets.get(i).market().equals(market)) {
                return false;
            }
        }
        return true;
    }

    private Decision decideAlone(Request request) {
        Script script = script(List.of(request));
        decideScripts.incrementAndGet();
        List<Object> reply = run(script.keys, script.args);
        noteGrants(script, reply);
        return decision(request, reply, 0);
    }

    /** The decisions of one market on this store waiting for their batch, and the batches in flight, oldest first. */
    private static final class Lane {
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        final ArrayDeque<Flight> flights = new ArrayDeque<>();

        /** Registers a batch about to be sent; guarded by the lane. */
        Flight launch() {
            Flight f = new Flight(System.nanoTime());
            flights.addLast(f);
            return f;
        }
    }

    /**
     * One batch in flight. A batch that never completes (which Lettuce's timeout rules out) would be given up after a
     * while; the completion of a given-up batch must not touch the lane any more.
     */
    private static final class Flight {
        final long sentAt;
        /** Guarded by the lane. */
        boolean abandoned;

        Flight(long sentAt) {
            this.sentAt = sentAt;
        }
    }

    /** One decision: its call, and once its batch is back, the reply or the failure. */
    private static final class Request {
        final List<Budget> budgets;
        final Priority priority;
        final int cost;
        final byte[] token;
        final Thread waiter = Thread.currentThread();
        /** Whether a batch has taken it from the queue; guarded by the lane. */
        boolean taken;
        /** System.nanoTime() when its batch was (last) sent; 0 before. */
        volatile long sentAt;
        volatile List<Object> reply;
        volatile int index;
        volatile Throwable failure;
        volatile boolean done;

        Request(List<Budget> budgets, Priority priority, int cost, byte[] token) {
            this.budgets = budgets;
            this.priority = priority;
            this.cost = cost;
            this.token = token;
        }

        void finish(List<Object> reply, int index, Throwable failure) {
            this.reply = reply;
            this.index = index;
            this.failure = failure;
            this.done = true;
            LockSupport.unpark(waiter);
        }
    }

    /** Sends a batch that has been taken from its lane; its completion sends the next one. */
    private void send(Lane lane, Flight flight, List<Request> batch, boolean eval) {
        Script script;
        RedisFuture<List<Object>> future;
        try {
            script = script(batch);
            long now = System.nanoTime();
            for (Request r : batch) {
                r.sentAt = now;
            }
            if (!eval) {
                decideScripts.incrementAndGet();
            }
            future = eval
                    ? commands.eval(SCRIPT, ScriptOutputType.MULTI, script.keys, script.args)
                    : commands.evalsha(SCRIPT_SHA, ScriptOutputType.MULTI, script.keys, script.args);
        } catch (RuntimeException e) {
            completed(lane, flight, batch, null, e);
            return;
        }
        future.whenComplete((reply, failure) -> {
            Throwable cause = failure;
            while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (!eval && cause instanceof RedisNoScriptException) {
                // a restarted server, or a cluster node that never saw the script: EVAL runs it and caches it there
                send(lane, flight, batch, true);
            } else {
                if (cause == null) {
                    try {
                        noteGrants(script, reply);
                    } catch (RuntimeException malformed) {
                        // the callers' decision() reports a malformed reply; the expiry cells only save work
                    }
                }
                completed(lane, flight, batch, reply, cause);
            }
        });
    }

    /** Sends the next batch of the lane, if any, then hands this batch's reply (or failure) to its callers. */
    private void completed(Lane lane, Flight flight, List<Request> batch, List<Object> reply, Throwable failure) {
        List<Request> next = null;
        Flight nextFlight = null;
        synchronized (lane) {
            if (!flight.abandoned) {
                lane.flights.remove(flight);
                next = take(lane);
                if (next != null) {
                    nextFlight = lane.launch();
                }
            }
        }
        if (next != null) {
            send(lane, nextFlight, next, false);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).finish(reply, i, failure);
        }
    }

    /**
     * The next batch of the lane, oldest first, at most {@value #MAX_BATCH} decisions; null when none waits. A
     * decision whose budget has the name of one already in the batch but other settings waits for a later batch.
     * Guarded by the lane.
     */
    private static List<Request> take(Lane lane) {
        if (lane.queue.isEmpty()) {
            return null;
        }
        List<Request> batch = new ArrayList<>(Math.min(lane.queue.size(), MAX_BATCH));
        List<Budget> first = null;
        Map<String, Budget> byName = null;
        for (Iterator<Request> it = lane.queue.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
            Request r = it.next();
            if (first == null) {
                first = r.budgets;
            } else if (!r.budgets.equals(first)) {
                if (byName == null) {
                    byName = new HashMap<>();
                    for (Budget b : first) {
                        byName.put(b.name(), b);
                    }
                }
                if (!fits(r.budgets, byName)) {
                    continue;
                }
            }
            it.remove();
            r.taken = true;
            batch.add(r);
        }
        return batch;
    }

    /** Adds {@code budgets} to the batch's budgets by name, unless one of them clashes with a different budget of its name. */
    private static boolean fits(List<Budget> budgets, Map<String, Budget> byName) {
        for (Budget b : budgets) {
            Budget known = byName.get(b.name());
            if (known != null && !known.equals(b)) {
                return false;
            }
        }
        for (Budget b : budgets) {
            byName.putIfAbsent(b.name(), b);
        }
        return true;
    }

    /**
     * Waits for the request's batch: at most the command timeout after it was sent, and while its batch waits for
     * the one in flight, at most as long as that one may take ({@code 2 ×} the timeout: EVALSHA, then EVAL).
     */
    private Decision await(Lane lane, Request r) {
        long enqueued = System.nanoTime();
        while (!r.done) {
            long sentAt = r.sentAt;
            long now = System.nanoTime();
            long deadline = sentAt != 0 ? sentAt + timeoutNanos : enqueued + 3 * timeoutNanos;
            if (now - deadline >= 0) {
                if (sentAt != 0) {
                    throw unavailable(description, new TimeoutException("no reply within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms"));
                }
                List<Request> batch = null;
                Flight flight = null;
                synchronized (lane) {
                    if (!r.taken) {
                        lane.queue.remove(r);
                        Flight oldest = lane.flights.peekFirst();
                        if (oldest != null && now - oldest.sentAt > 3 * timeoutNanos) {
                            // the batches in flight never completed: give them up, so that the market's decisions go on
                            lane.flights.forEach(f -> f.abandoned = true);
                            lane.flights.clear();
                        }
                        if (lane.flights.size() < MAX_IN_FLIGHT) {
                            batch = take(lane);
                            if (batch != null) {
                                flight = lane.launch();
                            }
                        }
                    }
                }
                if (batch != null) {
                    send(lane, flight, batch, false);
                }
                if (!r.taken) {
                    throw unavailable(description, new TimeoutException("no reply within "
                            + Duration.ofNanos(3 * timeoutNanos).toMillis() + " ms: the market's batch before this one is still waiting"));
                }
                continue;
            }
            LockSupport.parkNanos(this, deadline - now);
            if (Thread.interrupted()) {
                synchronized (lane) {
                    if (!r.taken) {
                        lane.queue.remove(r);
                    }
                }
                Thread.currentThread().interrupt();
                throw unavailable(description, new InterruptedException("interrupted while waiting for the store"));
            }
        }
        Throwable failure = r.failure;
        if (failure != null) {
            throw unavailable(description, failure);
        }
        return decision(r, r.reply, r.index);
    }

    /**
     * KEYS and ARGV of one decide script call (see {@code limiter.lua}), and for {@link #noteGrants}: the combination of
     * budgets it was made for and, unless every call is on all of them, each call's budgets by position in it.
     */
    private record Script(byte[][] keys, byte[][] args, Prepared prepared, int[][] positions) {}

    private Script script(List<Request> batch) {
        List<Budget> first = batch.get(0).budgets;
        if (batch.size() == 1 && first.size() == 1 && batch.get(0).cost == 1) {
            // the common case has an operation of its own, with fewer arguments
            Prepared p = prepare(first);
            return new Script(p.keys, p.oneArgs(batch.get(0)), p, null);
        }
        boolean same = true;
        for (int i = 1; i < batch.size() && same; i++) {
            same = batch.get(i).budgets.equals(first);
        }
        if (same) {
            Prepared p = prepare(first);
            byte[][] args = new byte[p.decide.length + CALL_ARGS * batch.size()][];
            p.decideHead(args);
            int a = p.decide.length;
            for (Request r : batch) {
                args[a++] = PRIORITY[r.priority.ordinal()];
                args[a++] = number(r.cost);
                args[a++] = r.token;
                args[a++] = NONE;
            }
            return new Script(p.keys, args, p, null);
        }
        // budgets of the batch in order of appearance; each call names its own by number
        Map<String, Integer> numbers = new LinkedHashMap<>();
        List<Budget> all = new ArrayList<>();
        int size = 0;
        for (Request r : batch) {
            for (Budget b : r.budgets) {
                if (numbers.putIfAbsent(b.name(), all.size() + 1) == null) {
                    all.add(b);
                }
            }
            size += CALL_ARGS + r.budgets.size();
        }
        Prepared p = prepare(all);
        byte[][] args = new byte[p.decide.length + size][];
        p.decideHead(args);
        int a = p.decide.length;
        int[][] positions = new int[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            Request r = batch.get(i);
            args[a++] = PRIORITY[r.priority.ordinal()];
            args[a++] = number(r.cost);
            args[a++] = r.token;
            args[a++] = number(r.budgets.size());
            positions[i] = new int[r.budgets.size()];
            for (int j = 0; j < r.budgets.size(); j++) {
                int number = numbers.get(r.budgets.get(j).name());
                args[a++] = number(number);
                positions[i][j] = number - 1;
            }
        }
        return new Script(p.keys, Arrays.copyOf(args, a), p, positions);
    }

    /**
     * Sets this store's expiry cell of every budget that a call of the script's reply was granted on to the cell of the
     * reply's time: the script wrote the log's expiry for that cell, or found it written by an earlier script of this
     * store in that cell (see the expiry of a log in {@code limiter.lua}), so later scripts in that cell need not.
     */
    private static void noteGrants(Script script, List<Object> reply) {
        long[] plain = plainGrant(reply);
        long ms = Math.floorDiv(plain != null ? plain[0] : at(reply, 0), 1_000L);
        long cell = ms - Math.floorMod(ms, CELL_MS);
        if (plain != null) {
            script.prepared.grantedIn(cell);
            return;
        }
        int calls = (reply.size() - 1) / CALL_REPLY;
        for (int i = 0; i < calls; i++) {
            if (at(reply, 1 + i * CALL_REPLY) != 0) {
                continue;
            }
            if (script.positions == null) {
                script.prepared.grantedIn(cell);
                return;
            }
            for (int position : script.positions[i]) {
                script.prepared.grantedIn(position, cell);
            }
        }
    }

    /** The decision of the {@code index}-th call of a decide batch's reply, or of a 'one' operation's reply. */
    private static Decision decision(Request r, List<Object> reply, int index) {
        Map<Priority, Long> remaining = new EnumMap<>(Priority.class);
        long[] plain = plainGrant(reply);
        if (plain != null) {
            // under the configured limit, nothing paused or cooling down: the room is what the configured capacities
            // leave (as limiter.lua would have computed it)
            Budget b = r.budgets.get(0);
            for (Priority p : Priority.values()) {
                remaining.put(p, Math.max(0, b.ceilings().capacity(p, b.limit()) - plain[1]));
            }
            return Decision.granted(remaining, plain[0], Decision.DecidedBy.STORE);
        }
        long now = at(reply, 0);
        int o = 1 + index * CALL_REPLY;
        remaining.put(Priority.HIGH, at(reply, o + 3));
        remaining.put(Priority.MEDIUM, at(reply, o + 4));
        remaining.put(Priority.LOW, at(reply, o + 5));
        int reason = (int) at(reply, o);
        if (reason == 0) {
            return Decision.granted(remaining, now, Decision.DecidedBy.STORE);
        }
        String blocking = r.budgets.get((int) at(reply, o + 2) - 1).name();
        return Decision.denied(REASONS[reason], Duration.ofNanos(at(reply, o + 1) * 1_000L), blocking, remaining, now,
                Decision.DecidedBy.STORE);
    }

    // ---- control and status

    private void control(Budget budget, byte[] op, byte[] a, byte[] b) {
        Prepared p = prepare(List.of(budget));
        run(p.keys, p.args(op, a, b, NONE));
        // this instance's own changes apply to its next call at once, whatever it remembered of the market
        for (Prepared other : prepared.values()) {
            if (other.markets.contains(budget.market())) {
                other.denials.forget();
            }
        }
    }

    /** Checks the connection and puts the script into the server's cache (every node's, in a cluster). */
    private void cacheScript() {
        String sha = await(commands.scriptLoad(SCRIPT), startupTimeoutNanos);
        if (!SCRIPT_SHA.equalsIgnoreCase(sha)) {
            throw new IllegalStateException("the server hashed " + SCRIPT_RESOURCE + " to " + sha + ", expected " + SCRIPT_SHA);
        }
    }

    private List<Object> run(byte[][] keys, byte[][] args) {
        try {
            return await(commands.evalsha(SCRIPT_SHA, ScriptOutputType.MULTI, keys, args));
        } catch (RedisNoScriptException e) {
            // a restarted server, or a cluster node that never saw the script: EVAL runs it and caches it there
            return await(commands.eval(SCRIPT, ScriptOutputType.MULTI, keys, args));
        }
    }

    /** Waits for a reply; anything but NOSCRIPT becomes a {@link LimiterStoreUnavailableException}. */
    private <T> T await(RedisFuture<T> future) {
        return await(future, timeoutNanos);
    }

    private <T> T await(RedisFuture<T> future, long timeoutNanos) {
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException noScript) {
                throw noScript;
            }
            throw unavailable(description, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw unavailable(description, new TimeoutException("no reply within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw unavailable(description, e);
        } catch (RuntimeException e) {
            throw unavailable(description, e);
        }
    }

    private Prepared prepare(List<Budget> budgets) {
        Prepared p = prepared.get(budgets);
        if (p == null) {
            if (prepared.size() >= MAX_PREPARED) {
                prepared.clear();
            }
            p = new Prepared(keyPrefix, budgets);
            prepared.put(List.copyOf(budgets), p);
        }
        return p;
    }

    /** The KEYS and the per-budget ARGV of one combination of budgets, computed once. */
    private static final class Prepared {
        final byte[][] keys;
        final byte[][] template;
        /** 'decide', the number of budgets and the decide values per budget, the head of a decide batch's ARGV. */
        final byte[][] decide;
        /**
         * Per budget, this store's expiry cell for scripts on this combination: the start in ms of the last cell in
         * which one of their grants on the budget wrote the log's expiry or found it written (see {@code limiter.lua}).
         */
        private final AtomicReferenceArray<ExpiryCell> expiryCells;
        final Set<String> markets = new HashSet<>();
        final DenialMemory denials = new DenialMemory();

        /**
         * KEYS: log and ctl of each budget, then once each the ctl of the configured budget of every instance among
         * them ({@code coupang/vendor} of {@code coupang/vendor:V1}), whose pauses and override the instance obeys. A
         * combination without instances has exactly two keys per budget, and its decisions read nothing more.
         */
        Prepared(String keyPrefix, List<Budget> budgets) {
            budgets.forEach(b -> markets.add(b.market()));
            Map<String, Integer> configuredCtl = new LinkedHashMap<>();
            for (Budget b : budgets) {
                if (b.key().isPresent()) {
                    configuredCtl.putIfAbsent(ctlKey(keyPrefix, b.market(), b.shortName()), budgets.size() * 2 + configuredCtl.size() + 1);
                }
            }
            keys = new byte[budgets.size() * 2 + configuredCtl.size()][];
            configuredCtl.forEach((key, position) -> keys[position - 1] = ascii(key));
            template = new byte[HEADER + budgets.size() * BLOCK][];
            decide = new byte[DECIDE_HEADER + budgets.size() * DECIDE_BLOCK][];
            decide[0] = OP_DECIDE;
            decide[1] = number(budgets.size());
            for (int i = 0; i < budgets.size(); i++) {
                Budget b = budgets.get(i);
                String base = keyPrefix + ":{" + b.market() + "}:" + b.name().substring(b.market().length() + 1);
                keys[2 * i] = ascii(base + ":log");
                keys[2 * i + 1] = ascii(base + ":ctl");
                int o = HEADER + i * BLOCK;
                template[o] = number(b.limit());
                template[o + 1] = number(b.windowMicros());
                template[o + 2] = number(b.ceilings().ppm(Priority.HIGH));
                template[o + 3] = number(b.ceilings().ppm(Priority.MEDIUM));
                template[o + 4] = number(b.ceilings().ppm(Priority.LOW));
                template[o + 5] = number(micros(b.recovery().stepInterval()));
                template[o + 6] = number(b.recovery().step(b.limit()));
                template[o + 7] = number(b.recovery().reductionPpm());
                int d = DECIDE_HEADER + i * DECIDE_BLOCK;
                System.arraycopy(template, o, decide, d, DECIDE_BLOCK - 2);
                decide[d + DECIDE_BLOCK - 1] = b.key().isEmpty() ? NONE
                        : number(configuredCtl.get(ctlKey(keyPrefix, b.market(), b.shortName())));
            }
            expiryCells = new AtomicReferenceArray<>(budgets.size());
            for (int i = 0; i < budgets.size(); i++) {
                expiryCells.set(i, ExpiryCell.NONE);
            }
        }

        /** Writes the head of a decide batch's ARGV into {@code args}: {@link #decide} with the expiry cells of now. */
        void decideHead(byte[][] args) {
            System.arraycopy(decide, 0, args, 0, decide.length);
            for (int i = 0; i < expiryCells.length(); i++) {
                args[DECIDE_HEADER + i * DECIDE_BLOCK + DECIDE_BLOCK - 2] = expiryCells.get(i).text;
            }
        }

        /**
         * ARGV of the 'one' operation for {@code r}, a call of cost 1 on this combination's one budget: the log member
         * and the budget's decide values but the last (the script finds the configured budget's ctl in KEYS).
         */
        byte[][] oneArgs(Request r) {
            byte[] priority = PRIORITY[r.priority.ordinal()];
            byte[] member = new byte[priority.length + 1 + r.token.length];
            System.arraycopy(priority, 0, member, 0, priority.length);
            member[priority.length] = ':';
            System.arraycopy(r.token, 0, member, priority.length + 1, r.token.length);
            byte[][] args = new byte[ONE_HEADER + DECIDE_BLOCK - 1][];
            args[0] = OP_ONE;
            args[1] = member;
            System.arraycopy(decide, DECIDE_HEADER, args, ONE_HEADER, DECIDE_BLOCK - 2);
            args[ONE_HEADER + DECIDE_BLOCK - 2] = expiryCells.get(0).text;
            return args;
        }

        /** A script on this combination granted on its {@code i}-th budget in the cell starting at {@code cell} ms. */
        void grantedIn(int i, long cell) {
            if (expiryCells.get(i).cell != cell) {
                expiryCells.set(i, new ExpiryCell(cell, ascii(Long.toString(cell))));
            }
        }

        /** A script on this combination granted on all of its budgets in the cell starting at {@code cell} ms. */
        void grantedIn(long cell) {
            for (int i = 0; i < expiryCells.length(); i++) {
                grantedIn(i, cell);
            }
        }

        /** An expiry cell (ms) and its ARGV text. */
        private record ExpiryCell(long cell, byte[] text) {
            static final ExpiryCell NONE = new ExpiryCell(0, ValkeyLimiterStore.NONE);
        }

        private static String ctlKey(String keyPrefix, String market, String shortName) {
            return keyPrefix + ":{" + market + "}:" + shortName + ":ctl";
        }

        byte[][] args(byte[] op, byte[] a, byte[] b, byte[] c) {
            byte[][] args = template.clone();
            args[0] = op;
            args[1] = a;
            args[2] = b;
            args[3] = c;
            return args;
        }
    }

    private static RedisURI redisUri(String uri, ValkeyStoreOptions options) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("the Valkey URI is missing; expected redis://host:port or rediss://host:port");
        }
        RedisURI parsed;
        try {
            parsed = RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the Valkey URI '" + uri + "' is malformed; expected redis://host:port or rediss://host:port: "
                    + e.getMessage(), e);
        }
        // the URI's timeout bounds the connection handshake (HELLO, AUTH), which in a cold JVM easily takes longer
        // than one command may; commands get options.commandTimeout() through TimeoutOptions and await()
        RedisURI.Builder b = RedisURI.builder(parsed).withTimeout(options.connectTimeout());
        if (options.password().isPresent()) {
            if (options.username().isPresent()) {
                b.withAuthentication(options.username().get(), options.password().get());
            } else {
                b.withPassword(options.password().get());
            }
        }
        return b.build();
    }

    private static String display(RedisURI uri) {
        return (uri.isSsl() ? "rediss" : "redis") + "://" + uri.getHost() + ":" + uri.getPort();
    }

    private static SocketOptions socketOptions(ValkeyStoreOptions options) {
        return SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).tcpNoDelay(true).build();
    }

    private static ClientResources resources() {
        // reconnect soon after a restart or failover: a dead store costs callers nothing (REJECT_COMMANDS and the
        // limiter's breaker), so trying often is cheap, and the fleet should be back on the shared budget quickly
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    private static void shutdown(AbstractRedisClient client, ClientResources resources) {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static LimiterStoreUnavailableException unavailable(String description, Throwable cause) {
        if (cause instanceof LimiterStoreUnavailableException u) {
            return u;
        }
        return new LimiterStoreUnavailableException("limiter store " + description + " is unavailable: " + cause, cause);
    }

    /**
     * The 'one' operation's reply to a plain grant, the text {@code "<now> <units in the window>"}, as {now, units};
     * null for any other reply.
     */
    private static long[] plainGrant(List<Object> reply) {
        if (reply.size() != 1 || !(reply.get(0) instanceof byte[] text)) {
            return null;
        }
        int space = 0;
        while (space < text.length && text[space] != ' ') {
            space++;
        }
        if (space == 0 || space >= text.length - 1) {
            throw malformedPlainGrant(text);
        }
        return new long[] {digits(text, 0, space), digits(text, space + 1, text.length)};
    }

    /** The decimal number in {@code text[from, to)}, which must be digits only. */
    private static long digits(byte[] text, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) {
                throw malformedPlainGrant(text);
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static IllegalStateException malformedPlainGrant(byte[] text) {
        return new IllegalStateException("limiter.lua replied '" + new String(text, StandardCharsets.US_ASCII)
                + "', expected '<now> <units>'");
    }

    private static long at(List<Object> reply, int index) {
        return (Long) reply.get(index);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static byte[] number(long n) {
        return n >= 0 && n < SMALL_NUMBERS.length ? SMALL_NUMBERS[(int) n] : ascii(Long.toString(n));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] loadScript() {
        try (InputStream in = ValkeyLimiterStore.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from the classpath next to "
                        + ValkeyLimiterStore.class.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + SCRIPT_RESOURCE, e);
        }
    }

    private static String sha1Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1, which EVALSHA needs", e);
        }
    }
}
