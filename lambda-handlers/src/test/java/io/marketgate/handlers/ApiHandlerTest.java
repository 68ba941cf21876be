package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.marketgate.handlers.api.ApiDependencies;
import io.marketgate.handlers.api.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy event as the API sees it. */
class ApiHandlerTest {

    @Test
    void a_proxy_event_becomes_a_request_with_case_insensitive_headers() {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("post").withPath("/v1/actions")
                .withHeaders(Map.of("content-type", "application/json", "idempotency-key", "k-1")).withBody("{}");

        ApiRequest request = ApiHandler.toRequest(event, "req-1");

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/actions");
        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.header("Idempotency-Key")).contains("k-1");
        assertThat(request.body()).isEqualTo("{}");
        assertThat(request.requestId()).isEqualTo("req-1");
    }

    @Test
    void a_base64_body_is_decoded_and_a_missing_one_is_null() {
        String json = "{\"sellerId\":\"S1\"}";
        APIGatewayProxyRequestEvent encoded = new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/")
                .withIsBase64Encoded(true).withBody(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(ApiHandler.toRequest(encoded, "r").body()).isEqualTo(json);
        assertThat(ApiHandler.toRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/v1/jobs/j"), "r").body()).isNull();
        assertThat(ApiHandler.toRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/v1/jobs/j"), "r").headers()).isEmpty();
    }

    @Test
    void the_api_and_the_worker_read_their_variables_and_name_a_missing_one() {
        Map<String, String> variables = new java.util.HashMap<>(Map.of(
                "MARKETGATE_ENV", "dev", "AWS_REGION", "ap-northeast-2",
                "MARKETGATE_TABLE_ORDERS", "mg-dev-orders", "MARKETGATE_TABLE_REQUESTS", "mg-dev-requests",
                "MARKETGATE_TABLE_SELLERS", "mg-dev-sellers", "MARKETGATE_TABLE_IDEMPOTENCY", "mg-dev-idempotency"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiDependencies.fromVariables(variables::get, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MARKETGATE_JOBS_TABLE");
        variables.put("MARKETGATE_JOBS_TABLE", "mg-dev-jobs");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiDependencies.fromVariables(variables::get, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MARKETGATE_EXPORT_BUCKET");
        variables.put("MARKETGATE_EXPORT_BUCKET", "mg-dev-exports");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiDependencies.fromVariables(variables::get, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MARKETGATE_JOB_WORKER_FUNCTION");

        ApiDependencies worker = ApiDependencies.fromVariables(variables::get, false);
        variables.put("MARKETGATE_JOB_WORKER_FUNCTION", "mg-dev-job-worker");
        ApiDependencies api = ApiDependencies.fromVariables(variables::get, true);

        assertThat(worker.jobsTable()).isEqualTo("mg-dev-jobs");
        assertThat(api.exportBucket()).isEqualTo("mg-dev-exports");
        assertThat(api.launcher()).isInstanceOf(io.marketgate.handlers.jobs.LambdaJobLauncher.class);
    }
}
