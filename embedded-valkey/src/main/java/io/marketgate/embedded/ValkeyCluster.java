package io.marketgate.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Valkey/Redis cluster on free loopback ports, formed with {@code valkey-cli --cluster create} (or
 * {@code redis-cli}), ready once every node reports {@code cluster_state:ok} with all 16384 slots assigned and every
 * node known, and every replica's link to its master is up. {@link #start()} gives three masters without replicas,
 * plaintext, the default user; the {@link #builder()} adds replicas, TLS only and an ACL user, the way ElastiCache
 * runs the limiter's store.
 *
 * <pre>{@code
 * try (ValkeyCluster cluster = ValkeyCluster.start()) {
 *     List<String> seeds = cluster.seedUris();   // redis://127.0.0.1:P1, …
 * }
 * try (ValkeyCluster cluster = ValkeyCluster.builder().masters(3).replicasPerMaster(1)
 *         .tls().user("marketgate", password, "~mg* -@all +@read +@write +@scripting +@connection +time +cluster +info")
 *         .start()) {
 *     cluster.seedUris();                // rediss://127.0.0.1:P1, … (TLS ports; no plaintext port)
 *     cluster.certificates().caFile();   // the CA a client trusts
 * }
 * try (ValkeyCluster cluster = ValkeyCluster.builder().replicasPerMaster(1).nodeTimeout(Duration.ofSeconds(2)).start()) {
 *     ValkeyServer master = cluster.masterOf("{coupang}");
 *     ValkeyServer replica = cluster.replicasOf(master).get(0);
 *     master.kill();                                          // a crashed master: SIGKILL
 *     cluster.awaitPromoted(replica, Duration.ofSeconds(30)); // the cluster fails over after the node timeout
 *     cluster.rejoin(master);                                 // back on its port, empty, as the new master's replica
 *     cluster.manualFailover(master);                         // CLUSTER FAILOVER: it takes its slots back, gracefully
 * }
 * }</pre>
 *
 * <p>Killed nodes ({@link ValkeyServer#kill()}) are left out of {@link #masters()}, {@link #replicas()} and the
 * commands this class sends; {@link #nodes()} still lists them.
 */
public final class ValkeyCluster implements AutoCloseable {

    /** How many masters {@link #start()} starts, and the fewest a cluster may have. */
    public static final int MASTERS = 3;

    private static final long FORM_TIMEOUT_MILLIS = 30_000;

    /** The default {@code cluster-node-timeout}: how long a master may not answer before its replica takes over. */
    public static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);

    private final List<ValkeyServer> nodes;
    private final int masters;
    private final Security security;
    private final Duration nodeTimeout;

    private ValkeyCluster(List<ValkeyServer> nodes, int masters, Security security, Duration nodeTimeout) {
        this.nodes = List.copyOf(nodes);
        this.masters = masters;
        this.security = security;
        this.nodeTimeout = nodeTimeout;
    }

    /** Starts three masters, forms the cluster and waits until every node says it is ok. */
    public static ValkeyCluster start() {
        return builder().start();
    }

    /** A cluster to configure; {@link Builder#start()} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code redis://127.0.0.1:PORT} ({@code rediss://} with TLS) of every node, for a cluster client's seed list. */
    public List<String> seedUris() {
        return nodes.stream().map(ValkeyServer::uri).toList();
    }

    /** Every node, masters and replicas, in the order they were started. */
    public List<ValkeyServer> nodes() {
        return nodes;
    }

    /** The running nodes that are masters now (by {@code ROLE}). */
    public List<ValkeyServer> masters() {
        return running().stream().filter(n -> "master".equals(role(n))).toList();
    }

    /** The running nodes that are replicas now (by {@code ROLE}). */
    public List<ValkeyServer> replicas() {
        return running().stream().filter(n -> "slave".equals(role(n))).toList();
    }

    /** The running nodes that replicate {@code master} now (by its {@code ROLE}); empty for a replica or a dead node. */
    public List<ValkeyServer> replicasOf(ValkeyServer master) {
        if (!master.isRunning()) {
            return List.of();
        }
        List<?> role = (List<?>) master.command("ROLE");
        if (!"master".equals(String.valueOf(role.get(0)))) {
            return List.of();
        }
        List<ValkeyServer> out = new ArrayList<>();
        for (Object r : (List<?>) role.get(2)) {
            int port = Integer.parseInt(String.valueOf(((List<?>) r).get(1)));
            running().stream().filter(n -> n.port() == port).findFirst().ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** The {@code cluster-node-timeout} the nodes run with. */
    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    /**
     * Waits until {@code replica} is a master (the cluster promoted it, after its master failed or a
     * {@link #manualFailover}) and every running node says {@code cluster_state:ok} again.
     *
     * @throws EmbeddedValkeyException when that does not happen within {@code timeout}
     */
    public void awaitPromoted(ValkeyServer replica, Duration timeout) {
        await(() -> replica.isRunning() && "master".equals(role(replica)) && allRunningOk(),
                timeout, "node " + replica.port() + " to become a master with the cluster ok");
    }

    /**
     * A graceful failover: {@code CLUSTER FAILOVER} on {@code replica}, which waits for its master's writes to reach it,
     * then takes over the master's slots (the master becomes its replica); returns once the replica is a master, the
     * cluster is ok and the former master replicates it with its link up.
     *
     * @throws IllegalArgumentException when {@code replica} is not a running replica
     * @throws EmbeddedValkeyException  when the failover does not end within 6 node timeouts
     */
    public void manualFailover(ValkeyServer replica) {
        if (!replica.isRunning() || !"slave".equals(role(replica))) {
            throw new IllegalArgumentException("node " + replica.port() + " is not a running replica; CLUSTER FAILOVER runs on one");
        }
        String replication = String.valueOf(replica.command("INFO", "replication"));
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("master_port:(\\d+)").matcher(replication);
        ValkeyServer former = port.find() ? running().stream().filter(n -> n.port() == Integer.parseInt(port.group(1)))
                .findFirst().orElse(null) : null;
        replica.command("CLUSTER", "FAILOVER");
        Duration timeout = nodeTimeout.multipliedBy(6);
        awaitPromoted(replica, timeout);
        if (former != null) {
            await(() -> replicasOf(replica).contains(former)
                    && String.valueOf(former.command("INFO", "replication")).contains("master_link_status:up"),
                    timeout, "node " + former.port() + " to replicate node " + replica.port() + " after the failover");
        }
    }

    /**
     * Starts a {@link ValkeyServer#kill() killed} node again on its port, empty but with its cluster membership (as a
     * node whose disk kept {@code nodes.conf}), and waits until the cluster has taken it back: a master whose slots were
     * taken over meanwhile comes back as the new master's replica, with its link to it up, and every running node is ok.
     *
     * @throws IllegalArgumentException when the node is no node of this cluster or is running
     * @throws EmbeddedValkeyException  when it has not rejoined within 6 node timeouts (at least 30 s)
     */
    public void rejoin(ValkeyServer node) {
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException("node " + node.port() + " is no node of this cluster");
        }
        if (node.isRunning()) {
            throw new IllegalArgumentException("node " + node.port() + " is running; only a killed node rejoins");
        }
        node.startKeepingMembership();
        Duration timeout = nodeTimeout.multipliedBy(6).compareTo(Duration.ofMillis(FORM_TIMEOUT_MILLIS)) > 0
                ? nodeTimeout.multipliedBy(6) : Duration.ofMillis(FORM_TIMEOUT_MILLIS);
        await(() -> {
            if (!"slave".equals(role(node))) {
                return false;
            }
            String replication = String.valueOf(node.command("INFO", "replication"));
            java.util.regex.Matcher port = java.util.regex.Pattern.compile("master_port:(\\d+)").matcher(replication);
            if (!replication.contains("master_link_status:up") || !port.find()) {
                return false;
            }
            // the master lists it among its replicas too (its side of the link may lag the replica's by a moment)
            int masterPort = Integer.parseInt(port.group(1));
            ValkeyServer master = running().stream().filter(n -> n.port() == masterPort).findFirst().orElse(null);
            return master != null && replicasOf(master).contains(node) && allRunningOk();
        }, timeout, "node " + node.port() + " to rejoin as a replica with its link up on both sides");
    }

    /** The certificates of a TLS cluster: its CA's file is what a client trusts. */
    public TestCertificates certificates() {
        if (security.certificates() == null) {
            throw new IllegalStateException("this cluster speaks plaintext; build it with tls()");
        }
        return security.certificates();
    }

    /** The master that serves {@code key}'s slot, by {@code CLUSTER SLOTS}: for tests that talk to a key's shard, or to another. */
    public ValkeyServer masterOf(String key) {
        ValkeyServer any = running().stream().findFirst().orElseThrow(() ->
                new EmbeddedValkeyException("no node of this cluster is running"));
        long slot = (Long) any.command("CLUSTER", "KEYSLOT", key);
        for (Object range : (List<?>) any.command("CLUSTER", "SLOTS")) {
            List<?> r = (List<?>) range;
            if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                int port = ((Long) ((List<?>) r.get(2)).get(1)).intValue();
                return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow(() ->
                        new EmbeddedValkeyException("CLUSTER SLOTS names port " + port + ", which is no node of this cluster"));
            }
        }
        throw new EmbeddedValkeyException("no master serves the slot " + slot + " of " + key);
    }

    /** Kills every node and deletes their directories and the certificates. */
    @Override
    public void close() {
        nodes.forEach(ValkeyServer::close);
        if (security.certificates() != null) {
            deleteQuietly(security.certificates());
        }
    }

    private static void deleteQuietly(TestCertificates certificates) {
        for (Path file : List.of(certificates.caFile(), certificates.certificateFile(), certificates.privateKeyFile())) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a left-over temporary file is harmless
            }
        }
        try {
            Files.deleteIfExists(certificates.caFile().getParent());
        } catch (IOException e) {
            // as above
        }
    }

    /** What cluster to start; every setter documents its default. */
    public static final class Builder {
        private int masters = MASTERS;
        private int replicasPerMaster;
        private Duration nodeTimeout = NODE_TIMEOUT;
        private boolean tls;
        private Security.AclUser user;

        private Builder() {}

        /** How many masters; default 3, at least 3 ({@code --cluster create} needs three). */
        public Builder masters(int masters) {
            if (masters < MASTERS) {
                throw new IllegalArgumentException("masters is " + masters + ", must be at least " + MASTERS);
            }
            this.masters = masters;
            return this;
        }

        /** How many replicas each master has; default 0, at most 2. */
        public Builder replicasPerMaster(int replicasPerMaster) {
            if (replicasPerMaster < 0 || replicasPerMaster > 2) {
                throw new IllegalArgumentException("replicasPerMaster is " + replicasPerMaster + ", must be 0, 1 or 2");
            }
            this.replicasPerMaster = replicasPerMaster;
            return this;
        }

        /**
         * The nodes' {@code cluster-node-timeout}: how long a master may not answer before the others mark it failed
         * and its replica takes over (a failover then takes about this plus a second); default 5 s, 500 ms to 60 s.
         */
        public Builder nodeTimeout(Duration nodeTimeout) {
            if (nodeTimeout == null || nodeTimeout.toMillis() < 500 || nodeTimeout.toMillis() > 60_000) {
                throw new IllegalArgumentException("nodeTimeout is " + nodeTimeout + ", must be 500 ms to 60 s");
            }
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /**
         * TLS only: certificates made for this cluster ({@link TestCertificates}, which needs BouncyCastle), no
         * plaintext port, TLS on the cluster bus and the replication link too; default plaintext.
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * An ACL user and its rules ({@code ~mg* -@all +@read …}), with the default user off; default none (the
         * default user, no password). The harness itself and the replicas use a user of their own.
         */
        public Builder user(String name, String password, String rules) {
            if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}") || name.equals("default")) {
                throw new IllegalArgumentException("user name is '" + name + "', must be 1..64 letters, digits, '-' or '_', not default");
            }
            if (password == null || !password.matches("[A-Za-z0-9_-]{8,128}")) {
                throw new IllegalArgumentException("the password of user " + name + " must be 8..128 letters, digits, '-' or '_'");
            }
            if (rules == null || rules.isBlank() || rules.contains("\n")) {
                throw new IllegalArgumentException("the rules of user " + name + " are missing or span lines");
            }
            this.user = new Security.AclUser(name, password, rules.strip());
            return this;
        }

        /** Starts the nodes, forms the cluster and waits until it is ok; on failure nothing is left running. */
        public ValkeyCluster start() {
            List<ValkeyServer> nodes = new ArrayList<>();
            Path certificatesDir = null;
            try {
                Security security = Security.NONE;
                if (tls || user != null) {
                    TestCertificates certificates = null;
                    if (tls) {
                        certificatesDir = Files.createTempDirectory("marketgate-valkey-tls-");
                        certificates = TestCertificates.create(certificatesDir);
                    }
                    security = user == null ? new Security(certificates, null, null, null)
                            : new Security(certificates, "harness", randomPassword(), user);
                }
                for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                    nodes.add(new ValkeyServer(List.of(
                            "--cluster-enabled", "yes",
                            "--cluster-config-file", "nodes.conf",
                            "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis())), true, security).start());
                }
                ValkeyCluster cluster = new ValkeyCluster(nodes, masters, security, nodeTimeout);
                cluster.form(replicasPerMaster);
                return cluster;
            } catch (IOException e) {
                nodes.forEach(ValkeyServer::close);
                throw new EmbeddedValkeyException("could not create a directory for the certificates: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                nodes.forEach(ValkeyServer::close);
                throw e;
            }
        }

        private static String randomPassword() {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    private static String role(ValkeyServer node) {
        return String.valueOf(((List<?>) node.command("ROLE")).get(0));
    }

    private List<ValkeyServer> running() {
        return nodes.stream().filter(ValkeyServer::isRunning).toList();
    }

    private boolean allRunningOk() {
        for (ValkeyServer n : running()) {
            if (!String.valueOf(n.command("CLUSTER", "INFO")).contains("cluster_state:ok")) {
                return false;
            }
        }
        return true;
    }

    /** Polls {@code done} every 20 ms (a node that does not answer counts as not done) until it holds or time is up. */
    private static void await(BooleanSupplier done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        EmbeddedValkeyException last = null;
        while (true) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (EmbeddedValkeyException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new EmbeddedValkeyException("waited " + timeout.toMillis() + " ms for " + what + " in vain"
                        + (last == null ? "" : "; last error: " + last.getMessage()), last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedValkeyException("interrupted while waiting for " + what, e);
            }
        }
    }

    private void form(int replicasPerMaster) {
        Path cli = Binaries.cli(nodes.get(0).binary());
        List<String> cmd = new ArrayList<>(List.of(cli.toString()));
        if (security.certificates() != null) {
            cmd.addAll(List.of("--tls", "--cacert", security.certificates().caFile().toString()));
        }
        if (security.harnessUser() != null) {
            // the password goes in the environment, not on the command line
            cmd.addAll(List.of("--user", security.harnessUser()));
        }
        cmd.addAll(List.of("--cluster", "create"));
        for (ValkeyServer node : nodes) {
            cmd.add("127.0.0.1:" + node.port());
        }
        cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        String output;
        int exit;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (security.harnessPassword() != null) {
                pb.environment().put("REDISCLI_AUTH", security.harnessPassword());
                pb.environment().put("VALKEYCLI_AUTH", security.harnessPassword());
            }
            Process p = pb.start();
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
                        || !lastInfo.contains("cluster_known_nodes:" + nodes.size())
                        || !lastInfo.contains("cluster_size:" + masters)) {
                    allOk = false;
                    break;
                }
                // a replica whose link is up has authenticated to its master (masteruser) through TLS
                String replication = String.valueOf(node.command("INFO", "replication"));
                if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                    lastInfo = replication;
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
