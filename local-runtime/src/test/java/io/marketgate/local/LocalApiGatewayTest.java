package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalApiGateway}'s answers over HTTP, as API Gateway's REST API documents them. (The canary commands' tests
 * run the AWS SDK's client against it; these pin the semantics those tests rely on.)
 */
class LocalApiGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalApiGateway gateway;
    private String apiId;

    @BeforeEach
    void start() {
        gateway = LocalApiGateway.startFor("dev");
        apiId = firstApiId();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void starts_for_an_environment_with_its_api_and_origin_api_each_with_a_live_stage_serving_a_first_deployment() throws Exception {
        Response apis = send("GET", "/restapis", null);

        assertThat(apis.status()).isEqualTo(200);
        assertThat(apis.json().path("item")).extracting(api -> api.path("name").asText())
                .containsExactly("dev-marketgate-api", "dev-marketgate-origin");
        LocalApiGateway.Stage stage = gateway.stage(apiId, "live");
        assertThat(stage.canary()).isEmpty();
        assertThat(gateway.deployments(apiId)).extracting(LocalApiGateway.Deployment::id).containsExactly(stage.deploymentId());
    }

    @Test
    void a_deployment_with_canary_settings_becomes_the_canary_and_leaves_the_stage_deployment() throws Exception {
        String stageDeployment = gateway.stage(apiId, "live").deploymentId();

        Response created = send("POST", "/restapis/" + apiId + "/deployments",
                "{\"stageName\":\"live\",\"canarySettings\":{\"percentTraffic\":10.0,\"stageVariableOverrides\":{\"backend\":\"api\"}}}");

        assertThat(created.status()).isEqualTo(201);
        String canaryDeployment = created.json().path("id").asText();
        assertThat(gateway.stage(apiId, "live")).isEqualTo(new LocalApiGateway.Stage("live", stageDeployment, Map.of(),
                Optional.of(new LocalApiGateway.Canary(10.0, canaryDeployment, Map.of("backend", "api"), false))));
    }

    @Test
    void a_canary_deployment_needs_an_existing_stage_and_creates_nothing_otherwise() throws Exception {
        Response refused = send("POST", "/restapis/" + apiId + "/deployments",
                "{\"stageName\":\"beta\",\"canarySettings\":{\"percentTraffic\":10.0}}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorType()).isEqualTo("BadRequestException");
        assertThat(gateway.deployments(apiId)).hasSize(1);
    }

    @Test
    void the_patch_operations_of_one_update_apply_all_or_none() throws Exception {
        // GIVEN a canary at 10%
        send("POST", "/restapis/" + apiId + "/deployments", "{\"stageName\":\"live\",\"canarySettings\":{\"percentTraffic\":10.0}}");
        LocalApiGateway.Stage before = gateway.stage(apiId, "live");

        // WHEN an update changes the percent, then breaks on an unknown deployment
        Response refused = send("PATCH", "/restapis/" + apiId + "/stages/live", """
                {"patchOperations":[{"op":"replace","path":"/canarySettings/percentTraffic","value":"50.0"},
                                    {"op":"replace","path":"/deploymentId","value":"nope"}]}""");

        // THEN nothing changed
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("Invalid deployment identifier specified: nope");
        assertThat(gateway.stage(apiId, "live")).isEqualTo(before);
    }

    @Test
    void promotion_copies_the_canary_to_the_stage_and_removal_drops_the_canary() throws Exception {
        Response created = send("POST", "/restapis/" + apiId + "/deployments",
                "{\"stageName\":\"live\",\"canarySettings\":{\"percentTraffic\":10.0,\"stageVariableOverrides\":{\"backend\":\"api\"}}}");

        Response promoted = send("PATCH", "/restapis/" + apiId + "/stages/live", """
                {"patchOperations":[{"op":"replace","path":"/canarySettings/percentTraffic","value":"0.0"},
                                    {"op":"copy","from":"/canarySettings/stageVariableOverrides","path":"/variables"},
                                    {"op":"copy","from":"/canarySettings/deploymentId","path":"/deploymentId"},
                                    {"op":"remove","path":"/canarySettings"}]}""");

        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().path("deploymentId").asText()).isEqualTo(created.json().path("id").asText());
        assertThat(promoted.json().path("variables").path("backend").asText()).isEqualTo("api");
        assertThat(promoted.json().has("canarySettings")).isFalse();
    }

    @Test
    void an_unknown_stage_is_not_found_and_an_unknown_request_is_named() throws Exception {
        Response stage = send("GET", "/restapis/" + apiId + "/stages/beta", null);
        Response unknown = send("DELETE", "/restapis/" + apiId, null);

        assertThat(stage.status()).isEqualTo(404);
        assertThat(stage.errorType()).isEqualTo("NotFoundException");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("message").asText()).isEqualTo("LocalApiGateway does not implement DELETE /restapis/" + apiId);
        assertThat(gateway.requests()).extracting(LocalApiGateway.RecordedRequest::line)
                .containsExactly("GET /restapis/" + apiId + "/stages/beta", "DELETE /restapis/" + apiId);
    }

    private String firstApiId() {
        try {
            String id = send("GET", "/restapis", null).json().path("item").get(0).path("id").asText();
            gateway.clearRequests();
            return id;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Response(int status, String errorType, JsonNode json) {}

    private Response send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.uri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(""),
                JSON.readTree(response.body()));
    }
}
