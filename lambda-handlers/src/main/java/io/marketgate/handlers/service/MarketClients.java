package io.marketgate.handlers.service;

import io.marketgate.config.MarketConfig;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.MarketClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link MarketClient} per market for the life of a handler instance, each with its own limiter on the store
 * {@link HandlerDependencies#storeForMarket()} gives (asked once per market: a Lambda instance keeps its connection
 * between invocations), and its adapter reading the sellers' credentials from {@link HandlerDependencies#credentials()}.
 */
public final class MarketClients implements AutoCloseable {

    private final HandlerDependencies deps;
    private final HandlerMetrics metrics;
    private final Map<String, MarketClient> clients = new ConcurrentHashMap<>();
    private final Map<String, PriorityLimiter> limiters = new ConcurrentHashMap<>();

    public MarketClients(HandlerDependencies deps, HandlerMetrics metrics) {
        this.deps = deps;
        this.metrics = metrics;
    }

    /** The client of {@code market}; throws {@link IllegalArgumentException} when the environment has no such market or adapter. */
    public MarketClient client(String market) {
        return clients.computeIfAbsent(market, this::create);
    }

    /** The handler's metrics, which the clients and limiters count into. */
    public HandlerMetrics metrics() {
        return metrics;
    }

    /** The limiter of {@code market} (created with its client), for operators' views and tests. */
    public PriorityLimiter limiter(String market) {
        client(market);
        return limiters.get(market);
    }

    private MarketClient create(String market) {
        MarketConfig config = deps.environment().market(market);
        // the sellers' credentials come from the cached source of the dependencies (Secrets Manager behind it)
        MarketAdapter adapter = deps.adapter(market);
        PriorityLimiter limiter = PriorityLimiter.builder()
                .budgets(config.limiterBudgets())
                .store(deps.storeForMarket().apply(market))
                .failureMode(config.failureMode())
                .listener(both(metrics.limiterListener(), deps.limiterListener()))
                .build();
        limiters.put(market, limiter);
        MarketCallListener extra = deps.marketCallListener();
        MarketCallListener mine = metrics.marketCallListener();
        return MarketClient.builder(limiter, adapter)
                .httpClient(deps.http())
                // the market's own bucket level (Cafe24's X-Api-Call-Limit) lowers the limiter's budgets configured with
                // followsMarketLevel: true to the market's room, other apps' calls included (docs/limiter.md)
                .followMarketLevel(true)
                .listener(new MarketCallListener() {
                    @Override
                    public void onOutcome(io.marketgate.market.PlannedCall call, io.marketgate.limiter.Priority priority,
                            io.marketgate.market.CallOutcome outcome, Duration elapsed) {
                        mine.onOutcome(call, priority, outcome, elapsed);
                        extra.onOutcome(call, priority, outcome, elapsed);
                    }

                    /**
                     * The market's own bucket level (Cafe24's X-Api-Call-Limit), for the metrics and the dependencies'
                     * listener; the client has already handed it to the limiter.
                     */
                    @Override
                    public void onBucketLevel(io.marketgate.market.PlannedCall call, io.marketgate.market.BucketLevel level) {
                        mine.onBucketLevel(call, level);
                        extra.onBucketLevel(call, level);
                    }
                })
                .build();
    }

    private static LimiterListener both(LimiterListener a, LimiterListener b) {
        return new LimiterListener() {
            @Override
            public void onGranted(Call call, Decision decision) {
                a.onGranted(call, decision);
                b.onGranted(call, decision);
            }

            @Override
            public void onGuarded(Call call, String budget, Duration jitterGuard) {
                a.onGuarded(call, budget, jitterGuard);
                b.onGuarded(call, budget, jitterGuard);
            }

            @Override
            public void onDenied(Call call, Decision decision) {
                a.onDenied(call, decision);
                b.onDenied(call, decision);
            }

            @Override
            public void onWaited(Call call, Duration waited, Decision outcome) {
                a.onWaited(call, waited, outcome);
                b.onWaited(call, waited, outcome);
            }

            @Override
            public void onStoreFailure(Throwable cause) {
                a.onStoreFailure(cause);
                b.onStoreFailure(cause);
            }
        };
    }

    @Override
    public void close() {
        limiters.values().forEach(PriorityLimiter::close);
    }
}
