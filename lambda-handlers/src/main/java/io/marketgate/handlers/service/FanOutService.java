package io.marketgate.handlers.service;

import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.RecordContext;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.ScheduleEvent;
import io.marketgate.handlers.store.OrderStore;
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
    private final OrderStore orders;
    private final Supplier<String> ids;

    public FanOutService(HandlerDependencies deps) {
        this(deps, () -> UUID.randomUUID().toString());
    }

    /** With request ids from {@code ids} (tests). */
    public FanOutService(HandlerDependencies deps, Supplier<String> ids) {
        this.deps = deps;
        this.sellers = new SellerRegistry(deps.dynamoDb(), deps.tables().sellers());
        this.requests = RequestStatusRepository.of(deps);
        this.orders = new OrderStore(deps.dynamoDb(), deps.tables().orders(), deps.clock());
        this.ids = ids;
    }

    /** The lookback of a keep-alive request: a minute of orders, enough for the one call that refreshes the connection. */
    public static final Duration KEEP_ALIVE_LOOKBACK = Duration.ofMinutes(1);
    /** The most connections one keep-alive run refreshes; the next run takes the rest. */
    public static final int KEEP_ALIVE_LIMIT = 1000;

    /**
     * Enqueues a small collection request (the last {@link #KEEP_ALIVE_LOOKBACK}, MEDIUM) for each seller of
     * {@code market} whose consent-granted connection would otherwise die unused: its refresh token ends within
     * {@link io.marketgate.market.auth.MallConnections#KEEP_ALIVE_MARGIN} (a mall nobody collected for about 13 days of
     * Cafe24's 14). The collector's first call refreshes the connection (its refresh token is due), so the refresh goes
     * through the limiter and the connection store's claim like any other. A seller the schedule collects anyway is
     * refreshed by that collection; a keep-alive request may then repeat one small call, once per refresh period. The
     * markets whose sellers connect by consent only ({@link io.marketgate.config.AdapterType#perMall()}); empty for others.
     *
     * @return the requests created
     */
    public List<String> keepAlive(String market) {
        deps.environment().market(market);
        boolean perMall = deps.environment().market(market).adapter()
                .filter(a -> a instanceof io.marketgate.config.MarketApiConfig api && api.type().perMall()).isPresent();
        if (!perMall) {
            return List.of();
        }
        String queueUrl = deps.queues().market(market).collect();
        Instant to = deps.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        List<String> expiring = deps.connections().store().expiringBefore(market,
                to.plus(io.marketgate.market.auth.MallConnections.KEEP_ALIVE_MARGIN), KEEP_ALIVE_LIMIT);
        List<String> created = new ArrayList<>();
        for (int start = 0; start < expiring.size(); start += BATCH_SIZE) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            List<CollectionMessage> batch = new ArrayList<>();
            for (int i = start; i < Math.min(expiring.size(), start + BATCH_SIZE); i++) {
                CollectionMessage m = new CollectionMessage(ids.get(), market, expiring.get(i), DataKind.ORDERS,
                        to.minus(KEEP_ALIVE_LOOKBACK), to, io.marketgate.limiter.Priority.MEDIUM);
                requests.createQueued(m);
                batch.add(m);
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(Messages.write(m)).build());
            }
            SendMessageBatchResponse response = deps.sqs().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            java.util.Set<String> failed = new java.util.HashSet<>();
            for (BatchResultErrorEntry error : response.failed()) {
                CollectionMessage m = batch.get(Integer.parseInt(error.id()) - start);
                requests.failed(m.requestId(), "not enqueued: " + error.code() + " " + error.message());
                failed.add(m.requestId());
            }
            batch.stream().map(CollectionMessage::requestId).filter(id -> !failed.contains(id)).forEach(created::add);
        }
        if (!expiring.isEmpty()) {
            log.info("keep-alive of {}: {} connections whose refresh token ends within {}; {} requests enqueued", market,
                    expiring.size(), io.marketgate.market.auth.MallConnections.KEEP_ALIVE_MARGIN, created.size());
        }
        return created;
    }

    /**
     * What a run of the tracking did.
     *
     * @param requestIds the re-collection requests created, one per tracked order
     * @param delaysSeconds each request's DelaySeconds, in the same order
     * @param gaveUp tracked orders older than the schedule's maxAge, no longer followed (marked on the order)
     * @param failedToSend requests SQS refused (recorded FAILED; the order stays tracked for the next run)
     */
    public record TrackResult(String market, List<String> requestIds, List<Integer> delaysSeconds, int gaveUp,
            List<String> failedToSend) {}

    /**
     * Runs the tracking of {@code market}'s unfinished orders: one re-collection request per tracked order (the
     * market's per-order call, {@code planGetOrder}, at the event's priority), released spread evenly over
     * {@code spreadOver}; an order tracked for longer than {@code maxAge} is given up ({@link OrderStore#giveUp}:
     * marked, counted, never silently dropped). The collector's write of a final state ends the order's tracking.
     */
    public TrackResult trackUnfinished(ScheduleEvent event) {
        if (!event.tracksUnfinished()) {
            throw new IllegalArgumentException("track: the event does not track unfinished orders");
        }
        deps.environment().market(event.market());
        String queueUrl = deps.queues().market(event.market()).collect();
        // judged by the adapter type (the scheduler builds no adapter: it holds no market key): 11st's one-order call
        // answers a line only while it is paid (ElevenStAdapter.followsOneOrder)
        if (deps.environment().market(event.market()).adapter().filter(a -> a instanceof io.marketgate.config.MarketApiConfig api
                && api.type() == io.marketgate.config.AdapterType.ELEVENST).isPresent()) {
            throw new IllegalArgumentException("track: market " + event.market() + " cannot follow an order one by one (its "
                    + "one-order call does not answer every state); collect it over a longer lookback instead");
        }
        Instant now = deps.clock().instant();
        Instant oldest = now.minus(event.maxAge());
        List<OrderStore.Tracked> due = new ArrayList<>();
        int[] gaveUp = {0};
        orders.tracked(event.market(), page -> {
            for (OrderStore.Tracked t : page) {
                if (t.trackedSince().isBefore(oldest)) {
                    orders.giveUp(t, "not final after the tracking's maxAge " + event.maxAge() + " (tracked since "
                            + t.trackedSince() + ")");
                    gaveUp[0]++;
                } else {
                    due.add(t);
                }
            }
        });
        Duration spread = event.spreadOver();
        if (spread.getSeconds() > MAX_DELAY_SECONDS) {
            log.warn("spreadOver {} is longer than SQS's maximum delay; spreading over {} s", spread, MAX_DELAY_SECONDS);
            spread = Duration.ofSeconds(MAX_DELAY_SECONDS);
        }
        int n = due.size();
        List<CollectionMessage> messages = new ArrayList<>(n);
        List<Integer> delays = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            OrderStore.Tracked t = due.get(i);
            messages.add(CollectionMessage.ofOrder(ids.get(), event.market(), t.sellerId(), t.orderId(), event.priority()));
            delays.add((int) Math.min(MAX_DELAY_SECONDS, spread.getSeconds() * i / n));
        }
        List<String> failed = send(queueUrl, messages, delays);
        log.info("tracking of {}: {} unfinished orders re-collected over {}, {} given up after {}", event.market(), n,
                spread, gaveUp[0], event.maxAge());
        return new TrackResult(event.market(), messages.stream().map(CollectionMessage::requestId).toList(), delays,
                gaveUp[0], failed);
    }

    /** Sends {@code messages} with their delays in batches of 10, each with a QUEUED record; returns the refused ones. */
    private List<String> send(String queueUrl, List<CollectionMessage> messages, List<Integer> delays) {
        List<String> failed = new ArrayList<>();
        int n = messages.size();
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
        return failed;
    }

    /**
     * Fans {@code event} out.
     *
     * @throws IllegalArgumentException before anything is written, naming the problem: an unknown market, a market
     *     without a collection queue, a kind the market does not offer ({@code MarketConfig#kindRefusal}: "kind: shop
     *     does not offer reviews (…)")
     */
    public FanOutResult fanOut(ScheduleEvent event) {
        var market = deps.environment().market(event.market());
        // checked before the queue, so that nothing is looked up or sent for a kind the market lacks
        market.kindRefusal(event.kind().configName()).ifPresent(why -> {
            throw new IllegalArgumentException("kind: " + why);
        });
        String queueUrl = deps.queues().market(event.market()).collect();
        if (event.tracksUnfinished()) {
            throw new IllegalArgumentException("track: a tracking event runs through trackUnfinished, not fanOut");
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
        List<String> failed = send(queueUrl, messages, delays);
        int batches = (n + BATCH_SIZE - 1) / BATCH_SIZE;
        log.info("fanned out {} requests of {} for [{}, {}) over {} in {} batches", n, event.market(), from, to, spread, batches);
        return new FanOutResult(event.market(), messages.stream().map(CollectionMessage::requestId).toList(), delays,
                batches, failed);
    }
}
