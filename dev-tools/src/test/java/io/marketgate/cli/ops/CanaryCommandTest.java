package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.local.LocalApiGateway.RecordedRequest;
import io.marketgate.local.LocalApiGateway;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

/**
 * {@code marketgate canary …} running the real AWS SDK {@code ApiGatewayClient} against {@link LocalApiGateway}, which
 * records every request: each test asserts the exact operations a command sent (method, path, patch operations,
 * bodies), and what the stage is afterwards. The dev environment and {@code canary-config/dev.yaml} are the shipped ones.
 */
class CanaryCommandTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();
    private static final String CANARY_CONFIG = Path.of("..", "canary-config").toString();
    private static final String API = "dev-marketgate-api";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalApiGateway gateway;
    private String apiId;
    private String originId;
    private Terminal terminal = new Answering(false, List.of());

    @BeforeAll
    static void credentials() {
        // the standard chain's first provider: what an operator's AWS_ACCESS_KEY_ID would be
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @AfterAll
    static void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void startGateway() {
        gateway = LocalApiGateway.start();
        apiId = gateway.createRestApi(API, "live");
        originId = gateway.createRestApi("dev-marketgate-origin", "live");
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    // ---- status

    @Test
    void status_finds_the_api_by_name_reads_its_stage_and_lists_the_routes_of_canary_config() {
        // GIVEN another environment's API beside dev's
        gateway.createRestApi("prod-marketgate-api", "live");
        gateway.clearRequests();

        // WHEN
        CliRun run = canary("status");

        // THEN two reads: the APIs (one page of up to 500) and the stage
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests()).extracting(RecordedRequest::line)
                .containsExactly("GET /restapis", "GET /restapis/" + apiId + "/stages/live");
        assertThat(gateway.requests().get(0).query()).containsEntry("limit", "500");
        String deployment = gateway.stage(apiId, "live").deploymentId();
        assertThat(run.out())
                .contains(API + " (id " + apiId + ") stage live")
                .contains("deployment  " + deployment)
                .contains("canary      none")
                .containsPattern("GET /v1/jobs/\\{id\\} +canary 10% +api")
                .containsPattern("POST /v1/collections +migrated +api")
                .containsPattern("GET /v1/orders +legacy")
                .contains("note: canary-config/dev.yaml has canary routes at 10% but the stage has no canary");
    }

    @Test
    void status_pages_through_the_accounts_rest_apis_until_it_has_seen_them_all() {
        // GIVEN a gateway that answers two APIs a page, and dev's API fourth of five
        gateway.close();
        gateway = LocalApiGateway.start(0, 2, Clock.systemUTC());
        gateway.createRestApi("a-marketgate-api", "live");
        gateway.createRestApi("b-marketgate-api", "live");
        gateway.createRestApi("c-marketgate-api", "live");
        apiId = gateway.createRestApi(API, "live");
        gateway.createRestApi("e-marketgate-api", "live");

        // WHEN
        CliRun run = canary("status");

        // THEN three pages, each asking from where the last one ended, and then the stage
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests()).extracting(r -> r.line() + " " + r.query().getOrDefault("position", "-"))
                .containsExactly("GET /restapis -", "GET /restapis 2", "GET /restapis 4",
                        "GET /restapis/" + apiId + "/stages/live -");
    }

    @Test
    void status_json_shows_the_canary_and_the_routes_for_scripts() throws Exception {
        // GIVEN a canary at 10% whose requests go to the origin API
        String canaryDeployment = createCanary(10.0, Map.of("migrationBackend", originTarget()));

        // WHEN
        CliRun run = canary("status", "--json");

        // THEN
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode status = JSON.readTree(run.out());
        assertThat(status.path("stage").path("restApiId").asText()).isEqualTo(apiId);
        assertThat(status.path("stage").path("canary").path("percentTraffic").asDouble()).isEqualTo(10.0);
        assertThat(status.path("stage").path("canary").path("deploymentId").asText()).isEqualTo(canaryDeployment);
        assertThat(status.path("stage").path("canary").path("stageVariableOverrides").path("migrationBackend").asText())
                .isEqualTo(originTarget());
        assertThat(status.path("routes")).anySatisfy(r -> {
            assertThat(r.path("route").asText()).isEqualTo("GET /v1/jobs/{id}");
            assertThat(r.path("state").asText()).isEqualTo("canary");
            assertThat(r.path("percent").asDouble()).isEqualTo(10.0);
        });
        assertThat(status.path("notes")).isEmpty();
    }

    @Test
    void status_warns_of_a_canary_whose_requests_cannot_reach_the_handlers() {
        // GIVEN a canary created by hand, without the origin API's override
        createCanary(10.0, Map.of());

        // WHEN
        CliRun run = canary("status");

        // THEN
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("note: the canary's migrationBackend is not set, not the origin API's " + originTarget()
                + ": its requests do not reach the handlers");
    }

    @Test
    void a_missing_api_is_named_with_where_it_was_looked_for() {
        gateway.close();
        gateway = LocalApiGateway.start();
        gateway.createRestApi("staging-marketgate-api", "live");

        CliRun run = canary("status");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no REST API named dev-marketgate-api in API Gateway at " + gateway.uri());
    }

    // ---- set

    @Test
    void set_creates_the_canary_as_a_new_deployment_on_the_stage_and_leaves_the_stage_deployment_alone() throws Exception {
        // GIVEN a stage without a canary
        String stageDeployment = gateway.stage(apiId, "live").deploymentId();

        // WHEN
        CliRun run = canary("set", "--percent", "10", "--yes");

        // THEN read, read again before the change, CreateDeployment with canary settings, read the result
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests()).extracting(RecordedRequest::line).containsExactly(
                "GET /restapis", stage(), stage(), "POST /restapis/" + apiId + "/deployments", stage());
        JsonNode body = gateway.requests().get(3).json();
        assertThat(body.path("stageName").asText()).isEqualTo("live");
        assertThat(body.path("canarySettings").path("percentTraffic").asDouble()).isEqualTo(10.0);
        assertThat(body.path("canarySettings").path("useStageCache").asBoolean(true)).isFalse();
        assertThat(body.path("canarySettings").path("stageVariableOverrides").path("migrationBackend").asText())
                .as("the canary's share of the canary routes goes to the origin API, that is to the handlers")
                .isEqualTo(originTarget());
        assertThat(body.path("description").asText()).isEqualTo("marketgate canary set --percent 10 (dev, stage live)");
        LocalApiGateway.Stage after = gateway.stage(apiId, "live");
        assertThat(after.deploymentId()).isEqualTo(stageDeployment);
        assertThat(after.canary()).hasValueSatisfying(c -> {
            assertThat(c.percentTraffic()).isEqualTo(10.0);
            assertThat(c.deploymentId()).isNotEqualTo(stageDeployment);
        });
        assertThat(run.out())
                .contains("create the stage's canary: a new deployment of the API's current definition serves 10% of the requests")
                .contains("canary.percentTraffic: none → 10")
                .contains("canary.stageVariableOverrides.migrationBackend: none → " + originTarget())
                .contains("Done: " + API + " (id " + apiId + ") stage live serves deployment " + stageDeployment
                        + "; canary: 10% on deployment " + after.canary().get().deploymentId());
    }

    @Test
    void set_refuses_to_create_a_canary_that_could_not_reach_the_handlers_without_an_origin_api() {
        // GIVEN an account where the environment was deployed without its origin API
        gateway.close();
        gateway = LocalApiGateway.start();
        apiId = gateway.createRestApi(API, "live");

        // WHEN
        CliRun run = canary("set", "--percent", "10", "--yes");

        // THEN
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no REST API named dev-marketgate-origin beside dev-marketgate-api: a canary would send "
                + "its share of POST /v1/exports, GET /v1/jobs/{id} to the legacy backend too");
        assertThat(gateway.requests()).extracting(RecordedRequest::line).containsExactly("GET /restapis", stage());
    }

    @Test
    void set_changes_the_share_of_an_existing_canary_with_one_patch() {
        // GIVEN a canary at 10%
        String canaryDeployment = createCanary(10.0, Map.of());

        // WHEN
        CliRun run = canary("set", "--percent", "25", "--yes");

        // THEN one UpdateStage replacing the percent, nothing else
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests()).extracting(RecordedRequest::line)
                .containsExactly("GET /restapis", stage(), stage(), "PATCH " + stagePath(), stage());
        assertThat(patchOperations(3)).containsExactly(op("replace", "/canarySettings/percentTraffic", "25.0", null));
        assertThat(gateway.stage(apiId, "live").canary()).hasValueSatisfying(c -> {
            assertThat(c.percentTraffic()).isEqualTo(25.0);
            assertThat(c.deploymentId()).isEqualTo(canaryDeployment);
        });
        assertThat(run.out()).contains("canary.percentTraffic: 10 → 25")
                .contains("note: canary-config/dev.yaml says 10%; set the percent of its canary routes to 25 to keep it in step");
    }

    @Test
    void set_without_percent_takes_the_share_of_the_canary_routes_in_canary_config() {
        CliRun run = canary("set", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests().get(3).json().path("canarySettings").path("percentTraffic").asDouble()).isEqualTo(10.0);
    }

    @Test
    void set_to_the_share_the_canary_already_has_sends_no_change() {
        createCanary(10.0, Map.of());

        CliRun run = canary("set", "--percent", "10", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests()).extracting(RecordedRequest::line).containsExactly("GET /restapis", stage());
        assertThat(run.out()).contains("nothing to change: the canary already serves 10%");
    }

    // ---- promote and rollback

    @Test
    void promote_copies_the_canary_deployment_and_its_overrides_to_the_stage_then_removes_the_canary() {
        // GIVEN a canary at 10% whose requests go to the origin API
        String canaryDeployment = createCanary(10.0, Map.of("migrationBackend", originTarget()));

        // WHEN
        CliRun run = canary("promote", "--yes");

        // THEN API Gateway's documented promotion in one UpdateStage, then the canary settings removed in another
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests()).extracting(RecordedRequest::line)
                .containsExactly("GET /restapis", stage(), stage(), "PATCH " + stagePath(), "PATCH " + stagePath(), stage());
        assertThat(patchOperations(3)).containsExactly(
                op("replace", "/canarySettings/percentTraffic", "0.0", null),
                op("copy", "/variables", null, "/canarySettings/stageVariableOverrides"),
                op("copy", "/deploymentId", null, "/canarySettings/deploymentId"));
        assertThat(patchOperations(4)).containsExactly(op("remove", "/canarySettings", null, null));
        LocalApiGateway.Stage after = gateway.stage(apiId, "live");
        assertThat(after.deploymentId()).isEqualTo(canaryDeployment);
        assertThat(after.variables()).containsEntry("migrationBackend", originTarget());
        assertThat(after.canary()).isEmpty();
        assertThat(run.out()).contains("deploymentId: ").contains(" → " + canaryDeployment)
                .contains("variables.migrationBackend: none → " + originTarget())
                .contains("note: the handlers now serve every request of POST /v1/exports, GET /v1/jobs/{id}: mark them 'migrated'");
    }

    @Test
    void promote_of_a_canary_without_overrides_copies_only_the_deployment() {
        String canaryDeployment = createCanary(10.0, Map.of());

        CliRun run = canary("promote", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(patchOperations(3)).containsExactly(
                op("replace", "/canarySettings/percentTraffic", "0.0", null),
                op("copy", "/deploymentId", null, "/canarySettings/deploymentId"));
        assertThat(gateway.stage(apiId, "live").deploymentId()).isEqualTo(canaryDeployment);
    }

    @Test
    void rollback_removes_the_canary_settings_and_keeps_the_stage_deployment() {
        // GIVEN
        String stageDeployment = gateway.stage(apiId, "live").deploymentId();
        createCanary(10.0, Map.of("migrationBackend", originTarget()));

        // WHEN
        CliRun run = canary("rollback", "--yes");

        // THEN
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.requests()).extracting(RecordedRequest::line)
                .containsExactly("GET /restapis", stage(), stage(), "PATCH " + stagePath(), stage());
        assertThat(patchOperations(3)).containsExactly(op("remove", "/canarySettings", null, null));
        LocalApiGateway.Stage after = gateway.stage(apiId, "live");
        assertThat(after.deploymentId()).isEqualTo(stageDeployment);
        assertThat(after.variables()).isEmpty();
        assertThat(after.canary()).isEmpty();
    }

    // ---- bad input and refusals change nothing

    @Test
    void an_unknown_environment_is_refused_before_any_request() {
        CliRun run = canary(List.of("status", "--env", "qa"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("marketgate: --env is 'qa', but ").contains("qa.yaml does not exist; environments: dev");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void a_percent_outside_0_to_100_is_refused_before_any_request() {
        CliRun above = canary("set", "--percent", "150", "--yes");
        CliRun negative = canary("set", "--percent", "-1", "--yes");
        CliRun text = canary("set", "--percent", "ten", "--yes");
        CliRun notANumber = canary("set", "--percent", "NaN", "--yes");

        assertThat(above.exitCode()).isEqualTo(2);
        assertThat(above.err()).contains("--percent is 150, must be a number from 0 to 100");
        assertThat(negative.err()).contains("--percent is -1, must be a number from 0 to 100");
        assertThat(text.err()).contains("--percent is 'ten', must be a number from 0 to 100");
        assertThat(notANumber.err()).contains("--percent is NaN, must be a number from 0 to 100");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void promote_or_rollback_without_a_canary_only_reads() {
        CliRun promote = canary("promote", "--yes");
        CliRun rollback = canary("rollback", "--yes");

        assertThat(promote.exitCode()).isEqualTo(1);
        assertThat(promote.err()).contains(API + " (id " + apiId + ") stage live has no canary to promote; nothing was changed");
        assertThat(rollback.err()).contains("has no canary to roll back");
        assertThat(gateway.requests()).extracting(RecordedRequest::method).containsOnly("GET");
        assertThat(gateway.stage(apiId, "live").canary()).isEmpty();
    }

    @Test
    void without_yes_and_without_a_terminal_the_plan_is_shown_and_refused() {
        CliRun run = canary("set", "--percent", "10");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("canary.percentTraffic: none → 10");
        assertThat(run.err()).contains("not applied: confirmation needs a terminal").contains("rerun with --yes");
        assertThat(gateway.requests()).extracting(RecordedRequest::method).containsOnly("GET");
    }

    @Test
    void on_a_terminal_the_operator_is_asked_and_a_no_changes_nothing() {
        // GIVEN an operator who answers "n"
        Answering operator = new Answering(true, List.of("n"));
        terminal = operator;
        createCanary(10.0, Map.of());

        // WHEN
        CliRun run = canary("rollback");

        // THEN
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(operator.prompts).containsExactly("Apply this change to " + API + " (id " + apiId + ") stage live? [y/N] ");
        assertThat(run.err()).contains("cancelled: nothing was changed");
        assertThat(gateway.requests()).extracting(RecordedRequest::method).containsOnly("GET");
        assertThat(gateway.stage(apiId, "live").canary()).isPresent();
    }

    @Test
    void on_a_terminal_a_yes_applies_the_plan() {
        terminal = new Answering(true, List.of("y"));
        createCanary(10.0, Map.of());

        CliRun run = canary("rollback");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(gateway.stage(apiId, "live").canary()).isEmpty();
    }

    @Test
    void a_stage_changed_by_someone_else_while_the_operator_read_the_plan_is_not_touched() {
        // GIVEN a canary at 10%, and a colleague who sets it to 50% while the operator reads the plan
        createCanary(10.0, Map.of());
        terminal = new Answering(true, List.of("y"), () -> {
            try (ApiGatewayClient colleague = client()) {
                colleague.updateStage(b -> b.restApiId(apiId).stageName("live").patchOperations(p -> p
                        .op("replace").path("/canarySettings/percentTraffic").value("50.0")));
            }
        });

        // WHEN the operator rolls back the canary they saw
        CliRun run = canary("rollback");

        // THEN only the colleague's change was made
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("changed since the plan was made; nothing was changed");
        assertThat(gateway.requests()).filteredOn(r -> !r.method().equals("GET")).hasSize(1);
        assertThat(gateway.stage(apiId, "live").canary()).hasValueSatisfying(c -> assertThat(c.percentTraffic()).isEqualTo(50.0));
    }

    @Test
    void an_endpoint_url_that_is_not_an_http_url_is_refused() {
        CliRun run = CliRun.of(List.of("canary", "status", "--env", "dev", "--environments", ENVIRONMENTS,
                "--canary-config", CANARY_CONFIG, "--endpoint-url", "127.0.0.1:4567"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--endpoint-url is '127.0.0.1:4567', must be an http or https URL");
    }

    @Test
    void endpoint_url_and_local_together_are_refused() {
        CliRun run = canary(List.of("status", "--local"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--endpoint-url and --local both say where API Gateway is; give one");
        assertThat(gateway.requests()).isEmpty();
    }

    // ---- --local

    @Test
    void local_sends_the_calls_to_the_local_platforms_api_gateway(@TempDir Path home) {
        // GIVEN a running local platform whose endpoints file names this gateway
        String previousHome = System.getProperty("marketgate.home");
        System.setProperty("marketgate.home", home.toString());
        try {
            LocalEndpoints.write(LocalEndpoints.defaultFile(), new LocalEndpoints("dev", URI.create("http://127.0.0.1:1"),
                    Optional.empty(), URI.create("http://127.0.0.1:2"), URI.create("http://127.0.0.1:3"), Optional.empty(),
                    Optional.of(gateway.uri()), ProcessHandle.current().pid()));

            // WHEN
            CliRun run = CliRun.of(List.of("canary", "set", "--percent", "5", "--yes", "--local",
                    "--environments", ENVIRONMENTS, "--canary-config", CANARY_CONFIG));

            // THEN
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("the local API Gateway " + gateway.uri());
            assertThat(gateway.stage(apiId, "live").canary()).hasValueSatisfying(c -> assertThat(c.percentTraffic()).isEqualTo(5.0));
        } finally {
            if (previousHome == null) {
                System.clearProperty("marketgate.home");
            } else {
                System.setProperty("marketgate.home", previousHome);
            }
        }
    }

    // ---- helpers

    private CliRun canary(String... args) {
        return canary(List.of(args));
    }

    /** {@code canary ARGS --env dev --endpoint-url <gateway>} with the shipped files, the test's terminal, and a clean request log. */
    private CliRun canary(List<String> args) {
        gateway.clearRequests();
        List<String> all = new ArrayList<>(List.of("canary"));
        all.addAll(args);
        if (!args.contains("--env")) {
            all.addAll(List.of("--env", "dev"));
        }
        all.addAll(List.of("--environments", ENVIRONMENTS, "--canary-config", CANARY_CONFIG, "--endpoint-url", gateway.uri().toString()));
        return CliRun.of(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K command = CommandLine.defaultFactory().create(type);
                if (command instanceof CanaryCommand.Base base) {
                    base.terminal = terminal;
                }
                return command;
            }
        }, all);
    }

    /** A canary created through the SDK as another tool would; returns its deployment id. The request log is cleared. */
    private String createCanary(double percent, Map<String, String> overrides) {
        try (ApiGatewayClient client = client()) {
            client.createDeployment(b -> b.restApiId(apiId).stageName("live")
                    .canarySettings(c -> c.percentTraffic(percent).stageVariableOverrides(overrides)));
        }
        gateway.clearRequests();
        return gateway.stage(apiId, "live").canary().orElseThrow().deploymentId();
    }

    private ApiGatewayClient client() {
        return ApiGatewayClient.builder().endpointOverride(gateway.uri()).region(Region.AP_NORTHEAST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    /** Where the CDK app's canary sends a canary route's requests: the origin API's host and stage. */
    private String originTarget() {
        return originId + ".execute-api.ap-northeast-2.amazonaws.com/live";
    }

    private String stagePath() {
        return "/restapis/" + apiId + "/stages/live";
    }

    private String stage() {
        return "GET " + stagePath();
    }

    /** The patch operations of the {@code index}th request, each as {@code op path value from}. */
    private List<String> patchOperations(int index) {
        List<String> operations = new ArrayList<>();
        gateway.requests().get(index).json().path("patchOperations").forEach(o -> operations.add(
                op(o.path("op").asText(), o.path("path").asText(), o.path("value").asText(null), o.path("from").asText(null))));
        return operations;
    }

    private static String op(String op, String path, String value, String from) {
        return op + " " + path + (value == null ? "" : " value=" + value) + (from == null ? "" : " from=" + from);
    }

    /** An operator at a terminal (or not) who gives these answers, in order; {@code whileReading} runs as they read. */
    private static final class Answering implements Terminal {
        private final boolean interactive;
        private final List<String> answers;
        private final Runnable whileReading;
        final List<String> prompts = new ArrayList<>();

        Answering(boolean interactive, List<String> answers) {
            this(interactive, answers, () -> { });
        }

        Answering(boolean interactive, List<String> answers, Runnable whileReading) {
            this.interactive = interactive;
            this.answers = new ArrayList<>(answers);
            this.whileReading = whileReading;
        }

        @Override
        public boolean interactive() {
            return interactive;
        }

        @Override
        public String readLine(String prompt) {
            prompts.add(prompt);
            whileReading.run();
            return answers.isEmpty() ? null : answers.remove(0);
        }
    }
}
