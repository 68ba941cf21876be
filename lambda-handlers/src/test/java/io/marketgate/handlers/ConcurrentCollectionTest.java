package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.EmbeddedSqs;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatusRepository;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One collector instance collecting several messages at once ({@code infrastructure.markets.<m>.collector.inFlight}),
 * every call drawn from the limiter in a real Valkey, against simulated markets whose network takes 150 ms a call
 * ({@link Latency#fixed}, half of it before the market sees the call):
 * a 10 calls/s budget is kept full (it needs at least 2 calls in flight; one after another reaches at most 6.7/s), and
 * one seller's seven days (seven messages, one per call window, as the API splits them) use its whole per-vendor
 * budget of 10 calls/s (Coupang's). Every order is stored, the checkpoints and the partial batch failures are those of
 * the one-at-a-time collector.
 *
 * <p>Throughput is counted at the market, over the whole seconds from the first call: a sliding-window budget of 10
 * per second admits at most 10 in any second, so "full" is at least 9 of them.
 */
class ConcurrentCollectionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-09T00:00:00Z");
    private static final Tables TABLES = Tables.withPrefix("cc-");
    private static final Duration LATENCY = Duration.ofMillis(150);
    private static final List<String> SLOW_SELLERS = IntStream.rangeClosed(1, 10).mapToObj(i -> "P" + i).toList();

    private static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-cc
            markets:
              slow:
                fleetSize: 4
                budgets:
                  # the whole limit open to MEDIUM (by default it may hold 80%, the rest kept for HIGH): full is 10/s
                  all: {scope: api-key, limit: 10, window: 1s, ceilings: {high: 1.0, medium: 1.0, low: 1.0}}
                calls:
                  list-orders: {budgets: [slow/all]}
                adapter: {type: reference-rest, baseUrl: SIM/slow, apiKey: key-slow, pageSize: 3, maxRangePerCall: 24h,
                          calls: {listOrders: list-orders}}
              single:
                fleetSize: 4
                budgets:
                  # the whole limit open to MEDIUM (by default it may hold 80%, the rest kept for HIGH): full is 10/s
                  all: {scope: api-key, limit: 10, window: 1s, ceilings: {high: 1.0, medium: 1.0, low: 1.0}}
                calls:
                  list-orders: {budgets: [single/all]}
                adapter: {type: reference-rest, baseUrl: SIM/single, apiKey: key-single, pageSize: 3, maxRangePerCall: 24h,
                          calls: {listOrders: list-orders}}
              vendor:
                fleetSize: 4
                budgets:
                  # Coupang's: 10 calls/s per vendor (seller), over all its APIs
                  vendor: {scope: vendor, limit: 10, window: 1s, ceilings: {high: 1.0, medium: 1.0, low: 1.0}}
                calls:
                  list-orders: {budgets: [vendor/vendor]}
                adapter: {type: reference-rest, baseUrl: SIM/vendor, apiKey: key-vendor, pageSize: 4, maxRangePerCall: 24h,
                          calls: {listOrders: list-orders}}
              tight:
                fleetSize: 4
                budgets:
                  vendor: {scope: vendor, limit: 1000, window: 1s}
                calls:
                  list-orders: {budgets: [tight/vendor]}
                adapter: {type: reference-rest, baseUrl: SIM/tight, apiKey: key-tight, pageSize: 3, maxRangePerCall: 24h,
                          calls: {listOrders: list-orders}}
            infrastructure:
              vpc: {cidr: 10.10.0.0/16, maxAzs: 2}
              egressGroups:
                fixed-ip: {kind: fixed-ip, natGateways: 1}
              valkey: {mode: serverless}
              markets:
                slow:
                  egressGroup: fixed-ip
                  queues: {maxReceiveCount: 20, visibilityMultiplier: 6}
                  collector: {memory: 1024, timeout: 60s, maxConcurrency: 2, batchSize: 10, inFlight: 4}
                  actions: {memory: 512, timeout: 30s, maxConcurrency: 2, batchSize: 5}
                single:
                  egressGroup: fixed-ip
                  queues: {maxReceiveCount: 20, visibilityMultiplier: 6}
                  collector: {memory: 1024, timeout: 60s, maxConcurrency: 2, batchSize: 10}
                  actions: {memory: 512, timeout: 30s, maxConcurrency: 2, batchSize: 5}
                vendor:
                  egressGroup: fixed-ip
                  queues: {maxReceiveCount: 20, visibilityMultiplier: 6}
                  collector: {memory: 1024, timeout: 60s, maxConcurrency: 2, batchSize: 10, inFlight: 7}
                  actions: {memory: 512, timeout: 30s, maxConcurrency: 2, batchSize: 5}
                tight:
                  egressGroup: fixed-ip
                  queues: {maxReceiveCount: 20, visibilityMultiplier: 6}
                  collector: {memory: 1024, timeout: 60s, maxConcurrency: 2, batchSize: 10, inFlight: 3}
                  actions: {memory: 512, timeout: 30s, maxConcurrency: 2, batchSize: 5}
              functions:
                api: {memory: 1024, timeout: 29s}
                scheduler: {memory: 512, timeout: 60s}
                jobWorker: {memory: 1024, timeout: 900s}
              logRetentionDays: 7
              apiStage: {rateLimit: 20, burstLimit: 40, auth: api-keys, quotaPerDay: 10000}
              deployment: all-at-once
              exports: {expireAfter: 1d}
            """;

    @TempDir
    static Path dir;

    private static EmbeddedSqs sqsServer;
    private static EmbeddedDynamoDb dynamoServer;
    private static ValkeyServer valkey;
    private static SqsClient sqs;
    private static DynamoDbClient dynamoDb;
    private static MarketSim sim;
    private static EnvironmentConfig environment;
    private static final Map<String, LimiterStore> stores = new ConcurrentHashMap<>();


    @BeforeAll
    static void start() throws IOException {
        sqsServer = EmbeddedSqs.start();
        dynamoServer = EmbeddedDynamoDb.start();
        valkey = new ValkeyServer().start();
        sqs = sqsServer.client();
        dynamoDb = dynamoServer.client();
        // the markets admit more than our budgets: what is measured is how full we keep our own budget
        sim = MarketSim.builder()
                .market(slowMarket("slow", Scope.MARKET, SLOW_SELLERS, 1))
                .market(slowMarket("single", Scope.MARKET, SLOW_SELLERS, 1))
                .market(slowMarket("vendor", Scope.SELLER, List.of("V1", "V2"), 1))
                .market(MarketConfig.named("tight").apiKeys("key-tight").sellers("T1", "T2", "T3")
                        .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 2, Duration.ofSeconds(30))))
                        .throttle(Throttle.http429()).pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(3)
                        .maxRange(Duration.ofHours(24)).ordersPerHour(1).seed(7).build())
                .start();
        Path file = Files.writeString(dir.resolve("test.yaml"), YAML.replace("SIM/", "http://127.0.0.1:" + sim.port() + "/"));
        environment = EnvironmentLoader.load(file);
        TableSchemas.createAll(dynamoDb, TABLES);
    }

    private static MarketConfig slowMarket(String name, Scope scope, List<String> sellers, int ordersPerHour) {
        return MarketConfig.named(name).apiKeys("key-" + name).sellers(sellers.toArray(String[]::new))
                .budgets(List.of(MarketBudget.slidingWindow("all", scope, 100, Duration.ofSeconds(1))))
                .throttle(Throttle.http429()).pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(3)
                .maxRange(Duration.ofHours(24)).ordersPerHour(ordersPerHour).seed(42)
                .latency(Latency.fixed(LATENCY)).build();
    }

    @AfterAll
    static void stop() {
        stores.values().forEach(LimiterStore::close);
        sim.close();
        sqs.close();
        dynamoDb.close();
        sqsServer.close();
        dynamoServer.close();
        valkey.close();
    }

    private static CollectorHandler handler() {
        HandlerDependencies deps = HandlerDependencies.builder()
                .environment(environment).dynamoDb(dynamoDb).sqs(sqs).tables(TABLES)
                .queues(QueueDirectory.builder().build())
                .storeForMarket(market -> stores.computeIfAbsent(market, m -> ValkeyLimiterStore.standalone(valkey.uri(),
                        ValkeyStoreOptions.builder().keyPrefix("mg-cc-" + m).build())))
                .maxLimiterWait(Duration.ofSeconds(5))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
        return new CollectorHandler(deps, HandlerKit.metrics(new RecordingMetrics()));
    }

    @Test
    void given_ten_sellers_and_four_in_flight_when_one_instance_collects_them_then_the_10_per_second_budget_is_full_at_150_ms() {
        // GIVEN ten sellers' days in one batch of a market answering in 150 ms, whose budget is 10 calls/s, 4 in flight
        List<CollectionMessage> messages = SLOW_SELLERS.stream().map(s -> day("slow-" + s, "slow", s, 0)).toList();

        // WHEN one instance collects the batch
        SQSBatchResponse response = collect(messages);

        // THEN every request succeeded with all its orders, and the market saw the budget full: ≥ 9 calls in each second
        assertThat(failures(response)).isEmpty();
        messages.forEach(m -> assertCollected(m, sim.market("slow").orders(m.sellerId(), m.from(), m.to()).size()));
        List<Arrival> calls = sim.market("slow").arrivals(Endpoint.LIST_ORDERS);
        Throughput t = Throughput.of(calls);
        assertThat(t.seconds()).isGreaterThanOrEqualTo(3);
        assertThat(t.perSecond()).as("calls/s at the market, %s", t).isBetween(9.0, 10.0);
        assertThat(maxInFlight(calls)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void given_one_in_flight_when_one_instance_collects_the_same_sellers_then_the_budget_is_not_full() {
        // GIVEN the same market and budget with one message at a time (no inFlight: the default), four sellers
        List<CollectionMessage> messages = SLOW_SELLERS.subList(0, 4).stream().map(s -> day("single-" + s, "single", s, 0)).toList();

        // WHEN one instance collects the batch
        SQSBatchResponse response = collect(messages);

        // THEN all is collected, but never two calls at once, and at most 1 / 150 ms = 6.7 calls/s
        assertThat(failures(response)).isEmpty();
        List<Arrival> calls = sim.market("single").arrivals(Endpoint.LIST_ORDERS);
        Throughput t = Throughput.of(calls);
        assertThat(t.perSecond()).as("calls/s at the market, %s", t).isLessThanOrEqualTo(1000.0 / LATENCY.toMillis());
        assertThat(maxInFlight(calls)).isEqualTo(1);
    }

    @Test
    void given_one_sellers_seven_days_when_one_instance_collects_them_then_the_seller_uses_its_whole_vendor_budget() {
        // GIVEN seller V1's seven days as the API queues them, one message per call window of 24 h; 7 in flight
        List<CollectionMessage> messages = IntStream.range(0, 7).mapToObj(d -> day("vendor-V1-" + d, "vendor", "V1", d)).toList();

        // WHEN one instance collects them
        SQSBatchResponse response = collect(messages);

        // THEN all of the seven days is stored, and the seller's calls fill its 10 calls/s
        assertThat(failures(response)).isEmpty();
        messages.forEach(m -> assertCollected(m, sim.market("vendor").orders("V1", m.from(), m.to()).size()));
        List<Arrival> calls = sim.market("vendor").arrivals(Endpoint.LIST_ORDERS).stream().filter(a -> "V1".equals(a.sellerId())).toList();
        Throughput t = Throughput.of(calls);
        assertThat(t.seconds()).isGreaterThanOrEqualTo(3);
        assertThat(t.perSecond()).as("calls/s of seller V1 at the market, %s", t).isBetween(9.0, 10.0);
        assertThat(maxInFlight(calls)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void given_a_market_that_throttles_when_its_messages_are_collected_beside_another_markets_then_only_they_are_handed_back_at_their_checkpoints() {
        // GIVEN three sellers of a market admitting 2 calls per 30 s (429 and Retry-After after that; 3 in flight) and,
        // in the same batch, a day of a seller of a roomy market
        List<CollectionMessage> messages = List.of(day("tight-T1", "tight", "T1", 0), day("tight-T2", "tight", "T2", 0),
                day("vendor-V2", "vendor", "V2", 0), day("tight-T3", "tight", "T3", 0));

        // WHEN one instance collects the batch
        SQSEvent event = event(messages);
        SQSBatchResponse response = handler().handleRequest(event, null);

        // THEN exactly the three throttled messages are batch item failures, each DEFERRED at a checkpoint after the
        // pages it wrote (the market admitted two pages of 3 orders in all), and the other completed
        RequestStatusRepository requests = new RequestStatusRepository(dynamoDb, TABLES.requests(), Clock.systemUTC());
        List<String> tightIds = new ArrayList<>();
        long written = 0;
        for (int i = 0; i < messages.size(); i++) {
            CollectionMessage m = messages.get(i);
            String messageId = event.getRecords().stream().filter(r -> r.getBody().contains("\"" + m.requestId() + "\""))
                    .findFirst().orElseThrow().getMessageId();
            RequestStatus status = requests.find(m.requestId()).orElseThrow();
            if (m.market().equals("tight")) {
                tightIds.add(messageId);
                assertThat(status.status()).as(m.requestId()).isEqualTo(RequestStatus.Status.DEFERRED);
                assertThat(status.checkpoint().isPresent()).as(m.requestId()).isEqualTo(status.ordersWritten() > 0);
                written += status.ordersWritten();
            } else {
                assertCollected(m, sim.market("vendor").orders("V2", m.from(), m.to()).size());
            }
        }
        assertThat(failures(response)).containsExactlyInAnyOrderElementsOf(tightIds);
        assertThat(written).isEqualTo(6);
        assertThat(sim.market("tight").arrivals(Endpoint.LIST_ORDERS).stream().filter(a -> a.status() == 200).count()).isEqualTo(2);
    }

    /** Day {@code d} of the collected week of {@code seller}: one call window, one message. */
    private static CollectionMessage day(String requestId, String market, String seller, int d) {
        Instant from = T0.plus(Duration.ofDays(d));
        return new CollectionMessage(requestId, market, seller, DataKind.ORDERS, from, from.plus(Duration.ofDays(1)), Priority.MEDIUM);
    }

    private static SQSBatchResponse collect(List<CollectionMessage> messages) {
        return handler().handleRequest(event(messages), null);
    }

    private static SQSEvent event(List<CollectionMessage> messages) {
        String queue = sqs.createQueue(b -> b.queueName("collect-" + messages.get(0).requestId())).queueUrl();
        messages.forEach(m -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody(HandlerKit.json(m))));
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        while (records.size() < messages.size()) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(120)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages()) {
                records.add(HandlerKit.record(queue, m));
            }
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static void assertCollected(CollectionMessage m, int orders) {
        RequestStatus status = new RequestStatusRepository(dynamoDb, TABLES.requests(), Clock.systemUTC()).find(m.requestId())
                .orElseThrow();
        assertThat(status.status()).as(m.requestId()).isEqualTo(RequestStatus.Status.SUCCEEDED);
        assertThat(status.ordersWritten()).as(m.requestId()).isEqualTo(orders);
        assertThat(orders).isPositive();
        long stored = dynamoDb.queryPaginator(b -> b.tableName(TABLES.orders()).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(m.market() + "#" + m.sellerId()))))
                .items().stream().filter(i -> m.requestId().equals(i.get("firstRequestId").s())).count();
        assertThat(stored).as(m.requestId()).isEqualTo(orders);
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /**
     * The most calls the market was serving at once: with a fixed latency each call is on its way or at the market from
     * {@code LATENCY / 2} before its arrival to {@code LATENCY / 2} after it.
     */
    private static int maxInFlight(List<Arrival> calls) {
        int max = 0;
        for (Arrival a : calls) {
            long end = a.epochNanos() + LATENCY.toNanos();
            int open = (int) calls.stream().filter(b -> b.epochNanos() >= a.epochNanos() && b.epochNanos() < end).count();
            max = Math.max(max, open);
        }
        return max;
    }

    /** Calls per second over the whole seconds from the first call (the last, partial second left out). */
    record Throughput(int calls, int seconds) {
        static Throughput of(List<Arrival> arrivals) {
            long first = arrivals.stream().mapToLong(Arrival::epochNanos).min().orElseThrow();
            long last = arrivals.stream().mapToLong(Arrival::epochNanos).max().orElseThrow();
            int seconds = (int) ((last - first) / 1_000_000_000L);
            int calls = (int) arrivals.stream().filter(a -> a.epochNanos() < first + seconds * 1_000_000_000L).count();
            return new Throughput(calls, seconds);
        }

        double perSecond() {
            return seconds == 0 ? 0 : (double) calls / seconds;
        }
    }
}
