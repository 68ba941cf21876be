package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.ActionService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.crac.Resource;

/**
 * The Lambda entry point of a market's FIFO action queue: performs each record's action exactly once, in order per group (see {@link ActionService}). Reports partial batch failures (the event source mapping needs
 * {@code ReportBatchItemFailures}).
 *
 * <p>Lambda SnapStart: as {@link CollectorHandler}'s, the Lambda constructor registers hooks that prime and close
 * before the snapshot and read the secrets again and reconnect after a restore ({@link SnapshotLifecycle}).
 */
public final class ActionsHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    private final HandlerMetrics metrics;
    private final SnapshotLifecycle<MarketParts<ActionService>> parts;

    /** The real Lambda's: {@link HandlerDependencies#fromEnvironment()}, made again after each SnapStart restore. */
    public ActionsHandler() {
        this(HandlerDependencies::fromEnvironment, HandlerMetrics.powertools());
        parts.register();
    }

    public ActionsHandler(HandlerDependencies deps) {
        this(deps, HandlerMetrics.powertools());
    }

    /**
     * With {@code metrics} instead of Powertools' instance (tests). The dependencies stay open across a checkpoint
     * (their owner closes them); only the market clients are closed and made again.
     */
    public ActionsHandler(HandlerDependencies deps, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.parts = SnapshotLifecycle.of("actions",
                () -> MarketParts.of(deps, false, metrics, ActionService::new), MarketParts::prime, MarketParts::connect);
        parts.get();
    }

    /** With dependencies that {@code dependencies} makes now and again after each restore, closed before a checkpoint. */
    public ActionsHandler(Supplier<HandlerDependencies> dependencies, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.parts = SnapshotLifecycle.of("actions",
                () -> MarketParts.of(dependencies.get(), true, metrics, ActionService::new), MarketParts::prime, MarketParts::connect);
        parts.get();
    }

    /** What an invocation keeps free at its end for handing messages back and reporting the batch. */
    static final Duration END_MARGIN = Duration.ofSeconds(3);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        MarketParts<ActionService> p = parts.get();
        // an action's in-process wait ends before the invocation does (no context: tests and callers without a limit)
        Optional<Instant> deadline = context == null ? Optional.empty()
                : Optional.of(p.deps().clock().instant().plusMillis(context.getRemainingTimeInMillis()).minus(END_MARGIN));
        return SqsHandlerSupport.handle(event, context, p.queueUrls(), metrics, messages -> p.service().process(messages, deadline));
    }

    /** The parts and their snapshot hooks (tests). */
    SnapshotLifecycle<MarketParts<ActionService>> lifecycle() {
        return parts;
    }

    /** Primes, then closes and drops the dependencies (see {@link SnapshotLifecycle#beforeCheckpoint}). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws Exception {
        parts.beforeCheckpoint(context);
    }

    /** Makes the dependencies again and connects (see {@link SnapshotLifecycle#afterRestore}). */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        parts.afterRestore(context);
    }
}
