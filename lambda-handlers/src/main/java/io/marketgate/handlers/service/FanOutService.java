package io.marketgate.handlers.service;

import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.RecordContext;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.ScheduleEvent;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.market.DataKind;
import io.marketgate.market.Seller;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The scheduler's fan-out: one collection request per active seller of a market for {@code [now − lookback, now)},
 * each with a QUEUED status record, sent to the market's collection queue in batches of 10 with delays spread evenly
 * over {@code spreadOver}, so that a schedule does not release every request at one instant.
 *
 * <p>SQS delays a message by at most {@value #MAX_DELAY_SECONDS} s (15 minutes), so a longer {@code spreadOver} is
 * capped at 15 minutes (logged); the spread stays even within it.
 */
public final class FanOutService {

    private static final Logger log = LoggerFactory.getLogger(FanOutService.class);

    /** SQS's maximum DelaySeconds. */
    public static final int MAX_DELAY_SECONDS = 900;
    /** SQS's maximum entries per SendMessageBatch. */
    public static final int BATCH_SIZE = 10;

    /**
     * What a fan-out did.
     *
     * @param requestIds the requests created, in seller order
     * @param delaysSeconds each request's DelaySeconds, in the same order
     * @param batches SendMessageBatch calls made
     * @param failedToSend requests SQS refused (recorded FAILED)
     */
    public record FanOutResult(String market, List<String> requestIds, List<Integer> delaysSeconds, int batches,
            List<String> failedToSend) {}

    private final HandlerDependencies deps;
    private final SellerRegistry sellers;
    private final RequestStatusRepository requests;
    private final Supplier<String> ids;

    public FanOutService(HandlerDependencies deps) {
        this(deps, () -> UUID.randomUUID().toString());
    }

    /** With request ids from {@code ids} (tests). */
    public FanOutService(HandlerDependencies deps, Supplier<String> ids) {
        this.deps = deps;
        this.sellers = new SellerRegistry(deps.dynamoDb(), deps.tables().sellers());
        this.requests = RequestStatusRepository.of(deps);
        this.ids = ids;
    }

    /**
     * Fans {@code event} out.
     *
     * @throws IllegalArgumentException before anything is written, naming the problem: an unknown market, a market
     *     without a collection queue, a kind other than ORDERS
     */
    public FanOutResult fanOut(ScheduleEvent event) {
        deps.environment().market(event.market());
        String queueUrl = deps.queues().market(event.market()).collect();
        if (event.kind() != DataKind.ORDERS) {
            throw new IllegalArgumentException("kind " + event.kind() + " is not collected yet; only ORDERS");
        }
        Instant to = deps.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(event.lookback());
        Duration spread = event.spreadOver();
        if (spread.getSeconds() > MAX_DELAY_SECONDS) {
            log.warn("spreadOver {} is longer than SQS's maximum delay; spreading over {} s", spread, MAX_DELAY_SECONDS);
            spread = Duration.ofSeconds(MAX_DELAY_SECONDS);
        }
        List<Seller> active = sellers.activeSellers(event.market());
        int n = active.size();
        List<CollectionMessage> messages = new ArrayList<>(n);
        List<Integer> delays = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            messages.add(new CollectionMessage(ids.get(), event.market(), active.get(i).id(), event.kind(), from, to,
                    event.priority()));
            // seller i of n starts i/n of the way through the spread
            delays.add((int) Math.min(MAX_DELAY_SECONDS, spread.getSeconds() * i / n));
        }
        List<String> failed = new ArrayList<>();
        int batches = 0;
        for (int start = 0; start < n; start += BATCH_SIZE) {
            int end = Math.min(n, start + BATCH_SIZE);
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = start; i < end; i++) {
                CollectionMessage m = messages.get(i);
                requests.createQueued(m);
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(Messages.write(m)).delaySeconds(delays.get(i)).build());
            }
            SendMessageBatchResponse response;
            try {
                response = deps.sqs().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (SdkException e) {
                // no QUEUED record is left behind for a message that was never sent
                for (int i = start; i < end; i++) {
                    requests.failed(messages.get(i).requestId(), "not enqueued: " + e.getMessage());
                }
                throw e;
            }
            batches++;
            for (BatchResultErrorEntry error : response.failed()) {
                CollectionMessage m = messages.get(Integer.parseInt(error.id()));
                String reason = "not enqueued: " + error.code() + " " + error.message();
                requests.failed(m.requestId(), reason);
                failed.add(m.requestId());
                RecordContext.forMessage(null).put("market", m.market()).put("sellerId", m.sellerId())
                        .put("priority", m.priority()).put("requestId", m.requestId())
                        .run(() -> log.error("collection request {}", reason));
            }
        }
        log.info("fanned out {} requests of {} for [{}, {}) over {} in {} batches", n, event.market(), from, to, spread, batches);
        return new FanOutResult(event.market(), messages.stream().map(CollectionMessage::requestId).toList(), delays,
                batches, failed);
    }
}
