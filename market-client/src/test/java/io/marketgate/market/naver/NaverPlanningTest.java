package io.marketgate.market.naver;

import static io.marketgate.market.naver.NaverFixture.SIM_CLIENT_ID;
import static io.marketgate.market.naver.NaverFixture.SIM_SECRET;
import static io.marketgate.market.naver.NaverFixture.SIM_SIGN;
import static io.marketgate.market.naver.NaverFixture.SIM_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.limiter.Decision;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import io.marketgate.market.auth.CachedToken;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning by the Naver adapter: the token request, windows, pages and cursors, detail queries, dispatch. No network. */
class NaverPlanningTest {

    /** 09:00 at +09:00. */
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Seller SELLER = Seller.of("s-1");
    private static final String LIST = "/naver/external/v1/pay-order/seller/product-orders/last-changed-statuses";

    @TempDir
    Path dir;

    private NaverFixture.MovingClock clock;
    private NaverFixture fx;
    private MarketAdapter adapter;

    @BeforeEach
    void adapter() throws Exception {
        clock = new NaverFixture.MovingClock(Instant.ofEpochMilli(SIM_TIMESTAMP));
        fx = NaverFixture.of(dir, "http://127.0.0.1:9/naver/external", clock).self("s-1", SIM_CLIENT_ID, SIM_SECRET);
        adapter = fx.adapter();
    }

    // ---- the token request

    @Test
    void the_token_request_is_a_form_post_with_every_parameter_in_the_body_and_none_in_the_query() throws Exception {
        // GIVEN a list call to authorize, no token yet, the clock at the hand-computed vector's timestamp
        PlannedCall list = adapter.plan(orders(T0, T0.plus(Duration.ofHours(1)))).get(0);
        List<PlannedCall> tokenCalls = new ArrayList<>();

        // WHEN
        HttpRequest.Builder request = HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true);
        Optional<CallOutcome> refused = adapter.authorize(list, request, issuing(tokenCalls, "tok-1"));

