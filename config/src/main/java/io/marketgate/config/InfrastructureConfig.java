package io.marketgate.config;

import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the CDK app deploys for one environment: the {@code infrastructure:} section of
 * {@code environments/<env>.yaml}. Sizes and names only; everything account-specific stays in {@code aws:}.
 *
 * <pre>{@code
 * InfrastructureConfig infra = environment.infrastructure().orElseThrow();
 * infra.market("coupang").collector().maxConcurrency();   // 2: the collector's SQS maximum concurrency
 * infra.egressGroup(infra.market("coupang").egressGroup()).natGateways();   // fixed IPs for the allow-list
 * }</pre>
 *
 * @param vpc the VPC's address range and availability zones
 * @param egressGroups by name, in file order: each fixed-IP group its own NAT gateways and Elastic IPs
 * @param valkey the limiter's store
 * @param markets per market (every market of the environment has one)
 * @param functions the API, scheduler fan-out and background job worker functions
 * @param logRetentionDays how long every function's log group keeps its lines
 * @param apiStage the REST API stage's throttling and how callers authenticate
 * @param deployment how a new function version is shifted to (CodeDeploy)
 * @param exportExpiry how long export results stay in the export bucket
 * @param pricing what Lambda charges in the environment's region, for the local platform's cost estimate; empty when
 *                the file has no {@code pricing}
 */
