package io.marketgate.config.internal;

import static io.marketgate.config.internal.Presence.OPTIONAL;
import static io.marketgate.config.internal.Presence.REQUIRED;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.Durations;
import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.InfrastructureConfig.ApiAuth;
import io.marketgate.config.InfrastructureConfig.ApiStage;
import io.marketgate.config.InfrastructureConfig.Consumer;
import io.marketgate.config.InfrastructureConfig.DeploymentKind;
import io.marketgate.config.InfrastructureConfig.EgressGroup;
import io.marketgate.config.InfrastructureConfig.EgressKind;
import io.marketgate.config.InfrastructureConfig.FunctionSize;
import io.marketgate.config.InfrastructureConfig.LimiterStoreKind;
import io.marketgate.config.InfrastructureConfig.MarketInfrastructure;
import io.marketgate.config.InfrastructureConfig.PlatformFunctions;
import io.marketgate.config.InfrastructureConfig.Queues;
import io.marketgate.config.InfrastructureConfig.Schedule;
import io.marketgate.config.InfrastructureConfig.Valkey;
import io.marketgate.config.InfrastructureConfig.ValkeyMode;
import io.marketgate.config.MarketApiConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the {@code infrastructure:} section of an environment file and checks the rules the CDK app relies on,
 * each reported with its path: a budgeted market on a dynamic-IP group (DESIGN.md: ElastiCache is reachable only
 * inside the VPC), a {@code fleetSize} below the market's consumers' total concurrency (local fallback divides by
 * it), queue visibility and redrive below AWS's advice, unknown markets and groups.
 */
final class InfrastructureReader {

    static final List<String> KEYS = List.of(
            "vpc", "egressGroups", "valkey", "markets", "functions", "logRetentionDays", "apiStage", "deployment", "exports",
            "pricing");
    static final List<String> VPC_KEYS = List.of("cidr", "maxAzs");
    static final List<String> GROUP_KEYS = List.of("kind", "natGateways", "limiterStore");
    static final List<String> VALKEY_KEYS = List.of("mode", "nodeType", "shards", "replicasPerShard");
    static final List<String> MARKET_KEYS = List.of("egressGroup", "queues", "collector", "actions", "schedules");
    static final List<String> QUEUE_KEYS = List.of("maxReceiveCount", "visibilityMultiplier");
    static final List<String> CONSUMER_KEYS = List.of("memory", "timeout", "maxConcurrency", "batchSize");
    /** A collector's keys: a consumer's, and how many of its messages one instance collects at once. */
    static final List<String> COLLECTOR_KEYS = List.of("memory", "timeout", "maxConcurrency", "batchSize", "inFlight");
    static final List<String> FUNCTION_KEYS = List.of("memory", "timeout");
    static final List<String> FUNCTIONS_KEYS = List.of("api", "scheduler", "jobWorker");
    static final List<String> SCHEDULE_KEYS = List.of("rate", "kind", "lookback", "spreadOver", "priority", "track", "maxAge");
    static final List<String> STAGE_KEYS = List.of("rateLimit", "burstLimit", "auth", "quotaPerDay");
    static final List<String> EXPORT_KEYS = List.of("expireAfter");
    static final List<String> PRICING_KEYS = List.of("lambdaGbSecond", "lambdaRequestsPerMillion");
    /**
     * Bounds that catch a price in the wrong unit: Lambda's GB-second costs about USD 0.00001 to 0.00003 in every region
     * (a price per GB-ms or per GB-hour is far outside), a million requests USD 0.20 to 0.30.
     */
    static final double MAX_GB_SECOND_PRICE = 0.001;
    static final double MAX_REQUESTS_PER_MILLION_PRICE = 10;

