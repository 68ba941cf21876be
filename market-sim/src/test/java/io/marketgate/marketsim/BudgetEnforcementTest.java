package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every budget scope, on a manual clock: the market decides at the instants the test sets. */
class BudgetEnforcementTest extends SimFixture {

    private static final Instant FROM = DAY_START;
    private static final Instant TO = DAY_START.plus(Duration.ofHours(1));

    private static MarketConfig.Builder market() {
        return MarketConfig.named("m").apiKeys("vendor-a", "vendor-b").sellers("A001", "A002", "A003", "A004").ordersPerHour(5);
    }

    private MarketClient.Reply list(MarketClient c, String seller) {
        return c.orders(seller, FROM, TO);
    }

    private String anyOrder(String seller) {
        return sim.market("m").orders(seller, FROM, TO.plus(Duration.ofHours(23))).get(0).orderId();
    }

    @Test
    void api_key_budget_counts_every_endpoint_and_answers_429_with_the_exact_retry_after() {
        // GIVEN a vendor budget of 3 per second across all endpoints (Coupang-like)
        start(market().budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 3, Duration.ofSeconds(1))).build());
        MarketClient a = client("m", "vendor-a");

        // WHEN vendor-a lists, ships and lists 100 ms apart, then lists again 100 ms later
        assertThat(list(a, "A001").status()).isEqualTo(200);
        clock.advance(Duration.ofMillis(100));
        assertThat(a.ship("A001", anyOrder("A001")).status()).isEqualTo(201);
        clock.advance(Duration.ofMillis(100));
        assertThat(list(a, "A002").status()).isEqualTo(200);
        clock.advance(Duration.ofMillis(100));
        MarketClient.Reply fourth = list(a, "A003");

        // THEN the fourth call is refused until the first leaves the window: 700 ms, Retry-After 1 s
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.header("Retry-After")).isEqualTo("1");
        assertThat(fourth.header("Retry-After-Ms")).isEqualTo("700");
        assertThat(fourth.body().get("code").asText()).isEqualTo("RATE_LIMIT");
        assertThat(fourth.body().get("budget").asText()).isEqualTo("vendor");
        // and another vendor has its own budget
        assertThat(list(client("m", "vendor-b"), "A001").status()).isEqualTo(200);
        // and 700 ms later vendor-a fits again, exactly when the first call leaves the window
        clock.advance(Duration.ofMillis(699));
        assertThat(list(a, "A001").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(list(a, "A001").status()).isEqualTo(200);
    }

    @Test
    void endpoint_budget_per_app_leaves_other_endpoints_and_other_apps_free() {
        // GIVEN a per-endpoint-per-app budget of 2 per second on the order list only (Naver-like)
        start(market().budget(MarketBudget.slidingWindow("list", Scope.API_KEY_ENDPOINT, 2, Duration.ofSeconds(1))
                .forEndpoints(Endpoint.LIST_ORDERS)).build());
        MarketClient a = client("m", "vendor-a");

        // WHEN app a lists three times at one instant
        int first = list(a, "A001").status();
        int second = list(a, "A002").status();
        MarketClient.Reply third = list(a, "A003");

        // THEN the third list is refused, while shipments and app b are not limited by it
        assertThat(first).isEqualTo(200);
        assertThat(second).isEqualTo(200);
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.header("Retry-After-Ms")).isEqualTo("1000");
        assertThat(a.ship("A001", anyOrder("A001")).status()).isEqualTo(201);
        assertThat(list(client("m", "vendor-b"), "A001").status()).isEqualTo(200);
    }

    @Test
    void seller_budget_is_shared_by_every_key_calling_for_that_seller() {
        // GIVEN a per-seller budget of 2 per 500 ms
        start(market().budget(MarketBudget.slidingWindow("seller", Scope.SELLER, 2, Duration.ofMillis(500))).build());

        // WHEN two keys call for seller A001 and then for A002
        int a1 = list(client("m", "vendor-a"), "A001").status();
        int b1 = list(client("m", "vendor-b"), "A001").status();
        int a2 = list(client("m", "vendor-a"), "A001").status();
        int other = list(client("m", "vendor-b"), "A002").status();

        // THEN A001's third call is refused whichever key made it; A002 is untouched
        assertThat(new int[] {a1, b1, a2, other}).containsExactly(200, 200, 429, 200);
    }

    @Test
    void several_budgets_apply_at_once_and_a_refused_call_charges_none_of_them() {
        // GIVEN a vendor budget of 3 and a seller budget of 1, both per second
        start(market()
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 3, Duration.ofSeconds(1)))
                .budget(MarketBudget.slidingWindow("seller", Scope.SELLER, 1, Duration.ofSeconds(1)))
                .build());
        MarketClient a = client("m", "vendor-a");

        // WHEN vendor-a calls A001 twice, then A002, A003, A004
        MarketClient.Reply r1 = list(a, "A001");
        MarketClient.Reply r2 = list(a, "A001");
        MarketClient.Reply r3 = list(a, "A002");
        MarketClient.Reply r4 = list(a, "A003");
        MarketClient.Reply r5 = list(a, "A004");

        // THEN the second A001 call is refused by the seller budget without using the vendor's,
        // so A002 and A003 still fit and only A004 meets the full vendor budget
        assertThat(r1.status()).isEqualTo(200);
        assertThat(r2.status()).isEqualTo(429);
        assertThat(r2.body().get("budget").asText()).isEqualTo("seller");
        assertThat(r3.status()).isEqualTo(200);
        assertThat(r4.status()).isEqualTo(200);
        assertThat(r5.status()).isEqualTo(429);
        assertThat(r5.body().get("budget").asText()).isEqualTo("vendor");
        assertThat(sim.market("m").arrivals()).extracting(Arrival::blockingBudget)
                .containsExactly(null, "seller", null, null, "vendor");
    }

    @Test
    void leaky_bucket_fills_to_capacity_then_admits_one_call_per_drained_unit() {
        // GIVEN a bucket of 4 per mall draining one call every 100 ms (Cafe24-like, shrunk)
        start(market().budget(MarketBudget.leakyBucket("mall", Scope.SELLER, 4, Duration.ofMillis(100))).build());
        MarketClient a = client("m", "vendor-a");

        // WHEN 4 calls fill the bucket at one instant and a fifth follows
        for (int i = 0; i < 4; i++) {
            assertThat(list(a, "A001").status()).isEqualTo(200);
        }
        MarketClient.Reply fifth = list(a, "A001");

        // THEN the fifth waits for one unit to drain, and the bucket's level is reported
        assertThat(fifth.status()).isEqualTo(429);
        assertThat(fifth.header("Retry-After-Ms")).isEqualTo("100");
        assertThat(fifth.header("X-Api-Call-Limit")).isEqualTo("4/4");
        // after 100 ms exactly one more fits; after 250 ms more, two more
        clock.advance(Duration.ofMillis(100));
        assertThat(list(a, "A001").status()).isEqualTo(200);
        assertThat(list(a, "A001").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(250));
        assertThat(list(a, "A001").status()).isEqualTo(200);
        assertThat(list(a, "A001").status()).isEqualTo(200);
        MarketClient.Reply full = list(a, "A001");
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.header("Retry-After-Ms")).isEqualTo("50");
        // and the bucket of another mall is empty
        assertThat(list(a, "A002").header("X-Api-Call-Limit")).isEqualTo("1/4");
    }

    @Test
    void http200_market_signals_the_limit_with_its_error_code_in_the_body() {
        // GIVEN an 11st-like market: 1 per second per key, throttle = HTTP 200 with code 004
        start(market().budget(MarketBudget.slidingWindow("key", Scope.API_KEY, 1, Duration.ofSeconds(1)))
                .throttle(Throttle.http200("004", "rate limit")).build());
        MarketClient a = client("m", "vendor-a");

        // WHEN a key calls twice at once
        MarketClient.Reply ok = list(a, "A001");
        MarketClient.Reply limited = list(a, "A001");

        // THEN the second is HTTP 200 with only the code and message, and no Retry-After
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().has("orders")).isTrue();
        assertThat(limited.status()).isEqualTo(200);
        assertThat(limited.body().get("code").asText()).isEqualTo("004");
        assertThat(limited.body().get("message").asText()).isEqualTo("rate limit");
        assertThat(limited.body().has("orders")).isFalse();
        assertThat(limited.header("Retry-After")).isNull();
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome).containsExactly(Outcome.OK, Outcome.THROTTLED);
    }
}
