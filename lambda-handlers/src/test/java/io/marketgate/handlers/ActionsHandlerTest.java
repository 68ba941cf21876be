package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.store.IdempotencyStore;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.Order;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The actions handler on a FIFO queue against the simulated market. */
class ActionsHandlerTest {

    @TempDir
    static Path dir;

    private static HandlerKit kit;

    @BeforeAll
    static void start() {
        kit = HandlerKit.start(dir);
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    @AfterEach
    void clearFaults() {
        kit.sim.market("shop").faults().clear();
    }

    private ActionsHandler handler() {
        return new ActionsHandler(kit.deps().build(), HandlerKit.metrics(new RecordingMetrics()));
    }

    private static List<String> orders(String seller) {
        List<String> ids = kit.sim.market("shop").orders(seller, HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6))).stream()
                .map(Order::orderId).toList();
        assertThat(ids).hasSizeGreaterThanOrEqualTo(3);
        return ids;
    }

    private static ActionMessage ship(String key, String seller, String orderId) {
        return new ActionMessage("a-" + key, key, "shop", seller, ActionMessage.ActionType.SHIP_ORDER, orderId, "CJ", "T-" + orderId);
    }

    private static SQSEvent sendAndReceive(String queue, List<ActionMessage> messages) {
        for (ActionMessage m : messages) {
            kit.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(HandlerKit.json(m))
                    .messageGroupId(m.messageGroupId()).messageDeduplicationId(m.idempotencyKey()));
        }
        return kit.receive(queue, messages.size());
    }

    private static List<Arrival> shipments(String orderId) {
        return kit.sim.market("shop").arrivals(Endpoint.CREATE_SHIPMENT).stream().filter(a -> orderId.equals(a.orderId())).toList();
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static String idOf(SQSEvent event, String idempotencyKey) {
        return event.getRecords().stream().filter(r -> r.getBody().contains("\"" + idempotencyKey + "\"")).findFirst()
                .orElseThrow().getMessageId();
    }

    private static IdempotencyStore idempotency() {
        return new IdempotencyStore(kit.dynamoDb, HandlerKit.TABLES.idempotency(), java.time.Clock.systemUTC());
    }

    /** shop's budgets on {@code store}: what the handler's limiter draws from, for a test to pause. */
    private static PriorityLimiter shopLimiter(LimiterStore store) {
        return PriorityLimiter.builder().budgets(kit.environment.market("shop").limiterBudgets()).store(store).build();
    }

    @Test
    void a_high_action_waits_in_process_for_room_longer_than_a_collector_would_instead_of_going_back_to_the_queue() {
        // GIVEN HIGH paused on shop's budget for 3 s: longer than the collectors' in-process wait (2 s), shorter than
        // an action's (10 s)
        LimiterStore store = new InMemoryLimiterStore(Clock.systemUTC());
        shopLimiter(store).control().pause("shop/vendor", Priority.HIGH, Duration.ofSeconds(3));
        ActionsHandler handler = new ActionsHandler(kit.deps().storeForMarket(m -> store).build(),
                HandlerKit.metrics(new RecordingMetrics()));
        String orderId = orders("S30").get(0);
        SQSEvent event = sendAndReceive(kit.newFifoQueue("actions"), List.of(ship("ship-S30-1", "S30", orderId)));

        // WHEN the action is handled
        long start = System.nanoTime();
        SQSBatchResponse response = handler.handleRequest(event, null);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // THEN it waited for the pause to end and shipped, and was not handed back
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(failures(response)).isEmpty();
        assertThat(shipments(orderId)).extracting(Arrival::status).containsExactly(201);
        assertThat(idempotency().status("ship-S30-1")).hasValue("COMPLETED");
    }

    @Test
    void an_action_does_not_wait_past_the_end_of_its_invocation_and_goes_back_to_the_queue() {
        // GIVEN HIGH paused on shop's budget for 3 s and an invocation with 4 s left (3 s of which it keeps for the end)
        LimiterStore store = new InMemoryLimiterStore(Clock.systemUTC());
        shopLimiter(store).control().pause("shop/vendor", Priority.HIGH, Duration.ofSeconds(3));
        ActionsHandler handler = new ActionsHandler(kit.deps().storeForMarket(m -> store).build(),
                HandlerKit.metrics(new RecordingMetrics()));
        String orderId = orders("S31").get(0);
        SQSEvent event = sendAndReceive(kit.newFifoQueue("actions"), List.of(ship("ship-S31-1", "S31", orderId)));

        // WHEN the action is handled
        SQSBatchResponse response = handler.handleRequest(event, new RemainingTime(Duration.ofSeconds(4)));

        // THEN it is reported for redelivery (handed back) and the market was not called
        assertThat(failures(response)).containsExactly(event.getRecords().get(0).getMessageId());
        assertThat(shipments(orderId)).isEmpty();
    }

    /** Lambda's context as far as the handler reads it: the time left and the names Powertools logs. */
    private record RemainingTime(Duration left) implements Context {
        @Override public String getAwsRequestId() { return "test-request"; }
        @Override public String getLogGroupName() { return "test"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "test-actions"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:ap-northeast-2:000000000000:function:test-actions"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) left.toMillis(); }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() { return null; }
    }

    @Test
    void a_shipment_delivered_twice_reaches_the_market_once() {
        // GIVEN a ship-order message, processed once
        String queue = kit.newFifoQueue("actions");
        String orderId = orders("S20").get(0);
        SQSEvent event = sendAndReceive(queue, List.of(ship("ship-S20-1", "S20", orderId)));
        ActionsHandler handler = handler();
        assertThat(failures(handler.handleRequest(event, null))).isEmpty();

        // WHEN it is delivered again
        SQSBatchResponse again = handler.handleRequest(HandlerKit.redelivered(event, 2), null);

        // THEN it is acknowledged without calling the market a second time
        assertThat(failures(again)).isEmpty();
        assertThat(shipments(orderId)).extracting(Arrival::status).containsExactly(201);
        assertThat(idempotency().status("ship-S20-1")).hasValue("COMPLETED");
        assertThat(idempotency().result("ship-S20-1")).hasValue("applied");
    }

    @Test
    void an_action_left_in_progress_by_a_crash_is_called_again_and_the_markets_409_counts_as_done() {
        // GIVEN the order was shipped and the attempt crashed before recording COMPLETED
        String queue = kit.newFifoQueue("actions");
        String orderId = orders("S21").get(0);
        SQSEvent first = sendAndReceive(queue, List.of(ship("ship-S21-a", "S21", orderId)));
        SQSBatchResponse shipped = handler().handleRequest(first, null);
        assertThat(failures(shipped)).isEmpty();
        kit.acknowledge(queue, first, shipped);
        assertThat(idempotency().claim("ship-S21-b", "a-ship-S21-b")).isEqualTo(IdempotencyStore.Claim.NEW);

        // WHEN the message of the crashed attempt comes back
        SQSBatchResponse response = handler().handleRequest(sendAndReceive(queue, List.of(ship("ship-S21-b", "S21", orderId))), null);

        // THEN the market's "already shipped" completes it
        assertThat(failures(response)).isEmpty();
        assertThat(shipments(orderId)).extracting(Arrival::status).containsExactly(201, 409);
        assertThat(idempotency().status("ship-S21-b")).hasValue("COMPLETED");
        assertThat(idempotency().result("ship-S21-b")).hasValue("already-applied");
    }

    @Test
    void after_a_failure_the_rest_of_its_group_waits_while_other_groups_go_on() {
        // GIVEN two actions in one group (one order) and one in another group, and the market failing the first call
        String queue = kit.newFifoQueue("actions");
        List<String> ids = orders("S22");
        SQSEvent received = sendAndReceive(queue, List.of(
                ship("ship-S22-1", "S22", ids.get(0)),
                new ActionMessage("a-ship-S22-1b", "ship-S22-1b", "shop", "S22", ActionMessage.ActionType.SHIP_ORDER, ids.get(0), "CJ", "T-again"),
                ship("ship-S22-2", "S22", ids.get(1))));
        assertThat(received.getRecords()).extracting(r -> r.getAttributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID.toString()))
                .doesNotContainNull();
        // the batch as Lambda gives it: the group's messages in their order, the failing one first
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(
                received.getRecords().stream().filter(r -> r.getMessageId().equals(idOf(received, "ship-S22-1"))).findFirst().orElseThrow(),
                received.getRecords().stream().filter(r -> r.getMessageId().equals(idOf(received, "ship-S22-1b"))).findFirst().orElseThrow(),
                received.getRecords().stream().filter(r -> r.getMessageId().equals(idOf(received, "ship-S22-2"))).findFirst().orElseThrow()));
        kit.sim.market("shop").faults().failNext(1, 503);

        // WHEN
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN the failed action and the one after it in its group are redelivered; the other group's action ran
        assertThat(failures(response)).containsExactly(idOf(received, "ship-S22-1"), idOf(received, "ship-S22-1b"));
        assertThat(shipments(ids.get(0))).extracting(Arrival::status).containsExactly(503);
        assertThat(shipments(ids.get(1))).extracting(Arrival::status).containsExactly(201);
        assertThat(idempotency().status("ship-S22-1")).hasValue("IN_PROGRESS");
        assertThat(idempotency().status("ship-S22-1b")).isEmpty();
    }

    @Test
    void a_fatal_answer_is_recorded_as_completed_so_that_it_does_not_block_its_group() {
        // GIVEN a shipment of an order the market does not know (404)
        String queue = kit.newFifoQueue("actions");
        SQSEvent event = sendAndReceive(queue, List.of(ship("ship-S23-missing", "S23", "no-such-order")));

        // WHEN
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN it is acknowledged with the failure recorded
        assertThat(failures(response)).isEmpty();
        assertThat(idempotency().status("ship-S23-missing")).hasValue("COMPLETED");
        assertThat(idempotency().result("ship-S23-missing")).hasValueSatisfying(r -> assertThat(r).startsWith("failed:"));
    }

    @Test
    void a_malformed_action_is_acknowledged_without_calling_the_market() {
        // GIVEN an action without an order id
        String queue = kit.newFifoQueue("actions");
        kit.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"actionId\":\"a-x\",\"idempotencyKey\":\"k-x\",\"market\":\"shop\","
                + "\"sellerId\":\"S24\",\"type\":\"SHIP_ORDER\",\"carrier\":\"CJ\",\"trackingNumber\":\"1\"}")
                .messageGroupId("shop:S24:x").messageDeduplicationId("k-x"));
        SQSEvent event = kit.receive(queue, 1);

        // WHEN
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN
        assertThat(failures(response)).isEmpty();
        assertThat(idempotency().status("k-x")).isEmpty();
        assertThat(kit.sim.market("shop").arrivals(Endpoint.CREATE_SHIPMENT)).noneMatch(a -> "S24".equals(a.sellerId()));
    }
}
