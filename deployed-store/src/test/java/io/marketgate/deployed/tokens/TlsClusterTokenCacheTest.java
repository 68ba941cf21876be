package io.marketgate.deployed.tokens;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.deployed.DeployedStore;
import io.marketgate.deployed.StoreLocation;
import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.limiter.valkey.ValkeyTokenStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The token cache's contract on a cluster as the CDK app deploys one: three masters with a replica each, TLS only, the
 * default user off, and the limiter's RBAC user with the CDK app's access string, whose key pattern the tokens' keys
 * must fit. Each connection is opened as a Lambda opens it: {@link DeployedStore#openTokens()} from a seed and the
 * user's secret, under the environment's key prefix.
 */
class TlsClusterTokenCacheTest extends TokenCacheContract {

    private static final String PASSWORD = "generated-by-secrets-manager-0123456789";

    private static ValkeyCluster cluster;
    private static DeployedStore deployed;

    @BeforeAll
    static void start() {
        EnvironmentConfig dev = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        cluster = ValkeyCluster.builder().masters(3).replicasPerMaster(1).tls()
                .user("marketgate", PASSWORD, dev.limiter().valkeyUserRules()).start();
        try (EmbeddedSecretsManager secrets = EmbeddedSecretsManager.start(); SecretsManagerClient client = secrets.client()) {
            client.createSecret(b -> b.name("dev-limiter-valkey")
                    .secretString("{\"username\":\"marketgate\",\"password\":\"" + PASSWORD + "\"}"));
            StoreLocation location = new StoreLocation.Cluster(new StoreLocation.HostPort("127.0.0.1", cluster.nodes().get(0).port()),
                    "dev-limiter-valkey", Optional.of(cluster.certificates().caFile()));
            deployed = DeployedStore.resolve(location, DeployedStore.options(dev), secrets::client);
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Override
    protected ValkeyTokenStore connect() {
        return deployed.openTokens();
    }

    @Override
    protected ValkeyServer serverOf(String valkeyKey) {
        return cluster.masterOf(valkeyKey);
    }
}
