package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.handlers.service.FanOutService;
import io.marketgate.handlers.service.FanOutService.FanOutResult;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.handlers.sqs.ScheduleEvent;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The scheduler's fan-out against embedded SQS and DynamoDB. */
class SchedulerHandlerTest {

    @TempDir
    static Path dir;

    private static HandlerKit kit;

    @BeforeAll
    static void start() {
        kit = HandlerKit.start(dir);
        // 25 active sellers of shop, one inactive, and a seller of another market
        IntStream.rangeClosed(1, 25).forEach(i -> kit.registerSeller("shop", "S" + i));
        kit.sellers.put("shop", io.marketgate.market.Seller.of("S26"), false);
        kit.registerSeller("tight", "S1");
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    private HandlerDependencies deps(String queueUrl) {
        return kit.deps().queues(QueueDirectory.builder().market("shop", queueUrl, null).build()).build();
    }

    private static Map<String, Object> payload(String spreadOver) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("market", "shop");
        payload.put("kind", "ORDERS");
        payload.put("lookback", "PT30M");
        payload.put("spreadOver", spreadOver);
        payload.put("priority", "LOW");
        return payload;
    }

    private static List<RequestStatus> requestsOf(List<String> ids) {
        RequestStatusRepository repository = RequestStatusRepository.of(kit.deps().build());
        return repository.findAll().stream().filter(r -> ids.contains(r.requestId())).toList();
    }

