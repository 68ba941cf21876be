package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.MarketClients;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.dynamodb.LimiterTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code marketgate limiter …} against the store as an environment deploys it: a Valkey cluster of three masters with
 * a replica each, TLS only, the default user off, the limiter's RBAC user with the CDK app's access string, whose
 * credentials sit in a (local) Secrets Manager secret named as the CDK app names it. The CLI finds the user through
 * {@code --valkey-cluster} and the secret's default name; a limiter built as the handlers build it, from the variables
 * the CDK app sets, obeys what the CLI changed.
 */
class LimiterCommandOnTlsClusterTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The CDK app's access string of the limiter's user (cdk-app ValkeyStack) for dev's key prefix. */
    private static final String PASSWORD = "generated-by-secrets-manager-0123456789";
    /** The SDK's standard settings, pointing every Secrets Manager client of this JVM at the local one. */
    private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrlSecretsManager");

    private static ValkeyCluster cluster;
    private static EmbeddedSecretsManager secretsServer;
    private static String tokenKeyArn;
    private static String secretArn;
    private static EmbeddedDynamoDb dynamoDb;

    @BeforeAll
    static void start() {
        // the limiter's user with the rules the CDK app deploys for dev
        String rules = EnvironmentLoader.load(Path.of(ENVIRONMENTS), "dev").limiter().valkeyUserRules();
        cluster = ValkeyCluster.builder().masters(3).replicasPerMaster(1).tls().user("marketgate", PASSWORD, rules).start();
        secretsServer = EmbeddedSecretsManager.start();
        try (SecretsManagerClient secrets = secretsServer.client()) {
            secretArn = secrets.createSecret(b -> b.name("dev-limiter-valkey")
                    .secretString("{\"username\":\"marketgate\",\"password\":\"" + PASSWORD + "\"}")).arn();
            // the key that seals the fleet's market tokens, as the CDK app's valkey stack generates it
            tokenKeyArn = secrets.createSecret(b -> b.name("dev-token-key")
                    .secretString("{\"key\":\"" + "k".repeat(64) + "\"}")).arn();
        }
        // dev's Cafe24 keeps its budgets in the limiter table (its dynamic-IP group): here on dynalite
        dynamoDb = EmbeddedDynamoDb.start();
        try (DynamoDbClient admin = dynamoDb.client()) {
            LimiterTable.create(admin, "dev-limiter");
        }
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.endpointUrlSecretsManager", secretsServer.endpoint().toString());
    }

    @AfterAll
    static void stop() {
        PROPERTIES.forEach(System::clearProperty);
        secretsServer.close();
        dynamoDb.close();
        cluster.close();
    }

    /** {@code limiter <args>} on dev, through the cluster's endpoint (a replica's address, as a seed may be). */
    private static CliRun limiter(String... args) {
        List<String> all = new ArrayList<>(List.of("limiter"));
        all.addAll(List.of(args));
        all.addAll(List.of("--environments", ENVIRONMENTS, "--env", "dev",
                "--valkey-cluster", "127.0.0.1:" + cluster.replicas().get(0).port(),
                "--valkey-ca", cluster.certificates().caFile().toString(),
                "--dynamodb-endpoint", dynamoDb.endpoint().toString()));
        return CliRun.of(all);
    }

    private static JsonNode budget(String market, String name) throws Exception {
        CliRun run = limiter("status", "--market", market, "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (JsonNode b : JSON.readTree(run.out()).path("budgets")) {
            if (b.path("budget").asText().equals(name)) {
                return b;
            }
        }
        throw new AssertionError("no budget " + name + " in " + run.out());
    }

    /** The limiter of {@code market} exactly as a collector Lambda builds it from the variables the CDK app sets. */
    private static MarketClients handlerClients() {
        Map<String, String> variables = Map.of(
                "MARKETGATE_ENV", "dev",
                "AWS_REGION", "ap-northeast-2",
                "MARKETGATE_TABLE_ORDERS", "mg-dev-orders",
                "MARKETGATE_TABLE_REQUESTS", "mg-dev-requests",
                "MARKETGATE_TABLE_SELLERS", "mg-dev-sellers",
                "MARKETGATE_TABLE_IDEMPOTENCY", "mg-dev-idempotency",
                "MARKETGATE_VALKEY_CLUSTER", "127.0.0.1:" + cluster.masters().get(0).port(),
                "MARKETGATE_VALKEY_SECRET", secretArn,
                "MARKETGATE_VALKEY_CA", cluster.certificates().caFile().toString(),
                "MARKETGATE_TOKEN_KEY_SECRET", tokenKeyArn);
        return new MarketClients(HandlerDependencies.fromVariables(variables::get), HandlerMetrics.powertools());
    }

    @Test
    void the_markets_of_this_test_live_on_different_shards() {
        assertThat(cluster.masterOf("mg-dev:{11st}:x")).isNotSameAs(cluster.masterOf("mg-dev:{naver}:x"));
    }

    @Test
    void a_handler_built_limiter_obeys_a_pause_and_a_resume_set_by_the_cli() {
        try (MarketClients handler = handlerClients()) {
            PriorityLimiter limiter = handler.limiter("11st");
            Call low = Call.of(Priority.LOW, "11st/pace", "11st/api-key");
            // GIVEN LOW paused on 11st by on-call
            CliRun paused = limiter("pause", "--market", "11st", "--priority", "LOW", "--for", "15m", "--yes");
            assertThat(paused.exitCode()).as(paused.toString()).isZero();
            assertThat(paused.out()).contains("paused LOW on 11st/pace, 11st/api-key for 15m");
            // WHEN a collector asks for a LOW call, THEN it is denied as paused, by the store (not a local fallback)
            Decision denied = limiter.tryAcquire(low);
            assertThat(denied.granted()).isFalse();
            assertThat(denied.reason().name()).isEqualTo("PAUSED");
            // WHEN on-call resumes, THEN the next LOW call is granted
            CliRun resumed = limiter("resume", "--market", "11st", "--priority", "LOW", "--yes");
            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(limiter.tryAcquire(low).granted()).isTrue();
        }
    }

    @Test
    void status_shows_what_the_handlers_used_on_another_shard() throws Exception {
        try (MarketClients handler = handlerClients()) {
            // GIVEN a HIGH call on Naver's dispatch budget, on another shard than 11st's
            PriorityLimiter limiter = handler.limiter("naver");
            assertThat(limiter.tryAcquire(Call.of(Priority.HIGH, "naver/dispatch", "naver/seller:s1")).granted()).isTrue();
            // WHEN on-call reads the status of that budget, THEN it shows the usage
            CliRun run = limiter("status", "--market", "naver", "--budget", "dispatch", "--json");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            JsonNode dispatch = JSON.readTree(run.out()).path("budgets").get(0);
            assertThat(dispatch.path("budget").asText()).isEqualTo("naver/dispatch");
            assertThat(dispatch.at("/usageLastWindow/HIGH").asLong()).isEqualTo(1);
            // AND every market's budgets, on every shard and in the limiter table (Cafe24's), can be read at once
            CliRun text = limiter("status");
            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.out()).contains("naver/dispatch", "11st/api-key", "cafe24/mall", "coupang/");
        }
    }

    @Test
    void set_limit_and_clear_limit_change_what_the_handlers_get() throws Exception {
        try (MarketClients handler = handlerClients()) {
            PriorityLimiter limiter = handler.limiter("naver");
            Call ship = Call.of(Priority.HIGH, "naver/dispatch", "naver/seller:s2");
            // WHEN the limit of Naver's dispatch API is set to 1 for 30 minutes
            CliRun set = limiter("set-limit", "--market", "naver", "--budget", "dispatch", "--limit", "1", "--for", "30m", "--yes");
            // THEN the status shows it, and a second HIGH dispatch within the second is denied
            assertThat(set.exitCode()).as(set.toString()).isZero();
            assertThat(set.out()).contains("set the limit of naver/dispatch to 1 (configured 2) for 30m");
            assertThat(budget("naver", "naver/dispatch").path("overrideLimit").asLong()).isEqualTo(1);
            assertThat(limiter.tryAcquire(ship).granted()).isTrue();
            assertThat(limiter.tryAcquire(ship).granted()).isFalse();
            // WHEN it is cleared, THEN the configured limit is back
            CliRun cleared = limiter("clear-limit", "--market", "naver", "--budget", "dispatch", "--yes");
            assertThat(cleared.exitCode()).as(cleared.toString()).isZero();
            assertThat(cleared.out()).contains("cleared the limit override of naver/dispatch");
            assertThat(budget("naver", "naver/dispatch").path("overrideLimit").isNull()).isTrue();
        }
    }

    @Test
    void a_wrong_secret_or_no_trust_fails_with_a_clear_error_and_no_password() {
        CliRun wrongSecret = CliRun.of("limiter", "status", "--market", "11st", "--environments", ENVIRONMENTS, "--env", "dev",
                "--valkey-cluster", "127.0.0.1:" + cluster.masters().get(0).port(), "--valkey-secret", "prod-limiter-valkey",
                "--valkey-ca", cluster.certificates().caFile().toString());
        assertThat(wrongSecret.exitCode()).as(wrongSecret.toString()).isNotZero();
        assertThat(wrongSecret.err()).contains("prod-limiter-valkey");
        CliRun untrusted = CliRun.of("limiter", "status", "--market", "11st", "--environments", ENVIRONMENTS, "--env", "dev",
                "--valkey-cluster", "127.0.0.1:" + cluster.masters().get(0).port());
        assertThat(untrusted.exitCode()).as(untrusted.toString()).isNotZero();
        assertThat(untrusted.out() + untrusted.err()).doesNotContain(PASSWORD);
        CliRun both = CliRun.of("limiter", "status", "--environments", ENVIRONMENTS, "--valkey", "redis://127.0.0.1:1",
                "--valkey-cluster", "127.0.0.1:1");
        assertThat(both.err()).contains("--valkey and --valkey-cluster are both given");
    }
}
