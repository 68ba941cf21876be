package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.InfrastructureConfig.MarketInfrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class FunctionsStackTest {

    private final Synthesized dev = Synthesized.environment("dev");
    private final Template functions = dev.template(dev.stacks.functions());
    private final InfrastructureConfig infra = dev.deployment.infrastructure();

    @Test
    void every_function_is_named_after_the_environment_and_runs_java_21_with_snapstart() {
        List<Map<String, Object>> fns = Resources.properties(functions, "AWS::Lambda::Function");
        List<String> expected = new ArrayList<>();
        infra.markets().keySet().forEach(m -> expected.addAll(List.of("dev-" + m + "-collector", "dev-" + m + "-actions")));
        expected.addAll(List.of("dev-api", "dev-scheduler", "dev-job-worker"));
        assertThat(fns).extracting(f -> f.get("FunctionName")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(fns).allSatisfy(f -> {
            assertThat(f.get("Runtime")).isEqualTo("java21");
            assertThat(at(f, "SnapStart", "ApplyOn")).isEqualTo("PublishedVersions");
            assertThat(at(f, "LoggingConfig", "LogGroup")).isNotNull();
        });
        // in the VPC but for a dynamic-IP group's consumers (DynamicGroupTest)
        assertThat(fns).filteredOn(f -> !dynamicGroupFunction(String.valueOf(f.get("FunctionName"))))
                .allSatisfy(f -> assertThat(at(f, "VpcConfig", "SubnetIds")).isNotNull());
        assertThat(fns).extracting(f -> f.get("Handler")).contains(FunctionsStack.COLLECTOR_HANDLER, FunctionsStack.ACTIONS_HANDLER,
                FunctionsStack.SCHEDULER_HANDLER, "io.marketgate.handlers.ApiHandler::handleRequest",
                "io.marketgate.handlers.JobWorkerHandler::handleRequest");
    }

    @Test
    void every_function_has_its_own_log_group_with_the_environments_retention() {
        List<Map<String, Object>> logs = Resources.properties(functions, "AWS::Logs::LogGroup");
        assertThat(logs).hasSize(Resources.of(functions, "AWS::Lambda::Function").size())
                .allSatisfy(l -> assertThat(l.get("RetentionInDays")).isEqualTo(infra.logRetentionDays()))
                .allSatisfy(l -> assertThat(String.valueOf(l.get("LogGroupName"))).startsWith("/aws/lambda/dev-"));
    }

    @Test
    void every_function_is_published_behind_the_alias_live_with_a_deployment_group_that_rolls_back_on_its_alarm() {
        int count = Resources.of(functions, "AWS::Lambda::Function").size();
        assertThat(Resources.properties(functions, "AWS::Lambda::Alias")).hasSize(count)
                .allSatisfy(a -> assertThat(a.get("Name")).isEqualTo(ReleasedFunction.ALIAS));
        assertThat(Resources.of(functions, "AWS::Lambda::Version")).hasSize(count);
        assertThat(Resources.properties(functions, "AWS::CodeDeploy::DeploymentGroup")).hasSize(count).allSatisfy(g -> {
            assertThat(Resources.list(at(g, "AlarmConfiguration", "Alarms"))).hasSize(1);
            assertThat(Resources.list(at(g, "AutoRollbackConfiguration", "Events"))).contains("DEPLOYMENT_STOP_ON_ALARM");
        });
        assertThat(Resources.properties(functions, "AWS::CloudWatch::Alarm")).extracting(a -> a.get("AlarmName"))
                .contains("dev-api-errors", "dev-scheduler-errors", "dev-job-worker-errors", "dev-coupang-collector-errors",
                        "dev-coupang-actions-errors");
    }

    @Test
    void every_alias_points_at_a_published_version_of_a_snapstart_function_so_that_invocations_run_from_its_snapshot() {
        // SnapStart applies to published versions only: an invocation of $LATEST starts cold. Every alias must name a
        // version (Fn::GetAtt of an AWS::Lambda::Version) whose function has SnapStart on published versions.
        Map<String, Map<String, Object>> versions = functions.findResources("AWS::Lambda::Version");
        Map<String, Map<String, Object>> fns = functions.findResources("AWS::Lambda::Function");
        assertThat(Resources.properties(functions, "AWS::Lambda::Alias")).isNotEmpty().allSatisfy(alias -> {
            List<Object> target = Resources.list(at(alias, "FunctionVersion", "Fn::GetAtt"));
            assertThat(target).as("the alias's version").hasSize(2).element(1).isEqualTo("Version");
            Map<String, Object> version = versions.get(String.valueOf(target.get(0)));
            assertThat(version).as("the version " + target.get(0)).isNotNull();
            Object function = at(version, "Properties", "FunctionName", "Ref");
            Map<String, Object> fn = fns.get(String.valueOf(function));
            assertThat(at(fn, "Properties", "SnapStart", "ApplyOn")).as("SnapStart of " + function).isEqualTo("PublishedVersions");
            assertThat(at(alias, "FunctionName", "Ref")).as("the alias's function").isEqualTo(function);
        });
    }

    @Test
    void each_market_consumer_names_its_market_for_the_snapstart_hooks_and_the_platform_functions_name_none() {
        List<Map<String, Object>> fns = Resources.properties(functions, "AWS::Lambda::Function");
        for (String market : infra.markets().keySet()) {
            for (String kind : List.of("collector", "actions")) {
                assertThat(fns).filteredOn(f -> ("dev-" + market + "-" + kind).equals(f.get("FunctionName")))
                        .singleElement()
                        .satisfies(f -> assertThat(at(f, "Environment", "Variables", FunctionsStack.MARKET_VARIABLE)).isEqualTo(market));
            }
        }
        assertThat(fns).filteredOn(f -> List.of("dev-api", "dev-scheduler", "dev-job-worker").contains(f.get("FunctionName")))
                .hasSize(3).allSatisfy(f -> assertThat(at(f, "Environment", "Variables", FunctionsStack.MARKET_VARIABLE)).isNull());
    }

    @Test
    void prod_shifts_new_versions_through_its_configured_canary() {
        Synthesized prod = Synthesized.environment("prod");
        assertThat(Resources.properties(prod.template(prod.stacks.functions()), "AWS::CodeDeploy::DeploymentGroup"))
                .allSatisfy(g -> assertThat(g.get("DeploymentConfigName")).isEqualTo("CodeDeployDefault.LambdaCanary10Percent10Minutes"));
    }

    @Test
    void each_consumer_reads_its_queue_through_the_alias_with_capped_concurrency_and_partial_batch_failures() {
        List<Map<String, Object>> mappings = Resources.properties(functions, "AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(2 * infra.markets().size()).allSatisfy(m -> {
            assertThat(Resources.list(m.get("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
            assertThat(String.valueOf(m.get("FunctionName"))).contains("Alias");
        });
        MarketInfrastructure coupang = infra.market("coupang");
        assertThat(mappings).extracting(m -> at(m, "ScalingConfig", "MaximumConcurrency"))
                .contains(coupang.collector().maxConcurrency(), coupang.actions().maxConcurrency());
        assertThat(mappings).extracting(m -> m.get("BatchSize")).contains(coupang.collector().batchSize());
        // the limiter's local fallback divides by fleetSize, which covers both consumers
        infra.markets().values().forEach(m -> assertThat(dev.deployment.environment().market(m.market()).fleetSize())
                .isGreaterThanOrEqualTo(m.collector().maxConcurrency() + m.actions().maxConcurrency()));
    }

    @Test
    void consumers_get_the_limiters_valkey_and_powertools_and_the_api_its_jobs() {
        List<Map<String, Object>> fns = Resources.properties(functions, "AWS::Lambda::Function");
        Map<String, Object> collector = byName(fns, "dev-coupang-collector");
        assertThat(variables(collector)).containsKeys("MARKETGATE_VALKEY_SECRET", "MARKETGATE_VALKEY_CLUSTER",
                "MARKETGATE_TOKEN_KEY_SECRET", "MARKETGATE_ENV",
                "MARKETGATE_TABLE_ORDERS", "MARKETGATE_QUEUE_COUPANG_COLLECT", "MARKETGATE_QUEUE_11ST_ACTIONS")
                .containsEntry("POWERTOOLS_METRICS_NAMESPACE", "marketgate").containsEntry("POWERTOOLS_SERVICE_NAME", "coupang-collector")
                .containsEntry("POWERTOOLS_LOG_LEVEL", "INFO");
        assertThat(variables(byName(fns, "dev-api"))).containsKeys("MARKETGATE_JOBS_TABLE", "MARKETGATE_EXPORT_BUCKET",
                "MARKETGATE_JOB_WORKER_FUNCTION").doesNotContainKey("MARKETGATE_VALKEY_SECRET");
        assertThat(variables(byName(fns, "dev-job-worker"))).containsKeys("MARKETGATE_JOBS_TABLE", "MARKETGATE_EXPORT_BUCKET");
    }

    @Test
    void every_consumer_may_read_the_valkey_users_secret_and_the_token_key_and_nothing_else_may() {
        List<Map<String, Object>> policies = Resources.properties(functions, "AWS::IAM::Policy");
        // a dynamic-IP group's consumers have no Valkey (DynamicGroupTest)
        for (String market : infra.markets().keySet().stream().filter(m -> infra.egressGroup(infra.market(m).egressGroup()).fixedIp()).toList()) {
            for (String role : List.of("Collector", "Actions")) {
                String prefix = role + Deployment.idOf(market);
                String policy = policies.stream().filter(p -> String.valueOf(p.get("Roles")).contains(prefix))
                        .map(String::valueOf).findFirst().orElseThrow();
                assertThat(policy).as(prefix).contains("secretsmanager:GetSecretValue").contains("Credentials").contains("TokenKey");
            }
        }
        assertThat(policies).filteredOn(p -> !String.valueOf(p.get("Roles")).contains("Collector")
                && !String.valueOf(p.get("Roles")).contains("Actions") && !String.valueOf(p.get("Roles")).contains("ApiRole"))
                .allSatisfy(p -> assertThat(String.valueOf(p)).doesNotContain("TokenKey"));
        // the API seals consent-granted connections with it, and needs it only where a market's sellers connect by
        // consent (Cafe24ConnectionsTest shows that case)
        boolean consent = infra.markets().keySet().stream().anyMatch(dev.deployment::connectsByConsent);
        String api = policies.stream().filter(p -> String.valueOf(p.get("Roles")).contains("ApiRole")).map(String::valueOf)
                .findFirst().orElseThrow();
        assertThat(api.contains("TokenKey")).as("the API may read the token key").isEqualTo(consent);
    }

    @Test
    void only_the_actions_consumers_may_put_events_and_only_on_the_environments_actions_bus_which_they_are_told() {
        List<Map<String, Object>> fns = Resources.properties(functions, "AWS::Lambda::Function");
        for (String market : infra.markets().keySet()) {
            assertThat(String.valueOf(variables(byName(fns, "dev-" + market + "-actions")).get(FunctionsStack.EVENT_BUS_VARIABLE)))
                    .as(market).contains("ActionsBus");
            assertThat(variables(byName(fns, "dev-" + market + "-collector"))).doesNotContainKey(FunctionsStack.EVENT_BUS_VARIABLE);
        }
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> policy : Resources.properties(functions, "AWS::IAM::Policy")) {
            for (Object st : Resources.list(at(policy, "PolicyDocument", "Statement"))) {
                @SuppressWarnings("unchecked") Map<String, Object> statement = (Map<String, Object>) st;
                if (String.valueOf(statement.get("Action")).contains("events:")) {
                    statement.put("role", policy.get("Roles"));
                    statements.add(statement);
                }
            }
        }
        assertThat(statements).hasSize(infra.markets().size()).allSatisfy(st -> {
            assertThat(Resources.list(st.get("Action"))).containsExactly("events:PutEvents");
            assertThat(Resources.list(st.get("Resource"))).hasSize(1);
            assertThat(String.valueOf(st.get("Resource"))).contains("ActionsBus").doesNotContain("*");
            assertThat(String.valueOf(st.get("role"))).contains("Actions");
        });
    }

    @Test
    void the_api_may_invoke_the_worker_and_send_to_the_queues() {
        String apiPolicy = Resources.properties(functions, "AWS::IAM::Policy").stream()
                .filter(p -> String.valueOf(p.get("Roles")).contains("ApiRole")).map(String::valueOf).findFirst().orElseThrow();
        assertThat(apiPolicy).contains("lambda:InvokeFunction", "sqs:SendMessage", "s3:PutObject", "s3:GetObject", "dynamodb:PutItem");
    }

    @Test
    void the_job_worker_is_started_once_per_job_without_lambdas_async_retries() {
        List<Map<String, Object>> configs = Resources.properties(functions, "AWS::Lambda::EventInvokeConfig");
        assertThat(configs).hasSize(1);
        assertThat(configs.get(0)).containsEntry("MaximumRetryAttempts", 0);
        // on the alias live, which the API invokes: its qualifier is taken from the alias's ARN
        assertThat(String.valueOf(configs.get(0).get("Qualifier"))).contains("JobWorkerAlias");
        assertThat(String.valueOf(configs.get(0).get("FunctionName"))).contains("JobWorker");
    }

    private static Map<String, Object> byName(List<Map<String, Object>> fns, String name) {
        return fns.stream().filter(f -> name.equals(f.get("FunctionName"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> function) {
        return (Map<String, Object>) at(function, "Environment", "Variables");
    }

    /** Whether {@code function} is a collector or actions consumer of a market in a dynamic-IP egress group. */
    private boolean dynamicGroupFunction(String function) {
        return infra.markets().entrySet().stream()
                .filter(e -> !infra.egressGroup(e.getValue().egressGroup()).fixedIp())
                .anyMatch(e -> function.equals("dev-" + e.getKey() + "-collector") || function.equals("dev-" + e.getKey() + "-actions"));
    }
}
