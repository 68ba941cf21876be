package io.marketgate.handlers;

import io.marketgate.config.CallConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.handlers.service.MarketClients;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.ScheduleEvent;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.DataKind;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm-up a handler runs before a SnapStart snapshot ({@link SnapshotLifecycle}): each step loads and initialises
 * the classes of a path the first invocation takes, so that an environment restored from the snapshot does not pay
 * for them. Nothing here reads a secret that outlives the step, writes anywhere, or takes room from a budget: the
 * decision is taken on an in-memory store, and the DynamoDB reads are of items that do not exist.
 */
final class HandlerPriming {

    private static final Logger log = LoggerFactory.getLogger(HandlerPriming.class);
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    /** The id of the request and seller that priming reads: no such item exists. */
    static final String PRIMING_ID = "snapstart-priming";

    private HandlerPriming() {}

    /** The messages' JSON mappers, both ways, for each message the handlers read. */
    static void json() {
        Messages.read(Messages.write(new CollectionMessage("prime", "prime", "prime", DataKind.ORDERS, T, T.plusSeconds(3600),
                Priority.LOW)), CollectionMessage.class);
        Messages.read(Messages.write(CollectionMessage.ofOrder("prime", "prime", "prime", "o-1", Priority.HIGH)), CollectionMessage.class);
        Messages.read(Messages.write(new ActionMessage("prime", "prime", "prime", "prime", ActionMessage.ActionType.SHIP_ORDER,
                "o-1", "CJ", "T-1")), ActionMessage.class);
        try {
            Messages.read(Messages.json().writeValueAsString(Map.of("market", "prime", "kind", "ORDERS", "lookback", "PT30M",
                    "spreadOver", "PT10M", "priority", "LOW")), ScheduleEvent.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One read of an item that does not exist in the requests table and in the sellers table per served market: the
     * AWS SDK's DynamoDB path (marshalling, signing, the HTTP client) loaded before the snapshot. Reads only; the client
     * is closed with the parts and made again after the restore, its classes stay loaded.
     */
    static void reads(HandlerDependencies deps) {
        try {
            io.marketgate.handlers.store.RequestStatusRepository.of(deps).find(PRIMING_ID);
            for (String market : served(deps)) {
                deps.sellers().find(market, PRIMING_ID);
            }
        } catch (RuntimeException e) {
            log.warn("priming the DynamoDB reads failed, the first invocation pays for them: {}", e.toString());
        }
    }

    /**
     * For each market the handler serves ({@link #served}): its client (adapter, limiter, the limiter's store connected
     * and its script loaded), and one decision per call of the market on its budgets in an in-memory store.
     */
    static void markets(HandlerDependencies deps, MarketClients clients) {
        for (String market : served(deps)) {
            try {
                clients.client(market);
                MarketConfig config = deps.environment().market(market);
                try (PriorityLimiter dry = PriorityLimiter.builder().budgets(config.limiterBudgets())
                        .store(new InMemoryLimiterStore(Clock.systemUTC())).build()) {
                    for (CallConfig call : config.calls().values()) {
                        dry.tryAcquire(call.toCall(Priority.LOW));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("priming market {} failed, its first call pays for it: {}", market, e.toString());
            }
        }
    }

    /** After a restore: each served market's client, its limiter's store connected (Lettuce). */
    static void connect(HandlerDependencies deps, MarketClients clients) {
        for (String market : served(deps)) {
            try {
                clients.client(market);
            } catch (RuntimeException e) {
                log.warn("connecting market {} after the restore failed, its first call tries again: {}", market, e.toString());
            }
        }
    }

    /**
     * The market the function serves ({@link HandlerDependencies#servedMarket()}), else the markets with queues in
     * {@code deps}, else every market with an adapter section.
     */
    static Collection<String> served(HandlerDependencies deps) {
        if (deps.servedMarket().isPresent()) {
            return java.util.List.of(deps.servedMarket().get());
        }
        Collection<String> queued = deps.queues().markets();
        if (!queued.isEmpty()) {
            return queued;
        }
        return deps.environment().markets().values().stream().filter(m -> m.adapter().isPresent()).map(MarketConfig::name).toList();
    }
}