    /** AWS's advice for an SQS event source: a visibility timeout of at least six times the function's timeout. */
    static final int MIN_VISIBILITY_MULTIPLIER = 6;
    /** Each deferral (a limiter wait handed back to the queue) is a receive, so a low count dead-letters HIGH work. */
    static final int MIN_MAX_RECEIVE_COUNT = 10;
    /** SQS's largest visibility timeout. */
    static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    /** API Gateway's integration timeout (29 s) bounds the API function. */
    static final Duration MAX_API_TIMEOUT = Duration.ofSeconds(29);
    static final Duration MAX_LAMBDA_TIMEOUT = Duration.ofMinutes(15);
    /**
     * How often at least a market whose sellers connect by consent must be scheduled: each run of the scheduler renews
     * its malls' refresh tokens that end within a day ({@code MallConnections.KEEP_ALIVE_MARGIN}).
     */
    static final Duration KEEP_ALIVE_RATE = Duration.ofDays(1);
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern NODE_TYPE = Pattern.compile("cache\\.[a-z0-9]+\\.[a-z0-9]+");

    private final Problems problems;
    private final Map<String, MarketConfig> environmentMarkets;

    private InfrastructureReader(Problems problems, Map<String, MarketConfig> environmentMarkets) {
        this.problems = problems;
        this.environmentMarkets = environmentMarkets;
    }

    /**
     * The section, or empty after reporting its problems.
     *
     * @param markets the environment's markets as read (a market with problems of its own is absent, and not reported
     *     again here)
     * @param marketNames every key under {@code markets:}, valid or not
     */
    static Optional<InfrastructureConfig> read(Mapping section, Map<String, MarketConfig> markets, java.util.Set<String> marketNames,
            Problems problems) {
        return new InfrastructureReader(problems, markets).infrastructure(section, marketNames);
    }

    /** Whether the market's sellers connect by consent: an API per mall (Cafe24's), whose refresh tokens end. */
    private static boolean connectsByConsent(MarketConfig market) {
        return market.adapter().filter(a -> a instanceof MarketApiConfig api && api.type().perMall()).isPresent();
    }

