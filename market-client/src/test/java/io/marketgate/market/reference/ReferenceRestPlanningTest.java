package io.marketgate.market.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.ConfigException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.MarketData.RecordPage;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Planning by the reference REST adapter: windows, pages, budgets, requests. No network. */
class ReferenceRestPlanningTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Seller SELLER = Seller.of("s-1").withMallId("m-1");

    @TempDir
    Path dir;

    private EnvironmentConfig environment;
    private MarketAdapter adapter;

    @BeforeEach
    void adapter() throws IOException {
        environment = Fixture.environment(dir, "http://127.0.0.1:9/shop");
        adapter = MarketAdapters.forMarket(environment, "shop", Map.of("SHOP_API_KEY", TestMarket.API_KEY)::get);
    }

    @Test
    void a_range_longer_than_the_maximum_is_split_into_consecutive_windows_of_at_most_the_maximum() {
        // GIVEN 60 hours, at most 24 per call
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(60)));

        // WHEN
        List<TimeWindow> windows = adapter.windows(request);

        // THEN
        assertThat(windows).containsExactly(
                new TimeWindow(T0, T0.plus(Duration.ofHours(24))),
                new TimeWindow(T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofHours(48))),
                new TimeWindow(T0.plus(Duration.ofHours(48)), T0.plus(Duration.ofHours(60))));
    }

    @Test
    void a_range_of_exactly_two_maximums_is_two_windows_and_a_short_range_is_one() {
        assertThat(adapter.windows(orders(T0, T0.plus(Duration.ofHours(48))))).hasSize(2);
        assertThat(adapter.windows(orders(T0, T0.plus(Duration.ofMinutes(5))))).containsExactly(
                new TimeWindow(T0, T0.plus(Duration.ofMinutes(5))));
    }

    @Test
    void the_first_page_is_a_get_with_the_window_the_page_size_and_the_api_key_header() {
        // GIVEN
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(30)));

        // WHEN
        List<PlannedCall> calls = adapter.plan(request);

        // THEN one call per window, each the window's first page
        assertThat(calls).hasSize(2);
        HttpRequest first = PlannedRequests.of(calls.get(0));
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.uri().getPath()).isEqualTo("/shop/v1/sellers/s-1/orders");
        assertThat(query(first)).containsExactly(
                Map.entry("from", "2026-11-01T00:00:00Z"), Map.entry("to", "2026-11-02T00:00:00Z"), Map.entry("size", "3"));
        assertThat(first.headers().firstValue("X-Api-Key")).contains(TestMarket.API_KEY);
        assertThat(calls.get(0).purpose()).isEqualTo(new PlannedCall.Collect(request,
                new TimeWindow(T0, T0.plus(Duration.ofHours(24))), Optional.empty()));
    }

    @Test
    void a_list_call_draws_from_every_budget_of_its_configured_call_with_per_seller_and_per_mall_instances_keyed() {
        PlannedCall call = adapter.plan(orders(T0, T0.plus(Duration.ofHours(1)))).get(0);

        assertThat(call.callName()).isEqualTo("list-orders");
        assertThat(call.budgets()).containsExactly("shop/vendor:s-1", "shop/orders", "shop/mall:m-1");
        assertThat(call.toCall(io.marketgate.limiter.Priority.MEDIUM).budgets()).isEqualTo(call.budgets());
    }

    @Test
    void the_next_call_follows_the_cursor_then_moves_to_the_next_window_then_ends() {
        // GIVEN two windows
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(30)));
        PlannedCall first = adapter.plan(request).get(0);

        // WHEN the first page has a cursor
        PlannedCall second = adapter.next(first, new OrderPage(List.of(), Optional.of("at:3 &x"))).orElseThrow();
        // AND the second page is the window's last
        PlannedCall third = adapter.next(second, new OrderPage(List.of(), Optional.empty())).orElseThrow();
        Optional<PlannedCall> after = adapter.next(third, new OrderPage(List.of(), Optional.empty()));

        // THEN
        assertThat(query(PlannedRequests.of(second))).containsEntry("cursor", "at:3 &x").containsEntry("from", "2026-11-01T00:00:00Z");
        assertThat(PlannedRequests.of(second).uri().getRawQuery()).contains("cursor=at%3A3+%26x");
        assertThat(query(PlannedRequests.of(third))).containsEntry("from", "2026-11-02T00:00:00Z").containsEntry("to", "2026-11-02T06:00:00Z")
                .doesNotContainKey("cursor");
        assertThat(after).isEmpty();
    }

    @Test
    void shipping_an_order_is_a_post_with_carrier_and_tracking_number_drawing_from_the_ship_call() {
        // WHEN
        PlannedCall call = adapter.plan(new MarketAction.ShipOrder(SELLER, "O-7", "CJ", "123456789"));

        // THEN
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/shop/v1/sellers/s-1/orders/O-7/shipments");
        assertThat(call.budgets()).containsExactly("shop/vendor:s-1");
        assertThat(PlannedRequests.of(call).headers().firstValue("Content-Type")).contains("application/json");
        assertThat(PlannedRequests.of(call).bodyPublisher().orElseThrow().contentLength())
                .isEqualTo("{\"carrier\":\"CJ\",\"trackingNumber\":\"123456789\"}".length());
    }

    @ParameterizedTest
    @CsvSource({
            "CLAIMS,      /shop/v1/sellers/s-1/claims",
            "INQUIRIES,   /shop/v1/sellers/s-1/inquiries",
            "REVIEWS,     /shop/v1/sellers/s-1/reviews",
            "PRODUCTS,    /shop/v1/sellers/s-1/products",
            "SETTLEMENTS, /shop/v1/sellers/s-1/settlements"})
    void listing_a_kind_is_a_get_of_its_path_with_the_window_and_page_size_drawing_from_its_mapped_call(DataKind kind, String path) {
        // GIVEN 30 hours of the kind
        CollectionRequest request = new CollectionRequest("shop", SELLER, kind, T0, T0.plus(Duration.ofHours(30)));

        // WHEN
        List<PlannedCall> calls = adapter.plan(request);

        // THEN two windows of at most 24 h, each a GET of the kind's path with the API key
        assertThat(calls).hasSize(2);
        HttpRequest first = PlannedRequests.of(calls.get(0));
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.uri().getPath()).isEqualTo(path);
        assertThat(query(first)).containsExactly(
                Map.entry("from", "2026-11-01T00:00:00Z"), Map.entry("to", "2026-11-02T00:00:00Z"), Map.entry("size", "3"));
        assertThat(first.headers().firstValue("X-Api-Key")).contains(TestMarket.API_KEY);
        assertThat(query(PlannedRequests.of(calls.get(1)))).containsEntry("from", "2026-11-02T00:00:00Z")
                .containsEntry("to", "2026-11-02T06:00:00Z");
        assertThat(calls.get(0).callName()).isEqualTo("list-records");
        assertThat(calls.get(0).budgets()).containsExactly("shop/vendor:s-1", "shop/records");
    }

    @Test
    void the_next_call_of_a_kind_follows_its_cursor_then_the_next_window() {
        // GIVEN two windows of reviews
        CollectionRequest request = new CollectionRequest("shop", SELLER, DataKind.REVIEWS, T0, T0.plus(Duration.ofHours(30)));
        PlannedCall first = adapter.plan(request).get(0);

        // WHEN the first page has a cursor, and the second is the window's last
        PlannedCall second = adapter.next(first, new RecordPage(DataKind.REVIEWS, List.of(), Optional.of("r1:x/y"))).orElseThrow();
        PlannedCall third = adapter.next(second, new RecordPage(DataKind.REVIEWS, List.of(), Optional.empty())).orElseThrow();

        // THEN
        assertThat(PlannedRequests.of(second).uri().getRawPath()).isEqualTo("/shop/v1/sellers/s-1/reviews");
        assertThat(PlannedRequests.of(second).uri().getRawQuery())
                .isEqualTo("from=2026-11-01T00%3A00%3A00Z&to=2026-11-02T00%3A00%3A00Z&size=3&cursor=r1%3Ax%2Fy");
        assertThat(PlannedRequests.of(third).uri().getRawQuery())
                .isEqualTo("from=2026-11-02T00%3A00%3A00Z&to=2026-11-02T06%3A00%3A00Z&size=3");
        assertThat(adapter.next(third, new RecordPage(DataKind.REVIEWS, List.of(), Optional.empty()))).isEmpty();
    }

    @Test
    void a_kind_the_market_does_not_map_is_rejected_naming_the_kind_and_the_missing_operation() throws IOException {
        // GIVEN market bare, whose adapter.calls maps listOrders only
        MarketAdapter bare = MarketAdapters.forMarket(environment, "bare", Map.of("SHOP_API_KEY", TestMarket.API_KEY)::get);
        CollectionRequest claims = new CollectionRequest("bare", SELLER, DataKind.CLAIMS, T0, T0.plus(Duration.ofHours(1)));

        // WHEN / THEN
        assertThatThrownBy(() -> bare.windows(claims)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kind: bare does not offer claims (its adapter.calls does not map listClaims; it offers orders)");
        assertThatThrownBy(() -> bare.planPage(claims, claims.range(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("kind: bare does not offer claims");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> actions() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.AcknowledgeOrder(SELLER, "O-7"),
                        "POST", "/shop/v1/sellers/s-1/orders/O-7/acknowledge", ""),
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.AnswerInquiry(SELLER, "Q-1", "Yes, it is \"M\"."),
                        "POST", "/shop/v1/sellers/s-1/inquiries/Q-1/answer", "{\"text\":\"Yes, it is \\\"M\\\".\"}"),
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.ReplyReview(SELLER, "R-1", "감사합니다"),
                        "POST", "/shop/v1/sellers/s-1/reviews/R-1/reply", "{\"text\":\"감사합니다\"}"),
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.ChangePrice(SELLER, "P-1", 15900),
                        "PUT", "/shop/v1/sellers/s-1/products/P-1/price", "{\"price\":15900}"),
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.ChangeStock(SELLER, "P-1", 0),
                        "PUT", "/shop/v1/sellers/s-1/products/P-1/stock", "{\"stock\":0}"),
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.ChangeSaleStatus(SELLER, "P-1",
                        io.marketgate.market.ProductStatus.SUSPENDED),
                        "PUT", "/shop/v1/sellers/s-1/products/P-1/sale-status", "{\"status\":\"SUSPENDED\"}"),
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.ConfirmClaim(SELLER, "C-1"),
                        "POST", "/shop/v1/sellers/s-1/claims/C-1/confirm", ""),
                org.junit.jupiter.params.provider.Arguments.of(new MarketAction.RejectClaim(SELLER, "C-1", "already shipped"),
                        "POST", "/shop/v1/sellers/s-1/claims/C-1/reject", "{\"reason\":\"already shipped\"}"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("actions")
    void each_action_is_its_documented_method_path_and_json_body_drawing_from_its_mapped_call(MarketAction action, String method,
            String path, String body) {
        // WHEN
        PlannedCall call = adapter.plan(action);

        // THEN
        HttpRequest request = PlannedRequests.of(call);
        assertThat(request.method()).isEqualTo(method);
        assertThat(request.uri().getRawPath()).isEqualTo(path);
        assertThat(request.uri().getRawQuery()).isNull();
        assertThat(body(request)).isEqualTo(body);
        assertThat(request.headers().firstValue("Content-Type")).isEqualTo(body.isEmpty() ? Optional.empty()
                : Optional.of("application/json"));
        assertThat(request.headers().firstValue("X-Api-Key")).contains(TestMarket.API_KEY);
        assertThat(call.callName()).isEqualTo("act");
        assertThat(call.budgets()).containsExactly("shop/vendor:s-1");
        assertThat(call.purpose()).isEqualTo(new PlannedCall.Act(action));
    }

    @Test
    void an_answer_reply_or_reason_over_1000_characters_is_refused_naming_the_field_before_any_call_is_planned() {
        // GIVEN texts of 1000 and 1001 characters, and 1000 characters outside the BMP (2000 UTF-16 units)
        String most = "가".repeat(1000);
        String over = "가".repeat(1001);
        String emoji = "\uD83D\uDE00".repeat(1000);

        // WHEN / THEN
        adapter.validate(new MarketAction.AnswerInquiry(SELLER, "Q-1", most));
        adapter.validate(new MarketAction.ReplyReview(SELLER, "R-1", emoji));
        assertThat(adapter.plan(new MarketAction.RejectClaim(SELLER, "C-1", most)).method()).isEqualTo("POST");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.AnswerInquiry(SELLER, "Q-1", over)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text is 1001 characters long; shop (reference-rest) takes at most 1000");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ReplyReview(SELLER, "R-1", over)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("text is 1001 characters long");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.RejectClaim(SELLER, "C-1", over)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason is 1001 characters long");
    }

    @Test
    void an_action_the_market_does_not_map_is_rejected_naming_the_action_and_the_missing_operation() {
        // GIVEN market bare, whose adapter.calls maps listOrders only
        MarketAdapter bare = MarketAdapters.forMarket(environment, "bare", Map.of("SHOP_API_KEY", TestMarket.API_KEY)::get);

        // WHEN / THEN
        assertThatThrownBy(() -> bare.plan(new MarketAction.AnswerInquiry(SELLER, "Q-1", "Yes.")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("action: bare does not offer answer-inquiry (its adapter.calls does not map answerInquiry; it offers none)");
        assertThatThrownBy(() -> bare.plan(new MarketAction.ConfirmClaim(SELLER, "C-1")))
                .hasMessageStartingWith("action: bare does not offer confirm-claim");
    }

    /** The bytes a request's body publisher sends, as UTF-8. */
    private static String body(HttpRequest request) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        request.bodyPublisher().orElseThrow().subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.nio.ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.writeBytes(bytes);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.join();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_request_for_another_market_is_rejected_naming_the_market() {
        CollectionRequest other = new CollectionRequest("coupang", SELLER, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> adapter.windows(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("market: unknown market 'coupang'");
    }

    @Test
    void a_range_whose_to_is_not_after_from_is_rejected_naming_to() {
        assertThatThrownBy(() -> orders(T0, T0.minusSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("to (2026-10-31T23:59:59Z) must be after from (2026-11-01T00:00:00Z)");
        assertThatThrownBy(() -> orders(T0, T0)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to (");
    }

    @Test
    void bad_seller_ids_and_order_ids_are_rejected_naming_the_field() {
        assertThatThrownBy(() -> Seller.of("s 1")).hasMessageStartingWith("seller.id 's 1' must be");
        assertThatThrownBy(() -> Seller.of("s-1").withMallId("m/1")).hasMessageStartingWith("seller.mallId 'm/1' must be");
        assertThatThrownBy(() -> new MarketAction.ShipOrder(SELLER, "../x", "CJ", "1")).hasMessageStartingWith("orderId '../x'");
        assertThatThrownBy(() -> new MarketAction.ShipOrder(SELLER, "O-1", " ", "1")).hasMessageStartingWith("carrier is missing");
    }

    @Test
    void an_unset_api_key_variable_fails_building_the_adapter_with_file_path_and_variable() {
        assertThatThrownBy(() -> MarketAdapters.forMarket(environment, "shop", name -> null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.yaml: markets.shop.adapter.apiKey: environment variable SHOP_API_KEY is not set");
        assertThatThrownBy(() -> MarketAdapters.forMarket(environment, "nowhere", name -> "k"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown market 'nowhere'");
    }

    @Test
    void the_api_key_is_in_no_to_string_of_the_adapter_or_its_calls() {
        PlannedCall list = adapter.plan(orders(T0, T0.plus(Duration.ofHours(1)))).get(0);
        PlannedCall ship = adapter.plan(new MarketAction.ShipOrder(SELLER, "O-7", "CJ", "1"));

        assertThat(List.of(adapter.toString(), list.toString(), ship.toString(), PlannedRequests.of(list).toString(),
                environment.toString())).noneMatch(s -> s.contains(TestMarket.API_KEY));
    }

    private static CollectionRequest orders(Instant from, Instant to) {
        return new CollectionRequest("shop", SELLER, DataKind.ORDERS, from, to);
    }

    private static Map<String, String> query(HttpRequest request) {
        Map<String, String> q = new java.util.LinkedHashMap<>();
        for (String pair : request.uri().getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }
}
