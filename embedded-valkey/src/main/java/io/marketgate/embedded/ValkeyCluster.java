package io.marketgate.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * }</pre>
 */
public final class ValkeyCluster implements AutoCloseable {

    /** How many masters {@link #start()} starts, and the fewest a cluster may have. */
    public static final int MASTERS = 3;

    private static final long FORM_TIMEOUT_MILLIS = 30_000;

    private final List<ValkeyServer> nodes;
    private final int masters;
    private final Security security;

    private ValkeyCluster(List<ValkeyServer> nodes, int masters, Security security) {
        this.nodes = List.copyOf(nodes);
        this.masters = masters;
        this.security = security;
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

    /** The nodes that are masters now (by {@code ROLE}). */
    public List<ValkeyServer> masters() {
        return nodes.stream().filter(n -> "master".equals(role(n))).toList();
    }

    /** The nodes that are replicas now (by {@code ROLE}). */
    public List<ValkeyServer> replicas() {
        return nodes.stream().filter(n -> "slave".equals(role(n))).toList();
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
        long slot = (Long) nodes.get(0).command("CLUSTER", "KEYSLOT", key);
        for (Object range : (List<?>) nodes.get(0).command("CLUSTER", "SLOTS")) {
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
                            "--cluster-node-timeout", "5000"), true, security).start());
                }
                ValkeyCluster cluster = new ValkeyCluster(nodes, masters, security);
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