        // THEN exactly Naver's documented request, signed as the vector says
        assertThat(refused).isEmpty();
        assertThat(tokenCalls).hasSize(1);
        PlannedCall token = tokenCalls.get(0);
        HttpRequest http = PlannedRequests.of(token);
        assertThat(http.method()).isEqualTo("POST");
        assertThat(token.path()).isEqualTo("/naver/external/v1/oauth2/token");
        assertThat(http.uri().getRawQuery()).as("no query string").isNull();
        assertThat(http.headers().allValues("Content-Type")).containsExactly("application/x-www-form-urlencoded");
        assertThat(NaverFixture.body(http)).isEqualTo("client_id=sim-client-01&timestamp=1767225600000"
                + "&grant_type=client_credentials&client_secret_sign=" + SIM_SIGN + "&type=SELF");
        assertThat(token.purpose()).isEqualTo(new PlannedCall.Authenticate("sim-client-01:SELF:-"));
        assertThat(token.callName()).isEqualTo("token");
        assertThat(token.budgets()).containsExactly("naver/token");
        assertThat(request.build().headers().firstValue("Authorization")).contains("Bearer tok-1");
    }

    @Test
    void a_solution_applications_token_request_adds_the_account_id_and_its_token_is_keyed_by_it() throws Exception {
        // GIVEN
        fx.seller("s-2", "solution-app", SIM_SECRET, "ncp_1of59r_01");
        PlannedCall list = adapter.plan(new CollectionRequest("naver", Seller.of("s-2"), DataKind.ORDERS, T0, T0.plusSeconds(60))).get(0);
        List<PlannedCall> tokenCalls = new ArrayList<>();

        // WHEN
        adapter.authorize(list, HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true), issuing(tokenCalls, "tok-2"));

        // THEN
        assertThat(NaverFixture.body(PlannedRequests.of(tokenCalls.get(0))))
                .startsWith("client_id=solution-app&timestamp=1767225600000&grant_type=client_credentials&client_secret_sign=")
                .endsWith("&type=SELLER&account_id=ncp_1of59r_01");
        assertThat(tokenCalls.get(0).purpose()).isEqualTo(new PlannedCall.Authenticate("solution-app:SELLER:ncp_1of59r_01"));
        assertThat(fx.tokenCache.get("naver:solution-app:SELLER:ncp_1of59r_01")).isPresent();
    }

    @Test
    void a_cached_token_is_sent_without_another_token_request() throws Exception {
        PlannedCall list = adapter.plan(orders(T0, T0.plusSeconds(60))).get(0);
        List<PlannedCall> tokenCalls = new ArrayList<>();
        adapter.authorize(list, HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true), issuing(tokenCalls, "tok-1"));

        // WHEN another instance of the fleet authorizes a call of the same seller
        HttpRequest.Builder second = HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true);
        fx.adapter().authorize(list, second, issuing(tokenCalls, "tok-other"));

        // THEN
        assertThat(tokenCalls).hasSize(1);
        assertThat(second.build().headers().firstValue("Authorization")).contains("Bearer tok-1");
    }

    @Test
    void a_token_call_the_limiter_defers_stands_for_the_call_which_gets_no_authorization() throws Exception {
        PlannedCall list = adapter.plan(orders(T0, T0.plusSeconds(60))).get(0);
        HttpRequest.Builder request = HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true);
        CallOutcome deferred = new CallOutcome.Deferred(Duration.ofSeconds(3), "naver/token", Decision.Reason.CEILING_REACHED);

        Optional<CallOutcome> refused = adapter.authorize(list, request, tokenCall -> deferred);

        assertThat(refused).contains(deferred);
        assertThat(request.build().headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void a_seller_without_credentials_fails_for_good_without_a_token_request() throws Exception {
        PlannedCall list = adapter.plan(new CollectionRequest("naver", Seller.of("nobody"), DataKind.ORDERS, T0, T0.plusSeconds(60))).get(0);
        List<PlannedCall> tokenCalls = new ArrayList<>();

        Optional<CallOutcome> refused = adapter.authorize(list, HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true),
                issuing(tokenCalls, "tok"));

        assertThat(refused).hasValueSatisfying(o -> assertThat(o).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("no credentials are registered for seller nobody of market naver")));
        assertThat(tokenCalls).isEmpty();
    }

    @Test
    void neither_the_secret_nor_the_sign_nor_the_token_is_in_any_to_string() throws Exception {
        PlannedCall list = adapter.plan(orders(T0, T0.plusSeconds(60))).get(0);
        List<PlannedCall> tokenCalls = new ArrayList<>();
        adapter.authorize(list, HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true), issuing(tokenCalls, "tok-secret-value"));

        List<String> printed = List.of(adapter.toString(), list.toString(), tokenCalls.get(0).toString(),
                PlannedRequests.of(tokenCalls.get(0)).toString(), fx.credentials.get("s-1").toString(),
                fx.tokenCache.get("naver:sim-client-01:SELF:-").orElseThrow().toString());
        assertThat(printed).noneMatch(s -> s.contains(SIM_SECRET) || s.contains(SIM_SIGN) || s.contains("tok-secret-value"));
    }

    // ---- collection

    @Test
    void the_first_page_asks_for_the_window_at_plus_nine_hours_with_millis_and_the_plus_encoded() {
        // WHEN
        PlannedCall call = adapter.plan(orders(T0.plusMillis(123), T0.plus(Duration.ofHours(1)))).get(0);

        // THEN
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo(LIST);
        assertThat(call.rawQuery()).isEqualTo("lastChangedFrom=2026-11-01T09%3A00%3A00.123%2B09%3A00"
                + "&lastChangedTo=2026-11-01T10%3A00%3A00.000%2B09%3A00&limitCount=3");
        assertThat(call.callName()).isEqualTo("list-changed-orders");
        assertThat(call.budgets()).containsExactly("naver/changed", "naver/seller:s-1");
        assertThat(PlannedRequests.of(call).headers().firstValue("Authorization")).as("added when sent").isEmpty();
    }

    @Test
    void a_range_longer_than_a_day_is_split_into_windows_of_at_most_24_hours() {
        assertThat(adapter.windows(orders(T0, T0.plus(Duration.ofHours(60))))).containsExactly(
                new TimeWindow(T0, T0.plus(Duration.ofHours(24))),
                new TimeWindow(T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofHours(48))),
                new TimeWindow(T0.plus(Duration.ofHours(48)), T0.plus(Duration.ofHours(60))));
        assertThat(adapter.plan(orders(T0, T0.plus(Duration.ofHours(60))))).extracting(PlannedCall::rawQuery).containsExactly(
                "lastChangedFrom=2026-11-01T09%3A00%3A00.000%2B09%3A00&lastChangedTo=2026-11-02T09%3A00%3A00.000%2B09%3A00&limitCount=3",
                "lastChangedFrom=2026-11-02T09%3A00%3A00.000%2B09%3A00&lastChangedTo=2026-11-03T09%3A00%3A00.000%2B09%3A00&limitCount=3",
                "lastChangedFrom=2026-11-03T09%3A00%3A00.000%2B09%3A00&lastChangedTo=2026-11-03T21%3A00%3A00.000%2B09%3A00&limitCount=3");
    }

    @Test
    void the_next_page_asks_from_more_from_with_more_sequence_then_the_next_window_then_ends() {
        // GIVEN two windows
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(30)));
        PlannedCall first = adapter.plan(request).get(0);

        // WHEN the first page names where the next starts
        PlannedCall second = adapter.next(first, page("2026-11-01T13:45:10.007+09:00|2026110112345678")).orElseThrow();
        PlannedCall third = adapter.next(second, page(null)).orElseThrow();
        Optional<PlannedCall> after = adapter.next(third, page(null));

        // THEN
        assertThat(second.rawQuery()).isEqualTo("lastChangedFrom=2026-11-01T13%3A45%3A10.007%2B09%3A00"
                + "&lastChangedTo=2026-11-02T09%3A00%3A00.000%2B09%3A00&limitCount=3&moreSequence=2026110112345678");
        assertThat(second.purpose()).isEqualTo(new PlannedCall.Collect(request, new TimeWindow(T0, T0.plus(Duration.ofHours(24))),
                Optional.of("2026-11-01T13:45:10.007+09:00|2026110112345678")));
        assertThat(third.rawQuery()).isEqualTo("lastChangedFrom=2026-11-02T09%3A00%3A00.000%2B09%3A00"
                + "&lastChangedTo=2026-11-02T15%3A00%3A00.000%2B09%3A00&limitCount=3");
        assertThat(after).isEmpty();
    }

    @Test
    void a_collection_resumed_from_its_checkpoint_asks_for_the_same_page() {
        // GIVEN the checkpoint of a page: its window and cursor
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(2)));
        PlannedCall next = adapter.next(adapter.plan(request).get(0), page("2026-11-01T09:30:00.000+09:00|2026110100000042")).orElseThrow();
        PlannedCall.Collect checkpoint = (PlannedCall.Collect) next.purpose();

        // WHEN
        PlannedCall resumed = adapter.planPage(checkpoint.request(), checkpoint.window(), checkpoint.cursor());

        // THEN
        assertThat(resumed.rawQuery()).isEqualTo(next.rawQuery()).contains("moreSequence=2026110100000042");
    }

    @Test
    void a_cursor_that_is_not_moreFrom_and_moreSequence_is_refused_naming_the_cursor() {
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(2)));
        TimeWindow window = adapter.windows(request).get(0);

        for (String bad : new String[] {"42", "yesterday|42", "2026-11-01T09:30:00.000+09:00|", "2026-11-01T09:30:00.000+09:00|4 2"}) {
            assertThatThrownBy(() -> adapter.planPage(request, window, Optional.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cursor '" + bad + "' must be moreFrom|moreSequence");
        }
    }

    @Test
    void a_list_page_is_completed_by_one_query_of_its_ids_and_an_empty_page_needs_none() {
        // GIVEN
        PlannedCall list = adapter.plan(orders(T0, T0.plus(Duration.ofHours(1)))).get(0);
        OrderPage listed = new OrderPage(List.of(order("2026110100000001"), order("2026110100000002")), Optional.of("c"));

        // WHEN
        PlannedCall detail = adapter.detail(list, listed).orElseThrow();

        // THEN
        assertThat(detail.method()).isEqualTo("POST");
        assertThat(detail.path()).isEqualTo("/naver/external/v1/pay-order/seller/product-orders/query");
        assertThat(detail.callName()).isEqualTo("get-orders");
        assertThat(detail.budgets()).containsExactly("naver/query", "naver/seller:s-1");
        assertThat(detail.purpose()).isEqualTo(list.purpose());
        assertThat(PlannedRequests.of(detail).headers().firstValue("Content-Type")).contains("application/json");
        assertThat(NaverFixture.body(PlannedRequests.of(detail))).isEqualTo("{\"productOrderIds\":[\"2026110100000001\",\"2026110100000002\"]}");
        assertThat(adapter.detail(list, new OrderPage(List.of(), Optional.empty()))).isEmpty();
    }

    @Test
    void reading_one_order_again_is_the_query_of_its_one_id() {
        PlannedCall call = adapter.planGetOrder(SELLER, "2026110100000007");

        assertThat(call.path()).isEqualTo("/naver/external/v1/pay-order/seller/product-orders/query");
        assertThat(call.purpose()).isEqualTo(new PlannedCall.FetchOrder(SELLER, "2026110100000007"));
        assertThat(call.budgets()).containsExactly("naver/query", "naver/seller:s-1");
        assertThat(NaverFixture.body(PlannedRequests.of(call))).isEqualTo("{\"productOrderIds\":[\"2026110100000007\"]}");
    }

    @Test
    void reviews_and_a_market_the_adapter_does_not_call_are_refused_naming_the_field() {
        assertThatThrownBy(() -> adapter.plan(new CollectionRequest("naver", SELLER, DataKind.REVIEWS, T0, T0.plusSeconds(1))))
                .hasMessageStartingWith("kind: market naver (naver) does not offer reviews");
        assertThatThrownBy(() -> adapter.plan(new CollectionRequest("coupang", SELLER, DataKind.ORDERS, T0, T0.plusSeconds(1))))
                .hasMessageStartingWith("market: unknown market 'coupang'");
    }

    // ---- dispatch

    @Test
    void shipping_is_a_dispatch_of_the_product_order_by_delivery_with_carrier_tracking_number_and_now() {
        // GIVEN 18:30:00.500 at +09:00
        clock.advance(Duration.between(Instant.ofEpochMilli(SIM_TIMESTAMP), Instant.parse("2026-11-01T09:30:00.500Z")));

        // WHEN
        PlannedCall call = adapter.plan(new MarketAction.ShipOrder(SELLER, "2026110100000007", "CJGLS", "123456789012"));

        // THEN
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/naver/external/v1/pay-order/seller/product-orders/dispatch");
        assertThat(call.budgets()).containsExactly("naver/dispatch", "naver/seller:s-1");
        assertThat(NaverFixture.body(PlannedRequests.of(call))).isEqualTo("{\"dispatchProductOrders\":[{"
                + "\"productOrderId\":\"2026110100000007\",\"deliveryMethod\":\"DELIVERY\",\"deliveryCompanyCode\":\"CJGLS\","
                + "\"trackingNumber\":\"123456789012\",\"dispatchDate\":\"2026-11-01T18:30:00.500+09:00\"}]}");
    }

    @Test
    void a_market_that_does_not_ship_through_its_adapter_refuses_the_action_naming_the_operation() throws Exception {
        NaverFixture noShip = NaverFixture.of(Files.createDirectories(dir.resolve("no-ship")), "http://127.0.0.1:9/naver/external",
                clock, 100, 3, yaml -> yaml.replace(", shipOrder: ship-order", ""));
        MarketAdapter noShipping = noShip.adapter();

        assertThatThrownBy(() -> noShipping.plan(new MarketAction.ShipOrder(SELLER, "1", "CJGLS", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("action ship-order: market naver does not ship through its adapter (adapter.calls has no shipOrder)");
    }

    // ---- helpers

    /** Token calls recorded, each answered with a token of {@code value} for 3 hours. */
    private MarketAdapter.AuthCalls issuing(List<PlannedCall> tokenCalls, String value) {
        return tokenCall -> {
            tokenCalls.add(tokenCall);
            Instant now = clock.instant();
            return new CallOutcome.Ok(new MarketData.Token(new CachedToken(value, now.plus(Duration.ofHours(3)),
                    now.plus(Duration.ofMinutes(150)))));
        };
    }

    private static OrderPage page(String cursor) {
        return new OrderPage(List.of(), Optional.ofNullable(cursor));
    }

    private static Order order(String id) {
        return new Order(id, "PAYED", io.marketgate.market.OrderStatus.PAID, T0, "{}");
    }

    private static CollectionRequest orders(Instant from, Instant to) {
        return new CollectionRequest("naver", SELLER, DataKind.ORDERS, from, to);
    }
}