    @Test
    void twenty_five_sellers_become_twenty_five_messages_in_three_batches_spread_over_the_period() {
        // GIVEN
        String queue = kit.newQueue("collect");
        AtomicInteger ids = new AtomicInteger();
        FanOutService service = new FanOutService(deps(queue), () -> "fan-" + ids.incrementAndGet());

        // WHEN the schedule fans out over 10 minutes
        FanOutResult result = service.fanOut(new ScheduleEvent("shop", DataKind.ORDERS, Duration.ofMinutes(30),
                Duration.ofMinutes(10), Priority.LOW));

        // THEN 25 messages in 3 SendMessageBatch calls, seller i delayed i × 600/25 = 24 i seconds
        assertThat(result.requestIds()).hasSize(25);
        assertThat(result.batches()).isEqualTo(3);
        assertThat(result.failedToSend()).isEmpty();
        assertThat(result.delaysSeconds()).isEqualTo(IntStream.range(0, 25).mapToObj(i -> 24 * i).toList());
        assertThat(kit.queueCount(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + kit.queueCount(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isEqualTo(25);
        // AND a QUEUED record each for the last 30 minutes
        List<RequestStatus> records = requestsOf(result.requestIds());
        assertThat(records).hasSize(25).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.QUEUED);
            assertThat(r.market()).hasValue("shop");
            assertThat(r.priority()).hasValue("LOW");
        });
        assertThat(records).extracting(r -> r.sellerId().orElseThrow())
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 25).mapToObj(i -> "S" + i).toList());
        // AND the message is the shared contract
        String body = kit.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)).messages().get(0).body();
        assertThat(body).contains("\"requestId\":\"fan-1\"", "\"from\":\"2026-11-01T23:30:00Z\"", "\"to\":\"2026-11-02T00:00:00Z\"",
                "\"priority\":\"LOW\"", "\"kind\":\"ORDERS\"");
    }

    @Test
    void a_schedule_of_claims_fans_out_a_claims_request_per_active_seller() {
        // GIVEN
        String queue = kit.newQueue("collect");
        AtomicInteger ids = new AtomicInteger();

        // WHEN a schedule of claims fans out
        FanOutResult result = new FanOutService(deps(queue), () -> "claims-" + ids.incrementAndGet())
                .fanOut(new ScheduleEvent("shop", DataKind.CLAIMS, Duration.ofHours(1), Duration.ZERO, Priority.LOW));

        // THEN one request of claims per active seller, each recorded QUEUED with its kind
        assertThat(result.requestIds()).hasSize(25);
        assertThat(requestsOf(result.requestIds())).hasSize(25).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.QUEUED));
        String body = kit.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)).messages().get(0).body();
        assertThat(body).contains("\"kind\":\"CLAIMS\"", "\"from\":\"2026-11-01T23:00:00Z\"", "\"priority\":\"LOW\"");
    }

    @Test
    void a_schedule_of_a_kind_the_market_does_not_offer_is_refused_naming_market_and_kind_before_anything_is_sent() {
        // GIVEN shop, which offers every kind but settlements
        String queue = kit.newQueue("collect");
        int recordsBefore = RequestStatusRepository.of(kit.deps().build()).findAll().size();
        Map<String, Object> settlements = payload("PT10M");
        settlements.put("kind", "SETTLEMENTS");

        // WHEN / THEN the fan-out and the handler refuse it, naming the market and the kind
        assertThatThrownBy(() -> new FanOutService(deps(queue)).fanOut(new ScheduleEvent("shop", DataKind.SETTLEMENTS,
                Duration.ofHours(1), Duration.ZERO, Priority.LOW)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kind: shop does not offer settlements (its adapter.calls does not map listSettlements");
        assertThatThrownBy(() -> new SchedulerHandler(deps(queue), HandlerKit.metrics(new RecordingMetrics()))
                .handleRequest(settlements, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shop does not offer settlements");
        // AND nothing was recorded or sent
        assertThat(RequestStatusRepository.of(kit.deps().build()).findAll()).hasSize(recordsBefore);
        assertThat(kit.queueCount(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + kit.queueCount(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isZero();
    }

    @Test
    void the_tracking_run_re_collects_each_unfinished_order_at_low_spread_over_its_period_and_gives_up_on_the_too_old() {
        // GIVEN three orders of market track: one shipping since 20 days (before the kit's clock), one preparing since
        // now, one delivered (final: not tracked)
        String queue = kit.newQueue("collect");
        HandlerDependencies deps = kit.deps().queues(QueueDirectory.builder().market("shop", queue, null).build()).build();
        java.time.Instant now = HandlerKit.NOW;
        io.marketgate.handlers.store.OrderStore old = new io.marketgate.handlers.store.OrderStore(kit.dynamoDb,
                HandlerKit.TABLES.orders(), java.time.Clock.fixed(now.minus(Duration.ofDays(20)), java.time.ZoneOffset.UTC));
        io.marketgate.handlers.store.OrderStore store = new io.marketgate.handlers.store.OrderStore(kit.dynamoDb,
                HandlerKit.TABLES.orders(), deps.clock());
        old.write("shop", "S1", "r0", List.of(new io.marketgate.market.Order("O-old", "DEPARTURE",
                io.marketgate.market.OrderStatus.SHIPPING, now.minus(Duration.ofDays(20)), "{}")));
        store.write("shop", "S2", "r1", List.of(new io.marketgate.market.Order("O-new", "INSTRUCT",
                io.marketgate.market.OrderStatus.PREPARING, now, "{}")));
        store.write("shop", "S3", "r1", List.of(new io.marketgate.market.Order("O-done", "FINAL_DELIVERY",
                io.marketgate.market.OrderStatus.DELIVERED, now, "{}")));
        AtomicInteger ids = new AtomicInteger();

        // WHEN the tracking schedule runs (14 days, spread over 30 minutes, which SQS caps at 15)
        FanOutService.TrackResult result = new FanOutService(deps, () -> "track-" + ids.incrementAndGet())
                .trackUnfinished(ScheduleEvent.tracking("shop", Duration.ofDays(14), Duration.ofMinutes(30), Priority.LOW));

        // THEN the recent unfinished order is re-collected by its per-order call at LOW, the old one given up
        assertThat(result.requestIds()).containsExactly("track-1");
        assertThat(result.gaveUp()).isEqualTo(1);
        String body = kit.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)).messages().get(0).body();
        assertThat(body).contains("\"orderId\":\"O-new\"", "\"sellerId\":\"S2\"", "\"priority\":\"LOW\"").doesNotContain("\"from\"");
        // AND the given-up order stays stored with the mark, no longer tracked
        assertThat(store.find("shop", "S1", "O-old").orElseThrow().trackingGaveUpAt()).contains(now);
        List<io.marketgate.handlers.store.OrderStore.Tracked> tracked = new java.util.ArrayList<>();
        store.tracked("shop", tracked::addAll);
        assertThat(tracked).extracting(io.marketgate.handlers.store.OrderStore.Tracked::orderId).containsExactly("O-new");
    }

    @Test
    void a_tracking_payload_is_refused_naming_the_field_before_anything_is_written() {
        Map<String, Object> payload = new HashMap<>(Map.of("market", "shop", "kind", "ORDERS", "track", "UNFINISHED",
                "spreadOver", "PT30M", "priority", "LOW"));
        assertThatThrownBy(() -> new SchedulerHandler(kit.deps().build(), HandlerKit.metrics(new RecordingMetrics())).handleRequest(payload, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge");
        payload.put("maxAge", "P14D");
        payload.put("lookback", "PT30M");
        assertThatThrownBy(() -> new SchedulerHandler(kit.deps().build(), HandlerKit.metrics(new RecordingMetrics())).handleRequest(payload, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lookback");
    }

    @Test
    void a_spread_longer_than_sqs_allows_is_capped_at_fifteen_minutes() {
        // GIVEN
        String queue = kit.newQueue("collect");

        // WHEN the schedule asks for an hour
        FanOutResult result = new FanOutService(deps(queue)).fanOut(new ScheduleEvent("shop", DataKind.ORDERS,
                Duration.ofMinutes(30), Duration.ofHours(1), Priority.LOW));

        // THEN the delays spread evenly over SQS's maximum of 900 s
        assertThat(result.delaysSeconds()).isEqualTo(IntStream.range(0, 25).mapToObj(i -> 36 * i).toList());
    }

    @Test
    void the_handler_reads_the_scheduler_payload_and_answers_with_the_counts() {
        // GIVEN
        String queue = kit.newQueue("collect");

        // WHEN
        Map<String, Object> answer = new SchedulerHandler(deps(queue), HandlerKit.metrics(new RecordingMetrics()))
                .handleRequest(payload("PT10M"), null);

        // THEN
        assertThat(answer).containsEntry("market", "shop").containsEntry("requests", 25).containsEntry("batches", 3)
                .containsEntry("failedToSend", 0);
    }

    @Test
    void a_bad_payload_is_refused_naming_the_field_and_nothing_is_written() {
        // GIVEN
        String queue = kit.newQueue("collect");
        SchedulerHandler handler = new SchedulerHandler(deps(queue), HandlerKit.metrics(new RecordingMetrics()));
        int recordsBefore = RequestStatusRepository.of(kit.deps().build()).findAll().size();
        Map<String, Object> unknownMarket = payload("PT10M");
        unknownMarket.put("market", "nowhere");
        Map<String, Object> negativeLookback = payload("PT10M");
        negativeLookback.put("lookback", "-PT5M");
        Map<String, Object> extraField = payload("PT10M");
        extraField.put("sellers", List.of("S1"));

        // WHEN / THEN
        assertThatThrownBy(() -> handler.handleRequest(unknownMarket, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere");
        assertThatThrownBy(() -> handler.handleRequest(negativeLookback, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lookback");
        assertThatThrownBy(() -> handler.handleRequest(extraField, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sellers");
        assertThat(RequestStatusRepository.of(kit.deps().build()).findAll()).hasSize(recordsBefore);
        assertThat(kit.queueCount(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + kit.queueCount(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isZero();
    }
}
