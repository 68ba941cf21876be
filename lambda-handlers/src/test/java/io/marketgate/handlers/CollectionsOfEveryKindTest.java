package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.store.RecordStore;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketCallListener;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections of the kinds beside orders (claims, inquiries, reviews, products, settlements) from end to end, against
 * dynalite and the reference simulator: asked for on the API, collected by the collector through the reference
 * protocol, stored, and read back through the seller's view. Market {@code shop} offers every kind but settlements.
 */
class CollectionsOfEveryKindTest {

    /** Four days of records: four call windows of 24 h, several pages of 5 (a seller has 2 claims a day, 4 inquiries). */
    private static final Instant FROM = Instant.parse("2026-10-29T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-02T00:00:00Z");

    @TempDir
    static Path dir;

    private static ApiTestWorld world;
    private static HandlerKit kit;

    private final RecordingMetrics metrics = new RecordingMetrics();

    @BeforeAll
    static void start() {
        world = new ApiTestWorld(dir);
        kit = world.kit;
        for (String seller : List.of("S1", "S2", "S3", "S4")) {
            kit.registerSeller("shop", seller);
        }
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @AfterEach
    void resetHook() {
        kit.callHook.set(MarketCallListener.NONE);
    }

    private CollectorHandler collector() {
        return new CollectorHandler(kit.deps().build(), HandlerKit.metrics(metrics));
    }

    private static CollectionMessage request(String requestId, String seller, DataKind kind, Instant from, Instant to) {
        return new CollectionMessage(requestId, "shop", seller, kind, from, to, Priority.MEDIUM);
    }

    private static RequestStatus status(String requestId) {
        return RequestStatusRepository.of(kit.deps().build()).find(requestId).orElseThrow();
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static RecordStore store() {
        return new RecordStore(kit.dynamoDb, HandlerKit.TABLES.orders(), Clock.fixed(HandlerKit.NOW, ZoneOffset.UTC));
    }

    /** The records of {@code kind} of {@code seller} the simulated market lists for [from, to): the truth. */
    private static List<String> truth(String seller, DataKind kind, Instant from, Instant to) {
        return kit.sim.market("shop").records().changedBetween(seller, RecordBook.Kind.valueOf(kind.name()), from, to).stream()
                .filter(r -> !r.updatedAt().isBefore(from) && r.updatedAt().isBefore(to)).map(RecordBook.SimRecord::id).toList();
    }

    private static List<String> storedIds(String seller, DataKind kind) {
        List<String> ids = new ArrayList<>();
        store().forEachPage("shop", seller, kind, page -> page.forEach(r -> ids.add(r.id())));
        return ids;
    }

    private static ApiResponse get(String path, Map<String, String> query) {
        return world.get(path, query);
    }

    private static JsonNode json(ApiResponse response) {
        return ApiTestWorld.json(response);
    }

    /** Every item of the seller's view of {@code kind}, following its cursor pages of 3. */
    private static List<JsonNode> view(String seller, DataKind kind) {
        List<JsonNode> items = new ArrayList<>();
        Map<String, String> query = Map.of("limit", "3");
        while (query != null) {
            ApiResponse response = get("/v1/sellers/shop/" + seller + "/" + kind.configName(), query);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode page = json(response);
            page.get(kind.configName()).forEach(items::add);
            query = page.has("cursor") ? Map.of("limit", "3", "cursor", page.get("cursor").asText()) : null;
        }
        return items;
    }

    @Test
    void every_kind_the_market_offers_is_collected_into_the_store_and_read_back_through_the_sellers_view() {
        // GIVEN one message per kind shop offers, for seller S1's two days
        String queue = kit.newQueue("collect");
        List<DataKind> kinds = List.of(DataKind.CLAIMS, DataKind.INQUIRIES, DataKind.REVIEWS, DataKind.PRODUCTS);
        List<String> bodies = kinds.stream().map(k -> HandlerKit.json(request("r-" + k.configName(), "S1", k, FROM, TO))).toList();
        SQSEvent event = kit.sendAndReceive(queue, bodies);

        // WHEN the collector takes them
        SQSBatchResponse response = collector().handleRequest(event, null);

        // THEN each request succeeded, and each kind's records are stored once each: what the market lists, no more
        assertThat(failures(response)).isEmpty();
        for (DataKind kind : kinds) {
            List<String> expected = truth("S1", kind, FROM, TO);
            assertThat(expected).as(kind.configName()).hasSizeGreaterThan(5);
            assertThat(storedIds("S1", kind)).as(kind.configName()).containsExactlyInAnyOrderElementsOf(expected);
            RequestStatus status = status("r-" + kind.configName());
            assertThat(status.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(status.ordersWritten()).as("records written of " + kind.configName()).isEqualTo(expected.size());
            assertThat(metrics.flushed).contains("RecordsCollected{kind=" + kind.configName() + ", market=shop}="
                    + (double) expected.size());
            // AND the seller's view pages through them in the kind's common model, the market's answer beside it
            List<JsonNode> view = view("S1", kind);
            assertThat(view).extracting(n -> n.get("id").asText()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(view).allSatisfy(n -> {
                assertThat(n.get("kind").asText()).isEqualTo(kind.configName());
                assertThat(kind.statuses()).extracting(s -> s.name()).contains(n.get("status").asText());
                assertThat(n.get("marketStatus").asText()).isNotBlank();
                assertThat(n.get("raw").get(io.marketgate.market.reference.ReferenceRestAdapter.idField(kind)).asText())
                        .isEqualTo(n.get("id").asText());
                n.get("fields").fieldNames().forEachRemaining(f -> assertThat(kind.fields()).contains(f));
            });
        }
        // AND the stored common status and fields are the market's: an inquiry's question and state
        String anInquiry = truth("S1", DataKind.INQUIRIES, FROM, TO).get(0);
        RecordBook.SimRecord market = kit.sim.market("shop").records().find("S1", anInquiry).orElseThrow();
        RecordStore.StoredRecord stored = store().find("shop", "S1", DataKind.INQUIRIES, anInquiry).orElseThrow();
        assertThat(stored.commonStatus().name()).isEqualTo(market.state());
        assertThat(stored.fields()).containsEntry("question", market.attrs().get("question"));
    }

    @Test
    void a_redelivered_message_of_a_succeeded_request_writes_no_record_again() {
        // GIVEN S2's inquiries collected once
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-again", "S2", DataKind.INQUIRIES, FROM, TO))));
        CollectorHandler collector = collector();
        assertThat(failures(collector.handleRequest(event, null))).isEmpty();
        List<String> first = storedIds("S2", DataKind.INQUIRIES);

        // WHEN the same message is delivered again (SQS's at-least-once delivery, or a batch whose instance died)
        assertThat(failures(collector.handleRequest(HandlerKit.redelivered(event, 2), null))).isEmpty();

        // THEN it is acknowledged without collecting again: the same records, each written once, none counted as a repeat
        List<String> expected = truth("S2", DataKind.INQUIRIES, FROM, TO);
        assertThat(first).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(storedIds("S2", DataKind.INQUIRIES)).containsExactlyElementsOf(first);
        assertThat(store().page("shop", "S2", DataKind.INQUIRIES, RecordStore.Filter.ALL, java.util.Optional.empty(), 1000)
                .records()).allSatisfy(r -> assertThat(r.writes()).isEqualTo(1));
        assertThat(first).allSatisfy(id -> assertThat(kit.dynamoDb.getItem(b -> b.tableName(HandlerKit.TABLES.orders())
                .consistentRead(true).key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "shop#S2#inquiries"), "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(id))))
                .item()).doesNotContainKey("rangeRepeats"));
        RequestStatus status = status("r-again");
        assertThat(status.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.ordersWritten()).isEqualTo(expected.size());
    }

    @Test
    void a_newer_state_of_the_market_replaces_the_stored_one_and_an_older_answer_written_late_does_not() {
        // GIVEN S3's inquiries collected, one of them unanswered
        String queue = kit.newQueue("collect");
        CollectorHandler collector = collector();
        assertThat(failures(collector.handleRequest(kit.sendAndReceive(queue,
                List.of(HandlerKit.json(request("r-before", "S3", DataKind.INQUIRIES, FROM, TO)))), null))).isEmpty();
        RecordStore store = store();
        RecordStore.StoredRecord before = store.page("shop", "S3", DataKind.INQUIRIES,
                new RecordStore.Filter(java.util.Optional.of(InquiryStatus.UNANSWERED), java.util.Optional.empty(),
                        java.util.Optional.empty()), java.util.Optional.empty(), 1).records().get(0);

        // WHEN the seller answers it at the market, and a collection of the time of the answer reads it again
        RecordBook book = kit.sim.market("shop").records();
        assertThat(book.answer("S3", before.id(), "Yes, it is.").applied()).isEqualTo(RecordBook.Applied.DONE);
        Instant answeredAt = book.find("S3", before.id()).orElseThrow().updatedAt();
        assertThat(failures(collector.handleRequest(kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-after", "S3",
                DataKind.INQUIRIES, answeredAt.minus(Duration.ofHours(1)), answeredAt.plusSeconds(1))))), null))).isEmpty();

        // THEN the store holds the answered state, with its answer and the market's change time
        RecordStore.StoredRecord after = store.find("shop", "S3", DataKind.INQUIRIES, before.id()).orElseThrow();
        assertThat(after.commonStatus()).isEqualTo(InquiryStatus.ANSWERED);
        assertThat(after.fields()).containsEntry("answer", "Yes, it is.");
        assertThat(after.changedAt()).isEqualTo(answeredAt);

        // WHEN a collector that read the unanswered state before writes it late
        RecordStore.WriteResult late = store.write("shop", "S3", "r-before", DataKind.INQUIRIES, List.of(before.record()));

        // THEN it is stale and changes nothing: the view still shows the answer
        assertThat(late.stale()).isEqualTo(1);
        JsonNode shown = view("S3", DataKind.INQUIRIES).stream().filter(n -> n.get("id").asText().equals(before.id()))
                .findFirst().orElseThrow();
        assertThat(shown.get("status").asText()).isEqualTo("ANSWERED");
        assertThat(shown.get("fields").get("answer").asText()).isEqualTo("Yes, it is.");
    }

