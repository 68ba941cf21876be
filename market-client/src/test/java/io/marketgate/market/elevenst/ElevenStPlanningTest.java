package io.marketgate.market.elevenst;

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
import io.marketgate.market.auth.CredentialsUnavailableException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the 11st adapter plans calls: windows, the stage walk, the paths, the key header, and bad input. No network. */
class ElevenStPlanningTest {

    private static final String BASE = "http://127.0.0.1:9/11st/rest";
    private static final Instant DAY = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LINE = "202001050486555-7-1420484760";

    @TempDir
    Path dir;

    private EnvironmentConfig environment;
    private ElevenStAdapter adapter;

    @BeforeEach
    void adapter() throws IOException {
        environment = ElevenSt.environment(dir, BASE, "1d");
        adapter = ElevenSt.adapter(environment, ElevenSt.source(ElevenSt.credentials(ElevenSt.KEY)), ElevenSt.CLOCK);
    }

    @Test
    void a_range_is_cut_into_whole_minute_windows_of_at_most_the_configured_range_rounded_out_at_its_ends() throws IOException {
        // GIVEN 12 h per call, and a range that starts and ends inside a minute
        adapter = ElevenSt.adapter(ElevenSt.environment(dir, BASE, "12h"), ElevenSt.source(ElevenSt.credentials(ElevenSt.KEY)), ElevenSt.CLOCK);
        CollectionRequest request = request(Instant.parse("2026-01-01T09:00:30Z"), Instant.parse("2026-01-02T09:00:10Z"));

        // WHEN
        List<TimeWindow> windows = adapter.windows(request);

        // THEN
        assertThat(windows).containsExactly(
                new TimeWindow(Instant.parse("2026-01-01T09:00:00Z"), Instant.parse("2026-01-01T21:00:00Z")),
                new TimeWindow(Instant.parse("2026-01-01T21:00:00Z"), Instant.parse("2026-01-02T09:00:00Z")),
                new TimeWindow(Instant.parse("2026-01-02T09:00:00Z"), Instant.parse("2026-01-02T09:01:00Z")));
    }

