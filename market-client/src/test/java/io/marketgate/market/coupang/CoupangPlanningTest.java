package io.marketgate.market.coupang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning by the Coupang adapter: windows, the status walk, cursors, paths and queries, budgets, ship calls. No network. */
class CoupangPlanningTest {

    /** 2026-01-01 09:00 in Korea. */
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String BASE = "http://127.0.0.1:9/coupang";
    private static final String ORDERSHEETS = "/coupang/v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets";

    @TempDir
    Path dir;

    private EnvironmentConfig environment;
    private CoupangAdapter adapter;

    @BeforeEach
    void adapter() throws IOException {
        environment = Coupang.environment(dir, BASE);
        adapter = Coupang.adapter(environment, Coupang.source(), Coupang.VECTOR_CLOCK);
    }

    // ---- windows

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
    void a_range_off_the_minute_is_rounded_out_to_whole_minutes_so_no_order_at_its_ends_is_lost() {
        // GIVEN from 00:00:30 to 01:00:10
        CollectionRequest request = orders(T0.plusSeconds(30), T0.plus(Duration.ofHours(1)).plusSeconds(10));

        // WHEN
        List<TimeWindow> windows = adapter.windows(request);

        // THEN the time frame counts minutes: [00:00, 01:01)
        assertThat(windows).containsExactly(new TimeWindow(T0, T0.plus(Duration.ofMinutes(61))));
    }

