package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.store.IdempotencyStore;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketCallListener;
import io.marketgate.marketsim.Order;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.sellers.SellerStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the collector and the actions consumer do when a market rejects a seller's credentials ({@code signed}, a key per
 * seller) or refuses our IP address ({@code walled}).
 */
class MarketRefusalsTest {

    @TempDir
    static Path dir;

    private static HandlerKit kit;
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        kit = HandlerKit.start(dir);
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    @AfterEach
    void resetHook() {
        kit.callHook.set(MarketCallListener.NONE);
    }

    /** Records the calls that reached a market (a call the limiter deferred is not one). */
    private void countCalls() {
        kit.callHook.set((call, priority, outcome, elapsed) -> {
            if (outcome instanceof CallOutcome.MarketAnswer) {
                calls.add(call.market() + " " + call.callName() + " " + outcome.kind());
            }
        });
    }

    private static void register(String seller, String vendorId, String apiKey) {
        kit.deps().build().sellerDirectory().register("signed", seller, Map.of("vendorId", vendorId, "apiKey", apiKey));
    }

    private static SellerRecord row(String market, String seller) {
        return kit.deps().build().sellers().record(market, seller).orElseThrow();
    }

    private static CollectionMessage request(String requestId, String market, String seller, Priority priority) {
        return new CollectionMessage(requestId, market, seller, DataKind.ORDERS, HandlerKit.T0,
                HandlerKit.T0.plus(Duration.ofHours(6)), priority);
    }

