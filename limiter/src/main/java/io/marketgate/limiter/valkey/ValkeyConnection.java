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
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The store's one connection to Valkey or Redis, standalone or cluster, and its script on it ({@code limiter.lua} for
 * the limiter, {@code tokens.lua} for {@link ValkeyTokenStore}): the Lettuce client and its threads, the script loaded
 * once when the connection opens and called by EVALSHA with a fallback to EVAL on NOSCRIPT, plain commands for what
 * needs no script, and the command timeout. Every failure to get a reply becomes a
 * {@link LimiterStoreUnavailableException} naming the store (never its credentials).
 *
 * <p>While the connection is down, commands fail at once (instead of queueing), and it is re-established in the
 * background within 10 to 500 ms. Thread-safe.
 */
final class ValkeyConnection implements AutoCloseable {

    /** The limiter's script: decisions and control operations. */
    static final Script LIMITER = Script.load("limiter.lua");
    /** The shared access tokens' script: put with the lease's end, compare-and-delete. */
    static final Script TOKENS = Script.load("tokens.lua");

    /** A Lua script under resources next to this class, with the SHA-1 that EVALSHA names it by. */
    record Script(String resource, byte[] text, String sha) {
        static Script load(String resource) {
            byte[] text = loadScript(resource);
            return new Script(resource, text, sha1Hex(text));
        }
    }

