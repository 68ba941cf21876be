package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ValkeyAccessTest {

    private static final String ARN = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dev-limiter-valkey-AbCdEf";

    @Test
    void builds_a_tls_uri_with_the_secrets_user_and_password() {
        // GIVEN the variables the CDK app sets and the secret it generated
        Map<String, String> env = Map.of(ValkeyAccess.CLUSTER, "dev-limiter.serverless.apn2.cache.amazonaws.com:6379",
                ValkeyAccess.SECRET, ARN);
        // WHEN
        var uri = ValkeyAccess.clusterUri(env::get, arn -> {
            assertThat(arn).isEqualTo(ARN);
            return "{\"username\":\"marketgate\",\"password\":\"p@ss/word\"}";
        });
        // THEN credentials are escaped for the URI
        assertThat(uri).contains("rediss://marketgate:p%40ss%2Fword@dev-limiter.serverless.apn2.cache.amazonaws.com:6379");
    }

    @Test
    void is_empty_outside_a_deployed_environment() {
        assertThat(ValkeyAccess.clusterUri(Map.<String, String>of()::get, arn -> {
            throw new AssertionError("no secret is read");
        })).isEmpty();
    }

    @Test
    void refuses_a_cluster_without_its_secret_or_a_secret_without_a_password() {
        assertThatThrownBy(() -> ValkeyAccess.clusterUri(Map.of(ValkeyAccess.CLUSTER, "h:6379")::get, arn -> "{}"))
                .hasMessageContaining(ValkeyAccess.SECRET + " is not");
        Map<String, String> env = Map.of(ValkeyAccess.CLUSTER, "h:6379", ValkeyAccess.SECRET, ARN);
        assertThatThrownBy(() -> ValkeyAccess.clusterUri(env::get, arn -> "{\"username\":\"marketgate\"}"))
                .hasMessageContaining("no text field 'password'");
    }
}
