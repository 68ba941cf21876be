package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class ValkeyStackTest {

    @Test
    void dev_runs_serverless_valkey_named_after_the_environment_with_its_user_group() {
        Template valkey = valkey("dev");
        List<Map<String, Object>> caches = Resources.properties(valkey, "AWS::ElastiCache::ServerlessCache");
        assertThat(caches).singleElement().satisfies(c -> {
            assertThat(c.get("Engine")).isEqualTo("valkey");
            assertThat(c.get("ServerlessCacheName")).isEqualTo("dev-limiter");
            assertThat(c.get("UserGroupId")).isNotNull();   // serverless always speaks TLS
        });
        assertThat(Resources.of(valkey, "AWS::ElastiCache::ReplicationGroup")).isEmpty();
    }

    @Test
    void staging_runs_node_based_valkey_with_tls_required_encryption_at_rest_and_rbac() {
        Template valkey = valkey("staging");
        assertThat(Resources.properties(valkey, "AWS::ElastiCache::ReplicationGroup")).singleElement().satisfies(g -> {
            assertThat(g.get("Engine")).isEqualTo("valkey");
            assertThat(g.get("ReplicationGroupId")).isEqualTo("staging-limiter");
            assertThat(g.get("TransitEncryptionEnabled")).isEqualTo(true);
            assertThat(g.get("TransitEncryptionMode")).isEqualTo("required");
            assertThat(g.get("AtRestEncryptionEnabled")).isEqualTo(true);
            assertThat(g.get("MultiAZEnabled")).isEqualTo(true);
            assertThat(Resources.list(g.get("UserGroupIds"))).hasSize(1);
        });
    }

    @Test
    void the_default_user_is_disabled_and_the_limiter_user_is_limited_to_its_keys() {
        List<Map<String, Object>> users = Resources.properties(valkey("dev"), "AWS::ElastiCache::User");
        assertThat(users).anySatisfy(u -> {
            assertThat(u.get("UserName")).isEqualTo("default");
            assertThat(u.get("AccessString")).isEqualTo("off -@all");
        });
        assertThat(users).anySatisfy(u -> {
            assertThat(u.get("UserName")).isEqualTo(ValkeyStack.USER_NAME);
            assertThat(String.valueOf(u.get("AccessString"))).startsWith("on ~mg-dev* -@all").contains(" -@dangerous ");
            assertThat(Resources.list(u.get("Passwords"))).hasSize(1);
        });
    }

    @Test
    void the_security_group_admits_only_the_limiter_clients_security_group() {
        for (String env : List.of("dev", "staging")) {
            Template valkey = valkey(env);
            List<Object> ingress = new ArrayList<>();
            Resources.properties(valkey, "AWS::EC2::SecurityGroup").forEach(sg -> ingress.addAll(Resources.list(sg.get("SecurityGroupIngress"))));
            Resources.properties(valkey, "AWS::EC2::SecurityGroupIngress").forEach(ingress::add);
            assertThat(ingress).as(env).isNotEmpty().allSatisfy(rule -> {
                @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) rule;
                assertThat(r).doesNotContainKeys("CidrIp", "CidrIpv6", "SourcePrefixListId");
                assertThat(String.valueOf(r.get("SourceSecurityGroupId"))).contains("LimiterClients");
                assertThat(r.get("FromPort")).isEqualTo(ValkeyStack.PORT);
            });
        }
    }

    @Test
    void the_credentials_are_a_generated_secret() {
        assertThat(Resources.properties(valkey("dev"), "AWS::SecretsManager::Secret"))
                .filteredOn(s -> "dev-limiter-valkey".equals(s.get("Name"))).singleElement()
                .satisfies(s -> assertThat(at(s, "GenerateSecretString", "GenerateStringKey")).isEqualTo("password"));
    }

    @Test
    void the_token_key_is_a_generated_secret_of_its_own_long_enough_for_the_token_cache() {
        assertThat(Resources.properties(valkey("dev"), "AWS::SecretsManager::Secret"))
                .filteredOn(s -> "dev-token-key".equals(s.get("Name"))).singleElement().satisfies(s -> {
                    assertThat(at(s, "GenerateSecretString", "GenerateStringKey")).isEqualTo("key");
                    // deployed-store's TokenKey.MIN_MATERIAL is 32 characters
                    assertThat((Integer) at(s, "GenerateSecretString", "PasswordLength")).isGreaterThanOrEqualTo(32);
                    assertThat(at(s, "GenerateSecretString", "ExcludePunctuation")).isEqualTo(true);
                });
    }

    @Test
    void the_token_key_outlives_the_stack_because_the_sellers_connections_are_sealed_with_it() {
        assertThat(Resources.of(valkey("dev"), "AWS::SecretsManager::Secret"))
                .filteredOn(s -> "dev-token-key".equals(at(s, "Properties", "Name"))).singleElement()
                .satisfies(s -> {
                    assertThat(s.get("DeletionPolicy")).isEqualTo("Retain");
                    assertThat(s.get("UpdateReplacePolicy")).isEqualTo("Retain");
                });
        // the Valkey user's credentials are ElastiCache's alone: a new stack makes new ones
        assertThat(Resources.of(valkey("dev"), "AWS::SecretsManager::Secret"))
                .filteredOn(s -> "dev-limiter-valkey".equals(at(s, "Properties", "Name"))).singleElement()
                .satisfies(s -> assertThat(s.get("DeletionPolicy")).isEqualTo("Delete"));
    }

    @Test
    void the_endpoint_is_an_output_for_on_call() {
        // serverless (dev) and node-based (staging) each give on-call the host:port of --valkey-cluster
        Map<String, Map<String, Object>> dev = valkey("dev").findOutputs("LimiterValkeyEndpoint", Map.of());
        assertThat(dev).containsKey("LimiterValkeyEndpoint");
        assertThat(String.valueOf(dev.get("LimiterValkeyEndpoint"))).contains("Endpoint.Address", "Endpoint.Port", "--valkey-cluster");
        Map<String, Map<String, Object>> staging = valkey("staging").findOutputs("LimiterValkeyEndpoint", Map.of());
        assertThat(String.valueOf(staging.get("LimiterValkeyEndpoint"))).contains("ConfigurationEndPoint.Address",
                "ConfigurationEndPoint.Port", "staging-limiter-valkey");
    }

    private static Template valkey(String env) {
        Synthesized s = Synthesized.environment(env);
        return s.template(s.stacks.valkey());
    }
}
