package io.marketgate.deployed.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.deployed.StoreLocation;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Where the token key comes from: the environment's secret in a deployment, a generated key in a local run. */
class TokenCachesTest {

    private static final String MATERIAL = "p4Jd8sKq2LmN7vBx1cZ9wE3rT6yU0iOa5gHf";
    private static final String PREVIOUS = "Qw8eRt5yUi2oPa7sDf4gHj1kLz9xCv3bNm6";
    private static final StoreLocation CLUSTER = new StoreLocation.Cluster(new StoreLocation.HostPort("cache.example", 6379),
            "dev-limiter-valkey", Optional.empty());
    private static final StoreLocation LOCAL = new StoreLocation.Standalone("redis://127.0.0.1:6379", Optional.empty());

    private static EmbeddedSecretsManager server;
    private static String arn;

    @BeforeAll
    static void start() {
        server = EmbeddedSecretsManager.start();
        try (SecretsManagerClient client = server.client()) {
            arn = client.createSecret(b -> b.name("dev-token-key").secretString("{\"key\":\"" + MATERIAL + "\"}")).arn();
            client.createSecret(b -> b.name("rotating-token-key")
                    .secretString("{\"key\":\"" + MATERIAL + "\",\"previousKey\":\"" + PREVIOUS + "\"}"));
            client.createSecret(b -> b.name("no-key").secretString("{\"password\":\"" + MATERIAL + "\"}"));
            client.createSecret(b -> b.name("short-key").secretString("{\"key\":\"only-twenty-chars-xx\"}"));
            client.createSecret(b -> b.name("not-json").secretString("key=" + MATERIAL));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenEncryption fromSecret(String secretId, StoreLocation location) {
        return TokenCaches.encryption(Map.of(TokenCaches.KEY_SECRET, secretId)::get, location, server::client);
    }

    @Test
    void a_deployment_seals_with_the_key_of_its_secret_by_name_or_arn() {
        String expected = TokenKey.fromText(MATERIAL).idHex();

        assertThat(fromSecret("dev-token-key", CLUSTER).current().idHex()).isEqualTo(expected);
        assertThat(fromSecret(arn, CLUSTER).current().idHex()).isEqualTo(expected);
    }

    @Test
    void during_a_rotation_the_previous_key_still_opens() {
        byte[] sealedBefore = TokenEncryption.of(TokenKey.fromText(PREVIOUS)).seal("k", new io.marketgate.market.auth.CachedToken("t",
                java.time.Instant.EPOCH.plusSeconds(60), java.time.Instant.EPOCH));

        TokenEncryption rotating = fromSecret("rotating-token-key", CLUSTER);

        assertThat(rotating.open("k", sealedBefore).value()).isEqualTo("t");
        assertThat(rotating.current().idHex()).isEqualTo(TokenKey.fromText(MATERIAL).idHex());
    }

    @Test
    void a_secret_without_a_usable_key_is_named_and_never_quoted() {
        assertThatThrownBy(() -> fromSecret("no-key", CLUSTER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-key").hasMessageContaining("'key'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(MATERIAL));
        assertThatThrownBy(() -> fromSecret("short-key", CLUSTER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("short-key").hasMessageContaining("at least 32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("only-twenty-chars-xx"));
        assertThatThrownBy(() -> fromSecret("not-json", CLUSTER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not JSON").hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(MATERIAL));
        assertThatThrownBy(() -> fromSecret("prod-token-key", CLUSTER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prod-token-key");
    }

    @Test
    void the_deployed_cluster_without_the_variable_is_refused_naming_it() {
        assertThatThrownBy(() -> TokenCaches.encryption(name -> null, CLUSTER, () -> {
            throw new AssertionError("no secret to read");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining(TokenCaches.KEY_SECRET);
    }

    @Test
    void a_local_run_without_the_variable_generates_a_key_of_its_own() {
        TokenEncryption one = TokenCaches.encryption(name -> null, LOCAL, () -> {
            throw new AssertionError("no secret to read");
        });
        TokenEncryption two = TokenCaches.encryption(name -> null, LOCAL, () -> {
            throw new AssertionError("no secret to read");
        });

        assertThat(one.current().idHex()).isNotEqualTo(two.current().idHex());
    }
}
