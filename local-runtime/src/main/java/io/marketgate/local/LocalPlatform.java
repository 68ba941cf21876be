package io.marketgate.local;

import io.marketgate.config.AdapterConfig;
import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketApiConfig;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.BudgetScope;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.config.ReferenceRestConfig;
import io.marketgate.config.SecretValue;
import io.marketgate.embedded.EmbeddedValkeyException;
import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.EmbeddedEventBridge;
import io.marketgate.handlers.events.EventBridgeActionEvents;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.embedded.aws.EmbeddedSqs;
import io.marketgate.handlers.ActionsHandler;
import io.marketgate.handlers.CollectorHandler;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.MarketClients;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.handlers.store.Tables;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.dynamodb.DynamoDbLimiterStore;
import io.marketgate.limiter.dynamodb.DynamoDbStoreOptions;
import io.marketgate.limiter.dynamodb.LimiterTable;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.deployed.tokens.TokenCaches;
import io.marketgate.deployed.tokens.TokenEncryption;
import io.marketgate.deployed.tokens.ValkeyTokenCache;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.ConsentFlow;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketData;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.InMemoryTokenCache;
import io.marketgate.market.auth.TokenCache;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Penalty;
import io.marketgate.marketsim.Protocol;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.Throttle;
import io.marketgate.sellers.ConnectStates;
import io.marketgate.sellers.SecretDeletion;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The platform on one machine: Valkey (when {@code redis-server} or {@code valkey-server} is installed, else the
 * in-memory limiter store, said at start; a cluster of three masters with a replica each when the scenario has a
 * {@code clusterFailover}), an SQS- and a DynamoDB-compatible server, a Secrets Manager-compatible one
 * for the sellers' credentials (a removed seller's secret is deleted at once), the scenario's simulated
 * markets at their real limits, per market a collection queue and a FIFO action queue (each with a DLQ and a
 * redrive policy), the tables and the seller registry, and {@link SqsEventSource}s that invoke the real
 * {@link CollectorHandler} and {@link ActionsHandler} with at most {@code fleetSize} instances per market.
 *
 * <pre>{@code
 * try (LocalPlatform platform = LocalPlatform.start(environment, scenario, StoreKind.AUTO, System.err)) {
 *     platform.sendAction(...);
 * }
 * }</pre>
 */
public final class LocalPlatform implements AutoCloseable {
    /** Which limiter store to run. */
    public enum StoreKind {
        AUTO, VALKEY, MEMORY;

        /** From a command line's {@code --store auto|valkey|memory}; throws naming the option otherwise. */
        public static StoreKind parse(String option) {
            return switch (option == null ? "" : option.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "valkey" -> VALKEY;
                case "memory" -> MEMORY;
                default -> throw new IllegalArgumentException("--store is '" + option + "', must be auto, valkey or memory");
            };
        }
    }

    static final Duration LOCAL_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** A removed seller's secret is deleted at once: the platform's secrets live as long as it runs. */
    public static final SecretDeletion SECRET_DELETION = SecretDeletion.immediately();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<LimiterStore> stores = Collections.synchronizedList(new ArrayList<>());
    private final List<SqsEventSource> sources = new ArrayList<>();
    private final LambdaUsage lambdaUsage = new LambdaUsage();
    private final Map<String, LocalQueues.QueuePair> collectionQueues = new LinkedHashMap<>();
    private final Map<String, LocalQueues.QueuePair> actionQueues = new LinkedHashMap<>();
    /** Per market: its collector, then its actions consumer. */
    private final Map<String, List<DeployedConsumer>> consumers = new LinkedHashMap<>();
    private final Map<String, List<String>> sellers = new LinkedHashMap<>();
    private final LimiterRecorder recorder = new LimiterRecorder();
    private final EnvironmentConfig environment;
    private final Scenario scenario;
    private final PrintStream log;
    private String storeDescription;
    private TokenCache tokenCache;
    private MarketSim sim;
    private SqsClient sqs;
    private DynamoDbClient dynamoDb;
    private SecretsManagerClient secretsManager;
    private URI secretsManagerEndpoint;
    private Tables tables;
    private HandlerDependencies dependencies;
    private String valkeyUri;
    private URI sqsEndpoint;
    private URI dynamoDbEndpoint;
    private EmbeddedEventBridge eventBridge;
    private String actionsBus;
    private ValkeyServer valkey;
    private ValkeyCluster valkeyCluster;
    private ClusterFailoverFault failoverFault;
    /** Per market: the faults of its collector's deliveries, then its actions consumer's. */
    private final Map<String, List<DeliveryFaults>> deliveryFaults = new LinkedHashMap<>();
    /** Per market with a clockSkew fault: the clock of its skewed instances. */
    private final Map<String, SkewableClock> skewedClocks = new LinkedHashMap<>();

    private LocalPlatform(EnvironmentConfig environment, Scenario scenario, PrintStream log) {
        this.environment = environment;
        this.scenario = scenario;
        this.log = log;
    }

