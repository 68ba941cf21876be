package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Arrival records and the compliance verdict over real HTTP. */
class ArrivalRecordsTest extends SimFixture {

    private static final Instant FROM = DAY_START;
    private static final Instant TO = DAY_START.plus(Duration.ofHours(1));

    private static MarketConfig coupangLike() {
        return coupangLike(Duration.ofMillis(200));
    }

    private static MarketConfig coupangLike(Duration window) {
        return MarketPresets.coupang().apiKeys("vendor-a").sellers("A001", "A002")
                .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 5, window)))
                .penalty(Penalty.NONE)
                .build();
    }

    @Test
    void every_arrival_is_recorded_with_time_endpoint_seller_key_and_outcome() {
        // GIVEN a Coupang-like market on the manual clock
        start(coupangLike());
        MarketClient a = client("coupang", "vendor-a");

        // WHEN a list, a shipment and an unauthenticated call arrive 1 ms apart
        a.orders("A001", FROM, TO);
        clock.advance(Duration.ofMillis(1));
        String order = sim.market("coupang").orders("A002", FROM, TO.plus(Duration.ofHours(5))).get(0).orderId();
        a.ship("A002", order);
        clock.advance(Duration.ofMillis(1));
        a.withKey(null).orders("A001", FROM, TO);

        // THEN the records carry exactly that
        List<Arrival> arrivals = sim.market("coupang").arrivals();
        assertThat(arrivals).extracting(Arrival::endpoint)
                .containsExactly(Endpoint.LIST_ORDERS, Endpoint.CREATE_SHIPMENT, Endpoint.LIST_ORDERS);
        assertThat(arrivals).extracting(Arrival::sellerId).containsExactly("A001", "A002", "A001");
        assertThat(arrivals).extracting(Arrival::apiKey).containsExactly("vendor-a", "vendor-a", null);
        assertThat(arrivals).extracting(Arrival::outcome).containsExactly(Outcome.OK, Outcome.CREATED, Outcome.UNAUTHORIZED);
        assertThat(arrivals).extracting(Arrival::status).containsExactly(200, 201, 401);
        assertThat(arrivals).extracting(Arrival::instant)
                .containsExactly(T0, T0.plusMillis(1), T0.plusMillis(2));
        assertThat(arrivals.get(1).orderId()).isEqualTo(order);
        assertThat(arrivals).allSatisfy(x -> assertThat(x.sourceAddress()).isEqualTo("127.0.0.1"));
        assertThat(sim.arrivals()).isEqualTo(arrivals);
    }

    @Test
    void a_client_that_overruns_the_budget_is_caught_by_the_compliance_checker() throws Exception {
        // GIVEN a Coupang-like market with 5 calls per 2 s, on the real clock
        try (MarketSim real = MarketSim.builder().market(coupangLike(Duration.ofSeconds(2))).start()) {
            MarketClient a = new MarketClient(real.baseUrl("coupang"), "vendor-a");

            // WHEN 4 threads fire 20 calls without any limiter (far more than 5 arrive within 2 s even on a loaded machine)
            List<Integer> statuses = fire(20, 4, () -> a.orders("A001", FROM, TO).status());

            // THEN the market throttled some and the checker counts at least as many calls over budget
            long throttled = statuses.stream().filter(s -> s == 429).count();
            ComplianceReport report = real.market("coupang").compliance();
            assertThat(throttled).isPositive();
            assertThat(report.callsOverBudget()).isGreaterThanOrEqualTo(throttled);
            assertThat(real.market("coupang").callsOverBudget("vendor")).isEqualTo(report.callsOverBudget());
            assertThat(report.compliant()).isFalse();
        }
    }

    @Test
    void a_client_that_stays_under_the_budget_has_zero_calls_over_budget() {
        // GIVEN the same market on the manual clock
        start(coupangLike());
        MarketClient a = client("coupang", "vendor-a");

        // WHEN the client sends 5 calls per 200 ms for a simulated second, spacing them 40 ms apart
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            statuses.add(a.orders(i % 2 == 0 ? "A001" : "A002", FROM, TO).status());
            clock.advance(Duration.ofMillis(40));
        }

        // THEN nothing was throttled and the checker finds zero calls over budget, at full use of it
        assertThat(statuses).containsOnly(200);
        ComplianceReport report = sim.market("coupang").compliance();
        assertThat(report.callsOverBudget()).isZero();
        assertThat(report.budget("vendor").peak()).isEqualTo(5);
        assertThat(report.budget("vendor").callsCounted()).isEqualTo(25);
    }

    @Test
    void the_checker_counts_what_the_market_refused_as_calls_over_budget() {
        // GIVEN the manual clock and the same market
        start(coupangLike());
        MarketClient a = client("coupang", "vendor-a");

        // WHEN 8 calls arrive at one instant
        for (int i = 0; i < 8; i++) {
            a.orders("A001", FROM, TO);
        }

        // THEN 3 were refused and exactly 3 are over budget
        assertThat(sim.market("coupang").arrivals()).filteredOn(x -> x.outcome().throttled()).hasSize(3);
        assertThat(sim.market("coupang").callsOverBudget()).isEqualTo(3);
        // and reset forgets them
        sim.market("coupang").reset();
        assertThat(sim.market("coupang").arrivals()).isEmpty();
        assertThat(sim.market("coupang").callsOverBudget()).isZero();
    }

    private static List<Integer> fire(int calls, int threads, Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(pool.submit(call));
            }
            List<Integer> out = new ArrayList<>();
            for (Future<Integer> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
