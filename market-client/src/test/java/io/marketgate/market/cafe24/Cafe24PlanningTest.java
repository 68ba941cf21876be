package io.marketgate.market.cafe24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the Cafe24 adapter plans calls: per-mall URLs, windows to the second in KST, offsets and their limit, shipments, consent. */
class Cafe24PlanningTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Seller SELLER = Seller.of("s-1", Map.of("mallId", "shop42"));

    @TempDir
    Path dir;

    private Cafe24Fixture fx;
    private Cafe24Adapter adapter;

    @BeforeEach
    void setUp() throws Exception {
        fx = Cafe24Fixture.of(dir, "https://{mallId}.cafe24api.com/api/v2", Clock.fixed(T0, ZoneOffset.UTC), 100)
                .seller("s-1", "shop42", "client-1", "secret-value-1");
        adapter = fx.adapter();
    }

    private CollectionRequest request(Instant from, Instant to) {
        return new CollectionRequest("cafe24", SELLER, DataKind.ORDERS, from, to);
    }

    @Test
    void a_page_asks_the_malls_api_for_orders_paid_in_the_window_to_the_second_in_kst() {
        // GIVEN a window of 30 minutes
        CollectionRequest request = request(T0, T0.plus(Duration.ofMinutes(30)));

        // WHEN its first page and the page at offset 200 are planned
        PlannedCall first = adapter.planPage(request, request.range(), Optional.empty());
        PlannedCall later = adapter.planPage(request, request.range(), Optional.of("200"));

        // THEN the mall's host, the list, both ends inclusive (the last whole second before the window's end)
        URI uri = PlannedRequests.of(first).uri();
        assertThat(uri.getHost()).isEqualTo("shop42.cafe24api.com");
        assertThat(uri.getPath()).isEqualTo("/api/v2/admin/orders");
        assertThat(uri.getQuery()).isEqualTo("shop_no=1&date_type=pay_date&start_date=2026-11-01T09:00:00+09:00"
                + "&end_date=2026-11-01T09:29:59+09:00&limit=100&offset=0&embed=items,receivers");
        assertThat(PlannedRequests.of(later).uri().getQuery()).contains("&offset=200&");
        // AND it draws from the mall's budget, keyed by the mall
        assertThat(first.budgets()).containsExactly("cafe24/mall:shop42");
        assertThat(first.toString()).doesNotContain("start_date");
    }

    @Test
    void a_range_is_split_into_windows_of_at_most_the_sections_range() {
        CollectionRequest request = request(T0, T0.plus(Duration.ofHours(60)));

        List<TimeWindow> windows = adapter.windows(request);

        assertThat(windows).containsExactly(new TimeWindow(T0, T0.plus(Duration.ofDays(1))),
                new TimeWindow(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2))),
                new TimeWindow(T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofHours(60))));
    }

    @Test
    void a_full_page_goes_on_at_the_next_offset_until_the_markets_largest_then_the_window_is_halved() {
        // GIVEN a request of one day, at offset 14900 with full pages of 100
        CollectionRequest request = request(T0, T0.plus(Duration.ofDays(1)));
        PlannedCall at14900 = adapter.planPage(request, request.range(), Optional.of("14900"));
        PlannedCall at15000 = adapter.next(at14900, page(100, Optional.of("15000"))).orElseThrow();

        // WHEN the page at 15000 is full too
        PlannedCall after = adapter.next(at15000, page(100, Optional.of("15100"))).orElseThrow();

        // THEN 15000 was asked for, and after it the window's first half from offset 0 (its second half comes next)
        assertThat(PlannedRequests.of(at15000).uri().getQuery()).contains("&offset=15000&");
        PlannedCall.Collect half = (PlannedCall.Collect) after.purpose();
        assertThat(half.window()).isEqualTo(new TimeWindow(T0, T0.plus(Duration.ofHours(12))));
        assertThat(half.cursor()).isEmpty();
        PlannedCall second = adapter.next(after, page(3, Optional.empty())).orElseThrow();
        assertThat(((PlannedCall.Collect) second.purpose()).window()).isEqualTo(new TimeWindow(T0.plus(Duration.ofHours(12)),
                T0.plus(Duration.ofDays(1))));
        // AND an offset beyond the market's largest is never planned
        assertThatThrownBy(() -> adapter.planPage(request, request.range(), Optional.of("15100")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyond Cafe24's largest offset 15000");
        assertThatThrownBy(() -> adapter.planPage(request, request.range(), Optional.of("ten")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cursor 'ten' must be the offset");
    }

    @Test
    void a_seller_whose_mall_cannot_be_a_host_name_is_refused_naming_the_field() {
        Seller bad = Seller.of("s-2", Map.of("mallId", "Shop_42"));

        assertThatThrownBy(() -> adapter.planGetOrder(bad, "20261101-0000001"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mallId 'Shop_42' must be");
    }

    @Test
    void one_order_is_read_with_its_items_and_a_shipment_names_the_items_that_can_ship() {
        // GIVEN an order whose first item is ready to ship and second was cancelled
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(SELLER, "20261101-0000013", "0001", "T-123");
        String json = "{\"order_id\":\"20261101-0000013\",\"items\":[{\"order_item_code\":\"20261101-0000013-01\",\"order_status\":\"N20\"},"
                + "{\"order_item_code\":\"20261101-0000013-02\",\"order_status\":\"C40\"}]}";

        // WHEN the action's lookup and call are planned
        PlannedCall lookup = adapter.planLookup(ship).orElseThrow();
        PlannedCall call = adapter.plan(ship, new OrderPage(List.of(new Order("20261101-0000013", "N20,C40", io.marketgate.market.OrderStatus.PREPARING, T0, json)), Optional.empty()));

        // THEN the lookup reads the order; the call ships the one item, marked shipping, with the carrier's code
        assertThat(PlannedRequests.of(lookup).uri().getPath()).isEqualTo("/api/v2/admin/orders/20261101-0000013");
        HttpRequest post = PlannedRequests.of(call);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.uri().getPath()).isEqualTo("/api/v2/admin/orders/20261101-0000013/shipments");
        assertThat(Cafe24Fixture.body(post)).isEqualTo("{\"shop_no\":1,\"request\":{\"tracking_no\":\"T-123\","
                + "\"shipping_company_code\":\"0001\",\"status\":\"shipping\",\"order_item_code\":[\"20261101-0000013-01\"]}}");
        // AND with no item left to ship, the call reads the order again to judge it
        PlannedCall confirm = adapter.plan(ship, new OrderPage(List.of(new Order("20261101-0000013", "N30", io.marketgate.market.OrderStatus.SHIPPING,
                T0, json.replace("N20", "N30"))), Optional.empty()));
        assertThat(confirm.method()).isEqualTo("GET");
        assertThat(confirm.purpose()).isInstanceOf(PlannedCall.Act.class);
    }

    @Test
    void a_tracking_number_longer_than_cafe24_takes_is_refused_before_anything_is_drawn() {
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(SELLER, "20261101-0000013", "0001", "T".repeat(41));

        assertThatThrownBy(() -> adapter.planLookup(ship)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trackingNumber is 41 characters, Cafe24 takes at most 40");
    }

    @Test
    void the_consent_page_and_the_code_exchange_name_the_app_the_redirect_uri_and_the_scopes() {
        // WHEN the consent URL and the exchange of a code are planned
        URI page = adapter.consentUrl(SELLER, "state-0123456789");
        PlannedCall exchange = adapter.planExchange(SELLER, "code-abc");

        // THEN the owner is sent to the mall's consent page; the code goes to the token endpoint with Basic auth
        assertThat(page.getHost()).isEqualTo("shop42.cafe24api.com");
        assertThat(page.getPath()).isEqualTo("/api/v2/oauth/authorize");
        assertThat(page.getQuery()).isEqualTo("response_type=code&client_id=client-1&state=state-0123456789&redirect_uri="
                + Cafe24Fixture.REDIRECT + "&scope=mall.read_order,mall.write_order");
        HttpRequest post = PlannedRequests.of(exchange);
        assertThat(post.uri().getPath()).isEqualTo("/api/v2/oauth/token");
        assertThat(post.headers().firstValue("Authorization")).contains("Basic Y2xpZW50LTE6c2VjcmV0LXZhbHVlLTE=");
        assertThat(post.headers().firstValue("Content-Type")).contains("application/x-www-form-urlencoded");
        assertThat(post.timeout()).contains(Cafe24Adapter.TOKEN_TIMEOUT);
        assertThat(Cafe24Fixture.body(post)).isEqualTo("grant_type=authorization_code&code=code-abc&redirect_uri="
                + "https%3A%2F%2Fapi.example.com%2Fv1%2Fconnections%2Fcallback");
        assertThat(exchange.budgets()).containsExactly("cafe24/token");
        assertThat(exchange.toString()).doesNotContain("code-abc").doesNotContain("Basic");
        // AND a state or code that is not URL-safe is refused naming it
        assertThatThrownBy(() -> adapter.consentUrl(SELLER, "short")).hasMessageStartingWith("state must be");
        assertThatThrownBy(() -> adapter.planExchange(SELLER, "a b")).hasMessageStartingWith("code must be");
    }

    @Test
    void the_basic_auth_of_the_documented_vector_is_cafe24s() {
        assertThat(new Cafe24App("m", "sim-client", "sim-secret").basic()).isEqualTo("Basic c2ltLWNsaWVudDpzaW0tc2VjcmV0");
        assertThat(new Cafe24App("m", "sim-client", "sim-secret").toString()).doesNotContain("sim-secret");
    }

    private static OrderPage page(int orders, Optional<String> next) {
        List<Order> list = java.util.stream.IntStream.range(0, orders)
                .mapToObj(i -> new Order("20261101-00" + String.format("%05d", i), "N20", io.marketgate.market.OrderStatus.PREPARING, T0, "{}")).toList();
        return new OrderPage(list, next);
    }
}