    /** Starts everything; on a failure, stops what had started and rethrows. */
    public static LocalPlatform start(EnvironmentConfig environment, Scenario scenario, StoreKind store, PrintStream log) {
        LocalPlatform p = new LocalPlatform(environment, scenario, log);
        try {
            p.startAll(store);
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    private void startAll(StoreKind storeKind) {
        Function<String, LimiterStore> sharedStore = startStore(storeKind);
        EmbeddedSqs sqsServer = EmbeddedSqs.start();
        closeables.add(sqsServer);
        EmbeddedDynamoDb dynamoServer = EmbeddedDynamoDb.start();
        closeables.add(dynamoServer);
        Function<String, LimiterStore> storeForMarket = storeKind == StoreKind.MEMORY ? sharedStore
                : withDynamoDbGroups(sharedStore, dynamoServer);
        sqsEndpoint = sqsServer.endpoint();
        dynamoDbEndpoint = dynamoServer.endpoint();
        sqs = sqsServer.client();
        closeables.add(sqs);
        dynamoDb = dynamoServer.client();
        closeables.add(dynamoDb);
        // the sellers' credentials live in the platform's own store, as they live in Secrets Manager when deployed
        EmbeddedSecretsManager secretsServer = EmbeddedSecretsManager.start();
        closeables.add(secretsServer);
        secretsManagerEndpoint = secretsServer.endpoint();
        secretsManager = secretsServer.client();
        closeables.add(secretsManager);
        // the actions' events (Action Done / Action Failed) go to the environment's bus, as deployed (<env>-actions)
        eventBridge = EmbeddedEventBridge.start();
        closeables.add(eventBridge);
        var eventBridgeClient = eventBridge.client();
        closeables.add(eventBridgeClient);
        actionsBus = environment.name() + "-actions";

        scenario.markets().forEach((market, setup) -> sellers.put(market,
                IntStream.rangeClosed(1, setup.sellers()).mapToObj(i -> String.format("%s-s%04d", market, i)).toList()));
        startSimulatedMarkets();
        EnvironmentConfig effective = pointAdaptersAtMarkets();

        String prefix = environment.name();
        tables = Tables.withPrefix(prefix + "-");
        TableSchemas.createAll(dynamoDb, tables);

        QueueDirectory.Builder queues = QueueDirectory.builder();
        for (String market : scenario.markets().keySet()) {
            DeployedConsumer collector = DeployedConsumer.of(environment, scenario, market, DeployedConsumer.Kind.COLLECTOR);
            DeployedConsumer actor = DeployedConsumer.of(environment, scenario, market, DeployedConsumer.Kind.ACTIONS);
            consumers.put(market, List.of(collector, actor));
            var c = LocalQueues.createWithDlq(sqs, prefix + "-" + market + "-collect", collector.visibility(),
                    collector.maxReceiveCount());
            var a = LocalQueues.createWithDlq(sqs, prefix + "-" + market + "-actions.fifo", actor.visibility(),
                    actor.maxReceiveCount());
            collectionQueues.put(market, c);
            actionQueues.put(market, a);
            queues.market(market, c.url(), a.url());
        }

        QueueDirectory directory = queues.build();
        java.util.function.Function<Clock, HandlerDependencies> withClock = clock -> HandlerDependencies.builder()
                .environment(effective)
                .dynamoDb(dynamoDb)
                .sqs(sqs)
                .secretsManager(secretsManager)
                .secretDeletion(SECRET_DELETION)
                .tables(tables)
                .queues(directory)
                .storeForMarket(storeForMarket)
                .limiterListener(recorder)
                .http(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build())
                .clock(clock)
                .envVars(Map.of("MARKETGATE_ENV", environment.name())::get)
                .maxLimiterWait(Duration.ofSeconds(2))
                .lowMaxAttempts(5)
                .tokenCache(tokenCache)
                .actionEvents(new EventBridgeActionEvents(eventBridgeClient, actionsBus))
                .ipPause(scenario.ipPause().orElse(HandlerDependencies.DEFAULT_IP_PAUSE))
                .build();
        dependencies = withClock.apply(Clock.systemUTC());
        for (Scenario.Fault f : scenario.faults()) {
            if (f instanceof Scenario.ClockSkew skew) {
                skewedClocks.computeIfAbsent(skew.onMarket(), m -> new SkewableClock());
            }
        }
        Map<String, HandlerDependencies> skewed = new LinkedHashMap<>();
        skewedClocks.forEach((market, clock) -> skewed.put(market, withClock.apply(clock)));
        seedSellers();
        connectMalls();

        for (String market : scenario.markets().keySet()) {
            // collectors and action consumers as deployed (DeployedConsumer): timeout, batch size, maxConcurrency
            DeployedConsumer collector = consumers.get(market).get(0);
            DeployedConsumer actor = consumers.get(market).get(1);
            DeliveryFaults collectorFaults = new DeliveryFaults(scenario.seed() + market.hashCode());
            DeliveryFaults actorFaults = new DeliveryFaults(scenario.seed() + market.hashCode() + 1);
            deliveryFaults.put(market, List.of(collectorFaults, actorFaults));
            // with a clockSkew fault on the market, its first instance of each function reads the skewed clock
            HandlerDependencies first = skewed.getOrDefault(market, dependencies);
            java.util.concurrent.atomic.AtomicInteger collectors = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger actors = new java.util.concurrent.atomic.AtomicInteger();
            sources.add(SqsEventSource.builder().sqs(sqs).queueUrl(collectionQueues.get(market).url())
                    .functionName(collector.function()).functionTimeout(collector.timeout()).memoryMb(collector.memoryMb())
                    .batchSize(collector.batchSize()).faults(collectorFaults).usage(lambdaUsage)
                    .maxConcurrency(collector.concurrency()).handler(() -> new CollectorHandler(
                            collectors.getAndIncrement() == 0 ? first : dependencies)).build().start());
            sources.add(SqsEventSource.builder().sqs(sqs).queueUrl(actionQueues.get(market).url())
                    .functionName(actor.function()).functionTimeout(actor.timeout()).memoryMb(actor.memoryMb())
                    .batchSize(actor.batchSize()).faults(actorFaults).usage(lambdaUsage)
                    .maxConcurrency(actor.concurrency()).handler(() -> new ActionsHandler(
                            actors.getAndIncrement() == 0 ? first : dependencies)).build().start());
        }
        log.printf("local platform: limiter %s; SQS %s; DynamoDB %s; Secrets Manager %s; markets %s%n", storeDescription,
                sqsServer.endpoint(), dynamoServer.endpoint(), secretsManagerEndpoint, describeMarkets(effective));
    }

    private Function<String, LimiterStore> startStore(StoreKind kind) {
        Optional<Scenario.ClusterFailover> failover = scenario.clusterFailover();
        if (failover.isPresent()) {
            if (kind == StoreKind.MEMORY) {
                throw new IllegalArgumentException(scenario.file() + ": faults[" + failover.get().index() + "].type: "
                        + "clusterFailover runs the limiter's store on a Valkey cluster; run with --store valkey or auto");
            }
            Function<String, LimiterStore> stores = startCluster(failover.get().nodeTimeout());
            failoverFault = new ClusterFailoverFault(failover.get(), valkeyCluster, List.copyOf(scenario.markets().keySet()), log);
            closeables.add(failoverFault);
            return stores;
        }
        if (kind != StoreKind.MEMORY) {
            try {
                ValkeyServer valkey = new ValkeyServer().start();
                closeables.add(valkey);
                this.valkey = valkey;
                valkeyUri = valkey.uri();
                // One machine runs Valkey, ElasticMQ, dynalite, the markets and every handler; under that load the
                // default 200 ms command timeout fires on scheduling delays, not on Valkey, and each timeout sends the
                // limiter into its failure mode (local fallback is not fleet-wide). The report counts store failures.
                ValkeyStoreOptions options = ValkeyStoreOptions.builder().keyPrefix(environment.limiter().keyPrefix())
                        .commandTimeout(LOCAL_COMMAND_TIMEOUT).build();
                storeDescription = "valkey " + valkey.uri() + " (" + valkey.binary() + ")";
                // the markets' access tokens beside the budgets, as in a deployment, sealed with a key made for this run
                ValkeyTokenCache tokens = TokenCaches.standalone(valkey.uri(), options, TokenEncryption.generated());
                closeables.add(tokens);
                tokenCache = tokens;
                // one connection per handler instance and market, as each Lambda instance opens its own
                return market -> {
                    LimiterStore s = ValkeyLimiterStore.standalone(valkey.uri(), options);
                    stores.add(s);
                    return s;
                };
            } catch (EmbeddedValkeyException e) {
                if (kind == StoreKind.VALKEY) {
                    throw e;
                }
                log.println("local platform: no redis-server or valkey-server found (" + e.getMessage()
                        + "); using the IN-MEMORY limiter store, which is shared only inside this JVM");
            }
        }
        InMemoryLimiterStore memory = InMemoryLimiterStore.create();
        storeDescription = memory.describe();
        tokenCache = new InMemoryTokenCache();
        return market -> memory;
    }

    /**
     * The limiter's store and the markets' tokens on a Valkey cluster of three masters with a replica each (as
     * ElastiCache runs it with replicas), its nodes' {@code cluster-node-timeout} {@code nodeTimeout}: for a scenario
     * with a {@code clusterFailover}. The stores' cluster client refreshes its topology periodically and on MOVED,
     * ASK and persistent reconnects ({@code ValkeyLimiterStore.cluster}), so it follows a failover.
     */
    private Function<String, LimiterStore> startCluster(Duration nodeTimeout) {
        ValkeyCluster cluster = ValkeyCluster.builder().masters(ValkeyCluster.MASTERS).replicasPerMaster(1)
                .nodeTimeout(nodeTimeout).start();
        closeables.add(cluster);
        this.valkeyCluster = cluster;
        List<String> seeds = cluster.seedUris();
        // as for the standalone Valkey: the local command timeout, since one machine runs everything
        ValkeyStoreOptions options = ValkeyStoreOptions.builder().keyPrefix(environment.limiter().keyPrefix())
                .commandTimeout(LOCAL_COMMAND_TIMEOUT).build();
        storeDescription = "valkey-cluster " + seeds + " (" + ValkeyCluster.MASTERS + " masters, 1 replica each, node timeout "
                + nodeTimeout.toMillis() + " ms; " + cluster.nodes().get(0).binary() + ")";
        ValkeyTokenCache tokens = ValkeyTokenCache.on(
                io.marketgate.limiter.valkey.ValkeyTokenStore.cluster(seeds, options), TokenEncryption.generated(),
                Clock.systemUTC());
        closeables.add(tokens);
        tokenCache = tokens;
        return market -> {
            LimiterStore s = ValkeyLimiterStore.cluster(seeds, options);
            stores.add(s);
            return s;
        };
    }

    /**
     * The stores as deployed: the markets of an egress group whose {@code limiterStore} is {@code dynamodb} (a dynamic-IP
     * group, outside the VPC) keep their budgets in the table {@code <env>-limiter} on this platform's DynamoDB, one
     * store (and client) per handler instance as each Lambda instance opens its own; the others get {@code shared}'s.
     */
    private Function<String, LimiterStore> withDynamoDbGroups(Function<String, LimiterStore> shared, EmbeddedDynamoDb server) {
        Set<String> onDynamoDb = environment.infrastructure().map(infra -> infra.markets().entrySet().stream()
                .filter(e -> infra.egressGroup(e.getValue().egressGroup()).limiterStore() == InfrastructureConfig.LimiterStoreKind.DYNAMODB)
                .map(Map.Entry::getKey).filter(scenario.markets()::containsKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new))).orElse(new java.util.TreeSet<>());
        if (onDynamoDb.isEmpty()) {
            return shared;
        }
        String table = environment.name() + "-limiter";
        try (DynamoDbClient admin = server.client()) {
            LimiterTable.create(admin, table);
        }
        DynamoDbStoreOptions options = DynamoDbStoreOptions.table(table).keyPrefix(environment.limiter().keyPrefix()).build();
        storeDescription += "; dynamodb " + table + " on dynalite for " + String.join(", ", onDynamoDb);
        return market -> {
            if (!onDynamoDb.contains(market)) {
                return shared.apply(market);
            }
            LimiterStore s = DynamoDbLimiterStore.create(server.client(), options);
            stores.add(s);
            return s;
        };
    }

    private void startSimulatedMarkets() {
        MarketSim.Builder builder = MarketSim.builder();
        boolean any = false;
        for (Scenario.MarketSetup setup : scenario.markets().values()) {
            if (!setup.simulated()) {
                continue;
            }
            any = true;
            String market = setup.market();
            var b = preset(market);
            if (protocolOf(market) == Protocol.REFERENCE) {
                b.apiKeys(apiKey(market, setup)); // the market's own protocols issue each seller's credentials themselves
            }
            b.sellers(sellers.get(market).toArray(String[]::new))
                    .seed(scenario.seed())
                    .ordersPerHour(setup.ordersPerHour())
                    .orderLifecycle(setup.orderLifecycle())
                    .latency(setup.latency());
            if (setup.penaltyAfter().isPresent()) {
                b.penalty(Penalty.after(setup.penaltyAfter().get(), setup.penaltyBlock().orElse(Duration.ofMinutes(1))));
            }
            builder.market(b.build());
        }
        if (any) {
            sim = builder.start();
            closeables.add(sim);
        }
    }

    /** The simulated protocol a market's adapter speaks: its own (Coupang, Naver, 11st, Cafe24) or the reference protocol. */
    private Protocol protocolOf(String market) {
        return switch (environment.market(market).adapter().map(AdapterConfig::type).orElse(AdapterType.REFERENCE_REST)) {
            case COUPANG -> Protocol.COUPANG;
            case NAVER -> Protocol.NAVER;
            case ELEVENST -> Protocol.ELEVENST;
            case CAFE24 -> Protocol.CAFE24;
            case REFERENCE_REST -> Protocol.REFERENCE;
        };
    }

    /**
     * The market's real rules (market-protocols.md): its own protocol's simulator where its adapter speaks one, a
     * reference-protocol preset where one exists, else its configured budgets as sliding windows.
     */
    private io.marketgate.marketsim.MarketConfig.Builder preset(String market) {
        switch (protocolOf(market)) {
            case COUPANG -> {
                return MarketPresets.coupangWing(market);
            }
            case NAVER -> {
                return MarketPresets.naverCommerce(market);
            }
            case ELEVENST -> {
                return MarketPresets.elevenStOpenApi(market);
            }
            case CAFE24 -> {
                return MarketPresets.cafe24Admin(market);
            }
            case REFERENCE -> { }
        }
        return switch (market) {
            // Coupang counts per vendor, and every seller is its own vendor (the limiter keys the vendor budget by
            // the seller's vendorId, which defaults to its id); the reference REST protocol carries one API key for
            // the market and the seller in the path, so the simulated vendor budget is per seller.
            case "coupang" -> MarketPresets.coupang()
                    .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.SELLER, 10, Duration.ofSeconds(1))));
            case "naver" -> MarketPresets.naver();
            case "11st" -> MarketPresets.elevenSt();
            case "cafe24" -> MarketPresets.cafe24();
            default -> {
                var b = io.marketgate.marketsim.MarketConfig.named(market).throttle(Throttle.http429());
                b.budgets(configuredBudgets(environment.market(market)));
                yield b;
            }
        };
    }

    /**
     * A market's configured budgets as the simulated market's sliding windows, for compliance against our own config: a
     * budget that the adapter's operations draw from only through some endpoints (Cafe24's token budget: the token
     * endpoint) counts those endpoints' arrivals alone.
     */
    static List<MarketBudget> configuredBudgets(MarketConfig market) {
        Map<String, Set<io.marketgate.marketsim.Endpoint>> endpoints = new java.util.HashMap<>();
        Map<String, String> operations = switch (market.adapter().orElse(null)) {
            case MarketApiConfig api -> api.calls();
            case ReferenceRestConfig rr -> rr.calls();
            case null -> Map.of();
        };
        operations.forEach((operation, call) -> {
            Set<io.marketgate.marketsim.Endpoint> reached = endpointsOf(operation);
            if (!reached.isEmpty() && market.calls().containsKey(call)) {
                for (String budget : market.call(call).budgets()) {
                    endpoints.computeIfAbsent(budget.substring(budget.indexOf('/') + 1), b -> new java.util.HashSet<>()).addAll(reached);
                }
            }
        });
        List<MarketBudget> out = new ArrayList<>();
        for (BudgetConfig b : market.budgets().values()) {
            Scope scope = switch (b.scope()) {
                // per-instance scopes are keyed by the seller in the limiter (Seller.instanceKey)
                case VENDOR, SELLER, MALL -> Scope.SELLER;
                case API_KEY -> Scope.API_KEY;
                case ENDPOINT -> Scope.API_KEY_ENDPOINT;
                case APP -> Scope.MARKET;
            };
            MarketBudget window = MarketBudget.slidingWindow(b.name(), scope, b.limit(), b.window());
            Set<io.marketgate.marketsim.Endpoint> only = endpoints.get(b.name());
            // the reference protocol's operations cover what its calls reach; an unmapped budget counts every endpoint
            out.add(only == null || market.adapter().orElse(null) instanceof ReferenceRestConfig ? window
                    : window.forEndpoints(only.toArray(io.marketgate.marketsim.Endpoint[]::new)));
        }
        return out;
    }

    /**
     * The simulator's endpoints an adapter operation reaches: its own ({@code listClaims} → {@code LIST_CLAIMS},
     * {@code answerInquiry} → {@code ANSWER_INQUIRY}) and those a protocol counts several operations under
     * ({@code CHANGE_PRODUCT}: Naver's and Cafe24's product updates; {@code DECIDE_CLAIM}: Naver's claim decisions); empty for
     * an operation the simulator has no endpoint for.
     */
    static Set<io.marketgate.marketsim.Endpoint> endpointsOf(String operation) {
        Set<io.marketgate.marketsim.Endpoint> out = java.util.EnumSet.noneOf(io.marketgate.marketsim.Endpoint.class);
        switch (operation) {
            case MarketApiConfig.TOKEN -> out.add(io.marketgate.marketsim.Endpoint.TOKEN);
            case MarketApiConfig.LIST_ORDERS -> out.add(io.marketgate.marketsim.Endpoint.LIST_ORDERS);
            case MarketApiConfig.GET_ORDER, MarketApiConfig.GET_ORDERS -> out.add(io.marketgate.marketsim.Endpoint.GET_ORDER);
            case MarketApiConfig.SHIP_ORDER -> out.add(io.marketgate.marketsim.Endpoint.CREATE_SHIPMENT);
            default -> {
                for (String kind : io.marketgate.config.Operations.KINDS) {
                    if (!kind.equals("orders") && io.marketgate.config.Operations.listOperation(kind).equals(operation)) {
                        out.add(io.marketgate.marketsim.Endpoint.valueOf("LIST_" + kind.toUpperCase(java.util.Locale.ROOT)));
                    }
                }
                for (String action : io.marketgate.config.Operations.ACTIONS) {
                    if (!action.equals("ship-order") && io.marketgate.config.Operations.actionOperation(action).equals(operation)) {
                        out.add(io.marketgate.marketsim.Endpoint.valueOf(action.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
                        if (action.startsWith("change-")) {
                            out.add(io.marketgate.marketsim.Endpoint.CHANGE_PRODUCT);
                        }
                        if (action.endsWith("-claim")) {
                            out.add(io.marketgate.marketsim.Endpoint.DECIDE_CLAIM);
                        }
                    }
                }
            }
        }
        return out;
    }

    static boolean perSeller(BudgetScope scope) {
        return scope.perInstance();
    }

    private String apiKey(String market, Scenario.MarketSetup setup) {
        if (setup.apiKey().isPresent()) {
            return setup.apiKey().get();
        }
        return referenceRest(market).apiKey().resolve(System::getenv);
    }

    private ReferenceRestConfig referenceRest(String market) {
        Optional<AdapterConfig> adapter = environment.market(market).adapter();
        if (adapter.isEmpty() || !(adapter.get() instanceof ReferenceRestConfig rr)) {
            throw new IllegalArgumentException("market '" + market + "' of environment '" + environment.name()
                    + "' has no adapter section; the local runtime drives markets with an adapter (reference-rest, coupang, naver, 11st, cafe24)");
        }
        return rr;
    }

    /** The environment with every scenario market's adapter pointed at its simulated market or the scenario's URL. */
    private EnvironmentConfig pointAdaptersAtMarkets() {
        Map<String, MarketConfig> markets = new LinkedHashMap<>(environment.markets());
        for (Scenario.MarketSetup setup : scenario.markets().values()) {
            MarketConfig m = environment.market(setup.market());
            if (m.adapter().orElse(null) instanceof MarketApiConfig api) {
                URI baseUrl = setup.baseUrl().orElseGet(() -> URI.create(sim.market(setup.market()).clientBaseUrl()));
                MarketApiConfig pointed = api.withBaseUrl(baseUrl);
                markets.put(m.name(), new MarketConfig(m.name(), m.displayName(), m.fleetSize(), m.failureModeKind(),
                        m.budgets(), m.calls(), Optional.of(pointed)));
                continue;
            }
            ReferenceRestConfig rr = referenceRest(setup.market());
            URI baseUrl = setup.baseUrl().orElseGet(() -> URI.create(sim.baseUrl(setup.market())));
            SecretValue key = setup.apiKey().<SecretValue>map(k ->
                    new SecretValue.Literal(k, scenario.file(), "markets." + setup.market() + ".apiKey")).orElse(rr.apiKey());
            ReferenceRestConfig pointed = new ReferenceRestConfig(baseUrl, key, rr.pageSize(), rr.maxRangePerCall(),
                    rr.requestTimeout(), rr.throttleCodes(), rr.calls());
            markets.put(m.name(), new MarketConfig(m.name(), m.displayName(), m.fleetSize(), m.failureModeKind(),
                    m.budgets(), m.calls(), Optional.of(pointed)));
        }
        return new EnvironmentConfig(environment.name(), environment.aws(), environment.limiter(), markets, environment.api(),
                environment.infrastructure());
    }

    private static String describeMarkets(EnvironmentConfig effective) {
        StringBuilder sb = new StringBuilder();
        effective.markets().forEach((name, m) -> m.adapter().ifPresent(a -> {
            if (a instanceof ReferenceRestConfig rr) {
                sb.append(sb.isEmpty() ? "" : ", ").append(name).append(" ").append(rr.baseUrl());
            } else if (a instanceof MarketApiConfig api) {
                sb.append(sb.isEmpty() ? "" : ", ").append(name).append(" ").append(api.baseUrl())
                        .append(" (").append(api.type().configName()).append(")");
            }
        }));
        return sb.toString();
    }

    /**
     * Registers the scenario's sellers: those of a market with its own protocol through the sellers' directory, with the
     * credentials their simulated market issued (into the local Secrets Manager, as {@code POST /v1/sellers} does); the
     * others, whose key is the environment's, in the table alone. Sellers of a market at a base URL of its own are
     * registered by the user ({@code marketgate sellers add --local}).
     */
    private void seedSellers() {
        SellerRegistry registry = new SellerRegistry(dynamoDb, tables.sellers());
        sellers.forEach((market, ids) -> {
            boolean ownProtocol = protocolOf(market) != Protocol.REFERENCE;
            if (ownProtocol && (sim == null || !scenario.markets().get(market).simulated())) {
                return;
            }
            for (String id : ids) {
                if (ownProtocol) {
                    Map<String, String> fields = new LinkedHashMap<>(sim.market(market).credentials(id) instanceof Cafe24Credentials mall
                            ? mall.registrationFields()    // the mall and its app; the connection comes from consent
                            : sim.market(market).credentials(id).fields());
                    fields.remove("sellerId");
                    dependencies.sellerDirectory().register(market, id, fields);
                } else {
                    registry.put(market, new Seller(id, Optional.empty(), Optional.empty()), true);
                }
            }
        });
    }

    /**
     * Connects every mall of each simulated market on Cafe24's protocol by its owner's consent, as
     * {@code GET /v1/sellers/{market}/{sellerId}/connect} and the callback do: a single-use state, the simulated mall's
     * consent page (its owner agrees; the 302 carries the code back to the environment's redirect URI), the state taken
     * back, the code exchanged through the limiter (a token call on the market's token budget) and the connection stored
     * sealed in the sellers table. A mall that does not connect stops the start, naming it.
     */
    private void connectMalls() {
        if (sim == null) {
            return;
        }
        for (Scenario.MarketSetup setup : scenario.markets().values()) {
            if (!setup.simulated() || protocolOf(setup.market()) != Protocol.CAFE24) {
                continue;
            }
            String market = setup.market();
            ConsentFlow flow = dependencies.adapter(market).consent().orElseThrow(() -> new IllegalStateException(
                    "market " + market + "'s adapter has no consent flow"));
            ConnectStates states = dependencies.connectStates();
            SellerRegistry registry = dependencies.sellers();
            MarketClient client = new MarketClients(dependencies, HandlerMetrics.powertools()).client(market);
            HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            List<String> ids = sellers.get(market);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(4, Math.max(1, ids.size())))) {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (String id : ids) {
                    done.add(pool.submit(() -> {
                        connect(market, registry.record(market, id).orElseThrow().seller(), flow, states, client, browser);
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get();
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting the malls of " + market, e);
            }
            log.printf("local platform: %d malls of %s connected by consent%n", ids.size(), market);
        }
    }

    /**
     * The owner of {@code sellerId}'s mall consents again, through the market's consent page and the callback, as at
     * the platform's start: what heals a seller marked {@code reconnect-required} (a refresh token revoked or expired).
     *
     * @throws IllegalArgumentException when the market's sellers do not connect by consent, or the seller is unknown
     */
    public void reconnect(String market, String sellerId) {
        ConsentFlow flow = dependencies.adapter(market).consent().orElseThrow(() -> new IllegalArgumentException(
                "market " + market + "'s sellers do not connect by consent"));
        Seller seller = dependencies.sellers().record(market, sellerId).orElseThrow(() -> new IllegalArgumentException(
                "market " + market + " has no seller '" + sellerId + "'")).seller();
        MarketClient client = new MarketClients(dependencies, HandlerMetrics.powertools()).client(market);
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try {
            connect(market, seller, flow, dependencies.connectStates(), client, browser);
            // as the API's callback does after the exchange (ConnectionsApi)
            dependencies.sellers().markReconnected(market, sellerId, dependencies.clock().instant());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the consent of " + market + " seller " + sellerId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + market + " seller " + sellerId + " consented", e);
        }
    }

    private void connect(String market, Seller seller, ConsentFlow flow, ConnectStates states, MarketClient client,
            HttpClient browser) throws java.io.IOException, InterruptedException {
        String state = states.issue(market, seller.id());
        HttpResponse<Void> page = browser.send(HttpRequest.newBuilder(flow.consentUrl(seller, state)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        Map<String, String> back = page.headers().firstValue("Location").map(l -> query(URI.create(l))).orElse(Map.of());
        if (page.statusCode() != 302 || !back.containsKey("code") || !back.containsKey("state")) {
            throw new IllegalStateException("the consent page of " + market + " seller " + seller.id() + " answered "
                    + page.statusCode() + " without a code and state");
        }
        if (!(states.take(back.get("state")) instanceof ConnectStates.Taken.Found found)
                || !found.sellerId().equals(seller.id()) || !found.market().equals(market)) {
            throw new IllegalStateException("the consent of " + market + " seller " + seller.id() + " came back with another state");
        }
        CallOutcome outcome = client.execute(flow.planExchange(seller, back.get("code")), Priority.HIGH, Duration.ofSeconds(30));
        if (!(outcome instanceof CallOutcome.Ok(MarketData.TokenPair pair))) {
            throw new IllegalStateException("the code of " + market + " seller " + seller.id() + " was not exchanged: "
                    + dependencies.credentials().mask(market, seller.id(), String.valueOf(outcome)));
        }
        flow.connected(seller, pair);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                        kv.length < 2 ? "" : java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public HandlerDependencies dependencies() {
        return dependencies;
    }

    public EnvironmentConfig environment() {
        return dependencies.environment();
    }

    /** The simulated markets, or empty when every market of the scenario is at a base URL of its own. */
    public Optional<MarketSim> sim() {
        return Optional.ofNullable(sim);
    }

    public SqsClient sqs() {
        return sqs;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public Tables tables() {
        return tables;
    }

    public LimiterRecorder recorder() {
        return recorder;
    }

    public String storeDescription() {
        return storeDescription;
    }

    /** The limiter's Valkey ({@code redis://127.0.0.1:PORT}), or empty when the platform runs the in-memory store. */
    public Optional<String> valkeyUri() {
        return Optional.ofNullable(valkeyUri);
    }

    /** The limiter's Valkey process (to pause, kill and restart it), or empty when the platform runs the in-memory store. */
    public Optional<ValkeyServer> valkey() {
        return Optional.ofNullable(valkey);
    }

    /**
     * The limiter's Valkey cluster (to fail a master over), or empty when the platform runs one standalone Valkey or the
     * in-memory store: the platform runs a cluster when its scenario has a {@code clusterFailover}.
     */
    public Optional<ValkeyCluster> valkeyCluster() {
        return Optional.ofNullable(valkeyCluster);
    }

    /** The scenario's {@code clusterFailover} on this platform's cluster, or empty without one. */
    Optional<ClusterFailoverFault> failoverFault() {
        return Optional.ofNullable(failoverFault);
    }

    /** The faults of the market's collector's deliveries (kills, duplicates). */
    public DeliveryFaults collectorFaults(String market) {
        return deliveryFaults.get(market).get(0);
    }

    /** The faults of the market's actions consumer's deliveries. */
    public DeliveryFaults actionFaults(String market) {
        return deliveryFaults.get(market).get(1);
    }

    /**
     * Sets the skew of the market's skewed instances' clock (the first instance of its collector and of its actions
     * consumer); only for a market the scenario has a {@code clockSkew} fault on.
     */
    public void skewClock(String market, Duration skew) {
        SkewableClock clock = skewedClocks.get(market);
        if (clock == null) {
            throw new IllegalArgumentException("market " + market + " has no clockSkew fault in scenario " + scenario.name());
        }
        clock.skew(skew);
    }

    /** The embedded SQS server's endpoint, for clients outside the platform (operator commands with --local). */
    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    /** The sellers' secrets: the platform's Secrets Manager-compatible server. */
    public SecretsManagerClient secretsManager() {
        return secretsManager;
    }

    /** The embedded Secrets Manager's endpoint, for operator commands with --local. */
    public URI secretsManagerEndpoint() {
        return secretsManagerEndpoint;
    }

    /** The embedded EventBridge, where the actions' events are kept (on {@link #actionsBus()}). */
    public EmbeddedEventBridge eventBridge() {
        return eventBridge;
    }

    /** The environment's actions event bus, {@code <env>-actions}, as the CDK app names it. */
    public String actionsBus() {
        return actionsBus;
    }

    /** The embedded DynamoDB server's endpoint. */
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public List<String> sellers(String market) {
        return sellers.get(market);
    }

    public LocalQueues.QueuePair collectionQueue(String market) {
        return collectionQueues.get(market);
    }

    public LocalQueues.QueuePair actionQueue(String market) {
        return actionQueues.get(market);
    }

    /** What Lambda would bill for the platform's invocations: the consumers' and whatever else records here (the scheduler's). */
    public LambdaUsage lambdaUsage() {
        return lambdaUsage;
    }

    public List<SqsEventSource> sources() {
        return List.copyOf(sources);
    }

    /** Messages still in the main queues (visible, in flight or delayed). */
    public long queuedMessages() {
        long n = 0;
        for (var q : collectionQueues.values()) {
            n += LocalQueues.depth(sqs, q.url());
        }
        for (var q : actionQueues.values()) {
            n += LocalQueues.depth(sqs, q.url());
        }
        return n;
    }

    /** Messages still in the collection queues ({@code collections}) or in the action queues (visible, in flight or delayed). */
    public long queuedMessages(boolean collections) {
        long n = 0;
        for (var q : (collections ? collectionQueues : actionQueues).values()) {
            n += LocalQueues.depth(sqs, q.url());
        }
        return n;
    }

    /** Per market: its collector, then its actions consumer, as this platform runs them. */
    Map<String, List<DeployedConsumer>> consumers() {
        return Collections.unmodifiableMap(consumers);
    }

    /** Messages the redrive policies moved to the dead-letter queues. */
    public long deadLetters() {
        return deadLettersByQueue().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Messages in each dead-letter queue, by the name of the queue it serves, in the order the queues were made. */
    public Map<String, Long> deadLettersByQueue() {
        Map<String, Long> byQueue = new LinkedHashMap<>();
        for (var q : collectionQueues.values()) {
            byQueue.put(q.name(), LocalQueues.depth(sqs, q.dlqUrl()));
        }
        for (var q : actionQueues.values()) {
            byQueue.put(q.name(), LocalQueues.depth(sqs, q.dlqUrl()));
        }
        return byQueue;
    }

    /**
     * Why each message in the dead-letter queues is there, counted by {@code <queue>: [PRIORITY] reason}: the reason its
     * collection request last recorded in the requests table, or its action in its record (the last hand-back's or
     * failure's), with ids and numbers blanked so that alike reasons count together; {@code no reason recorded} where
     * there is none. The messages are read with a visibility
     * that outlasts the run (the report reads them once, at the end).
     */
    public Map<String, Long> deadLetterReasons() {
        Map<String, Long> reasons = new java.util.TreeMap<>();
        List<LocalQueues.QueuePair> all = new ArrayList<>(collectionQueues.values());
        all.addAll(actionQueues.values());
        for (LocalQueues.QueuePair q : all) {
            while (true) {
                var messages = sqs.receiveMessage(b -> b.queueUrl(q.dlqUrl()).maxNumberOfMessages(10).visibilityTimeout(600)
                        .waitTimeSeconds(0)).messages();
                if (messages.isEmpty()) {
                    break;
                }
                for (var m : messages) {
                    reasons.merge(q.name() + ": " + reasonOf(m.body()), 1L, Long::sum);
                }
            }
        }
        return reasons;
    }

    /**
     * {@code [PRIORITY] reason} of one dead letter: a collection request's last reason in the requests table, an action's
     * in its record ({@code action#<id>} in the idempotency table: its reason, else the reason of its last hand-back).
     */
    private String reasonOf(String body) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            return "not JSON: " + SimulationReport.blanked(body);
        }
        if (node != null && node.hasNonNull("actionId")) {
            String key = io.marketgate.handlers.store.ActionRecords.PREFIX + node.get("actionId").asText();
            var item = dynamoDb.getItem(b -> b.tableName(tables.idempotency()).key(Map.of("pk",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(key)))).item();
            String reason = item == null ? "" : SimulationRun.RequestTally.text(item, "reason");
            String retry = item == null ? "" : SimulationRun.RequestTally.text(item, "lastRetry");
            return "[HIGH] " + (!reason.isBlank() ? SimulationReport.blanked(reason)
                    : !retry.isBlank() ? SimulationReport.blanked(retry) : "no reason recorded");
        }
        if (node == null || !node.hasNonNull("requestId")) {
            return "no request id in the message";
        }
        String requestId = node.get("requestId").asText();
        String priority = node.hasNonNull("priority") ? node.get("priority").asText() : "MEDIUM";
        var item = dynamoDb.getItem(b -> b.tableName(tables.requests()).key(Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(requestId)))).item();
        String reason = item == null ? "" : SimulationRun.RequestTally.text(item, "reason");
        String status = item == null ? "" : SimulationRun.RequestTally.text(item, "status");
        return "[" + priority + "] " + (reason.isBlank() ? "no reason recorded" + (status.isBlank() ? "" : " (status " + status + ")")
                : SimulationReport.blanked(reason));
    }

    /** Stops the pollers (letting batches in flight finish), the stores, the markets and the servers, in that order. */
    @Override
    public void close() {
        for (SqsEventSource s : sources) {
            s.close();
        }
        synchronized (stores) {
            for (LimiterStore s : stores) {
                quietly(s);
            }
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            quietly(closeables.get(i));
        }
    }

    private void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.println("local platform: " + c.getClass().getSimpleName() + " did not close cleanly: " + e.getMessage());
        }
    }
}
