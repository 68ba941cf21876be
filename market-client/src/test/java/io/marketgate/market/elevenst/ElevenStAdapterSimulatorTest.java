package io.marketgate.market.elevenst;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.Credentials;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.ElevenStCredentials;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.SimulatedMarket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 11st adapter against the simulated 11st (market-sim's {@code ELEVENST} protocol, which checks the key, the IP
 * allow-list and one call per second per key as 11st is taken to, and answers EUC-KR XML), through a real
 * {@link MarketClient} and an in-memory limiter. The market and the limiter both run on the system clock. One test runs
 * at 11st's own pace; the others at five times it (the market 1 call per 200 ms, the limiter 1 per 400 ms), which
 * keeps the same margin for arrival jitter and the tests short.
 */
class ElevenStAdapterSimulatorTest {

    /** 2026-11-20 00:00 in Korea; two Korean days, one window of a week. */
    private static final Instant FROM = Instant.parse("2026-11-19T15:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(48));
    private static final Duration MAX_WAIT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private EnvironmentConfig environment;
    private PriorityLimiter limiter;
    private MarketClient client;
    private final Seller seller = Seller.of("S1");

    @AfterEach
    void stop() {
        if (limiter != null) {
            limiter.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void collecting_a_seller_at_the_markets_own_pace_gets_exactly_its_order_lines_once_each_without_a_call_over_budget() throws Exception {
        // GIVEN two sellers at 11st's 1 call/s per key, the limiter at 1 call per 1.5 s per seller
        start(MarketPresets.elevenStOpenApi().sellers("S1", "S2"), "1500ms", "10s");
        List<Order> collected = new ArrayList<>();

        // WHEN S1's two days are collected
        CollectionResult result = client.collect(request(FROM, TO), Priority.MEDIUM, MAX_WAIT, (call, page) -> collected.addAll(page.orders()));

        // THEN one window × 4 stages; every line of S1 paid in the range once, by the id the market names it, at its
        // payment time to the second; none of S2's
        List<io.marketgate.marketsim.Order> truth = market.orders("S1", FROM, TO);
        assertThat(truth).hasSizeGreaterThan(100);
        assertThat(result).isEqualTo(new CollectionResult.Completed(4, truth.size()));
        Map<String, io.marketgate.marketsim.Order> byLine = truth.stream().collect(Collectors.toMap(market::clientOrderId, o -> o));
        assertThat(collected).extracting(Order::orderId).containsExactlyInAnyOrderElementsOf(byLine.keySet()).doesNotHaveDuplicates();
        assertThat(collected).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(byLine.get(o.orderId()).status());
            assertThat(o.updatedAt()).isEqualTo(byLine.get(o.orderId()).updatedAt().truncatedTo(ChronoUnit.SECONDS));
        });
        assertThat(collected).extracting(Order::status).containsOnly("202", "301", "401", "501");
        assertThat(market.arrivals()).hasSize(4).allMatch(a -> a.endpoint() == Endpoint.LIST_ORDERS && a.status() == 200);
        assertThat(market.callsOverBudget()).isZero();
    }

    @Test
    void the_key_reaches_the_market_as_the_openapikey_header_and_in_no_path() throws Exception {
        start(fast(MarketPresets.elevenStOpenApi().sellers("S1")), "400ms", "4s");
        String key = market.elevenStCredentials("S1").openApiKey();

        CallOutcome outcome = client.execute(client.adapter().plan(request(FROM, TO)).get(0), Priority.MEDIUM, MAX_WAIT);

        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        assertThat(market.arrivals()).singleElement().satisfies(a -> {
            assertThat(a.authenticated()).isTrue();
            assertThat(a.apiKey()).isEqualTo(key);
            assertThat(a.path()).startsWith("/11st/rest/ordservices/complete/").doesNotContain(key);
        });
    }

    @Test
    void shipping_an_acknowledged_line_ships_its_delivery_once_and_a_repeat_counts_as_already_applied() throws Exception {
        // GIVEN an acknowledged line and a paid one of S1
        start(fast(MarketPresets.elevenStOpenApi().sellers("S1")), "400ms", "4s");
        List<Order> lines = collect(FROM, TO);
        String acknowledged = first(lines, "301");
        String paid = first(lines, "202");
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(seller, acknowledged, "00034", "627614443992");

        // WHEN it is shipped, shipped again (a redelivery), and the paid line is shipped
        CallOutcome first = client.execute(ship, MAX_WAIT);
        CallOutcome again = client.execute(ship, MAX_WAIT);
        CallOutcome notYet = client.execute(new MarketAction.ShipOrder(seller, paid, "00034", "627614443993"), MAX_WAIT);

        // THEN one shipment of the line's delivery; the repeat is done already; the paid line awaits acknowledgement
        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(notYet).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("11st did not ship delivery").contains("발주확인"));
        assertThat(market.shipments()).singleElement().satisfies(s -> {
            assertThat(s.trackingNumber()).isEqualTo("627614443992");
            assertThat(s.carrier()).isEqualTo("00034");
            assertThat(acknowledged).startsWith(s.orderId() + "-");
        });
        assertThat(market.arrivals(Endpoint.CREATE_SHIPMENT)).extracting(Arrival::orderId)
                .containsExactly(acknowledged, acknowledged, paid);
        assertThat(market.callsOverBudget()).isZero();
    }

