package io.marketgate.market.naver;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketClient;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.Credentials;
import io.marketgate.market.auth.CredentialsUnavailableException;
import io.marketgate.market.auth.InMemoryTokenCache;
import io.marketgate.market.auth.SharedTokens;
import io.marketgate.market.auth.TokenCache;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A Naver market {@code naver} configured through a real environment file: its budgets (one per API, fleet-wide, and
 * one per seller), its calls, and sellers' credentials in memory; adapters and clients built from it share one token
 * cache, as instances of a fleet share Valkey.
 */
final class NaverFixture {

    /** Naver's documented example application. */
    static final String DOC_CLIENT_ID = "aaaabbbbcccc";
    static final String DOC_SECRET = "$2a$10$abcdefghijklmnopqrstuv";
    /** The hand-computed vector's application (market-protocols.md, [I]). */
    static final String SIM_CLIENT_ID = "sim-client-01";
    static final String SIM_SECRET = "$2a$04$J9FW0u6Qh3cXqk1Vq0PCxe";
    static final long SIM_TIMESTAMP = 1_767_225_600_000L;
    static final String SIM_SIGN = "JDJhJDA0JEo5RlcwdTZRaDNjWHFrMVZxMFBDeGVCS0lXTzBlQWJjODhZOUQ5eVhTdFpLQ0JhMlFwbndL";

