package io.marketgate.devtools.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.aws.EmbeddedSqs;
import io.marketgate.embedded.aws.LocalAws;
import io.marketgate.handlers.CollectorHandler;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.handlers.store.Tables;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.market.DataKind;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.Latency;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Pagination;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.Throttle;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The collector section of {@code marketgate bench}: decisions per second (each a market call drawn from the limiter in
 * Valkey) through one instance's collector, the real {@link CollectorHandler} on one batch, with its messages collected
 * one at a time against several at once ({@code infrastructure.markets.<m>.collector.inFlight}), side by side in one
 * run, against simulated markets whose network takes a fixed {@value #LATENCY_MS} ms a call ({@link Latency#fixed}).
 * Two targets, each printed as met or
 * missed:
 * <ul>
 *   <li>a 10 calls/s budget full at 150 ms latency (at least 1.5 calls in flight; one at a time reaches 6.7/s at most);</li>
 *   <li>one seller's collection (seven days, one message per day as the API splits it) using its whole per-vendor
 *       budget of 10 calls/s (Coupang's).</li>
 * </ul>
 * Rates are counted at the market over the whole seconds from the first call; a target is met at
 * {@value #MET_SHARE} of the budget or more. The collections are MEDIUM; the budgets open their whole limit to MEDIUM
 * (by default MEDIUM may hold 80% of a window, the rest kept for HIGH, and a full budget is then 8 calls/s).
 */
final class CollectorBench {

    static final long LATENCY_MS = 150;
    static final int BUDGET = 10;
    static final double MET_SHARE = 0.95;
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Tables TABLES = Tables.withPrefix("bench-");

    /** One collection of a batch by one instance, as the market saw it. */
    record Run(String market, int inFlight, int messages, int calls, int maxInFlight, int countedCalls, int countedSeconds) {
        double perSecond() {
            return countedSeconds == 0 ? 0 : (double) countedCalls / countedSeconds;
        }
    }

    /** A target and the run that is held against it. */
    record Target(String rule, Run baseline, Run run) {
        boolean met() {
            return run.perSecond() >= MET_SHARE * BUDGET;
        }

        String line() {
            return String.format(Locale.ROOT, "%s: %.1f/s of %d — %s (1 in flight: %.1f/s; the bound at 1 in flight is "
                    + "1 / %d ms = %.1f/s)", rule, run.perSecond(), BUDGET, met() ? "met" : "MISSED", baseline.perSecond(),
                    LATENCY_MS, 1000.0 / LATENCY_MS);
        }
    }

    private static final String YAML = """
            environment: bench
            limiter:
              keyPrefix: mg-bench
            markets:
            %s
            infrastructure:
              vpc: {cidr: 10.10.0.0/16, maxAzs: 2}
              egressGroups:
                fixed-ip: {kind: fixed-ip, natGateways: 1}
              valkey: {mode: serverless}
              markets:
            %s
              functions:
                api: {memory: 1024, timeout: 29s}
                scheduler: {memory: 512, timeout: 60s}
                jobWorker: {memory: 1024, timeout: 900s}
              logRetentionDays: 7
              apiStage: {rateLimit: 20, burstLimit: 40, auth: api-keys, quotaPerDay: 10000}
              deployment: all-at-once
              exports: {expireAfter: 1d}
            """;

    /** A market of the bench: its name, its budget's scope, the calls in flight of one instance, the sellers. */
    private record BenchMarket(String name, String scope, Scope simScope, int inFlight, List<String> sellers) {
        String market(String simUrl) {
            return """
                      %1$s:
                        fleetSize: 4
                        budgets:
                          b: {scope: %2$s, limit: %3$d, window: 1s, ceilings: {high: 1.0, medium: 1.0, low: 1.0}}
                        calls:
                          list-orders: {budgets: [%1$s/b]}
                        adapter: {type: reference-rest, baseUrl: %4$s/%1$s, apiKey: key-%1$s, pageSize: 3, maxRangePerCall: 24h,
                                  calls: {listOrders: list-orders}}
                    """.formatted(name, scope, BUDGET, simUrl);
        }

        String infrastructure() {
            return """
                        %s:
                          egressGroup: fixed-ip
                          queues: {maxReceiveCount: 20, visibilityMultiplier: 6}
                          collector: {memory: 1024, timeout: 60s, maxConcurrency: 2, batchSize: 10, inFlight: %d}
                          actions: {memory: 512, timeout: 30s, maxConcurrency: 2, batchSize: 5}
                    """.formatted(name, inFlight);
        }
    }

    private final String valkeyUri;
    private final URI dynamoDbEndpoint;
    private final int sellers;

    /**
     * @param sellers how many sellers' days the budget test collects in one batch (1 to 10, a batch's most)
     */
    CollectorBench(String valkeyUri, URI dynamoDbEndpoint, int sellers) {
        if (sellers < 1 || sellers > 10) {
            throw new IllegalArgumentException("--collector-sellers is " + sellers + ", must be between 1 and 10 (one batch)");
        }
        this.valkeyUri = valkeyUri;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sellers = sellers;
    }

    /** Runs the four collections one after another, printing each, and returns the two targets. */
    List<Target> run(PrintWriter out) {
        List<String> budgetSellers = IntStream.rangeClosed(1, sellers).mapToObj(i -> "P" + i).toList();
        List<BenchMarket> markets = List.of(
                new BenchMarket("budget-one", "api-key", Scope.API_KEY, 1, budgetSellers),
                new BenchMarket("budget-many", "api-key", Scope.API_KEY, sellers, budgetSellers),
                new BenchMarket("vendor-one", "vendor", Scope.SELLER, 1, List.of("V1")),
                new BenchMarket("vendor-many", "vendor", Scope.SELLER, 7, List.of("V1")));
        MarketSim.Builder simBuilder = MarketSim.builder();
        for (BenchMarket m : markets) {
            // the markets admit more than our budgets: what is measured is how full one instance keeps our own budget
            simBuilder.market(MarketConfig.named(m.name()).apiKeys("key-" + m.name()).sellers(m.sellers().toArray(String[]::new))
                    .budgets(List.of(MarketBudget.slidingWindow("b", m.simScope(), 100, Duration.ofSeconds(1))))
                    .throttle(Throttle.http429()).pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(3)
                    .maxRange(Duration.ofHours(24)).ordersPerHour(1).seed(42)
                    .latency(Latency.fixed(Duration.ofMillis(LATENCY_MS))).build());
        }
        String prefix = "mg-bench-collector-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, LimiterStore> stores = new HashMap<>();
        Path lambdaLog;
        try {
            lambdaLog = Files.createTempFile("marketgate-bench-collector-", ".log");
        } catch (IOException e) {
            throw new BenchException("cannot make the collector's log file: " + e.getMessage(), e);
        }
        PrintStream originalOut = System.out;
        try (PrintStream handlersOut = new PrintStream(Files.newOutputStream(lambdaLog), true, StandardCharsets.UTF_8);
                MarketSim sim = simBuilder.start();
                EmbeddedSqs sqsServer = EmbeddedSqs.start();
                SqsClient sqs = sqsServer.client();
                DynamoDbClient dynamoDb = LocalAws.dynamoDb(dynamoDbEndpoint)) {
            EnvironmentConfig environment = environment(markets, "http://127.0.0.1:" + sim.port());
            TableSchemas.createAll(dynamoDb, TABLES);
            HandlerDependencies deps = HandlerDependencies.builder()
                    .environment(environment).dynamoDb(dynamoDb).sqs(sqs).tables(TABLES)
                    .queues(QueueDirectory.builder().build())
                    .storeForMarket(market -> stores.computeIfAbsent(market, m -> ValkeyLimiterStore.standalone(valkeyUri,
                            ValkeyStoreOptions.builder().keyPrefix(prefix + "-" + m).build())))
                    .maxLimiterWait(Duration.ofSeconds(5))
                    .clock(Clock.systemUTC())
                    .build();
            out.printf(Locale.ROOT, "%ncollector: one instance (the real collector handler, one batch), every call drawn from "
                    + "the limiter in Valkey (decisions/s = granted calls/s at the market, over the whole seconds from the first); "
                    + "markets answer in %d ms; pages of 3 orders written to %s; the handler's log "
                    + "lines and metrics in %s%n", LATENCY_MS, dynamoDbEndpoint, lambdaLog);
            out.flush();
            // the handler logs JSON lines and EMF metrics to stdout, as in Lambda; keep them out of the bench's figures
            System.setOut(handlersOut);
            List<Run> runs = new ArrayList<>();
            for (BenchMarket m : markets) {
                List<CollectionMessage> messages = m.name().startsWith("budget")
                        ? m.sellers().stream().map(s -> day(m.name() + "-" + s, m.name(), s, 0)).toList()
                        : IntStream.range(0, 7).mapToObj(d -> day(m.name() + "-V1-" + d, m.name(), "V1", d)).toList();
                Run run = collect(deps, sqs, sim, m, messages);
                runs.add(run);
                out.printf(Locale.ROOT, "  %-12s %-44s %d in flight: %3d decisions (granted calls), at most %d at the market at once, %.1f/s%n",
                        m.name(), m.name().startsWith("budget") ? messages.size() + " sellers' days, a 10/s budget"
                                : "one seller's 7 days, 10/s per vendor", m.inFlight(), run.calls(), run.maxInFlight(),
                        run.perSecond());
                out.flush();
            }
            List<Target> targets = List.of(
                    new Target("10 calls/s budget full at " + LATENCY_MS + " ms latency", runs.get(0), runs.get(1)),
                    new Target("one seller's collection uses its whole per-vendor budget (10 calls/s)", runs.get(2), runs.get(3)));
            targets.forEach(t -> out.println("  " + t.line()));
            out.flush();
            return targets;
        } catch (IOException e) {
            throw new BenchException("cannot write the collector's log file " + lambdaLog + ": " + e.getMessage(), e);
        } finally {
            System.setOut(originalOut);
            stores.values().forEach(LimiterStore::close);
        }
    }

    private static EnvironmentConfig environment(List<BenchMarket> markets, String simUrl) {
        String text = YAML.formatted(
                String.join("", markets.stream().map(m -> m.market(simUrl)).toList()).stripTrailing(),
                String.join("", markets.stream().map(BenchMarket::infrastructure).toList()).stripTrailing());
        try {
            // an environment file is named for its environment
            Path dir = Files.createTempDirectory("marketgate-bench-");
            Path file = dir.resolve("bench.yaml");
            try {
                Files.writeString(file, text);
                return EnvironmentLoader.load(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CollectionMessage day(String requestId, String market, String seller, int d) {
        Instant from = T0.plus(Duration.ofDays(d));
        return new CollectionMessage(requestId, market, seller, DataKind.ORDERS, from, from.plus(Duration.ofDays(1)), Priority.MEDIUM);
    }

    private static Run collect(HandlerDependencies deps, SqsClient sqs, MarketSim sim, BenchMarket m, List<CollectionMessage> messages) {
        String queue = sqs.createQueue(b -> b.queueName("bench-" + m.name())).queueUrl();
        messages.forEach(message -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody(Messages.write(message))));
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        while (records.size() < messages.size()) {
            for (Message msg : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(300)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages()) {
                records.add(record(queue, msg));
            }
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        SQSBatchResponse response = new CollectorHandler(deps, HandlerMetrics.powertools()).handleRequest(event, null);
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new BenchException("the collector handed back " + response.getBatchItemFailures().size() + " of "
                    + messages.size() + " messages of " + m.name() + "; the figures would not be of a full collection");
        }
        List<Arrival> calls = sim.market(m.name()).arrivals(Endpoint.LIST_ORDERS);
        long first = calls.stream().mapToLong(Arrival::epochNanos).min().orElseThrow();
        long last = calls.stream().mapToLong(Arrival::epochNanos).max().orElseThrow();
        int seconds = (int) ((last - first) / 1_000_000_000L);
        int counted = (int) calls.stream().filter(a -> a.epochNanos() < first + seconds * 1_000_000_000L).count();
        return new Run(m.name(), m.inFlight(), messages.size(), calls.size(), maxInFlight(calls), counted, seconds);
    }

    /** The most calls on their way or at the market at once: each from half the fixed latency before its arrival to half after. */
    private static int maxInFlight(List<Arrival> calls) {
        long latency = LATENCY_MS * 1_000_000L;
        int max = 0;
        for (Arrival a : calls) {
            int open = (int) calls.stream().filter(b -> b.epochNanos() >= a.epochNanos() && b.epochNanos() < a.epochNanos() + latency).count();
            max = Math.max(max, open);
        }
        return max;
    }

    private static SQSEvent.SQSMessage record(String queueUrl, Message m) {
        SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
        r.setMessageId(m.messageId());
        r.setReceiptHandle(m.receiptHandle());
        r.setBody(m.body());
        Map<String, String> attributes = new HashMap<>();
        m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
        r.setAttributes(attributes);
        r.setEventSource("aws:sqs");
        r.setEventSourceArn("arn:aws:sqs:ap-northeast-2:000000000000:" + QueueDirectory.queueName(queueUrl));
        return r;
    }

    /** The targets as JSON, for {@code --json-file}. */
    static String json(List<Target> targets) {
        List<String> items = new ArrayList<>();
        for (Target t : targets) {
            items.add("{\"rule\":" + Json.string(t.rule()) + ",\"budgetPerSecond\":" + BUDGET + ",\"latencyMillis\":" + LATENCY_MS
                    + ",\"perSecond\":" + Json.number(t.run().perSecond()) + ",\"inFlight\":" + t.run().inFlight()
                    + ",\"oneInFlightPerSecond\":" + Json.number(t.baseline().perSecond()) + ",\"met\":" + t.met() + "}");
        }
        return "[" + String.join(",", items) + "]";
    }
}
