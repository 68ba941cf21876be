package io.marketgate.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@link DeployedStore} against a cluster as the CDK app deploys one: three masters with a replica each, TLS only, the
 * default user off, the limiter's RBAC user (the CDK app's access string) whose credentials sit in a Secrets Manager
 * secret. A client that does any of it wrong fails.
 */
class DeployedStoreOnTlsClusterTest {

    private static final String PASSWORD = "generated-by-secrets-manager-0123456789";

    private static ValkeyCluster cluster;
    private static EmbeddedSecretsManager secretsServer;
    private static SecretsManagerClient secrets;
    private static EnvironmentConfig dev;
    private static String secretArn;

    @BeforeAll
    static void start() {
        dev = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        // the limiter's user with the rules the CDK app deploys
        cluster = ValkeyCluster.builder().masters(3).replicasPerMaster(1).tls()
                .user("marketgate", PASSWORD, dev.limiter().valkeyUserRules()).start();
        secretsServer = EmbeddedSecretsManager.start();
        secrets = secretsServer.client();
        secretArn = secrets.createSecret(b -> b.name("dev-limiter-valkey")
                .secretString("{\"username\":\"marketgate\",\"password\":\"" + PASSWORD + "\"}")).arn();
        secrets.createSecret(b -> b.name("stale-limiter-valkey")
                .secretString("{\"username\":\"marketgate\",\"password\":\"an-old-password-xyz\"}"));
    }

    @AfterAll
    static void stop() {
        secrets.close();
        secretsServer.close();
        cluster.close();
    }

    private static StoreLocation clusterAt(ValkeyServer seed, String secret) {
        return new StoreLocation.Cluster(new StoreLocation.HostPort("127.0.0.1", seed.port()), secret,
                Optional.of(cluster.certificates().caFile()));
    }

    private static Budget budget(String name) {
        return dev.budget(name).budget();
    }

    @Test
    void the_markets_of_the_test_live_on_different_shards() {
        assertThat(cluster.masterOf("mg-dev:{11st}:x")).isNotSameAs(cluster.masterOf("mg-dev:{naver}:x"));
    }

    @Test
    void a_store_opened_through_the_secret_decides_and_pauses_on_every_shard() {
        // GIVEN the cluster as the Lambdas find it: a seed (a replica, even) and the secret's ARN
        try (LimiterStore store = DeployedStore.open(dev, clusterAt(cluster.replicas().get(0), secretArn), secrets)) {
            // WHEN calls of two markets on two shards are decided, and LOW is paused on one
            Decision eleven = store.decide(List.of(budget("11st/api-key")), Priority.LOW, 1);
            Decision naver = store.decide(List.of(budget("naver/dispatch")), Priority.HIGH, 1);
            store.pause(budget("naver/dispatch"), Priority.LOW, Duration.ofMinutes(1));
            // THEN both are granted, and the pause holds
            assertThat(eleven.granted()).isTrue();
            assertThat(naver.granted()).isTrue();
            assertThat(store.decide(List.of(budget("naver/dispatch")), Priority.LOW, 1).reason().name()).isEqualTo("PAUSED");
            assertThat(store.status(budget("naver/dispatch")).usage().get(Priority.HIGH)).isEqualTo(1);
            store.resume(budget("naver/dispatch"), Priority.LOW);
        }
    }

    @Test
    void the_description_names_the_user_never_the_password() {
        DeployedStore deployed = DeployedStore.resolve(clusterAt(cluster.nodes().get(0), "dev-limiter-valkey"), DeployedStore.options(dev),
                () -> secretsServer.client());
        assertThat(deployed.description()).contains("127.0.0.1:" + cluster.nodes().get(0).port(), "marketgate")
                .doesNotContain(PASSWORD);
    }

    @Test
    void a_wrong_password_fails_without_showing_either_password() {
        assertThatThrownBy(() -> DeployedStore.open(dev, clusterAt(cluster.nodes().get(0), "stale-limiter-valkey"), secrets))
                .satisfies(e -> assertThat(chain(e)).contains("WRONGPASS").doesNotContain("an-old-password-xyz", PASSWORD));
    }

    @Test
    void a_missing_secret_is_named() {
        assertThatThrownBy(() -> DeployedStore.open(dev, clusterAt(cluster.nodes().get(0), "prod-limiter-valkey"), secrets))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("prod-limiter-valkey");
    }

    @Test
    void without_the_user_the_cluster_refuses() {
        StoreLocation noUser = new StoreLocation.Standalone("rediss://127.0.0.1:" + cluster.nodes().get(0).port(),
                Optional.of(cluster.certificates().caFile()));
        assertThatThrownBy(() -> DeployedStore.open(dev, noUser, secrets)).satisfies(e -> assertThat(chain(e)).contains("NOAUTH"));
    }

    @Test
    void without_tls_the_cluster_cannot_be_reached() {
        StoreLocation plain = new StoreLocation.Standalone("redis://marketgate:" + PASSWORD + "@127.0.0.1:" + cluster.nodes().get(0).port(),
                Optional.empty());
        assertThatThrownBy(() -> DeployedStore.open(dev, plain, secrets))
                .satisfies(e -> assertThat(chain(e)).doesNotContain(PASSWORD));
    }

    @Test
    void without_the_clusters_ca_the_handshake_fails() {
        StoreLocation untrusted = new StoreLocation.Cluster(new StoreLocation.HostPort("127.0.0.1", cluster.nodes().get(0).port()),
                "dev-limiter-valkey", Optional.empty());
        assertThatThrownBy(() -> DeployedStore.open(dev, untrusted, secrets))
                .satisfies(e -> assertThat(chain(e)).containsIgnoringCase("certification path"));
    }

    @Test
    void a_client_of_one_node_is_sent_away_from_the_other_shards_and_the_replicas() {
        // GIVEN a standalone client (not a cluster client) of the master that does not own 11st's slot, and of a replica
        ValkeyServer owner = cluster.masterOf("mg-dev:{11st}:x");
        ValkeyServer otherMaster = cluster.masters().stream().filter(n -> n != owner).findFirst().orElseThrow();
        ValkeyServer replica = cluster.replicas().stream()
                .filter(r -> String.valueOf(r.command("INFO", "replication")).contains("master_port:" + owner.port()))
                .findFirst().orElseThrow();
        for (ValkeyServer node : List.of(otherMaster, replica)) {
            ValkeyStoreOptions options = DeployedStore.options(dev).username("marketgate").password(PASSWORD)
                    .trustedCertificates(cluster.certificates().caFile()).build();
            try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone("rediss://127.0.0.1:" + node.port(), options)) {
                // THEN a decision on 11st is refused with a redirect to the owner
                assertThatThrownBy(() -> store.decide(List.of(budget("11st/api-key")), Priority.HIGH, 1))
                        .satisfies(e -> assertThat(chain(e)).contains("MOVED").contains("127.0.0.1:" + owner.port()));
            }
        }
    }

    private static String chain(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t).append('\n');
        }
        return s.toString();
    }
}