    @Test
    void a_maximum_off_the_minute_is_cut_to_whole_minutes_and_one_under_a_minute_is_refused_naming_the_setting() throws IOException {
        // GIVEN at most 90 s per call
        EnvironmentConfig ninetySeconds = Coupang.environment(dir, BASE, "90s");
        CoupangAdapter cut = Coupang.adapter(ninetySeconds, Coupang.source(), Coupang.VECTOR_CLOCK);

        // WHEN / THEN windows of one minute
        assertThat(cut.windows(orders(T0, T0.plus(Duration.ofMinutes(3))))).hasSize(3)
                .allSatisfy(w -> assertThat(w.length()).isEqualTo(Duration.ofMinutes(1)));
        EnvironmentConfig thirtySeconds = Coupang.environment(dir, BASE, "30s");
        assertThatThrownBy(() -> Coupang.adapter(thirtySeconds, Coupang.source(), Coupang.VECTOR_CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("markets.coupang.adapter.maxRangePerCall is PT30S, must be at least 1m for type coupang");
    }

    // ---- list calls

    @Test
    void the_first_page_asks_for_the_window_in_korean_time_with_the_first_status_of_the_walk() {
        // GIVEN
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(30)));

        // WHEN
        List<PlannedCall> calls = adapter.plan(request);

        // THEN one call per window; [00:00Z, 24:00Z) is 09:00 to 09:00 the next day in Korea
        assertThat(calls).hasSize(2);
        HttpRequest first = PlannedRequests.of(calls.get(0));
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.uri().getRawPath()).isEqualTo(ORDERSHEETS);
        assertThat(first.uri().getRawQuery()).isEqualTo(
                "createdAtFrom=2026-01-01T09:00&createdAtTo=2026-01-02T09:00&maxPerPage=50&searchType=timeFrame&status=ACCEPT");
        assertThat(calls.get(0).rawQuery()).isEqualTo(first.uri().getRawQuery());
        assertThat(first.headers().firstValue("Content-Type")).contains("application/json;charset=UTF-8");
        assertThat(first.headers().firstValue("X-EXTENDED-TIMEOUT")).contains("10000");
        assertThat(first.headers().firstValue("Authorization")).as("signed when sent, not when planned").isEmpty();
        assertThat(calls.get(0).purpose()).isEqualTo(new PlannedCall.Collect(request,
                new TimeWindow(T0, T0.plus(Duration.ofHours(24))), Optional.empty()));
        assertThat(PlannedRequests.of(calls.get(1)).uri().getRawQuery()).startsWith(
                "createdAtFrom=2026-01-02T09:00&createdAtTo=2026-01-02T15:00&");
    }

    @Test
    void a_list_call_draws_from_its_configured_calls_budgets_with_the_vendor_instance_keyed_by_the_vendor_id() {
        PlannedCall call = adapter.plan(orders(T0, T0.plus(Duration.ofHours(1)))).get(0);

        assertThat(call.callName()).isEqualTo("list-orders");
        assertThat(call.budgets()).containsExactly("coupang/vendor:A00012345", "coupang/ordersheets");
    }

    @Test
    void a_seller_without_a_vendor_id_is_called_and_counted_by_its_id() {
        // GIVEN the seller's id is its vendor id
        Seller seller = Seller.of("A00099999");

        // WHEN
        PlannedCall call = adapter.plan(new CollectionRequest("coupang", seller, DataKind.ORDERS, T0, T0.plusSeconds(60))).get(0);

        // THEN
        assertThat(call.path()).isEqualTo("/coupang/v2/providers/openapi/apis/api/v4/vendors/A00099999/ordersheets");
        assertThat(call.budgets()).contains("coupang/vendor:A00099999");
    }

    @Test
    void each_window_walks_the_five_statuses_in_the_order_an_order_passes_them_then_the_next_window_then_ends() {
        // GIVEN two windows whose every page is empty and has no nextToken
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(30)));
        List<String> asked = new ArrayList<>();

        // WHEN the client's loop is followed: classify each page, then next
        Optional<PlannedCall> call = Optional.of(adapter.plan(request).get(0));
        while (call.isPresent()) {
            asked.add(statusAndFrom(call.get()));
            OrderPage page = page(call.get(), Sheets.list(""));
            call = adapter.next(call.get(), page);
        }

        // THEN 5 calls per window
        assertThat(asked).containsExactly(
                "ACCEPT 2026-01-01T09:00", "INSTRUCT 2026-01-01T09:00", "DEPARTURE 2026-01-01T09:00",
                "DELIVERING 2026-01-01T09:00", "FINAL_DELIVERY 2026-01-01T09:00",
                "ACCEPT 2026-01-02T09:00", "INSTRUCT 2026-01-02T09:00", "DEPARTURE 2026-01-02T09:00",
                "DELIVERING 2026-01-02T09:00", "FINAL_DELIVERY 2026-01-02T09:00");
    }

    @Test
    void a_next_token_from_the_market_is_followed_within_the_status_before_the_walk_moves_on() {
        // GIVEN the ACCEPT page says there is more
        PlannedCall first = adapter.plan(orders(T0, T0.plus(Duration.ofHours(1)))).get(0);
        OrderPage more = page(first, Sheets.list("448537989", Sheets.sheet(448531493L, 22000009546234L, "ACCEPT", "2026-01-01T10:20:16", 1L)));

        // WHEN
        PlannedCall second = adapter.next(first, more).orElseThrow();
        PlannedCall third = adapter.next(second, page(second, Sheets.list(""))).orElseThrow();

        // THEN
        assertThat(more.nextCursor()).contains("ACCEPT:448537989");
        assertThat(second.rawQuery()).isEqualTo("createdAtFrom=2026-01-01T09:00&createdAtTo=2026-01-01T10:00&maxPerPage=50"
                + "&nextToken=448537989&searchType=timeFrame&status=ACCEPT");
        assertThat(third.rawQuery()).endsWith("&maxPerPage=50&searchType=timeFrame&status=INSTRUCT");
    }

    @Test
    void a_checkpoint_of_window_and_cursor_resumes_at_exactly_the_same_call() {
        // GIVEN the call after an INSTRUCT page, as a collector checkpoints it
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(30)));
        PlannedCall instruct = adapter.planPage(request, adapter.windows(request).get(0), Optional.of("INSTRUCT"));
        PlannedCall next = adapter.next(instruct, page(instruct, Sheets.list(""))).orElseThrow();
        PlannedCall.Collect checkpoint = (PlannedCall.Collect) next.purpose();

        // WHEN a redelivery resumes from the checkpoint
        PlannedCall resumed = adapter.planPage(request, checkpoint.window(), checkpoint.cursor());

        // THEN
        assertThat(checkpoint.cursor()).contains("DEPARTURE");
        assertThat(PlannedRequests.of(resumed).uri()).isEqualTo(PlannedRequests.of(next).uri());
        assertThat(adapter.planPage(request, checkpoint.window(), Optional.of("DELIVERING:t-7")).rawQuery())
                .endsWith("&nextToken=t-7&searchType=timeFrame&status=DELIVERING");
    }

    @Test
    void a_cursor_that_is_not_a_position_of_the_walk_is_refused_naming_the_cursor() {
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(1)));
        TimeWindow window = adapter.windows(request).get(0);

        for (String bad : List.of("NONE_TRACKING", "accept", "ACCEPT:", "at:3")) {
            assertThatThrownBy(() -> adapter.planPage(request, window, Optional.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cursor '" + bad + "' must be a status of the walk [ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY]");
        }
    }

    @Test
    void a_window_off_the_minute_too_long_or_outside_the_request_is_refused_naming_the_window() {
        CollectionRequest request = orders(T0, T0.plus(Duration.ofHours(48)));

        for (TimeWindow bad : List.of(new TimeWindow(T0.plusSeconds(1), T0.plusSeconds(61)),
                new TimeWindow(T0, T0.plus(Duration.ofHours(25))),
                new TimeWindow(T0.minusSeconds(60), T0.plusSeconds(60)))) {
            assertThatThrownBy(() -> adapter.planPage(request, bad, Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("window ");
        }
    }

    @Test
    void a_kind_the_section_does_not_map_or_another_market_is_refused_naming_the_field() {
        CollectionRequest claims = new CollectionRequest("coupang", Coupang.SELLER, DataKind.CLAIMS, T0, T0.plusSeconds(60));
        CollectionRequest reviews = new CollectionRequest("coupang", Coupang.SELLER, DataKind.REVIEWS, T0, T0.plusSeconds(60));
        CollectionRequest naver = new CollectionRequest("naver", Coupang.SELLER, DataKind.ORDERS, T0, T0.plusSeconds(60));

        assertThatThrownBy(() -> adapter.plan(claims)).hasMessageStartingWith("kind:").hasMessageContaining("does not offer claims")
                .hasMessageContaining("adapter.calls has no listClaims");
        assertThatThrownBy(() -> adapter.windows(reviews)).hasMessageStartingWith("kind:").hasMessageContaining("no review API");
        assertThatThrownBy(() -> adapter.windows(naver)).hasMessageStartingWith("market: unknown market 'naver'");
    }

    // ---- one order

    @Test
    void reading_one_order_gets_its_shipment_boxs_sheet_from_the_get_order_calls_budgets() {
        PlannedCall call = adapter.planGetOrder(Coupang.SELLER, "448531493");

        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo(ORDERSHEETS + "/448531493");
        assertThat(call.rawQuery()).isEmpty();
        assertThat(call.callName()).isEqualTo("get-order");
        assertThat(call.budgets()).containsExactly("coupang/vendor:A00012345");
        assertThat(call.purpose()).isEqualTo(new PlannedCall.FetchOrder(Coupang.SELLER, "448531493"));
        assertThatThrownBy(() -> adapter.planGetOrder(Coupang.SELLER, "O-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("orderId 'O-1' must be a Coupang shipmentBoxId: 1 to 19 digits");
    }

    // ---- shipping

    @Test
    void shipping_first_looks_up_the_boxs_sheet_at_the_get_order_calls_budgets() {
        MarketAction.ShipOrder ship = ship("448531493");

        PlannedCall lookup = adapter.planLookup(ship).orElseThrow();

        assertThat(lookup.method()).isEqualTo("GET");
        assertThat(lookup.path()).isEqualTo(ORDERSHEETS + "/448531493");
        assertThat(lookup.callName()).isEqualTo("get-order");
        assertThat(lookup.purpose()).isEqualTo(new PlannedCall.FetchOrder(Coupang.SELLER, "448531493"));
    }

    @Test
    void an_instruct_box_gets_the_documented_invoice_with_one_dto_per_order_item() {
        // GIVEN the lookup found the box in INSTRUCT with two items
        OrderPage lookedUp = page(adapter.planLookup(ship("448531493")).orElseThrow(),
                Sheets.one(Sheets.sheet(448531493L, 22000009546234L, "INSTRUCT", "2026-01-01T10:20:16", 3242596358L, 3242596359L)));

        // WHEN
        PlannedCall call = adapter.plan(ship("448531493"), lookedUp);

        // THEN
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/coupang/v2/providers/openapi/apis/api/v4/vendors/A00012345/orders/invoices");
        assertThat(call.callName()).isEqualTo("ship-order");
        assertThat(call.budgets()).containsExactly("coupang/vendor:A00012345");
        assertThat(call.purpose()).isEqualTo(new PlannedCall.Act(ship("448531493")));
        assertThat(PlannedRequests.of(call).headers().firstValue("Content-Type")).contains("application/json;charset=UTF-8");
        assertThat(ScriptedHttpClient.body(PlannedRequests.of(call))).isEqualTo("{\"vendorId\":\"A00012345\",\"orderSheetInvoiceApplyDtos\":["
                + "{\"shipmentBoxId\":448531493,\"orderId\":22000009546234,\"vendorItemId\":3242596358,\"deliveryCompanyCode\":\"CJGLS\","
                + "\"invoiceNumber\":\"340010913442\",\"splitShipping\":false,\"preSplitShipped\":false,\"estimatedShippingDate\":\"\"},"
                + "{\"shipmentBoxId\":448531493,\"orderId\":22000009546234,\"vendorItemId\":3242596359,\"deliveryCompanyCode\":\"CJGLS\","
                + "\"invoiceNumber\":\"340010913442\",\"splitShipping\":false,\"preSplitShipped\":false,\"estimatedShippingDate\":\"\"}]}");
    }

    @Test
    void a_box_that_is_not_instruct_is_not_sent_an_invoice_bound_to_be_refused_but_read_again_to_judge() {
        // GIVEN the lookup found the box shipped already
        OrderPage lookedUp = page(adapter.planLookup(ship("448531493")).orElseThrow(), Sheets.one(Sheets.shipped(
                Sheets.sheet(448531493L, 22000009546234L, "INSTRUCT", "2026-01-01T10:20:16", 1L), "DEPARTURE", "340010913442")));

        // WHEN
        PlannedCall call = adapter.plan(ship("448531493"), lookedUp);

        // THEN a read of the sheet that stands for the action
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo(ORDERSHEETS + "/448531493");
        assertThat(call.purpose()).isEqualTo(new PlannedCall.Act(ship("448531493")));
        assertThat(call.callName()).isEqualTo("get-order");
    }

    @Test
    void a_ship_action_planned_without_its_lookup_reads_the_sheet_and_never_uploads_an_invoice_it_cannot_build() {
        PlannedCall call = adapter.plan(ship("448531493"));

        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.purpose()).isInstanceOf(PlannedCall.Act.class);
    }

    @Test
    void a_bad_ship_action_is_refused_naming_the_field_and_a_market_without_a_ship_call_says_so() throws IOException {
        assertThatThrownBy(() -> adapter.plan(ship("O-1"))).hasMessage("orderId 'O-1' must be a Coupang shipmentBoxId: 1 to 19 digits");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ShipOrder(Coupang.SELLER, "1", "CJ 대한통운", "1")))
                .hasMessageStartingWith("carrier 'CJ 대한통운' must be a Coupang delivery company code");
        assertThatThrownBy(() -> adapter.planLookup(new MarketAction.ShipOrder(Coupang.SELLER, "1", "CJGLS", "34 00")))
                .hasMessageStartingWith("trackingNumber '34 00' must be 1 to 50 letters, digits or '-'");

        EnvironmentConfig noShip = Coupang.load(dir, Coupang.YAML.replace("BASE_URL", BASE).replace("MAX_RANGE", "24h")
                .replace(", shipOrder: ship-order", ""));
        CoupangAdapter readOnly = Coupang.adapter(noShip, Coupang.source(), Coupang.VECTOR_CLOCK);
        assertThatThrownBy(() -> readOnly.planLookup(ship("1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("market coupang does not ship through its adapter (adapter.calls has no shipOrder)");
    }

    // ---- the factory and the credentials

    @Test
    void the_environments_coupang_section_gets_this_adapter_and_its_sellers_register_vendor_id_and_key_pair() {
        assertThat(MarketAdapters.forMarket(environment, "coupang", name -> null)).isInstanceOf(CoupangAdapter.class);
        assertThat(MarketAdapters.credentialSchema(environment, "coupang")).isSameAs(CoupangAdapter.CREDENTIALS);
        assertThat(new CoupangAdapterFactory().credentialSchema().fields())
                .extracting(f -> f.name() + (f.secret() ? " secret" : ""))
                .containsExactly("vendorId", "accessKey secret", "secretKey secret", "wingUserId");
    }

    @Test
    void keys_of_the_form_wing_issues_are_accepted_and_a_bad_field_is_refused_by_name_and_rule_without_its_value() {
        // GIVEN keys as WING issues them: a UUID and 40 hex digits
        var keys = Coupang.credentials("A00012345", "0f3c9b1e-5d2a-4c7e-9a41-6b8d2e7f1a03", "3f2a9c0d4b1e8f7a6c5d2e1b0a9f8e7d6c5b4a39");

        assertThat(keys.publicFields()).isEqualTo(Map.of("vendorId", "A00012345"));
        assertThat(keys.toString()).doesNotContain("0f3c9b1e").doesNotContain("3f2a9c0d");
        assertThatThrownBy(() -> Coupang.credentials("12345", "0f3c9b1e-5d2a", "3f2a9c0d4b1e"))
                .hasMessage("credentials.vendorId must be the vendor id WING shows: a capital letter and 6 to 12 digits, such as A00012345, not '12345'");
        assertThatThrownBy(() -> Coupang.credentials("A00012345", "key with spaces", "3f2a9c0d4b1e"))
                .hasMessageStartingWith("credentials.accessKey must be the access key WING issued").hasMessageNotContaining("key with spaces");
        assertThatThrownBy(() -> Coupang.credentials("A00012345", "0f3c9b1e-5d2a", "short"))
                .hasMessageStartingWith("credentials.secretKey must be the secret key WING issued").hasMessageNotContaining("short'");
    }

    @Test
    void no_key_is_in_the_to_string_of_the_adapter_its_calls_or_their_requests() {
        PlannedCall list = adapter.plan(orders(T0, T0.plus(Duration.ofHours(1)))).get(0);
        PlannedCall ship = adapter.plan(ship("448531493"));

        assertThat(List.of(adapter.toString(), list.toString(), ship.toString(), PlannedRequests.of(list).toString()))
                .noneMatch(s -> s.contains(Coupang.ACCESS_KEY) || s.contains(Coupang.SECRET_KEY));
    }

    // ---- helpers

    private OrderPage page(PlannedCall call, String body) {
        CallOutcome outcome = adapter.classify(call, Answer.of(200, body));
        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        return (OrderPage) ((CallOutcome.Ok) outcome).data();
    }

    private static String statusAndFrom(PlannedCall call) {
        String query = call.rawQuery();
        String status = query.substring(query.indexOf("status=") + "status=".length());
        String from = query.substring("createdAtFrom=".length(), query.indexOf('&'));
        return status + " " + from;
    }

    private static MarketAction.ShipOrder ship(String shipmentBoxId) {
        return new MarketAction.ShipOrder(Coupang.SELLER, shipmentBoxId, "CJGLS", "340010913442");
    }

    private static CollectionRequest orders(Instant from, Instant to) {
        return new CollectionRequest("coupang", Coupang.SELLER, DataKind.ORDERS, from, to);
    }
}
