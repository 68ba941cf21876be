package io.marketgate.limiter.valkey;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
 * a call on several budgets of a market is one script. Both keys expire on their own.
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
    /** Budget combinations whose keys and arguments are kept ready; beyond this the cache starts over. */
    private static final int MAX_PREPARED = 10_000;

    private static final byte[] OP_DECIDE = ascii("decide");
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
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisScriptingAsyncCommands<byte[], byte[]> commands;
    /** Makes the log members of this store's grants unique among every store of the fleet. */
    private final String tokenPrefix;
    private final AtomicLong tokens = new AtomicLong();
    private final Map<List<Budget>, Prepared> prepared = new ConcurrentHashMap<>();

    private ValkeyLimiterStore(String description, ValkeyStoreOptions options, ClientResources resources,
            AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
            RedisScriptingAsyncCommands<byte[], byte[]> commands) {
        this.description = description;
        this.keyPrefix = options.keyPrefix();
        this.timeoutNanos = options.commandTimeout().toNanos();
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.tokenPrefix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + '.';
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
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(socketOptions(options))
                .build());
        StatefulRedisConnection<byte[], byte[]> connection = null;
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
            ValkeyLimiterStore store = new ValkeyLimiterStore(description, options, resources, client, connection, connection.async());
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
        client.setOptions(ClusterClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(socketOptions(options))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .enableAdaptiveRefreshTrigger(RefreshTrigger.MOVED_REDIRECT, RefreshTrigger.ASK_REDIRECT,
                                RefreshTrigger.PERSISTENT_RECONNECTS, RefreshTrigger.UNCOVERED_SLOT,
                                RefreshTrigger.UNKNOWN_NODE)
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .build())
                .build());
        StatefulRedisClusterConnection<byte[], byte[]> connection = null;
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
            ValkeyLimiterStore store = new ValkeyLimiterStore(description, options, resources, client, connection, connection.async());
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
        Prepared p = prepare(budgets);
        byte[][] args = p.args(OP_DECIDE, PRIORITY[priority.ordinal()], number(cost),
                ascii(tokenPrefix + Long.toString(tokens.incrementAndGet(), 36)));
        List<Object> r = run(p.keys, args);
        Map<Priority, Long> remaining = new EnumMap<>(Priority.class);
        remaining.put(Priority.HIGH, at(r, 4));
        remaining.put(Priority.MEDIUM, at(r, 5));
        remaining.put(Priority.LOW, at(r, 6));
        long now = at(r, 7);
        if (at(r, 0) == 1L) {
            return Decision.granted(remaining, now, Decision.DecidedBy.STORE);
        }
        String blocking = budgets.get((int) at(r, 3) - 1).name();
        return Decision.denied(REASONS[(int) at(r, 1)], Duration.ofNanos(at(r, 2) * 1_000L), blocking, remaining, now,
                Decision.DecidedBy.STORE);
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

    private void control(Budget budget, byte[] op, byte[] a, byte[] b) {
        Prepared p = prepare(List.of(budget));
        run(p.keys, p.args(op, a, b, NONE));
    }

    /** Checks the connection and puts the script into the server's cache (every node's, in a cluster). */
    private void cacheScript() {
        String sha = await(commands.scriptLoad(SCRIPT));
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

        Prepared(String keyPrefix, List<Budget> budgets) {
            keys = new byte[budgets.size() * 2][];
            template = new byte[HEADER + budgets.size() * BLOCK][];
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
            }
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
