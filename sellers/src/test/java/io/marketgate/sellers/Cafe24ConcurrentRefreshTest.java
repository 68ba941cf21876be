package io.marketgate.sellers;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.deployed.tokens.TokenEncryption;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketClient;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.ConnectionTokens;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.Credentials;
import io.marketgate.market.auth.InMemoryTokenCache;
import io.marketgate.market.auth.MallConnection;
import io.marketgate.market.auth.MallConnections;
import io.marketgate.market.auth.SharedTokens;
import io.marketgate.market.cafe24.Cafe24Adapter;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.SimulatedMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Many instances of the fleet (threads, each with its own DynamoDB client, connection store, adapter and client) against
 * the simulated Cafe24, which invalidates a used refresh token as the market does, and dynalite: round after round every
 * mall's access tokens are expired at once and every instance calls every mall. Exactly one instance refreshes each
 * mall per round, no refresh token is ever used twice (the simulator's invalid_grant count stays 0), and no connection
 * is lost, also in rounds whose token endpoint fails with a 5xx or answers slowly.
 */
class Cafe24ConcurrentRefreshTest {

    private static final String TABLE = "fleet-sellers";
    private static final int INSTANCES = 8;
    private static final List<String> MALLS = List.of("S1", "S2", "S3");
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              cafe24:
                fleetSize: 8
                budgets:
                  mall: {scope: mall, limit: 100, window: 1s}
                  token: {scope: endpoint, limit: 100, window: 1s}
                calls:
                  token: {budgets: [cafe24/token]}
                  list-orders: {budgets: [cafe24/mall]}
                  get-order: {budgets: [cafe24/mall]}
                adapter:
                  type: cafe24
                  baseUrl: BASE_URL
                  requestTimeout: 1s
                  calls: {token: token, listOrders: list-orders, getOrder: get-order}
            """;

    @TempDir
    static Path dir;

    private static EmbeddedDynamoDb dynamo;
    private static MarketSim sim;
    private static SimulatedMarket market;
    private static EnvironmentConfig environment;
    private static final TokenEncryption KEY = TokenEncryption.generated();
    private static final Map<String, Credentials> APPS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        dynamo = EmbeddedDynamoDb.start();
        try (DynamoDbClient client = dynamo.client()) {
            TestSchemas.createSellersTable(client, TABLE);
            DynamoConnectionStore store = new DynamoConnectionStore(client, TABLE, KEY);
            // no bucket: this test is about the connections; the bucket has its own tests
            sim = MarketSim.builder().market(MarketPresets.cafe24Admin().budgets(List.of())
                    .sellers(MALLS.toArray(String[]::new)).ordersPerHour(2).build()).start();
            market = sim.market("cafe24");
            for (String seller : MALLS) {
                Cafe24Credentials c = market.cafe24Credentials(seller);
                APPS.put(seller, Cafe24Adapter.CREDENTIALS.validate(c.registrationFields()));
                store.connect("cafe24", seller, new ConnectionTokens(
                        new CachedToken(c.accessToken(), c.accessTokenExpiresAt(), c.accessTokenExpiresAt().minus(Duration.ofMinutes(10))),
                        new CachedToken(c.refreshToken(), c.refreshTokenExpiresAt(), c.refreshTokenExpiresAt().minus(Duration.ofDays(1)))),
                        Instant.now());
            }
        }
        Path file = Files.writeString(dir.resolve("test.yaml"), YAML.replace("BASE_URL", market.clientBaseUrlTemplate()));
        environment = EnvironmentLoader.load(file);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        dynamo.close();
    }

    /** One instance of the fleet: its own DynamoDB client, connection store and cache, adapter and client. */
    private record Instance(DynamoDbClient dynamoDb, MarketClient client, MarketAdapter adapter) {}

    private static Instance instance(LimiterStore limiterStore) {
        DynamoDbClient client = dynamo.client();
        Clock clock = Clock.systemUTC();
        CredentialSource apps = (m, seller) -> APPS.get(seller);
        AdapterContext context = new AdapterContext(name -> null, apps, new SharedTokens(new InMemoryTokenCache(clock), clock), clock,
                new MallConnections(new DynamoConnectionStore(client, TABLE, KEY), clock));
        MarketAdapter adapter = MarketAdapters.forMarket(environment, "cafe24", context);
        PriorityLimiter limiter = PriorityLimiter.builder().budgets(environment.market("cafe24").limiterBudgets())
                .store(limiterStore).build();
        return new Instance(client, MarketClient.builder(limiter, adapter).build(), adapter);
    }

    private static Seller seller(String id) {
        return Seller.of(id, Map.of("mallId", market.cafe24Credentials(id).mallId()));
    }

    @Test
    void many_instances_refresh_each_mall_once_per_expiry_and_never_lose_a_connection() throws Exception {
        // GIVEN 8 instances sharing the limiter's store (the fleet's Valkey) and the sellers table
        LimiterStore limiterStore = new InMemoryLimiterStore(Clock.systemUTC());
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(instance(limiterStore));
        }
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        CyclicBarrier start = new CyclicBarrier(INSTANCES);
        List<String> rounds = List.of("expired", "expired", "token endpoint fails once with 503", "expired",
                "token endpoint answers after 1.5 s", "expired");
        int refreshesBefore = refreshes();
        try {
            for (String round : rounds) {
                // WHEN every mall's access tokens expire at once (and the token endpoint misbehaves in some rounds)
                market.expireAccessTokens();
                if (round.contains("503")) {
                    market.faults().failNext(1, 503);
                } else if (round.contains("1.5 s")) {
                    market.faults().delayNext(1, Duration.ofMillis(1500));
                }
                // AND every instance calls every mall at the same moment, repeating a call that may pass
                List<Future<List<CallOutcome>>> results = new ArrayList<>();
                for (Instance instance : instances) {
                    results.add(pool.submit((Callable<List<CallOutcome>>) () -> {
                        start.await(30, TimeUnit.SECONDS);
                        List<CallOutcome> outcomes = new ArrayList<>();
                        for (String mall : MALLS) {
                            outcomes.add(callUntilSettled(instance, mall));
                        }
                        return outcomes;
                    }));
                }
                for (Future<List<CallOutcome>> r : results) {
                    // THEN every call of the round succeeded
                    assertThat(r.get(60, TimeUnit.SECONDS)).as(round).allSatisfy(o -> assertThat(o).isInstanceOf(CallOutcome.Ok.class));
                }
            }
        } finally {
            pool.shutdownNow();
            instances.forEach(i -> i.dynamoDb().close());
        }

        // THEN no refresh token was used twice: the market never answered invalid_grant
        assertThat(market.invalidGrants()).isZero();
        // AND each mall was refreshed exactly once per round (the 503 round: one failed attempt, then one refresh)
        assertThat(refreshes() - refreshesBefore).isEqualTo(rounds.size() * MALLS.size() + 1);
        try (DynamoDbClient client = dynamo.client()) {
            DynamoConnectionStore store = new DynamoConnectionStore(client, TABLE, KEY);
            for (String mall : MALLS) {
                long issued = market.tokenRequests().stream()
                        .filter(t -> mall.equals(t.sellerId()) && t.issued()).count();
                assertThat(issued).as("refreshes of " + mall).isEqualTo(rounds.size());
                // AND every connection is stored with the refresh token that works now, at one version per refresh
                MallConnection stored = store.read("cafe24", mall).orElseThrow();
                assertThat(stored.connected()).isTrue();
                assertThat(stored.version()).isEqualTo(1 + rounds.size());
                assertThat(stored.tokens().orElseThrow().refresh().value()).isEqualTo(market.currentRefreshToken(mall).orElseThrow());
                assertThat(client.scan(b -> b.tableName(TABLE)).items().toString())
                        .doesNotContain(market.currentRefreshToken(mall).orElseThrow())
                        .doesNotContain(stored.tokens().orElseThrow().access().value());
            }
        }
    }

    /** Calls one mall, repeating an outcome that may pass (the round's failing token endpoint) a few times. */
    private static CallOutcome callUntilSettled(Instance instance, String mall) throws InterruptedException {
        CallOutcome outcome = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            outcome = instance.client().execute(instance.adapter().planGetOrder(seller(mall), "20200101-0000999"), Priority.MEDIUM,
                    MAX_WAIT);
            if (!(outcome instanceof CallOutcome.Retryable)) {
                return outcome;
            }
        }
        return outcome;
    }

    /** Refresh requests the market received (issued or not). */
    private static int refreshes() {
        return (int) market.tokenRequests().stream().filter(t -> "refresh_token".equals(t.type())).count();
    }
}