public record InfrastructureConfig(
        Vpc vpc,
        Map<String, EgressGroup> egressGroups,
        Valkey valkey,
        Map<String, MarketInfrastructure> markets,
        PlatformFunctions functions,
        int logRetentionDays,
        ApiStage apiStage,
        DeploymentKind deployment,
        Duration exportExpiry,
        Optional<Pricing> pricing) {

    /** The retention periods CloudWatch Logs accepts, in days. */
    public static final List<Integer> LOG_RETENTION_DAYS = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    public InfrastructureConfig {
        Objects.requireNonNull(vpc, "vpc");
        Objects.requireNonNull(valkey, "valkey");
        Objects.requireNonNull(functions, "functions");
        Objects.requireNonNull(apiStage, "apiStage");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(exportExpiry, "exportExpiry");
        Objects.requireNonNull(pricing, "pricing");
        egressGroups = Collections.unmodifiableMap(new LinkedHashMap<>(egressGroups));
        markets = Collections.unmodifiableMap(new LinkedHashMap<>(markets));
    }

    /** Without prices: no cost estimate. */
    public InfrastructureConfig(Vpc vpc, Map<String, EgressGroup> egressGroups, Valkey valkey,
            Map<String, MarketInfrastructure> markets, PlatformFunctions functions, int logRetentionDays, ApiStage apiStage,
            DeploymentKind deployment, Duration exportExpiry) {
        this(vpc, egressGroups, valkey, markets, functions, logRetentionDays, apiStage, deployment, exportExpiry,
                Optional.empty());
    }

    /**
     * Lambda's on-demand prices in the environment's region and architecture ({@code infrastructure.pricing}), which
     * the local platform multiplies with what a run used: GB-seconds (billed duration, rounded up to 1 ms, × configured
     * memory) and requests (invocations). Free tier and tiered discounts are left out: the estimate is what one more
     * run adds to a bill already past them.
     *
     * <pre>{@code
     * pricing.cost(1_234.5, 20_000);   // USD for 1,234.5 GB-s and 20,000 invocations
     * }</pre>
     *
     * @param lambdaGbSecond USD per GB-second of duration
     * @param lambdaRequestsPerMillion USD per million requests
     */
    public record Pricing(double lambdaGbSecond, double lambdaRequestsPerMillion) {
        public Pricing {
            if (!(lambdaGbSecond > 0) || !(lambdaRequestsPerMillion >= 0)) {
                throw new IllegalArgumentException("pricing needs lambdaGbSecond > 0 and lambdaRequestsPerMillion ≥ 0, was "
                        + lambdaGbSecond + " and " + lambdaRequestsPerMillion);
            }
        }

        /** USD for {@code gbSeconds} of duration and {@code requests} invocations. */
        public double cost(double gbSeconds, long requests) {
            return gbSeconds * lambdaGbSecond + requests * lambdaRequestsPerMillion / 1_000_000.0;
        }
    }

    /** The infrastructure of {@code market}; throws {@link IllegalArgumentException} listing the configured ones. */
    public MarketInfrastructure market(String market) {
        MarketInfrastructure m = markets.get(market);
        if (m == null) {
            throw new IllegalArgumentException("no infrastructure for market '" + market + "'; configured: " + markets.keySet());
        }
        return m;
    }

    /** The egress group named {@code name}; throws {@link IllegalArgumentException} listing the configured ones. */
    public EgressGroup egressGroup(String name) {
        EgressGroup g = egressGroups.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no egress group '" + name + "'; configured: " + egressGroups.keySet());
        }
        return g;
    }

    /** The fixed-IP group that the API, scheduler and job worker run in: the first one of the file. */
    public EgressGroup platformGroup() {
        return egressGroups.values().stream().filter(EgressGroup::fixedIp).findFirst()
                .orElseThrow(() -> new IllegalStateException("no fixed-ip egress group"));
    }

    /**
     * The VPC.
     *
     * @param cidr an IPv4 range such as {@code 10.20.0.0/16}
     * @param maxAzs how many availability zones its subnets span, 2 or more
     */
    public record Vpc(String cidr, int maxAzs) {
        public Vpc {
            Objects.requireNonNull(cidr, "cidr");
        }
    }

    /**
     * A set of functions that reach the markets the same way.
     *
     * @param name the group's key in the file
     * @param kind fixed IPs through its own NAT gateways, or dynamic IPs outside the VPC
     * @param natGateways for a fixed-IP group, how many NAT gateways (and Elastic IPs) it has; 0 for a dynamic group
     * @param limiterStore where its functions' limiter keeps the budgets: the environment's Valkey (inside the VPC
     *                     only), or the environment's DynamoDB limiter table (reachable from anywhere)
     */
    public record EgressGroup(String name, EgressKind kind, int natGateways, LimiterStoreKind limiterStore) {
        public EgressGroup {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(limiterStore, "limiterStore");
        }

        /** A group whose limiter is on the environment's Valkey. */
        public EgressGroup(String name, EgressKind kind, int natGateways) {
            this(name, kind, natGateways, LimiterStoreKind.VALKEY);
        }

        public boolean fixedIp() {
            return kind == EgressKind.FIXED_IP;
        }
    }

    /** Where an egress group's functions keep the limiter's budgets ({@code infrastructure.egressGroups.<g>.limiterStore}). */
    public enum LimiterStoreKind implements ConfigName {
        /** The environment's ElastiCache Valkey: inside the VPC, so for fixed-IP groups; the default. */
        VALKEY("valkey"),
        /**
         * The environment's DynamoDB limiter table ({@code <env>-limiter}), reachable from outside the VPC: for a dynamic-IP
         * group's markets. One item holds a market's shared budgets, another each seller's, mall's or vendor's; it suits
         * budgets of tens of calls per second per item (docs/limiter.md).
         */
        DYNAMODB("dynamodb");

        /**
         * The most cost units per window the budgets of one DynamoDB item may admit together (the limits of a market's
         * shared budgets summed, or of its per-seller, -mall or -vendor budgets summed): at about 4 bytes per admitted
         * call, half of DynamoDB's 400 KB item.
         */
        public static final long MAX_UNITS_PER_ITEM = 50_000;

        private final String configName;

        LimiterStoreKind(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** Whether any egress group keeps its limiter in the DynamoDB limiter table (the CDK app then deploys the table). */
    public boolean usesDynamoDbLimiter() {
        return egressGroups.values().stream().anyMatch(g -> g.limiterStore() == LimiterStoreKind.DYNAMODB);
    }

    /** How an egress group reaches the internet. */
    public enum EgressKind implements ConfigName {
        /** Private subnets behind the group's own NAT gateways with retained Elastic IPs (for markets' allow-lists). */
        FIXED_IP("fixed-ip"),
        /** Outside the VPC: no NAT cost, changing IPs, and no way to reach ElastiCache. */
        DYNAMIC("dynamic");

        private final String configName;

        EgressKind(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /**
     * The limiter's Valkey (ElastiCache).
     *
     * @param mode serverless, or node-based with the sizes below
     * @param nodeType for node-based: the cache node type, such as {@code cache.t4g.small}
     * @param shards for node-based: node groups (cluster mode)
     * @param replicasPerShard for node-based: replicas in each node group
     */
    public record Valkey(ValkeyMode mode, Optional<String> nodeType, int shards, int replicasPerShard) {
        public Valkey {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(nodeType, "nodeType");
        }
    }

    /** Serverless or node-based Valkey. */
    public enum ValkeyMode implements ConfigName {
        SERVERLESS("serverless"),
        NODES("nodes");

        private final String configName;

        ValkeyMode(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /**
     * One market's queues, consumers and schedules.
     *
     * @param egressGroup the group its collector and actions functions run in
     * @param queues redrive and visibility of both queues
     * @param collector the collection queue's consumer
     * @param actions the action queue's consumer
     * @param schedules by name, in file order
     */
    public record MarketInfrastructure(
            String market, String egressGroup, Queues queues, Consumer collector, Consumer actions, Map<String, Schedule> schedules) {
        public MarketInfrastructure {
            Objects.requireNonNull(market, "market");
            Objects.requireNonNull(egressGroup, "egressGroup");
            Objects.requireNonNull(queues, "queues");
            Objects.requireNonNull(collector, "collector");
            Objects.requireNonNull(actions, "actions");
            schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
        }
    }

    /**
     * @param maxReceiveCount deliveries before a message goes to the DLQ, ≥ 10 (a deferral hands a message back)
     * @param visibilityMultiplier the queue's visibility timeout as a multiple of its consumer's timeout, ≥ 6 (AWS's advice)
     */
    public record Queues(int maxReceiveCount, int visibilityMultiplier) {}

    /** A function's size. */
    public record FunctionSize(int memoryMb, Duration timeout) {
        public FunctionSize {
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /**
     * An SQS consumer function.
     *
     * @param size memory and timeout
     * @param maxConcurrency the event source's maximum concurrency (2 to 1000)
     * @param batchSize messages per invocation (1 to 10)
     * @param inFlight how many messages of a batch one instance works on at once (a collector's {@code inFlight}, 1 to
     *     {@code batchSize}; default 1, one after another): each its own virtual thread, every call still drawn from
     *     the limiter. A budget of {@code limit} calls/s at a market answering in {@code latency} needs at least
     *     {@code limit × latency} calls in flight across the fleet
     */
    public record Consumer(FunctionSize size, int maxConcurrency, int batchSize, int inFlight) {
        public Consumer {
            Objects.requireNonNull(size, "size");
            if (inFlight < 1) {
                throw new IllegalArgumentException("inFlight is " + inFlight + ", must be ≥ 1");
            }
        }

        /** A consumer working on one message at a time. */
        public Consumer(FunctionSize size, int maxConcurrency, int batchSize) {
            this(size, maxConcurrency, batchSize, 1);
        }
    }

    /**
     * An EventBridge Scheduler schedule of the fan-out.
     *
     * @param name the schedule's key in the file
     * @param rate how often it fires (whole minutes)
     * @param kind what it collects: orders, claims, inquiries, reviews, products or settlements, one its market offers
     *     ({@link MarketConfig#offersKind})
     * @param lookback the time range each request covers
     * @param spreadOver the period over which the fan-out releases the requests (≤ rate)
     * @param priority the requests' priority (a tracking schedule's default: low)
     * @param trackUnfinishedFor with {@code track: unfinished}, the schedule's {@code maxAge}: each run re-collects every
     *     tracked unfinished order of the market once (its per-order call), spread over {@code spreadOver}, and gives up
     *     on those tracked for longer; {@code lookback} is then the same age. Empty for a collection of the last
     *     {@code lookback}
     */
    public record Schedule(String name, Duration rate, String kind, Duration lookback, Duration spreadOver, Priority priority,
            Optional<Duration> trackUnfinishedFor) {
        /** The kinds a schedule may collect, as the scheduler's payload spells them. */
        public static final List<String> KINDS = Operations.KINDS;
        /** The one value of {@code track}. */
        public static final String TRACK_UNFINISHED = "unfinished";
        /** The longest a tracking schedule may follow an order (Cafe24 lists 3 months back; orders end far sooner). */
        public static final Duration MAX_TRACKING_AGE = Duration.ofDays(90);

        public Schedule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(rate, "rate");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(lookback, "lookback");
            Objects.requireNonNull(spreadOver, "spreadOver");
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(trackUnfinishedFor, "trackUnfinishedFor");
        }

        /** A collection of the last {@code lookback}. */
        public Schedule(String name, Duration rate, String kind, Duration lookback, Duration spreadOver, Priority priority) {
            this(name, rate, kind, lookback, spreadOver, priority, Optional.empty());
        }

        /** Whether the schedule follows the unfinished orders rather than collecting a range. */
        public boolean tracksUnfinished() {
            return trackUnfinishedFor.isPresent();
        }

        /** The kind as the scheduler's payload carries it ({@code ORDERS}). */
        public String payloadKind() {
            return kind.toUpperCase(Locale.ROOT);
        }
    }

    /** The functions that are not per market. */
    public record PlatformFunctions(FunctionSize api, FunctionSize scheduler, FunctionSize jobWorker) {
        public PlatformFunctions {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(jobWorker, "jobWorker");
        }
    }

    /**
     * The REST API's stage.
     *
     * @param rateLimit steady requests per second across the stage
     * @param burstLimit the stage's burst
     * @param auth how callers authenticate
     * @param quotaPerDay with API keys: each key's daily quota in the usage plan
     */
    public record ApiStage(double rateLimit, int burstLimit, ApiAuth auth, long quotaPerDay) {
        public ApiStage {
            Objects.requireNonNull(auth, "auth");
        }
    }

    /** How callers of the REST API authenticate. */
    public enum ApiAuth implements ConfigName {
        /** An API key per client, in a usage plan with the stage's throttling and a daily quota. */
        API_KEYS("api-keys"),
        /** SigV4-signed requests (IAM authorization on every method). */
        IAM("iam");

        private final String configName;

        ApiAuth(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** How CodeDeploy shifts traffic to a new version of a function's {@code live} alias. */
    public enum DeploymentKind implements ConfigName {
        ALL_AT_ONCE("all-at-once"),
        CANARY_10_PERCENT_5_MINUTES("canary-10percent-5minutes"),
        CANARY_10_PERCENT_10_MINUTES("canary-10percent-10minutes"),
        CANARY_10_PERCENT_15_MINUTES("canary-10percent-15minutes"),
        CANARY_10_PERCENT_30_MINUTES("canary-10percent-30minutes"),
        LINEAR_10_PERCENT_EVERY_1_MINUTE("linear-10percent-every-1minute"),
        LINEAR_10_PERCENT_EVERY_3_MINUTES("linear-10percent-every-3minutes"),
        LINEAR_10_PERCENT_EVERY_10_MINUTES("linear-10percent-every-10minutes");

        private final String configName;

        DeploymentKind(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }
}
