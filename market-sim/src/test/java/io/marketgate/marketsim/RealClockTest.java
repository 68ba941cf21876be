package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same rules on the system clock with short windows. Assertions are on counts and codes: each test first
 * waits until the market refuses, then until it serves again, with deadlines generous enough for a loaded machine.
 */
class RealClockTest {

    private static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(1));
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static MarketClient.Reply untilStatus(MarketClient c, String seller, int wanted) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            MarketClient.Reply r = c.orders(seller, FROM, TO);
            if (r.status() == wanted) {
                return r;
            }
            if (wanted == 200) {
                Thread.sleep(10); // waiting for a drain: no need to hammer; waiting for a refusal: fill it fast
            }
        }
        throw new AssertionError("no " + wanted + " within " + DEADLINE);
    }

    @Test
    void leaky_bucket_drains_on_the_real_clock() throws InterruptedException {
        // GIVEN a bucket of 3 per mall draining one call every 100 ms
        try (MarketSim sim = MarketSim.builder().market(MarketPresets.cafe24().apiKeys("k").sellers("mall")
                .budgets(List.of(MarketBudget.leakyBucket("mall", Scope.SELLER, 3, Duration.ofMillis(100)))).build()).start()) {
            MarketClient c = new MarketClient(sim.baseUrl("cafe24"), "k");

            // WHEN the client calls until it is refused, then keeps trying
            untilStatus(c, "mall", 429);
            untilStatus(c, "mall", 200);

            // THEN the bucket drained: a refused call was followed by a served one, with Retry-After within one unit
            List<Arrival> arrivals = sim.market("cafe24").arrivals();
            assertThat(arrivals).extracting(Arrival::outcome).contains(Outcome.THROTTLED).endsWith(Outcome.OK);
            MarketClient.Reply r = untilStatus(c, "mall", 429);
            assertThat(Long.parseLong(r.header("Retry-After-Ms"))).isBetween(1L, 100L);
        }
    }

    @Test
    void penalty_block_ends_on_the_real_clock() throws InterruptedException {
        // GIVEN 2 calls per 100 ms and a 300 ms block after 2 over-limit calls
        try (MarketSim sim = MarketSim.builder().market(MarketConfig.named("m").apiKeys("k").sellers("S")
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 2, Duration.ofMillis(100)))
                .penalty(Penalty.after(2, Duration.ofMillis(300))).build()).start()) {
            MarketClient c = new MarketClient(sim.baseUrl("m"), "k");

            // WHEN the client overruns until it is penalised, then keeps trying
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (sim.market("m").arrivals().stream().noneMatch(a -> a.outcome() == Outcome.PENALIZED)
                    && System.nanoTime() < end) {
                c.orders("S", FROM, TO);
            }
            untilStatus(c, "S", 200);

            // THEN it was blocked and later served again; the block lasted at least its duration
            List<Arrival> arrivals = sim.market("m").arrivals();
            Arrival firstPenalised = arrivals.stream().filter(a -> a.outcome() == Outcome.PENALIZED).findFirst().orElseThrow();
            Arrival lastThrottledBeforeBlock = arrivals.stream()
                    .filter(a -> a.outcome() == Outcome.THROTTLED && a.sequence() < firstPenalised.sequence())
                    .reduce((x, y) -> y).orElseThrow();
            Arrival servedAfter = arrivals.get(arrivals.size() - 1);
            assertThat(servedAfter.outcome()).isEqualTo(Outcome.OK);
            assertThat(servedAfter.epochNanos() - lastThrottledBeforeBlock.epochNanos())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            assertThat(sim.market("m").callsOverBudget()).isPositive();
        }
    }
}
