package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.observability.RecordContext;
import io.marketgate.handlers.service.FanOutService;
import io.marketgate.handlers.service.FanOutService.FanOutResult;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.ScheduleEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The Lambda entry point of the scheduler's fan-out: the EventBridge Scheduler payload is a {@link ScheduleEvent}
 * ({@code {"market":"coupang","kind":"ORDERS","lookback":"PT30M","spreadOver":"PT10M","priority":"LOW"}}). A bad
 * payload fails the invocation with a message naming the field, before anything is written. A payload with
 * {@code "track":"UNFINISHED"} runs the tracking of unfinished orders instead ({@link FanOutService#trackUnfinished}). After the fan-out, the
 * market's consent-granted connections that would otherwise die unused get a keep-alive request each
 * ({@link FanOutService#keepAlive}).
 */
public final class SchedulerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>, org.crac.Resource {

    private final HandlerMetrics metrics;
    private final SnapshotLifecycle<ServiceParts<FanOutService>> parts;

    /**
     * The real Lambda's: {@link HandlerDependencies#fromEnvironment()}, made again after each SnapStart restore (the
     * hooks are registered: {@link SnapshotLifecycle}).
     */
    public SchedulerHandler() {
        this(HandlerDependencies::fromEnvironment, HandlerMetrics.powertools());
        parts.register();
    }

    /** With dependencies that {@code dependencies} makes now and again after each restore, closed before a checkpoint. */
    public SchedulerHandler(java.util.function.Supplier<HandlerDependencies> dependencies, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.parts = SnapshotLifecycle.of("scheduler", () -> {
            HandlerDependencies deps = dependencies.get();
            return new ServiceParts<>(new FanOutService(deps), deps);
        }, ServiceParts::prime, ServiceParts::connect);
        parts.get();
    }

    public SchedulerHandler(HandlerDependencies deps) {
        this(deps, HandlerMetrics.powertools());
    }

    /** With {@code metrics} instead of Powertools' instance (tests). */
    public SchedulerHandler(HandlerDependencies deps, HandlerMetrics metrics) {
        this.metrics = metrics;
        this.parts = SnapshotLifecycle.of("scheduler", () -> ServiceParts.borrowing(new FanOutService(deps)),
                ServiceParts::prime, ServiceParts::connect);
        parts.get();
    }

    /** Primes, then closes and drops the dependencies (see {@link SnapshotLifecycle#beforeCheckpoint}). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) throws Exception {
        parts.beforeCheckpoint(context);
    }

    /** Makes the dependencies again (see {@link SnapshotLifecycle#afterRestore}). */
    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        parts.afterRestore(context);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        try {
            return context == null ? run(input) : PowertoolsLogging.withLogging(context, () -> run(input));
        } finally {
            metrics.flush();
        }
    }

    private Map<String, Object> run(Map<String, Object> input) {
        ScheduleEvent event = parse(input);
        FanOutService service = parts.get().service();
        return RecordContext.forMessage(null).put("market", event.market()).put("priority", event.priority()).call(() -> {
            if (event.tracksUnfinished()) {
                FanOutService.TrackResult tracked = service.trackUnfinished(event);
                metrics.count(HandlerMetrics.TRACKED_ORDERS_RECOLLECTED, MetricUnit.COUNT, tracked.requestIds().size(),
                        Map.of("market", event.market()));
                metrics.count(HandlerMetrics.TRACKING_GAVE_UP, MetricUnit.COUNT, tracked.gaveUp(), Map.of("market", event.market()));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("market", tracked.market());
                out.put("requests", tracked.requestIds().size());
                out.put("gaveUp", tracked.gaveUp());
                out.put("failedToSend", tracked.failedToSend().size());
                return out;
            }
            FanOutResult result = service.fanOut(event);
            metrics.count("RequestsFannedOut", MetricUnit.COUNT, result.requestIds().size(),
                    Map.of("market", event.market(), "priority", event.priority().name()));
            // sellers whose consent-granted connection would die unused (Cafe24's refresh token ends after 14 days)
            List<String> keptAlive = service.keepAlive(event.market());
            if (!keptAlive.isEmpty()) {
                metrics.count(HandlerMetrics.CONNECTIONS_KEPT_ALIVE, MetricUnit.COUNT, keptAlive.size(), Map.of("market", event.market()));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("market", result.market());
            out.put("requests", result.requestIds().size());
            out.put("batches", result.batches());
            out.put("failedToSend", result.failedToSend().size());
            out.put("keptAlive", keptAlive.size());
            return out;
        });
    }

    /** The payload as a {@link ScheduleEvent}; throws {@link IllegalArgumentException} naming what is wrong. */
    static ScheduleEvent parse(Map<String, Object> input) {
        if (input == null) {
            throw new IllegalArgumentException("the schedule event is empty");
        }
        try {
            return Messages.read(Messages.json().writeValueAsString(input), ScheduleEvent.class);
        } catch (Messages.BadMessageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the schedule event is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
