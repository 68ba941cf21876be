package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker alone, on arrivals built by hand: no server. */
class ComplianceCheckerTest {

    private static final long MS = 1_000_000L;
    private final List<Arrival> arrivals = new ArrayList<>();

    private void arrive(long atMillis, String key, String seller, Endpoint endpoint, Outcome outcome) {
        arrivals.add(new Arrival(arrivals.size() + 1, atMillis * MS, "m", endpoint, "GET", "/m/…", key, true, seller,
                null, "127.0.0.1", outcome, 200, null));
    }

    private void arrive(long atMillis, String key) {
        arrive(atMillis, key, "A001", Endpoint.LIST_ORDERS, Outcome.OK);
    }

    @Test
    void calls_exactly_one_window_apart_are_not_in_the_same_window() {
        // GIVEN 2 per 100 ms, and calls at 0, 50, 100, 150, 200 ms
        MarketBudget b = MarketBudget.slidingWindow("vendor", Scope.API_KEY, 2, Duration.ofMillis(100));
        for (long t = 0; t <= 200; t += 50) {
            arrive(t, "k");
        }

        // WHEN checked
        ComplianceReport r = ComplianceChecker.check("m", List.of(b), arrivals);

        // THEN no window (t − 100 ms, t] holds more than 2
        assertThat(r.callsOverBudget()).isZero();
        assertThat(r.budget("vendor").peak()).isEqualTo(2);
        assertThat(r.budget("vendor").callsCounted()).isEqualTo(5);
    }

    @Test
    void every_call_beyond_the_limit_in_a_window_counts_once_whatever_the_market_answered() {
        // GIVEN 2 per 100 ms and 5 calls within 10 ms, the last 3 throttled by the market
        MarketBudget b = MarketBudget.slidingWindow("vendor", Scope.API_KEY, 2, Duration.ofMillis(100));
        arrive(0, "k");
        arrive(1, "k");
        arrive(2, "k", "A001", Endpoint.LIST_ORDERS, Outcome.THROTTLED);
        arrive(3, "k", "A001", Endpoint.LIST_ORDERS, Outcome.THROTTLED);
        arrive(10, "k", "A001", Endpoint.LIST_ORDERS, Outcome.THROTTLED);

        // WHEN checked
        ComplianceReport r = ComplianceChecker.check("m", List.of(b), arrivals);

        // THEN the client sent 3 calls over budget
        assertThat(r.callsOverBudget("vendor")).isEqualTo(3);
        assertThat(r.budget("vendor").worstKey()).isEqualTo("k");
        assertThat(r.compliant()).isFalse();
    }

    @Test
    void scopes_split_the_counting_by_key_endpoint_and_seller() {
        // GIVEN 1 per second per key-and-endpoint, and per seller
        MarketBudget perEndpoint = MarketBudget.slidingWindow("endpoint", Scope.API_KEY_ENDPOINT, 1, Duration.ofSeconds(1));
        MarketBudget perSeller = MarketBudget.slidingWindow("seller", Scope.SELLER, 1, Duration.ofSeconds(1));
        // two keys, two endpoints, one seller, all in one second
        arrive(0, "a", "S", Endpoint.LIST_ORDERS, Outcome.OK);
        arrive(1, "a", "S", Endpoint.CREATE_SHIPMENT, Outcome.OK);
        arrive(2, "b", "S", Endpoint.LIST_ORDERS, Outcome.OK);

        // WHEN checked
        ComplianceReport r = ComplianceChecker.check("m", List.of(perEndpoint, perSeller), arrivals);

        // THEN no key-endpoint pair repeats, but the seller got 3 calls in one second
        assertThat(r.callsOverBudget("endpoint")).isZero();
        assertThat(r.callsOverBudget("seller")).isEqualTo(2);
        assertThat(r.budget("seller").worstKey()).isEqualTo("S");
    }

    @Test
    void leaky_bucket_counts_only_the_calls_that_would_overflow_it() {
        // GIVEN a bucket of 3 draining one call per 100 ms
        MarketBudget mall = MarketBudget.leakyBucket("mall", Scope.SELLER, 3, Duration.ofMillis(100));
        // 4 calls at 0 ms (one overflows), then one call every 100 ms (each fits the unit that drained)
        for (int i = 0; i < 4; i++) {
            arrive(0, "k");
        }
        for (long t = 100; t <= 500; t += 100) {
            arrive(t, "k");
        }
        // and two at 550 ms when only half a unit has drained since 500 ms
        arrive(550, "k");

        // WHEN checked
        ComplianceReport r = ComplianceChecker.check("m", List.of(mall), arrivals);

        // THEN exactly the call at 0 ms beyond 3 and the one at 550 ms overflow
        assertThat(r.callsOverBudget("mall")).isEqualTo(2);
        assertThat(r.budget("mall").peak()).isEqualTo(3);
    }

    @Test
    void unauthenticated_unknown_endpoint_and_other_market_arrivals_do_not_count() {
        // GIVEN a budget of 1 and three arrivals it must ignore next to one it counts
        MarketBudget b = MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1, Duration.ofSeconds(1));
        arrive(0, "k");
        arrivals.add(new Arrival(10, 1, "m", Endpoint.LIST_ORDERS, "GET", "/", "bad", false, "A001", null, "x",
                Outcome.UNAUTHORIZED, 401, null));
        arrivals.add(new Arrival(11, 2, "m", Endpoint.UNKNOWN, "GET", "/", "k", true, null, null, "x",
                Outcome.NOT_FOUND, 404, null));
        arrivals.add(new Arrival(12, 3, "other", Endpoint.LIST_ORDERS, "GET", "/", "k", true, "A001", null, "x",
                Outcome.OK, 200, null));

        // WHEN checked
        ComplianceReport r = ComplianceChecker.check("m", List.of(b), arrivals);

        // THEN only the one call counts
        assertThat(r.budget("vendor").callsCounted()).isEqualTo(1);
        assertThat(r.callsOverBudget()).isZero();
    }
}
