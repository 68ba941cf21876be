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
                "naver/last-changed-statuses", "naver/product-orders", "naver/dispatch", "naver/seller",
                "cafe24/mall", "cafe24/burst",
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
    void naver_has_2_per_second_per_api_and_a_seller_quota_on_every_call() {
        for (String api : List.of("naver/last-changed-statuses", "naver/product-orders", "naver/dispatch")) {
            assertThat(budgets.get(api).limit()).as(api).isEqualTo(2);
            assertThat(budgets.get(api).window()).as(api).isEqualTo(Duration.ofSeconds(1));
            assertThat(dev.budget(api).scope()).as(api).isEqualTo(BudgetScope.ENDPOINT);
        }
        assertThat(dev.budget("naver/seller").scope()).isEqualTo(BudgetScope.SELLER);
        assertThat(dev.market("naver").calls().values())
                .allSatisfy(call -> assertThat(call.budgets()).contains("naver/seller").hasSize(2));
    }

    @Test
    void cafe24_windows_never_admit_more_than_the_leaky_bucket_of_40_draining_2_per_second_accepts() {
        // GIVEN the two windows every Cafe24 call draws from
        MarketConfig cafe24 = dev.market("cafe24");
        List<Budget> windows = cafe24.limiterBudgets();
        assertThat(cafe24.calls().values()).allSatisfy(call ->
                assertThat(call.budgets()).containsExactlyInAnyOrder("cafe24/mall", "cafe24/burst"));

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
    void coupang_cafe24_and_11st_speak_the_reference_rest_protocol_to_the_local_simulated_markets() {
        // GIVEN markets.md: Coupang 50 per page and at most 24h per call; 11st throttles with code 004 in a 200 body
        ReferenceRestConfig coupang = (ReferenceRestConfig) dev.market("coupang").adapter().orElseThrow();
        ReferenceRestConfig eleven = (ReferenceRestConfig) dev.market("11st").adapter().orElseThrow();

        // THEN
        assertThat(coupang.baseUrl()).hasToString("http://127.0.0.1:8601/coupang");
        assertThat(coupang.pageSize()).isEqualTo(50);
        assertThat(coupang.maxRangePerCall()).isEqualTo(Duration.ofHours(24));
        assertThat(coupang.calls()).containsEntry(ReferenceRestConfig.LIST_ORDERS, "list-orders")
                .containsEntry(ReferenceRestConfig.SHIP_ORDER, "ship-order");
        assertThat(eleven.throttleCodes()).containsExactly("004");
        assertThat(dev.market("cafe24").adapter()).isPresent();
        assertThat(dev.market("naver").adapter()).as("no adapter for Naver's protocol yet").isEmpty();
        assertThat(dev.market("coupang").budget("vendor").scope().perInstance()).isTrue();
        assertThat(dev.market("11st").budget("api-key").scope().perInstance()).isFalse();
    }
}
