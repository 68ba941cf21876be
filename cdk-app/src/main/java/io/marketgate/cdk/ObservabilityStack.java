package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.InfrastructureConfig.MarketInfrastructure;
import io.marketgate.config.InfrastructureConfig.ValkeyMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.constructs.Construct;

/**
 * What on-call sees: per market the alarms {@code <env>-<market>-queue-age}, {@code -dlq-depth},
 * {@code -collector-throttles}, {@code -market-429}, {@code -limiter-denials}, {@code -credentials-rejected} (a seller's
 * credentials were rejected) and {@code -ip-rejected} (the market refused our IP address), and for a market whose sellers
 * connect by consent (Cafe24) {@code -reconnect-required} (a seller's connection was refused); for Valkey {@code <env>-valkey-cpu}
 * and {@code <env>-valkey-store-failures} (the runbooks name them exactly so), all sent to the topic
 * {@code <env>-marketgate-alarms} of the {@link AlertsStack}, as are the functions' own {@code <env>-<function>-errors}
 * ({@code <env>-<market>-collector-errors}, {@code -actions-errors}, …; see {@link ReleasedFunction}); and the dashboard {@code <env>-marketgate} that on-call opens during a scheduler
 * spike: per market its queue, its collector, the limiter's grants and denials by priority and the market's answers
 * by outcome, then Valkey and the API. The handlers' own metrics (namespace {@value #NAMESPACE}, lambda-handlers'
 * {@code HandlerMetrics}) are read with CloudWatch Metrics Insights, which sums them over every dimension set.
 */
public final class ObservabilityStack extends Stack {

    static final String NAMESPACE = "marketgate";
    static final Duration PERIOD = Duration.minutes(5);
    /** Denials are the limiter working; this many in 5 minutes for 15 minutes means a market is starved. */
    static final int DENIALS_THRESHOLD = 1000;
    static final int CPU_THRESHOLD_PERCENT = 80;
    /** lambda-handlers' {@code HandlerMetrics.RECONNECT_REQUIRED}, with the dimension {@code market}. */
    static final String RECONNECT_REQUIRED = "ReconnectRequired";

    private final Map<String, Alarm> alarms = new LinkedHashMap<>();
    private final Dashboard dashboard;

    public ObservabilityStack(Construct scope, String id, StackProps props, Deployment deployment, MessagingStack messaging,
            FunctionsStack functions, ValkeyStack valkey, ApiStack api, AlertsStack alerts) {
        super(scope, id, props);
        List<IWidget> widgets = new ArrayList<>();
        widgets.add(TextWidget.Builder.create().markdown("# marketgate " + deployment.env()
                + "\nPer market: queue, collector, limiter decisions by priority, market answers by outcome. Runbooks name the alarms.")
                .width(24).height(2).build());
        InfrastructureConfig infra = deployment.infrastructure();
        for (MarketInfrastructure market : infra.markets().values()) {
            String m = market.market();
            MarketQueues queues = messaging.market(m);
            ReleasedFunction collector = functions.collectors().get(m);
            String name = deployment.name(m);
            alarm(name + "-queue-age", "The oldest collection request of " + m + " waits longer than its schedules' spread "
                    + "plus 10 minutes: the collector is behind or stopped",
                    queues.collect().metricApproximateAgeOfOldestMessage(max()), queueAgeThreshold(market).toSeconds().doubleValue(), 1);
            alarm(name + "-dlq-depth", "Messages of " + m + " reached a dead-letter queue: redrive them after the cause is fixed",
                    MathExpression.Builder.create().expression("collect + actions").period(PERIOD).label("dead letters")
                            .usingMetrics(Map.of("collect", queues.collectDlq().metricApproximateNumberOfMessagesVisible(max()),
                                    "actions", queues.actionsDlq().metricApproximateNumberOfMessagesVisible(max()))).build(), 1, 1);
            alarm(name + "-collector-throttles", "Lambda throttles the " + m + " collector: the account's concurrency is short",
                    collector.function().metricThrottles(sum()), 1, 1);
            alarm(name + "-market-429", m + " throttled our calls (HTTP 429 or its throttle code) although the limiter admitted them",
                    insights("SUM(MarketCalls)", "market = '" + m + "' AND outcome = 'throttled'", m + " throttled calls"), 1, 1);
            alarm(name + "-limiter-denials", "The limiter keeps denying " + m + " calls: its budgets are full (a spike), paused or "
                    + "cooling down after a 429",
                    insights("SUM(LimiterDenials)", "market = '" + m + "'", m + " denials"), DENIALS_THRESHOLD, 3);
            alarm(name + "-credentials-rejected", m + " rejected a seller's credentials: the seller is marked credentials-rejected "
                    + "and its requests fail until new credentials are registered (marketgate sellers list --market " + m + ")",
                    insights("SUM(CredentialsRejected)", "market = '" + m + "'", m + " rejected credentials"), 1, 1);
            alarm(name + "-ip-rejected", m + " refused our IP address: its budgets are paused for every priority; add the "
                    + "egress group's IP to the market's allow-list (runbooks/new-fixed-ip.md)",
                    insights("SUM(IpRejected)", "market = '" + m + "'", m + " refused IP"), 1, 1);
            if (deployment.connectsByConsent(m)) {
                alarm(name + "-reconnect-required", m + " refused a seller's connection (its refresh token expired, was "
                        + "revoked or used, or the app left the mall): the seller is marked reconnect-required and its requests "
                        + "fail until its owner consents again (runbooks/seller-reconnect-required.md)",
                        insights("SUM(" + RECONNECT_REQUIRED + ")", "market = '" + m + "'", m + " connections refused"), 1, 1);
            }
            widgets.add(TextWidget.Builder.create().markdown("## " + m).width(24).height(1).build());
            widgets.add(graph(m + " collection queue", List.of(queues.collect().metricApproximateNumberOfMessagesVisible(max()),
                    queues.collect().metricApproximateAgeOfOldestMessage(max()), queues.collectDlq().metricApproximateNumberOfMessagesVisible(max()))));
            widgets.add(graph(m + " collector", List.of(collector.function().metricInvocations(sum()), collector.function().metricErrors(sum()),
                    collector.function().metricThrottles(sum()), collector.function().metricDuration(max()))));
            widgets.add(graph(m + " limiter by priority", List.of(
                    insights("SUM(LimiterGrants)", "market = '" + m + "' GROUP BY priority", "grants"),
                    insights("SUM(LimiterDenials)", "market = '" + m + "' GROUP BY priority", "denials"))));
            widgets.add(graph(m + " market answers", List.of(insights("SUM(MarketCalls)", "market = '" + m + "' GROUP BY outcome", "calls"))));
        }
        String cache = deployment.name("limiter");
        IMetric cpu = infra.valkey().mode() == ValkeyMode.SERVERLESS
                // ElastiCache Serverless has no CPU metric; it refuses commands when its ECPU scaling lags
                ? metric("AWS/ElastiCache", "ThrottledCmds", Map.of("clusterId", cache), "Sum")
                : primaryNodesCpu(cache, infra.valkey().shards());
        double cpuThreshold = infra.valkey().mode() == ValkeyMode.SERVERLESS ? 1 : CPU_THRESHOLD_PERCENT;
        alarm(deployment.name("valkey-cpu"), "Valkey is saturated (engine CPU of a primary, or throttled commands on serverless): "
                + "limiter decisions slow down and time out", cpu, cpuThreshold, 3);
        alarm(deployment.name("valkey-store-failures"), "Functions cannot reach the limiter's Valkey: markets run on the failure "
                + "mode (local fallback or fail closed)", insights("SUM(LimiterStoreFailures)", null, "store failures"), 1, 1);
        widgets.add(TextWidget.Builder.create().markdown("## Valkey and API").width(24).height(1).build());
        widgets.add(graph("Valkey", List.of(cpu, insights("SUM(LimiterStoreFailures)", null, "store failures"))));
        widgets.add(graph("API", List.of(api.api().metricClientError(sum()), api.api().metricServerError(sum()), api.api().metricLatency(max()))));
        alarms.values().forEach(a -> a.addAlarmAction(new SnsAction(alerts.topic())));
        dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName(deployment.name("marketgate"))
                .widgets(rows(widgets)).build();
    }

