package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
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
}
