package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PenaltyTest extends SimFixture {

    private static final Instant FROM = DAY_START;
    private static final Instant TO = DAY_START.plus(Duration.ofHours(1));

    private static MarketConfig.Builder market() {
        return MarketConfig.named("m").apiKeys("vendor-a", "vendor-b").sellers("A001")
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 2, Duration.ofMillis(100)))
                .penalty(Penalty.after(3, Duration.ofMillis(300)));
    }

    @Test
    void penalty_block_starts_after_the_configured_excess_and_ends_after_its_duration() {
        // GIVEN 2 calls per 100 ms and a 300 ms block after 3 over-limit calls
        start(market().build());
        MarketClient a = client("m", "vendor-a");

        // WHEN vendor-a sends 2 calls in budget and 3 over it at one instant
        for (int i = 0; i < 5; i++) {
            a.orders("A001", FROM, TO);
        }
        // and, a window later, a call that the budget alone would admit
        clock.advance(Duration.ofMillis(150));
        MarketClient.Reply blocked = a.orders("A001", FROM, TO);

        // THEN that call is refused by the penalty, with the block's remaining 150 ms as its wait
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome).containsExactly(
                Outcome.OK, Outcome.OK, Outcome.THROTTLED, Outcome.THROTTLED, Outcome.THROTTLED, Outcome.PENALIZED);
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.body().get("code").asText()).isEqualTo("PENALTY_BLOCK");
        assertThat(blocked.header("Retry-After-Ms")).isEqualTo("150");
        // another key is not blocked
        assertThat(client("m", "vendor-b").orders("A001", FROM, TO).status()).isEqualTo(200);
        // the block ends exactly 300 ms after the excess that started it
        clock.advance(Duration.ofMillis(149));
        assertThat(a.orders("A001", FROM, TO).status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(a.orders("A001", FROM, TO).status()).isEqualTo(200);
    }

    @Test
    void fewer_over_limit_calls_than_the_threshold_start_no_block() {
        // GIVEN the same market
        start(market().build());
        MarketClient a = client("m", "vendor-a");

        // WHEN vendor-a goes over by only 2 calls
        for (int i = 0; i < 4; i++) {
            a.orders("A001", FROM, TO);
        }
        clock.advance(Duration.ofMillis(100));

        // THEN the next window serves it normally
        assertThat(a.orders("A001", FROM, TO).status()).isEqualTo(200);
    }

    @Test
    void penalty_of_an_http200_market_answers_with_the_market_error_code() {
        // GIVEN an 11st-like market with a penalty
        start(market().throttle(Throttle.http200("004", "rate limit")).build());
        MarketClient a = client("m", "vendor-a");
        for (int i = 0; i < 5; i++) {
            a.orders("A001", FROM, TO);
        }
        clock.advance(Duration.ofMillis(100));

        // WHEN it calls during the block
        MarketClient.Reply r = a.orders("A001", FROM, TO);

        // THEN HTTP 200 with code 004, recorded as penalised
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("code").asText()).isEqualTo("004");
        assertThat(sim.market("m").arrivals()).last().extracting(Arrival::outcome).isEqualTo(Outcome.PENALIZED);
    }
}
