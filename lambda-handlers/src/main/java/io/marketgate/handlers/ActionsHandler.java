package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.ActionService;
import io.marketgate.handlers.service.MarketClients;
import io.marketgate.handlers.sqs.QueueUrls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The Lambda entry point of a market's FIFO action queue: performs each record's action exactly once, in order per group (see {@link ActionService}). Reports partial batch failures (the event source mapping needs
 * {@code ReportBatchItemFailures}).
 */
public final class ActionsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final HandlerMetrics metrics;
    private final QueueUrls queueUrls;
    private final ActionService service;
    private final Clock clock;

    /** The real Lambda's: {@link HandlerDependencies#fromEnvironment()}. */
    public ActionsHandler() {
        this(HandlerDependencies.fromEnvironment());
    }

    public ActionsHandler(HandlerDependencies deps) {
        this(deps, HandlerMetrics.powertools());
    }

    /** With {@code metrics} instead of Powertools' instance (tests). */
    public ActionsHandler(HandlerDependencies deps, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.queueUrls = new QueueUrls(deps.queues(), deps.sqs());
        this.service = new ActionService(deps, new MarketClients(deps, metrics));
        this.clock = deps.clock();
    }

    /** What an invocation keeps free at its end for handing messages back and reporting the batch. */
    static final Duration END_MARGIN = Duration.ofSeconds(3);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // an action's in-process wait ends before the invocation does (no context: tests and callers without a limit)
        Optional<Instant> deadline = context == null ? Optional.empty()
                : Optional.of(clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(END_MARGIN));
        return SqsHandlerSupport.handle(event, context, queueUrls, metrics, messages -> service.process(messages, deadline));
    }
}
