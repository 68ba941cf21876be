package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * A dynamic-IP egress group whose limiter store is DynamoDB: the shipped dev, whose group {@code dynamic-ip} carries
 * Cafe24 (which allow-lists no IP). Cafe24's functions run outside the VPC with the limiter table and nothing of Valkey
 * but the token key that seals their sellers' connections; the other markets keep the VPC and Valkey; the table is
 * there, encrypted and on demand; and cdk-nag finds nothing unacknowledged.
 */
class DynamicGroupTest {

    private static Synthesized dev;
    private static Template state;
    private static Template functions;

    @BeforeAll
    static void synthesize() {
        dev = Synthesized.environment("dev");
        assertThat(dev.deployment.infrastructure().egressGroup(dev.deployment.infrastructure().market("cafe24").egressGroup())
                .fixedIp()).as("dev's Cafe24 on a dynamic-IP group").isFalse();
        state = dev.template(dev.stacks.state());
        functions = dev.template(dev.stacks.functions());
    }

    @Test
    void the_limiter_table_is_encrypted_on_demand_expiring_and_without_point_in_time_recovery() {
        List<Map<String, Object>> tables = Resources.of(state, "AWS::DynamoDB::Table").stream()
                .filter(t -> "dev-limiter".equals(at(t, "Properties", "TableName"))).toList();
        assertThat(tables).singleElement().satisfies(t -> {
            assertThat(at(t, "Properties", "BillingMode")).isEqualTo("PAY_PER_REQUEST");
            assertThat(at(t, "Properties", "SSESpecification", "SSEEnabled")).isEqualTo(true);
            assertThat(at(t, "Properties", "TimeToLiveSpecification", "AttributeName")).isEqualTo("expiresAt");
            assertThat(at(t, "Properties", "TimeToLiveSpecification", "Enabled")).isEqualTo(true);
            assertThat(at(t, "Properties", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")).isEqualTo(false);
            assertThat(Resources.list(at(t, "Properties", "KeySchema"))).singleElement()
                    .satisfies(k -> assertThat(String.valueOf(k)).contains("AttributeName=pk", "KeyType=HASH"));
            // windows of seconds and pauses of at most 7 days: nothing to keep when the stack goes
            assertThat(t.get("DeletionPolicy")).isEqualTo("Delete");
        });
    }

    @Test
    void the_dynamic_groups_functions_run_outside_the_vpc_with_the_limiter_table_and_nothing_of_valkey() {
        List<Map<String, Object>> fns = Resources.properties(functions, "AWS::Lambda::Function");
        for (String name : List.of("dev-cafe24-collector", "dev-cafe24-actions")) {
            Map<String, Object> f = byName(fns, name);
            assertThat(f.get("VpcConfig")).as(name).isNull();
            assertThat(variables(f)).as(name).containsKey(FunctionsStack.LIMITER_TABLE_VARIABLE)
                    .doesNotContainKeys("MARKETGATE_VALKEY_SECRET", "MARKETGATE_VALKEY_CLUSTER");
            // the key that seals the sellers' connections, which Cafe24's consumers open and write at every refresh
            assertThat(String.valueOf(variables(f).get(FunctionsStack.TOKEN_KEY_VARIABLE))).as(name).contains("TokenKey");
            assertThat(String.valueOf(variables(f).get(FunctionsStack.LIMITER_TABLE_VARIABLE))).as(name).contains("Limiter");
        }
        // the fixed-IP group's markets are where they were: in the VPC, on Valkey
        Map<String, Object> coupang = byName(fns, "dev-coupang-collector");
        assertThat(at(coupang, "VpcConfig", "SubnetIds")).isNotNull();
        assertThat(variables(coupang)).containsKey("MARKETGATE_VALKEY_CLUSTER").doesNotContainKey(FunctionsStack.LIMITER_TABLE_VARIABLE);
    }

    @Test
    void the_dynamic_groups_functions_may_read_and_write_the_limiter_table_and_no_valkey_secret_or_network_interface() {
        for (String role : List.of("CollectorCafe24", "ActionsCafe24")) {
            String policy = policyOf(role);
            assertThat(policy).as(role).contains("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem")
                    .contains("Limiter")
                    .doesNotContain("Credentials", "ec2:CreateNetworkInterface");
        }
        // and nobody else may touch the limiter table but the API, which draws Cafe24's consents' code exchanges from it
        assertThat(Resources.properties(functions, "AWS::IAM::Policy"))
                .filteredOn(p -> !String.valueOf(p.get("Roles")).contains("Cafe24") && !String.valueOf(p.get("Roles")).contains("ApiRole"))
                .allSatisfy(p -> assertThat(String.valueOf(p)).doesNotContain("Limiter"));
    }

    @Test
    void synthesizes_with_no_unacknowledged_cdk_nag_finding() {
        for (Stack stack : dev.stacks.all()) {
            Annotations annotations = Annotations.fromStack(stack);
            assertThat(annotations.findError("*", Match.anyValue())).as(stack.getStackName() + " errors").isEmpty();
            assertThat(annotations.findWarning("*", Match.anyValue())).as(stack.getStackName() + " warnings").isEmpty();
        }
    }

    @Test
    void every_shipped_environment_has_its_limiter_table_as_its_cafe24_group_asks_for_one() {
        for (String env : WholeAppTest.environments()) {
            Synthesized s = Synthesized.environment(env);
            assertThat(Resources.properties(s.template(s.stacks.state()), "AWS::DynamoDB::Table"))
                    .extracting(t -> t.get("TableName")).as(env).contains(env + "-limiter");
            List<Map<String, Object>> fns = Resources.properties(s.template(s.stacks.functions()), "AWS::Lambda::Function");
            assertThat(byName(fns, env + "-cafe24-collector").get("VpcConfig")).as(env).isNull();
        }
    }

    private static String policyOf(String rolePrefix) {
        return Resources.properties(functions, "AWS::IAM::Policy").stream()
                .filter(p -> String.valueOf(p.get("Roles")).contains(rolePrefix)).map(String::valueOf)
                .reduce("", String::concat);
    }

    private static Map<String, Object> byName(List<Map<String, Object>> fns, String name) {
        return fns.stream().filter(f -> name.equals(f.get("FunctionName"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> function) {
        return (Map<String, Object>) at(function, "Environment", "Variables");
    }
}