    @Test
    void a_collection_of_claims_asked_on_the_api_is_queued_collected_and_reported_with_its_kind() {
        // GIVEN a collection of S4's claims asked on the API
        ApiResponse accepted = world.call("POST", "/v1/collections", "{\"market\":\"shop\",\"sellers\":[\"S4\"],\"kind\":\"CLAIMS\","
                + "\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).get("requestId").asText();
        int messages = json(accepted).get("messages").asInt();

        // WHEN the collector takes the queued messages
        SQSEvent event = kit.receive(world.collectQueue, messages);
        assertThat(event.getRecords()).allSatisfy(r -> assertThat(r.getBody()).contains("\"kind\":\"CLAIMS\""));
        assertThat(failures(collector().handleRequest(event, null))).isEmpty();
        event.getRecords().forEach(r -> kit.sqs.deleteMessage(b -> b.queueUrl(world.collectQueue).receiptHandle(r.getReceiptHandle())));

        // THEN the request reports its kind, SUCCEEDED, with the claims written, and the claims are in the seller's view
        JsonNode progress = json(get("/v1/collections/" + id, Map.of()));
        List<String> expected = truth("S4", DataKind.CLAIMS, FROM, TO);
        assertThat(progress.get("kind").asText()).isEqualTo("CLAIMS");
        assertThat(progress.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(progress.get("claimsWritten").asLong()).isEqualTo(expected.size());
        assertThat(view("S4", DataKind.CLAIMS)).extracting(n -> n.get("id").asText()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void a_collection_of_a_kind_the_market_does_not_offer_is_422_naming_the_market_and_the_kind_and_nothing_is_queued() {
        // GIVEN the requests table as it is
        int before = RequestStatusRepository.of(kit.deps().build()).findAll().size();

        // WHEN settlements of shop are asked for
        ApiResponse refused = world.call("POST", "/v1/collections", "{\"market\":\"shop\",\"sellers\":[\"S1\"],"
                + "\"kind\":\"SETTLEMENTS\",\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"}");

        // THEN 422 naming kind, the market and the kind, and nothing was queued or recorded
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = json(refused);
        assertThat(problem.get("field").asText()).isEqualTo("kind");
        assertThat(problem.get("rule").asText()).isEqualTo("offered-kind");
        assertThat(problem.get("detail").asText()).isEqualTo("kind: shop does not offer settlements (its adapter.calls does "
                + "not map listSettlements; it offers orders, claims, inquiries, reviews, products)");
        assertThat(RequestStatusRepository.of(kit.deps().build()).findAll()).hasSize(before);
        assertThat(kit.queueCount(world.collectQueue, software.amazon.awssdk.services.sqs.model.QueueAttributeName
                .APPROXIMATE_NUMBER_OF_MESSAGES)).isZero();
    }

    @Test
    void a_queued_message_of_a_kind_the_market_no_longer_offers_fails_at_once_without_a_market_call() {
        // GIVEN a message of settlements on shop (queued before its environment stopped offering them)
        String queue = kit.newQueue("collect");
        AtomicInteger calls = new AtomicInteger();
        kit.callHook.set((call, priority, outcome, elapsed) -> calls.incrementAndGet());
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-settlements", "S1", DataKind.SETTLEMENTS,
                FROM, TO))));

        // WHEN the collector takes it
        SQSBatchResponse response = collector().handleRequest(event, null);

        // THEN it is acknowledged and FAILED naming the market and the kind, and the market was never called
        assertThat(failures(response)).isEmpty();
        RequestStatus status = status("r-settlements");
        assertThat(status.status()).isEqualTo(Status.FAILED);
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("bad request: kind: shop does not offer settlements (its adapter.calls does not map listSettlements"));
        assertThat(calls).hasValue(0);
    }
}