    /** {@code LIMIT} is replaced by each API budget's limit per second. */
    static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              naver:
                fleetSize: 1
                budgets:
                  token: {scope: endpoint, limit: LIMIT, window: 1s}
                  changed: {scope: endpoint, limit: LIMIT, window: 1s}
                  query: {scope: endpoint, limit: LIMIT, window: 1s}
                  dispatch: {scope: endpoint, limit: LIMIT, window: 1s}
                  qnas: {scope: endpoint, limit: LIMIT, window: 1s}
                  qna-answers: {scope: endpoint, limit: LIMIT, window: 1s}
                  product-search: {scope: endpoint, limit: LIMIT, window: 1s}
                  product-multi-update: {scope: endpoint, limit: LIMIT, window: 1s}
                  product-change-status: {scope: endpoint, limit: LIMIT, window: 1s}
                  settle-daily: {scope: endpoint, limit: LIMIT, window: 1s}
                  confirm: {scope: endpoint, limit: LIMIT, window: 1s}
                  claim-decisions: {scope: endpoint, limit: LIMIT, window: 1s}
                  seller: {scope: seller, limit: SELLER_LIMIT, window: 1s}
                calls:
                  token: {budgets: [naver/token]}
                  list-changed-orders: {budgets: [naver/changed, naver/seller]}
                  get-orders: {budgets: [naver/query, naver/seller]}
                  ship-order: {budgets: [naver/dispatch, naver/seller]}
                  list-claims: {budgets: [naver/changed, naver/seller]}
                  list-inquiries: {budgets: [naver/qnas, naver/seller]}
                  list-products: {budgets: [naver/product-search, naver/seller]}
                  list-settlements: {budgets: [naver/settle-daily, naver/seller]}
                  acknowledge-order: {budgets: [naver/confirm, naver/seller]}
                  answer-inquiry: {budgets: [naver/qna-answers, naver/seller]}
                  change-price: {budgets: [naver/product-multi-update, naver/seller]}
                  change-stock: {budgets: [naver/product-multi-update, naver/seller]}
                  change-sale-status: {budgets: [naver/product-change-status, naver/seller]}
                  confirm-claim: {budgets: [naver/claim-decisions, naver/seller]}
                  reject-claim: {budgets: [naver/claim-decisions, naver/seller]}
                adapter:
                  type: naver
                  baseUrl: BASE_URL
                  pageSize: PAGE_SIZE
                  requestTimeout: 5s
                  calls: {token: token, listOrders: list-changed-orders, getOrders: get-orders, shipOrder: ship-order,
                          listClaims: list-claims, listInquiries: list-inquiries, listProducts: list-products,
                          listSettlements: list-settlements, acknowledgeOrder: acknowledge-order, answerInquiry: answer-inquiry,
                          changePrice: change-price, changeStock: change-stock, changeSaleStatus: change-sale-status,
                          confirmClaim: confirm-claim, rejectClaim: reject-claim}
            """;

    final EnvironmentConfig environment;
    final Map<String, Credentials> credentials = new ConcurrentHashMap<>();
    final TokenCache tokenCache;
    final Clock clock;
    final List<PriorityLimiter> limiters = new CopyOnWriteArrayList<>();

    private NaverFixture(EnvironmentConfig environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
        this.tokenCache = new InMemoryTokenCache(clock);
    }

    /** Roomy budgets (100 per second per API), pages of 3. */
    static NaverFixture of(Path dir, String baseUrl, Clock clock) throws IOException {
        return of(dir, baseUrl, clock, 100, 3);
    }

    static NaverFixture of(Path dir, String baseUrl, Clock clock, int limitPerApi, int pageSize) throws IOException {
        return of(dir, baseUrl, clock, limitPerApi, pageSize, UnaryOperator.identity());
    }

    /** With {@code edit} applied to the environment file. */
    static NaverFixture of(Path dir, String baseUrl, Clock clock, int limitPerApi, int pageSize, UnaryOperator<String> edit)
            throws IOException {
        String yaml = edit.apply(YAML).replace("BASE_URL", baseUrl).replace("SELLER_LIMIT", Integer.toString(Math.max(5, limitPerApi * 3)))
                .replace("LIMIT", Integer.toString(limitPerApi)).replace("PAGE_SIZE", Integer.toString(pageSize));
        Path file = Files.writeString(dir.resolve("test.yaml"), yaml);
        return new NaverFixture(EnvironmentLoader.load(file), clock);
    }

    /** Registers a SELF application for {@code sellerId}. */
    NaverFixture self(String sellerId, String clientId, String secret) {
        credentials.put(sellerId, NaverAdapter.CREDENTIALS.validate(Map.of(
                NaverAdapter.CLIENT_ID, clientId, NaverAdapter.CLIENT_SECRET, secret, NaverAdapter.TYPE, "SELF")));
        return this;
    }

    /** Registers a solution application acting for {@code sellerId}'s account. */
    NaverFixture seller(String sellerId, String clientId, String secret, String accountId) {
        credentials.put(sellerId, NaverAdapter.CREDENTIALS.validate(Map.of(NaverAdapter.CLIENT_ID, clientId,
                NaverAdapter.CLIENT_SECRET, secret, NaverAdapter.TYPE, "SELLER", NaverAdapter.ACCOUNT_ID, accountId)));
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

    /** A context of one fleet instance: these credentials, the shared token cache, this clock. */
    AdapterContext context() {
        return new AdapterContext(name -> null, source(), new SharedTokens(tokenCache, clock), clock);
    }

    /** A new adapter instance, as another instance of the fleet would build it. */
    NaverAdapter adapter() {
        return (NaverAdapter) MarketAdapters.forMarket(environment, "naver", context());
    }

    /** A client of a new adapter instance, drawing from {@code limiter}. */
    MarketClient client(PriorityLimiter limiter) {
        return MarketClient.builder(limiter, adapter()).build();
    }

    /** An in-memory limiter of the market's budgets (closed by {@link #close()}). */
    PriorityLimiter limiter() {
        PriorityLimiter limiter = PriorityLimiter.builder()
                .budgets(environment.market("naver").limiterBudgets())
                .store(new InMemoryLimiterStore(Clock.systemUTC()))
                .build();
        limiters.add(limiter);
        return limiter;
    }

    void close() {
        limiters.forEach(PriorityLimiter::close);
    }

    /** The body a request would send, read from its publisher. */
    static String body(HttpRequest request) {
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElseThrow();
        StringBuilder out = new StringBuilder();
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.append(new String(bytes, StandardCharsets.UTF_8));
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

    /** A clock that moves only when a test says so; thread-safe. */
    static final class MovingClock extends Clock {
        private final AtomicLong nanos;

        MovingClock(Instant start) {
            this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        long epochNanos() {
            return nanos.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(0, nanos.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
