package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real HTTP in, the proxy event API Gateway would build, and the handler's answer back out. */
class LocalHttpFrontTest {

    private final AtomicReference<APIGatewayProxyRequestEvent> seen = new AtomicReference<>();

    @Test
    void a_request_becomes_a_proxy_event_with_resource_path_parameters_headers_query_body_and_request_id() throws Exception {
        try (LocalHttpFront front = LocalHttpFront.start(0, event -> {
            seen.set(event);
            return new APIGatewayProxyResponseEvent().withStatusCode(202)
                    .withHeaders(Map.of("Content-Type", "application/json", "Location", "/v1/collections/r-1")).withBody("{\"ok\":true}");
        })) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            front.uri().resolve("/v1/markets/coupang/orders/O-1/collect?dry=yes&x=a%20b"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", "k-1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sellerId\":\"S1\"}")).build(), HttpResponse.BodyHandlers.ofString());

            APIGatewayProxyRequestEvent event = seen.get();
            assertThat(event.getHttpMethod()).isEqualTo("POST");
            assertThat(event.getPath()).isEqualTo("/v1/markets/coupang/orders/O-1/collect");
            assertThat(event.getResource()).isEqualTo("/v1/markets/{market}/orders/{orderId}/collect");
            assertThat(event.getPathParameters()).isEqualTo(Map.of("market", "coupang", "orderId", "O-1"));
            assertThat(event.getQueryStringParameters()).isEqualTo(Map.of("dry", "yes", "x", "a b"));
            assertThat(event.getHeaders()).containsEntry("Idempotency-key", "k-1");
            assertThat(event.getBody()).isEqualTo("{\"sellerId\":\"S1\"}");
            assertThat(event.getRequestContext().getRequestId()).isNotBlank();
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.headers().firstValue("Location")).contains("/v1/collections/r-1");
            assertThat(response.body()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void a_path_no_route_has_gets_no_resource_and_a_failing_handler_is_502() throws Exception {
        try (LocalHttpFront front = LocalHttpFront.start(0, event -> {
            seen.set(event);
            throw new IllegalStateException("boom");
        })) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(front.uri().resolve("/nowhere"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(seen.get().getResource()).isNull();
            assertThat(seen.get().getBody()).isNull();
            assertThat(response.statusCode()).isEqualTo(502);
        }
    }
}
