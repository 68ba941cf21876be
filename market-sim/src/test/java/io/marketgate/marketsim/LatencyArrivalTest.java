package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Latency over real HTTP on the system clock: a request is counted at the market only after its ingress half. The
 * assertions are lower bounds of real sleeps, which a loaded machine can only lengthen.
 */
class LatencyArrivalTest {

    private static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(1));

    @Test
    void a_request_arrives_after_its_ingress_delay_and_is_answered_after_the_whole_delay() {
        // GIVEN a market without latency
        try (MarketSim sim = MarketSim.builder().market(MarketConfig.named("m").apiKeys("k").sellers("S").build()).start()) {
            SimulatedMarket market = sim.market("m");
            MarketClient client = new MarketClient(sim.baseUrl("m"), "k");
            assertThat(client.orders("S", FROM, TO).status()).isEqualTo(200);

            // WHEN the network turns slow (a fixed 600 ms round trip) and the client calls again at once
            market.latency(Latency.fixed(Duration.ofMillis(600)));
            long sent = System.nanoTime();
            MarketClient.Reply reply = client.orders("S", FROM, TO);
            long took = System.nanoTime() - sent;

            // THEN the second call was stamped at least the 300 ms ingress after the first was answered, and its
            // answer took the whole 600 ms
            assertThat(reply.status()).isEqualTo(200);
            List<Arrival> arrivals = market.arrivals();
            assertThat(arrivals).hasSize(2);
            assertThat(arrivals.get(1).epochNanos() - arrivals.get(0).epochNanos())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(600).toNanos());
            assertThat(market.latency()).isEqualTo(Latency.fixed(Duration.ofMillis(600)));
        }
    }

    @Test
    void a_budget_counts_a_request_when_it_arrives_not_when_it_was_sent() {
        // GIVEN one call per 400 ms, and a 1 s fixed round trip (500 ms each way)
        try (MarketSim sim = MarketSim.builder().market(MarketConfig.named("m").apiKeys("k").sellers("S")
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1, Duration.ofMillis(400)))
                .latency(Latency.fixed(Duration.ofSeconds(1))).build()).start()) {
            MarketClient client = new MarketClient(sim.baseUrl("m"), "k");

            // WHEN the client calls twice in a row, each when the previous answer is back
            int first = client.orders("S", FROM, TO).status();
            int second = client.orders("S", FROM, TO).status();

            // THEN both are admitted: their arrivals are a whole round trip (≥ 1 s) apart, more than the window,
            // though the second was sent only the 500 ms egress after the first arrived
            assertThat(first).isEqualTo(200);
            assertThat(second).isEqualTo(200);
            List<Arrival> arrivals = sim.market("m").arrivals();
            assertThat(arrivals.get(1).epochNanos() - arrivals.get(0).epochNanos())
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(sim.market("m").callsOverBudget()).isZero();
        }
    }

    @Test
    void reset_restores_the_configured_latency() {
        try (MarketSim sim = MarketSim.builder().market(MarketConfig.named("m").apiKeys("k").sellers("S")
                .latency(Latency.fixed(Duration.ofMillis(2))).build()).start()) {
            sim.market("m").latency(Latency.NONE);
            assertThat(sim.market("m").latency()).isEqualTo(Latency.NONE);
            sim.market("m").reset();
            assertThat(sim.market("m").latency()).isEqualTo(Latency.fixed(Duration.ofMillis(2)));
        }
    }
}
