package io.marketgate.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreLocationTest {

    private static final String ARN = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dev-limiter-valkey-AbCdEf";

    @Test
    void the_cdk_apps_variables_name_a_tls_cluster_and_its_users_secret() {
        Map<String, String> variables = Map.of(StoreLocation.CLUSTER, "dev-limiter.serverless.apn2.cache.amazonaws.com:6379",
                StoreLocation.SECRET, ARN);
        assertThat(StoreLocation.fromVariables(variables::get, Optional.empty())).hasValueSatisfying(l -> {
            assertThat(l).isEqualTo(new StoreLocation.Cluster(
                    new StoreLocation.HostPort("dev-limiter.serverless.apn2.cache.amazonaws.com", 6379), ARN, Optional.empty()));
            assertThat(l.toString()).contains("TLS", ARN);
        });
    }

    @Test
    void a_standalone_url_is_shown_without_its_password() {
        Map<String, String> variables = Map.of(StoreLocation.URL, "rediss://limiter:s3cret@cache.example:6379");
        StoreLocation location = StoreLocation.fromVariables(variables::get, Optional.empty()).orElseThrow();
        assertThat(location.toString()).isEqualTo("valkey rediss://cache.example:6379").doesNotContain("s3cret");
    }

    @Test
    void nothing_set_is_no_location_and_the_operators_default_secret_fills_in() {
        assertThat(StoreLocation.fromVariables(Map.<String, String>of()::get, Optional.empty())).isEmpty();
        assertThat(StoreLocation.fromVariables(Map.of(StoreLocation.CLUSTER, "h:6379")::get, Optional.of("prod-limiter-valkey")))
                .hasValueSatisfying(l -> assertThat(((StoreLocation.Cluster) l).secretId()).isEqualTo("prod-limiter-valkey"));
    }

    @Test
    void bad_variables_are_named() {
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.CLUSTER, "h:6379")::get, Optional.empty()))
                .hasMessageContaining(StoreLocation.SECRET + " is not");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.CLUSTER, "rediss://h:6379",
                StoreLocation.SECRET, ARN)::get, Optional.empty())).hasMessageContaining(StoreLocation.CLUSTER).hasMessageContaining("host:port");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.CLUSTER, "h:99999",
                StoreLocation.SECRET, ARN)::get, Optional.empty())).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.CLUSTER, "h:6379", StoreLocation.SECRET, ARN,
                StoreLocation.URL, "redis://h:6379")::get, Optional.empty())).hasMessageContaining("both set");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.URL, "http://user:pw@h")::get, Optional.empty()))
                .hasMessageContaining(StoreLocation.URL).hasMessageNotContaining("pw");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.URL, "redis://h:6379",
                StoreLocation.CA, "/nowhere/ca.pem")::get, Optional.empty())).hasMessageContaining(StoreLocation.CA)
                .hasMessageContaining("/nowhere/ca.pem");
    }

    @Test
    void the_cdk_apps_table_variable_names_the_dynamodb_limiter_table_in_the_functions_region() {
        Map<String, String> variables = Map.of(StoreLocation.TABLE, "dev-limiter", StoreLocation.REGION, "ap-northeast-2");
        StoreLocation location = StoreLocation.fromVariables(variables::get, Optional.empty()).orElseThrow();
        assertThat(location).isEqualTo(new StoreLocation.Table("dev-limiter", Optional.of("ap-northeast-2"), Optional.empty()));
        assertThat(location.trustedCertificates()).isEmpty();
        assertThat(location.toString()).isEqualTo("dynamodb table dev-limiter");
        assertThat(StoreLocation.fromVariables(Map.of(StoreLocation.TABLE, "dev-limiter", StoreLocation.DYNAMODB_ENDPOINT,
                "http://127.0.0.1:8000")::get, Optional.empty()).orElseThrow().toString())
                .isEqualTo("dynamodb table dev-limiter at http://127.0.0.1:8000");
    }

    @Test
    void a_table_beside_a_valkey_or_a_bad_table_variable_is_named() {
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.TABLE, "dev-limiter",
                StoreLocation.CLUSTER, "h:6379", StoreLocation.SECRET, ARN)::get, Optional.empty()))
                .hasMessageContaining(StoreLocation.TABLE + " and " + StoreLocation.CLUSTER + " are both set");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.TABLE, "dev-limiter",
                StoreLocation.URL, "redis://h:6379")::get, Optional.empty()))
                .hasMessageContaining(StoreLocation.TABLE + " and " + StoreLocation.URL + " are both set");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.TABLE, "dev limiter")::get, Optional.empty()))
                .hasMessageContaining(StoreLocation.TABLE + " is 'dev limiter', must be a DynamoDB table name");
        assertThatThrownBy(() -> StoreLocation.fromVariables(Map.of(StoreLocation.TABLE, "dev-limiter",
                StoreLocation.DYNAMODB_ENDPOINT, "127.0.0.1:8000")::get, Optional.empty()))
                .hasMessageContaining(StoreLocation.DYNAMODB_ENDPOINT + " is '127.0.0.1:8000', must be an http:// or https:// URL");
    }
}
