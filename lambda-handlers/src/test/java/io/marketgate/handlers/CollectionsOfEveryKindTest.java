package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketCallListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections of the kinds beside orders (claims, inquiries, reviews, products, settlements) through the collector,
 * against dynalite and the simulated markets: market {@code shop} offers every kind but settlements.
 */
class CollectionsOfEveryKindTest {

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
    void resetHook() {
        kit.callHook.set(MarketCallListener.NONE);
    }

    private CollectorHandler handler() {
        return new CollectorHandler(kit.deps().build(), HandlerKit.metrics(metrics));
    }

    private static CollectionMessage request(String requestId, String seller, DataKind kind) {
        return new CollectionMessage(requestId, "shop", seller, kind, HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6)),
                Priority.MEDIUM);
    }

    private static RequestStatus status(String requestId) {
        return RequestStatusRepository.of(kit.deps().build()).find(requestId).orElseThrow();
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void a_queued_message_of_a_kind_the_market_no_longer_offers_fails_at_once_without_a_market_call() {
        // GIVEN a message of settlements on shop (queued before its environment stopped offering them)
        String queue = kit.newQueue("collect");
        AtomicInteger calls = new AtomicInteger();
        kit.callHook.set((call, priority, outcome, elapsed) -> calls.incrementAndGet());
        SQSEvent event = kit.sendAndReceive(queue, List.of(HandlerKit.json(request("r-settlements", "S1", DataKind.SETTLEMENTS))));

        // WHEN the collector takes it
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN it is acknowledged and FAILED naming the market and the kind, and the market was never called
        assertThat(failures(response)).isEmpty();
        RequestStatus status = status("r-settlements");
        assertThat(status.status()).isEqualTo(Status.FAILED);
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("bad request: kind: shop does not offer settlements (its adapter.calls does not map listSettlements"));
        assertThat(calls).hasValue(0);
    }
}
