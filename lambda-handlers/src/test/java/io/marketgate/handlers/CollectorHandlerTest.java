package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.RequestStatus.Status;
import io.marketgate.handlers.market.CallOutcome;
import io.marketgate.handlers.market.DataKind;
import io.marketgate.handlers.market.MarketCallListener;
import io.marketgate.handlers.messages.CollectionMessage;
import io.marketgate.handlers.messages.Messages;
import io.marketgate.limiter.Priority;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.Order;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The collector handler against embedded SQS and DynamoDB and simulated markets. */
class CollectorHandlerTest {

    @TempDir
    static Path dir;

    private static HandlerKit kit;

    private final RecordingMetrics metrics = new RecordingMetrics();

    @BeforeAll
    static void start() {
        kit = HandlerKit.start(dir);
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    @AfterEach
    void resetHookAndFaults() {
        kit.callHook.set(MarketCallListener.NONE);
        kit.sim.market("shop").faults().clear();
    }

    private CollectorHandler handler() {
        return handler(kit.deps());
    }

    private CollectorHandler handler(HandlerDependencies.Builder deps) {
        return new CollectorHandler(deps.build(), HandlerKit.metrics(metrics));
    }

    private static CollectionMessage request(String requestId, String market, String seller, Priority priority) {
        return new CollectionMessage(requestId, market, seller, DataKind.ORDERS, HandlerKit.T0,
                HandlerKit.T0.plus(Duration.ofHours(6)), priority);
    }

    private static List<String> truth(String market, String seller) {
        return kit.sim.market(market).orders(seller, HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6))).stream()
                .map(Order::orderId).toList();
    }

    private static RequestStatus status(String requestId) {
        return RequestStatusRepository.of(kit.deps().build()).find(requestId).orElseThrow();
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static List<Arrival> listArrivals(String market, String seller) {
        return kit.sim.market(market).arrivals(Endpoint.LIST_ORDERS).stream().filter(a -> seller.equals(a.sellerId())).toList();
    }

    private static long writes(String market, String seller, String orderId) {
        AttributeValue writes = kit.order(market, seller, orderId).get("writes");
        return writes == null ? 0 : Long.parseLong(writes.n());
    }

    @Test
    void a_request_is_collected_to_completion_with_every_order_exactly_once() {
        // GIVEN a MEDIUM request for six hours of seller S1's orders (several pages of 5)
        String queue = kit.newQueue("collect");
        List<String> expected = truth("shop", "S1");
        assertThat(expected).hasSizeGreaterThan(10);
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-complete", "shop", "S1", Priority.MEDIUM))));

        // WHEN
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN every order is stored once, written once, and the request succeeded with the count
        assertThat(failures(response)).isEmpty();
        assertThat(kit.orderIds("shop", "S1")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).allSatisfy(id -> assertThat(writes("shop", "S1", id)).isEqualTo(1));
        RequestStatus status = status("r-complete");
        assertThat(status.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(status.ordersWritten()).isEqualTo(expected.size());
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.checkpoint()).isEmpty();
        assertThat(kit.order("shop", "S1", expected.get(0)).get("firstRequestId").s()).isEqualTo("r-complete");
        // AND the invocation's metrics were flushed: grants and ok calls for shop at MEDIUM
        int pages = (expected.size() + 4) / 5;
        assertThat(metrics.flushed).contains(
                "LimiterGrants{market=shop, priority=MEDIUM}=" + (double) pages,
                "MarketCalls{call=list-orders, market=shop, outcome=ok, priority=MEDIUM}=" + (double) pages);
    }

    @Test
    void a_redelivered_message_duplicates_no_order_and_counts_the_rewrite() {
        // GIVEN a request for S2 processed once
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-redelivered", "shop", "S2", Priority.MEDIUM))));
        CollectorHandler handler = handler();
        assertThat(failures(handler.handleRequest(event, null))).isEmpty();

        // WHEN the same message is delivered again
        SQSBatchResponse again = handler.handleRequest(HandlerKit.redelivered(event, 2), null);

        // THEN no order is duplicated, each shows two writes, and the count is of one run
        List<String> expected = truth("shop", "S2");
        assertThat(failures(again)).isEmpty();
        assertThat(kit.orderIds("shop", "S2")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).allSatisfy(id -> assertThat(writes("shop", "S2", id)).isEqualTo(2));
        RequestStatus status = status("r-redelivered");
        assertThat(status.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(status.ordersWritten()).isEqualTo(expected.size());
        assertThat(status.attempts()).isEqualTo(2);
    }

    @Test
    void a_server_error_after_some_pages_leaves_a_checkpoint_and_the_retry_resumes_without_fetching_a_page_twice() {
        // GIVEN the market answers 503 to the call after S3's second page
        String queue = kit.newQueue("collect");
        AtomicInteger okPages = new AtomicInteger();
        kit.callHook.set((call, priority, outcome, elapsed) -> {
            if (outcome instanceof CallOutcome.Ok && okPages.incrementAndGet() == 2) {
                kit.sim.market("shop").faults().failNext(1, 503);
            }
        });
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-crash", "shop", "S3", Priority.MEDIUM))));
        String messageId = event.getRecords().get(0).getMessageId();
        CollectorHandler handler = handler();

        // WHEN it is processed, THEN it is handed back with a checkpoint after two pages
        assertThat(failures(handler.handleRequest(event, null))).containsExactly(messageId);
        RequestStatus stopped = status("r-crash");
        assertThat(stopped.status()).isEqualTo(Status.RUNNING);
        assertThat(stopped.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("retryable failure:").contains("503"));
        assertThat(stopped.checkpoint()).hasValueSatisfying(c -> assertThat(c.cursor()).isPresent());
        assertThat(stopped.ordersWritten()).isEqualTo(10);
        assertThat(Duration.between(stopped.updatedAt().orElseThrow(), stopped.retryAt().orElseThrow()))
                .isEqualTo(HandBack.backoff(1));

        // WHEN it is redelivered
        kit.callHook.set(MarketCallListener.NONE);
        assertThat(failures(handler.handleRequest(HandlerKit.redelivered(event, 2), null))).isEmpty();

        // THEN it resumed: the market served every page exactly once (plus the one 503), and each order was written once
        List<String> expected = truth("shop", "S3");
        int pages = (expected.size() + 4) / 5;
        List<Arrival> arrivals = listArrivals("shop", "S3");
        assertThat(arrivals.stream().filter(a -> a.status() == 200)).hasSize(pages);
        assertThat(arrivals.stream().filter(a -> a.status() == 503)).hasSize(1);
        assertThat(kit.orderIds("shop", "S3")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).allSatisfy(id -> assertThat(writes("shop", "S3", id)).isEqualTo(1));
        RequestStatus done = status("r-crash");
        assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(done.ordersWritten()).isEqualTo(expected.size());
        assertThat(done.checkpoint()).isEmpty();
    }

    @Test
    void a_429_hands_the_message_back_for_the_retry_after_and_the_limiter_cools_down() {
        // GIVEN a market that admits 2 calls per 30 s while our limiter would allow 1000/s
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-429", "tight", "S4", Priority.HIGH))));
        String messageId = event.getRecords().get(0).getMessageId();
        CollectorHandler handler = handler();

        // WHEN it is processed
        SQSBatchResponse response = handler.handleRequest(event, null);

        // THEN the third call is throttled and the message handed back for the market's Retry-After (whole seconds ≤ 30)
        assertThat(failures(response)).containsExactly(messageId);
        RequestStatus status = status("r-429");
        assertThat(status.status()).isEqualTo(Status.DEFERRED);
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("market throttled"));
        Duration visibility = Duration.between(status.updatedAt().orElseThrow(), status.retryAt().orElseThrow());
        assertThat(visibility).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(listArrivals("tight", "S4")).extracting(Arrival::status).containsExactly(200, 200, 429);

        // WHEN it comes back early, THEN the limiter (cooling down) defers it without calling the market
        assertThat(failures(handler.handleRequest(HandlerKit.redelivered(event, 2), null))).containsExactly(messageId);
        assertThat(status("r-429").reason()).hasValueSatisfying(r -> assertThat(r).startsWith("limiter deferred"));
        assertThat(listArrivals("tight", "S4")).hasSize(3);
    }

    @Test
    void a_throttle_code_in_an_http_200_hands_the_message_back_for_the_budgets_default_cooldown() {
        // GIVEN a market that admits 1 call per 30 s and throttles with HTTP 200 and code 004, without Retry-After
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-004", "eleven", "S5", Priority.MEDIUM))));

        // WHEN it is processed
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN it is handed back for the configured default cool-down of eleven/key (45 s)
        assertThat(failures(response)).hasSize(1);
        RequestStatus status = status("r-004");
        assertThat(status.status()).isEqualTo(Status.DEFERRED);
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("market throttled"));
        assertThat(Duration.between(status.updatedAt().orElseThrow(), status.retryAt().orElseThrow())).isEqualTo(Duration.ofSeconds(45));
        assertThat(listArrivals("eleven", "S5")).extracting(Arrival::status).containsExactly(200, 200);
    }

    @Test
    void a_low_request_gives_up_after_the_configured_attempts_with_the_reason_recorded() {
        // GIVEN LOW gives up after 3 deliveries, and every first call fails with 503
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-low", "shop", "S6", Priority.LOW))));
        CollectorHandler handler = handler(kit.deps().lowMaxAttempts(3));

        // WHEN delivered twice, THEN handed back each time
        for (int delivery = 1; delivery <= 2; delivery++) {
            kit.sim.market("shop").faults().failNext(1, 503);
            assertThat(failures(handler.handleRequest(HandlerKit.redelivered(event, delivery), null))).hasSize(1);
            assertThat(status("r-low").status()).isEqualTo(Status.RUNNING);
        }

        // WHEN delivered the third time and failing again
        kit.sim.market("shop").faults().failNext(1, 503);
        SQSBatchResponse third = handler.handleRequest(HandlerKit.redelivered(event, 3), null);

        // THEN it is acknowledged and recorded FAILED with why
        assertThat(failures(third)).isEmpty();
        RequestStatus status = status("r-low");
        assertThat(status.status()).isEqualTo(Status.FAILED);
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("gave up after 3 attempts: retryable failure:"));
        assertThat(status.attempts()).isEqualTo(3);
    }

    @Test
    void high_and_medium_requests_are_handed_back_however_often_they_failed() {
        // GIVEN a HIGH and a MEDIUM request on their 50th delivery, LOW's limit at 3, and both first calls failing
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(
                HandlerKit.json(request("r-high", "shop", "S7", Priority.HIGH)),
                HandlerKit.json(request("r-medium", "shop", "S8", Priority.MEDIUM))));
        kit.sim.market("shop").faults().failNext(2, 503);

        // WHEN
        SQSBatchResponse response = handler(kit.deps().lowMaxAttempts(3)).handleRequest(HandlerKit.redelivered(event, 50), null);

        // THEN both are handed back (backoff capped), neither failed for good
        assertThat(failures(response)).containsExactlyInAnyOrderElementsOf(
                event.getRecords().stream().map(SQSEvent.SQSMessage::getMessageId).toList());
        for (String id : List.of("r-high", "r-medium")) {
            RequestStatus status = status(id);
            assertThat(status.status()).isEqualTo(Status.RUNNING);
            assertThat(Duration.between(status.updatedAt().orElseThrow(), status.retryAt().orElseThrow())).isEqualTo(HandBack.MAX_BACKOFF);
        }
    }

    @Test
    void malformed_messages_are_acknowledged_and_recorded_while_the_others_of_the_batch_are_unaffected() {
        // GIVEN a batch: a request whose call fails (503), a body that is not JSON, a request with a bad priority,
        // and a good request
        String queue = kit.newQueue("collect");
        String badPriority = HandlerKit.json(request("r-bad-priority", "shop", "S10", Priority.HIGH)).replace("\"HIGH\"", "\"URGENT\"");
        SQSEvent event = kit.sendAndReceive(queue, List.of(
                HandlerKit.json(request("r-retry", "shop", "S9", Priority.MEDIUM)),
                "{not json",
                badPriority,
                HandlerKit.json(request("r-good", "shop", "S10", Priority.MEDIUM))));
        String retried = event.getRecords().stream().filter(r -> r.getBody().contains("r-retry")).findFirst().orElseThrow().getMessageId();
        // the 503 goes to S9's first call: S9's record first, whichever position the queue gave it
        SQSEvent ordered = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>(event.getRecords());
        records.sort((a, b) -> Boolean.compare(!a.getMessageId().equals(retried), !b.getMessageId().equals(retried)));
        ordered.setRecords(records);
        kit.sim.market("shop").faults().failNext(1, 503);

        // WHEN
        SQSBatchResponse response = handler().handleRequest(ordered, null);

        // THEN only the failed request is reported; the malformed ones are acknowledged, the bad one recorded
        assertThat(failures(response)).containsExactly(retried);
        RequestStatus bad = status("r-bad-priority");
        assertThat(bad.status()).isEqualTo(Status.FAILED);
        assertThat(bad.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("malformed message:").contains("URGENT"));
        assertThat(status("r-good").status()).isEqualTo(Status.SUCCEEDED);
        assertThat(status("r-retry").status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void every_log_line_of_a_record_carries_market_seller_priority_and_request_id_as_json() throws Exception {
        // GIVEN the JSON log lines captured with the Lambda layout
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        OutputStreamAppender appender = OutputStreamAppender.newBuilder()
                .setName("capture")
                .setTarget(captured)
                .setLayout(JsonTemplateLayout.newBuilder().setConfiguration(config)
                        .setEventTemplateUri("classpath:LambdaJsonLayout.json").build())
                .setConfiguration(config)
                .build();
        appender.start();
        config.getRootLogger().addAppender(appender, Level.INFO, null);
        context.updateLoggers();
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-logged", "shop", "S11", Priority.LOW))));
        String messageId = event.getRecords().get(0).getMessageId();
        try {
            // WHEN
            handler().handleRequest(event, null);
        } finally {
            config.getRootLogger().removeAppender("capture");
            context.updateLoggers();
            appender.stop();
        }

        // THEN every line logged for the record is JSON with the record's keys
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode json = Messages.json().readTree(line);
            if (messageId.equals(json.path("messageId").asText())) {
                lines.add(json);
            }
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2).allSatisfy(json -> {
            assertThat(json.path("market").asText()).isEqualTo("shop");
            assertThat(json.path("sellerId").asText()).isEqualTo("S11");
            assertThat(json.path("priority").asText()).isEqualTo("LOW");
            assertThat(json.path("requestId").asText()).isEqualTo("r-logged");
            assertThat(json.path("level").asText()).isNotBlank();
            assertThat(json.path("message").asText()).isNotBlank();
        });
        assertThat(lines).anySatisfy(json -> assertThat(json.path("message").asText()).startsWith("collecting ORDERS"));
        assertThat(Instant.parse(lines.get(0).path("timestamp").asText())).isNotNull();
    }
}
