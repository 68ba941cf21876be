package io.marketgate.handlers.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.RecordContext;
import io.marketgate.handlers.sqs.BatchResult;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.HandBack;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.QueuedMessage;
import io.marketgate.handlers.store.OrderStore;
import io.marketgate.handlers.store.RecordStore;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Checkpoint;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.limiter.BudgetName;
import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.MarketData.RecordPage;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Collects the requests of a batch of collection-queue messages, one at a time or, when the market's collector has an
 * {@code inFlight} above 1 ({@link #inFlight(String)}), that many at once on virtual threads: marks the request
 * RUNNING, resumes from its checkpoint if it has one, collects through the market client (every call through the
 * limiter at the request's priority), writes each page idempotently, {@value #PAGE_WRITES_IN_FLIGHT} records at once
 * and while the next page is asked for, and checkpoints after it once all its writes succeeded ({@link PageWriter};
 * orders to the {@link OrderStore},
 * every other kind the market offers to the {@link RecordStore}; a kind it does not offer fails at once, without a
 * call), and decides what becomes of
 * the message:
 * <ul>
 *   <li>completed: SUCCEEDED, acknowledged;</li>
 *   <li>deferred by the limiter or throttled by the market: handed back for the retry-after (DEFERRED);</li>
 *   <li>a retryable failure: handed back for a backoff (stays RUNNING, with the reason);</li>
 *   <li>a fatal failure or a malformed message: FAILED with the reason, acknowledged;</li>
 *   <li>the market rejected the seller's credentials: the seller is marked {@code credentials-rejected} and the request
 *       FAILED; a request of a seller marked so FAILS at once, without a market call (see {@link MarketRefusals});</li>
 *   <li>the market refused our IP address: its budgets pause and the message is handed back for the pause (DEFERRED),
 *       never given up on;</li>
 *   <li>LOW requests give up after {@link HandlerDependencies#lowMaxAttempts()} deliveries (FAILED, "gave up after N
 *       attempts: …"); HIGH and MEDIUM are always handed back.</li>
 * </ul>
 * A failure of one message (an exception) does not touch the others: it is reported as a batch item failure.
 */
public final class CollectorService {

    private static final Logger log = LoggerFactory.getLogger(CollectorService.class);

    /** How a message ended. */
    public enum Disposition {
        /** Done with: delete it (completed, failed for good, or malformed). */
        ACK,
        /** Redeliver it (handed back with a visibility timeout, or crashed). */
        RETRY
    }

    /**
     * The writes of one page in flight at once (a page of Coupang's 50 orders in 7 rounds instead of 50): each an
     * UpdateItem on a partition of one seller, far below DynamoDB's 1,000 writes/s per partition.
     */
    public static final int PAGE_WRITES_IN_FLIGHT = 8;

    private final HandlerDependencies deps;
    private final MarketClients clients;
    /** Per market: the messages this instance may collect at once ({@code infrastructure.markets.<m>.collector.inFlight}). */
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
    private final RequestStatusRepository requests;
    private final OrderStore orders;
    private final RecordStore records;
    private final MarketRefusals refusals;
    private final HandBack handBack;

    public CollectorService(HandlerDependencies deps, MarketClients clients) {
        this.deps = deps;
        this.clients = clients;
        this.requests = RequestStatusRepository.of(deps);
        this.orders = new OrderStore(deps.dynamoDb(), deps.tables().orders(), deps.clock(), PAGE_WRITES_IN_FLIGHT);
        this.records = new RecordStore(deps.dynamoDb(), deps.tables().orders(), deps.clock(), PAGE_WRITES_IN_FLIGHT);
        this.refusals = new MarketRefusals(deps, clients);
        this.handBack = new HandBack(deps.sqs());
    }

    /**
     * Processes every message; the result lists those to be redelivered. When a market of the environment lets an
     * instance collect more than one message at once ({@link #inFlight(String)}), each message runs on a virtual
     * thread of its own (with the invocation's log context), at most that many of a market at once, in batch order;
     * otherwise one after another on the caller's thread.
     */
    public BatchResult process(List<QueuedMessage> messages) {
        List<Disposition> dispositions = messages.size() > 1 && anyMarketInFlight()
                ? processConcurrently(messages)
                : messages.stream().map(this::processOne).toList();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (dispositions.get(i) == Disposition.RETRY) {
                failed.add(messages.get(i).messageId());
            }
        }
        return new BatchResult(failed);
    }

    /**
     * How many messages of {@code market} one instance collects at once: {@code infrastructure.markets.<m>.collector
     * .inFlight} of the environment, 1 without an infrastructure section or a market's entry.
     */
    public int inFlight(String market) {
        return deps.environment().infrastructure()
                .filter(i -> i.markets().containsKey(market))
                .map(i -> i.market(market).collector().inFlight())
                .orElse(1);
    }

    private boolean anyMarketInFlight() {
        return deps.environment().infrastructure()
                .map(i -> i.markets().values().stream().anyMatch(m -> m.collector().inFlight() > 1))
                .orElse(false);
    }

    private List<Disposition> processConcurrently(List<QueuedMessage> messages) {
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        List<Future<Disposition>> futures = new ArrayList<>();
        try (ExecutorService collectors = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("collect-", 0).factory())) {
            for (QueuedMessage message : messages) {
                futures.add(collectors.submit(() -> {
                    if (logContext != null) {
                        MDC.setContextMap(logContext);
                    }
                    try {
                        return processOne(message);
                    } finally {
                        MDC.clear();
                    }
                }));
            }
        }
        // close() waited for every message: each future is done; processOne never throws
        return futures.stream().map(f -> f.isCancelled() ? Disposition.RETRY : f.resultNow()).toList();
    }

    /** Processes one message; never throws (an exception makes it {@link Disposition#RETRY}). */
    public Disposition processOne(QueuedMessage message) {
        try (RecordContext ctx = RecordContext.forMessage(message.messageId())) {
            CollectionMessage request;
            try {
                request = Messages.read(message.body(), CollectionMessage.class);
            } catch (Messages.BadMessageException e) {
                return rejectMalformed(message, e.getMessage());
            }
            ctx.put("market", request.market()).put("kind", request.kind().configName()).put("sellerId", request.sellerId())
                    .put("priority", request.priority()).put("requestId", request.requestId())
                    .put("attempt", message.receiveCount());
            Semaphore bound = inFlight.computeIfAbsent(request.market(), market -> new Semaphore(inFlight(market), true));
            try {
                bound.acquire();
                try {
                    return collect(message, request);
                } finally {
                    bound.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted; the message will be redelivered");
                return Disposition.RETRY;
            } catch (RuntimeException e) {
                log.error("collecting failed unexpectedly; the message will be redelivered", e);
                return Disposition.RETRY;
            }
        } catch (RuntimeException e) {
            log.error("message {} could not be processed; it will be redelivered", message.messageId(), e);
            return Disposition.RETRY;
        }
    }

    private Disposition rejectMalformed(QueuedMessage message, String reason) {
        Optional<String> requestId = requestIdOf(message.body());
        RecordContext.forMessage(message.messageId()).put("requestId", requestId.orElse(null)).run(() -> {
            log.error("malformed collection message, dropped: {}", reason);
            requestId.ifPresent(id -> requests.failed(id, "malformed message: " + reason));
        });
        return Disposition.ACK;
    }

    private Disposition collect(QueuedMessage message, CollectionMessage m) throws InterruptedException {
        if (m.orderId() != null) {
            return recollect(message, m);
        }
        // bad input is refused before anything is recorded as running or any budget is drawn
        MarketClient client;
        CollectionRequest request;
        try {
            client = clients.client(m.market());
            Optional<SellerRecord> row = refusals.row(m.market(), m.sellerId());
            if (row.isPresent() && MarketRefusals.failsAtOnce(row.get())) {
                return failAtOnce(m, row.get());
            }
            Seller seller = row.map(SellerRecord::seller).orElseGet(() -> Seller.of(m.sellerId()));
            // a message queued before the market stopped offering the kind (its environment changed) fails at once
            deps.environment().market(m.market()).kindRefusal(m.kind().configName()).ifPresent(why -> {
                throw new IllegalArgumentException("kind: " + why);
            });
            request = new CollectionRequest(m.market(), seller, m.kind(), m.from(), m.to());
            client.adapter().windows(request);
        } catch (IllegalArgumentException e) {
            log.error("collection request refused: {}", e.getMessage());
            requests.failed(m.requestId(), "bad request: " + e.getMessage());
            return Disposition.ACK;
        }
        // SQS delivers a message again now and then, and a batch whose instance died comes back whole: a request that
        // has succeeded already is not collected again (its orders would be written a second time)
        if (requests.find(m.requestId()).map(r -> r.status() == Status.SUCCEEDED).orElse(false)) {
            log.info("request already succeeded; this delivery is a repeat and is acknowledged without a call");
            return Disposition.ACK;
        }
        RequestStatus status = requests.startAttempt(m);
        MarketAdapter adapter = client.adapter();
        Optional<PlannedCall> resumeAt = status.checkpoint()
                .map(c -> adapter.planPage(request, new TimeWindow(c.from(), c.to()), c.cursor()));
        log.info("collecting {} of [{}, {}), attempt {}{}", m.kind(), m.from(), m.to(), status.attempts(),
                resumeAt.map(c -> ", resuming at " + status.checkpoint().orElseThrow()).orElse(""));
        Duration maxWait = deps.maxLimiterWait();
        CollectionResult result;
        int stale;
        // each page's writes overlap the next page's call; the checkpoint moves past a page once all of them succeeded
        try (PageWriter writer = new PageWriter(requests, m.requestId(), page -> switch (page) {
            case OrderPage o -> orders.write(m.market(), m.sellerId(), m.requestId(), o.orders(), false,
                    adapter.followsOneOrder()).stale();
            case RecordPage r -> records.write(m.market(), m.sellerId(), m.requestId(), m.kind(), r.records()).stale();
        })) {
            BiConsumer<PlannedCall, MarketData.Page> sink =
                    (call, page) -> writer.accept(page, adapter.next(call, page).map(CollectorService::checkpointOf));
            result = resumeAt.isPresent()
                    ? client.collectPagesFrom(resumeAt.get(), m.priority(), maxWait, sink)
                    : client.collectPages(request, m.priority(), maxWait, sink);
            writer.finish();
            stale = writer.stale();
        }
        return switch (result) {
            case CollectionResult.Completed done -> {
                requests.succeeded(m.requestId());
                log.info("collected: {} pages, {} {} in this attempt ({} older than the stored state, not written)",
                        done.pages(), done.orders(), m.kind().configName(), stale);
                clients.metrics().countCollected(m.market(), m.kind().configName(), done.orders(), stale);
                yield Disposition.ACK;
            }
            case CollectionResult.Stopped stopped -> {
                clients.metrics().countCollected(m.market(), m.kind().configName(), stopped.orders(), stale);
                yield stopped(message, m, stopped);
            }
        };
    }

    /** Reads one order again and writes it; the outcomes other than Ok are those of a stopped collection. */
    private Disposition recollect(QueuedMessage message, CollectionMessage m) throws InterruptedException {
        MarketClient client;
        PlannedCall call;
        try {
            client = clients.client(m.market());
            Optional<SellerRecord> row = refusals.row(m.market(), m.sellerId());
            if (row.isPresent() && MarketRefusals.failsAtOnce(row.get())) {
                return failAtOnce(m, row.get());
            }
            Seller seller = row.map(SellerRecord::seller).orElseGet(() -> Seller.of(m.sellerId()));
            call = client.adapter().planGetOrder(seller, m.orderId());
        } catch (IllegalArgumentException e) {
            log.error("re-collection refused: {}", e.getMessage());
            requests.failed(m.requestId(), "bad request: " + e.getMessage());
            return Disposition.ACK;
        }
        RequestStatus status = requests.startAttempt(m);
        log.info("re-collecting order {}, attempt {}", m.orderId(), status.attempts());
        CallOutcome outcome = client.execute(call, m.priority(), deps.maxLimiterWait());
        if (outcome instanceof CallOutcome.Ok(OrderPage page)) {
            orders.write(m.market(), m.sellerId(), m.requestId(), page.orders(), true, client.adapter().followsOneOrder());
            requests.checkpoint(m.requestId(), Optional.empty(), page.orders().size());
            requests.succeeded(m.requestId());
            log.info("re-collected order {}", m.orderId());
            return Disposition.ACK;
        }
        return stopped(message, m, new CollectionResult.Stopped(outcome, call, 0, 0));
    }

    /** A request of a seller whose credentials or connection the market refused: FAILED without a market call. */
    private Disposition failAtOnce(CollectionMessage m, SellerRecord seller) {
        String reason = MarketRefusals.rejectedReason(seller);
        log.error("collection failed at once: {}", reason);
        requests.failed(m.requestId(), reason);
        return Disposition.ACK;
    }

    private Disposition stopped(QueuedMessage message, CollectionMessage m, CollectionResult.Stopped stopped) {
        CallOutcome outcome = stopped.outcome();
        if (outcome instanceof CallOutcome.Fatal fatal) {
            String reason = refusals.mask(m.market(), m.sellerId(), fatal.reason());
            switch (fatal.cause()) {
                case CREDENTIALS_REJECTED -> reason = refusals.credentialsRejected(m.market(), m.sellerId(), reason);
                case RECONNECT_REQUIRED -> reason = refusals.reconnectRequired(m.market(), m.sellerId(), reason);
                case IP_NOT_ALLOWED -> {
                    // not the request's fault, and not fixed by retrying soon: hand it back for the pause, never give up
                    Duration pause = refusals.ipRejected(m.market(), reason);
                    int seconds = handBack.handBack(message, pause);
                    requests.handedBack(m.requestId(), Status.DEFERRED, "the market refused our IP address: " + reason
                            + "; its budgets are paused", deps.clock().instant().plusSeconds(seconds));
                    log.info("handed back for {} s after the IP refusal", seconds);
                    return Disposition.RETRY;
                }
                default -> { }
            }
            log.error("collection failed: {}", reason);
            requests.failed(m.requestId(), reason);
            return Disposition.ACK;
        }
        Duration wait;
        Status status;
        String reason;
        switch (outcome) {
            case CallOutcome.Deferred d -> {
                wait = d.retryAfter();
                status = Status.DEFERRED;
                reason = "limiter deferred (" + d.reason() + " on " + d.blockingBudget() + ") for " + d.retryAfter();
            }
            case CallOutcome.Throttled t -> {
                wait = t.retryAfter().orElseGet(() -> defaultCooldown(t.budgets()));
                status = Status.DEFERRED;
                reason = "market throttled: " + refusals.mask(m.market(), m.sellerId(), t.reason());
            }
            case CallOutcome.Retryable r -> {
                wait = HandBack.backoff(message.receiveCount());
                status = Status.RUNNING;
                reason = "retryable failure: " + refusals.mask(m.market(), m.sellerId(), r.reason());
            }
            default -> throw new IllegalStateException("unexpected outcome " + outcome);
        }
        if (m.priority() == Priority.LOW && message.receiveCount() >= deps.lowMaxAttempts()) {
            String gaveUp = "gave up after " + message.receiveCount() + " attempts: " + reason;
            log.warn("LOW request {}", gaveUp);
            requests.failed(m.requestId(), gaveUp);
            return Disposition.ACK;
        }
        int seconds = handBack.handBack(message, wait);
        requests.handedBack(m.requestId(), status, reason, deps.clock().instant().plusSeconds(seconds));
        log.info("handed back for {} s after {} pages: {}", seconds, stopped.pages(), reason);
        return Disposition.RETRY;
    }

    private Duration defaultCooldown(List<String> budgets) {
        Duration longest = Duration.ofSeconds(1);
        for (String budget : budgets) {
            String qualified;
            try {
                qualified = BudgetName.parse(budget).configured().toString();
            } catch (IllegalArgumentException e) {
                log.warn("budget {} is not a budget name: {}", budget, e.getMessage());
                continue;
            }
            try {
                Duration d = deps.environment().budget(qualified).recovery().defaultCooldown();
                longest = d.compareTo(longest) > 0 ? d : longest;
            } catch (IllegalArgumentException e) {
                log.warn("budget {} not in the environment: {}", qualified, e.getMessage());
            }
        }
        return longest;
    }

    private static Checkpoint checkpointOf(PlannedCall call) {
        if (!(call.purpose() instanceof PlannedCall.Collect collect)) {
            throw new IllegalStateException("call " + call + " is not a page of a collection");
        }
        return new Checkpoint(collect.window().from(), collect.window().to(), collect.cursor());
    }

    private static Optional<String> requestIdOf(String body) {
        try {
            JsonNode node = Messages.json().readTree(body);
            JsonNode id = node == null ? null : node.get("requestId");
            return id != null && id.isTextual() && !id.textValue().isBlank() ? Optional.of(id.textValue()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
