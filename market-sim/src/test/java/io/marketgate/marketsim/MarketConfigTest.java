package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration is validated when built, with a message naming the setting. No server. */
class MarketConfigTest {

    private static MarketConfig.Builder valid() {
        return MarketConfig.named("m").apiKeys("k").sellers("S");
    }

    @Test
    void defaults_are_a_cursor_market_with_429_no_penalty_50_per_page_and_24_hours_per_call() {
        // WHEN a market is built with only keys and sellers
        MarketConfig c = valid().build();

        // THEN the documented defaults apply
        assertThat(c.pagination()).isEqualTo(Pagination.CURSOR);
        assertThat(c.throttle().style()).isEqualTo(Throttle.Style.HTTP_429);
        assertThat(c.penalty().enabled()).isFalse();
        assertThat(c.maxPageSize()).isEqualTo(50);
        assertThat(c.defaultPageSize()).isEqualTo(50);
        assertThat(c.maxRange()).isEqualTo(Duration.ofHours(24));
        assertThat(c.budgets()).isEmpty();
        assertThat(c.duplicateShipments()).isEqualTo(DuplicateShipments.CONFLICT);
    }

    @Test
    void invalid_settings_are_refused_naming_the_setting() {
        assertThatThrownBy(() -> MarketConfig.named("Coupang!").apiKeys("k").sellers("S").build())
                .hasMessageContaining("market name");
        assertThatThrownBy(() -> MarketConfig.named("m").sellers("S").build()).hasMessageContaining("apiKeys");
        assertThatThrownBy(() -> MarketConfig.named("m").apiKeys("k").build()).hasMessageContaining("sellers");
        assertThatThrownBy(() -> valid().sellers("a/b").build()).hasMessageContaining("seller id");
        assertThatThrownBy(() -> valid().defaultPageSize(60).build()).hasMessageContaining("defaultPageSize");
        assertThatThrownBy(() -> valid().ordersPerHour(500).build()).hasMessageContaining("ordersPerHour");
        MarketBudget b = MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1, Duration.ofSeconds(1));
        assertThatThrownBy(() -> valid().budget(b).budget(b).build()).hasMessageContaining("used twice");
        assertThatThrownBy(() -> MarketBudget.slidingWindow("vendor", Scope.API_KEY, 0, Duration.ofSeconds(1)))
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1, Duration.ZERO))
                .hasMessageContaining("window");
        assertThatThrownBy(() -> b.forEndpoints()).hasMessageContaining("endpoints");
        assertThatThrownBy(() -> Penalty.after(0, Duration.ofSeconds(1))).hasMessageContaining("afterOverLimitRequests");
        assertThatThrownBy(() -> Faults.serverErrors(1.5, 500, 1)).hasMessageContaining("rates");
        assertThatThrownBy(() -> MarketSim.builder().build()).hasMessageContaining("at least one market");
    }

    @Test
    void presets_carry_the_real_markets_limits() {
        // WHEN the presets are built
        MarketConfig coupang = MarketPresets.coupang().apiKeys("k").sellers("S").build();
        MarketConfig cafe24 = MarketPresets.cafe24().apiKeys("k").sellers("S").build();
        MarketConfig eleven = MarketPresets.elevenSt().apiKeys("k").sellers("S").build();

        // THEN they say what markets.md says
        assertThat(coupang.budget("vendor")).extracting(MarketBudget::scope, MarketBudget::limit, MarketBudget::window)
                .containsExactly(Scope.API_KEY, 10L, Duration.ofSeconds(1));
        assertThat(cafe24.budget("mall")).extracting(MarketBudget::kind, MarketBudget::limit, MarketBudget::window)
                .containsExactly(MarketBudget.Kind.LEAKY_BUCKET, 40L, Duration.ofSeconds(20));
        assertThat(eleven.throttle()).isEqualTo(Throttle.http200("004", "rate limit"));
        assertThat(eleven.pagination()).isEqualTo(Pagination.PAGE);
    }
}
