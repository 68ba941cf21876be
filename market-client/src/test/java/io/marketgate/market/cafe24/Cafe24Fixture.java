package io.marketgate.market.cafe24;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.MarketClient;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.ConnectionStore;
import io.marketgate.market.auth.ConnectionTokens;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.Credentials;
import io.marketgate.market.auth.CredentialsUnavailableException;
import io.marketgate.market.auth.InMemoryConnectionStore;
import io.marketgate.market.auth.InMemoryTokenCache;
import io.marketgate.market.auth.MallConnections;
import io.marketgate.market.auth.SharedTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A Cafe24 market {@code cafe24} configured through a real environment file: a budget per mall (2 calls per second,
 * Cafe24's drain), one for the token endpoint, its calls, sellers' apps in memory and their connections in one store,
 * as instances of a fleet share the store.
 */
final class Cafe24Fixture {

    static final String REDIRECT = "https://api.example.com/v1/connections/callback";

    static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              cafe24:
                fleetSize: 1
                budgets:
                  mall: {scope: mall, limit: MALL_LIMIT, window: 1s, followsMarketLevel: true}
                  token: {scope: endpoint, limit: 20, window: 1s}
                calls:
                  token: {budgets: [cafe24/token]}
                  list-orders: {budgets: [cafe24/mall]}
                  get-order: {budgets: [cafe24/mall]}
                  ship-order: {budgets: [cafe24/mall]}
                adapter:
                  type: cafe24
                  baseUrl: BASE_URL
                  pageSize: PAGE_SIZE
                  requestTimeout: 5s
                  redirectUri: REDIRECT
                  calls: {token: token, listOrders: list-orders, getOrder: get-order, shipOrder: ship-order}
            """;

    final EnvironmentConfig environment;
    final Map<String, Credentials> credentials = new ConcurrentHashMap<>();
    final ConnectionStore connections;
    final Clock clock;
    final List<PriorityLimiter> limiters = new CopyOnWriteArrayList<>();

    private Cafe24Fixture(EnvironmentConfig environment, Clock clock, ConnectionStore connections) {
        this.environment = environment;
        this.clock = clock;
        this.connections = connections;
    }

    /** Budgets of 2 calls per second per mall, pages of {@code pageSize}, connections in memory. */
    static Cafe24Fixture of(Path dir, String baseUrlTemplate, Clock clock, int pageSize) throws IOException {
        return of(dir, baseUrlTemplate, clock, pageSize, 2, new InMemoryConnectionStore(), UnaryOperator.identity());
    }

    static Cafe24Fixture of(Path dir, String baseUrlTemplate, Clock clock, int pageSize, int mallLimit, ConnectionStore store,
            UnaryOperator<String> edit) throws IOException {
        String yaml = edit.apply(YAML).replace("BASE_URL", baseUrlTemplate).replace("PAGE_SIZE", Integer.toString(pageSize))
                .replace("MALL_LIMIT", Integer.toString(mallLimit)).replace("REDIRECT", REDIRECT);
        Path file = Files.writeString(dir.resolve("test.yaml"), yaml);
        return new Cafe24Fixture(EnvironmentLoader.load(file), clock, store);
    }

    /** Registers {@code sellerId}'s mall and app. */
    Cafe24Fixture seller(String sellerId, String mallId, String clientId, String clientSecret) {
        credentials.put(sellerId, Cafe24Adapter.CREDENTIALS.validate(Map.of(Cafe24Adapter.MALL_ID, mallId,
                Cafe24Adapter.CLIENT_ID, clientId, Cafe24Adapter.CLIENT_SECRET, clientSecret)));
        return this;
    }

    /** Stores a connection for {@code sellerId}, as a consent would have. */
    Cafe24Fixture connected(String sellerId, String access, Instant accessExpires, String refresh, Instant refreshExpires) {
        connections.connect("cafe24", sellerId, new ConnectionTokens(
                new CachedToken(access, accessExpires, accessExpires.minus(Cafe24Adapter.RENEW_BEFORE_EXPIRY)),
                new CachedToken(refresh, refreshExpires, refreshExpires.minus(Cafe24Adapter.KEEP_ALIVE_MARGIN))), clock.instant());
        return this;
    }

    CredentialSource source() {
        return (market, sellerId) -> {
            Credentials c = credentials.get(sellerId);
            if (c == null) {
                throw CredentialsUnavailableException.missing(market, sellerId);
            }
            return c;
        };
    }

    /** A context of one fleet instance: these apps, the shared connection store (its own cache), this clock. */
    AdapterContext context() {
        return new AdapterContext(name -> null, source(), new SharedTokens(new InMemoryTokenCache(clock), clock), clock,
                new MallConnections(connections, clock));
    }

    /** A new adapter instance, as another instance of the fleet would build it. */
    Cafe24Adapter adapter() {
        return (Cafe24Adapter) MarketAdapters.forMarket(environment, "cafe24", context());
    }

    MarketClient client(PriorityLimiter limiter) {
        return client(limiter, MarketCallListener.NONE);
    }

    MarketClient client(PriorityLimiter limiter, MarketCallListener listener) {
        return MarketClient.builder(limiter, adapter()).listener(listener).build();
    }

    /** An in-memory limiter of the market's budgets (closed by {@link #close()}). */
    PriorityLimiter limiter() {
        PriorityLimiter limiter = PriorityLimiter.builder()
                .budgets(environment.market("cafe24").limiterBudgets())
                .store(new InMemoryLimiterStore(Clock.systemUTC()))
                .build();
        limiters.add(limiter);
        return limiter;
    }

    void close() {
        limiters.forEach(PriorityLimiter::close);
    }

    /** The body a request would send, read from its publisher. */
    static String body(java.net.http.HttpRequest request) {
        java.net.http.HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElseThrow();
        StringBuilder out = new StringBuilder();
        publisher.subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.nio.ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void onError(Throwable throwable) {
                throw new AssertionError(throwable);
            }

            @Override
            public void onComplete() {}
        });
        return out.toString();
    }
}
