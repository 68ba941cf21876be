package io.marketgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Ceilings;
import io.marketgate.limiter.FailureMode;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.ThrottleRecovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a loaded environment offers the code that uses it: limiter budgets, failure modes, calls, lookups. */
class EnvironmentConfigTest {

    @TempDir
    Path dir;

    private EnvironmentConfig config;

    @BeforeEach
    void load() throws IOException {
        Files.writeString(dir.resolve("qa.yaml"), """
                environment: qa
                limiter:
                  keyPrefix: mg-qa
                  failureMode: local-fallback
                markets:
                  shop:
                    displayName: The Shop
                    fleetSize: 4
                    failureMode: fail-closed
                    budgets:
                      api:
                        scope: app
                        limit: 20
                        window: 500ms
                        ceilings: {high: 1.0, medium: 0.6, low: 0.5}
                        throttle: {defaultCooldown: 2m, reduceTo: 0.25, recoveryStep: 0.2, recoveryInterval: PT5S}
                      orders:
                        scope: endpoint
                        limit: 5
                    calls:
                      list-orders: {budgets: [shop/api, shop/orders]}
                  mall:
                    fleetSize: 3
                    budgets:
                      bucket: {scope: mall, limit: 40, window: 20s}
                """);
        config = EnvironmentLoader.load(dir, "qa");
    }

    @Test
    void every_budget_keeps_its_limit_window_ceilings_and_throttle_recovery() {
        // without a jitterGuard setting, each follows its market's measured round trips (auto)
        assertThat(config.budgets()).containsExactly(
                Budget.named("shop/api").limit(20).window(Duration.ofMillis(500))
                        .ceilings(new Ceilings(1.0, 0.6, 0.5))
                        .recovery(new ThrottleRecovery(Duration.ofMinutes(2), 0.25, 0.2, Duration.ofSeconds(5)))
                        .measuredJitterGuard().build(),
                Budget.named("shop/orders").limit(5).measuredJitterGuard().build(),
                Budget.named("mall/bucket").limit(40).window(Duration.ofSeconds(20)).measuredJitterGuard().build());
    }

    @Test
    void a_market_may_override_the_environments_failure_mode() {
        assertThat(config.market("shop").failureMode()).isEqualTo(FailureMode.failClosed());
        assertThat(config.market("mall").failureMode()).isEqualTo(FailureMode.localFallback(3));
    }

    @Test
    void a_market_without_a_display_name_shows_its_name() {
        assertThat(config.market("shop").displayName()).isEqualTo("The Shop");
        assertThat(config.market("mall").displayName()).isEqualTo("mall");
    }

    @Test
    void a_market_without_calls_has_none() {
        assertThat(config.market("mall").calls()).isEmpty();
    }

    @Test
    void a_call_draws_from_its_budgets_at_the_callers_priority_and_cost() {
        CallConfig listOrders = config.market("shop").call("list-orders");

        assertThat(listOrders.toCall(Priority.MEDIUM)).isEqualTo(Call.of(Priority.MEDIUM, "shop/api", "shop/orders"));
        assertThat(listOrders.toCall(Priority.LOW, 3).cost()).isEqualTo(3);
    }

    @Test
    void looking_up_an_unknown_market_lists_the_configured_markets() {
        assertThatThrownBy(() -> config.market("coupang"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown market 'coupang' in environment qa; configured markets: shop, mall");
    }

    @Test
    void looking_up_an_unknown_call_lists_the_markets_calls() {
        assertThatThrownBy(() -> config.market("shop").call("ship-order"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown call 'ship-order' of market shop; its calls: list-orders");
    }

    @Test
    void a_budget_is_found_by_its_qualified_name() {
        assertThat(config.budget("mall/bucket").scope()).isEqualTo(BudgetScope.MALL);
        assertThatThrownBy(() -> config.budget("shop/nope"))
                .hasMessage("unknown budget 'nope' of market shop; its budgets: api, orders");
        assertThatThrownBy(() -> config.budget("api"))
                .hasMessageContaining("must be named market/budget");
    }

    @Test
    void the_model_cannot_be_changed_after_loading() {
        assertThatThrownBy(() -> config.markets().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.market("shop").budgets().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.market("shop").call("list-orders").budgets().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
