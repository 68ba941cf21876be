package io.marketgate.market.naver;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketClient;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.NaverCredentials;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.TokenRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One token for the fleet: several adapter instances (as several Lambda instances) and threads share one cache
 * ({@link io.marketgate.market.auth.SharedTokens} over an {@link io.marketgate.market.auth.InMemoryTokenCache}), against
 * the simulated Naver, whose clock is the test's (so tokens expire and timestamps are checked on one time line).
 */
class NaverTokenSharingTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final int INSTANCES = 4;
    private static final int THREADS_PER_INSTANCE = 4;

    @TempDir
    Path dir;

    private NaverFixture.MovingClock clock;
    private MarketSim sim;
    private SimulatedMarket naver;
    private NaverFixture fx;
    private PriorityLimiter limiter;
    private ExecutorService pool;

    @BeforeEach
    void start() throws Exception {
        clock = new NaverFixture.MovingClock(T0.plus(Duration.ofDays(1)));
        // roomy budgets at the market: this test is about tokens, and its clock stands still
        sim = MarketSim.builder().clock(clock::epochNanos)
                .market(MarketPresets.naverCommerce().sellers("s-1")
                        .budgets(List.of(MarketBudget.slidingWindow("api", Scope.API_KEY_ENDPOINT, 10_000, Duration.ofSeconds(1))))
                        .build())
                .start();
        naver = sim.market("naver");
        NaverCredentials c = naver.naverCredentials("s-1");
        fx = NaverFixture.of(dir, sim.baseUrl("naver") + "/external", clock).self("s-1", c.clientId(), c.clientSecret());
        limiter = fx.limiter();
        pool = Executors.newFixedThreadPool(INSTANCES * THREADS_PER_INSTANCE);
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        fx.close();
        sim.close();
    }

    @Test
    void many_instances_and_threads_calling_at_once_make_one_token_request() throws Exception {
        // GIVEN 4 instances of the fleet, each with 4 threads, no token yet
        List<MarketClient> clients = clients();

        // WHEN all 16 list at once
        List<CallOutcome> outcomes = listAtOnce(clients);

        // THEN
        assertThat(outcomes).hasSize(INSTANCES * THREADS_PER_INSTANCE).allSatisfy(o -> assertThat(o).isInstanceOf(CallOutcome.Ok.class));
        assertThat(naver.tokenRequests()).hasSize(1);
        assertThat(naver.tokenRequests().get(0).issued()).isTrue();
    }

    @Test
    void a_token_due_for_renewal_is_renewed_by_one_caller_while_the_others_keep_using_it() throws Exception {
        // GIVEN a token, then 2 h 31 min later: 29 minutes left, past its renewal (Naver would now issue a new one)
        List<MarketClient> clients = clients();
        assertThat(list(clients.get(0))).isInstanceOf(CallOutcome.Ok.class);
        CachedToken first = fx.tokenCache.get(tokenKey()).orElseThrow();
        clock.advance(Duration.ofHours(2).plusMinutes(31));

        // WHEN 16 callers list at once
        List<CallOutcome> outcomes = listAtOnce(clients);

        // THEN exactly one of them fetched the new token; every call succeeded
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(CallOutcome.Ok.class));
        assertThat(naver.tokenRequests()).hasSize(2).allSatisfy(t -> assertThat(t.issued()).isTrue());
        CachedToken renewed = fx.tokenCache.get(tokenKey()).orElseThrow();
        assertThat(renewed.value()).isNotEqualTo(first.value());
        assertThat(renewed.renewAfter()).isEqualTo(clock.instant().plus(Duration.ofMinutes(150)));
    }

    @Test
    void a_token_the_market_revoked_is_refused_fetched_again_once_and_the_call_repeated() throws Exception {
        // GIVEN a token in use, which the market then revokes
        List<MarketClient> clients = clients();
        assertThat(list(clients.get(0))).isInstanceOf(CallOutcome.Ok.class);
        CachedToken revoked = fx.tokenCache.get(tokenKey()).orElseThrow();
        naver.revokeTokens("s-1");

        // WHEN one instance lists, then another
        CallOutcome repeated = list(clients.get(1));
        CallOutcome next = list(clients.get(2));

        // THEN the first got 401 GW.AUTHN, fetched one new token, repeated and succeeded; the second used that token
        assertThat(repeated).isInstanceOf(CallOutcome.Ok.class);
        assertThat(next).isInstanceOf(CallOutcome.Ok.class);
        assertThat(naver.tokenRequests()).extracting(TokenRequest::issued).containsExactly(true, true);
        assertThat(fx.tokenCache.get(tokenKey()).orElseThrow().value()).isNotEqualTo(revoked.value());
        assertThat(naver.arrivals()).filteredOn(a -> a.status() == 401).hasSize(1);
    }

    @Test
    void no_token_request_of_the_adapter_is_one_naver_would_punish() throws Exception {
        listAtOnce(clients());
        clock.advance(Duration.ofHours(2).plusMinutes(45));
        listAtOnce(clients());

        assertThat(naver.tokenRequests()).hasSize(2).allSatisfy(t -> assertThat(t.nonStandard()).isEmpty());
        assertThat(naver.quotaPenalties()).isEmpty();
    }

    // ---- helpers

    private List<MarketClient> clients() {
        List<MarketClient> clients = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            clients.add(fx.client(limiter));
        }
        return clients;
    }

    private List<CallOutcome> listAtOnce(List<MarketClient> clients) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CallOutcome>> futures = new ArrayList<>();
        for (MarketClient client : clients) {
            for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                Callable<CallOutcome> call = () -> {
                    go.await();
                    return list(client);
                };
                futures.add(pool.submit(call));
            }
        }
        go.countDown();
        List<CallOutcome> outcomes = new ArrayList<>();
        for (Future<CallOutcome> f : futures) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private CallOutcome list(MarketClient client) throws InterruptedException {
        CollectionRequest request = new CollectionRequest("naver", Seller.of("s-1"), DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
        return client.execute(client.adapter().plan(request).get(0), Priority.MEDIUM, MAX_WAIT);
    }

    private String tokenKey() {
        return "naver:" + naver.naverCredentials("s-1").clientId() + ":SELF:-";
    }
}
