package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the functions need for Cafe24's consent-granted connections, least privilege: dev with Cafe24 on its own protocol
 * ({@link Cafe24Fixture}), on the dynamic-IP group with the DynamoDB limiter (as it is meant to run) and on the fixed-IP
 * group with Valkey. The API completes a consent (the app's client secret, the limiter of the exchange, the token key
 * that seals the connection); Cafe24's consumers open and write the connections (the token key, conditional updates of
 * the sellers table); the scheduler keeps them alive; and the alarm on {@code ReconnectRequired} pages on-call.
 */
class Cafe24ConnectionsTest {

    private final Synthesized dynamic = Cafe24Fixture.onDynamicGroup();
    private final Template functions = dynamic.template(dynamic.stacks.functions());

    @Test
    void given_cafe24_connects_by_consent_when_synthesized_then_the_api_reads_only_cafe24s_sellers_secrets_and_the_token_key() {
        List<String> api = grants(functions, "ApiRole");

        // the seller's app (clientId, clientSecret) for the code's exchange: Cafe24's sellers' secrets, no other market's
        assertThat(api).contains("secretsmanager:GetSecretValue dev/marketgate/sellers/cafe24/*");
        assertThat(api).filteredOn(g -> g.startsWith("secretsmanager:GetSecretValue") && g.contains("/marketgate/sellers/"))
                .containsExactly("secretsmanager:GetSecretValue dev/marketgate/sellers/cafe24/*");
        // the token key, to seal the connection
        assertThat(api).anySatisfy(g -> assertThat(g).startsWith("secretsmanager:GetSecretValue ").contains("TokenKey"));
        // the exchange is drawn from Cafe24's limiter: the limiter table, as the DynamoDB store uses it, and no Valkey
        assertThat(api).filteredOn(g -> g.contains("Limiter")).extracting(g -> g.substring(0, g.indexOf(' ')))
                .containsExactlyInAnyOrderElementsOf(FunctionsStack.LIMITER_TABLE_ACTIONS);
        assertThat(api).noneMatch(g -> g.contains("Credentials"));
        // registering every market's sellers stays as it was: manage, never read, every market's secrets
        assertThat(api).contains("secretsmanager:PutSecretValue dev/marketgate/sellers/*")
                .doesNotContain("secretsmanager:GetSecretValue dev/marketgate/sellers/*");

        Map<String, Object> variables = variables(functions, "dev-api");
        assertThat(String.valueOf(variables.get(FunctionsStack.TOKEN_KEY_VARIABLE))).contains("TokenKey");
        assertThat(String.valueOf(variables.get(FunctionsStack.LIMITER_TABLE_VARIABLE))).contains("Limiter");
        assertThat(variables).doesNotContainKeys(FunctionsStack.VALKEY_CLUSTER_VARIABLE, FunctionsStack.VALKEY_SECRET_VARIABLE);
    }

    @Test
    void given_cafe24s_consumers_when_synthesized_then_they_open_and_conditionally_update_connections_and_touch_no_other_markets_secrets() {
        for (String role : List.of("CollectorCafe24", "ActionsCafe24")) {
            List<String> grants = grants(functions, role);
            assertThat(grants).as(role).anySatisfy(g -> assertThat(g).startsWith("secretsmanager:GetSecretValue ").contains("TokenKey"));
            // the connection rows: read (GetItem, the keep-alive's Query) and conditional updates (claim, write, mark);
            // never a put or delete that could replace a connection unconditionally
            List<String> sellersTable = grants.stream().filter(g -> g.contains("Sellers")).map(g -> g.substring(0, g.indexOf(' '))).toList();
            assertThat(sellersTable).as(role).contains("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem")
                    .doesNotContain("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem");
            assertThat(grants).as(role).filteredOn(g -> g.contains("/marketgate/sellers/"))
                    .containsExactly("secretsmanager:GetSecretValue dev/marketgate/sellers/cafe24/*");
        }
        // a market whose sellers do not connect by consent reads no Cafe24 secret
        assertThat(grants(functions, "CollectorCoupang")).noneMatch(g -> g.contains("sellers/cafe24"));
        assertThat(String.valueOf(variables(functions, "dev-cafe24-actions").get(FunctionsStack.TOKEN_KEY_VARIABLE))).contains("TokenKey");
    }

    @Test
    void given_connections_expiring_unused_when_the_scheduler_keeps_them_alive_then_it_may_query_them_and_queue_a_request_and_no_more() {
        List<String> scheduler = grants(functions, "SchedulerRole");
        // FanOutService.keepAlive: ConnectionStore.expiringBefore (a Query of connection#cafe24), one request each
        // (requests table) sent to Cafe24's collection queue (SendMessageBatch is authorized as SendMessage)
        assertThat(scheduler).anySatisfy(g -> assertThat(g).startsWith("dynamodb:Query ").contains("Sellers"));
        assertThat(scheduler).anySatisfy(g -> assertThat(g).startsWith("dynamodb:PutItem ").contains("Requests"));
        assertThat(scheduler).anySatisfy(g -> assertThat(g).startsWith("sqs:SendMessage ").contains("Cafe24Collect"));
        // it never opens a sealed token, nor changes a connection
        assertThat(scheduler).noneMatch(g -> g.contains("TokenKey") || g.startsWith("secretsmanager:"));
        assertThat(scheduler).noneMatch(g -> g.startsWith("dynamodb:UpdateItem ") && g.contains("Sellers"));
        assertThat(variables(functions, "dev-scheduler")).doesNotContainKey(FunctionsStack.TOKEN_KEY_VARIABLE);
    }