    @Test
    void reading_a_paid_line_again_gets_it_and_an_acknowledged_one_an_empty_page() throws Exception {
        start(fast(MarketPresets.elevenStOpenApi().sellers("S1")), "400ms", "4s");
        List<Order> lines = collect(FROM, TO);
        Order paid = lines.stream().filter(o -> o.status().equals("202")).findFirst().orElseThrow();

        CallOutcome read = client.execute(client.adapter().planGetOrder(seller, paid.orderId()), Priority.LOW, MAX_WAIT);
        CallOutcome moved = client.execute(client.adapter().planGetOrder(seller, first(lines, "301")), Priority.LOW, MAX_WAIT);

        assertThat(read).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> assertThat(((OrderPage) ok.data()).orders())
                .singleElement().satisfies(o -> {
                    assertThat(o.orderId()).isEqualTo(paid.orderId());
                    assertThat(o.updatedAt()).isEqualTo(paid.updatedAt());
                    assertThat(o.json()).isEqualTo(paid.json());
                }));
        assertThat(moved).isEqualTo(new CallOutcome.Ok(new OrderPage(List.of(), java.util.Optional.empty())));
    }

    @Test
    void a_key_the_market_does_not_know_rejects_the_sellers_credentials() throws Exception {
        start(fast(MarketPresets.elevenStOpenApi().sellers("S1")), "400ms", "4s");
        String wrong = "0123456789abcdef0123456789abcdef";

        MarketClient other = MarketClient.builder(limiter, adapter(source(ElevenSt.credentials(wrong)))).build();
        CallOutcome outcome = other.execute(other.adapter().plan(request(FROM, TO)).get(0), Priority.MEDIUM, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("-997").contains("등록된 API 정보가 존재하지 않습니다").doesNotContain(wrong);
        });
        assertThat(market.arrivals()).singleElement().satisfies(a -> assertThat(a.authenticated()).isFalse());
    }

    @Test
    void an_address_off_the_allow_list_is_ip_not_allowed_in_11sts_words() throws Exception {
        start(fast(MarketPresets.elevenStOpenApi().sellers("S1").ipAllowList("10.0.0.1")), "400ms", "4s");

        CallOutcome outcome = client.execute(client.adapter().plan(request(FROM, TO)).get(0), Priority.MEDIUM, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.IP_NOT_ALLOWED);
            assertThat(f.reason()).contains("[127.0.0.1]인증된 IP가 아닙니다");
        });
    }

    @Test
    void a_004_is_throttled_and_cools_the_key_down_so_the_next_call_waits_without_reaching_the_market() throws Exception {
        // GIVEN a market that allows the key one call a minute, tighter than the environment's pace
        start(MarketPresets.elevenStOpenApi().sellers("S1")
                .budgets(List.of(MarketBudget.slidingWindow("key", Scope.API_KEY, 1, Duration.ofMinutes(1)))), "400ms", "4s");
        List<PlannedCall> calls = new ArrayList<>();
        PlannedCall call = client.adapter().plan(request(FROM, TO)).get(0);
        calls.add(call);
        calls.add(client.adapter().planPage(request(FROM, TO), ((PlannedCall.Collect) call.purpose()).window(), java.util.Optional.of("packaging")));
        calls.add(client.adapter().planPage(request(FROM, TO), ((PlannedCall.Collect) call.purpose()).window(), java.util.Optional.of("shipping")));

        // WHEN
        CallOutcome first = client.execute(calls.get(0), Priority.MEDIUM, MAX_WAIT);
        CallOutcome second = client.execute(calls.get(1), Priority.MEDIUM, MAX_WAIT);
        CallOutcome third = client.execute(calls.get(2), Priority.MEDIUM, Duration.ZERO);

        // THEN
        assertThat(first).isInstanceOf(CallOutcome.Ok.class);
        assertThat(second).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).isEmpty();
            assertThat(t.budgets()).containsExactly("11st/pace:S1", "11st/key:S1");
            assertThat(t.reason()).contains("result code 004");
        });
        assertThat(third).isInstanceOfSatisfying(CallOutcome.Deferred.class, d -> assertThat(d.reason()).isEqualTo(Decision.Reason.COOLING_DOWN));
        assertThat(market.arrivals()).hasSize(2);
    }

    // ---- fixture

    /** The market at five times 11st's pace: one call per 200 ms per key. */
    private static MarketConfig.Builder fast(MarketConfig.Builder config) {
        return config.budgets(List.of(MarketBudget.slidingWindow("key", Scope.API_KEY, 1, Duration.ofMillis(200))));
    }

    private void start(MarketConfig.Builder config, String pace, String keyWindow) throws IOException {
        sim = MarketSim.builder().market(config.build()).start();
        market = sim.market("11st");
        ElevenStCredentials issued = market.elevenStCredentials("S1");
        environment = ElevenSt.environment(dir, market.clientBaseUrl(), "7d", pace, keyWindow);
        limiter = PriorityLimiter.builder()
                .budgets(environment.market("11st").limiterBudgets())
                .store(new InMemoryLimiterStore(Clock.systemUTC()))
                .build();
        client = MarketClient.builder(limiter, adapter(source(ElevenSt.credentials(issued.openApiKey())))).build();
    }

    private MarketAdapter adapter(CredentialSource source) {
        return MarketAdapters.forMarket(environment, "11st", AdapterContext.of(name -> null).withCredentials(source));
    }

    private static CredentialSource source(Credentials keys) {
        return (m, sellerId) -> keys;
    }

    private List<Order> collect(Instant from, Instant to) throws InterruptedException {
        List<Order> orders = new ArrayList<>();
        CollectionResult result = client.collect(request(from, to), Priority.MEDIUM, MAX_WAIT, (call, page) -> orders.addAll(page.orders()));
        assertThat(result).isInstanceOf(CollectionResult.Completed.class);
        return orders;
    }

    private static String first(List<Order> orders, String status) {
        return orders.stream().filter(o -> o.status().equals(status)).findFirst().orElseThrow().orderId();
    }

    private CollectionRequest request(Instant from, Instant to) {
        return new CollectionRequest("11st", seller, DataKind.ORDERS, from, to);
    }
}
