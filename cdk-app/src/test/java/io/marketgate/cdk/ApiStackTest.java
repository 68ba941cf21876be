package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.canary.CanaryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

class ApiStackTest {

    private final Synthesized dev = Synthesized.environment("dev");
    private final Template api = dev.template(dev.stacks.api());

    @Test
    void the_public_api_and_the_origin_api_have_the_names_the_canary_cli_looks_up() {
        assertThat(Resources.properties(api, "AWS::ApiGateway::RestApi")).extracting(a -> a.get("Name"))
                .containsExactlyInAnyOrder(CanaryConfig.restApiName("dev"), CanaryConfig.originApiName("dev"));
        assertThat(Resources.properties(api, "AWS::ApiGateway::Stage")).hasSize(2)
                .allSatisfy(s -> assertThat(s.get("StageName")).isEqualTo(dev.deployment.canary().stage()));
    }

    @Test
    void the_stage_carries_the_canary_of_the_file_with_the_origin_api_as_its_backend() {
        Map<String, Object> stage = publicStage(api);
        assertThat(at(stage, "Variables", CanaryConfig.BACKEND_VARIABLE)).isEqualTo("legacy.dev.example.com");
        assertThat(at(stage, "CanarySetting", "PercentTraffic")).isEqualTo(10);
        assertThat(String.valueOf(at(stage, "CanarySetting", "StageVariableOverrides", CanaryConfig.BACKEND_VARIABLE)))
                .contains(".execute-api.").contains("/live");
        assertThat(at(stage, "CanarySetting", "DeploymentId")).isNotNull();
    }

    @Test
    void the_stage_throttles_logs_access_and_requires_api_keys_in_a_usage_plan() {
        Map<String, Object> stage = publicStage(api);
        assertThat(Resources.list(stage.get("MethodSettings"))).anySatisfy(m -> {
            Map<?, ?> settings = (Map<?, ?>) m;
            assertThat(settings.get("ThrottlingRateLimit")).isEqualTo(20);
            assertThat(settings.get("ThrottlingBurstLimit")).isEqualTo(40);
            assertThat(settings.get("LoggingLevel")).isEqualTo("INFO");
        });
        assertThat(at(stage, "AccessLogSetting", "DestinationArn")).isNotNull();
        List<Map<String, Object>> methods = Resources.properties(api, "AWS::ApiGateway::Method").stream()
                .filter(m -> !"OPTIONS".equals(m.get("HttpMethod"))).toList();
        // the consent's callback is the one method a browser calls: no key, no IAM (its state binds it)
        List<Map<String, Object>> open = methods.stream().filter(m -> Boolean.FALSE.equals(m.get("ApiKeyRequired"))).toList();
        assertThat(open).singleElement().satisfies(m -> {
            assertThat(m.get("AuthorizationType")).isEqualTo("NONE");
            assertThat(m.get("HttpMethod")).isEqualTo("GET");
        });
        assertThat(methods).isNotEmpty().filteredOn(m -> !open.contains(m)).allSatisfy(m -> {
            assertThat(m.get("ApiKeyRequired")).isEqualTo(true);
            assertThat(m.get("RequestValidatorId")).isNotNull();
        });
        assertThat(Resources.properties(api, "AWS::ApiGateway::UsagePlan")).singleElement().satisfies(p -> {
            assertThat(Resources.list(p.get("ApiStages"))).hasSize(2);
            assertThat(at(p, "Quota", "Period")).isEqualTo("DAY");
        });
        assertThat(Resources.properties(api, "AWS::ApiGateway::RequestValidator"))
                .allSatisfy(v -> assertThat(v.get("ValidateRequestBody")).isEqualTo(true));
    }

    @Test
    void the_origin_stage_waits_for_the_account_wide_cloudwatch_role() {
        assertThat(Resources.of(api, "AWS::ApiGateway::Account")).hasSize(1);
        assertThat(Resources.of(api, "AWS::ApiGateway::Stage")).allSatisfy(stage ->
                assertThat(String.valueOf(stage.get("DependsOn"))).contains("Account"));
    }

    @Test
    void each_route_goes_where_the_canary_file_says() {
        List<Map<String, Object>> methods = Resources.properties(api, "AWS::ApiGateway::Method");
        assertThat(methods).anySatisfy(m -> {   // legacy: GET /v1/orders
            assertThat(at(m, "Integration", "Type")).isEqualTo("HTTP_PROXY");
            assertThat(at(m, "Integration", "Uri")).isEqualTo("https://legacy.dev.example.com/v1/orders");
        });
        assertThat(methods).anySatisfy(m -> {   // canary: POST /v1/exports
            assertThat(at(m, "Integration", "Type")).isEqualTo("HTTP_PROXY");
            assertThat(at(m, "Integration", "Uri")).isEqualTo("https://${stageVariables.migrationBackend}/v1/exports");
        });
        assertThat(methods).anySatisfy(m -> {   // canary with a path variable, passed on
            assertThat(at(m, "Integration", "Uri")).isEqualTo("https://${stageVariables.migrationBackend}/v1/jobs/{id}");
            assertThat(at(m, "Integration", "RequestParameters", "integration.request.path.id")).isEqualTo("method.request.path.id");
        });
        // migrated routes and the origin API's canary routes reach the API function
        long lambda = methods.stream().filter(m -> "AWS_PROXY".equals(at(m, "Integration", "Type"))).count();
        assertThat(lambda).isEqualTo(dev.deployment.canary().routes(io.marketgate.config.canary.RouteState.MIGRATED).size()
                + dev.deployment.canary().routes(io.marketgate.config.canary.RouteState.CANARY).size());
    }

    @Test
    void without_canary_routes_there_is_no_canary_and_no_origin_api(@TempDir Path root) throws IOException {
        // GIVEN dev with every canary route moved back to legacy
        Files.createDirectories(root.resolve("environments"));
        Files.createDirectories(root.resolve("canary-config"));
        Files.copy(Synthesized.ROOT.resolve("environments/dev.yaml"), root.resolve("environments/dev.yaml"));
        String canary = Files.readString(Synthesized.ROOT.resolve("canary-config/dev.yaml"))
                .replace("{state: canary, percent: 10, handler: api}", "{state: legacy, handler: api}");
        Files.writeString(root.resolve("canary-config/dev.yaml"), canary);
        // WHEN it is synthesized
        Synthesized noCanary = Synthesized.synthesize(Deployment.load(root, "dev", Synthesized.TEST_ASSET));
        Template template = noCanary.template(noCanary.stacks.api());
        // THEN
        assertThat(at(publicStage(template), "CanarySetting")).isNull();
        assertThat(Resources.properties(template, "AWS::ApiGateway::RestApi")).extracting(a -> a.get("Name"))
                .containsExactly(CanaryConfig.restApiName("dev"));
    }

    private static Map<String, Object> publicStage(Template template) {
        return Resources.of(template, "AWS::ApiGateway::Stage").stream()
                .filter(s -> String.valueOf(at(s, "Properties", "RestApiId")).contains("Api") && !String.valueOf(at(s, "Properties", "RestApiId")).contains("Origin"))
                .map(s -> {
                    @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) s.get("Properties");
                    return p;
                }).findFirst().orElseThrow();
    }
}
