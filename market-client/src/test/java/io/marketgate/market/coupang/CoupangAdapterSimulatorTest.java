package io.marketgate.market.coupang;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.marketgate.marketsim.CoupangCredentials;
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
 * The Coupang adapter against the simulated Coupang Wing (market-sim's {@code COUPANG} protocol, which checks the
 * signature, the vendor, the IP allow-list and 10 calls/s per vendor as Coupang does), through a real
 * {@link MarketClient} and an in-memory limiter. The market and the limiter both run on the system clock.
 */
class CoupangAdapterSimulatorTest {

    /** 2026-11-20 00:00 in Korea; the request is two Korean days, four windows of 12 h. */
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
    private Seller seller;

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
    void collecting_a_seller_gets_exactly_the_markets_orders_once_each_without_a_call_over_budget() throws Exception {
        // GIVEN two vendors at Coupang's real limit, and the client limited to 9/s per vendor (MEDIUM: 80% of it)
        start(MarketPresets.coupangWing().sellers("S1", "S2"));
        List<Order> collected = new ArrayList<>();

        // WHEN S1's two days are collected
        CollectionResult result = client.collect(request(FROM, TO), Priority.MEDIUM, MAX_WAIT, (call, page) -> collected.addAll(page.orders()));

        // THEN 4 windows × 5 statuses, every order of S1 in the range once, at its payment time, none of S2
        List<io.marketgate.marketsim.Order> truth = market.orders("S1", FROM, TO);
        assertThat(truth).hasSizeGreaterThan(100);
        assertThat(result).isEqualTo(new CollectionResult.Completed(20, truth.size()));
        Map<String, Instant> paidAt = truth.stream().collect(Collectors.toMap(io.marketgate.marketsim.Order::orderId,
                o -> o.updatedAt().truncatedTo(ChronoUnit.SECONDS)));
        assertThat(collected).extracting(o -> json(o).get("orderId").asText()).containsExactlyInAnyOrderElementsOf(paidAt.keySet());
        assertThat(collected).allSatisfy(o -> assertThat(o.updatedAt()).isEqualTo(paidAt.get(json(o).get("orderId").asText())));
        assertThat(collected).extracting(Order::orderId).doesNotHaveDuplicates();
        assertThat(collected).extracting(Order::status).containsOnly(CoupangAdapter.WALKED_STATUSES.toArray(String[]::new));
        assertThat(market.arrivals()).hasSize(20).allMatch(a -> a.endpoint() == Endpoint.LIST_ORDERS && a.status() == 200);
        assertThat(market.callsOverBudget()).isZero();
    }

