package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.embedded.aws.EmbeddedEventBridge;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.market.DataKind;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every action through the API and the actions handler against the reference simulator ({@code shop}, which offers
 * them all): accepted only for a record the platform collected, performed once, DONE with one {@code Action Done}
 * event; the market's final refusals FAILED with its reason and an {@code Action Failed} event; a redelivery never
 * calls the market again.
 */
class ActionsPipelineTest {

    @TempDir
    static Path dir;
    static ApiTestWorld world;

    @BeforeAll
    static void start() {
        world = new ApiTestWorld(dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static RecordBook book() {
        return world.kit.sim.market("shop").records();
    }

    /** A record of the seller in {@code state} from the last 30 days (the rarer states, 10 %, included), counted as collected. */
    private static RecordBook.SimRecord collected(String seller, RecordBook.Kind kind, String state) {
        Instant now = Instant.now();
        RecordBook.SimRecord r = book().between(seller, kind, now.minus(Duration.ofDays(30)), now).stream()
                .filter(x -> x.state().equals(state)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + state + " of " + seller));
        world.kit.collected("shop", seller, DataKind.valueOf(kind.name()), r.id());
        return r;
    }

    /** An order of the seller the market shows as {@code status}, stored as collected. */
    private static String collectedOrder(String seller, String status) {
        List<Order> orders = world.kit.sim.market("shop").orders(seller, HandlerKit.T0, Instant.now());
        String id = orders.stream().filter(o -> o.status().equals(status)).findFirst()
                .orElseThrow(() -> new AssertionError("no order " + status + " of " + seller)).orderId();
        world.kit.storeOrders("shop", seller, id);
        return id;
    }

    private static ApiResponse post(String key, String body) {
        return world.call("POST", "/v1/actions", Map.of("Content-Type", "application/json", "Idempotency-Key", key), body);
    }

    private static String accepted(String key, String body) {
        ApiResponse response = post(key, body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return json(response.body()).get("actionId").asText();
    }

    private static String body(String type, String seller, String fields) {
        return "{\"type\":\"" + type + "\",\"market\":\"shop\",\"sellerId\":\"" + seller + "\"," + fields + "}";
    }

    private static SQSEvent receive() {
        return world.kit.receive(world.actionsQueue, 1);
    }

    private static SQSBatchResponse perform(SQSEvent event) {
        return new ActionsHandler(world.kit.deps().build(), HandlerKit.metrics(new RecordingMetrics())).handleRequest(event, null);
    }

    /** Deletes the event's messages, as the event source mapping does once they are done with. */
    private static void done(SQSEvent event) {
        event.getRecords().forEach(r -> world.kit.sqs.deleteMessage(b -> b.queueUrl(world.actionsQueue).receiptHandle(r.getReceiptHandle())));
    }

    /** What a refused request must leave as it was: the action queue's messages and the idempotency table's items. */
    private static List<Integer> state() {
        return List.of(world.kit.queueCount(world.actionsQueue, software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                world.kit.queueCount(world.actionsQueue, software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                world.kit.dynamoDb.scan(b -> b.tableName(HandlerKit.TABLES.idempotency())).count());
    }

    private static JsonNode action(String actionId) {
        ApiResponse read = world.call("GET", "/v1/actions/" + actionId, null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return json(read.body());
    }

    private static List<EmbeddedEventBridge.Event> events(String actionId) {
        return world.kit.eventsServer.events(HandlerKit.BUS).stream()
                .filter(e -> actionId.equals(e.detailJson().get("actionId").asText())).toList();
    }

    private static List<Arrival> arrivals(Endpoint endpoint, String id) {
        return world.kit.sim.market("shop").arrivals(endpoint).stream().filter(a -> id.equals(a.orderId())).toList();
    }

    private static JsonNode json(String body) {
        try {
            return Messages.json().readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    /** One action on a record in a state the market applies it to, and what the record reads after. */
    record Applied(String name, String seller, RecordBook.Kind kind, String state, String type, String idField, String fields,
            Endpoint endpoint, String stateAfter, String attribute, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Applied> applied() {
        return Stream.of(
                new Applied("answer an unanswered inquiry", "S11", RecordBook.Kind.INQUIRIES, "UNANSWERED", "ANSWER_INQUIRY",
                        "inquiryId", "\"text\":\"It ships tomorrow.\"", Endpoint.ANSWER_INQUIRY, "ANSWERED", "answer", "It ships tomorrow."),
                new Applied("reply to an unreplied review", "S12", RecordBook.Kind.REVIEWS, "UNREPLIED", "REPLY_REVIEW",
                        "reviewId", "\"text\":\"Thank you!\"", Endpoint.REPLY_REVIEW, "REPLIED", "reply", "Thank you!"),
                new Applied("change a product's price", "S13", RecordBook.Kind.PRODUCTS, "ON_SALE", "CHANGE_PRICE",
                        "productId", "\"price\":12345", Endpoint.CHANGE_PRICE, "ON_SALE", "price", "12345"),
                new Applied("change a product's stock", "S14", RecordBook.Kind.PRODUCTS, "ON_SALE", "CHANGE_STOCK",
                        "productId", "\"stock\":7", Endpoint.CHANGE_STOCK, "ON_SALE", "stock", "7"),
                new Applied("take a product off sale", "S15", RecordBook.Kind.PRODUCTS, "ON_SALE", "CHANGE_SALE_STATUS",
                        "productId", "\"status\":\"SUSPENDED\"", Endpoint.CHANGE_SALE_STATUS, "SUSPENDED", null, null),
                new Applied("confirm a requested claim", "S16", RecordBook.Kind.CLAIMS, "REQUESTED", "CONFIRM_CLAIM",
                        "claimId", null, Endpoint.CONFIRM_CLAIM, "IN_PROGRESS", null, null),
                new Applied("reject a requested claim", "S17", RecordBook.Kind.CLAIMS, "REQUESTED", "REJECT_CLAIM",
                        "claimId", "\"reason\":\"The item was used.\"", Endpoint.REJECT_CLAIM, "REJECTED", "reason", "The item was used."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("applied")
    void an_action_on_a_collected_record_is_applied_once_done_with_one_event_and_not_repeated_on_redelivery(Applied c) {
        // GIVEN a record the platform collected, in a state the market applies the action to
        RecordBook.SimRecord record = collected(c.seller(), c.kind(), c.state());
        String fields = "\"" + c.idField() + "\":\"" + record.id() + "\"" + (c.fields() == null ? "" : "," + c.fields());

        // WHEN it is asked for through the API and performed, then delivered again
        String actionId = accepted("p-" + c.seller(), body(c.type(), c.seller(), fields));
        SQSEvent event = receive();
        SQSBatchResponse first = perform(event);
        SQSBatchResponse again = perform(HandlerKit.redelivered(event, 2));
        done(event);

        // THEN the market applied it once, the action is DONE (applied), and one Action Done event names the record
        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(arrivals(c.endpoint(), record.id())).extracting(Arrival::status).containsExactly(200);
        RecordBook.SimRecord after = book().find(c.seller(), record.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(c.stateAfter());
        if (c.attribute() != null) {
            assertThat(after.attrs()).containsEntry(c.attribute(), c.value());
        }
        JsonNode done = action(actionId);
        assertThat(done.get("status").asText()).isEqualTo("DONE");
        assertThat(done.get("outcome").get("result").asText()).isEqualTo("APPLIED");
        assertThat(done.get(c.idField()).asText()).isEqualTo(record.id());
        assertThat(events(actionId)).extracting(EmbeddedEventBridge.Event::detailType).containsExactly("Action Done");
        assertThat(events(actionId).get(0).detailJson().get(c.idField()).asText()).isEqualTo(record.id());
    }

    @Test
    void an_order_is_acknowledged_once_and_shipped_as_before() {
        // GIVEN an order the market holds as ACCEPT, collected
        String orderId = collectedOrder("S18", "ACCEPT");

        // WHEN it is acknowledged, and the acknowledgement delivered twice
        String actionId = accepted("ack-S18", body("ACKNOWLEDGE_ORDER", "S18", "\"orderId\":\"" + orderId + "\""));
        SQSEvent event = receive();
        assertThat(perform(event).getBatchItemFailures()).isEmpty();
        assertThat(perform(HandlerKit.redelivered(event, 2)).getBatchItemFailures()).isEmpty();
        done(event);

        // THEN the market saw one acknowledgement and the action is DONE with one event
        assertThat(arrivals(Endpoint.ACKNOWLEDGE_ORDER, orderId)).extracting(Arrival::status).containsExactly(200);
        assertThat(action(actionId).get("status").asText()).isEqualTo("DONE");
        assertThat(events(actionId)).extracting(EmbeddedEventBridge.Event::detailType).containsExactly("Action Done");
    }

    /** An action the market refuses for good for its record's sake, and the reason it gives. */
    record Refused(String name, String seller, RecordBook.Kind kind, String state, String type, String idField, String fields,
            Endpoint endpoint, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refused> refused() {
        return Stream.of(
                new Refused("answer an inquiry answered already", "S21", RecordBook.Kind.INQUIRIES, "ANSWERED", "ANSWER_INQUIRY",
                        "inquiryId", "\"text\":\"Another answer\"", Endpoint.ANSWER_INQUIRY, "answered already"),
                new Refused("reply to a deleted review", "S22", RecordBook.Kind.REVIEWS, "DELETED", "REPLY_REVIEW",
                        "reviewId", "\"text\":\"Thanks\"", Endpoint.REPLY_REVIEW, "deleted"),
                new Refused("confirm a withdrawn claim", "S23", RecordBook.Kind.CLAIMS, "WITHDRAWN", "CONFIRM_CLAIM",
                        "claimId", null, Endpoint.CONFIRM_CLAIM, "withdrawn"),
                new Refused("change the price of an ended product", "S24", RecordBook.Kind.PRODUCTS, "ENDED", "CHANGE_PRICE",
                        "productId", "\"price\":500", Endpoint.CHANGE_PRICE, "ended"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void a_final_refusal_of_the_market_is_failed_with_its_reason_and_an_event_and_its_message_is_done_with(Refused c) {
        // GIVEN a collected record in a state the market refuses the action for
        RecordBook.SimRecord record = collected(c.seller(), c.kind(), c.state());
        String fields = "\"" + c.idField() + "\":\"" + record.id() + "\"" + (c.fields() == null ? "" : "," + c.fields());

        // WHEN it is asked for and performed, then delivered again
        String actionId = accepted("r-" + c.seller(), body(c.type(), c.seller(), fields));
        SQSEvent event = receive();
        SQSBatchResponse first = perform(event);
        SQSBatchResponse again = perform(HandlerKit.redelivered(event, 2));
        done(event);

        // THEN the message is done with (not a dead letter), the action FAILED with the market's reason, one Action
        // Failed event carries it, and the market was asked once
        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(again.getBatchItemFailures()).isEmpty();
        JsonNode failed = action(actionId);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("outcome").get("cause").asText()).isEqualTo("ACTION_REFUSED");
        assertThat(failed.get("outcome").get("reason").asText()).contains(c.reason());
        List<EmbeddedEventBridge.Event> events = events(actionId);
        assertThat(events).extracting(EmbeddedEventBridge.Event::detailType).containsExactly("Action Failed");
        assertThat(events.get(0).detailJson().get("outcome").get("reason").asText()).contains(c.reason());
        assertThat(arrivals(c.endpoint(), record.id())).hasSize(1);
    }

    @Test
    void the_same_answer_given_again_under_a_new_key_is_done_as_already_applied() {
        // GIVEN an inquiry answered through the platform
        RecordBook.SimRecord inquiry = collected("S25", RecordBook.Kind.INQUIRIES, "UNANSWERED");
        String fields = "\"inquiryId\":\"" + inquiry.id() + "\",\"text\":\"Yes.\"";
        accepted("a-S25-1", body("ANSWER_INQUIRY", "S25", fields));
        SQSEvent first = receive();
        assertThat(perform(first).getBatchItemFailures()).isEmpty();
        done(first);

        // WHEN the same answer is asked for again with another key
        String second = accepted("a-S25-2", body("ANSWER_INQUIRY", "S25", fields));
        SQSEvent again = receive();
        assertThat(perform(again).getBatchItemFailures()).isEmpty();
        done(again);

        // THEN the market's "done already" makes it DONE, already applied
        JsonNode done = action(second);
        assertThat(done.get("status").asText()).isEqualTo("DONE");
        assertThat(done.get("outcome").get("result").asText()).isEqualTo("ALREADY_APPLIED");
        assertThat(events(second)).extracting(EmbeddedEventBridge.Event::detailType).containsExactly("Action Done");
    }

    @Test
    void a_record_the_platform_has_not_collected_is_refused_naming_its_field_before_anything_is_queued() {
        // GIVEN records the market has but the platform has not collected
        Instant now = Instant.now();
        String inquiry = book().between("S26", RecordBook.Kind.INQUIRIES, now.minus(Duration.ofDays(6)), now).get(0).id();
        String claim = book().between("S26", RecordBook.Kind.CLAIMS, now.minus(Duration.ofDays(6)), now).get(0).id();
        List<Integer> before = state();

        // WHEN actions name them
        ApiResponse answer = post("u-1", body("ANSWER_INQUIRY", "S26", "\"inquiryId\":\"" + inquiry + "\",\"text\":\"ok\""));
        ApiResponse confirm = post("u-2", body("CONFIRM_CLAIM", "S26", "\"claimId\":\"" + claim + "\""));

        // THEN each is 422 naming its id field, and nothing was queued or recorded
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(json(answer.body()).get("field").asText()).isEqualTo("inquiryId");
        assertThat(json(answer.body()).get("rule").asText()).isEqualTo("unknown-id");
        assertThat(confirm.status()).isEqualTo(422);
        assertThat(json(confirm.body()).get("field").asText()).isEqualTo("claimId");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void a_text_over_the_markets_own_limit_is_refused_naming_the_field_before_anything_is_queued() {
        // GIVEN a collected inquiry, and an answer of 1001 characters: under any market's 4000, over the reference
        // protocol's 1000
        RecordBook.SimRecord inquiry = collected("S27", RecordBook.Kind.INQUIRIES, "UNANSWERED");
        List<Integer> before = state();

        // WHEN
        ApiResponse response = post("l-1", body("ANSWER_INQUIRY", "S27", "\"inquiryId\":\"" + inquiry.id() + "\",\"text\":\""
                + "a".repeat(1001) + "\""));

        // THEN 422 naming text and the market's rule
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode problem = json(response.body());
        assertThat(problem.get("field").asText()).isEqualTo("text");
        assertThat(problem.get("rule").asText()).isEqualTo("market-limit");
        assertThat(problem.get("detail").asText()).contains("1000");
        assertThat(state()).isEqualTo(before);
    }
}
