package io.marketgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Ceilings;
import io.marketgate.limiter.FailureMode;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.ThrottleRecovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped {@code environments/dev.yaml} (Maven runs tests in the module's directory, beside {@code ../environments}). */
class DevEnvironmentTest {

    private static final Path ENVIRONMENTS = Path.of("..", "environments");

    private static EnvironmentConfig dev;
    private static Map<String, Budget> budgets;

    @BeforeAll
    static void load() {
        dev = EnvironmentLoader.load(ENVIRONMENTS, "dev");
        budgets = dev.budgets().stream().collect(Collectors.toMap(Budget::name, Function.identity()));
    }

    @Test
    void loads_with_the_cli_default_account_and_the_seoul_region() {
        assertThat(dev.name()).isEqualTo("dev");
        assertThat(dev.aws().account()).isEmpty();
        assertThat(dev.aws().region()).contains("ap-northeast-2");
        assertThat(dev.limiter().keyPrefix()).isEqualTo("mg-dev");
        assertThat(dev.limiter().defaultFailureMode()).isEqualTo(FailureModeKind.LOCAL_FALLBACK);
        assertThat(EnvironmentLoader.environments(ENVIRONMENTS)).contains("dev");
    }

    @Test
    void maps_every_budget_to_a_limiter_budget_named_market_slash_budget() {
        assertThat(dev.budgets()).extracting(Budget::name).containsExactly(
                "coupang/vendor",
                "naver/last-changed-statuses", "naver/product-orders", "naver/dispatch", "naver/token", "naver/seller",
                "cafe24/mall", "cafe24/burst", "cafe24/token", "cafe24/salesreport",
                "11st/pace", "11st/api-key");
    }

    @Test
    void coupang_shares_10_per_second_per_vendor_and_cools_down_for_minutes_after_a_429() {
        // GIVEN markets.md: 10 rps per vendorId across all APIs; a 429 blocks for 1-30 min
        Budget vendor = budgets.get("coupang/vendor");

        // THEN
        assertThat(vendor.limit()).isEqualTo(10);
        assertThat(vendor.window()).isEqualTo(Duration.ofSeconds(1));
        assertThat(vendor.ceilings()).isEqualTo(Ceilings.DEFAULT);
        assertThat(vendor.recovery()).isEqualTo(new ThrottleRecovery(Duration.ofMinutes(5), 0.5, 0.1, Duration.ofSeconds(30)));
        assertThat(dev.market("coupang").budget("vendor").scope()).isEqualTo(BudgetScope.VENDOR);
    }

    @Test
    void naver_has_2_per_second_per_api_and_a_seller_quota_on_every_call_but_the_token_call() {
        for (String api : List.of("naver/last-changed-statuses", "naver/product-orders", "naver/dispatch", "naver/token")) {
            assertThat(budgets.get(api).limit()).as(api).isEqualTo(2);
            assertThat(budgets.get(api).window()).as(api).isEqualTo(Duration.ofSeconds(1));
            assertThat(dev.budget(api).scope()).as(api).isEqualTo(BudgetScope.ENDPOINT);
        }
        assertThat(dev.budget("naver/seller").scope()).isEqualTo(BudgetScope.SELLER);
        // a token is the app's or account's, not one seller's call: it draws from the token API's budget alone
        assertThat(dev.market("naver").calls().values()).filteredOn(call -> !call.name().equals("token"))
                .allSatisfy(call -> assertThat(call.budgets()).contains("naver/seller").hasSize(2));
        assertThat(dev.market("naver").call("token").budgets()).containsExactly("naver/token");
    }

    @Test
    void cafe24_windows_never_admit_more_than_the_leaky_bucket_of_40_draining_2_per_second_accepts() {
        // GIVEN the two windows every call of the Admin API draws from (the token endpoint is not in the bucket)
        MarketConfig cafe24 = dev.market("cafe24");
        List<Budget> windows = cafe24.limiterBudgets().stream()
                .filter(b -> b.name().equals("cafe24/mall") || b.name().equals("cafe24/burst")).toList();
        assertThat(cafe24.calls().values()).filteredOn(call -> !call.name().equals("token")).allSatisfy(call ->
                assertThat(call.budgets()).contains("cafe24/mall", "cafe24/burst"));
        // the daily sales report has a call limit of its own on top of the bucket [D]
        assertThat(cafe24.call("list-daily-sales").budgets()).containsExactlyInAnyOrder("cafe24/mall", "cafe24/burst",
                "cafe24/salesreport");
        assertThat(cafe24.call("token").budgets()).containsExactly("cafe24/token");

        // WHEN, for every interval length up to 5 minutes, counting the most calls the windows admit in it
        for (long millis = 1; millis <= 300_000; millis++) {
            long admitted = Long.MAX_VALUE;
            for (Budget window : windows) {
                long windowsCovering = (millis + window.window().toMillis() - 1) / window.window().toMillis();
                admitted = Math.min(admitted, window.limit() * windowsCovering);
            }

            // THEN the bucket (40 plus what drains meanwhile at 2 per second) holds them
            double bucketAccepts = 40 + 2 * millis / 1000.0;
            assertThat((double) admitted).as("calls in %d ms", millis).isLessThanOrEqualTo(bucketAccepts);
        }
    }

    @Test
    void elevenst_paces_below_1_per_second_with_headroom_and_keeps_priority_shares_over_10_seconds() {
        Budget pace = budgets.get("11st/pace");
        Budget apiKey = budgets.get("11st/api-key");

        assertThat(pace.limit()).isEqualTo(1);
        // one call per 1.5 s: arrivals at the market stay ≥ 1 s apart despite the grant-to-arrival latency
        assertThat(pace.window()).isEqualTo(Duration.ofMillis(1500));
        assertThat(pace.capacity(Priority.LOW)).isEqualTo(1);
        assertThat(apiKey.limit()).isEqualTo(10);
        assertThat(apiKey.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(apiKey.capacity(Priority.LOW)).isEqualTo(7);
        assertThat(apiKey.capacity(Priority.MEDIUM)).isEqualTo(8);
        assertThat(apiKey.recovery().defaultCooldown()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void every_market_falls_back_locally_with_the_smallest_fleet_sqs_allows() {
        assertThat(dev.markets().values()).allSatisfy(market -> {
            assertThat(market.fleetSize()).isEqualTo(4);   // collector 2 + actions 2, the fewest SQS event sources allow
            assertThat(market.failureMode()).isEqualTo(FailureMode.localFallback(market.fleetSize()));
        });
    }

    @Test
    void calls_become_limiter_calls_on_their_budgets() {
        // WHEN
        Call ship = dev.market("coupang").call("ship-order").toCall(Priority.HIGH);

        // THEN
        assertThat(ship).isEqualTo(Call.of(Priority.HIGH, "coupang/vendor"));
    }
    @Test
    void every_market_speaks_its_own_protocol_to_a_local_simulator() {
        // GIVEN market-protocols.md: Coupang 50 per page and at most 24h per time frame; Naver 300 and 24h; 11st no
        // pages and a day per list call
        MarketApiConfig coupang = (MarketApiConfig) dev.market("coupang").adapter().orElseThrow();
        MarketApiConfig naver = (MarketApiConfig) dev.market("naver").adapter().orElseThrow();
        MarketApiConfig eleven = (MarketApiConfig) dev.market("11st").adapter().orElseThrow();

        // THEN the simulators of `marketgate market-sim --protocol coupang --port 8601` and `--protocol naver --port 8602`
        assertThat(coupang.type()).isEqualTo(AdapterType.COUPANG);
        assertThat(coupang.baseUrl()).hasToString("http://127.0.0.1:8601/coupang");
        assertThat(coupang.pageSize()).isEqualTo(50);
        assertThat(coupang.maxRangePerCall()).isEqualTo(Duration.ofHours(24));
        assertThat(coupang.calls()).containsEntry(MarketApiConfig.LIST_ORDERS, "list-orders")
                .containsEntry(MarketApiConfig.GET_ORDER, "get-order").containsEntry(MarketApiConfig.SHIP_ORDER, "ship-order");
        assertThat(naver.type()).isEqualTo(AdapterType.NAVER);
        assertThat(naver.baseUrl()).hasToString("http://127.0.0.1:8602/naver/external");
        assertThat(naver.pageSize()).isEqualTo(300);
        assertThat(naver.calls()).containsEntry(MarketApiConfig.TOKEN, "token")
                .containsEntry(MarketApiConfig.GET_ORDERS, "get-orders");
        assertThat(eleven.type()).isEqualTo(AdapterType.ELEVENST);
        assertThat(eleven.baseUrl()).hasToString("http://127.0.0.1:8603/11st/rest");
        assertThat(eleven.maxRangePerCall()).isEqualTo(Duration.ofDays(1));
        // Cafe24: every mall at the simulator of `marketgate market-sim --protocol cafe24 --port 8604`, connected by consent
        MarketApiConfig cafe24 = (MarketApiConfig) dev.market("cafe24").adapter().orElseThrow();
        assertThat(cafe24.type()).isEqualTo(AdapterType.CAFE24);
        assertThat(cafe24.baseUrlTemplate()).isEqualTo("http://127.0.0.1:8604/cafe24/{mallId}/api/v2");
        assertThat(cafe24.redirectUri()).isPresent();
        assertThat(cafe24.calls()).containsEntry(MarketApiConfig.TOKEN, "token").containsEntry(MarketApiConfig.LIST_ORDERS,
                "list-orders").containsEntry(MarketApiConfig.GET_ORDER, "get-order").containsEntry(MarketApiConfig.SHIP_ORDER, "ship-order");
        assertThat(dev.market("cafe24").budget("mall").scope()).isEqualTo(BudgetScope.MALL);
        assertThat(dev.market("coupang").budget("vendor").scope().perInstance()).isTrue();
        // each 11st seller has its own key: both of its windows are per seller
        assertThat(dev.market("11st").budget("api-key").scope().perInstance()).isTrue();
    }

    @Test
    void staging_and_prod_call_the_markets_own_endpoints() {
        for (String env : List.of("staging", "prod")) {
            EnvironmentConfig e = EnvironmentLoader.load(ENVIRONMENTS, env);
            assertThat(((MarketApiConfig) e.market("coupang").adapter().orElseThrow()).baseUrl()).as(env)
                    .hasToString("https://api-gateway.coupang.com");
            assertThat(((MarketApiConfig) e.market("naver").adapter().orElseThrow()).baseUrl()).as(env)
                    .hasToString("https://api.commerce.naver.com/external");
            assertThat(e.market("naver").budget("token").limit()).as(env).isEqualTo(2);
            assertThat(((MarketApiConfig) e.market("11st").adapter().orElseThrow()).baseUrl()).as(env)
                    .hasToString("https://api.11st.co.kr/rest");
            assertThat(((MarketApiConfig) e.market("cafe24").adapter().orElseThrow()).baseUrlTemplate()).as(env)
                    .isEqualTo("https://{mallId}.cafe24api.com/api/v2");
        }
        // in every environment the mall's bucket window follows Cafe24's reported level; the burst window does not
        for (String env : List.of("dev", "staging", "prod")) {
            EnvironmentConfig e = EnvironmentLoader.load(ENVIRONMENTS, env);
            assertThat(e.market("cafe24").budget("mall").followsMarketLevel()).as(env).isTrue();
            assertThat(e.market("cafe24").budget("burst").followsMarketLevel()).as(env).isFalse();
        }
    }
}
