package io.marketgate.handlers.service;

import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.events.ActionEvents;
import io.marketgate.handlers.observability.RecordContext;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.BatchResult;
import io.marketgate.handlers.sqs.HandBack;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.QueuedMessage;
import io.marketgate.handlers.store.ActionRecords;
import io.marketgate.handlers.store.IdempotencyStore;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketData;
import io.marketgate.market.Seller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the actions (any {@link ActionMessage.ActionType}, through {@link MarketClient#execute(MarketAction, Duration)})
 * of a batch of FIFO action-queue messages, in order, each exactly once as far as the market can tell:
 * <ol>
 *   <li>the idempotency key is claimed (IN_PROGRESS, a conditional put) before the market is called; a key already
 *       COMPLETED is skipped; one left IN_PROGRESS by a crashed attempt is called again (the reference protocol
 *       answers a repeated shipment 409, which counts as done);</li>
 *   <li>the action runs at HIGH priority, waiting in-process for the limiter up to
 *       {@link HandlerDependencies#maxActionWait} (never past the invocation's end); done (or already applied) →
 *       COMPLETED; deferred, throttled or retryable → handed back (HIGH is never dropped); fatal (the market's final
 *       refusal, {@code ACTION_REFUSED}, with its reason, or another fatal cause) → FAILED with the cause and reason,
 *       and COMPLETED, so that it does not block its group forever; the market refused our IP address →
 *       the market's budgets pause and the action is handed back for the pause; the market rejected the seller's
 *       credentials → the seller is marked {@code credentials-rejected} (see {@link MarketRefusals}), and its later
 *       actions are COMPLETED as failed at once, without a market call;</li>
 *   <li>the action's record ({@link ActionRecords}, read by {@code GET /v1/actions/{actionId}}) follows: IN_PROGRESS
 *       before the market is called, RETRYING when handed back, DONE or FAILED with the outcome (written before the
 *       key is completed); a final record is never moved back, and a message whose record is final is not performed
 *       again;</li>
 *   <li>a final action's event ({@link ActionEvents}: {@code Action Done} or {@code Action Failed}) is published after
 *       its record is final and before its key is completed and its message let go: when publishing fails the message
 *       is handed back, and its redelivery publishes the event without calling the market again, so a final outcome
 *       (a failure above all) is never dropped silently; the record keeps {@code eventPublishedAt};</li>
 *   <li>after a message is handed back or fails, the later messages of the same group in the batch are not processed
 *       and reported as failures too, so the group keeps its order.</li>
 * </ol>
 */
public final class ActionService {

    private static final Logger log = LoggerFactory.getLogger(ActionService.class);
    /** The cause recorded for an action the market's adapter refused before any call (bad input). */
    static final String INVALID = "INVALID";

    private final HandlerDependencies deps;
    private final MarketClients clients;
    private final IdempotencyStore idempotency;
    private final ActionRecords records;
    private final MarketRefusals refusals;
    private final HandBack handBack;
    private final ActionEvents events;

    public ActionService(HandlerDependencies deps, MarketClients clients) {
        this.deps = deps;
        this.clients = clients;
        this.idempotency = new IdempotencyStore(deps.dynamoDb(), deps.tables().idempotency(), deps.clock());
        this.records = new ActionRecords(deps.dynamoDb(), deps.tables().idempotency(), deps.clock());
        this.refusals = new MarketRefusals(deps, clients);
        this.handBack = new HandBack(deps.sqs());
        this.events = deps.actionEvents().orElseThrow(() -> new IllegalStateException("no event bus for the actions' events: "
                + "set " + HandlerDependencies.EVENT_BUS_VARIABLE + " (the CDK app does), or give the dependencies actionEvents"));
    }

    /** Processes the messages in order, without a deadline of its own; the result lists those to be redelivered. */
    public BatchResult process(List<QueuedMessage> messages) {
        return process(messages, Optional.empty());
    }

    /**
     * Processes the messages in order; an action waits for the limiter at most {@link HandlerDependencies#maxActionWait}
     * and never past {@code deadline} (the invocation's end less a margin). The result lists those to be redelivered.
     */
    public BatchResult process(List<QueuedMessage> messages, Optional<Instant> deadline) {
        List<String> failed = new ArrayList<>();
        Set<String> blockedGroups = new HashSet<>();
        for (QueuedMessage message : messages) {
            String group = message.messageGroupId().orElse("");
            if (blockedGroups.contains(group)) {
                RecordContext.forMessage(message.messageId()).put("messageGroupId", group)
                        .run(() -> log.info("not processed: an earlier message of its group failed in this batch"));
                failed.add(message.messageId());
                continue;
            }
            if (!processOne(message, deadline)) {
                failed.add(message.messageId());
                blockedGroups.add(group);
            }
        }
        return new BatchResult(failed);
    }

    /** Processes one message; true when it is done with (acknowledge), false to redeliver it. Never throws. */
    public boolean processOne(QueuedMessage message) {
        return processOne(message, Optional.empty());
    }

    private boolean processOne(QueuedMessage message, Optional<Instant> deadline) {
        try (RecordContext ctx = RecordContext.forMessage(message.messageId())) {
            ActionMessage action;
            try {
                action = Messages.read(message.body(), ActionMessage.class);
            } catch (Messages.BadMessageException e) {
                log.error("malformed action message, dropped: {}", e.getMessage());
                return true;
            }
            ctx.put("market", action.market()).put("sellerId", action.sellerId()).put("priority", Priority.HIGH)
                    .put("actionId", action.actionId()).put("idempotencyKey", action.idempotencyKey())
                    .put("type", action.type().name()).put(action.type().idField(), action.targetId())
                    .put("attempt", message.receiveCount());
            try {
                return perform(message, action, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted; the action will be redelivered");
                return false;
            } catch (RuntimeException e) {
                log.error("action failed unexpectedly; it will be redelivered", e);
                return false;
            }
        }
    }

    private boolean perform(QueuedMessage message, ActionMessage m, Optional<Instant> deadline) throws InterruptedException {
        ActionRecords.Details details = new ActionRecords.Details(m.actionId(), m.market(), m.sellerId(), m.type().name(),
                m.type().idField(), m.targetId());
        MarketClient client;
        MarketAction action;
        Optional<SellerRecord> row;
        try {
            client = clients.client(m.market());
            row = refusals.row(m.market(), m.sellerId());
            Seller seller = row.map(SellerRecord::seller).orElseGet(() -> Seller.of(m.sellerId()));
            action = m.action(seller);
            client.adapter().validate(action);
            if (client.adapter().planLookup(action).isEmpty()) {
                client.adapter().plan(action);
            }
        } catch (IllegalArgumentException e) {
            // bad input: nothing was claimed or sent; retrying the same message would not help
            log.error("action refused: {}", e.getMessage());
            return finish(message, m, details, ActionRecords.Outcome.refused(INVALID, e.getMessage()), false);
        }
        IdempotencyStore.Claim claim = idempotency.claim(m.idempotencyKey(), m.actionId());
        if (claim == IdempotencyStore.Claim.COMPLETED) {
            log.info("already completed; skipped");
            return true;
        }
        if (row.isPresent() && MarketRefusals.failsAtOnce(row.get())) {
            String reason = MarketRefusals.rejectedReason(row.get());
            log.error("{} failed at once, recorded and dropped: {}", action.name(), reason);
            return finish(message, m, details, ActionRecords.Outcome.refused(row.get().reconnectRequired()
                    ? CallOutcome.Cause.RECONNECT_REQUIRED.name() : CallOutcome.Cause.CREDENTIALS_REJECTED.name(), reason), true);
        }
        if (!records.start(details)) {
            // the record is final, but the key was not completed (an attempt ended between the two writes, or the
            // event was not published): the market is not called again; the event is published if it was not
            log.info("already final; not performed again");
            return publishAndComplete(message, m, true);
        }
        if (claim == IdempotencyStore.Claim.IN_PROGRESS) {
            log.info("an earlier attempt did not complete; calling the market again");
        }
        CallOutcome outcome = client.execute(action, maxWait(deadline));
        Duration wait;
        switch (outcome) {
            case CallOutcome.Ok ok -> {
                boolean already = ok.data() instanceof MarketData.ActionDone done && done.alreadyApplied();
                log.info("{} {}", action.name(), already ? "was already applied" : "applied");
                return finish(message, m, details, ActionRecords.Outcome.applied(already), true);
            }
            case CallOutcome.Fatal fatal -> {
                String reason = refusals.mask(m.market(), m.sellerId(), fatal.reason());
                if (fatal.cause() == CallOutcome.Cause.IP_NOT_ALLOWED) {
                    wait = refusals.ipRejected(m.market(), reason);
                    break;
                }
                if (fatal.cause() == CallOutcome.Cause.CREDENTIALS_REJECTED) {
                    reason = refusals.credentialsRejected(m.market(), m.sellerId(), reason);
                }
                if (fatal.cause() == CallOutcome.Cause.RECONNECT_REQUIRED) {
                    reason = refusals.reconnectRequired(m.market(), m.sellerId(), reason);
                }
                // ACTION_REFUSED is the market's final answer for the record's sake (already answered, review
                // deleted, claim withdrawn): a final outcome with the market's reason, like every other fatal cause
                log.error("{} failed for good ({}), recorded and dropped: {}", action.name(), fatal.cause(), reason);
                return finish(message, m, details, ActionRecords.Outcome.refused(fatal.cause().name(), reason), true);
            }
            case CallOutcome.Deferred d -> wait = d.retryAfter();
            case CallOutcome.Throttled t -> wait = t.retryAfter().orElse(Duration.ofSeconds(60));
            case CallOutcome.Retryable r -> wait = HandBack.backoff(message.receiveCount());
        }
        int seconds = handBack.handBack(message, wait);
        String why = refusals.mask(m.market(), m.sellerId(), String.valueOf(outcome));
        records.retrying(details, why, Duration.ofSeconds(seconds));
        log.info("{} handed back for {} s: {}", action.name(), seconds, why);
        return false;
    }

    /**
     * The action's record final first, then its event published, then its key completed: an attempt that ends between
     * two of these leaves a key that the redelivery completes from the record, publishing the event if it was not,
     * without calling the market again. False (the message handed back for a redelivery) when the event was not
     * published.
     *
     * @param claimed whether the message's idempotency key was claimed (it is not for an action refused before that)
     */
    private boolean finish(QueuedMessage message, ActionMessage m, ActionRecords.Details details, ActionRecords.Outcome outcome,
            boolean claimed) {
        if (!records.finish(details, outcome)) {
            log.warn("the action's record was final already; its first outcome is kept");
        }
        return publishAndComplete(message, m, claimed);
    }

    /** Publishes the final record's event unless it was, then completes the key; false when publishing failed. */
    private boolean publishAndComplete(QueuedMessage message, ActionMessage m, boolean claimed) {
        ActionRecords.ActionRecord record = records.find(m.actionId())
                .orElseThrow(() -> new IllegalStateException("action " + m.actionId() + " has no record after its final write"));
        ActionRecords.Outcome outcome = record.outcome()
                .orElseThrow(() -> new IllegalStateException("a final action record without an outcome"));
        if (record.eventPublishedAt().isEmpty()) {
            try {
                String eventId = events.publish(record);
                records.published(m.actionId(), eventId);
                log.info("event {} published: {}", eventId, ActionEvents.detailType(record));
            } catch (ActionEvents.NotPublishedException e) {
                int seconds = handBack.handBack(message, HandBack.backoff(message.receiveCount()));
                log.error("{}; the action stays {} and its message comes back in {} s to publish it", e.getMessage(),
                        record.status(), seconds);
                return false;
            }
        }
        if (claimed) {
            idempotency.complete(m.idempotencyKey(), result(outcome));
        }
        return true;
    }

    /** The idempotency key's result for {@code outcome}: applied, already-applied or "failed: " and the reason. */
    private static String result(ActionRecords.Outcome outcome) {
        return switch (outcome.result()) {
            case APPLIED -> "applied";
            case ALREADY_APPLIED -> "already-applied";
            case REFUSED -> "failed: " + outcome.reason().orElse("");
        };
    }

    /** {@link HandlerDependencies#maxActionWait}, cut to what is left before {@code deadline}. */
    private Duration maxWait(Optional<Instant> deadline) {
        Duration wait = deps.maxActionWait();
        if (deadline.isPresent()) {
            Duration left = Duration.between(deps.clock().instant(), deadline.get());
            if (left.compareTo(wait) < 0) {
                wait = left.isNegative() ? Duration.ZERO : left;
            }
        }
        return wait;
    }
}