    @Test
    void a_window_is_asked_for_each_stage_in_turn_with_korean_path_times_then_the_next_window() {
        // GIVEN two days in two windows of a day
        CollectionRequest request = request(DAY, DAY.plus(Duration.ofDays(2)));
        PlannedCall call = adapter.plan(request).get(0);
        StringBuilder walk = new StringBuilder(call.path());

        // WHEN each page is answered empty with the adapter's own next cursor
        for (Optional<PlannedCall> next = adapter.next(call, page(call)); next.isPresent(); next = adapter.next(call, page(call))) {
            call = next.get();
            walk.append('\n').append(call.path());
        }

        // THEN four stages per window, yyyyMMddHHmm in Korean time (UTC+9)
        assertThat(walk.toString()).isEqualTo(String.join("\n",
                "/11st/rest/ordservices/complete/202601010900/202601020900",
                "/11st/rest/ordservices/packaging/202601010900/202601020900",
                "/11st/rest/ordservices/shipping/202601010900/202601020900",
                "/11st/rest/ordservices/dlvcompleted/202601010900/202601020900",
                "/11st/rest/ordservices/complete/202601020900/202601030900",
                "/11st/rest/ordservices/packaging/202601020900/202601030900",
                "/11st/rest/ordservices/shipping/202601020900/202601030900",
                "/11st/rest/ordservices/dlvcompleted/202601020900/202601030900"));
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.budgets()).containsExactly("11st/pace:seller-1", "11st/key:seller-1");
        assertThat(call.callName()).isEqualTo("list-orders");
    }

    @Test
    void a_checkpointed_stage_resumes_at_exactly_that_call_and_a_stage_outside_the_walk_is_refused() {
        CollectionRequest request = request(DAY, DAY.plus(Duration.ofDays(1)));
        TimeWindow window = adapter.windows(request).get(0);

        PlannedCall resumed = adapter.planPage(request, window, Optional.of("shipping"));

        assertThat(resumed.path()).isEqualTo("/11st/rest/ordservices/shipping/202601010900/202601020900");
        assertThat(((PlannedCall.Collect) resumed.purpose()).cursor()).contains("shipping");
        assertThatThrownBy(() -> adapter.planPage(request, window, Optional.of("completed")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor 'completed' must be a stage of the walk [complete, packaging, shipping, dlvcompleted]");
        assertThatThrownBy(() -> adapter.planPage(request, new TimeWindow(DAY, DAY.plus(Duration.ofDays(2))), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("window ");
    }

    @Test
    void the_key_is_sent_exactly_as_the_openapikey_header_and_never_in_the_url() throws Exception {
        // GIVEN a list call and a ship call
        PlannedCall list = adapter.plan(request(DAY, DAY.plus(Duration.ofDays(1)))).get(0);
        PlannedCall ship = adapter.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "00034", "627614443992"));

        for (PlannedCall call : List.of(list, ship)) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(PlannedRequests.of(call), (n, v) -> true);

            // WHEN
            Optional<CallOutcome> refused = adapter.authorize(call, builder, c -> {
                throw new AssertionError("11st has no token calls");
            });

            // THEN one header, lower case, the key as registered; no key in the URI, no other credential header
            HttpRequest sent = builder.build();
            assertThat(refused).isEmpty();
            assertThat(sent.headers().allValues("openapikey")).containsExactly(ElevenSt.KEY);
            assertThat(sent.headers().map().keySet()).doesNotContain("Authorization", "authorization");
            assertThat(sent.uri().toString()).doesNotContain(ElevenSt.KEY);
            assertThat(PlannedRequests.of(call).headers().firstValue("openapikey")).as("the plan carries no key").isEmpty();
            assertThat(call.toString()).doesNotContain(ElevenSt.KEY);
            assertThat(sent.headers().firstValue("Content-Type")).contains("text/xml; charset=euc-kr");
        }
    }

    @Test
    void a_ship_order_is_reqdelivery_of_the_lines_delivery_by_courier_dated_now_in_korea() {
        PlannedCall ship = adapter.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "00034", "627614443992"));

        assertThat(ship.method()).isEqualTo("GET");
        assertThat(ship.path()).isEqualTo("/11st/rest/ordservices/reqdelivery/202601010900/01/00034/627614443992/1420484760");
        assertThat(ship.callName()).isEqualTo("ship-order");
        assertThat(ship.purpose()).isInstanceOf(PlannedCall.Act.class);
        assertThat(adapter.planLookup(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "00034", "1"))).as("no lookup").isEmpty();
    }

    @Test
    void a_ship_order_names_the_field_it_cannot_take() {
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, "202001050486555", "00034", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("orderId '202001050486555' must be an 11st order line: ordNo-ordPrdSeq-dlvNo, digits each, such as "
                        + "202001050486555-7-1420484760");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "CJGLS", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("carrier 'CJGLS' must be an 11st delivery company code: 5 digits");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "00034", "1234567890123456")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trackingNumber '1234567890123456' must be 1 to 15 letters or digits");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "00034", "6276-1444")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leave out '-'");
    }

    @Test
    void a_market_without_a_ship_call_says_so() throws IOException {
        EnvironmentConfig noShip = ElevenSt.load(dir, ElevenSt.YAML.replace("BASE_URL", BASE).replace("MAX_RANGE", "1d")
                .replace("PACE", "1500ms").replace("KEY_WINDOW", "10s").replace(" shipOrder: ship-order,", ""));
        ElevenStAdapter readOnly = ElevenSt.adapter(noShip, ElevenSt.source(ElevenSt.credentials(ElevenSt.KEY)), ElevenSt.CLOCK);

        assertThatThrownBy(() -> readOnly.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "00034", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("action ship-order: market 11st does not ship through its adapter (adapter.calls has no shipOrder)");
    }

    @Test
    void reading_one_line_again_reads_its_orders_paid_lines_from_the_get_order_budgets() {
        PlannedCall read = adapter.planGetOrder(ElevenSt.SELLER, LINE);

        assertThat(read.path()).isEqualTo("/11st/rest/ordservices/complete/202001050486555");
        assertThat(read.callName()).isEqualTo("get-order");
        assertThat(read.purpose()).isEqualTo(new PlannedCall.FetchOrder(ElevenSt.SELLER, LINE));
        assertThatThrownBy(() -> adapter.planGetOrder(ElevenSt.SELLER, "A-1-2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("orderId 'A-1-2' must be an 11st order line");
    }

    @Test
    void a_seller_without_a_key_fails_for_good_and_an_unreachable_store_may_pass() {
        PlannedCall forOther = adapter.plan(request(Seller.of("seller-2"), DAY, DAY.plus(Duration.ofDays(1)))).get(0);
        ElevenStAdapter unreachable = ElevenSt.adapter(environment, (m, s) -> {
            throw CredentialsUnavailableException.unreachable(m, s, new IOException("timeout"));
        }, ElevenSt.CLOCK);
        PlannedCall call = unreachable.plan(request(DAY, DAY.plus(Duration.ofDays(1)))).get(0);

        Optional<CallOutcome> missing = adapter.authorize(forOther, HttpRequest.newBuilder(PlannedRequests.of(forOther), (n, v) -> true), c -> null);
        Optional<CallOutcome> later = unreachable.authorize(call, HttpRequest.newBuilder(PlannedRequests.of(call), (n, v) -> true), c -> null);

        assertThat(missing).get().isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("no credentials are registered for seller seller-2"));
        assertThat(later).get().isInstanceOf(CallOutcome.Retryable.class);
    }

    @Test
    void a_registration_names_the_field_and_never_echoes_the_key() {
        assertThatThrownBy(() -> ElevenStAdapter.CREDENTIALS.validate(Map.of("openApiKey", "short-key!")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("credentials.openApiKey must be the Open API key 11st's seller office issued: 16 to 64 letters or digits (today 32)");
        assertThatThrownBy(() -> ElevenStAdapter.CREDENTIALS.validate(Map.of("apiKey", ElevenSt.KEY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(ElevenSt.KEY);
        assertThat(ElevenSt.credentials(ElevenSt.KEY).toString()).doesNotContain(ElevenSt.KEY);
        assertThat(MarketAdapters.credentialSchema(environment, "11st")).isSameAs(ElevenStAdapter.CREDENTIALS);
        assertThat(adapter.toString()).isEqualTo("ElevenStAdapter[11st at " + BASE + "]");
    }

    @Test
    void a_range_per_call_under_a_minute_is_refused_because_path_times_count_minutes() throws IOException {
        EnvironmentConfig seconds = ElevenSt.environment(dir, BASE, "30s");

        assertThatThrownBy(() -> ElevenSt.adapter(seconds, ElevenSt.source(ElevenSt.credentials(ElevenSt.KEY)), ElevenSt.CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("markets.11st.adapter.maxRangePerCall is PT30S, must be at least 1m for type 11st (its times count whole minutes)");
    }

    /** The adapter's page of 11st's "no results" answer to {@code call}: its next cursor is the walk's next stage. */
    private OrderPage page(PlannedCall call) {
        String none = "<?xml version=\"1.0\" encoding=\"EUC-KR\"?><ns2:orders xmlns:ns2=\"" + Xml.NS + "\">"
                + "<ns2:result_code>0</ns2:result_code><ns2:result_text>조회된 결과가 없습니다.</ns2:result_text></ns2:orders>";
        CallOutcome outcome = adapter.classify(call, XmlAnswer.of(adapter, 200, "text/xml;charset=EUC-KR", none, Xml.EUC_KR));
        return (OrderPage) ((CallOutcome.Ok) outcome).data();
    }

    private CollectionRequest request(Instant from, Instant to) {
        return request(ElevenSt.SELLER, from, to);
    }

    private static CollectionRequest request(Seller seller, Instant from, Instant to) {
        return new CollectionRequest("11st", seller, DataKind.ORDERS, from, to);
    }
}
