package io.marketgate.market.coupang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.TimeWindow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests Coupang documents for the kinds other than orders and for the actions, written out by hand from the
 * documentation (paths, queries, bodies), and the answers' meaning; no network.
 */
class CoupangRecordPlanningTest {

    /** 2026-01-01 00:00 in Korea. */
    static final Instant KST_JAN_1 = Instant.parse("2025-12-31T15:00:00Z");
    static final String V4 = "/v2/providers/openapi/apis/api/v4/vendors/A00012345";

    /** Coupang.YAML with every kind and action mapped to one call on the vendor budget. */
    static String recordsYaml(String baseUrl, String pageSize) {
        return Coupang.YAML.replace("BASE_URL", baseUrl).replace("MAX_RANGE", "24h").replace("pageSize: 50", "pageSize: " + pageSize)
                .replace("      ship-order: {budgets: [coupang/vendor]}\n",
                        "      ship-order: {budgets: [coupang/vendor]}\n      records: {budgets: [coupang/vendor]}\n")
                .replace("calls: {listOrders: list-orders, getOrder: get-order, shipOrder: ship-order}",
                        "calls: {listOrders: list-orders, getOrder: get-order, shipOrder: ship-order, acknowledgeOrder: records, "
                                + "listClaims: records, confirmClaim: records, rejectClaim: records, listInquiries: records, "
                                + "answerInquiry: records, listProducts: records, changePrice: records, changeStock: records, "
                                + "changeSaleStatus: records, listSettlements: records}");
    }

    @TempDir
    Path dir;

    private CoupangAdapter adapter;

    @BeforeEach
    void setUp() throws Exception {
        EnvironmentConfig environment = Coupang.load(dir, recordsYaml("https://api-gateway.coupang.com", "50"));
        adapter = Coupang.adapter(environment, Coupang.source(), Coupang.VECTOR_CLOCK);
    }

    private CollectionRequest request(DataKind kind, Instant from, Instant to) {
        return new CollectionRequest("coupang", Coupang.SELLER, kind, from, to);
    }

    private static String target(PlannedCall call) {
        return call.method() + " " + call.path() + (call.rawQuery() == null || call.rawQuery().isEmpty() ? "" : "?" + call.rawQuery());
    }

    private static String body(PlannedCall call) {
        return ScriptedHttpClient.body(io.marketgate.market.PlannedRequests.of(call));
    }

    // ---- collections

    @Test
    void claims_walk_the_return_statuses_the_cancels_and_the_exchanges_of_each_seven_day_window() {
        CollectionRequest claims = request(DataKind.CLAIMS, KST_JAN_1, KST_JAN_1.plusSeconds(10 * 86_400));
        List<TimeWindow> windows = adapter.windows(claims);
        assertThat(windows).containsExactly(new TimeWindow(KST_JAN_1, KST_JAN_1.plusSeconds(7 * 86_400)),
                new TimeWindow(KST_JAN_1.plusSeconds(7 * 86_400), KST_JAN_1.plusSeconds(10 * 86_400)));
        TimeWindow w = windows.get(0);

        assertThat(target(adapter.planPage(claims, w, Optional.empty()))).isEqualTo("GET " + V4
                + "/returnRequests?createdAtFrom=2026-01-01T00:00&createdAtTo=2026-01-08T00:00&searchType=timeFrame&status=RU");
        assertThat(target(adapter.planPage(claims, w, Optional.of("CANCEL")))).isEqualTo("GET " + V4
                + "/returnRequests?createdAtFrom=2026-01-01T00:00&createdAtTo=2026-01-08T00:00&searchType=timeFrame&cancelType=CANCEL");
        assertThat(target(adapter.planPage(claims, w, Optional.of("EXCHANGE:101268974")))).isEqualTo("GET " + V4
                + "/exchangeRequests?createdAtFrom=2026-01-01T00:00:00&createdAtTo=2026-01-08T00:00:00&nextToken=101268974");
        assertThatThrownBy(() -> adapter.planPage(claims, new TimeWindow(KST_JAN_1, KST_JAN_1.plusSeconds(8 * 86_400)), Optional.empty()))
                .hasMessageStartingWith("window");
        assertThatThrownBy(() -> adapter.planPage(claims, w, Optional.of("XX"))).hasMessageStartingWith("cursor 'XX'");
    }

