package io.marketgate.handlers.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The worker is invoked as Lambda's Invoke API expects an asynchronous call, against a recording endpoint. */
class LambdaJobLauncherTest {

    record Seen(String method, String path, String invocationType, String authorization, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(202);
    private HttpServer server;
    private LambdaClient lambda;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status.get(), -1);
            }
        });
        server.start();
        lambda = LambdaClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.AP_NORTHEAST_2).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ak", "sk")))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @AfterEach
    void stop() {
        lambda.close();
        server.stop(0);
    }

    @Test
    void the_worker_is_invoked_asynchronously_with_the_job_id_signed_with_sigv4() {
        new LambdaJobLauncher(lambda, "mg-dev-job-worker").launch("job-1");

        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).isEqualTo("/2015-03-31/functions/mg-dev-job-worker/invocations");
            assertThat(s.invocationType()).isEqualTo("Event");
            assertThat(s.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=ak/");
            assertThat(s.body()).isEqualTo("{\"jobId\":\"job-1\"}");
        });
    }

    @Test
    void a_refused_invocation_is_an_exception_naming_the_function() {
        status.set(200); // a synchronous answer: not what an Event invocation gets

        assertThatThrownBy(() -> new LambdaJobLauncher(lambda, "mg-dev-job-worker").launch("job-1"))
                .hasMessageContaining("mg-dev-job-worker").hasMessageContaining("HTTP 200");
    }
}
