package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marketgate.embedded.aws.EmbeddedSqs;
import io.marketgate.local.LocalQueues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code marketgate queues status} against AWS (no {@code --local}): the real SDK clients, pointed by the standard
 * endpoint settings ({@code aws.endpointUrlSqs}, {@code aws.endpointUrlCloudWatch}) at ElasticMQ and at a stand-in
 * CloudWatch that answers {@code GetMetricData} in the SDK's rpc-v2 CBOR protocol and records what it was asked.
 */
class QueuesStatusOnAwsTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PROPERTIES = Map.of(
            "aws.accessKeyId", "test", "aws.secretAccessKey", "test");

    private static EmbeddedSqs sqsServer;
    private static SqsClient sqs;
    private static HttpServer cloudWatch;
    private static final List<JsonNode> asked = new CopyOnWriteArrayList<>();
    /** The age the stand-in reports per queue name; a queue without one gets no datapoint. */
    private static volatile Map<String, Double> ages = Map.of();
    private static volatile int status = 200;

    @BeforeAll
    static void start() throws IOException {
        sqsServer = EmbeddedSqs.start();
        sqs = sqsServer.client();
        cloudWatch = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cloudWatch.createContext("/", QueuesStatusOnAwsTest::answer);
        cloudWatch.start();
        PROPERTIES.forEach(System::setProperty);
        System.setProperty("aws.endpointUrlSqs", sqsServer.endpoint().toString());
        System.setProperty("aws.endpointUrlCloudWatch", "http://127.0.0.1:" + cloudWatch.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        PROPERTIES.keySet().forEach(System::clearProperty);
        System.clearProperty("aws.endpointUrlSqs");
        System.clearProperty("aws.endpointUrlCloudWatch");
        cloudWatch.stop(0);
        sqs.close();
        sqsServer.close();
    }

    @BeforeEach
    void queues() {
        LocalQueues.createWithDlq(sqs, "dev-coupang-collect", Duration.ofSeconds(30), 3);
        LocalQueues.createWithDlq(sqs, "dev-coupang-actions.fifo", Duration.ofSeconds(30), 3);
    }

    @AfterEach
    void reset() {
        for (String url : sqs.listQueues().queueUrls()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
        asked.clear();
        ages = Map.of();
        status = 200;
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = CBOR.readTree(exchange.getRequestBody().readAllBytes());
            asked.add(request);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (CBORGenerator out = (CBORGenerator) CBOR.getFactory().createGenerator(body)) {
                if (status != 200) {
                    out.writeStartObject();
                    out.writeStringField("__type", "com.amazonaws.cloudwatch#AccessDenied");
                    out.writeStringField("message", "User is not authorized to perform: cloudwatch:GetMetricData");
                    out.writeEndObject();
                } else {
                    String queue = request.at("/MetricDataQueries/0/MetricStat/Metric/Dimensions/0/Value").asText();
                    Double age = ages.get(queue);
                    out.writeStartObject();
                    out.writeArrayFieldStart("MetricDataResults");
                    out.writeStartObject();
                    out.writeStringField("Id", "age");
                    out.writeStringField("StatusCode", "Complete");
                    out.writeArrayFieldStart("Timestamps");
                    if (age != null) {
                        out.writeTag(1);
                        out.writeNumber(Instant.now().getEpochSecond() - 60);
                    }
                    out.writeEndArray();
                    out.writeArrayFieldStart("Values");
                    if (age != null) {
                        out.writeNumber(age);
                    }
                    out.writeEndArray();
                    out.writeEndObject();
                    out.writeEndArray();
                    out.writeEndObject();
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/cbor");
            exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
            exchange.sendResponseHeaders(status, body.size());
            exchange.getResponseBody().write(body.toByteArray());
        }
    }

    private static CliRun queues(String... args) {
        List<String> all = new ArrayList<>(List.of("queues"));
        all.addAll(List.of(args));
        all.addAll(List.of("--environments", ENVIRONMENTS, "--env", "dev"));
        return CliRun.of(all);
    }

    @Test
    void oldest_age_is_cloudwatchs_latest_approximate_age_of_oldest_message_per_queue() throws Exception {
        // GIVEN one waiting request, and CloudWatch knowing the collect queue's oldest message is 754 s old
        String url = sqs.getQueueUrl(b -> b.queueName("dev-coupang-collect")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{}"));
        ages = Map.of("dev-coupang-collect", 754.0);
        // WHEN the status of coupang's queues is read from AWS, as text and as JSON
        CliRun text = queues("status", "--market", "coupang");
        CliRun json = queues("status", "--market", "coupang", "--json");
        // THEN the collect queue shows that age, the actions queue (no datapoint) n/a with the reason
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).containsPattern("coupang\\s+dev-coupang-collect\\s+1\\s+0\\s+0\\s+754 s\\s+0")
                .containsPattern("coupang\\s+dev-coupang-actions.fifo\\s+0\\s+0\\s+0\\s+n/a\\s+0")
                .contains("no ApproximateAgeOfOldestMessage datapoint for the queue in the last 15 minutes");
        JsonNode rows = JSON.readTree(json.out()).path("queues");
        assertThat(rows.get(0).path("oldestAgeSeconds").asLong()).isEqualTo(754);
        assertThat(rows.get(1).path("oldestAgeSeconds").isNull()).isTrue();
        // AND CloudWatch was asked for SQS's metric of each queue by name, its maximum per minute, newest first
        JsonNode query = asked.get(0).at("/MetricDataQueries/0");
        assertThat(query.at("/MetricStat/Metric/Namespace").asText()).isEqualTo("AWS/SQS");
        assertThat(query.at("/MetricStat/Metric/MetricName").asText()).isEqualTo("ApproximateAgeOfOldestMessage");
        assertThat(query.at("/MetricStat/Metric/Dimensions/0/Name").asText()).isEqualTo("QueueName");
        assertThat(query.at("/MetricStat/Stat").asText()).isEqualTo("Maximum");
        assertThat(query.at("/MetricStat/Period").asInt()).isEqualTo(60);
        assertThat(asked.get(0).path("ScanBy").asText()).isEqualTo("TimestampDescending");
        assertThat(asked).extracting(r -> r.at("/MetricDataQueries/0/MetricStat/Metric/Dimensions/0/Value").asText())
                .containsExactly("dev-coupang-collect", "dev-coupang-actions.fifo",
                        "dev-coupang-collect", "dev-coupang-actions.fifo");
    }

    @Test
    void a_cloudwatch_it_cannot_read_leaves_the_age_unknown_says_why_and_still_shows_the_queues() throws Exception {
        // GIVEN CloudWatch refusing the operator's credentials
        status = 400;
        // WHEN the status is read
        CliRun text = queues("status", "--market", "coupang");
        CliRun json = queues("status", "--market", "coupang", "--json");
        // THEN the queues' counts are shown, the age is n/a, the reason is named once, and CloudWatch was asked once
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).containsPattern("coupang\\s+dev-coupang-collect\\s+0\\s+0\\s+0\\s+n/a\\s+0")
                .contains("oldest-age: CloudWatch could not be read: User is not authorized to perform: cloudwatch:GetMetricData")
                .contains("dev-coupang-queue-age");
        assertThat(JSON.readTree(json.out()).path("oldestAgeProblem").asText()).contains("not authorized");
        assertThat(asked).hasSize(2);
    }
}
