package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.HandBack;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketCallListener;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.Pagination;
import io.marketgate.marketsim.Penalty;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.Throttle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
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
    void a_redelivered_message_of_a_succeeded_request_is_acknowledged_without_collecting_again() {
        // GIVEN a request for S2 processed once
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-redelivered", "shop", "S2", Priority.MEDIUM))));
        CollectorHandler handler = handler();
        assertThat(failures(handler.handleRequest(event, null))).isEmpty();

        // WHEN the same message is delivered again (SQS's at-least-once delivery, or a batch whose instance died)
        SQSBatchResponse again = handler.handleRequest(HandlerKit.redelivered(event, 2), null);

        // THEN it is acknowledged, no order is written a second time, and the request keeps its one run
        List<String> expected = truth("shop", "S2");
        assertThat(failures(again)).isEmpty();
        assertThat(kit.orderIds("shop", "S2")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).allSatisfy(id -> assertThat(writes("shop", "S2", id)).isEqualTo(1));
        RequestStatus status = status("r-redelivered");
        assertThat(status.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(status.ordersWritten()).isEqualTo(expected.size());
        assertThat(status.attempts()).isEqualTo(1);
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

    // ---- fault scenarios ------------------------------------------------------------------------------------------

    /** An environment of one reference-rest market {@code name} at {@code baseUrl}, pages of 5, with {@code extra} adapter lines. */
    private static EnvironmentConfig environment(String name, String baseUrl, String apiKey, String extraAdapterLines) {
        String yaml = """
                environment: test
                limiter:
                  keyPrefix: mg-test-faults
                markets:
                  NAME:
                    fleetSize: 1
                    budgets:
                      vendor: {scope: vendor, limit: 1000, window: 1s}
                    calls:
                      list-orders: {budgets: [NAME/vendor]}
                    adapter:
                      type: reference-rest
                      baseUrl: BASE
                      apiKey: KEY
                      pageSize: 5
                      maxRangePerCall: 24h
                      calls: {listOrders: list-orders}
                EXTRA""".replace("NAME", name).replace("BASE", baseUrl).replace("KEY", apiKey)
                .replace("EXTRA", extraAdapterLines.indent(6));
        try {
            return EnvironmentLoader.load(Files.writeString(Files.createTempDirectory(dir, name).resolve("test.yaml"), yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The simulator's manual clock as a {@link Clock}, so the limiter's cool-downs run on the market's time. */
    private static Clock clockOf(SimClock clock) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(0, clock.epochNanos());
            }
        };
    }

    private static SQSEvent only(SQSEvent event, String messageId) {
        SQSEvent one = new SQSEvent();
        one.setRecords(event.getRecords().stream().filter(r -> r.getMessageId().equals(messageId)).toList());
        return one;
    }

    @Test
    void a_market_answering_after_the_request_timeout_hands_the_record_back_running_and_the_redelivery_completes_every_order_once() {
        // GIVEN shop's adapter with a 2 s request timeout, and the market holding its answer to S12's third page for 10 min
        EnvironmentConfig shortTimeout = environment("shop", kit.sim.baseUrl("shop"), "key-shop", "requestTimeout: 2s");
        String queue = kit.newQueue("collect");
        AtomicInteger okPages = new AtomicInteger();
        kit.callHook.set((call, priority, outcome, elapsed) -> {
            if (outcome instanceof CallOutcome.Ok && okPages.incrementAndGet() == 2) {
                kit.sim.market("shop").faults().delayNext(1, Duration.ofMinutes(10));
            }
        });
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-timeout", "shop", "S12", Priority.MEDIUM))));
        String messageId = event.getRecords().get(0).getMessageId();
        CollectorHandler handler = handler(kit.deps().environment(shortTimeout));

        // WHEN it is processed
        SQSBatchResponse response = handler.handleRequest(event, null);

        // THEN the record is a batch item failure; the MEDIUM request stays RUNNING (not FAILED) with the timeout as
        // its reason, a checkpoint after two pages, and the first backoff as its retry time
        assertThat(failures(response)).containsExactly(messageId);
        RequestStatus stopped = status("r-timeout");
        assertThat(stopped.status()).isEqualTo(Status.RUNNING);
        assertThat(stopped.reason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("retryable failure:").contains("no answer within the request timeout"));
        assertThat(stopped.checkpoint()).hasValueSatisfying(c -> assertThat(c.cursor()).isPresent());
        assertThat(stopped.ordersWritten()).isEqualTo(10);
        assertThat(Duration.between(stopped.updatedAt().orElseThrow(), stopped.retryAt().orElseThrow()))
                .isEqualTo(HandBack.backoff(1));

        // WHEN the market has recovered and the message is redelivered
        kit.callHook.set(MarketCallListener.NONE);
        SQSBatchResponse again = handler.handleRequest(HandlerKit.redelivered(event, 2), null);

        // THEN it completes from the checkpoint with every order exactly once
        List<String> expected = truth("shop", "S12");
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(failures(again)).isEmpty();
        assertThat(kit.orderIds("shop", "S12")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).allSatisfy(id -> assertThat(writes("shop", "S12", id)).isEqualTo(1));
        RequestStatus done = status("r-timeout");
        assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(done.ordersWritten()).isEqualTo(expected.size());
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.checkpoint()).isEmpty();
        // AND the pages answered in time were each served once: the 200s are the pages, bar the one whose answer
        // is still held back (recorded by the market only when it is finally written)
        int pages = (expected.size() + 4) / 5;
        assertThat(listArrivals("shop", "S12").stream().filter(a -> a.status() == 200)).hasSizeBetween(pages, pages + 1);
    }

    @Test
    void a_penalty_block_hands_the_message_back_for_the_block_and_the_redelivery_after_it_completes_without_losing_an_order() {
        // GIVEN a market of its own on a manual clock: 10 calls per second per key, and a 5-minute block after one
        // refused call; the limiter's store runs on the same clock
        int limit = 10;
        SimClock.Manual clock = SimClock.manual(HandlerKit.NOW);
        try (MarketSim strict = MarketSim.builder().clock(clock)
                .market(MarketConfig.named("strict").apiKeys("key-strict").sellers("S1")
                        .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, limit, Duration.ofSeconds(1))))
                        .penalty(Penalty.after(1, Duration.ofMinutes(5)))
                        .throttle(Throttle.http429())
                        .pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(5)
                        .maxRange(Duration.ofHours(24)).ordersPerHour(10).seed(42)
                        .build())
                .start()) {
            List<String> expected = strict.market("strict").orders("S1", HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6)))
                    .stream().map(Order::orderId).toList();
            int pages = (expected.size() + 4) / 5;
            assertThat(pages).as("pages of the request: more than one window's calls, at most two").isBetween(limit + 1, 2 * limit);
            InMemoryLimiterStore store = new InMemoryLimiterStore(clockOf(clock));
            CollectorHandler handler = handler(kit.deps()
                    .environment(environment("strict", strict.baseUrl("strict"), "key-strict", ""))
                    .storeForMarket(market -> store));
            String queue = kit.newQueue("collect");
            SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-penalty", "strict", "S1", Priority.MEDIUM))));
            String messageId = event.getRecords().get(0).getMessageId();
            Predicate<Arrival> ours = a -> "S1".equals(a.sellerId());

            // WHEN it is processed: 10 pages, then the market refuses the 11th (and starts the block)
            assertThat(failures(handler.handleRequest(event, null))).containsExactly(messageId);
            RequestStatus throttled = status("r-penalty");
            assertThat(throttled.status()).isEqualTo(Status.DEFERRED);
            assertThat(throttled.ordersWritten()).isEqualTo(5 * limit);

            // WHEN it comes back after the window's Retry-After (1 s), during the block
            clock.advance(Duration.ofSeconds(1));
            SQSBatchResponse blocked = handler.handleRequest(HandlerKit.redelivered(event, 2), null);

            // THEN it is handed back (not failed) for the rest of the block, and nothing was lost or written
            assertThat(failures(blocked)).containsExactly(messageId);
            RequestStatus penalized = status("r-penalty");
            assertThat(penalized.status()).isEqualTo(Status.DEFERRED);
            assertThat(penalized.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("market throttled").contains("PENALTY_BLOCK"));
            assertThat(Duration.between(penalized.updatedAt().orElseThrow(), penalized.retryAt().orElseThrow()))
                    .isEqualTo(Duration.ofMinutes(5).minusSeconds(1));
            assertThat(penalized.checkpoint()).hasValueSatisfying(c -> assertThat(c.cursor()).isPresent());
            assertThat(penalized.ordersWritten()).isEqualTo(5 * limit);
            assertThat(strict.market("strict").arrivals(Endpoint.LIST_ORDERS).stream().filter(ours).map(Arrival::outcome).toList())
                    .endsWith(Outcome.THROTTLED, Outcome.PENALIZED);

            // WHEN the block has ended and the message is redelivered
            clock.advance(Duration.ofMinutes(5));
            SQSBatchResponse after = handler.handleRequest(HandlerKit.redelivered(event, 3), null);

            // THEN it completes from the checkpoint: every page served once, every order stored exactly once
            assertThat(failures(after)).isEmpty();
            RequestStatus done = status("r-penalty");
            assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(done.ordersWritten()).isEqualTo(expected.size());
            assertThat(done.checkpoint()).isEmpty();
            List<Arrival> arrivals = strict.market("strict").arrivals(Endpoint.LIST_ORDERS).stream().filter(ours).toList();
            assertThat(arrivals.stream().filter(a -> a.status() == 200)).hasSize(pages);
            assertThat(arrivals).extracting(Arrival::status).hasSize(pages + 2);
            assertThat(kit.orderIds("strict", "S1")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expected).allSatisfy(id -> assertThat(writes("strict", "S1", id)).isEqualTo(1));
        }
    }

    @Test
    void a_record_crashing_mid_batch_is_a_batch_item_failure_the_others_complete_and_its_redelivery_resumes_from_the_checkpoint() {
        // GIVEN a batch of three requests, and the collector crashing (a RuntimeException on the handler's thread,
        // before the request leaves) on S13's third market call, after two of its pages were written. (The
        // marketCallListener hook cannot crash a record: MarketClient logs and ignores what a listener throws;
        // so the crash comes from the HTTP client the handler calls the market with.)
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(
                HandlerKit.json(request("r-before", "shop", "S14", Priority.MEDIUM)),
                HandlerKit.json(request("r-crashing", "shop", "S13", Priority.MEDIUM)),
                HandlerKit.json(request("r-after", "shop", "S15", Priority.HIGH))));
        String crashing = event.getRecords().stream().filter(r -> r.getBody().contains("r-crashing")).findFirst().orElseThrow().getMessageId();
        AtomicLong s13Calls = new AtomicLong();
        HttpClient crashOnThirdS13Call = new CrashingHttpClient(kit.deps().build().http(),
                request -> request.uri().getPath().contains("/sellers/S13/") && s13Calls.incrementAndGet() == 3);
        CollectorHandler handler = handler(kit.deps().http(crashOnThirdS13Call));

        // WHEN the batch is processed
        SQSBatchResponse response = handler.handleRequest(event, null);

        // THEN only the crashed record is reported; the others of the batch completed
        assertThat(failures(response)).containsExactly(crashing);
        for (String other : List.of("S14", "S15")) {
            assertThat(kit.orderIds("shop", other)).containsExactlyInAnyOrderElementsOf(truth("shop", other));
        }
        assertThat(status("r-before").status()).isEqualTo(Status.SUCCEEDED);
        assertThat(status("r-after").status()).isEqualTo(Status.SUCCEEDED);
        // AND the crashed request keeps its checkpoint after two pages
        RequestStatus crashed = status("r-crashing");
        assertThat(crashed.status()).isEqualTo(Status.RUNNING);
        assertThat(crashed.checkpoint()).hasValueSatisfying(c -> assertThat(c.cursor()).isPresent());
        assertThat(crashed.ordersWritten()).isEqualTo(10);
        assertThat(listArrivals("shop", "S13")).hasSize(2);

        // WHEN the crashed message is redelivered (the crash does not repeat)
        SQSBatchResponse again = handler.handleRequest(HandlerKit.redelivered(only(event, crashing), 2), null);

        // THEN it resumed from the checkpoint: the market served each page once, and every order was written once
        List<String> expected = truth("shop", "S13");
        int pages = (expected.size() + 4) / 5;
        assertThat(failures(again)).isEmpty();
        List<Arrival> arrivals = listArrivals("shop", "S13");
        assertThat(arrivals).hasSize(pages).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(kit.orderIds("shop", "S13")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).allSatisfy(id -> assertThat(writes("shop", "S13", id)).isEqualTo(1));
        RequestStatus done = status("r-crashing");
        assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(done.ordersWritten()).isEqualTo(expected.size());
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.checkpoint()).isEmpty();
    }

    @Test
    void an_exception_thrown_by_the_market_call_listener_does_not_crash_the_record() {
        // GIVEN a listener that throws on every call
        String queue = kit.newQueue("collect");
        kit.callHook.set((call, priority, outcome, elapsed) -> {
            throw new IllegalStateException("listener crashed");
        });
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-listener", "shop", "S16", Priority.MEDIUM))));

        // WHEN
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN the listener's failure is ignored, as MarketCallListener documents: the request completes
        assertThat(failures(response)).isEmpty();
        assertThat(status("r-listener").status()).isEqualTo(Status.SUCCEEDED);
        assertThat(kit.orderIds("shop", "S16")).containsExactlyInAnyOrderElementsOf(truth("shop", "S16"));
    }

    /** Delegates to {@code delegate}, but throws a RuntimeException instead of sending a request {@code crashOn} accepts. */
    private static final class CrashingHttpClient extends HttpClient {
        private final HttpClient delegate;
        private final Predicate<HttpRequest> crashOn;

        CrashingHttpClient(HttpClient delegate, Predicate<HttpRequest> crashOn) {
            this.delegate = delegate;
            this.crashOn = crashOn;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
            if (crashOn.test(request)) {
                throw new IllegalStateException("collector crashed (injected) before " + request.uri().getPath());
            }
            return delegate.send(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return delegate.sendAsync(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> push) {
            return delegate.sendAsync(request, handler, push);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return delegate.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return delegate.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return delegate.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return delegate.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return delegate.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return delegate.authenticator();
        }

        @Override
        public Version version() {
            return delegate.version();
        }

        @Override
        public Optional<Executor> executor() {
            return delegate.executor();
        }
    }
}
