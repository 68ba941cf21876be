package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.EmbeddedEventBridge;
import io.marketgate.handlers.events.EventBridgeActionEvents;
import io.marketgate.handlers.store.ActionTargets;
import io.marketgate.handlers.store.OrderStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.embedded.aws.EmbeddedSqs;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.handlers.store.Tables;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Pagination;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.Throttle;
import io.marketgate.sellers.SecretDeletion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One test class's world: SQS (ElasticMQ) inside the JVM, DynamoDB (dynalite) in a process of its own, the tables, simulated markets
 * and an environment file pointing at them. Markets: {@code shop} (roomy budget, 429; it offers every kind but
 * settlements, and every action), {@code tight} (2 calls per
 * 30 s at the market, while our limiter allows 1000/s: the market throttles with 429 and Retry-After) and
 * {@code eleven} (1 call per 30 s, throttles with HTTP 200 and code 004, no Retry-After), {@code signed} (each seller
 * authenticates with its own key, {@link #SIGNED_KEYS}, registered as credentials; others get 401) and {@code walled}
 * (its IP allow-list lacks ours: every call is refused with 403 IP_NOT_ALLOWED). Pages of 5 orders. The sellers'
 * secrets live in an embedded Secrets Manager.
 */
final class HandlerKit implements AutoCloseable {

    /** The fixed clock of the handlers' records and schedules. */
    static final Instant NOW = Instant.parse("2026-11-02T00:00:00Z");
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final Tables TABLES = Tables.withPrefix("test-");
    /** The event bus of the kit's environment. */
    static final String BUS = "test-actions";
    static final List<String> SELLERS = IntStream.rangeClosed(1, 40).mapToObj(i -> "S" + i).toList();

    private static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              shop:
                fleetSize: 1
                budgets:
                  vendor: {scope: vendor, limit: 1000, window: 1s}
                calls:
                  list-orders: {budgets: [shop/vendor]}
                  ship-order: {budgets: [shop/vendor]}
                  list-records: {budgets: [shop/vendor]}
                  act: {budgets: [shop/vendor]}
                adapter:
                  type: reference-rest
                  baseUrl: SIM/shop
                  apiKey: key-shop
                  pageSize: 5
                  maxRangePerCall: 24h
                  # every kind but settlements: a kind the market does not offer is refused where it is asked for
                  calls: {listOrders: list-orders, shipOrder: ship-order, listClaims: list-records,
                          listInquiries: list-records, listReviews: list-records, listProducts: list-records,
                          acknowledgeOrder: act, answerInquiry: act, replyReview: act, changePrice: act, changeStock: act,
                          changeSaleStatus: act, confirmClaim: act, rejectClaim: act}
              tight:
                fleetSize: 1
                budgets:
                  vendor: {scope: vendor, limit: 1000, window: 1s}
                calls:
                  list-orders: {budgets: [tight/vendor]}
                adapter:
                  type: reference-rest
                  baseUrl: SIM/tight
                  apiKey: key-tight
                  pageSize: 5
                  calls: {listOrders: list-orders}
              eleven:
                fleetSize: 1
                budgets:
                  key:
                    scope: vendor
                    limit: 1000
                    window: 1s
                    throttle: {defaultCooldown: 45s}
                calls:
                  list-orders: {budgets: [eleven/key]}
                adapter:
                  type: reference-rest
                  baseUrl: SIM/eleven
                  apiKey: key-eleven
                  pageSize: 5
                  throttleCodes: ["004"]
                  calls: {listOrders: list-orders}
              signed:
                fleetSize: 1
                budgets:
                  vendor: {scope: vendor, limit: 1000, window: 1s}
                calls:
                  list-orders: {budgets: [signed/vendor]}
                  ship-order: {budgets: [signed/vendor]}
                adapter:
                  type: reference-rest
                  baseUrl: SIM/signed
                  apiKey: not-used-each-seller-has-its-own
                  pageSize: 5
                  maxRangePerCall: 24h
                  calls: {listOrders: list-orders, shipOrder: ship-order}
              walled:
                fleetSize: 1
                budgets:
                  vendor: {scope: vendor, limit: 1000, window: 1s}
                  api: {scope: api-key, limit: 1000, window: 1s}
                calls:
                  list-orders: {budgets: [walled/vendor, walled/api]}
                  ship-order: {budgets: [walled/vendor]}
                adapter:
                  type: reference-rest
                  baseUrl: SIM/walled
                  apiKey: key-walled
                  pageSize: 5
                  maxRangePerCall: 24h
                  calls: {listOrders: list-orders, shipOrder: ship-order}
              cafe24:
                fleetSize: 1
                budgets:
                  mall: {scope: mall, limit: 1000, window: 1s}
                  token: {scope: endpoint, limit: 100, window: 1s}
                calls:
                  token: {budgets: [cafe24/token]}
                  list-orders: {budgets: [cafe24/mall]}
                  get-order: {budgets: [cafe24/mall]}
                  ship-order: {budgets: [cafe24/mall]}
                adapter:
                  type: cafe24
                  baseUrl: SIM/cafe24/{mallId}/api/v2
                  redirectUri: https://api.example.com/v1/connections/callback
                  calls: {token: token, listOrders: list-orders, getOrder: get-order, shipOrder: ship-order}
            """;

    /** The sellers of market {@code cafe24} (each a mall of the simulated Cafe24, connected by consent). */
    static final List<String> MALLS = List.of("M1", "M2", "M3", "M4");
    /** The environment's token key: every dependencies the kit builds seal and open the sellers' connections with it. */
    static final io.marketgate.deployed.tokens.TokenEncryption TOKEN_KEY = io.marketgate.deployed.tokens.TokenEncryption.generated();

    /**
     * The keys market {@code signed} accepts, one per seller (its sellers authenticate with their own key, which they
     * register as credentials); any other key is refused with 401.
     */
    static final Map<String, String> SIGNED_KEYS = Map.of(
            "S1", "sk-live-S1-7f3a9c2e51d04b6a", "S2", "sk-live-S2-0b8d4e6f2a1c9357", "S3", "sk-live-S3-5e2c7a9b1d3f4608",
            "S4", "sk-live-S4-9a1b3c5d7e9f0246", "S5", "sk-live-S5-2468ace013579bdf", "S6", "sk-live-S6-13579bdf2468ace0");

    final EmbeddedSqs sqsServer;
    final EmbeddedDynamoDb dynamoServer;
    final EmbeddedSecretsManager secretsServer;
    /** The environment's event bus: every actions handler built by {@link #deps()} publishes there, on {@link #BUS}. */
    final EmbeddedEventBridge eventsServer;
    final EventBridgeClient eventBridge;
    final SecretsManagerClient secrets;
    final SqsClient sqs;
    final DynamoDbClient dynamoDb;
    final MarketSim sim;
    final EnvironmentConfig environment;
    final SellerRegistry sellers;
    /** Sees every market call of handlers built by {@link #deps()}; tests swap it. */
    final AtomicReference<MarketCallListener> callHook = new AtomicReference<>(MarketCallListener.NONE);
    private final AtomicInteger queues = new AtomicInteger();

    private HandlerKit(Path dir) {
        sqsServer = EmbeddedSqs.start();
        dynamoServer = EmbeddedDynamoDb.start();
        secretsServer = EmbeddedSecretsManager.start();
        eventsServer = EmbeddedEventBridge.start();
        eventBridge = eventsServer.client();
        sqs = sqsServer.client();
        dynamoDb = dynamoServer.client();
        secrets = secretsServer.client();
        sim = MarketSim.builder()
                .market(market("shop", "key-shop", 1000, Duration.ofSeconds(1), Throttle.http429()))
                .market(market("tight", "key-tight", 2, Duration.ofSeconds(30), Throttle.http429()))
                .market(market("eleven", "key-eleven", 1, Duration.ofSeconds(30), Throttle.http200("004", "rate limit")))
                .market(market("signed", SIGNED_KEYS.values().toArray(String[]::new)))
                .market(MarketConfig.named("walled").apiKeys("key-walled").sellers(SELLERS.toArray(String[]::new))
                        .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1000, Duration.ofSeconds(1))))
                        .throttle(Throttle.http429()).ipAllowList("10.9.9.9")
                        .pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(5)
                        .maxRange(Duration.ofHours(24)).ordersPerHour(10).seed(42).build())
                .market(io.marketgate.marketsim.MarketPresets.cafe24Admin().sellers(MALLS.toArray(String[]::new))
                        .ordersPerHour(2).seed(42).build())
                .start();
        try {
            Path file = Files.writeString(dir.resolve("test.yaml"), YAML.replace("SIM/", "http://127.0.0.1:" + sim.port() + "/"));
            environment = EnvironmentLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the records carry expiresAt from the kit's fixed clock (NOW), already in the past in real time; dynalite has no
        // TTL (createAll's UpdateTimeToLive is refused and logged), so none vanishes in the middle of a test
        TableSchemas.createAll(dynamoDb, TABLES);
        sellers = new SellerRegistry(dynamoDb, TABLES.sellers());
    }

    static HandlerKit start(Path dir) {
        return new HandlerKit(dir);
    }

    private static MarketConfig market(String name, String... keys) {
        return MarketConfig.named(name).apiKeys(keys).sellers(SELLERS.toArray(String[]::new))
                .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1000, Duration.ofSeconds(1))))
                .throttle(Throttle.http429())
                .pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(5)
                .maxRange(Duration.ofHours(24)).ordersPerHour(10).seed(42)
                .build();
    }

    private static MarketConfig market(String name, String key, long limit, Duration window, Throttle throttle) {
        return MarketConfig.named(name).apiKeys(key).sellers(SELLERS.toArray(String[]::new))
                .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, limit, window)))
                .throttle(throttle)
                .pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(5)
                .maxRange(Duration.ofHours(24)).ordersPerHour(10).seed(42)
                .build();
    }

    /**
     * Dependencies with a fixed clock, in-memory limiter stores, the call hook, and the sellers' secrets in the embedded
     * Secrets Manager (deleted at once, as the local platform does); market {@code signed} runs {@link SellerKeyAdapterFactory}.
     */
    HandlerDependencies.Builder deps() {
        return HandlerDependencies.builder()
                .environment(environment)
                .dynamoDb(dynamoDb)
                .sqs(sqs)
                .secretsManager(secrets)
                .secretDeletion(SecretDeletion.immediately())
                .adapterFactory("signed", new SellerKeyAdapterFactory())
                .tables(TABLES)
                .queues(QueueDirectory.builder().build())
                .storeForMarket(market -> new InMemoryLimiterStore(Clock.systemUTC()))
                .marketCallListener((call, priority, outcome, elapsed) -> callHook.get().onOutcome(call, priority, outcome, elapsed))
                .tokenSealer(TOKEN_KEY)
                .actionEvents(new EventBridgeActionEvents(eventBridge, BUS))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Metrics recorded in memory instead of printed as EMF. */
    static HandlerMetrics metrics(RecordingMetrics recording) {
        return new HandlerMetrics(recording);
    }

    /** A new standard queue; its URL. */
    String newQueue(String prefix) {
        String name = prefix + "-" + queues.incrementAndGet();
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    /** A new FIFO queue (content-based deduplication off: ids come from the messages). */
    String newFifoQueue(String prefix) {
        String name = prefix + "-" + queues.incrementAndGet() + ".fifo";
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    }

    /** Sends {@code bodies} to {@code queueUrl} and receives them back as the records of one Lambda event. */
    SQSEvent sendAndReceive(String queueUrl, List<String> bodies) {
        for (String body : bodies) {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        }
        return receive(queueUrl, bodies.size());
    }

    /** Receives {@code count} messages (visibility 60 s) as the records of one Lambda event, in queue order. */
    SQSEvent receive(String queueUrl, int count) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int tries = 0; records.size() < count && tries < 20; tries++) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, count - records.size()))
                    .visibilityTimeout(60).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages()) {
                records.add(record(queueUrl, m));
            }
        }
        if (records.size() != count) {
            throw new IllegalStateException("received " + records.size() + " of " + count + " messages");
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** The record as Lambda's event source mapping hands it over. */
    static SQSEvent.SQSMessage record(String queueUrl, Message m) {
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

    /** {@code event} as its redelivery number {@code receiveCount} (same ids and receipt handles). */
    static SQSEvent redelivered(SQSEvent event, int receiveCount) {
        SQSEvent copy = new SQSEvent();
        copy.setRecords(event.getRecords().stream().map(r -> {
            SQSEvent.SQSMessage c = new SQSEvent.SQSMessage();
            c.setMessageId(r.getMessageId());
            c.setReceiptHandle(r.getReceiptHandle());
            c.setBody(r.getBody());
            Map<String, String> attributes = new HashMap<>(r.getAttributes());
            attributes.put("ApproximateReceiveCount", Integer.toString(receiveCount));
            c.setAttributes(attributes);
            c.setEventSource(r.getEventSource());
            c.setEventSourceArn(r.getEventSourceArn());
            return c;
        }).toList());
        return copy;
    }

    /** Deletes the records {@code response} does not report as failures, as Lambda's event source mapping does. */
    void acknowledge(String queueUrl, SQSEvent event, com.amazonaws.services.lambda.runtime.events.SQSBatchResponse response) {
        List<String> failed = response.getBatchItemFailures().stream().map(f -> f.getItemIdentifier()).toList();
        for (SQSEvent.SQSMessage r : event.getRecords()) {
            if (!failed.contains(r.getMessageId())) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(r.getReceiptHandle()));
            }
        }
    }

    /** A queue attribute as a number. */
    int queueCount(String queueUrl, QueueAttributeName attribute) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(attribute)).attributes().get(attribute));
    }

    /** The stored order, or an empty map. */
    Map<String, AttributeValue> order(String market, String sellerId, String orderId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(TABLES.orders()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(market + "#" + sellerId), "sk", AttributeValue.fromS(orderId)))).item();
        return item == null ? Map.of() : item;
    }

    /** Every stored order id of a seller. */
    List<String> orderIds(String market, String sellerId) {
        return dynamoDb.queryPaginator(b -> b.tableName(TABLES.orders()).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(market + "#" + sellerId))))
                .items().stream().map(i -> i.get("sk").s()).toList();
    }

    static String json(Object message) {
        return Messages.write(message);
    }

    void registerSeller(String market, String sellerId) {
        sellers.put(market, Seller.of(sellerId), true);
    }

    @Override
    public void close() {
        sim.close();
        sqs.close();
        dynamoDb.close();
        secrets.close();
        sqsServer.close();
        dynamoServer.close();
        secretsServer.close();
        eventBridge.close();
        eventsServer.close();
    }

    /**
     * Stores {@code id} of {@code kind} for the seller in the record store, as a collection would (its first common
     * status; the actions API only asks whether it is there).
     */
    void collected(String market, String sellerId, io.marketgate.market.DataKind kind, String id) {
        new io.marketgate.handlers.store.RecordStore(dynamoDb, TABLES.orders(), Clock.fixed(NOW, ZoneOffset.UTC)).write(market,
                sellerId, "test", kind, List.of(new io.marketgate.market.MarketRecord(kind, id, "TEST", kind.statuses().get(0),
                        T0, T0, java.util.Map.of(), "{}")));
    }

    /** Stores the orders, paid, for the seller as a collection would: {@code POST /v1/actions} may then name them. */
    void storeOrders(String market, String sellerId, String... orderIds) {
        List<io.marketgate.market.Order> orders = java.util.Arrays.stream(orderIds).map(id -> new io.marketgate.market.Order(id,
                "PAID", io.marketgate.market.OrderStatus.PAID, T0, T0, "{}")).toList();
        new OrderStore(dynamoDb, TABLES.orders(), Clock.fixed(NOW, ZoneOffset.UTC)).write(market, sellerId, "test", orders);
    }
}
