package io.marketgate.embedded.aws;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB-compatible server, <a href="https://github.com/architect/dynalite">dynalite</a> (open source, on Node.js),
 * in its own process, in memory, on a loopback port the kernel picks, speaking DynamoDB's HTTP protocol so that the
 * code under test uses the same SDK client it uses against AWS.
 *
 * <pre>{@code
 * try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start(); DynamoDbClient client = ddb.client()) {
 *     client.listTables();
 * }
 * }</pre>
 *
 * <p><b>What it needs.</b> Node.js 22 or newer and dynalite: {@code $MARKETGATE_NODE}, else the PATH's node when
 * new enough, else the repository's {@code .marketgate/node/} (where {@code scripts/find-node.sh} puts one); and
 * {@code $MARKETGATE_DYNALITE} (dynalite's package directory or cli.js), else the pinned version in the
 * repository's {@code .marketgate/dynalite/}, else a {@code dynalite} on the PATH, else the pinned version installed
 * there now with {@code npm ci} from the lock beside this class (once per machine, safe for JVMs that start at once).
 * What is missing is an {@link EmbeddedDynamoDbException} that says how to get it, never a silent skip.
 *
 * <p><b>Lifetime.</b> {@link #start()} returns once dynalite listens (about 0.1 s on a warm machine; the first start
 * of a JVM also checks node's version). {@link #close()} ends the process; a shutdown hook ends it when the JVM exits
 * without closing, and dynalite exits by itself when its stdin (a pipe from this JVM) closes, so that a JVM killed
 * outright leaves no server behind.
 *
 * <p><b>Where dynalite differs from DynamoDB</b>, for what this project uses (DynamoDbCompatibilityTest checks the
 * rest against it):
 * <ul>
 *   <li>No TTL: {@code UpdateTimeToLive} is an {@code UnknownOperationException} (a {@code DynamoDbException}) and
 *       {@code DescribeTimeToLive} always says DISABLED, so expired items are never deleted. The project's readers do not
 *       count on the deletion (DynamoDB itself deletes expired items only within days): the table creators log or
 *       skip the refused call and records still carry {@code expiresAt}.</li>
 *   <li>No transactions ({@code TransactWriteItems}, {@code TransactGetItems}) and no PartiQL; the project uses
 *       neither.</li>
 *   <li>Tables are ACTIVE at once (this class starts dynalite so), where DynamoDB takes seconds.</li>
 * </ul>
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 15_000;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    private static final Pattern LISTENING = Pattern.compile("marketgate-dynalite listening on port (\\d+)");

    private final Process process;
    private final Path log;
    private final URI endpoint;
    private final Thread shutdownHook;

    private EmbeddedDynamoDb(Process process, Path log, URI endpoint, Thread shutdownHook) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts dynalite and waits until it listens.
     *
     * @throws EmbeddedDynamoDbException when node or dynalite is missing (the message says how to get them), or
     *                                   dynalite does not start
     */
    public static EmbeddedDynamoDb start() {
        Dynalite.Installation installation = Dynalite.locate();
        Path log;
        try {
            log = Files.createTempFile("marketgate-dynalite-", ".log");
        } catch (IOException e) {
            throw new EmbeddedDynamoDbException("could not create a log file for dynalite: " + e.getMessage(), e);
        }
        // stdin stays a pipe from this JVM: launch.js exits when it closes
        ProcessBuilder pb = new ProcessBuilder(List.of(installation.node().toString(), "-e", Dynalite.launchScript(),
                installation.dynalite().toString())).redirectErrorStream(true).redirectOutput(log.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            deleteQuietly(log);
            throw new EmbeddedDynamoDbException("could not run " + installation.node() + ": " + e.getMessage(), e);
        }
        Thread hook = new Thread(process::destroyForcibly, "stop-dynalite-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int port = awaitPort(process, log, installation);
            return new EmbeddedDynamoDb(process, log, URI.create("http://127.0.0.1:" + port), hook);
        } catch (RuntimeException e) {
            stop(process);
            removeHook(hook);
            deleteQuietly(log);
            throw e;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A new client of this server; the caller closes it. */
    public DynamoDbClient client() {
        return LocalAws.dynamoDb(endpoint);
    }

    /** Ends the dynalite process (its data goes with it) and waits until it has exited. */
    @Override
    public void close() {
        stop(process);
        removeHook(shutdownHook);
        deleteQuietly(log);
    }

    private static int awaitPort(Process process, Path log, Dynalite.Installation installation) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (true) {
            String output = read(log);
            Matcher m = LISTENING.matcher(output);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new EmbeddedDynamoDbException("dynalite (" + installation.dynalite() + " on node "
                        + installation.nodeVersion() + ") exited at start with code " + process.exitValue()
                        + "; its output:\n" + Dynalite.tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new EmbeddedDynamoDbException("dynalite (" + installation.dynalite() + ") did not listen within "
                        + START_TIMEOUT_MILLIS + " ms; its output:\n" + Dynalite.tail(log));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedDynamoDbException("interrupted while dynalite started", e);
            }
        }
    }

    private static void stop(Process process) {
        try {
            process.getOutputStream().close(); // launch.js exits on end of stdin
        } catch (IOException e) {
            // the process is gone already
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new EmbeddedDynamoDbException("dynalite (process " + process.pid() + ") did not exit within "
                            + 2 * STOP_TIMEOUT_MILLIS + " ms of SIGTERM and SIGKILL");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EmbeddedDynamoDbException("interrupted while waiting for dynalite " + process.pid() + " to exit", e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (and finds the process gone)
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a left-over log in the temporary directory is harmless
        }
    }
}
