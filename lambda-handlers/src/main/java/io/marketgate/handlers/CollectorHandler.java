package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.CollectorService;
import io.marketgate.handlers.service.MarketClients;
import io.marketgate.handlers.sqs.QueueUrls;

/**
 * The Lambda entry point of a market's collection queue: collects each record's request (see {@link CollectorService}). Reports partial batch failures (the event source mapping needs
 * {@code ReportBatchItemFailures}).
 */
public final class CollectorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final HandlerMetrics metrics;
    private final QueueUrls queueUrls;
    private final CollectorService service;

    /** The real Lambda's: {@link HandlerDependencies#fromEnvironment()}. */
    public CollectorHandler() {
        this(HandlerDependencies.fromEnvironment());
    }

    public CollectorHandler(HandlerDependencies deps) {
        this(deps, HandlerMetrics.powertools());
    }

    /** With {@code metrics} instead of Powertools' instance (tests). */
    public CollectorHandler(HandlerDependencies deps, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.queueUrls = new QueueUrls(deps.queues(), deps.sqs());
        this.service = new CollectorService(deps, new MarketClients(deps, metrics));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsHandlerSupport.handle(event, context, queueUrls, metrics, service::process);
    }
}
