package io.marketgate.local;

import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.embedded.ValkeyServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's {@link Scenario.ClusterFailover} on the platform's {@link ValkeyCluster}: {@link #start()} fails the
 * master that serves the market's budgets (the {@code {market}} hash tag of the limiter's keys puts all of a market's
 * budgets in one slot), {@link #end()} brings it back. What takes time (the promotion, the rejoin) runs on a thread of
 * its own, so that the scenario's timer is not held up; {@link #end()} first waits for the promotion and fails when it
 * did not happen. What happened, with the times measured, is in {@link #report()}.
 */
final class ClusterFailoverFault implements AutoCloseable {
    private final Scenario.ClusterFailover fault;
    private final ValkeyCluster cluster;
    private final List<String> markets;
    private final PrintStream log;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .name("cluster-failover").daemon(true).unstarted(r));
    private final Map<String, Object> report = new LinkedHashMap<>();
    private volatile ValkeyServer failed;
    private volatile ValkeyServer promoted;
    private volatile Future<?> promotion;
    private volatile Future<?> rejoin;

    /** {@code markets}: the scenario's markets, in its order, when the fault names none. */
    ClusterFailoverFault(Scenario.ClusterFailover fault, ValkeyCluster cluster, List<String> markets, PrintStream log) {
        this.fault = fault;
        this.cluster = cluster;
        this.markets = List.copyOf(markets);
        this.log = log;
        report.put("mode", fault.mode().name().toLowerCase(java.util.Locale.ROOT));
        report.put("nodeTimeoutMs", fault.nodeTimeout().toMillis());
    }

    /** Picks the master, fails it (SIGKILL, or CLUSTER FAILOVER on its replica) and waits for the promotion meanwhile. */
    void start() {
        ValkeyServer master = target();
        List<ValkeyServer> replicas = cluster.replicasOf(master);
        if (replicas.isEmpty()) {
            throw new IllegalStateException("the master on port " + master.port() + " has no replica to take over");
        }
        ValkeyServer replica = replicas.get(0);
        List<String> served = markets.stream().filter(m -> cluster.masterOf(hashTag(m)) == master).toList();
        synchronized (report) {
            report.put("failedPort", master.port());
            report.put("promotedPort", replica.port());
            report.put("marketsOnFailedMaster", served);
        }
        failed = master;
        promoted = replica;
        long started = System.nanoTime();
        log.printf("cluster failover: %s the master on port %d (budgets of %s); its replica on port %d takes over%n",
                fault.mode() == Scenario.FailoverMode.KILL ? "killing (SIGKILL)" : "CLUSTER FAILOVER away from",
                master.port(), served, replica.port());
        if (fault.mode() == Scenario.FailoverMode.KILL) {
            master.kill();
            // the others mark it failed after the node timeout, then its replica is elected: allow six timeouts
            promotion = worker.submit(() -> {
                cluster.awaitPromoted(replica, fault.nodeTimeout().multipliedBy(6).plusSeconds(10));
                measured("promotedAfterMs", started);
            });
        } else {
            promotion = worker.submit(() -> {
                cluster.manualFailover(replica);
                measured("promotedAfterMs", started);
            });
        }
    }

    /** Waits for the promotion (failing when it did not happen), then brings the former master back. */
    void end() {
        awaitQuietly(promotion, "the promotion of the replica on port " + (promoted == null ? 0 : promoted.port()));
        ValkeyServer back = failed;
        ValkeyServer now = promoted;
        long started = System.nanoTime();
        if (fault.mode() == Scenario.FailoverMode.KILL) {
            log.printf("cluster failover: starting the former master on port %d again; it rejoins as a replica%n", back.port());
            rejoin = worker.submit(() -> {
                cluster.rejoin(back);
                measured("rejoinedAfterMs", started);
            });
        } else {
            log.printf("cluster failover: the former master on port %d takes its slots back (CLUSTER FAILOVER)%n", back.port());
            rejoin = worker.submit(() -> {
                cluster.manualFailover(back);
                measured("failedBackAfterMs", started);
            });
        }
    }

    /** What was failed and how long the cluster took: ports, markets, promotion and rejoin times, any error. */
    Map<String, Object> report() {
        Future<?> r = rejoin;
        if (r != null && !r.isDone()) {
            try {
                r.get(fault.nodeTimeout().multipliedBy(6).plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                error(e);
            }
        }
        if (r != null && r.isDone()) {
            try {
                r.get();
            } catch (Exception e) {
                error(e);
            }
        }
        synchronized (report) {
            return new LinkedHashMap<>(report);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** The master of the fault's market, or of the scenario's first market whose master serves the most markets. */
    private ValkeyServer target() {
        if (fault.onMarket().isPresent()) {
            return cluster.masterOf(hashTag(fault.onMarket().get()));
        }
        Map<ValkeyServer, Integer> count = new LinkedHashMap<>();
        for (String m : markets) {
            count.merge(cluster.masterOf(hashTag(m)), 1, Integer::sum);
        }
        return count.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static String hashTag(String market) {
        return "{" + market + "}";
    }

    private void measured(String key, long startedNanos) {
        long ms = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
        synchronized (report) {
            report.put(key, ms);
        }
        log.printf("cluster failover: %s %d ms%n", key, ms);
    }

    private void awaitQuietly(Future<?> f, String what) {
        if (f == null) {
            throw new IllegalStateException("the failover never started");
        }
        try {
            f.get(fault.nodeTimeout().multipliedBy(6).plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            error(e.getCause());
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            error(e);
            throw new IllegalStateException(what + " did not happen in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    private void error(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        synchronized (report) {
            report.putIfAbsent("error", String.valueOf(cause.getMessage()));
        }
    }
}
