package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.CollectorService;
import java.util.function.Supplier;
import org.crac.Resource;

/**
 * The Lambda entry point of a market's collection queue: collects each record's request (see {@link CollectorService}). Reports partial batch failures (the event source mapping needs
 * {@code ReportBatchItemFailures}).
 *
 * <p>Lambda SnapStart: the Lambda constructor registers the handler's CRaC hooks ({@link SnapshotLifecycle}). Before the
 * snapshot the handler primes its paths and closes its connections and clients, dropping every secret it read; after a
 * restore it reads them again and reconnects to the limiter's Valkey.
 */
public final class CollectorHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    private final HandlerMetrics metrics;
    private final SnapshotLifecycle<MarketParts<CollectorService>> parts;

    /** The real Lambda's: {@link HandlerDependencies#fromEnvironment()}, made again after each SnapStart restore. */
    public CollectorHandler() {
        this(HandlerDependencies::fromEnvironment, HandlerMetrics.powertools());
        parts.register();
    }

    public CollectorHandler(HandlerDependencies deps) {
        this(deps, HandlerMetrics.powertools());
    }

    /**
     * With {@code metrics} instead of Powertools' instance (tests). The dependencies stay open across a checkpoint
     * (their owner closes them); only the market clients are closed and made again.
     */
    public CollectorHandler(HandlerDependencies deps, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.parts = SnapshotLifecycle.of("collector",
                () -> MarketParts.of(deps, false, metrics, CollectorService::new), MarketParts::prime, MarketParts::connect);
        parts.get();
    }

    /**
     * With dependencies that {@code dependencies} makes now and again after each restore, closed (with every secret
     * they read) before a checkpoint: the Lambda constructor's way, and a test's for the snapshot's hooks.
     */
    public CollectorHandler(Supplier<HandlerDependencies> dependencies, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.parts = SnapshotLifecycle.of("collector",
                () -> MarketParts.of(dependencies.get(), true, metrics, CollectorService::new), MarketParts::prime, MarketParts::connect);
        parts.get();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        MarketParts<CollectorService> p = parts.get();
        return SqsHandlerSupport.handle(event, context, p.queueUrls(), metrics, p.service()::process);
    }

    /** The parts and their snapshot hooks (tests). */
    SnapshotLifecycle<MarketParts<CollectorService>> lifecycle() {
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