    @Test
    void shipping_an_instruct_box_uploads_its_invoice_once_and_a_repeat_counts_as_already_applied() throws Exception {
        // GIVEN an INSTRUCT box and an ACCEPT box of S1
        start(MarketPresets.coupangWing().sellers("S1"));
        List<Order> hour = collect(FROM, FROM.plus(Duration.ofHours(6)));
        String instruct = first(hour, "INSTRUCT");
        String accept = first(hour, "ACCEPT");
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(seller, instruct, "CJGLS", "340000000001");

        // WHEN it is shipped, shipped again (a redelivery), shipped with another number, and the ACCEPT box is shipped
        CallOutcome first = client.execute(ship, MAX_WAIT);
        CallOutcome again = client.execute(ship, MAX_WAIT);
        CallOutcome other = client.execute(new MarketAction.ShipOrder(seller, instruct, "CJGLS", "340000000002"), MAX_WAIT);
        CallOutcome notYet = client.execute(new MarketAction.ShipOrder(seller, accept, "CJGLS", "340000000003"), MAX_WAIT);

        // THEN
        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(other).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("is DEPARTURE already, with invoice '340000000001'").contains("updateInvoices"));
        assertThat(notYet).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("shipment box " + accept + " is ACCEPT").contains("acknowledge the order first"));
        assertThat(market.shipments()).singleElement().satisfies(s -> {
            assertThat(s.trackingNumber()).isEqualTo("340000000001");
            assertThat(s.carrier()).isEqualTo("CJGLS");
        });
        assertThat(market.arrivals(Endpoint.CREATE_SHIPMENT)).as("no upload bound to be refused").hasSize(1);
        assertThat(market.callsOverBudget()).isZero();
    }

    @Test
    void reading_one_box_again_gets_its_current_sheet() throws Exception {
        start(MarketPresets.coupangWing().sellers("S1"));
        Order listed = collect(FROM, FROM.plus(Duration.ofHours(6))).get(0);

        CallOutcome read = client.execute(client.adapter().planGetOrder(seller, listed.orderId()), Priority.LOW, MAX_WAIT);

        assertThat(read).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> assertThat(((OrderPage) ok.data()).orders())
                .singleElement().satisfies(o -> {
                    assertThat(o.orderId()).isEqualTo(listed.orderId());
                    assertThat(o.updatedAt()).isEqualTo(listed.updatedAt());
                }));
    }

    @Test
    void a_wrong_secret_key_or_an_unknown_access_key_rejects_the_sellers_credentials() throws Exception {
        // GIVEN S1's vendor id and access key with another secret
        start(MarketPresets.coupangWing().sellers("S1"));
        CoupangCredentials issued = market.coupangCredentials("S1");

        // WHEN
        CallOutcome wrongSecret = firstPage(Coupang.credentials(issued.vendorId(), issued.accessKey(), "0".repeat(40)));
        CallOutcome unknownKey = firstPage(Coupang.credentials(issued.vendorId(), "00000000-0000-4000-8000-000000000000", issued.secretKey()));

        // THEN
        assertThat(wrongSecret).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("Invalid signature.").doesNotContain(issued.accessKey());
        });
        assertThat(unknownKey).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("Unknown error occurred");
        });
    }

    @Test
    void a_clock_off_by_more_than_five_minutes_gets_an_expired_signature_which_is_retryable() throws Exception {
        start(MarketPresets.coupangWing().sellers("S1"));
        Clock slow = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6));
        client = MarketClient.builder(limiter, adapter(source(market.coupangCredentials("S1")), slow)).build();

        CallOutcome outcome = client.execute(client.adapter().plan(request(FROM, TO)).get(0), Priority.MEDIUM, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                .contains("check this host's clock").contains("Specified signature is expired."));
    }

    @Test
    void an_address_off_the_allow_list_is_not_allowed_ip() throws Exception {
        start(MarketPresets.coupangWing().sellers("S1").ipAllowList("10.0.0.1"));

        CallOutcome outcome = client.execute(client.adapter().plan(request(FROM, TO)).get(0), Priority.MEDIUM, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.IP_NOT_ALLOWED);
            assertThat(f.reason()).contains("[FORBIDDEN] Not allowed IP");
        });
    }

    @Test
    void a_429_is_throttled_and_cools_the_vendor_down_so_the_next_call_waits_without_reaching_the_market() throws Exception {
        // GIVEN a market that allows the vendor one call a minute, tighter than the environment's 9/s
        start(MarketPresets.coupangWing().sellers("S1")
                .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1, Duration.ofMinutes(1)))));
        List<PlannedCall> calls = client.adapter().plan(request(FROM, TO));

        // WHEN
        CallOutcome first = client.execute(calls.get(0), Priority.MEDIUM, MAX_WAIT);
        CallOutcome second = client.execute(calls.get(1), Priority.MEDIUM, MAX_WAIT);
        CallOutcome third = client.execute(calls.get(2), Priority.MEDIUM, Duration.ZERO);

        // THEN
        assertThat(first).isInstanceOf(CallOutcome.Ok.class);
        assertThat(second).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).isEmpty();
            assertThat(t.budgets()).containsExactly("coupang/vendor:" + seller.vendorId().orElseThrow(), "coupang/ordersheets");
            assertThat(t.reason()).contains("Too Many Requests");
        });
        assertThat(third).isInstanceOfSatisfying(CallOutcome.Deferred.class, d -> assertThat(d.reason()).isEqualTo(Decision.Reason.COOLING_DOWN));
        assertThat(market.arrivals()).hasSize(2);
    }

    // ---- fixture

    private void start(MarketConfig.Builder config) throws IOException {
        sim = MarketSim.builder().market(config.build()).start();
        market = sim.market("coupang");
        CoupangCredentials issued = market.coupangCredentials("S1");
        seller = Seller.of("S1").withVendorId(issued.vendorId());
        // 9 calls/s per vendor where Coupang allows 10: the limiter counts a call when it grants it, the market when it
        // arrives, and at exactly the market's limit a HIGH burst meets it with no room for the requests' jitter
        environment = Coupang.load(dir, Coupang.YAML.replace("BASE_URL", sim.baseUrl("coupang"))
                .replace("MAX_RANGE", "12h").replace("limit: 10", "limit: 9"));
        limiter = PriorityLimiter.builder()
                .budgets(environment.market("coupang").limiterBudgets())
                .store(new InMemoryLimiterStore(Clock.systemUTC()))
                .build();
        client = MarketClient.builder(limiter, adapter(source(issued), Clock.systemUTC())).build();
    }

    private MarketAdapter adapter(CredentialSource source, Clock clock) {
        return MarketAdapters.forMarket(environment, "coupang", AdapterContext.of(name -> null).withCredentials(source).withClock(clock));
    }

    private CallOutcome firstPage(Credentials keys) throws InterruptedException {
        MarketClient other = MarketClient.builder(limiter, adapter(source(keys), Clock.systemUTC())).build();
        return other.execute(other.adapter().plan(request(FROM, TO)).get(0), Priority.MEDIUM, MAX_WAIT);
    }

    private static CredentialSource source(CoupangCredentials issued) {
        return source(Coupang.credentials(issued.vendorId(), issued.accessKey(), issued.secretKey()));
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
        return new CollectionRequest("coupang", seller, DataKind.ORDERS, from, to);
    }

    private static JsonNode json(Order order) {
        try {
            return Sheets.JSON.readTree(order.json());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
