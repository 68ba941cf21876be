package io.marketgate.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code valkey-server} or {@code redis-server} process on a free loopback port, without persistence, in a
 * temporary directory: for integration tests, benchmarks and local runs.
 *
 * <p>The binary is {@code $MARKETGATE_REDIS_SERVER} when set, else {@code valkey-server} or {@code redis-server}
 * on the PATH, or the one given to {@link #ValkeyServer(Path)}; {@link #installedEngines()} lists those at hand. A
 * missing binary is an error that says how to install one, never a silent skip.
 *
 * <pre>{@code
 * try (ValkeyServer server = new ValkeyServer().start()) {
 *     String uri = server.uri();       // redis://127.0.0.1:PORT
 *     server.pause();                  // SIGSTOP: connections open, nothing answers
 *     server.resume();                 // SIGCONT: answers again, data kept
 *     server.kill();                   // SIGKILL, like a crashed node
 *     server.start();                  // back on the same port, empty
 *     server.restart();                // kill and start in one: same port, data lost
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread starts, kills and closes a server.
 */
public final class ValkeyServer implements AutoCloseable {

    private static final int START_ATTEMPTS = 8;
    private static final long START_TIMEOUT_MILLIS = 15_000;
    /** Ports are picked in this range so that a cluster bus port (port + 10000) stays below 65536. */
    private static final int LOWEST_PORT = 20_000;
    private static final int HIGHEST_PORT = 55_000;

    private final Path binary;
    private final List<String> extraArgs;
    private final boolean needsBusPort;
    private final Security security;
    private final Path dir;
    private int port;
    private Process process;

    /** A server not started yet; {@link #start()} starts it. */
    public ValkeyServer() {
        this(List.of(), false);
    }

    /**
     * A server of the given binary (a {@code valkey-server} or {@code redis-server}), not started yet.
     *
     * @throws EmbeddedValkeyException when it is not an executable file
     */
    public ValkeyServer(Path binary) {
        this(Binaries.checked(binary), List.of(), false);
    }

    ValkeyServer(List<String> extraArgs, boolean needsBusPort) {
        this(Binaries.server(), extraArgs, needsBusPort, Security.NONE);
    }

    ValkeyServer(List<String> extraArgs, boolean needsBusPort, Security security) {
        this(Binaries.server(), extraArgs, needsBusPort, security);
    }

    private ValkeyServer(Path binary, List<String> extraArgs, boolean needsBusPort) {
        this(binary, extraArgs, needsBusPort, Security.NONE);
    }

    private ValkeyServer(Path binary, List<String> extraArgs, boolean needsBusPort, Security security) {
        this.binary = binary;
        this.extraArgs = List.copyOf(extraArgs);
        this.needsBusPort = needsBusPort;
        this.security = security;
        try {
            this.dir = Files.createTempDirectory("marketgate-valkey-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for " + binary, e);
        }
    }

    /**
     * Starts the server and waits until it answers PING. The first start picks a free port; a start after
     * {@link #kill()} reuses that port, so that clients reconnect to the same address. The data is empty after
     * every start (no persistence).
     *
     * @return this server
     */
    public ValkeyServer start() {
        if (isRunning()) {
            throw new IllegalStateException("server on port " + port + " is already running");
        }
        if (port != 0) {
            launch(false);
            return this;
        }
        EmbeddedValkeyException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            // another process may take the port between our probe and the server's bind: then pick another
            port = freePort(needsBusPort);
            try {
                launch(false);
                return this;
            } catch (PortTakenException e) {
                last = e;
            }
        }
        port = 0;
        throw new EmbeddedValkeyException("no free port after " + START_ATTEMPTS + " attempts", last);
    }

    /**
     * Starts a cluster node again after {@link #kill()} on its former port, with its data lost but its cluster membership
     * kept ({@code nodes.conf}: its node id, the nodes it knows, the config epoch it last saw), as a node whose disk
     * survived a crash comes back: the cluster takes it back, and a master whose slots a replica took over meanwhile
     * becomes that replica's replica.
     */
    ValkeyServer startKeepingMembership() {
        if (isRunning()) {
            throw new IllegalStateException("server on port " + port + " is already running");
        }
        if (port == 0) {
            throw new IllegalStateException("the server has never been started; there is no membership to keep");
        }
        launch(true);
        return this;
    }

    /**
     * Kills the server (SIGKILL, paused or not) and starts it again on the same port, empty: a node that crashed and
     * came back without its data. A server that is not running is just started (on its former port, if it had one).
     *
     * @return this server
     */
    public ValkeyServer restart() {
        kill();
        return start();
    }

    /** The process id of the running server. */
    public long pid() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("server on port " + port + " is not running");
        }
        return p.pid();
    }

    /** Kills the process with SIGKILL (no shutdown, like a crash) and waits until it has exited. */
    public void kill() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new EmbeddedValkeyException("server process " + p.pid() + " did not exit within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedValkeyException("interrupted while waiting for server " + p.pid() + " to exit", e);
        }
    }

    /**
     * Stops the process with SIGSTOP: it keeps its port, its connections and its data but answers nothing (a node in a
     * long pause, a frozen VM) until {@link #resume()}. A client's commands time out meanwhile; the kernel still accepts
     * new connections into the listen backlog.
     */
    public void pause() {
        signal("STOP");
    }

    /** Continues a {@link #pause() paused} process with SIGCONT: it answers again, with the data it held. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("server on port " + port + " is not running; cannot send SIG" + name);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new EmbeddedValkeyException("kill -" + name + " " + p.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new EmbeddedValkeyException("could not run kill -" + name + " " + p.pid() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedValkeyException("interrupted while sending SIG" + name + " to " + p.pid(), e);
        }
    }

    /** Kills the server and deletes its directory. */
    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a left-over temporary directory is harmless
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The port; 0 before the first start. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, or {@code rediss://127.0.0.1:PORT} when the server speaks TLS only. */
    public String uri() {
        if (port == 0) {
            throw new IllegalStateException("the server has not been started");
        }
        return (security.certificates() != null ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    /** Whether the server speaks TLS only (its {@link #port()} is the TLS port; it has no plaintext port). */
    public boolean isTls() {
        return security.certificates() != null;
    }

    /** The server binary in use. */
    public Path binary() {
        return binary;
    }

    /** The engine and version of the binary, as {@code valkey 8.0.1} or {@code redis 7.0.15}. */
    public String engine() {
        return Binaries.version(binary);
    }

    /**
     * The server engines at hand, by engine and version ({@code valkey 8.0.1}, {@code redis 7.0.15}), each once:
     * first the one {@code new ValkeyServer()} runs ({@code $MARKETGATE_REDIS_SERVER}, else valkey-server, else
     * redis-server on the PATH), then the PATH's valkey-server and redis-server. Empty when there is none.
     */
    public static Map<String, Path> installedEngines() {
        return Binaries.engines();
    }

    /**
     * Sends one command on a fresh connection and returns the reply: a {@link String}, a {@link Long}, a
     * {@link List} of replies, or {@code null}. For tests that inspect or disturb the server (TTL, SCRIPT FLUSH, …)
     * without a client library. On a TLS server the connection trusts the test CA; where the default user is off it
     * authenticates as the harness's own user (every command, every key), never as the user under test.
     *
     * @throws EmbeddedValkeyException when the server cannot be reached or answers with an error
     */
    public Object command(String... args) {
        try {
            return Resp.command(access(), 5_000, args);
        } catch (IOException | Resp.ErrorReply e) {
            throw new EmbeddedValkeyException(String.join(" ", args) + " on port " + port + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * How this harness reaches the server: through TLS trusting the test CA when the server speaks TLS, as the
     * harness's own all-powerful ACL user when the default user is off.
     */
    Resp.Access access() {
        return new Resp.Access(port, security.certificates() != null ? security.certificates().socketFactory() : null,
                security.harnessUser(), security.harnessPassword());
    }

    private void launch(boolean keepMembership) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        if (security != Security.NONE) {
            // a file, not arguments, so that no password shows in the process list; it must be the first argument
            cmd.add(security.writeConfig(dir).toString());
        }
        if (security.certificates() != null) {
            // TLS only: no plaintext port at all
            cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
        } else {
            cmd.addAll(List.of("--port", Integer.toString(port)));
        }
        cmd.addAll(List.of(
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", dir.toString(),
                "--daemonize", "no",
                "--loglevel", "notice"));
        cmd.addAll(extraArgs);
        if (!keepMembership) {
            // a restarted node starts empty, like a fresh one: forget the cluster membership of its previous life
            deleteQuietly(dir.resolve("nodes.conf"));
        }
        Path logFile = dir.resolve("server.log");
        deleteQuietly(logFile);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new EmbeddedValkeyException("could not run " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (true) {
            if (!process.isAlive()) {
                String log = readLog(logFile);
                process = null;
                if (log.contains("Address already in use")) {
                    throw new PortTakenException("port " + port + " is in use: " + log);
                }
                throw new EmbeddedValkeyException(binary + " exited at start on port " + port + "; its log:\n" + log);
            }
            try {
                if ("PONG".equals(Resp.command(access(), 1_000, "PING"))) {
                    return;
                }
            } catch (IOException | Resp.ErrorReply e) {
                // not listening (or still loading) yet
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new EmbeddedValkeyException(binary + " did not answer PING on port " + port + " within "
                        + START_TIMEOUT_MILLIS + " ms; its log:\n" + readLog(logFile));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new EmbeddedValkeyException("interrupted while starting " + binary, e);
            }
        }
    }

    private static int freePort(boolean needsBusPort) {
        for (int i = 0; i < 1_000; i++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
            if (canBind(candidate) && (!needsBusPort || canBind(candidate + 10_000))) {
                return candidate;
            }
        }
        throw new EmbeddedValkeyException("found no free loopback port between " + LOWEST_PORT + " and " + HIGHEST_PORT);
    }

    private static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLog(Path logFile) {
        try {
            String log = Files.readString(logFile, StandardCharsets.UTF_8);
            return log.length() > 4_000 ? log.substring(log.length() - 4_000) : log;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the server overwrites it
        }
    }

    /** The port was taken between probing and binding. */
    private static final class PortTakenException extends EmbeddedValkeyException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
