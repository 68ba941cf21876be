package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.Order;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /v1/actions/{actionId}}: an action accepted by the API and performed by the actions handler, read back
 * by its id as it moves from ACCEPTED to DONE or FAILED.
 */
class ActionStatusTest {

    @TempDir
    Path dir;
    ApiTestWorld world;

    @BeforeEach
    void start() {
        world = new ApiTestWorld(dir);
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

    /** Ships an order the platform has collected (stored first, as a collection would). */
    private JsonNode ship(String key, String seller, String orderId) {
        world.kit.storeOrders("shop", seller, orderId);
        ApiResponse accepted = world.call("POST", "/v1/actions", Map.of("Content-Type", "application/json", "Idempotency-Key", key),
                "{\"type\":\"SHIP_ORDER\",\"market\":\"shop\",\"sellerId\":\"" + seller + "\",\"orderId\":\"" + orderId
                        + "\",\"carrier\":\"CJ\",\"trackingNumber\":\"T-1\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return json(accepted);
    }

    private JsonNode action(String actionId) {
        ApiResponse read = world.call("GET", "/v1/actions/" + actionId, null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return json(read);
    }

    private SQSBatchResponse perform(SQSEvent event) {
        return new ActionsHandler(world.kit.deps().build(), HandlerKit.metrics(new RecordingMetrics())).handleRequest(event, null);
    }

    private List<Arrival> shipments(String orderId) {
        return world.kit.sim.market("shop").arrivals(Endpoint.CREATE_SHIPMENT).stream().filter(a -> orderId.equals(a.orderId())).toList();
    }

    private static JsonNode json(ApiResponse response) {
        try {
            return Messages.json().readTree(response.body());
        } catch (Exception e) {
            throw new IllegalArgumentException(response.body(), e);
        }
    }

    @Test
    void an_accepted_action_reads_accepted_and_then_done_once_the_handler_has_shipped_it() {
        // GIVEN a shipment accepted by the API
        String orderId = firstOrder("S1");
        JsonNode accepted = ship("ship-1", "S1", orderId);
        String actionId = accepted.get("actionId").asText();
        JsonNode before = action(actionId);

        // WHEN the actions handler performs it
        SQSBatchResponse response = perform(world.kit.receive(world.actionsQueue, 1));

        // THEN the action read ACCEPTED before and reads DONE, applied, after one attempt
        assertThat(before.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(before.get("attempts").asLong()).isZero();
        assertThat(before.has("outcome")).isFalse();
        assertThat(response.getBatchItemFailures()).isEmpty();
        JsonNode after = action(actionId);
        assertThat(after.get("status").asText()).isEqualTo("DONE");
        assertThat(after.get("outcome").get("result").asText()).isEqualTo("APPLIED");
        assertThat(after.get("attempts").asLong()).isEqualTo(1);
        assertThat(after.get("market").asText()).isEqualTo("shop");
        assertThat(after.get("sellerId").asText()).isEqualTo("S1");
        assertThat(after.get("orderId").asText()).isEqualTo(orderId);
        assertThat(after.get("type").asText()).isEqualTo("SHIP_ORDER");
        assertThat(shipments(orderId)).extracting(Arrival::status).containsExactly(201);
    }

    @Test
    void an_action_the_market_refuses_for_good_reads_failed_with_the_reason() {
        // GIVEN a shipment of an order the platform has stored but the market does not know (404 ORDER_NOT_FOUND: the
        // market refuses it for good)
        String actionId = ship("ship-missing", "S2", "no-such-order").get("actionId").asText();

        // WHEN the actions handler performs it
        SQSBatchResponse response = perform(world.kit.receive(world.actionsQueue, 1));

        // THEN the message is done with, and the action reads FAILED with the refusal's cause and reason
        assertThat(response.getBatchItemFailures()).isEmpty();
        JsonNode after = action(actionId);
        assertThat(after.get("status").asText()).isEqualTo("FAILED");
        assertThat(after.get("outcome").get("result").asText()).isEqualTo("REFUSED");
        assertThat(after.get("outcome").get("cause").asText()).isEqualTo("ACTION_REFUSED");
        assertThat(after.get("outcome").get("reason").asText()).isNotBlank();
        assertThat(after.get("attempts").asLong()).isEqualTo(1);
    }

    @Test
    void an_action_handed_back_reads_retrying_with_why_and_then_done_on_its_redelivery() {
        // GIVEN a shipment whose first call the market answers 503
        String orderId = firstOrder("S3");
        String actionId = ship("ship-3", "S3", orderId).get("actionId").asText();
        SQSEvent event = world.kit.receive(world.actionsQueue, 1);
        world.kit.sim.market("shop").faults().failNext(1, 503);

        // WHEN it is performed, handed back, and delivered again
        SQSBatchResponse first = perform(event);
        JsonNode retrying = action(actionId);
        SQSBatchResponse second = perform(HandlerKit.redelivered(event, 2));

        // THEN it read RETRYING with the reason between the two and DONE after the second attempt
        assertThat(first.getBatchItemFailures()).hasSize(1);
        assertThat(retrying.get("status").asText()).isEqualTo("RETRYING");
        assertThat(retrying.get("lastRetry").get("reason").asText()).contains("503");
        assertThat(retrying.get("lastRetry").has("retryAfterSeconds")).isTrue();
        assertThat(second.getBatchItemFailures()).isEmpty();
        JsonNode done = action(actionId);
        assertThat(done.get("status").asText()).isEqualTo("DONE");
        assertThat(done.get("attempts").asLong()).isEqualTo(2);
        assertThat(done.get("lastRetry").has("retryAfterSeconds")).isFalse();
        assertThat(shipments(orderId)).extracting(Arrival::status).containsExactly(503, 201);
    }

    @Test
    void a_redelivered_message_of_a_done_action_neither_calls_the_market_nor_moves_the_record_back() {
        // GIVEN a shipment performed, DONE
        String orderId = firstOrder("S4");
        String actionId = ship("ship-4", "S4", orderId).get("actionId").asText();
        SQSEvent event = world.kit.receive(world.actionsQueue, 1);
        assertThat(perform(event).getBatchItemFailures()).isEmpty();
        JsonNode done = action(actionId);

        // WHEN the message comes back twice: once as SQS redelivers it, once after its key was lost (an attempt that
        // ended between writing the record and completing the key)
        SQSBatchResponse again = perform(HandlerKit.redelivered(event, 2));
        world.kit.dynamoDb.deleteItem(b -> b.tableName(HandlerKit.TABLES.idempotency())
                .key(Map.of(TableSchemas.PK, AttributeValue.fromS("shop:ship-4"))));
        SQSBatchResponse keyLost = perform(HandlerKit.redelivered(event, 3));

        // THEN both are done with, the market was called once, and the record is as it was
        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(keyLost.getBatchItemFailures()).isEmpty();
        assertThat(shipments(orderId)).extracting(Arrival::status).containsExactly(201);
        assertThat(action(actionId)).isEqualTo(done);
        assertThat(world.kit.dynamoDb.getItem(b -> b.tableName(HandlerKit.TABLES.idempotency())
                .key(Map.of(TableSchemas.PK, AttributeValue.fromS("shop:ship-4")))).item().get("result").s()).isEqualTo("applied");
    }

    @Test
    void an_action_that_cannot_be_enqueued_leaves_neither_its_key_nor_its_record() {
        // GIVEN a collected order, and the action queue is gone
        world.kit.storeOrders("shop", "S5", "O-5");
        world.kit.sqs.deleteQueue(b -> b.queueUrl(world.actionsQueue));

        // WHEN a shipment is asked for
        ApiResponse refused = world.call("POST", "/v1/actions", Map.of("Content-Type", "application/json", "Idempotency-Key", "ship-5"),
                "{\"type\":\"SHIP_ORDER\",\"market\":\"shop\",\"sellerId\":\"S5\",\"orderId\":\"O-5\",\"carrier\":\"CJ\",\"trackingNumber\":\"1\"}");

        // THEN it is 503 and the idempotency table holds nothing: neither the key nor the action's record
        assertThat(refused.status()).isEqualTo(503);
        assertThat(world.kit.dynamoDb.scan(b -> b.tableName(HandlerKit.TABLES.idempotency())).count()).isZero();
    }

    @Test
    void an_unknown_action_id_is_404_naming_the_field() {
        // WHEN an id no action has is read
        ApiResponse missing = world.call("GET", "/v1/actions/no-such-action", null);

        // THEN
        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(missing).get("field").asText()).isEqualTo("actionId");
        assertThat(json(missing).get("rule").asText()).isEqualTo("not-found");
    }
}
