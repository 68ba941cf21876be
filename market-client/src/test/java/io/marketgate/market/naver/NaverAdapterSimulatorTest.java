package io.marketgate.market.naver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.NaverApps;
import io.marketgate.marketsim.NaverCredentials;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.TokenRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Naver adapter against the simulated Naver Commerce (market-sim's {@code NAVER} protocol: bcrypt-signed form
 * token requests, one token per account, the gateway's buckets and answers, the order APIs), through a real
 * {@link MarketClient} and an in-memory limiter configured with Naver's limits.
 */
class NaverAdapterSimulatorTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<MarketSim> sims = new ArrayList<>();
    private final List<NaverFixture> fixtures = new ArrayList<>();

    @AfterEach
    void stop() {
        fixtures.forEach(NaverFixture::close);
        sims.forEach(MarketSim::close);
    }

    @Test
    void collecting_through_a_client_gets_exactly_the_markets_product_orders_within_budget_with_one_token_request_per_app()
            throws Exception {
        // GIVEN two sellers, each with its own application; the limiter at Naver's 2 calls per second per API
        Setup s = setup(SimClock.system(), m -> m.sellers("s-1", "s-2"), 2, 25);
        Instant from = T0;
        Instant to = T0.plus(Duration.ofHours(6));
        List<Order> collected = new ArrayList<>();

        // WHEN both sellers' orders are collected
        for (String seller : List.of("s-1", "s-2")) {
            CollectionRequest request = new CollectionRequest("naver", Seller.of(seller), DataKind.ORDERS, from, to);
            CollectionResult result = s.client.collect(request, Priority.MEDIUM, MAX_WAIT, (call, page) -> collected.addAll(page.orders()));
            assertThat(result).as(seller).isInstanceOf(CollectionResult.Completed.class);
        }

        // THEN exactly the market's product orders, each once, as the market holds them
        List<io.marketgate.marketsim.Order> expected = new ArrayList<>(s.naver.orders("s-1", from, to));
        expected.addAll(s.naver.orders("s-2", from, to));
        assertThat(expected).hasSizeGreaterThan(2 * 25); // several pages per seller
        assertThat(collected).extracting(Order::orderId)
                .containsExactlyElementsOf(expected.stream().map(io.marketgate.marketsim.Order::orderId).toList());
        assertThat(collected).extracting(Order::status)
                .containsExactlyElementsOf(expected.stream().map(io.marketgate.marketsim.Order::status).toList());
        assertThat(collected).extracting(Order::updatedAt)
                .containsExactlyElementsOf(expected.stream().map(io.marketgate.marketsim.Order::updatedAt).toList());
        assertThat(collected).allSatisfy(o -> assertThat(o.json()).contains("\"shippingAddress\""));
        // no call over the market's budget, one standard token request per application
        assertThat(s.naver.callsOverBudget()).isZero();
        assertThat(s.naver.tokenRequests()).extracting(TokenRequest::sellerId).containsExactlyInAnyOrder("s-1", "s-2");
        assertThat(s.naver.tokenRequests()).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(200);
            assertThat(t.nonStandard()).isEmpty();
        });
        assertThat(s.naver.quotaPenalties()).isEmpty();
    }

    @Test
    void a_solution_application_gets_one_token_per_sellers_account_with_its_account_id_and_collects_each_sellers_orders()
            throws Exception {
        // GIVEN one application acting for two sellers (type SELLER, each with its account id)
        Setup s = setup(SimClock.system(), m -> m.sellers("s-1", "s-2").naverApps(NaverApps.SOLUTION), 2, 300);
        List<Order> collected = new ArrayList<>();

        // WHEN
        for (String seller : List.of("s-1", "s-2", "s-1")) {
            CollectionRequest request = new CollectionRequest("naver", Seller.of(seller), DataKind.ORDERS, T0, T0.plus(Duration.ofHours(2)));
            s.client.collect(request, Priority.MEDIUM, MAX_WAIT, (call, page) -> collected.addAll(page.orders()));
        }

        // THEN one standard token request per account, each seller's own orders
        assertThat(s.naver.tokenRequests()).extracting(TokenRequest::type, TokenRequest::accountId, TokenRequest::nonStandard)
                .containsExactlyInAnyOrder(
                        tuple("SELLER", s.naver.naverCredentials("s-1").accountId(), List.of()),
                        tuple("SELLER", s.naver.naverCredentials("s-2").accountId(), List.of()));
        List<String> expected = new ArrayList<>();
        for (String seller : List.of("s-1", "s-2", "s-1")) {
            s.naver.orders(seller, T0, T0.plus(Duration.ofHours(2))).forEach(o -> expected.add(o.orderId()));
        }
        assertThat(collected).extracting(Order::orderId).containsExactlyElementsOf(expected);
        assertThat(s.naver.quotaPenalties()).isEmpty();
    }

    @Test
    void shipping_a_paid_order_is_done_shipping_it_again_is_done_as_already_applied_and_a_canceled_one_is_refused() throws Exception {
        // GIVEN
        Setup s = setup(SimClock.system(), m -> m.sellers("s-1"), 2, 300);
        List<io.marketgate.marketsim.Order> orders = s.naver.orders("s-1", T0, T0.plus(Duration.ofHours(24)));
        String paid = orders.stream().filter(o -> o.status().equals("PAYED")).findFirst().orElseThrow().orderId();
        String canceled = orders.stream().filter(o -> o.status().equals("CANCELED")).findFirst().orElseThrow().orderId();

        // WHEN
        CallOutcome first = s.client.execute(new MarketAction.ShipOrder(Seller.of("s-1"), paid, "CJGLS", "612345678901"), MAX_WAIT);
        CallOutcome again = s.client.execute(new MarketAction.ShipOrder(Seller.of("s-1"), paid, "CJGLS", "612345678901"), MAX_WAIT);
        CallOutcome refused = s.client.execute(new MarketAction.ShipOrder(Seller.of("s-1"), canceled, "CJGLS", "612345678902"), MAX_WAIT);
        CallOutcome reread = s.client.execute(s.client.adapter().planGetOrder(Seller.of("s-1"), paid), Priority.HIGH, MAX_WAIT);

        // THEN
        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(refused).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("Naver did not dispatch product order " + canceled + ": code 104442"));
        assertThat(s.naver.shipments()).singleElement().satisfies(shipment -> {
            assertThat(shipment.orderId()).isEqualTo(paid);
            assertThat(shipment.carrier()).isEqualTo("CJGLS");
            assertThat(shipment.trackingNumber()).isEqualTo("612345678901");
        });
        assertThat(reread).isInstanceOfSatisfying(CallOutcome.Ok.class, ok ->
                assertThat(((OrderPage) ok.data()).orders()).singleElement().satisfies(o -> {
                    assertThat(o.status()).isEqualTo("DELIVERING");
                    assertThat(o.json()).contains("\"trackingNumber\":\"612345678901\"");
                }));
    }

    @Test
    void a_wrong_secret_fails_the_call_as_rejected_credentials_without_calling_the_api() throws Exception {
        // GIVEN s-1 registered with a well-formed secret that is not its application's
        Setup s = setup(SimClock.system(), m -> m.sellers("s-1"), 2, 300);
        NaverCredentials real = s.naver.naverCredentials("s-1");
        s.fx.self("s-1", real.clientId(), "$2a$10$AAAAAAAAAAAAAAAAAAAAAA");

        // WHEN
        CallOutcome outcome = list(s, "s-1");

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("client_secret_sign").doesNotContain("$2a$10$AAAA");
        });
        assertThat(s.naver.tokenRequests()).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo(400));
        assertThat(s.naver.arrivals(Endpoint.LIST_ORDERS)).isEmpty();
    }

    @Test
    void a_revoked_token_is_refused_once_then_a_new_one_is_fetched_and_the_call_succeeds() throws Exception {
        Setup s = setup(SimClock.system(), m -> m.sellers("s-1"), 2, 300);
        assertThat(list(s, "s-1")).isInstanceOf(CallOutcome.Ok.class);
        s.naver.revokeTokens("s-1");

        CallOutcome outcome = list(s, "s-1");

        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        assertThat(s.naver.tokenRequests()).hasSize(2).allSatisfy(t -> assertThat(t.issued()).isTrue());
        assertThat(s.naver.arrivals(Endpoint.LIST_ORDERS)).extracting(a -> a.status()).containsExactly(200, 401, 200);
    }

    @Test
    void an_address_the_application_does_not_allow_is_fatal_as_ip_not_allowed() throws Exception {
        Setup s = setup(SimClock.system(), m -> m.sellers("s-1").ipAllowList("203.0.113.7"), 2, 300);

        CallOutcome outcome = list(s, "s-1");

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.IP_NOT_ALLOWED);
            assertThat(f.reason()).contains("GW.IP_NOT_ALLOWED");
        });
    }

    @Test
    void calling_past_navers_bucket_is_throttled_on_the_endpoint_budget_and_the_fleet_waits_for_the_refill() throws Exception {
        // GIVEN Naver's bucket of 4 draining 2 per second, on a clock that stands still; a limiter that would allow more
        NaverFixture.MovingClock clock = new NaverFixture.MovingClock(T0.plus(Duration.ofDays(1)));
        Setup s = setup(clock::epochNanos, m -> m.sellers("s-1"), 100, 300, clock);
        List<CallOutcome> outcomes = new ArrayList<>();

        // WHEN six list calls, each waiting at most 200 ms for the limiter
        for (int i = 0; i < 6; i++) {
            outcomes.add(list(s, "s-1", Duration.ofMillis(200)));
        }

        // THEN four fit the bucket, the fifth is throttled on the list API's budget, the sixth waits without a call
        assertThat(outcomes.subList(0, 4)).allSatisfy(o -> assertThat(o).isInstanceOf(CallOutcome.Ok.class));
        assertThat(outcomes.get(4)).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.budgets()).containsExactly("naver/changed");
            assertThat(t.retryAfter()).contains(Duration.ofSeconds(2));
            assertThat(t.reason()).contains("GW.RATE_LIMIT").contains("GNCP-GW-RateLimit-Burst-Capacity=4");
        });
        assertThat(outcomes.get(5)).isInstanceOfSatisfying(CallOutcome.Deferred.class,
                d -> assertThat(d.reason()).isEqualTo(Decision.Reason.COOLING_DOWN));
        assertThat(s.naver.arrivals(Endpoint.LIST_ORDERS)).hasSize(5);
    }

    // ---- helpers

    private record Setup(SimulatedMarket naver, NaverFixture fx, PriorityLimiter limiter, MarketClient client) {}

    private Setup setup(SimClock simClock, UnaryOperator<MarketConfig.Builder> market, int limitPerApi, int pageSize) throws Exception {
        return setup(simClock, market, limitPerApi, pageSize, Clock.systemUTC());
    }

    private Setup setup(SimClock simClock, UnaryOperator<MarketConfig.Builder> market, int limitPerApi, int pageSize, Clock clock)
            throws Exception {
        MarketSim sim = MarketSim.builder().clock(simClock).market(market.apply(MarketPresets.naverCommerce()).build()).start();
        sims.add(sim);
        SimulatedMarket naver = sim.market("naver");
        NaverFixture fx = NaverFixture.of(Files.createTempDirectory(dir, "env"), sim.baseUrl("naver") + "/external", clock,
                limitPerApi, pageSize);
        fixtures.add(fx);
        for (var c : naver.credentials()) {
            NaverCredentials n = (NaverCredentials) c;
            if (n.accountId() == null) {
                fx.self(n.sellerId(), n.clientId(), n.clientSecret());
            } else {
                fx.seller(n.sellerId(), n.clientId(), n.clientSecret(), n.accountId());
            }
        }
        PriorityLimiter limiter = fx.limiter();
        return new Setup(naver, fx, limiter, fx.client(limiter));
    }

    private static CallOutcome list(Setup s, String seller) throws InterruptedException {
        return list(s, seller, MAX_WAIT);
    }

    private static CallOutcome list(Setup s, String seller, Duration maxWait) throws InterruptedException {
        CollectionRequest request = new CollectionRequest("naver", Seller.of(seller), DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
        return s.client.execute(s.client.adapter().plan(request).get(0), Priority.HIGH, maxWait);
    }
}