    private final String description;
    private final Script script;
    private final long timeoutNanos;
    /**
     * How long loading the script may take when the store opens: part of connecting (a cluster client reaches every
     * primary for it, a cold Lambda instance does its TLS handshakes), so the longer of the command and connect timeouts.
     */
    private final long startupTimeoutNanos;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final java.util.concurrent.atomic.AtomicLong lastRefreshNanos =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - REFRESH_ON_FAILURE_EVERY.toNanos());

    private ValkeyConnection(String description, Script script, ValkeyStoreOptions options, ClientResources resources,
            AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
            RedisClusterAsyncCommands<byte[], byte[]> commands) {
        this.description = description;
        this.script = script;
        this.timeoutNanos = options.commandTimeout().toNanos();
        this.startupTimeoutNanos = Math.max(timeoutNanos, options.connectTimeout().toNanos());
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
    }

    /**
     * A connection to one server, {@code redis://host:port} ({@code rediss://} for TLS), with the script loaded.
     *
     * @throws IllegalArgumentException           when the URI is malformed
     * @throws LimiterStoreUnavailableException   when the server cannot be reached
     */
    static ValkeyConnection standalone(String uri, ValkeyStoreOptions options) {
        return standalone(uri, options, LIMITER);
    }

    /** As {@link #standalone(String, ValkeyStoreOptions)}, with {@code script} loaded instead of the limiter's. */
    static ValkeyConnection standalone(String uri, ValkeyStoreOptions options, Script script) {
        Objects.requireNonNull(options, "options");
        RedisURI redisUri = redisUri(uri, options);
        String description = "valkey " + display(redisUri);
        ClientResources resources = resources();
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(common(ClientOptions.builder(), options).build());
        return open(description, script, options, resources, client, () -> client.connect(ByteArrayCodec.INSTANCE),
                StatefulRedisConnection::async, false);
    }

    /**
     * A connection to a cluster, found through {@code seedUris}, with the script loaded on every primary that answers;
     * the topology is refreshed periodically, whenever a node moves slots or disconnects, and when a command fails.
     *
     * @throws IllegalArgumentException           when no URI is given or one is malformed
     * @throws LimiterStoreUnavailableException   when no seed can be reached
     */
    static ValkeyConnection cluster(List<String> seedUris, ValkeyStoreOptions options) {
        return cluster(seedUris, options, LIMITER);
    }

    /** As {@link #cluster(List, ValkeyStoreOptions)}, with {@code script} loaded instead of the limiter's. */
    @SuppressWarnings("deprecation") // Lettuce 7 deprecates adaptive refresh triggers but has no replacement yet
    static ValkeyConnection cluster(List<String> seedUris, ValkeyStoreOptions options, Script script) {
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
        return open(description, script, options, resources, client, () -> client.connect(ByteArrayCodec.INSTANCE),
                StatefulRedisClusterConnection::async, true);
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

    /**
     * Connects, loads the script, and on any failure releases what was opened and names the store. A cluster opens even
     * when a primary it learned of cannot take the script (killed, being failed over): its slots fail until the cluster
     * has promoted a replica, the others decide, and a node without the script gets it by EVAL on NOSCRIPT.
     */
    private static <C extends StatefulConnection<byte[], byte[]>> ValkeyConnection open(String description, Script script,
            ValkeyStoreOptions options, ClientResources resources, AbstractRedisClient client, Supplier<C> connect,
            Function<C, ? extends RedisClusterAsyncCommands<byte[], byte[]>> async, boolean cluster) {
        C connection = null;
        try {
            connection = connect.get();
            ValkeyConnection opened = new ValkeyConnection(description, script, options, resources, client, connection,
                    async.apply(connection));
            try {
                opened.cacheScript();
            } catch (LimiterStoreUnavailableException e) {
                // the topology was read from a node that answered, so the cluster is there: one primary is not
                if (!cluster) {
                    throw e;
                }
            }
            return opened;
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            shutdown(client, resources);
            throw unavailable(description, e);
        }
    }

    /** {@code valkey redis://host:port} or {@code valkey-cluster [redis://host:port, …]}; never credentials. */
    String description() {
        return description;
    }

    /** How long a command may take, in nanoseconds. */
    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Runs the script and waits for its reply: EVALSHA, and EVAL when the server does not have the script. */
    List<Object> run(byte[][] keys, byte[][] args) {
        return run(ScriptOutputType.MULTI, keys, args);
    }

    /** {@link #run(byte[][], byte[][])} for a script whose reply is of {@code type}. */
    <T> T run(ScriptOutputType type, byte[][] keys, byte[][] args) {
        try {
            return await(commands.<T>evalsha(script.sha(), type, keys, args), timeoutNanos);
        } catch (RedisNoScriptException e) {
            // a restarted server, or a cluster node that never saw the script: EVAL runs it and caches it there
            return await(commands.<T>eval(script.text(), type, keys, args), timeoutNanos);
        }
    }

    /** Sends one plain command (GET, SET, …) and waits at most the command timeout for its reply. */
    <T> T call(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
        return await(command.apply(commands), timeoutNanos);
    }

    /**
     * Sends the script without waiting: by EVALSHA, or by EVAL after the EVALSHA's reply was NOSCRIPT (see
     * {@link #isNoScript(Throwable)}). The reply is not bounded by the timeout: the caller waits at most that long.
     */
    RedisFuture<List<Object>> send(byte[][] keys, byte[][] args, boolean eval) {
        return eval
                ? commands.eval(script.text(), ScriptOutputType.MULTI, keys, args)
                : commands.evalsha(script.sha(), ScriptOutputType.MULTI, keys, args);
    }

    /** Whether a failed EVALSHA must be sent again as EVAL, the script being missing on the server. */
    static boolean isNoScript(Throwable failure) {
        return failure instanceof RedisNoScriptException;
    }

    /**
     * Checks the connection and puts the script into the server's cache (every node's, in a cluster). A cluster
     * connects to each node on demand, and a node whose connection is still being made (a slow TLS handshake at a busy
     * cold start) rejects commands at once; the load is asked again until the startup timeout has passed.
     */
    private void cacheScript() {
        long deadline = System.nanoTime() + startupTimeoutNanos;
        String sha;
        while (true) {
            try {
                sha = await(commands.scriptLoad(script.text()), Math.max(1, deadline - System.nanoTime()));
                break;
            } catch (LimiterStoreUnavailableException e) {
                if (!stillConnecting(e) || System.nanoTime() + STILL_CONNECTING_PAUSE.toNanos() >= deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(STILL_CONNECTING_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        if (!script.sha().equalsIgnoreCase(sha)) {
            throw new IllegalStateException("the server hashed " + script.resource() + " to " + sha + ", expected " + script.sha());
        }
    }

    private static final Duration STILL_CONNECTING_PAUSE = Duration.ofMillis(50);

    /** Whether Lettuce refused a command because a node's connection is not (yet) made. */
    private static boolean stillConnecting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.lettuce.core.RedisException && t.getMessage() != null
                    && t.getMessage().startsWith("Currently not connected")) {
                return true;
            }
        }
        return false;
    }

    /** Waits for a reply; anything but NOSCRIPT becomes a {@link LimiterStoreUnavailableException}. */
    private <T> T await(RedisFuture<T> future, long timeoutNanos) {
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException noScript) {
                throw noScript;
            }
            throw unavailable(cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw unavailable(new TimeoutException("no reply within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw unavailable(e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * The store is unavailable because of {@code cause}. A cluster connection also asks for its topology again (at most
     * once per {@link #REFRESH_ON_FAILURE_EVERY}): Lettuce's adaptive refresh reacts to redirects and to persistent
     * reconnects of a connection it had, but a store opened while a primary was down never had one to it, and would send
     * that primary's slots to the dead node until the periodic refresh, though a replica has taken them over.
     */
    LimiterStoreUnavailableException unavailable(Throwable cause) {
        if (client instanceof RedisClusterClient cluster) {
            long now = System.nanoTime();
            long last = lastRefreshNanos.get();
            if (now - last >= REFRESH_ON_FAILURE_EVERY.toNanos() && lastRefreshNanos.compareAndSet(last, now)) {
                // a failed refresh changes nothing; the next failure asks again
                cluster.refreshPartitionsAsync().exceptionally(failure -> null);
            }
        }
        return unavailable(description, cause);
    }

    /** How often a cluster connection's failures ask for its topology again, at most. */
    static final Duration REFRESH_ON_FAILURE_EVERY = Duration.ofSeconds(1);

    /** Closes the connection and releases the client's threads. */
    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            shutdown(client, resources);
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

    private static byte[] loadScript(String resource) {
        try (InputStream in = ValkeyConnection.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath next to "
                        + ValkeyConnection.class.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
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
