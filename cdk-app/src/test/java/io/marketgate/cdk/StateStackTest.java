package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class StateStackTest {

    @Test
    void every_state_table_is_encrypted_recoverable_and_retained() {
        // the limiter table (dev's Cafe24 group keeps its budgets there) holds windows of seconds: DynamicGroupTest
        List<Map<String, Object>> tables = Resources.of(state(), "AWS::DynamoDB::Table").stream()
                .filter(t -> !"dev-limiter".equals(at(t, "Properties", "TableName"))).toList();
        assertThat(tables).hasSize(5).allSatisfy(t -> {
            assertThat(t.get("DeletionPolicy")).isEqualTo("Retain");
            assertThat(at(t, "Properties", "SSESpecification", "SSEEnabled")).isEqualTo(true);
            assertThat(at(t, "Properties", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")).isEqualTo(true);
            assertThat(at(t, "Properties", "DeletionProtectionEnabled")).isEqualTo(true);
        });
        assertThat(tables.stream().map(t -> at(t, "Properties", "TableName")).toList())
                .containsExactlyInAnyOrder("dev-orders", "dev-requests", "dev-sellers", "dev-idempotency", "dev-jobs");
    }

    @Test
    void jobs_idempotency_records_and_consent_states_expire_by_ttl() {
        List<Map<String, Object>> tables = Resources.properties(state(), "AWS::DynamoDB::Table");
        // the sellers table holds the consents' states (sellers' ConnectStates), which expire after 10 minutes
        assertThat(tables).filteredOn(t -> t.containsKey("TimeToLiveSpecification"))
                .extracting(t -> t.get("TableName")).containsExactlyInAnyOrder("dev-jobs", "dev-idempotency", "dev-sellers", "dev-limiter");
        state().hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of("TableName", "dev-sellers",
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true))));
        assertThat(tables).filteredOn(t -> t.containsKey("TimeToLiveSpecification")).allSatisfy(t -> {
            assertThat(at(t, "TimeToLiveSpecification", "AttributeName")).isEqualTo(StateStack.EXPIRES_AT);
            assertThat(at(t, "TimeToLiveSpecification", "Enabled")).isEqualTo(true);
        });
    }

    @Test
    void the_export_bucket_is_private_encrypted_tls_only_and_expires_its_objects() {
        Template state = state();
        assertThat(Resources.properties(state, "AWS::S3::Bucket")).singleElement().satisfies(b -> {
            @SuppressWarnings("unchecked") Map<String, Object> block = (Map<String, Object>) b.get("PublicAccessBlockConfiguration");
            assertThat(block).containsEntry("BlockPublicAcls", true)
                    .containsEntry("BlockPublicPolicy", true).containsEntry("IgnorePublicAcls", true).containsEntry("RestrictPublicBuckets", true);
            assertThat(b.get("BucketEncryption")).isNotNull();
            List<Object> rules = Resources.list(at(b, "LifecycleConfiguration", "Rules"));
            assertThat(rules).anySatisfy(r -> assertThat(((Map<?, ?>) r).get("ExpirationInDays")).isEqualTo(1));
        });
        assertThat(Resources.properties(state, "AWS::S3::BucketPolicy")).singleElement().satisfies(p ->
                assertThat(Resources.list(at(p, "PolicyDocument", "Statement"))).anySatisfy(s -> {
                    Map<?, ?> statement = (Map<?, ?>) s;
                    assertThat(statement.get("Effect")).isEqualTo("Deny");
                    assertThat(String.valueOf(statement.get("Condition"))).contains("aws:SecureTransport=false");
                }));
    }

    private static Template state() {
        Synthesized s = Synthesized.environment("dev");
        return s.template(s.stacks.state());
    }
}
