package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiMarketTest extends SimFixture {

    private static final Instant FROM = DAY_START;
    private static final Instant TO = DAY_START.plus(Duration.ofHours(1));

    @Test
    void presets_serve_side_by_side_under_their_own_base_paths_with_their_own_budgets_and_signals() {
        // GIVEN Coupang-, Naver-, 11st- and Cafe24-like markets on one server
        start(MarketPresets.coupang().apiKeys("vendor").sellers("A001").build(),
                MarketPresets.naver().apiKeys("app").sellers("N1").build(),
                MarketPresets.elevenSt().apiKeys("key").sellers("E1").build(),
                MarketPresets.cafe24().apiKeys("mall-key").sellers("mall1").build());

        // WHEN 11st gets two calls in one instant, and every other market one
        MarketClient.Reply eleven1 = client("11st", "key").orders("E1", FROM, TO);
        MarketClient.Reply eleven2 = client("11st", "key").orders("E1", FROM, TO);
        MarketClient.Reply coupang = client("coupang", "vendor").orders("A001", FROM, TO);
        MarketClient.Reply naver = client("naver", "app").orders("N1", FROM, TO);
        MarketClient.Reply cafe24 = client("cafe24", "mall-key").orders("mall1", FROM, TO);

        // THEN 11st throttles its way (HTTP 200, code 004) without touching the others
        assertThat(sim.baseUrl("coupang")).matches("http://127\\.0\\.0\\.1:\\d+/coupang");
        assertThat(eleven1.status()).isEqualTo(200);
        assertThat(eleven1.body().get("hasNext")).isNotNull();
        assertThat(eleven2.status()).isEqualTo(200);
        assertThat(eleven2.body().get("code").asText()).isEqualTo("004");
        assertThat(List.of(coupang.status(), naver.status(), cafe24.status())).containsOnly(200);
        assertThat(cafe24.header("X-Api-Call-Limit")).isEqualTo("1/40");
        assertThat(sim.market("11st").callsOverBudget()).isEqualTo(1);
        assertThat(sim.market("coupang").callsOverBudget()).isZero();
        assertThat(sim.market("coupang").arrivals()).hasSize(1);
        assertThat(sim.arrivals()).hasSize(5);
    }

    @Test
    void the_same_key_on_two_markets_draws_from_two_separate_budgets() {
        // GIVEN two markets with 1 call per second for the same key
        MarketBudget one = MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1, Duration.ofSeconds(1));
        start(MarketConfig.named("a").apiKeys("k").sellers("S").budget(one).build(),
                MarketConfig.named("b").apiKeys("k").sellers("S").budget(one).build());

        // WHEN the key calls each market once
        int a = client("a", "k").orders("S", FROM, TO).status();
        int b = client("b", "k").orders("S", FROM, TO).status();

        // THEN both are served
        assertThat(a).isEqualTo(200);
        assertThat(b).isEqualTo(200);
    }
}
