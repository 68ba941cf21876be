package io.marketgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster as ElastiCache runs the limiter's store: TLS only, the default user off, an ACL user limited to its keys,
 * replicas that authenticate to their masters. Each way a client can get it wrong fails.
 */
class TlsClusterTest {

    /** The access string the CDK app gives the limiter's RBAC user (cdk-app ValkeyStack), for the prefix mg-test. */
    static final String LIMITER_RULES = "~mg-test* -@all +@read +@write +@scripting +@connection -@dangerous +time +cluster +info";
    private static final String PASSWORD = "limiter-password-0123";

    private static ValkeyCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ValkeyCluster.builder().masters(3).replicasPerMaster(1).tls().user("marketgate", PASSWORD, LIMITER_RULES).start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static Resp.Access asLimiter(ValkeyServer node) {
        return new Resp.Access(node.port(), cluster.certificates().socketFactory(), "marketgate", PASSWORD);
    }

    @Test
    void three_masters_and_three_replicas_cover_every_slot_over_tls() {
        assertThat(cluster.nodes()).hasSize(6);
        assertThat(cluster.masters()).hasSize(3);
        assertThat(cluster.replicas()).hasSize(3);
        assertThat(cluster.seedUris()).allMatch(u -> u.startsWith("rediss://127.0.0.1:"));
        assertThat(Files.isRegularFile(cluster.certificates().caFile())).isTrue();
        for (ValkeyServer node : cluster.nodes()) {
            assertThat((String) node.command("CLUSTER", "INFO")).contains("cluster_state:ok", "cluster_known_nodes:6", "cluster_size:3");
        }
    }

    @Test
    void the_user_writes_its_keys_on_the_master_of_their_slot() throws IOException {
        ValkeyServer owner = cluster.masterOf("mg-test:{coupang}:probe");
        assertThat(Resp.command(asLimiter(owner), 5_000, "SET", "mg-test:{coupang}:probe", "1")).isEqualTo("OK");
        assertThat(Resp.command(asLimiter(owner), 5_000, "GET", "mg-test:{coupang}:probe")).isEqualTo("1");
    }

    @Test
    void a_key_of_another_shard_is_moved() {
        ValkeyServer owner = cluster.masterOf("mg-test:{coupang}:probe");
        ValkeyServer other = cluster.masters().stream().filter(n -> n != owner).findFirst().orElseThrow();
        assertThatThrownBy(() -> Resp.command(asLimiter(other), 5_000, "SET", "mg-test:{coupang}:probe", "1"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("MOVED");
    }

    @Test
    void a_replica_of_the_keys_own_shard_sends_a_write_to_its_master() {
        ValkeyServer owner = cluster.masterOf("mg-test:{naver}:probe");
        // a replica of the key's own shard: the one whose master is the owner
        ValkeyServer replica = cluster.replicas().stream()
                .filter(r -> String.valueOf(r.command("INFO", "replication")).contains("master_port:" + owner.port()))
                .findFirst().orElseThrow();
        // a cluster replica serves no write (nor, without READONLY, a read): it redirects to its master
        assertThatThrownBy(() -> Resp.command(asLimiter(replica), 5_000, "SET", "mg-test:{naver}:probe", "1"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageEndingWith("127.0.0.1:" + owner.port())
                .hasMessageStartingWith("MOVED");
    }

    @Test
    void plaintext_is_refused_on_the_tls_port_and_there_is_no_plaintext_port() {
        ValkeyServer node = cluster.nodes().get(0);
        // a plaintext client on the TLS port gets no reply: the server drops what is not a TLS handshake
        assertThatThrownBy(() -> Resp.command(Resp.Access.plain(node.port()), 2_000, "PING")).isInstanceOf(IOException.class);
        // and nothing listens where a plaintext port would be (the servers run with --port 0, the default is 6379)
        assertThat(node.command("CONFIG", "GET", "port")).isEqualTo(List.of("port", "0"));
    }

    @Test
    void without_the_user_nothing_is_allowed() {
        ValkeyServer node = cluster.masterOf("mg-test:{coupang}:probe");
        var tls = cluster.certificates().socketFactory();
        // the default user is off
        assertThatThrownBy(() -> Resp.command(new Resp.Access(node.port(), tls, null, null), 5_000, "GET", "mg-test:{coupang}:probe"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("NOAUTH");
        assertThatThrownBy(() -> Resp.command(new Resp.Access(node.port(), tls, "marketgate", "wrong-password"), 5_000, "PING"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("WRONGPASS");
        // and the user reaches its own keys only, and no administrative command
        assertThatThrownBy(() -> Resp.command(asLimiter(node), 5_000, "GET", "{coupang}:not-a-limiter-key"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("NOPERM");
        assertThatThrownBy(() -> Resp.command(asLimiter(node), 5_000, "CONFIG", "GET", "port"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("NOPERM");
        // +@write alone would grant these: -@dangerous takes them back
        assertThatThrownBy(() -> Resp.command(asLimiter(node), 5_000, "FLUSHALL"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("NOPERM");
        assertThatThrownBy(() -> Resp.command(asLimiter(node), 5_000, "FLUSHDB"))
                .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("NOPERM");
    }

    @Test
    void a_client_that_does_not_trust_the_test_ca_fails_the_handshake() {
        ValkeyServer node = cluster.nodes().get(0);
        var jvmDefault = (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault();
        assertThatThrownBy(() -> Resp.command(new Resp.Access(node.port(), jvmDefault, "marketgate", PASSWORD), 5_000, "PING"))
                .isInstanceOf(SSLException.class);
    }
}
