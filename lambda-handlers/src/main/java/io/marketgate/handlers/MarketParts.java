package io.marketgate.handlers;

import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.MarketClients;
import io.marketgate.handlers.sqs.QueueUrls;
import java.util.function.BiFunction;

/**
 * What a market-calling handler (collector, actions) keeps between invocations: its dependencies, one client per
 * market (adapter and limiter with its Valkey connection), the queue URLs and its service. Closing closes the
 * limiters' stores, and the dependencies when they were made for these parts ({@code ownsDependencies}).
 *
 * @param <S> the handler's service
 */
record MarketParts<S>(HandlerDependencies deps, boolean ownsDependencies, MarketClients clients, QueueUrls queueUrls, S service)
        implements AutoCloseable {

    static <S> MarketParts<S> of(HandlerDependencies deps, boolean ownsDependencies, HandlerMetrics metrics,
            BiFunction<HandlerDependencies, MarketClients, S> service) {
        MarketClients clients = new MarketClients(deps, metrics);
        return new MarketParts<>(deps, ownsDependencies, clients, new QueueUrls(deps.queues(), deps.sqs()),
                service.apply(deps, clients));
    }

    /** Before a snapshot: the JSON paths, DynamoDB reads, and each served market's client, limiter and a decision (see {@link HandlerPriming}). */
    void prime() {
        HandlerPriming.json();
        HandlerPriming.reads(deps);
        HandlerPriming.markets(deps, clients);
    }

    /** After a restore: each served market's client, its limiter's store connected. */
    void connect() {
        HandlerPriming.connect(deps, clients);
    }

    @Override
    public void close() {
        try {
            clients.close();
        } finally {
            if (ownsDependencies) {
                deps.close();
            }
        }
    }
}