    private Optional<InfrastructureConfig> infrastructure(Mapping infra, java.util.Set<String> marketNames) {
        int before = problems.count();
        Optional<InfrastructureConfig.Vpc> vpc = infra.mapping("vpc", REQUIRED, VPC_KEYS).flatMap(this::vpc);
        int maxAzs = vpc.map(InfrastructureConfig.Vpc::maxAzs).orElse(Integer.MAX_VALUE);
        Map<String, EgressGroup> groups = new LinkedHashMap<>();
        infra.entries("egressGroups", REQUIRED, "egress groups by name").ifPresent(entries -> {
            entries.forEach((name, node) -> group(infra.pathOf("egressGroups"), name, node, maxAzs).ifPresent(g -> groups.put(name, g)));
            if (entries.values().stream().noneMatch(n -> n.isObject() && "fixed-ip".equals(n.path("kind").asText()))) {
                infra.problem("egressGroups", "must define at least one fixed-ip group: the VPC's NAT gateways, the API, "
                        + "the scheduler and the job worker live in the first one");
            }
        });
        Optional<Valkey> valkey = infra.mapping("valkey", REQUIRED, VALKEY_KEYS).flatMap(this::valkey);
        Map<String, MarketInfrastructure> markets = new LinkedHashMap<>();
        infra.entries("markets", REQUIRED, "markets by name").ifPresent(entries -> {
            entries.forEach((name, node) -> {
                String path = Values.child(infra.pathOf("markets"), name);
                if (!marketNames.contains(name)) {
                    problems.add(path, "unknown market '" + name + "'; the environment's markets: " + Messages.list(marketNames));
                    return;
                }
                market(path, name, node, groups).ifPresent(m -> markets.put(name, m));
            });
            marketNames.stream().filter(m -> !entries.containsKey(m)).forEach(m -> problems.add(infra.pathOf("markets"),
                    "missing market '" + m + "': every market of the environment needs its queues and functions here"));
        });
        Optional<PlatformFunctions> functions = infra.mapping("functions", REQUIRED, FUNCTIONS_KEYS).flatMap(this::functions);
        Optional<Long> retention = infra.integer("logRetentionDays", REQUIRED);
        retention.filter(d -> !InfrastructureConfig.LOG_RETENTION_DAYS.contains(d.intValue()) || d > Integer.MAX_VALUE)
                .ifPresent(d -> infra.problem("logRetentionDays", "must be one of CloudWatch Logs' retention periods "
                        + InfrastructureConfig.LOG_RETENTION_DAYS + ", was " + d));
        Optional<ApiStage> stage = infra.mapping("apiStage", REQUIRED, STAGE_KEYS).flatMap(this::apiStage);
        DeploymentKind deployment = infra.choice("deployment", DeploymentKind.class, OPTIONAL).orElse(DeploymentKind.ALL_AT_ONCE);
        Duration exportExpiry = infra.mapping("exports", OPTIONAL, EXPORT_KEYS)
                .flatMap(e -> e.duration("expireAfter", REQUIRED).filter(d -> checkDays(e, "expireAfter", d)))
                .orElse(Duration.ofDays(7));
        Optional<InfrastructureConfig.Pricing> pricing = infra.mapping("pricing", OPTIONAL, PRICING_KEYS).flatMap(this::pricing);
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new InfrastructureConfig(vpc.orElseThrow(), groups, valkey.orElseThrow(), markets, functions.orElseThrow(),
                retention.orElseThrow().intValue(), stage.orElseThrow(), deployment, exportExpiry, pricing));
    }

    private Optional<InfrastructureConfig.Vpc> vpc(Mapping vpc) {
        int before = problems.count();
        Optional<String> cidr = vpc.text("cidr", REQUIRED);
        cidr.filter(c -> !validCidr(c)).ifPresent(c -> vpc.problem("cidr",
                "must be an IPv4 range with a prefix from /16 to /20, such as 10.20.0.0/16, was '" + c + "'"));
        Optional<Long> maxAzs = vpc.integer("maxAzs", REQUIRED);
        maxAzs.filter(n -> n < 2 || n > 6).ifPresent(n -> vpc.problem("maxAzs",
                "must be between 2 and 6 (subnets span two or more availability zones), was " + n));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new InfrastructureConfig.Vpc(cidr.orElseThrow(), maxAzs.orElseThrow().intValue()));
    }

    private static boolean validCidr(String cidr) {
        var m = CIDR.matcher(cidr);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        int prefix = Integer.parseInt(m.group(5));
        return prefix >= 16 && prefix <= 20;
    }

    private Optional<EgressGroup> group(String groupsPath, String name, JsonNode node, int maxAzs) {
        String path = Values.child(groupsPath, name);
        int before = problems.count();
        checkName(path, "egress group", name);
        Optional<Mapping> section = Mapping.of(node, path, GROUP_KEYS, problems);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Mapping group = section.get();
        Optional<EgressKind> kind = group.choice("kind", EgressKind.class, REQUIRED);
        Optional<Long> nats = group.integer("natGateways", OPTIONAL);
        if (kind.orElse(null) == EgressKind.FIXED_IP) {
            if (nats.isEmpty()) {
                group.problem("natGateways", "missing; required for a fixed-ip group: how many NAT gateways (and Elastic IPs)");
            }
            nats.filter(n -> n < 1 || n > maxAzs).ifPresent(n -> group.problem("natGateways",
                    "must be between 1 and infrastructure.vpc.maxAzs (" + (maxAzs == Integer.MAX_VALUE ? "?" : maxAzs)
                            + "): one NAT gateway per availability zone at most, was " + n));
        } else if (kind.orElse(null) == EgressKind.DYNAMIC && nats.isPresent()) {
            group.problem("natGateways", "must be absent for a dynamic group: it runs outside the VPC, without NAT gateways");
        }
        LimiterStoreKind store = group.choice("limiterStore", LimiterStoreKind.class, OPTIONAL).orElse(LimiterStoreKind.VALKEY);
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new EgressGroup(name, kind.orElseThrow(), nats.orElse(0L).intValue(), store));
    }

    private Optional<Valkey> valkey(Mapping valkey) {
        int before = problems.count();
        Optional<ValkeyMode> mode = valkey.choice("mode", ValkeyMode.class, REQUIRED);
        Optional<String> nodeType = valkey.text("nodeType", OPTIONAL);
        Optional<Long> shards = valkey.integer("shards", OPTIONAL);
        Optional<Long> replicas = valkey.integer("replicasPerShard", OPTIONAL);
        if (mode.orElse(null) == ValkeyMode.SERVERLESS) {
            for (String key : List.of("nodeType", "shards", "replicasPerShard")) {
                valkey.value(key, OPTIONAL, "").ifPresent(v -> valkey.problem(key,
                        "must be absent for mode serverless: ElastiCache Serverless sizes itself"));
            }
        } else if (mode.orElse(null) == ValkeyMode.NODES) {
            if (nodeType.isEmpty()) {
                valkey.problem("nodeType", "missing; required for mode nodes: a cache node type such as cache.t4g.small");
            }
            nodeType.filter(t -> !NODE_TYPE.matcher(t).matches()).ifPresent(t -> valkey.problem("nodeType",
                    "must be a cache node type such as cache.t4g.small, was '" + t + "'"));
            shards.filter(n -> n < 1 || n > 500).ifPresent(n -> valkey.problem("shards", "must be between 1 and 500, was " + n));
            replicas.filter(n -> n < 0 || n > 5).ifPresent(n -> valkey.problem("replicasPerShard", "must be between 0 and 5, was " + n));
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new Valkey(mode.orElseThrow(), nodeType, shards.orElse(1L).intValue(), replicas.orElse(0L).intValue()));
    }

    private Optional<MarketInfrastructure> market(String path, String name, JsonNode node, Map<String, EgressGroup> groups) {
        int before = problems.count();
        Optional<Mapping> section = Mapping.of(node, path, MARKET_KEYS, problems);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Mapping market = section.get();
        Optional<String> groupName = market.text("egressGroup", REQUIRED);
        groupName.ifPresent(g -> {
            EgressGroup group = groups.get(g);
            if (group == null) {
                market.problem("egressGroup", "unknown egress group '" + g + "'; infrastructure.egressGroups: " + Messages.list(groups.keySet()));
            } else if (!group.fixedIp() && group.limiterStore() == LimiterStoreKind.VALKEY && environmentMarkets.containsKey(name)
                    && !environmentMarkets.get(name).budgets().isEmpty()) {
                market.problem("egressGroup", "market " + name + " has budgets in Valkey, but group '" + g + "' is dynamic: a "
                        + "dynamic-IP group runs outside the VPC and ElastiCache is reachable only inside it. Give the group "
                        + "limiterStore: dynamodb (the environment's DynamoDB limiter table), or put the market on a fixed-ip group");
            } else if (group.limiterStore() == LimiterStoreKind.DYNAMODB && environmentMarkets.containsKey(name)) {
                checkDynamoDbItems(market, name, g, environmentMarkets.get(name));
            }
        });
        Optional<Queues> queues = market.mapping("queues", REQUIRED, QUEUE_KEYS).flatMap(this::queues);
        Optional<Consumer> collector = market.mapping("collector", REQUIRED, COLLECTOR_KEYS).flatMap(this::consumer);
        Optional<Consumer> actions = market.mapping("actions", REQUIRED, CONSUMER_KEYS).flatMap(this::consumer);
        queues.ifPresent(q -> {
            collector.ifPresent(c -> checkVisibility(market, "collector", q, c));
            actions.ifPresent(a -> checkVisibility(market, "actions", q, a));
        });
        MarketConfig config = environmentMarkets.get(name);
        if (config != null && collector.isPresent() && actions.isPresent()) {
            int total = collector.get().maxConcurrency() + actions.get().maxConcurrency();
            if (config.fleetSize() < total) {
                problems.add(Values.child(Values.child("markets", name), "fleetSize"), "must be ≥ the market's collector + actions "
                        + "maxConcurrency in " + market.path() + " (" + collector.get().maxConcurrency() + " + "
                        + actions.get().maxConcurrency() + " = " + total + "), was " + config.fleetSize()
                        + ": local fallback grants limit / fleetSize per instance, so a smaller fleetSize lets the fleet exceed the budget");
            }
        }
        Map<String, Schedule> schedules = new LinkedHashMap<>();
        market.entries("schedules", OPTIONAL, "schedules by name").ifPresent(entries -> entries.forEach((s, n) ->
                schedule(Values.child(market.pathOf("schedules"), s), s, n).ifPresent(x -> schedules.put(s, x))));
        if (config != null && config.adapter().isPresent()) {
            // a market of budgets only (no adapter section yet) is checked when its adapter comes
            schedules.forEach((s, schedule) -> config.kindRefusal(schedule.kind()).ifPresent(why -> problems.add(
                    Values.child(Values.child(market.pathOf("schedules"), s), "kind"),
                    "schedule " + s + " collects " + schedule.kind() + ", but " + why)));
        }
        if (config != null && config.adapter().filter(a -> a instanceof MarketApiConfig api
                && api.type() == io.marketgate.config.AdapterType.ELEVENST).isPresent()) {
            schedules.forEach((s, schedule) -> {
                if (schedule.tracksUnfinished()) {
                    problems.add(Values.child(Values.child(market.pathOf("schedules"), s), "track"), "is not taken for market "
                            + name + " (adapter.type 11st): its one-order call answers a line only while it is paid, so an "
                            + "order cannot be followed to its end; collect its stage lists over a longer lookback instead");
                }
            });
        }
        if (config != null && connectsByConsent(config) && problems.count() == before
                && schedules.values().stream().noneMatch(s -> s.rate().compareTo(KEEP_ALIVE_RATE) <= 0)) {
            problems.add(market.pathOf("schedules"), "must have a schedule of rate ≤ " + Durations.format(KEEP_ALIVE_RATE)
                    + " for market " + name + " (adapter.type " + ((MarketApiConfig) config.adapter().orElseThrow()).type().configName()
                    + "): the scheduler's run of a market also renews the refresh tokens that end within a day, so a mall "
                    + "nobody collects keeps its connection; without one it must consent again when its refresh token ends");
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new MarketInfrastructure(name, groupName.orElseThrow(), queues.orElseThrow(), collector.orElseThrow(),
                actions.orElseThrow(), schedules));
    }

    /**
     * On the DynamoDB limiter table, a market's shared budgets share one item, and each seller's, mall's or vendor's
     * instances another: the budgets of one item must not admit more than {@link LimiterStoreKind#MAX_UNITS_PER_ITEM}
     * units per window together, or their windows would not fit in the item.
     */
    private static void checkDynamoDbItems(Mapping market, String name, String group, MarketConfig config) {
        long shared = 0;
        long perInstance = 0;
        for (var b : config.budgets().values()) {
            if (b.scope().perInstance()) {
                perInstance += b.budget().limit();
            } else {
                shared += b.budget().limit();
            }
        }
        for (var item : List.of(Map.entry("shared budgets", shared), Map.entry("per-seller, -mall or -vendor budgets", perInstance))) {
            if (item.getValue() > LimiterStoreKind.MAX_UNITS_PER_ITEM) {
                market.problem("egressGroup", "market " + name + "'s " + item.getKey() + " admit " + item.getValue()
                        + " units per window together, but on group '" + group + "' (limiterStore: dynamodb) they share one "
                        + "DynamoDB item, which holds at most " + LimiterStoreKind.MAX_UNITS_PER_ITEM + ": lower the limits, or "
                        + "put the market on a group whose limiter store is valkey");
            }
        }
    }

    private void checkVisibility(Mapping market, String consumer, Queues queues, Consumer c) {
        Duration visibility = c.size().timeout().multipliedBy(queues.visibilityMultiplier());
        if (visibility.compareTo(MAX_VISIBILITY) > 0) {
            market.problem(consumer + ".timeout", "times queues.visibilityMultiplier (" + queues.visibilityMultiplier() + ") is "
                    + Durations.format(visibility) + ", over SQS's largest visibility timeout of 12h");
        }
    }

    private Optional<Queues> queues(Mapping queues) {
        int before = problems.count();
        Optional<Long> receives = queues.integer("maxReceiveCount", REQUIRED);
        receives.filter(n -> n < MIN_MAX_RECEIVE_COUNT || n > 1000).ifPresent(n -> queues.problem("maxReceiveCount",
                "must be between " + MIN_MAX_RECEIVE_COUNT + " and 1000 (each limiter deferral hands a message back and counts as "
                        + "a receive; fewer would dead-letter HIGH and MEDIUM work that must not be dropped), was " + n));
        Optional<Long> multiplier = queues.integer("visibilityMultiplier", REQUIRED);
        multiplier.filter(n -> n < MIN_VISIBILITY_MULTIPLIER || n > 100).ifPresent(n -> queues.problem("visibilityMultiplier",
                "must be ≥ " + MIN_VISIBILITY_MULTIPLIER + " (AWS: a queue's visibility timeout at least six times its consumer's "
                        + "timeout, so retries of a throttled function do not redeliver a message still in work), was " + n));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new Queues(receives.orElseThrow().intValue(), multiplier.orElseThrow().intValue()));
    }

    private Optional<Consumer> consumer(Mapping consumer) {
        int before = problems.count();
        Optional<FunctionSize> size = size(consumer, MAX_LAMBDA_TIMEOUT);
        Optional<Long> concurrency = consumer.integer("maxConcurrency", REQUIRED);
        concurrency.filter(n -> n < 2 || n > 1000).ifPresent(n -> consumer.problem("maxConcurrency",
                "must be between 2 and 1000 (the SQS event source's maximum concurrency), was " + n));
        Optional<Long> batch = consumer.integer("batchSize", REQUIRED);
        batch.filter(n -> n < 1 || n > 10).ifPresent(n -> consumer.problem("batchSize", "must be between 1 and 10, was " + n));
        // only a collector has the key (the mapping refuses it elsewhere): an action queue is FIFO, one message at a time
        Optional<Long> inFlight = consumer.integer("inFlight", OPTIONAL);
        inFlight.filter(n -> n < 1).ifPresent(n -> consumer.problem("inFlight", "must be ≥ 1, was " + n));
        inFlight.filter(n -> n > 1).ifPresent(n -> batch.filter(b -> n > b).ifPresent(b -> consumer.problem("inFlight",
                "must be ≤ batchSize (" + b + "): an instance never holds more messages than one batch, was " + n)));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new Consumer(size.orElseThrow(), concurrency.orElseThrow().intValue(), batch.orElseThrow().intValue(),
                inFlight.orElse(1L).intValue()));
    }

    private Optional<FunctionSize> size(Mapping function, Duration maxTimeout) {
        int before = problems.count();
        Optional<Long> memory = function.integer("memory", REQUIRED);
        memory.filter(m -> m < 128 || m > 10240).ifPresent(m -> function.problem("memory",
                "must be between 128 and 10240 (MB), was " + m));
        Optional<Duration> timeout = function.duration("timeout", REQUIRED);
        timeout.filter(t -> t.compareTo(Duration.ofSeconds(1)) < 0 || t.compareTo(maxTimeout) > 0 || t.toMillis() % 1000 != 0)
                .ifPresent(t -> function.problem("timeout", "must be whole seconds between 1s and " + Durations.format(maxTimeout)
                        + ", was " + Durations.format(t)));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new FunctionSize(memory.orElseThrow().intValue(), timeout.orElseThrow()));
    }

    private Optional<PlatformFunctions> functions(Mapping functions) {
        int before = problems.count();
        Optional<FunctionSize> api = functions.mapping("api", REQUIRED, FUNCTION_KEYS).flatMap(f -> size(f, MAX_API_TIMEOUT));
        Optional<FunctionSize> scheduler = functions.mapping("scheduler", REQUIRED, FUNCTION_KEYS).flatMap(f -> size(f, MAX_LAMBDA_TIMEOUT));
        Optional<FunctionSize> worker = functions.mapping("jobWorker", REQUIRED, FUNCTION_KEYS).flatMap(f -> size(f, MAX_LAMBDA_TIMEOUT));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new PlatformFunctions(api.orElseThrow(), scheduler.orElseThrow(), worker.orElseThrow()));
    }

    private Optional<Schedule> schedule(String path, String name, JsonNode node) {
        int before = problems.count();
        checkName(path, "schedule", name);
        Optional<Mapping> section = Mapping.of(node, path, SCHEDULE_KEYS, problems);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Mapping schedule = section.get();
        Optional<Duration> rate = schedule.duration("rate", REQUIRED);
        rate.filter(r -> r.compareTo(Duration.ofMinutes(1)) < 0 || r.toSeconds() % 60 != 0 || r.toNanos() % 1_000_000_000L != 0)
                .ifPresent(r -> schedule.problem("rate", "must be whole minutes, at least 1m, was " + Durations.format(r)));
        Optional<String> kind = schedule.text("kind", REQUIRED).map(k -> k.toLowerCase(Locale.ROOT));
        kind.filter(k -> !Schedule.KINDS.contains(k)).ifPresent(k -> schedule.problem("kind",
                "must be one of " + String.join(", ", Schedule.KINDS) + ", was '" + k + "'"));
        Optional<Duration> lookback = schedule.duration("lookback", OPTIONAL);
        lookback.filter(l -> l.isZero()).ifPresent(l -> schedule.problem("lookback", "must be > 0"));
        Optional<String> track = schedule.text("track", OPTIONAL);
        track.filter(t -> !t.equals(Schedule.TRACK_UNFINISHED)).ifPresent(t -> schedule.problem("track",
                "must be " + Schedule.TRACK_UNFINISHED + " (follow each unfinished order until it is final), was '" + t + "'"));
        Optional<Duration> maxAge = schedule.duration("maxAge", OPTIONAL);
        if (track.isPresent()) {
            kind.filter(k -> !k.equals("orders")).ifPresent(k -> schedule.problem("kind",
                    "must be orders with track (only orders are tracked), was '" + k + "'"));
            if (lookback.isPresent()) {
                schedule.problem("lookback", "is not taken with track: a tracking run re-collects each tracked order, not a range");
            }
            if (maxAge.isEmpty()) {
                schedule.problem("maxAge", "is required with track: how long an order is followed before it is given up, such as 14d");
            }
            maxAge.filter(a -> a.isZero() || a.compareTo(Schedule.MAX_TRACKING_AGE) > 0).ifPresent(a -> schedule.problem("maxAge",
                    "must be > 0 and at most " + Durations.format(Schedule.MAX_TRACKING_AGE) + ", was " + Durations.format(a)));
        } else if (maxAge.isPresent()) {
            schedule.problem("maxAge", "is taken only with track: " + Schedule.TRACK_UNFINISHED);
        }
        Optional<Duration> spread = schedule.duration("spreadOver", OPTIONAL);
        if (rate.isPresent() && spread.isPresent() && spread.get().compareTo(rate.get()) > 0) {
            schedule.problem("spreadOver", "must be ≤ rate (" + Durations.format(rate.get()) + "): the next run would start "
                    + "before this one has released its requests, was " + Durations.format(spread.get()));
        }
        Optional<Priority> priority = schedule.text("priority", OPTIONAL).flatMap(p -> {
            try {
                return Optional.of(Priority.valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                schedule.problem("priority", "must be one of high, medium, low, was '" + p + "'");
                return Optional.empty();
            }
        });
        if (problems.count() != before) {
            return Optional.empty();
        }
        if (track.isPresent()) {
            return Optional.of(new Schedule(name, rate.orElseThrow(), kind.orElseThrow(), maxAge.orElseThrow(),
                    spread.orElse(rate.orElseThrow()), priority.orElse(Priority.LOW), Optional.of(maxAge.orElseThrow())));
        }
        return Optional.of(new Schedule(name, rate.orElseThrow(), kind.orElseThrow(), lookback.orElse(rate.orElseThrow()),
                spread.orElse(rate.orElseThrow()), priority.orElse(Priority.MEDIUM)));
    }

    private Optional<ApiStage> apiStage(Mapping stage) {
        int before = problems.count();
        Optional<Double> rate = stage.number("rateLimit", REQUIRED);
        rate.filter(r -> !(r > 0)).ifPresent(r -> stage.problem("rateLimit", "must be > 0 (requests per second), was " + r));
        Optional<Long> burst = stage.integer("burstLimit", REQUIRED);
        burst.filter(b -> b < 1 || b > Integer.MAX_VALUE).ifPresent(b -> stage.problem("burstLimit", "must be ≥ 1, was " + b));
        Optional<ApiAuth> auth = stage.choice("auth", ApiAuth.class, REQUIRED);
        Optional<Long> quota = stage.integer("quotaPerDay", OPTIONAL);
        if (auth.orElse(null) == ApiAuth.API_KEYS && quota.isEmpty()) {
            stage.problem("quotaPerDay", "missing; required with auth api-keys: each key's requests per day in the usage plan");
        }
        if (auth.orElse(null) == ApiAuth.IAM && quota.isPresent()) {
            stage.problem("quotaPerDay", "must be absent with auth iam: quotas belong to API keys");
        }
        quota.filter(q -> q < 1).ifPresent(q -> stage.problem("quotaPerDay", "must be ≥ 1, was " + q));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new ApiStage(rate.orElseThrow(), burst.orElseThrow().intValue(), auth.orElseThrow(), quota.orElse(0L)));
    }

    /** Lambda's prices: USD per GB-second and per million requests, both required, each in a sane range. */
    private Optional<InfrastructureConfig.Pricing> pricing(Mapping pricing) {
        int before = problems.count();
        Optional<Double> gbSecond = pricing.number("lambdaGbSecond", REQUIRED);
        gbSecond.filter(p -> !(p > 0) || p > MAX_GB_SECOND_PRICE).ifPresent(p -> pricing.problem("lambdaGbSecond",
                "must be > 0 and ≤ " + MAX_GB_SECOND_PRICE + " (USD per GB-second, such as 0.0000166667), was " + p));
        Optional<Double> perMillion = pricing.number("lambdaRequestsPerMillion", REQUIRED);
        perMillion.filter(p -> !(p >= 0) || p > MAX_REQUESTS_PER_MILLION_PRICE).ifPresent(p -> pricing.problem(
                "lambdaRequestsPerMillion", "must be ≥ 0 and ≤ " + MAX_REQUESTS_PER_MILLION_PRICE
                        + " (USD per million requests, such as 0.20), was " + p));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new InfrastructureConfig.Pricing(gbSecond.orElseThrow(), perMillion.orElseThrow()));
    }

    private boolean checkDays(Mapping section, String key, Duration d) {
        if (d.compareTo(Duration.ofDays(1)) < 0 || d.toSeconds() % 86_400 != 0 || d.toNanos() % 1_000_000_000L != 0) {
            section.problem(key, "must be whole days, at least 1d (an S3 lifecycle expiry), was " + Durations.format(d));
            return false;
        }
        return true;
    }

    private void checkName(String path, String what, String name) {
        EnvironmentReader.checkName(problems, path, what, name);
    }
}
