package io.marketgate.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} (or {@code valkey-server}) on a free loopback port, without persistence, for
 * a bench run without {@code --redis}. To be replaced by {@code io.marketgate.embedded.ValkeyServer} once that
 * module exists.
 */
final class LocalRedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread reaper;

    private LocalRedisServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        // a bench stopped with Ctrl-C must not leave a server behind
        this.reaper = new Thread(process::destroy, "bench-redis-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code executable} and waits until it answers PING, or throws a {@link BenchException} saying why. */
    static LocalRedisServer start(String executable) {
        int port = freePort();
        Path log;
        Process process;
        try {
            log = Files.createTempFile("marketgate-bench-redis", ".log");
            // redis-server reads "--port 0" as "no TCP at all", so the port is picked here
            process = new ProcessBuilder(List.of(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new BenchException("cannot start '" + executable + "' (" + e.getMessage()
                    + "); install redis-server or valkey-server, pass its path with --redis-server, or pass --redis URI", e);
        }
        LocalRedisServer server = new LocalRedisServer(process, port, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!server.answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String why = tail(log);
                server.close();
                throw new BenchException("'" + executable + "' did not start on port " + port + ": " + why);
            }
            sleepBriefly();
        }
        return server;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new BenchException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while starting redis-server", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temporary file; the system cleans it up
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }
}