    @Test
    void given_a_connection_refused_when_reconnect_required_is_counted_then_its_alarm_pages_on_call() {
        Template observability = dynamic.template(dynamic.stacks.observability());
        observability.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "dev-cafe24-reconnect-required",
                "Threshold", 1,
                "EvaluationPeriods", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "TreatMissingData", "notBreaching",
                "Metrics", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Expression", "SELECT SUM(ReconnectRequired) FROM marketgate WHERE market = 'cafe24'")))))));
        List<Map<String, Object>> alarms = Resources.properties(observability, "AWS::CloudWatch::Alarm");
        // to the alarms' topic, as every alarm
        assertThat(alarms).filteredOn(a -> "dev-cafe24-reconnect-required".equals(a.get("AlarmName"))).singleElement()
                .satisfies(a -> assertThat(String.valueOf(a.get("AlarmActions"))).contains("Alarms"));
        // only a market whose sellers connect by consent has one
        assertThat(alarms).extracting(a -> String.valueOf(a.get("AlarmName")))
                .filteredOn(n -> n.endsWith("-reconnect-required")).containsExactly("dev-cafe24-reconnect-required");
    }

    @Test
    void given_cafe24_on_a_valkey_group_when_synthesized_then_the_api_joins_the_limiter_clients_for_the_exchange() {
        Synthesized valkey = Cafe24Fixture.onValkeyGroup();
        Template fns = valkey.template(valkey.stacks.functions());
        List<String> api = grants(fns, "ApiRole");

        assertThat(api).anySatisfy(g -> assertThat(g).startsWith("secretsmanager:GetSecretValue ").contains("Credentials"));
        assertThat(api).anySatisfy(g -> assertThat(g).startsWith("secretsmanager:GetSecretValue ").contains("TokenKey"));
        assertThat(api).contains("secretsmanager:GetSecretValue dev/marketgate/sellers/cafe24/*");
        assertThat(variables(fns, "dev-api")).containsKeys(FunctionsStack.VALKEY_CLUSTER_VARIABLE, FunctionsStack.VALKEY_SECRET_VARIABLE,
                FunctionsStack.TOKEN_KEY_VARIABLE).doesNotContainKey(FunctionsStack.LIMITER_TABLE_VARIABLE);
        // Valkey admits the limiter clients' security group only; the scheduler and the job worker stay out of it
        assertThat(securityGroups(fns, "dev-api")).contains("LimiterClients").contains("PlatformFunctions");
        assertThat(securityGroups(fns, "dev-scheduler")).doesNotContain("LimiterClients");
        assertThat(securityGroups(fns, "dev-job-worker")).doesNotContain("LimiterClients");
        assertThat(grants(fns, "CollectorCafe24")).anySatisfy(g -> assertThat(g).contains("TokenKey"));
    }

    @Test
    void given_either_fixture_when_cdk_nag_runs_then_nothing_is_unacknowledged() {
        for (Synthesized s : List.of(dynamic, Cafe24Fixture.onValkeyGroup())) {
            for (software.amazon.awscdk.Stack stack : s.stacks.all()) {
                var annotations = software.amazon.awscdk.assertions.Annotations.fromStack(stack);
                assertThat(annotations.findError("*", Match.anyValue())).as(stack.getStackName() + " errors").isEmpty();
                assertThat(annotations.findWarning("*", Match.anyValue())).as(stack.getStackName() + " warnings").isEmpty();
            }
        }
    }

    /**
     * Every (action, resource) pair that the policies of the roles whose reference contains {@code rolePart} allow: the
     * action, a space, and the resource as text (a secret's ARN from its {@code :secret:} on, so that the pattern reads
     * {@code dev/marketgate/sellers/cafe24/*}; a cross-stack reference as its CloudFormation text).
     */
    static List<String> grants(Template template, String rolePart) {
        List<String> grants = new ArrayList<>();
        for (Map<String, Object> policy : Resources.properties(template, "AWS::IAM::Policy")) {
            if (!String.valueOf(policy.get("Roles")).contains(rolePart)) {
                continue;
            }
            for (Object st : Resources.list(at(policy, "PolicyDocument", "Statement"))) {
                @SuppressWarnings("unchecked") Map<String, Object> statement = (Map<String, Object>) st;
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                for (Object resource : Resources.list(statement.get("Resource"))) {
                    String text = String.valueOf(resource);
                    if (text.contains(":secret:")) {
                        text = text.substring(text.indexOf(":secret:") + ":secret:".length()).replaceAll("[\\]}, ]+$", "");
                    }
                    for (Object action : Resources.list(statement.get("Action"))) {
                        grants.add(action + " " + text);
                    }
                }
            }
        }
        assertThat(grants).as("statements of " + rolePart).isNotEmpty();
        return grants;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Template template, String functionName) {
        Map<String, Object> f = Resources.properties(template, "AWS::Lambda::Function").stream()
                .filter(p -> functionName.equals(p.get("FunctionName"))).findFirst().orElseThrow();
        return (Map<String, Object>) at(f, "Environment", "Variables");
    }

    private static String securityGroups(Template template, String functionName) {
        Map<String, Object> f = Resources.properties(template, "AWS::Lambda::Function").stream()
                .filter(p -> functionName.equals(p.get("FunctionName"))).findFirst().orElseThrow();
        return String.valueOf(at(f, "VpcConfig", "SecurityGroupIds"));
    }
}