    @Test
    void inquiries_ask_whole_korean_days_both_ends_included_by_page_number() {
        CollectionRequest inquiries = request(DataKind.INQUIRIES, KST_JAN_1.plusSeconds(3600), KST_JAN_1.plusSeconds(9 * 86_400));
        List<TimeWindow> windows = adapter.windows(inquiries);
        assertThat(windows).containsExactly(new TimeWindow(KST_JAN_1, KST_JAN_1.plusSeconds(7 * 86_400)),
                new TimeWindow(KST_JAN_1.plusSeconds(7 * 86_400), KST_JAN_1.plusSeconds(9 * 86_400)));

        assertThat(target(adapter.planPage(inquiries, windows.get(0), Optional.of("3")))).isEqualTo("GET " + V4
                + "/onlineInquiries?vendorId=A00012345&inquiryStartAt=2026-01-01&inquiryEndAt=2026-01-07&answeredType=ALL&pageNum=3&pageSize=50");
    }

    @Test
    void settlements_ask_the_revenue_history_of_up_to_31_days_with_the_markets_token() {
        CollectionRequest settlements = request(DataKind.SETTLEMENTS, KST_JAN_1, KST_JAN_1.plusSeconds(40 * 86_400));
        TimeWindow first = adapter.windows(settlements).get(0);
        assertThat(first).isEqualTo(new TimeWindow(KST_JAN_1, KST_JAN_1.plusSeconds(31 * 86_400)));

        assertThat(target(adapter.planPage(settlements, first, Optional.empty()))).isEqualTo("GET /v2/providers/openapi/apis/api/v1/revenue-history"
                + "?vendorId=A00012345&recognitionDateFrom=2026-01-01&recognitionDateTo=2026-01-31&token=&maxPerPage=50");
    }

    @Test
    void products_are_the_seller_product_list_in_one_window_paged_by_next_token() {
        CollectionRequest products = request(DataKind.PRODUCTS, KST_JAN_1, KST_JAN_1.plusSeconds(86_400));
        assertThat(adapter.windows(products)).containsExactly(products.range());

        assertThat(target(adapter.planPage(products, products.range(), Optional.of("2")))).isEqualTo(
                "GET /v2/providers/seller_api/apis/api/v1/marketplace/seller-products?vendorId=A00012345&nextToken=2&maxPerPage=50");
    }

    @Test
    void a_reviews_request_is_refused_naming_the_kind() {
        assertThatThrownBy(() -> adapter.windows(request(DataKind.REVIEWS, KST_JAN_1, KST_JAN_1.plusSeconds(60))))
                .hasMessageStartingWith("kind:").hasMessageContaining("no review API");
    }

    // ---- actions

