package io.marketgate.market.reference;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A market {@code shop} configured through a real environment file, an in-memory limiter and a client, for one test.
 * {@code list-orders} draws from three budgets: the seller's vendor instance, the fleet-wide endpoint and the
 * seller's mall instance; {@code ship-order} from the vendor instance only. Every other kind's list draws from
 * {@code list-records} (the vendor instance and the fleet-wide {@code records}), every other action from {@code act}
 * (the vendor instance). Market {@code bare} maps only {@code listOrders}: it offers orders and nothing else.
 */
public final class Fixture {

    static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              shop:
                fleetSize: 1
                budgets:
                  vendor: {scope: vendor, limit: 100, window: 1s}
                  orders: {scope: endpoint, limit: 100, window: 1m}
                  mall: {scope: mall, limit: 100, window: 1s}
                  records: {scope: endpoint, limit: 100, window: 1m}
                calls:
                  list-orders: {budgets: [shop/vendor, shop/orders, shop/mall]}
                  ship-order: {budgets: [shop/vendor]}
                  list-records: {budgets: [shop/vendor, shop/records]}
                  act: {budgets: [shop/vendor]}
                adapter:
                  type: reference-rest
                  baseUrl: BASE_URL
                  apiKey: ${env:SHOP_API_KEY}
                  pageSize: 3
                  maxRangePerCall: 24h
                  requestTimeout: 5s
                  throttleCodes: ["004"]
                  calls:
                    listOrders: list-orders
                    shipOrder: ship-order
                    listClaims: list-records
                    listInquiries: list-records
                    listReviews: list-records
                    listProducts: list-records
                    listSettlements: list-records
                    acknowledgeOrder: act
                    answerInquiry: act
                    replyReview: act
                    changePrice: act
                    changeStock: act
                    changeSaleStatus: act
                    confirmClaim: act
                    rejectClaim: act
              bare:
                fleetSize: 1
                budgets:
                  vendor: {scope: vendor, limit: 100, window: 1s}
                calls:
                  list-orders: {budgets: [bare/vendor]}
                adapter:
                  type: reference-rest
                  baseUrl: BASE_URL
                  apiKey: ${env:SHOP_API_KEY}
                  calls: {listOrders: list-orders}
            """;

    public final EnvironmentConfig environment;
    public final PriorityLimiter limiter;
    public final ReferenceRestAdapter adapter;
    public final MarketClient client;
    public final List<String> outcomes = new CopyOnWriteArrayList<>();

    private Fixture(EnvironmentConfig environment, PriorityLimiter limiter, ReferenceRestAdapter adapter, Duration requestTimeout) {
        this.environment = environment;
        this.limiter = limiter;
        this.adapter = adapter;
        this.client = MarketClient.builder(limiter, adapter)
                .requestTimeout(requestTimeout)
                .listener((call, priority, outcome, elapsed) ->
                        outcomes.add(call.market() + " " + call.callName() + " " + priority + " " + outcome.kind()))
                .build();
    }

    /** The environment of {@code baseUrl}, loaded from a file in {@code dir}. */
    public static EnvironmentConfig environment(Path dir, String baseUrl) throws IOException {
        Path file = Files.writeString(dir.resolve("test.yaml"), YAML.replace("BASE_URL", baseUrl));
        return EnvironmentLoader.load(file);
    }

    public static Fixture of(Path dir, String baseUrl) throws IOException {
        return of(dir, baseUrl, b -> true, Duration.ofSeconds(5));
    }

    /** With {@code pageSize} records a page asked for, instead of 3. */
    public static Fixture of(Path dir, String baseUrl, int pageSize) throws IOException {
        return of(dir, baseUrl, b -> true, Duration.ofSeconds(5), pageSize);
    }

    /** With only the budgets that {@code keep} accepts in the limiter, and {@code requestTimeout}. */
    public static Fixture of(Path dir, String baseUrl, Predicate<Budget> keep, Duration requestTimeout) throws IOException {
        return of(dir, baseUrl, keep, requestTimeout, 3);
    }

    private static Fixture of(Path dir, String baseUrl, Predicate<Budget> keep, Duration requestTimeout, int pageSize)
            throws IOException {
        Path file = Files.writeString(dir.resolve("test.yaml"), YAML.replace("BASE_URL", baseUrl)
                .replace("pageSize: 3", "pageSize: " + pageSize));
        EnvironmentConfig env = EnvironmentLoader.load(file);
        PriorityLimiter limiter = PriorityLimiter.builder()
                .budgets(env.market("shop").limiterBudgets().stream().filter(keep).toList())
                .store(new InMemoryLimiterStore(Clock.systemUTC()))
                .build();
        MarketAdapter adapter = MarketAdapters.forMarket(env, "shop", Map.of("SHOP_API_KEY", TestMarket.API_KEY)::get);
        return new Fixture(env, limiter, (ReferenceRestAdapter) adapter, requestTimeout);
    }

    public BudgetStatus status(String budget) {
        return limiter.control().status(budget);
    }

    public long usage(String budget) {
        return status(budget).totalUsage();
    }

    public long usage(String budget, Priority priority) {
        return status(budget).usage().get(priority);
    }
}
