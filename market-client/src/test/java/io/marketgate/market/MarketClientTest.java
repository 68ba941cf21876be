package io.marketgate.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.reference.Fixture;
import io.marketgate.market.reference.TestMarket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client and the limiter together, against a reference REST market on loopback. */
class MarketClientTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofMillis(200);
    private static final Seller S1 = Seller.of("s-1");

    @TempDir
    Path dir;

    private TestMarket market;
    private Fixture fx;

    @BeforeEach
    void start() throws IOException {
        market = TestMarket.start(Duration.ofHours(24));
        fx = Fixture.of(dir, market.baseUrl());
    }

    @AfterEach
    void stop() {
        market.close();
        fx.limiter.close();
    }

    @Test
    void collecting_a_range_over_several_windows_and_pages_hands_every_order_over_exactly_once() throws Exception {
        // GIVEN 60 hours (three windows of at most 24h), page size 3: 7 orders in the first window, none in the second,
        // 2 in the third, orders on window boundaries, and another seller's order
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add(order(S1, "A" + i, T0.plus(Duration.ofHours(3 * i))));
        }
        expected.add(order(S1, "B-boundary", T0.plus(Duration.ofHours(48))));
        expected.add(order(S1, "C-last", T0.plus(Duration.ofHours(60)).minusMillis(1)));
        market.addOrder("s-1", "D-after", T0.plus(Duration.ofHours(60)));
        market.addOrder("s-2", "E-other-seller", T0.plus(Duration.ofHours(1)));
        CollectionRequest request = new CollectionRequest("shop", S1, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(60)));
        List<String> collected = new ArrayList<>();

        // WHEN
        CollectionResult result = fx.client.collect(request, Priority.MEDIUM, MAX_WAIT, collectInto(collected));

        // THEN
        assertThat(collected).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
        assertThat(result).isEqualTo(new CollectionResult.Completed(5, 9)); // 3 pages + 1 empty page + 1 page
        assertThat(market.requests()).hasSize(5)
                .allSatisfy(r -> assertThat(Duration.between(Instant.parse(r.query().get("from")), Instant.parse(r.query().get("to"))))
                        .isLessThanOrEqualTo(Duration.ofHours(24)));
        assertThat(fx.usage("shop/orders", Priority.MEDIUM)).as("one draw per page").isEqualTo(5);
    }

    @Test
    void a_collection_stopped_by_a_server_error_resumes_from_its_checkpoint_without_losing_or_repeating_orders() throws Exception {
        // GIVEN 8 orders in one window (pages of 3) and a 503 for the second page
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add(order(S1, "O" + i, T0.plus(Duration.ofMinutes(i))));
        }
        CollectionRequest request = new CollectionRequest("shop", S1, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
        List<String> collected = new ArrayList<>();
        CollectionResult first = fx.client.collect(request, Priority.MEDIUM, MAX_WAIT, (call, page) -> {
            collectInto(collected).accept(call, page);
            market.respondNext(503, "{\"message\":\"maintenance\"}");
        });

        // WHEN resuming from the stop
        CollectionResult.Stopped stopped = (CollectionResult.Stopped) first;
        CollectionResult second = fx.client.collectFrom(stopped.resumeAt(), Priority.MEDIUM, MAX_WAIT, collectInto(collected));

        // THEN
        assertThat(stopped.outcome()).isInstanceOf(CallOutcome.Retryable.class);
        assertThat(stopped.resumeAt().purpose()).isInstanceOfSatisfying(PlannedCall.Collect.class,
                c -> assertThat(c.cursor()).contains("at:3"));
        assertThat(second).isEqualTo(new CollectionResult.Completed(2, 5));
        assertThat(collected).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
    }

    @Test
    void a_call_the_limiter_would_delay_past_max_wait_is_deferred_without_calling_the_market() throws Exception {
        // GIVEN MEDIUM has filled its 80% of shop/orders (100 per minute)
        assertThat(fx.limiter.tryAcquire(Call.of(Priority.MEDIUM, "shop/orders").withCost(80)).granted()).isTrue();
        PlannedCall call = fx.adapter.plan(listRequest(S1)).get(0);

        // WHEN
        long start = System.nanoTime();
        CallOutcome outcome = fx.client.execute(call, Priority.MEDIUM, MAX_WAIT);

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Deferred.class, d -> {
            assertThat(d.blockingBudget()).isEqualTo("shop/orders");
            assertThat(d.reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
            assertThat(d.retryAfter()).isGreaterThan(MAX_WAIT);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not slept through").isLessThan(Duration.ofSeconds(5));
        assertThat(market.requests()).isEmpty();
        assertThat(fx.usage("shop/vendor:s-1")).as("nothing drawn from the other budgets").isZero();
        assertThat(fx.outcomes).containsExactly("shop list-orders MEDIUM deferred");
    }

    @Test
    void high_is_still_admitted_where_medium_is_deferred() throws Exception {
        // GIVEN
        fx.limiter.tryAcquire(Call.of(Priority.MEDIUM, "shop/orders").withCost(80));
        PlannedCall call = fx.adapter.plan(listRequest(S1)).get(0);

        // WHEN
        CallOutcome outcome = fx.client.execute(call, Priority.HIGH, MAX_WAIT);

        // THEN
        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        assertThat(fx.usage("shop/orders", Priority.HIGH)).isEqualTo(1);
    }

    @Test
    void per_seller_and_per_mall_budget_instances_are_keyed_by_the_seller_while_the_endpoint_budget_is_shared() throws Exception {
        // GIVEN two sellers, the second with its own vendor and mall ids
        Seller s2 = Seller.of("s-2").withVendorId("v-2").withMallId("m-2");

        // WHEN each lists once
        fx.client.execute(fx.adapter.plan(listRequest(S1)).get(0), Priority.MEDIUM, MAX_WAIT);
        fx.client.execute(fx.adapter.plan(listRequest(s2)).get(0), Priority.MEDIUM, MAX_WAIT);

        // THEN every budget of the multi-budget call was drawn, instances once each, the shared budget twice
        assertThat(fx.usage("shop/vendor:s-1")).isEqualTo(1);
        assertThat(fx.usage("shop/mall:s-1")).isEqualTo(1);
        assertThat(fx.usage("shop/vendor:v-2")).isEqualTo(1);
        assertThat(fx.usage("shop/mall:m-2")).isEqualTo(1);
        assertThat(fx.usage("shop/vendor:s-2")).isZero();
        assertThat(fx.usage("shop/orders")).isEqualTo(2);
        assertThat(market.requests()).extracting(TestMarket.Seen::path)
                .containsExactly("/shop/v1/sellers/s-1/orders", "/shop/v1/sellers/s-2/orders");
    }

    @Test
    void a_seller_throttled_on_its_vendor_instance_blocks_only_that_seller() throws Exception {
        // GIVEN s-1's vendor instance is cooling down after a 429
        market.respondNext(429, "", "Retry-After", "30");
        fx.client.execute(fx.adapter.plan(new MarketAction.ShipOrder(S1, "O-1", "CJ", "1")), Priority.HIGH, MAX_WAIT);

        // WHEN both sellers ship
        CallOutcome s1 = fx.client.execute(new MarketAction.ShipOrder(S1, "O-2", "CJ", "2"), MAX_WAIT);
        CallOutcome s2 = fx.client.execute(new MarketAction.ShipOrder(Seller.of("s-2"), "O-3", "CJ", "3"), MAX_WAIT);

        // THEN
        assertThat(s1).isInstanceOfSatisfying(CallOutcome.Deferred.class,
                d -> assertThat(d.reason()).isEqualTo(Decision.Reason.COOLING_DOWN));
        assertThat(s2).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
    }

    @Test
    void a_429_cools_every_budget_of_the_call_down_for_the_fleet_for_retry_after() throws Exception {
        // GIVEN
        market.respondNext(429, "{\"message\":\"slow down\"}", "Retry-After", "120");
        PlannedCall call = fx.adapter.plan(listRequest(S1)).get(0);

        // WHEN
        Instant before = Instant.now();
        CallOutcome outcome = fx.client.execute(call, Priority.MEDIUM, MAX_WAIT);

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).contains(Duration.ofSeconds(120));
            assertThat(t.budgets()).containsExactly("shop/vendor:s-1", "shop/orders", "shop/mall:s-1");
        });
        for (String budget : List.of("shop/vendor:s-1", "shop/orders", "shop/mall:s-1")) {
            assertThat(fx.status(budget).coolingDownUntil()).as(budget).hasValueSatisfying(until -> assertThat(until)
                    .isAfter(before.plusSeconds(100)).isBefore(before.plusSeconds(140)));
        }
        assertThat(fx.client.execute(call, Priority.HIGH, MAX_WAIT)).as("even HIGH waits for the market")
                .isInstanceOf(CallOutcome.Deferred.class);
        assertThat(market.requests()).hasSize(1);
    }

    @Test
    void a_throttle_code_in_a_200_body_cools_down_like_a_429_and_without_retry_after_takes_the_budget_default()
            throws Exception {
        // GIVEN
        market.respondNext(200, "{\"code\":\"004\",\"message\":\"too many requests\"}");
        PlannedCall call = fx.adapter.plan(listRequest(S1)).get(0);

        // WHEN
        Instant before = Instant.now();
        CallOutcome outcome = fx.client.execute(call, Priority.MEDIUM, MAX_WAIT);

        // THEN the default cool-down (60 s, ThrottleRecovery.DEFAULT) applies
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).isEmpty();
            assertThat(t.reason()).contains("code 004").contains("too many requests");
        });
        assertThat(fx.status("shop/vendor:s-1").coolingDownUntil()).hasValueSatisfying(until ->
                assertThat(until).isAfter(before.plusSeconds(50)).isBefore(before.plusSeconds(70)));
    }

    @Test
    void a_budget_the_limiter_does_not_know_is_rejected_naming_it_before_anything_is_drawn_or_sent() throws IOException {
        // GIVEN a limiter without shop/mall
        Fixture partial = Fixture.of(dir, market.baseUrl(), b -> !b.name().equals("shop/mall"), Duration.ofSeconds(5));
        PlannedCall call = partial.adapter.plan(listRequest(S1)).get(0);

        // WHEN / THEN
        assertThatThrownBy(() -> partial.client.execute(call, Priority.MEDIUM, MAX_WAIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("call.budgets: unknown budget 'shop/mall:s-1'")
                .hasMessageContaining("the limiter's budgets: shop/orders, shop/records, shop/vendor");
        assertThat(partial.usage("shop/vendor:s-1")).isZero();
        assertThat(partial.usage("shop/orders")).isZero();
        assertThat(market.requests()).isEmpty();
        partial.limiter.close();
    }

    @Test
    void bad_requests_are_rejected_naming_the_field_with_no_budget_drawn_and_no_request_sent() {
        // GIVEN
        CollectionRequest claims = new CollectionRequest("shop", S1, DataKind.CLAIMS, T0, T0.plusSeconds(60));
        CollectionRequest otherMarket = new CollectionRequest("coupang", S1, DataKind.ORDERS, T0, T0.plusSeconds(60));
        PlannedCall ok = fx.adapter.plan(listRequest(S1)).get(0);
        BiConsumer<PlannedCall, OrderPage> ignore = (c, p) -> {};

        // WHEN / THEN
        assertThatThrownBy(() -> fx.client.collect(claims, Priority.MEDIUM, MAX_WAIT, ignore))
                .hasMessageStartingWith("request.kind is claims: collect() hands pages of orders");
        assertThatThrownBy(() -> fx.client.collect(otherMarket, Priority.MEDIUM, MAX_WAIT, ignore))
                .hasMessageStartingWith("request.market: unknown market 'coupang'");
        assertThatThrownBy(() -> new CollectionRequest("shop", S1, DataKind.ORDERS, T0, T0.minusSeconds(1)))
                .hasMessageStartingWith("to (");
        assertThatThrownBy(() -> fx.client.execute(ok, null, MAX_WAIT)).hasMessage("priority is missing");
        assertThatThrownBy(() -> fx.client.execute(ok, Priority.LOW, Duration.ofSeconds(-1))).hasMessageStartingWith("maxWait is");
        assertThat(fx.usage("shop/orders")).isZero();
        assertThat(fx.usage("shop/vendor:s-1")).isZero();
        assertThat(market.requests()).isEmpty();
        assertThat(fx.outcomes).isEmpty();
    }

    @Test
    void a_call_planned_by_another_markets_adapter_is_rejected_naming_the_market() throws Exception {
        // GIVEN a call of market "other"
        PlannedCall foreign = PlannedCall.of("other", "list-orders", List.of("other/api"),
                new PlannedCall.Act(new MarketAction.ShipOrder(S1, "O-1", "CJ", "1")),
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(market.baseUrl())).build());

        assertThatThrownBy(() -> fx.client.execute(foreign, Priority.HIGH, MAX_WAIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("call.market: unknown market 'other' for this client, which calls shop");
        assertThat(market.requests()).isEmpty();
    }

    @Test
    void the_listener_sees_every_call_with_market_call_priority_and_outcome() throws Exception {
        // GIVEN
        market.respondNext(500, "");
        PlannedCall list = fx.adapter.plan(listRequest(S1)).get(0);

        // WHEN
        fx.client.execute(list, Priority.LOW, MAX_WAIT);
        fx.client.execute(list, Priority.LOW, MAX_WAIT);
        fx.client.execute(new MarketAction.ShipOrder(S1, "O-1", "CJ", "1"), MAX_WAIT);

        // THEN
        assertThat(fx.outcomes).containsExactly(
                "shop list-orders LOW retryable", "shop list-orders LOW ok", "shop ship-order HIGH ok");
    }

    private String order(Seller seller, String id, Instant updatedAt) {
        market.addOrder(seller.id(), id, updatedAt);
        return id;
    }

    private static CollectionRequest listRequest(Seller seller) {
        return new CollectionRequest("shop", seller, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
    }

    private static BiConsumer<PlannedCall, OrderPage> collectInto(List<String> ids) {
        return (call, page) -> page.orders().forEach(o -> ids.add(o.orderId()));
    }
}