    private static RequestStatus status(String requestId) {
        return RequestStatusRepository.of(kit.deps().build()).find(requestId).orElseThrow();
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private SQSBatchResponse collect(CollectorHandler handler, CollectionMessage message) {
        return handler.handleRequest(kit.sendAndReceive(kit.newQueue("collect"), List.of(HandlerKit.json(message))), null);
    }

    @Test
    void rejected_credentials_mark_the_seller_and_its_next_requests_fail_at_once_until_new_ones_are_registered() {
        // GIVEN seller S1 of signed registered with a key the market does not know
        register("S1", "V0001", "sk-live-wrong-key-S1-000");
        CollectorHandler handler = new CollectorHandler(kit.deps().build(), HandlerKit.metrics(metrics));
        countCalls();

        // WHEN its collection runs
        SQSBatchResponse first = collect(handler, request("rej-1", "signed", "S1", Priority.MEDIUM));

        // THEN the request failed for good (acknowledged), the seller is credentials-rejected with the market's reason,
        // and the metric is counted
        assertThat(failures(first)).isEmpty();
        assertThat(status("rej-1").status()).isEqualTo(Status.FAILED);
        assertThat(status("rej-1").reason()).hasValueSatisfying(r -> assertThat(r).startsWith("credentials rejected: HTTP 401"));
        SellerRecord rejected = row("signed", "S1");
        assertThat(rejected.status()).isEqualTo(SellerStatus.CREDENTIALS_REJECTED);
        assertThat(rejected.statusReason()).hasValueSatisfying(r -> assertThat(r).contains("HTTP 401"));
        assertThat(rejected.statusSince()).contains(HandlerKit.NOW);
        assertThat(metrics.flushed).contains("CredentialsRejected{market=signed}=1.0");
        assertThat(calls).containsExactly("signed list-orders fatal");

        // WHEN it is asked for again
        calls.clear();
        metrics.flushed.clear();
        SQSBatchResponse second = collect(handler, request("rej-2", "signed", "S1", Priority.HIGH));

        // THEN it fails at once with the seller's reason: no market call, no budget drawn
        assertThat(failures(second)).isEmpty();
        assertThat(status("rej-2").status()).isEqualTo(Status.FAILED);
        assertThat(status("rej-2").reason()).hasValueSatisfying(r -> assertThat(r)
                .contains("the market rejected the credentials of seller S1").contains("register new credentials"));
        assertThat(calls).isEmpty();
        assertThat(metrics.flushed).noneMatch(m -> m.startsWith("LimiterGrants") || m.startsWith("MarketCalls"));

        // WHEN the right key is registered
        register("S1", "V0001", HandlerKit.SIGNED_KEYS.get("S1"));
        SQSBatchResponse third = collect(handler, request("rej-3", "signed", "S1", Priority.MEDIUM));

        // THEN the seller is active and collected again
        assertThat(failures(third)).isEmpty();
        assertThat(status("rej-3").status()).isEqualTo(Status.SUCCEEDED);
        assertThat(row("signed", "S1").status()).isEqualTo(SellerStatus.ACTIVE);
    }

    @Test
    void a_refused_ip_address_pauses_the_markets_budgets_and_hands_the_message_back_for_the_pause_without_giving_up() {
        // GIVEN a LOW request of walled at its last allowed attempt, and the market refusing our address
        CollectorHandler handler = new CollectorHandler(kit.deps().ipPause(Duration.ofMinutes(10)).build(), HandlerKit.metrics(metrics));
        countCalls();
        String queue = kit.newQueue("collect");
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("ip-1", "walled", "S7", Priority.LOW))));
        String messageId = event.getRecords().get(0).getMessageId();

        // WHEN it runs
        SQSBatchResponse response = handler.handleRequest(HandlerKit.redelivered(event, 5), null);

        // THEN it is handed back for the pause (not failed, though LOW gives up after 5 attempts otherwise)
        assertThat(failures(response)).containsExactly(messageId);
        RequestStatus ip = status("ip-1");
        assertThat(ip.status()).isEqualTo(Status.DEFERRED);
        assertThat(ip.reason()).hasValueSatisfying(r -> assertThat(r).contains("refused our IP address").contains("IP_NOT_ALLOWED"));
        assertThat(ip.retryAt()).contains(HandlerKit.NOW.plus(Duration.ofMinutes(10)));
        assertThat(metrics.flushed).contains("IpRejected{market=walled}=1.0");
        assertThat(calls).containsExactly("walled list-orders fatal");

        // WHEN another request of the market runs at any priority
        calls.clear();
        SQSBatchResponse next = collect(handler, request("ip-2", "walled", "S8", Priority.HIGH));

        // THEN the paused limiter defers it without a market call
        assertThat(failures(next)).hasSize(1);
        assertThat(status("ip-2").status()).isEqualTo(Status.DEFERRED);
        assertThat(status("ip-2").reason()).hasValueSatisfying(r -> assertThat(r).contains("limiter deferred").contains("PAUSED"));
        assertThat(calls).isEmpty();
    }

    @Test
    void an_action_of_a_seller_whose_credentials_are_rejected_is_recorded_failed_and_the_next_one_fails_without_a_call() {
        // GIVEN seller S3 of signed with a wrong key, and two shipments
        register("S3", "V0003", "sk-live-wrong-key-S3-000");
        ActionsHandler handler = new ActionsHandler(kit.deps().build(), HandlerKit.metrics(metrics));
        countCalls();
        List<String> orders = kit.sim.market("signed").orders("S3", HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6)))
                .stream().map(Order::orderId).toList();
        String queue = kit.newFifoQueue("actions");

        // WHEN the first runs
        SQSBatchResponse first = handler.handleRequest(send(queue, ship("ship-rej-1", "S3", orders.get(0))), null);

        // THEN it is completed as failed, the seller is marked and the metric counted
        assertThat(failures(first)).isEmpty();
        IdempotencyStore idempotency = new IdempotencyStore(kit.dynamoDb, HandlerKit.TABLES.idempotency(), Clock.systemUTC());
        assertThat(idempotency.result("ship-rej-1")).hasValueSatisfying(r -> assertThat(r).startsWith("failed: credentials rejected: HTTP 401"));
        assertThat(row("signed", "S3").status()).isEqualTo(SellerStatus.CREDENTIALS_REJECTED);
        assertThat(metrics.flushed).contains("CredentialsRejected{market=signed}=1.0");

        // WHEN the second runs THEN it is completed as failed without a market call
        calls.clear();
        SQSBatchResponse second = handler.handleRequest(send(queue, ship("ship-rej-2", "S3", orders.get(1))), null);
        assertThat(failures(second)).isEmpty();
        assertThat(idempotency.result("ship-rej-2")).hasValueSatisfying(r -> assertThat(r)
                .startsWith("failed: the market rejected the credentials of seller S3"));
        assertThat(calls).isEmpty();
    }

    @Test
    void an_action_refused_for_our_ip_address_is_handed_back_and_the_market_paused() {
        ActionsHandler handler = new ActionsHandler(kit.deps().build(), HandlerKit.metrics(metrics));
        String orderId = kit.sim.market("walled").orders("S9", HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6))).get(0).orderId();
        ActionMessage ship = new ActionMessage("a-ship-ip-1", "ship-ip-1", "walled", "S9", ActionMessage.ActionType.SHIP_ORDER,
                orderId, "CJ", "T-1");
        SQSEvent event = send(kit.newFifoQueue("actions"), ship);

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(failures(response)).containsExactly(event.getRecords().get(0).getMessageId());
        assertThat(metrics.flushed).contains("IpRejected{market=walled}=1.0");
        IdempotencyStore idempotency = new IdempotencyStore(kit.dynamoDb, HandlerKit.TABLES.idempotency(), Clock.systemUTC());
        assertThat(idempotency.status("ship-ip-1")).hasValue("IN_PROGRESS");
    }

    private static ActionMessage ship(String key, String seller, String orderId) {
        return new ActionMessage("a-" + key, key, "signed", seller, ActionMessage.ActionType.SHIP_ORDER, orderId, "CJ", "T-" + orderId);
    }

    private static SQSEvent send(String queue, ActionMessage m) {
        kit.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(HandlerKit.json(m))
                .messageGroupId(m.messageGroupId()).messageDeduplicationId(m.idempotencyKey()));
        return kit.receive(queue, 1);
    }
}
