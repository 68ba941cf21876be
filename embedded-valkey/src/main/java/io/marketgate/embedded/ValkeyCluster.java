package io.marketgate.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Valkey/Redis cluster of three masters (no replicas) on free loopback ports, formed with
 * {@code valkey-cli --cluster create} (or {@code redis-cli}), ready once every node reports
 * {@code cluster_state:ok} with all 16384 slots assigned and all three nodes known.
 *
 * <pre>{@code
 * try (ValkeyCluster cluster = ValkeyCluster.start()) {
 *     List<String> seeds = cluster.seedUris();   // redis://127.0.0.1:P1, …
 * }
 * }</pre>
 */
public final class ValkeyCluster implements AutoCloseable {

    /** How many masters the cluster has. */
    public static final int MASTERS = 3;

    private static final long FORM_TIMEOUT_MILLIS = 30_000;

    private final List<ValkeyServer> nodes;

    private ValkeyCluster(List<ValkeyServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts three masters, forms the cluster and waits until every node says it is ok. */
    public static ValkeyCluster start() {
        List<ValkeyServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                nodes.add(new ValkeyServer(List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"), true).start());
            }
            ValkeyCluster cluster = new ValkeyCluster(nodes);
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(ValkeyServer::close);
            throw e;
        }
    }

    /** {@code redis://127.0.0.1:PORT} of every master, for a cluster client's seed list. */
    public List<String> seedUris() {
        return nodes.stream().map(ValkeyServer::uri).toList();
    }

    /** The masters, for tests that inspect a node. */
    public List<ValkeyServer> nodes() {
        return nodes;
    }

    /** Kills every node and deletes their directories. */
    @Override
    public void close() {
        nodes.forEach(ValkeyServer::close);
    }

    private void form() {
        Path cli = Binaries.cli(nodes.get(0).binary());
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        for (ValkeyServer node : nodes) {
            cmd.add("127.0.0.1:" + node.port());
        }
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String output;
        int exit;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(FORM_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new EmbeddedValkeyException(String.join(" ", cmd) + " did not finish within " + FORM_TIMEOUT_MILLIS + " ms");
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new EmbeddedValkeyException("could not run " + cli + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedValkeyException("interrupted while forming the cluster", e);
        }
        if (exit != 0) {
            throw new EmbeddedValkeyException(String.join(" ", cmd) + " failed with exit code " + exit + ":\n" + output);
        }
        awaitOk();
    }

    private void awaitOk() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORM_TIMEOUT_MILLIS);
        String lastInfo = "";
        while (true) {
            boolean allOk = true;
            for (ValkeyServer node : nodes) {
                lastInfo = String.valueOf(node.command("CLUSTER", "INFO"));
                if (!lastInfo.contains("cluster_state:ok") || !lastInfo.contains("cluster_slots_assigned:16384")
                        || !lastInfo.contains("cluster_known_nodes:" + MASTERS)) {
                    allOk = false;
                    break;
                }
            }
            if (allOk) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new EmbeddedValkeyException("the cluster did not reach cluster_state:ok on every node within "
                        + FORM_TIMEOUT_MILLIS + " ms; last CLUSTER INFO:\n" + lastInfo);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedValkeyException("interrupted while waiting for the cluster", e);
            }
        }
    }
}