    @Test
    void each_action_is_coupangs_documented_call_and_body() {
        var seller = Coupang.SELLER;
        PlannedCall answer = adapter.plan(new MarketAction.AnswerInquiry(seller, "846", "안녕하세요\n입고 예정입니다."));
        assertThat(target(answer)).isEqualTo("POST " + V4 + "/onlineInquiries/846/replies");
        assertThat(body(answer)).isEqualTo("{\"content\":\"안녕하세요\\n입고 예정입니다.\",\"vendorId\":\"A00012345\",\"replyBy\":\"A00012345\"}");

        PlannedCall price = adapter.plan(new MarketAction.ChangePrice(seller, "3572784698", 49_000));
        assertThat(target(price)).isEqualTo("PUT /v2/providers/seller_api/apis/api/v1/marketplace/vendor-items/3572784698/prices/49000");
        assertThat(target(adapter.plan(new MarketAction.ChangeStock(seller, "3572784698", 0))))
                .isEqualTo("PUT /v2/providers/seller_api/apis/api/v1/marketplace/vendor-items/3572784698/quantities/0");
        assertThat(target(adapter.plan(new MarketAction.ChangeSaleStatus(seller, "3572784698", ProductStatus.SUSPENDED))))
                .isEqualTo("PUT /v2/providers/seller_api/apis/api/v1/marketplace/vendor-items/3572784698/sales/stop");
        assertThat(target(adapter.plan(new MarketAction.ChangeSaleStatus(seller, "3572784698", ProductStatus.ON_SALE))))
                .isEqualTo("PUT /v2/providers/seller_api/apis/api/v1/marketplace/vendor-items/3572784698/sales/resume");

        PlannedCall confirmExchange = adapter.plan(new MarketAction.ConfirmClaim(seller, "exchange-40362"));
        assertThat(target(confirmExchange)).isEqualTo("PUT " + V4 + "/exchangeRequests/40362/receiveConfirmation");
        assertThat(body(confirmExchange)).isEqualTo("{\"exchangeId\":40362,\"vendorId\":\"A00012345\"}");
        PlannedCall reject = adapter.plan(new MarketAction.RejectClaim(seller, "exchange-100000070", "SOLDOUT"));
        assertThat(target(reject)).isEqualTo("PUT " + V4 + "/exchangeRequests/100000070/rejection");
        assertThat(body(reject)).isEqualTo("{\"exchangeId\":100000070,\"vendorId\":\"A00012345\",\"exchangeRejectCode\":\"SOLDOUT\"}");
    }

