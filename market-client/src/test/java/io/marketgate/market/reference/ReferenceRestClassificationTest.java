package io.marketgate.market.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.Seller;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the reference REST adapter classifies what a market on loopback answers, through the client. */
class ReferenceRestClassificationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofMillis(200);
    private static final Seller SELLER = Seller.of("s-1");

    @TempDir
    Path dir;

    private TestMarket market;
    private Fixture fx;

    @BeforeEach
    void start() throws IOException {
        market = TestMarket.start(Duration.ofHours(24));
        fx = Fixture.of(dir, market.baseUrl(), b -> true, Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        market.close();
        fx.limiter.close();
    }

    @Test
    void a_200_page_is_ok_with_its_orders_and_next_cursor() throws Exception {
        // GIVEN
        for (int i = 0; i < 4; i++) {
            market.addOrder("s-1", "O" + i, T0.plusSeconds(i));
        }

        // WHEN
        CallOutcome outcome = list();

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> {
            OrderPage page = (OrderPage) ok.data();
            assertThat(page.orders()).extracting(Order::orderId).containsExactly("O0", "O1", "O2");
            assertThat(page.orders().get(0).updatedAt()).isEqualTo(T0);
            assertThat(page.orders().get(0).json()).contains("\"buyer\":\"b-O0\"");
            assertThat(page.nextCursor()).contains("at:3");
        });
        assertThat(market.requests().get(0).apiKey()).isEqualTo(TestMarket.API_KEY);
    }

    @Test
    void a_429_is_throttled_with_the_retry_after_seconds() throws Exception {
        market.respondNext(429, "", "Retry-After", "7");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Throttled.class,
                t -> assertThat(t.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void a_200_with_a_configured_throttle_code_is_throttled_and_the_next_call_waits_for_the_cool_down() throws Exception {
        market.respondNext(200, "{\"code\":\"004\",\"message\":\"slow down\"}");

        assertThat(list()).isInstanceOf(CallOutcome.Throttled.class);
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Deferred.class,
                d -> assertThat(d.reason()).isEqualTo(io.marketgate.limiter.Decision.Reason.COOLING_DOWN));
        assertThat(market.requests()).hasSize(1);
    }

    @Test
    void a_200_with_a_code_that_is_not_a_throttle_code_is_a_fatal_market_error() throws Exception {
        market.respondNext(200, "{\"code\":\"117\",\"message\":\"seller suspended\"}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("code 117").contains("seller suspended"));
    }

    @Test
    void server_errors_and_408_are_retryable() throws Exception {
        market.respondNext(500, "boom");
        market.respondNext(503, "");
        market.respondNext(408, "");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("HTTP 500"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("HTTP 503"));
        assertThat(list()).isInstanceOf(CallOutcome.Retryable.class);
    }

    @Test
    void no_answer_within_the_request_timeout_is_retryable() throws Exception {
        // GIVEN the market does not answer; the request timeout is 500 ms
        market.hangNext();

        // WHEN
        long start = System.nanoTime();
        CallOutcome outcome = list();

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("no answer within the request timeout"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a_refused_connection_is_retryable() throws Exception {
        // GIVEN a market that is gone
        TestMarket gone = TestMarket.start(Duration.ofHours(24));
        String url = gone.baseUrl();
        gone.close();
        Fixture down = Fixture.of(dir, url);

        // WHEN
        CallOutcome outcome = down.client.execute(down.adapter.plan(request()).get(0), Priority.MEDIUM, MAX_WAIT);

        // THEN
        assertThat(outcome).isInstanceOf(CallOutcome.Retryable.class);
        assertThat(down.usage("shop/orders")).as("the call was drawn: it may have reached the market").isEqualTo(1);
        down.limiter.close();
    }

    @Test
    void bad_credentials_forbidden_addresses_and_other_client_errors_are_fatal() throws Exception {
        market.respondNext(401, "{\"message\":\"unknown API key\"}");
        market.respondNext(403, "{\"code\":\"IP_NOT_ALLOWED\",\"message\":\"203.0.113.9 is not allowed\"}");
        market.respondNext(400, "{\"message\":\"bad range\"}");
        market.respondNext(409, "");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("HTTP 401"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("HTTP 403").contains("allow-list").contains("203.0.113.9"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("HTTP 400: "));
        assertThat(list()).as("409 is success only for an action").isInstanceOf(CallOutcome.Fatal.class);
        assertThat(fx.status("shop/vendor:s-1").coolingDownUntil()).as("no cool-down for a fatal answer").isEmpty();
    }

    @Test
    void a_200_body_that_is_not_the_protocols_is_fatal() throws Exception {
        market.respondNext(200, "<html>maintenance</html>");
        market.respondNext(200, "{\"orders\":[{\"orderId\":\"O1\",\"status\":\"PAID\",\"updatedAt\":\"yesterday\"}]}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("not a JSON object"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("orders[0]"));
    }

    @Test
    void shipping_is_ok_and_shipping_again_is_ok_as_already_applied_so_a_redelivery_is_idempotent() throws Exception {
        // GIVEN
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(SELLER, "O-7", "CJ", "123456789");

        // WHEN
        CallOutcome first = fx.client.execute(ship, MAX_WAIT);
        CallOutcome again = fx.client.execute(ship, MAX_WAIT);

        // THEN
        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(market.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/shop/v1/sellers/s-1/orders/O-7/shipments");
            assertThat(r.body()).isEqualTo("{\"carrier\":\"CJ\",\"trackingNumber\":\"123456789\"}");
        });
        assertThat(fx.usage("shop/vendor:s-1", Priority.HIGH)).isEqualTo(2);
    }

    @Test
    void a_market_echoing_the_api_key_does_not_put_it_into_the_outcome() throws Exception {
        market.respondNext(401, "{\"message\":\"key " + TestMarket.API_KEY + " is unknown\"}");

        CallOutcome outcome = list();

        assertThat(outcome.toString()).doesNotContain(TestMarket.API_KEY).contains("key **** is unknown");
    }

    private CallOutcome list() throws InterruptedException {
        return fx.client.execute(fx.adapter.plan(request()).get(0), Priority.MEDIUM, MAX_WAIT);
    }

    private static CollectionRequest request() {
        return new CollectionRequest("shop", SELLER, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
    }
}
