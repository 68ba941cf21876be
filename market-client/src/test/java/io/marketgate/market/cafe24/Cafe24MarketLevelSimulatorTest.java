package io.marketgate.market.cafe24;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.market.BucketLevel;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.MarketClient;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.SimulatedMarket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limiter follows the level of the mall's own bucket, which counts other apps installed on the mall too: a run of
 * calls against the simulated Cafe24 just after another app has filled most of the bucket draws no 429 with the feedback,
 * and draws 429s without it. The budgets are the dev environment's: 36 per 20 s per mall (following the bucket's
 * level) and 10 per second per mall (which only spreads the calls).
 */
class Cafe24MarketLevelSimulatorTest {

    private static final int THREADS = 3;
    private static final int CALLS_PER_THREAD = 5;
    /**
     * The other app's calls, made just before ours: 37 of the bucket's 40, leaving room for the first call of each of
     * our threads, which are granted before any answer has told the level.
     */
    private static final int OTHER_APP_CALLS = 37;

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private Cafe24Fixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void with_the_market_s_level_followed_no_call_draws_a_429_while_another_app_fills_the_bucket() throws Exception {
        // GIVEN a mall whose bucket another app fills to 37 of 40
        start();
        List<BucketLevel> levels = new CopyOnWriteArrayList<>();

        // WHEN three threads make 15 calls through a client that follows the market's level
        List<CallOutcome> outcomes = run(true, levels);

        // THEN the market answered every call, none with a 429, and the levels reached the limiter's mall budget only
        assertThat(market.arrivals()).hasSize(THREADS * CALLS_PER_THREAD);
        assertThat(market.arrivals()).noneMatch(a -> a.status() == 429);
        assertThat(outcomes).noneMatch(o -> o instanceof CallOutcome.Throttled || o instanceof CallOutcome.Deferred);
        assertThat(levels).isNotEmpty().allSatisfy(l -> assertThat(l.budgets()).singleElement().asString().startsWith("cafe24/mall:"));
        // AND the answers showed the other app's calls: more in the bucket than all of ours together
        assertThat(levels).anySatisfy(l -> assertThat(l.used()).isGreaterThan(THREADS * CALLS_PER_THREAD));
    }

    @Test
    void without_the_market_s_level_the_same_run_draws_429s() throws Exception {
        // GIVEN the same mall, filled to 37 of 40 by another app
        start();

        // WHEN the same calls go through a client that does not follow the market's level
        run(false, new CopyOnWriteArrayList<>());

        // THEN the fleet's own budgets (36 per 20 s, 10 per second) let more calls through than the bucket had room for
        assertThat(market.arrivals()).anyMatch(a -> a.status() == 429);
    }

    private void start() throws Exception {
        sim = MarketSim.builder().market(MarketPresets.cafe24Admin().sellers("S1").ordersPerHour(5).build()).start();
        market = sim.market("cafe24");
        fx = Cafe24Fixture.of(dir, market.clientBaseUrlTemplate(), Clock.systemUTC(), 50, 36,
                new io.marketgate.market.auth.InMemoryConnectionStore(), yaml -> yaml
                        .replace("mall: {scope: mall, limit: MALL_LIMIT, window: 1s, followsMarketLevel: true}",
                                "mall: {scope: mall, limit: MALL_LIMIT, window: 20s, followsMarketLevel: true}\n"
                                        + "      burst: {scope: mall, limit: 10, window: 1s}")
                        .replace("get-order: {budgets: [cafe24/mall]}", "get-order: {budgets: [cafe24/mall, cafe24/burst]}"));
        Cafe24Credentials c = market.cafe24Credentials("S1");
        fx.seller("S1", c.mallId(), c.clientId(), c.clientSecret())
                .connected("S1", c.accessToken(), c.accessTokenExpiresAt(), c.refreshToken(), c.refreshTokenExpiresAt());
    }

    /** {@value #THREADS} threads, each making {@value #CALLS_PER_THREAD} order look-ups at HIGH, waiting up to 10 s each. */
    private List<CallOutcome> run(boolean followMarketLevel, List<BucketLevel> levels) throws Exception {
        PriorityLimiter limiter = fx.limiter();
        MarketClient client = MarketClient.builder(limiter, fx.adapter())
                .followMarketLevel(followMarketLevel)
                .listener(new MarketCallListener() {
                    @Override
                    public void onOutcome(PlannedCall call, Priority priority, CallOutcome outcome, Duration elapsed) {}

                    @Override
                    public void onBucketLevel(PlannedCall call, BucketLevel level) {
                        levels.add(level);
                    }
                })
                .build();
        Seller seller = Seller.of("S1", Map.of("mallId", market.cafe24Credentials("S1").mallId()));
        PlannedCall lookUp = client.adapter().planGetOrder(seller, "20261121-0000999");
        assertThat(market.otherAppCalls("S1", OTHER_APP_CALLS)).isEqualTo(OTHER_APP_CALLS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<CallOutcome>>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(pool.submit(() -> {
                    List<CallOutcome> mine = new ArrayList<>();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        mine.add(client.execute(lookUp, Priority.HIGH, Duration.ofSeconds(10)));
                    }
                    return mine;
                }));
            }
            List<CallOutcome> all = new ArrayList<>();
            for (Future<List<CallOutcome>> f : threads) {
                all.addAll(f.get(2, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
