package io.marketgate.handlers;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a handler keeps between invocations (its dependencies, market clients, services), made ready for a Lambda
 * SnapStart snapshot and made anew after each restore, through the open-source CRaC API ({@code org.crac}) whose
 * hooks Lambda runs: {@link #beforeCheckpoint} when it takes the snapshot of an initialised function version,
 * {@link #afterRestore} in every execution environment resumed from it.
 *
 * <p>Before the checkpoint the parts are <em>primed</em> (the handler's classes are loaded and its paths run once: the
 * JSON mappers, each market's adapter and limiter, the limiter's store connected and its script loaded, a decision on
 * an in-memory store), then <em>closed and dropped</em>: the Valkey (Lettuce) connections and clients, the AWS SDK
 * clients, the HTTP client, and with them every secret the parts had read (sellers' credentials, the token key, the
 * Valkey user's password, access tokens, mall connections). The snapshot therefore holds loaded and initialised
 * classes, not one secret and not one open connection. After the restore the parts are built again from
 * {@code build} (which reads the secrets where they live, now, in this environment) and connected (Lettuce).
 *
 * <p>The snapshot is shared by every environment restored from it, so nothing instance-specific may be made before it
 * either: random seeds, instance ids and connections are made by {@code build}, after the restore.
 *
 * <pre>{@code
 * record Parts(HandlerDependencies deps, MyService service) implements AutoCloseable {
 *     public void close() { deps.close(); }
 * }
 * SnapshotLifecycle<Parts> parts = SnapshotLifecycle.of("my-handler", () -> {
 *             HandlerDependencies deps = HandlerDependencies.fromEnvironment();   // secrets read here, after each restore
 *             return new Parts(deps, new MyService(deps));
 *         }, p -> p.service().warmUp(), p -> { })
 *         .register();                   // the Lambda constructor only: org.crac keeps a weak reference, the handler a strong one
 * parts.get().service().handle(event);   // in handleRequest
 * }</pre>
 *
 * <p>Thread-safe. A handler built from fixed dependencies (tests, the local runtime) does not register: nothing
 * snapshots it.
 *
 * @param <P> the parts; closing them closes every connection and client they opened
 */
public final class SnapshotLifecycle<P extends AutoCloseable> implements Resource {

    private static final Logger log = LoggerFactory.getLogger(SnapshotLifecycle.class);

    /** Runs the parts' paths once before the snapshot so that their classes are loaded and initialised in it. */
    @FunctionalInterface
    public interface Priming<P> {
        void prime(P parts) throws Exception;
    }

    private final String name;
    private final Supplier<P> build;
    private final Priming<P> prime;
    private final Consumer<P> connect;
    private final Object lock = new Object();
    private volatile P parts;
    private volatile long primedNanos;

    private SnapshotLifecycle(String name, Supplier<P> build, Priming<P> prime, Consumer<P> connect) {
        this.name = Objects.requireNonNull(name, "name");
        this.build = Objects.requireNonNull(build, "build");
        this.prime = Objects.requireNonNull(prime, "prime");
        this.connect = Objects.requireNonNull(connect, "connect");
    }

    /**
     * A lifecycle of the parts {@code build} makes (at first use, and again after each restore); {@code prime} runs
     * before a checkpoint, {@code connect} after a restore (open what the first invocation would otherwise open).
     */
    public static <P extends AutoCloseable> SnapshotLifecycle<P> of(String name, Supplier<P> build, Priming<P> prime,
            Consumer<P> connect) {
        return new SnapshotLifecycle<>(name, build, prime, connect);
    }

    /** Registers these hooks with the CRaC global context (a no-op where the JVM takes no checkpoints); returns this. */
    public SnapshotLifecycle<P> register() {
        org.crac.Core.getGlobalContext().register(this);
        return this;
    }

    /** The parts, built now if there are none (the first invocation, or one after a restore whose rebuild failed). */
    public P get() {
        P current = parts;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (parts == null) {
                parts = build.get();
            }
            return parts;
        }
    }

    /** Whether parts are held now: false between a checkpoint and the restore's rebuild. */
    public boolean holdsParts() {
        return parts != null;
    }

    /**
     * Primes the parts (built now if need be), then closes and drops them. A priming step that fails is logged and
     * the rest goes on: a snapshot without that warm-up is still safe. A close that fails fails the checkpoint, since
     * the snapshot could then hold an open connection.
     */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
        synchronized (lock) {
            long start = System.nanoTime();
            P current = get();
            try {
                prime.prime(current);
            } catch (Exception | LinkageError e) {
                log.warn("{}: priming before the snapshot failed, the snapshot is taken without it: {}", name, e.toString());
            }
            parts = null;
            current.close();
            primedNanos = System.nanoTime() - start;
            log.info("{}: primed and closed for the snapshot in {} ms; nothing read from a secret is kept", name,
                    primedNanos / 1_000_000);
        }
    }

    /**
     * Builds the parts again (secrets read now) and connects them. When that fails the error is logged and the parts
     * stay unbuilt: the first invocation builds them and fails with the cause if it persists.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        synchronized (lock) {
            long start = System.nanoTime();
            try {
                P rebuilt = build.get();
                parts = rebuilt;
                connect.accept(rebuilt);
                log.info("{}: rebuilt and connected after the restore in {} ms", name, (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                log.error("{}: rebuilding after the restore failed; the first invocation tries again: {}", name, e.toString());
            }
        }
    }

    /** How long the last {@link #beforeCheckpoint} took (priming and closing), in nanoseconds; 0 before one ran. */
    public long primedNanos() {
        return primedNanos;
    }

    @Override
    public String toString() {
        return "SnapshotLifecycle[" + name + (parts != null ? ", built" : ", empty") + "]";
    }
}