    @Test
    void acknowledging_reads_the_sheet_then_puts_the_acknowledgement_only_for_an_accept_box() {
        var ack = new MarketAction.AcknowledgeOrder(Coupang.SELLER, "123456789");
        assertThat(target(adapter.planLookup(ack).orElseThrow())).isEqualTo("GET " + V4 + "/ordersheets/123456789");

        PlannedCall put = adapter.plan(ack, (MarketData.Page) new MarketData.OrderPage(List.of(order("ACCEPT")), Optional.empty()));
        assertThat(target(put)).isEqualTo("PUT " + V4 + "/ordersheets/acknowledgement");
        assertThat(body(put)).isEqualTo("{\"vendorId\":\"A00012345\",\"shipmentBoxIds\":[123456789]}");

        PlannedCall reread = adapter.plan(ack, (MarketData.Page) new MarketData.OrderPage(List.of(order("INSTRUCT")), Optional.empty()));
        assertThat(target(reread)).isEqualTo("GET " + V4 + "/ordersheets/123456789");
        assertThat(adapter.classify(reread, Answer.of(200, Sheets.one(Sheets.sheet(123456789L, 22000009546234L, "INSTRUCT", "2026-01-01T10:20:16", 3242596358L)))))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("acknowledge-order", true)));
    }

    @Test
    void confirming_a_return_reads_it_and_takes_the_step_its_status_asks_for() {
        var confirm = new MarketAction.ConfirmClaim(Coupang.SELLER, "return-363585");
        PlannedCall lookup = adapter.planLookup(confirm).orElseThrow();
        assertThat(target(lookup)).isEqualTo("GET " + V4 + "/returnRequests/363585");
        CallOutcome read = adapter.classify(lookup, Answer.of(200, "{\"code\":\"200\",\"message\":\"OK\",\"data\":[" + returnJson("RETURNS_UNCHECKED") + "]}"));
        MarketData.RecordPage page = (MarketData.RecordPage) ((CallOutcome.Ok) read).data();
        assertThat(page.records()).extracting(MarketRecord::id, MarketRecord::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("return-363585", "RETURNS_UNCHECKED"));

        PlannedCall receive = adapter.plan(confirm, page);
        assertThat(target(receive)).isEqualTo("PUT " + V4 + "/returnRequests/363585/receiveConfirmation");
        assertThat(body(receive)).isEqualTo("{\"vendorId\":\"A00012345\",\"receiptId\":363585}");

        MarketData.RecordPage warehouse = new MarketData.RecordPage(DataKind.CLAIMS, List.of(
                CoupangRecords.returnRequest(tree(returnJson("VENDOR_WAREHOUSE_CONFIRM")), "data")), Optional.empty());
        PlannedCall approval = adapter.plan(confirm, warehouse);
        assertThat(target(approval)).isEqualTo("PUT " + V4 + "/returnRequests/363585/approval");
        assertThat(body(approval)).isEqualTo("{\"vendorId\":\"A00012345\",\"receiptId\":363585,\"cancelCount\":2}");
    }

    @Test
    void coupangs_own_limits_are_checked_before_anything_is_queued_naming_the_field() {
        var seller = Coupang.SELLER;
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ChangePrice(seller, "3572784698", 49_005)))
                .hasMessageStartingWith("price is 49005, must be a multiple of 10 won");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ChangeStock(seller, "P-1", 3)))
                .hasMessageStartingWith("productId 'P-1' must be a Coupang option id");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.RejectClaim(seller, "return-363585", "SOLDOUT")))
                .hasMessageStartingWith("claimId 'return-363585': Coupang rejects only exchange requests");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.RejectClaim(seller, "exchange-1", "out of stock")))
                .hasMessageStartingWith("reason 'out of stock' must be one of Coupang's exchange rejection codes [SOLDOUT, WITHDRAW]");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ConfirmClaim(seller, "363585")))
                .hasMessageStartingWith("claimId '363585' must be a Coupang claim id");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ReplyReview(seller, "1", "Thanks")))
                .hasMessageStartingWith("action:").hasMessageContaining("no review API");
    }

    @Test
    void a_refusal_of_an_action_is_final_with_coupangs_reason_and_a_success_is_done() {
        PlannedCall price = adapter.plan(new MarketAction.ChangePrice(Coupang.SELLER, "3572784698", 99_000));
        assertThat(adapter.classify(price, Answer.of(200, "{\"code\":\"SUCCESS\",\"message\":\"가격 변경을 완료했습니다.\",\"data\":null}")))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("change-price", false)));
        CallOutcome refused = adapter.classify(price, Answer.of(400, "{\"code\":\"ERROR\",\"message\":\"가격변경에 실패했습니다. "
                + "[옵션ID[3572784698] : 판매가 변경이 불가능합니다.]\"}"));
        assertThat(refused).isInstanceOf(CallOutcome.Fatal.class);
        assertThat(((CallOutcome.Fatal) refused).cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
        assertThat(((CallOutcome.Fatal) refused).reason()).contains("가격변경에 실패했습니다");

        PlannedCall reject = adapter.plan(new MarketAction.RejectClaim(Coupang.SELLER, "exchange-100000070", "WITHDRAW"));
        CallOutcome fail = adapter.classify(reject, Answer.of(200,
                "{\"code\":\"200\",\"message\":\"SUCCESS\",\"data\":{\"resultCode\":\"FAIL\",\"resultMessage\":\"the claim was approved already\"}}"));
        assertThat(fail).isEqualTo(new CallOutcome.Fatal("Coupang refused reject-claim of exchange-100000070: the claim was approved already",
                CallOutcome.Cause.ACTION_REFUSED));
        assertThat(adapter.classify(reject, Answer.of(429, "{\"code\":\"ERROR\",\"message\":\"Too Many Requests\"}")))
                .isInstanceOf(CallOutcome.Throttled.class);
    }

    private static io.marketgate.market.Order order(String status) {
        return new io.marketgate.market.Order("123456789", status, CoupangAdapter.commonStatus(status), KST_JAN_1,
                Sheets.sheet(123456789L, 22000009546234L, status, "2026-01-01T10:20:16", 3242596358L).toString());
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return Sheets.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** One return request as Coupang's documentation shows it (abridged), of two items. */
    static String returnJson(String status) {
        return """
                {"receiptId":363585,"orderId":28000008707838,"paymentId":28000009486604,"receiptType":"RETURN",
                "receiptStatus":"%s","createdAt":"2017-09-02T22:52:42","modifiedAt":"2017-09-02T23:00:00",
                "cancelReasonCategory1":"고객변심","cancelReasonCategory2":"단순변심(사유없음)","cancelReason":"","cancelCountSum":2,
                "returnItems":[{"vendorItemId":3187044096,"cancelCount":2,"shipmentBoxId":434119941}],
                "reasonCode":"CHANGEMIND","reasonCodeText":"필요 없어짐 (단순 변심)"}""".formatted(status);
    }
}