    private void alarm(String name, String description, IMetric metric, double threshold, int periods) {
        alarms.put(name, Alarm.Builder.create(this, name).alarmName(name).alarmDescription(description).metric(metric)
                .threshold(threshold).evaluationPeriods(periods).datapointsToAlarm(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build());
    }

    private static Duration queueAgeThreshold(MarketInfrastructure market) {
        long spread = market.schedules().values().stream().mapToLong(s -> s.spreadOver().toSeconds()).max().orElse(0);
        return Duration.seconds(Math.max(spread, 600) + 600);
    }

    private static MathExpression insights(String aggregate, String where, String label) {
        String query = "SELECT " + aggregate + " FROM " + NAMESPACE + (where == null ? "" : " WHERE " + where);
        return MathExpression.Builder.create().expression(query).period(PERIOD).label(label).usingMetrics(Map.of()).build();
    }

    private static IMetric primaryNodesCpu(String replicationGroup, int shards) {
        Map<String, IMetric> nodes = new LinkedHashMap<>();
        // cluster-mode node ids are <group>-<shard, 4 digits>-<node, 3 digits>; -001 starts as the primary. At most ten
        // metrics fit one alarm expression.
        for (int shard = 1; shard <= Math.min(shards, 10); shard++) {
            nodes.put("n" + shard, metric("AWS/ElastiCache", "EngineCPUUtilization",
                    Map.of("CacheClusterId", replicationGroup + "-" + String.format("%04d", shard) + "-001"), "Maximum"));
        }
        return MathExpression.Builder.create().expression("MAX([" + String.join(",", nodes.keySet()) + "])").period(PERIOD)
                .label("engine CPU % (highest primary)").usingMetrics(nodes).build();
    }

    private static Metric metric(String namespace, String name, Map<String, String> dimensions, String statistic) {
        return Metric.Builder.create().namespace(namespace).metricName(name).dimensionsMap(dimensions).statistic(statistic)
                .period(PERIOD).build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(6).height(6).build();
    }

    private static List<List<IWidget>> rows(List<IWidget> widgets) {
        return List.of(widgets);
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().period(PERIOD).statistic("Sum").build();
    }

    private static MetricOptions max() {
        return MetricOptions.builder().period(PERIOD).statistic("Maximum").build();
    }

    /** The alarms by name. */
    public Map<String, Alarm> alarms() {
        return alarms;
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
