package io.marketgate.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.deployed.tokens.TokenCaches;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.LocalAws;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.dynamodb.LimiterTable;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.TokenCache;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A function of a dynamic-IP group, as the CDK app deploys it, opens its limiter store from its variables: the table
 * {@code MARKETGATE_LIMITER_TABLE} (here on dynalite, through the SDK's {@code AWS_ENDPOINT_URL_DYNAMODB}), under the
 * environment's key prefix, with no secret to read; and its access tokens stay with each instance.
 */
class DeployedStoreOnDynamoDbTest {

    private static EmbeddedDynamoDb dynamoDb;
    private static String previousKeyId;
    private static String previousSecret;

    @BeforeAll
    static void start() {
        dynamoDb = EmbeddedDynamoDb.start();
        try (DynamoDbClient client = dynamoDb.client()) {
            LimiterTable.create(client, "dev-limiter");
        }
        // the SDK's default credentials, as a function's role gives them in AWS: here dynalite's dummy keys
        previousKeyId = System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        previousSecret = System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        restore("aws.accessKeyId", previousKeyId);
        restore("aws.secretAccessKey", previousSecret);
        dynamoDb.close();
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }

    @Test
    void the_table_variable_opens_the_dynamodb_store_under_the_environments_key_prefix_without_a_secret() {
        // GIVEN a dynamic group's function's variables
        Map<String, String> variables = Map.of(StoreLocation.TABLE, "dev-limiter", StoreLocation.REGION, "ap-northeast-2",
                StoreLocation.DYNAMODB_ENDPOINT, dynamoDb.endpoint().toString());
        StoreLocation location = StoreLocation.fromVariables(variables::get, Optional.empty()).orElseThrow();

        // WHEN it is resolved (a secret would fail the test: none is read) and opened
        DeployedStore deployed = DeployedStore.resolve(location, ValkeyStoreOptions.builder().keyPrefix("mg-dev"), () -> {
            throw new AssertionError("a table needs no secret");
        });
        Budget mall = Budget.named("cafe24/mall").limit(36).window(java.time.Duration.ofSeconds(20)).build().forKey("shop42");
        Decision d;
        try (LimiterStore store = deployed.open()) {
            d = store.decide(List.of(mall), Priority.MEDIUM, 1);
            assertThat(store.describe()).isEqualTo("dynamodb table dev-limiter (prefix mg-dev)");
        }

        // THEN the grant is in the table, in the mall's item under the environment's prefix
        assertThat(d.granted()).isTrue();
        assertThat(deployed.description()).isEqualTo("dynamodb table dev-limiter at " + dynamoDb.endpoint());
        try (DynamoDbClient client = dynamoDb.client()) {
            assertThat(client.getItem(b -> b.tableName("dev-limiter").consistentRead(true)
                    .key(Map.of(LimiterTable.PK, AttributeValue.fromS("mg-dev:cafe24#shop42")))).item())
                    .containsKey("log:cafe24/mall:shop42");
        }
    }

    @Test
    void access_tokens_are_kept_by_each_instance_when_the_store_is_a_table() {
        // GIVEN the token cache the handlers build beside the store
        Map<String, String> variables = Map.of(StoreLocation.TABLE, "dev-limiter", StoreLocation.REGION, "ap-northeast-2");
        StoreLocation location = StoreLocation.fromVariables(variables::get, Optional.empty()).orElseThrow();
        DeployedStore deployed = DeployedStore.resolve(location, ValkeyStoreOptions.builder().keyPrefix("mg-dev"), () -> {
            throw new AssertionError("no secret");
        });
        try (var cache = TokenCaches.forStore(deployed, TokenCaches.encryption(variables::get, location, () -> {
            throw new AssertionError("no token key secret is set");
        }))) {
            TokenCache tokens = cache;
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            // WHEN a token is stored and read
            tokens.put("naver:acct", new CachedToken("t-1", now.plusSeconds(3600), now.plusSeconds(1800)));

            // THEN this instance has it, without any Valkey to share it through
            assertThat(tokens.get("naver:acct")).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("t-1"));
            assertThat(tokens.tryLease("naver:other", java.time.Duration.ofSeconds(5))).isTrue();
        }
    }
}
