package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.embedded.aws.EmbeddedEventBridge;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.events.ActionEvents;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.IdempotencyStore;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.Order;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished or failed action's event on the environment's event bus (the embedded EventBridge, through the SDK's
 * client): one event per final action, and a message whose event was not published comes back to publish it, without
 * the market being called again.
 */
class ActionEventsTest {

    @TempDir
    Path dir;
    ApiTestWorld world;
    EmbeddedEventBridge bus;

    @BeforeEach
    void start() {
        world = new ApiTestWorld(dir);
        bus = world.kit.eventsServer;
    }

    @AfterEach
    void stop() {
        world.kit.sim.market("shop").faults().clear();
        world.close();
    }

    private String firstOrder(String seller) {
        List<Order> orders = world.kit.sim.market("shop").orders(seller, HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6)));
        assertThat(orders).isNotEmpty();
        return orders.get(0).orderId();
    }

    private String ship(String key, String seller, String orderId) {
        world.kit.storeOrders("shop", seller, orderId);
        ApiResponse accepted = world.call("POST", "/v1/actions", Map.of("Content-Type", "application/json", "Idempotency-Key", key),
                "{\"type\":\"SHIP_ORDER\",\"market\":\"shop\",\"sellerId\":\"" + seller + "\",\"orderId\":\"" + orderId
                        + "\",\"carrier\":\"CJ\",\"trackingNumber\":\"T-1\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return json(accepted.body()).get("actionId").asText();
    }

    private SQSBatchResponse perform(SQSEvent event) {
        return new ActionsHandler(world.kit.deps().build(), HandlerKit.metrics(new RecordingMetrics())).handleRequest(event, null);
    }

    private JsonNode action(String actionId) {
        ApiResponse read = world.call("GET", "/v1/actions/" + actionId, null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return json(read.body());
    }

    private List<EmbeddedEventBridge.Event> eventsOf(String actionId) {
        return bus.events(HandlerKit.BUS).stream().filter(e -> actionId.equals(e.detailJson().get("actionId").asText())).toList();
    }

    private List<Arrival> shipments(String orderId) {
        return world.kit.sim.market("shop").arrivals(Endpoint.CREATE_SHIPMENT).stream().filter(a -> orderId.equals(a.orderId())).toList();
    }

    private static JsonNode json(String body) {
        try {
            return Messages.json().readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(body, e);
        }
    }

    @Test
    void a_done_action_emits_one_action_done_event_whose_detail_is_its_record() {
        // GIVEN a shipment accepted by the API
        String orderId = firstOrder("S1");
        String actionId = ship("ev-1", "S1", orderId);

        // WHEN the actions handler performs it
        SQSBatchResponse response = perform(world.kit.receive(world.actionsQueue, 1));

        // THEN one event, "Action Done" from marketgate.actions, carries the record as GET answers it
        assertThat(response.getBatchItemFailures()).isEmpty();
        List<EmbeddedEventBridge.Event> events = eventsOf(actionId);
        assertThat(events).hasSize(1);
        EmbeddedEventBridge.Event event = events.get(0);
        assertThat(event.source()).isEqualTo(ActionEvents.SOURCE);
        assertThat(event.detailType()).isEqualTo("Action Done");
        JsonNode detail = event.detailJson();
        assertThat(detail.get("status").asText()).isEqualTo("DONE");
        assertThat(detail.get("type").asText()).isEqualTo("SHIP_ORDER");
        assertThat(detail.get("orderId").asText()).isEqualTo(orderId);
        assertThat(detail.get("market").asText()).isEqualTo("shop");
        assertThat(detail.get("outcome").get("result").asText()).isEqualTo("APPLIED");
        JsonNode record = action(actionId);
        assertThat(record.get("eventPublishedAt").asText()).isEqualTo(HandlerKit.NOW.toString());
        ((com.fasterxml.jackson.databind.node.ObjectNode) record).remove("eventPublishedAt");
        assertThat(detail).isEqualTo(record);
    }

    @Test
    void a_failed_action_emits_one_action_failed_event_with_the_reason() {
        // GIVEN a shipment of an order the market does not know (404): a fatal outcome
        String actionId = ship("ev-2", "S2", "no-such-order");

        // WHEN it is performed
        SQSBatchResponse response = perform(world.kit.receive(world.actionsQueue, 1));

        // THEN the message is done with and the failure is on the bus with its cause and reason
        assertThat(response.getBatchItemFailures()).isEmpty();
        List<EmbeddedEventBridge.Event> events = eventsOf(actionId);
        assertThat(events).extracting(EmbeddedEventBridge.Event::detailType).containsExactly("Action Failed");
        JsonNode outcome = events.get(0).detailJson().get("outcome");
        assertThat(outcome.get("result").asText()).isEqualTo("REFUSED");
        assertThat(outcome.get("reason").asText()).isNotBlank();
        assertThat(action(actionId).get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void an_event_the_bus_refuses_keeps_the_message_and_its_redelivery_publishes_it_without_acting_again() {
        // GIVEN a shipment, and a bus that fails the next entry (FailedEntryCount 1)
        String orderId = firstOrder("S3");
        String actionId = ship("ev-3", "S3", orderId);
        SQSEvent event = world.kit.receive(world.actionsQueue, 1);
        bus.failNextEntries(1, "InternalFailure", "the bus failed this entry");

        // WHEN it is performed, and delivered again
        SQSBatchResponse first = perform(event);
        JsonNode between = action(actionId);
        IdempotencyStore keys = new IdempotencyStore(world.kit.dynamoDb, HandlerKit.TABLES.idempotency(), Clock.systemUTC());
        String keyBetween = keys.status("shop:ev-3").orElse("");
        SQSBatchResponse second = perform(HandlerKit.redelivered(event, 2));

        // THEN the first delivery was kept (reported failed) with the action DONE but no event; the second published it
        // once; the market was called once
        assertThat(first.getBatchItemFailures()).hasSize(1);
        assertThat(between.get("status").asText()).isEqualTo("DONE");
        assertThat(between.has("eventPublishedAt")).isFalse();
        assertThat(keyBetween).isEqualTo("IN_PROGRESS");
        assertThat(second.getBatchItemFailures()).isEmpty();
        assertThat(eventsOf(actionId)).extracting(EmbeddedEventBridge.Event::detailType).containsExactly("Action Done");
        assertThat(action(actionId).has("eventPublishedAt")).isTrue();
        assertThat(shipments(orderId)).extracting(Arrival::status).containsExactly(201);
        assertThat(keys.status("shop:ev-3")).hasValue("COMPLETED");
    }

    @Test
    void a_failed_action_whose_event_cannot_be_put_is_not_dropped_until_it_is_published() {
        // GIVEN a shipment the market refuses for good, and a bus that refuses whole requests (past the SDK's retries)
        String actionId = ship("ev-4", "S4", "no-such-order-4");
        SQSEvent event = world.kit.receive(world.actionsQueue, 1);
        bus.refuseNextRequests(10);

        // WHEN it is performed, and delivered again once the bus works
        SQSBatchResponse first = perform(event);
        bus.clear();
        SQSBatchResponse second = perform(HandlerKit.redelivered(event, 2));

        // THEN the first delivery kept the message, the second published "Action Failed", and the market saw it once
        assertThat(first.getBatchItemFailures()).hasSize(1);
        assertThat(second.getBatchItemFailures()).isEmpty();
        assertThat(eventsOf(actionId)).extracting(EmbeddedEventBridge.Event::detailType).containsExactly("Action Failed");
        assertThat(shipments("no-such-order-4")).hasSize(1);
    }

    @Test
    void a_redelivered_message_of_a_published_action_emits_no_second_event() {
        // GIVEN a shipment performed and its event published
        String orderId = firstOrder("S5");
        String actionId = ship("ev-5", "S5", orderId);
        SQSEvent event = world.kit.receive(world.actionsQueue, 1);
        assertThat(perform(event).getBatchItemFailures()).isEmpty();

        // WHEN it comes back
        SQSBatchResponse again = perform(HandlerKit.redelivered(event, 2));

        // THEN nothing more is sent anywhere
        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(eventsOf(actionId)).hasSize(1);
        assertThat(shipments(orderId)).hasSize(1);
    }
}
