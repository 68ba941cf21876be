package io.marketgate.handlers.observability;

import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.PlannedCall;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The handlers' metrics (CloudWatch EMF through Powertools, namespace {@value #NAMESPACE}): limiter grants, denials
 * and waits per market and priority, market calls per market, call, priority and outcome, and per market the refusals
 * the alarms watch ({@value #CREDENTIALS_REJECTED}, {@value #IP_REJECTED}) and {@value #RECONNECT_REQUIRED}. Counts are summed
 * during an invocation and written by {@link #flush()} at its end, one EMF record per dimension combination (EMF
 * dimensions belong to a record, not to a metric, so per-market metrics cannot share one record).
 *
 * <pre>{@code
 * HandlerMetrics metrics = HandlerMetrics.powertools();
 * PriorityLimiter.builder().listener(metrics.limiterListener()) …;
 * MarketClient.builder(limiter, adapter).listener(metrics.marketCallListener()) …;
 * try { handle(event); } finally { metrics.flush(); }
 * }</pre>
 */
public final class HandlerMetrics {

    private static final Logger log = LoggerFactory.getLogger(HandlerMetrics.class);

    public static final String NAMESPACE = "marketgate";
    /** A market rejected a seller's credentials (dimension market); alarmed on. */
    public static final String CREDENTIALS_REJECTED = "CredentialsRejected";
    /** A market refused our IP address (dimension market); alarmed on. */
    public static final String IP_REJECTED = "IpRejected";
    /** A market refused a seller's consent-granted connection: its owner must consent again (dimension market). */
    public static final String RECONNECT_REQUIRED = "ReconnectRequired";
    /** Collection requests the scheduler enqueued to refresh connections nobody collected (dimension market). */
    public static final String CONNECTIONS_KEPT_ALIVE = "ConnectionsKeptAlive";
    /** Unfinished orders the tracking re-collected in one run (dimension market). */
    public static final String TRACKED_ORDERS_RECOLLECTED = "TrackedOrdersRecollected";
    /** Tracked orders given up, not final after the schedule's maxAge (dimension market). */
    public static final String TRACKING_GAVE_UP = "TrackingGaveUp";
    /** Records of one kind a collection handed to the store (dimensions market, kind). */
    public static final String RECORDS_COLLECTED = "RecordsCollected";
    /** Of those, the ones not written because the store held a later state (dimensions market, kind). */
    public static final String STALE_WRITES = "StaleWrites";

    private record Key(String metric, MetricUnit unit, Map<String, String> dimensions) {}

    private final Metrics metrics;
    private final Map<Key, DoubleAdder> pending = new ConcurrentHashMap<>();

    public HandlerMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * The Powertools metrics instance. Outside Lambda (no {@code AWS_LAMBDA_FUNCTION_NAME}) and without an explicit
     * {@code AWS_EMF_ENVIRONMENT}, EMF is told to print to stdout ({@code Local}) instead of probing EC2/ECS metadata
     * and sending to an agent on port 25888 that tests and local runs do not have.
     */
    public static HandlerMetrics powertools() {
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null && System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
        Metrics metrics = MetricsFactory.getMetricsInstance();
        metrics.setNamespace(NAMESPACE);
        return new HandlerMetrics(metrics);
    }

    /** Counts grants, denials (by reason) and waits per market and priority. */
    public LimiterListener limiterListener() {
        return new LimiterListener() {
            @Override
            public void onGranted(Call call, Decision decision) {
                count("LimiterGrants", MetricUnit.COUNT, 1, dims(call.market(), call.priority()));
            }

            @Override
            public void onDenied(Call call, Decision decision) {
                Map<String, String> d = dims(call.market(), call.priority());
                d.put("reason", String.valueOf(decision.reason()));
                count("LimiterDenials", MetricUnit.COUNT, 1, d);
            }

            @Override
            public void onWaited(Call call, Duration waited, Decision outcome) {
                count("LimiterWaitMillis", MetricUnit.MILLISECONDS, waited.toMillis(), dims(call.market(), call.priority()));
            }

            @Override
            public void onStoreFailure(Throwable cause) {
                count("LimiterStoreFailures", MetricUnit.COUNT, 1, new TreeMap<>());
            }
        };
    }

    /** Counts market calls and their time per market, call, priority and outcome. */
    public MarketCallListener marketCallListener() {
        return (PlannedCall call, Priority priority, CallOutcome outcome, Duration elapsed) -> {
            Map<String, String> d = dims(call.market(), priority);
            d.put("call", call.callName());
            d.put("outcome", outcome.kind());
            count("MarketCalls", MetricUnit.COUNT, 1, d);
            count("MarketCallMillis", MetricUnit.MILLISECONDS, elapsed.toMillis(), d);
        };
    }

    /** Counts one {@code metric} ({@link #CREDENTIALS_REJECTED}, {@link #IP_REJECTED}, …) of {@code market}. */
    public void countForMarket(String metric, String market) {
        Map<String, String> d = new TreeMap<>();
        d.put("market", market);
        count(metric, MetricUnit.COUNT, 1, d);
    }

    /**
     * Counts what one collection attempt of {@code kind} ({@code orders}, {@code claims}, …) of {@code market} handed to
     * the store ({@link #RECORDS_COLLECTED}) and how many of them were stale ({@link #STALE_WRITES}).
     */
    public void countCollected(String market, String kind, int collected, int stale) {
        Map<String, String> d = new TreeMap<>();
        d.put("market", market);
        d.put("kind", kind);
        count(RECORDS_COLLECTED, MetricUnit.COUNT, collected, d);
        count(STALE_WRITES, MetricUnit.COUNT, stale, d);
    }

    /** Adds {@code value} to {@code metric} with {@code dimensions}, to be written at the next {@link #flush()}. */
    public void count(String metric, MetricUnit unit, double value, Map<String, String> dimensions) {
        pending.computeIfAbsent(new Key(metric, unit, Map.copyOf(dimensions)), k -> new DoubleAdder()).add(value);
    }

    /** The sums not yet flushed, as {@code metric{dim=value,…}} → sum; for tests and logs. */
    public Map<String, Double> pending() {
        Map<String, Double> out = new TreeMap<>();
        pending.forEach((k, v) -> out.put(k.metric() + new TreeMap<>(k.dimensions()), v.sum()));
        return out;
    }

    /** Writes and clears everything counted since the last flush; call once at the end of every invocation. */
    public void flush() {
        for (Key key : pending.keySet()) {
            DoubleAdder sum = pending.remove(key);
            if (sum == null) {
                continue;
            }
            try {
                metrics.flushSingleMetric(key.metric(), sum.sum(), key.unit(), NAMESPACE, DimensionSet.of(key.dimensions()));
            } catch (RuntimeException e) {
                // metrics must never fail an invocation
                log.warn("metric {} not written: {}", key.metric(), e.toString());
            }
        }
    }

    private static Map<String, String> dims(String market, Priority priority) {
        Map<String, String> d = new TreeMap<>();
        d.put("market", market);
        d.put("priority", priority.name());
        return d;
    }
}
