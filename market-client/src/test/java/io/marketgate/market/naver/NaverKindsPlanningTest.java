package io.marketgate.market.naver;

import static io.marketgate.market.naver.NaverFixture.SIM_CLIENT_ID;
import static io.marketgate.market.naver.NaverFixture.SIM_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketData;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Naver adapter's calls for every kind but orders and every action but dispatch, written out by hand from Naver's
 * documentation (market-protocols.md 2 and apicenter.commerce.naver.com): paths, queries, bodies, budgets, windows and
 * cursors, and the actions Naver's rules refuse before anything is queued. No network.
 */
class NaverKindsPlanningTest {

    /** 09:00 KST on 1 November. */
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Seller SELLER = Seller.of("s-1");
    private static final String BASE = "/naver/external";

    @TempDir
    Path dir;

    private MarketAdapter adapter;

    @BeforeEach
    void adapter() throws Exception {
        // pages of 3 in the fixture
        adapter = NaverFixture.of(dir, "http://127.0.0.1:9/naver/external", Clock.systemUTC()).self("s-1", SIM_CLIENT_ID, SIM_SECRET)
                .adapter();
    }

    // ---- claims

    @Test
    void claims_start_with_the_requested_claims_of_the_last_changed_list_drawn_from_its_budget() {
        PlannedCall first = adapter.plan(request(DataKind.CLAIMS, T0, T0.plus(Duration.ofHours(1)))).get(0);

        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).isEqualTo(BASE + "/v1/pay-order/seller/product-orders/last-changed-statuses");
        assertThat(first.rawQuery()).isEqualTo("lastChangedFrom=2026-11-01T09%3A00%3A00.000%2B09%3A00"
                + "&lastChangedTo=2026-11-01T10%3A00%3A00.000%2B09%3A00&lastChangedType=CLAIM_REQUESTED&limitCount=3");
        assertThat(first.budgets()).containsExactly("naver/changed", "naver/seller:s-1");
    }

    @Test
    void a_claims_cursor_names_its_change_type_and_position_and_the_next_type_starts_from_the_window() {
        CollectionRequest request = request(DataKind.CLAIMS, T0, T0.plus(Duration.ofHours(1)));
        TimeWindow window = adapter.windows(request).get(0);

        PlannedCall more = adapter.planPage(request, window,
                Optional.of("CLAIM_REQUESTED|2026-11-01T09:30:00.000+09:00|2026110100000042"));
        PlannedCall nextType = adapter.planPage(request, window, Optional.of("COLLECT_DONE"));

        assertThat(more.rawQuery()).isEqualTo("lastChangedFrom=2026-11-01T09%3A30%3A00.000%2B09%3A00"
                + "&lastChangedTo=2026-11-01T10%3A00%3A00.000%2B09%3A00&lastChangedType=CLAIM_REQUESTED&limitCount=3"
                + "&moreSequence=2026110100000042");
        assertThat(nextType.rawQuery()).isEqualTo("lastChangedFrom=2026-11-01T09%3A00%3A00.000%2B09%3A00"
                + "&lastChangedTo=2026-11-01T10%3A00%3A00.000%2B09%3A00&lastChangedType=COLLECT_DONE&limitCount=3");
        assertThatThrownBy(() -> adapter.planPage(request, window, Optional.of("PAYED")))
                .hasMessageStartingWith("cursor 'PAYED' must start with one of the claims' change types");
    }

    @Test
    void after_the_last_claim_change_type_the_next_window_starts_again_with_requested_claims() {
        CollectionRequest request = request(DataKind.CLAIMS, T0, T0.plus(Duration.ofHours(30)));
        TimeWindow first = adapter.windows(request).get(0);
        PlannedCall lastPass = adapter.planPage(request, first, Optional.of("CLAIM_REJECTED"));

        Optional<PlannedCall> next = adapter.next(lastPass, new MarketData.RecordPage(DataKind.CLAIMS, List.of(), Optional.empty()));

        assertThat(adapter.windows(request)).containsExactly(new TimeWindow(T0, T0.plus(Duration.ofHours(24))),
                new TimeWindow(T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofHours(30))));
        assertThat(next).get().satisfies(c -> assertThat(c.rawQuery()).isEqualTo(
                "lastChangedFrom=2026-11-02T09%3A00%3A00.000%2B09%3A00&lastChangedTo=2026-11-02T15%3A00%3A00.000%2B09%3A00"
                        + "&lastChangedType=CLAIM_REQUESTED&limitCount=3"));
    }

    // ---- product Q&A

    @Test
    void product_questions_are_asked_for_by_date_time_in_windows_of_a_week_page_by_page() {
        CollectionRequest request = request(DataKind.INQUIRIES, T0, T0.plus(Duration.ofDays(10)));

        List<PlannedCall> firsts = adapter.plan(request);
        PlannedCall second = adapter.planPage(request, adapter.windows(request).get(0), Optional.of("2"));

        assertThat(firsts).extracting(PlannedCall::rawQuery).containsExactly(
                "fromDate=2026-11-01T09%3A00%3A00.000%2B09%3A00&toDate=2026-11-08T09%3A00%3A00.000%2B09%3A00&page=1&size=3",
                "fromDate=2026-11-08T09%3A00%3A00.000%2B09%3A00&toDate=2026-11-11T09%3A00%3A00.000%2B09%3A00&page=1&size=3");
        assertThat(firsts.get(0).method()).isEqualTo("GET");
        assertThat(firsts.get(0).path()).isEqualTo(BASE + "/v1/contents/qnas");
        assertThat(firsts.get(0).budgets()).containsExactly("naver/qnas", "naver/seller:s-1");
        assertThat(second.rawQuery()).endsWith("&page=2&size=3");
        assertThatThrownBy(() -> adapter.planPage(request, new TimeWindow(T0, T0.plus(Duration.ofDays(8))), Optional.empty()))
                .hasMessageContaining("at most PT168H long");
    }

    // ---- products and settlements: by KST date

    @Test
    void products_are_searched_by_modification_date_of_the_kst_days_the_range_covers() {
        // 09:00 KST on 1 November to 08:00 KST on 3 November: the dates 1 to 3 November
        CollectionRequest request = request(DataKind.PRODUCTS, T0, T0.plus(Duration.ofHours(47)));

        PlannedCall first = adapter.plan(request).get(0);

        assertThat(adapter.windows(request)).containsExactly(new TimeWindow(Instant.parse("2026-10-31T15:00:00Z"),
                Instant.parse("2026-11-03T15:00:00Z")));
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo(BASE + "/v1/products/search");
        assertThat(NaverFixture.body(PlannedRequests.of(first))).isEqualTo("{\"orderType\":\"MOD_DATE\",\"periodType\":\"PROD_MOD_DAY\","
                + "\"fromDate\":\"2026-11-01\",\"toDate\":\"2026-11-03\",\"page\":1,\"size\":3}");
        assertThat(PlannedRequests.of(first).headers().firstValue("Content-Type")).contains("application/json");
        assertThat(first.budgets()).containsExactly("naver/product-search", "naver/seller:s-1");
    }

    @Test
    void settlements_are_asked_for_by_kst_dates_at_most_31_days_a_call_and_a_window_not_of_whole_days_is_refused() {
        CollectionRequest request = request(DataKind.SETTLEMENTS, T0, T0.plus(Duration.ofDays(40)));

        List<PlannedCall> firsts = adapter.plan(request);

        assertThat(firsts).extracting(PlannedCall::rawQuery).containsExactly(
                "startDate=2026-11-01&endDate=2026-12-01&pageNumber=1&pageSize=3",
                "startDate=2026-12-02&endDate=2026-12-11&pageNumber=1&pageSize=3");
        assertThat(firsts.get(0).path()).isEqualTo(BASE + "/v1/pay-settle/settle/daily");
        assertThat(firsts.get(0).budgets()).containsExactly("naver/settle-daily", "naver/seller:s-1");
        assertThatThrownBy(() -> adapter.planPage(request, new TimeWindow(T0, T0.plus(Duration.ofDays(1))), Optional.empty()))
                .hasMessageContaining("must be whole KST days");
        assertThatThrownBy(() -> adapter.planPage(request, adapter.windows(request).get(0), Optional.of("0")))
                .hasMessage("cursor '0' must be a page number from 1");
    }

    // ---- actions

    @Test
    void acknowledging_is_naver_s_confirm_of_the_one_product_order() {
        PlannedCall call = adapter.plan(new MarketAction.AcknowledgeOrder(SELLER, "2026110100000007"));

        assertRequest(call, "POST", "/v1/pay-order/seller/product-orders/confirm", "{\"productOrderIds\":[\"2026110100000007\"]}");
        assertThat(call.budgets()).containsExactly("naver/confirm", "naver/seller:s-1");
    }

    @Test
    void confirming_a_claim_calls_the_approval_of_its_claim_type_without_a_body() {
        assertRequest(adapter.plan(new MarketAction.ConfirmClaim(SELLER, "CANCEL.2026110100000007")), "POST",
                "/v1/pay-order/seller/product-orders/2026110100000007/claim/cancel/approve", null);
        assertRequest(adapter.plan(new MarketAction.ConfirmClaim(SELLER, "RETURN.2026110100000007")), "POST",
                "/v1/pay-order/seller/product-orders/2026110100000007/claim/return/approve", null);
        assertRequest(adapter.plan(new MarketAction.ConfirmClaim(SELLER, "EXCHANGE.2026110100000007")), "POST",
                "/v1/pay-order/seller/product-orders/2026110100000007/claim/exchange/collect/approve", null);
        assertThat(adapter.plan(new MarketAction.ConfirmClaim(SELLER, "RETURN.2026110100000007")).budgets())
                .containsExactly("naver/claim-decisions", "naver/seller:s-1");
    }

    @Test
    void rejecting_a_return_or_an_exchange_sends_its_reason_under_the_claim_types_field() {
        assertRequest(adapter.plan(new MarketAction.RejectClaim(SELLER, "RETURN.2026110100000007", "고객님께서 교환을 원하셨습니다.")),
                "POST", "/v1/pay-order/seller/product-orders/2026110100000007/claim/return/reject",
                "{\"rejectReturnReason\":\"고객님께서 교환을 원하셨습니다.\"}");
        assertRequest(adapter.plan(new MarketAction.RejectClaim(SELLER, "EXCHANGE.2026110100000007", "착용한 상품입니다.")),
                "POST", "/v1/pay-order/seller/product-orders/2026110100000007/claim/exchange/reject",
                "{\"rejectExchangeReason\":\"착용한 상품입니다.\"}");
    }

    @Test
    void answering_a_question_puts_the_comment_content_on_the_question() {
        PlannedCall call = adapter.plan(new MarketAction.AnswerInquiry(SELLER, "612345678", "네, 재고 있습니다."));

        assertRequest(call, "PUT", "/v1/contents/qnas/612345678", "{\"commentContent\":\"네, 재고 있습니다.\"}");
        assertThat(call.budgets()).containsExactly("naver/qna-answers", "naver/seller:s-1");
    }

    @Test
    void price_and_stock_are_a_multi_update_of_the_one_origin_product_and_sale_status_its_change_status() {
        PlannedCall price = adapter.plan(new MarketAction.ChangePrice(SELLER, "8123456789", 12_340));
        PlannedCall stock = adapter.plan(new MarketAction.ChangeStock(SELLER, "8123456789", 0));
        PlannedCall onSale = adapter.plan(new MarketAction.ChangeSaleStatus(SELLER, "8123456789", ProductStatus.ON_SALE));
        PlannedCall suspended = adapter.plan(new MarketAction.ChangeSaleStatus(SELLER, "8123456789", ProductStatus.SUSPENDED));

        assertRequest(price, "PATCH", "/v1/products/origin-products/multi-update", "{\"multiProductUpdateRequestVos\":[{"
                + "\"originProductNo\":8123456789,\"multiUpdateTypes\":[\"SALE_PRICE\"],\"productSalePrice\":{\"salePrice\":12340}}]}");
        assertRequest(stock, "PATCH", "/v1/products/origin-products/multi-update", "{\"multiProductUpdateRequestVos\":[{"
                + "\"originProductNo\":8123456789,\"multiUpdateTypes\":[\"STOCK\"],\"stockQuantity\":0}]}");
        assertRequest(onSale, "PUT", "/v1/products/origin-products/8123456789/change-status", "{\"statusType\":\"SALE\"}");
        assertRequest(suspended, "PUT", "/v1/products/origin-products/8123456789/change-status", "{\"statusType\":\"SUSPENSION\"}");
        assertThat(price.budgets()).isEqualTo(stock.budgets()).containsExactly("naver/product-multi-update", "naver/seller:s-1");
        assertThat(onSale.budgets()).containsExactly("naver/product-change-status", "naver/seller:s-1");
    }

    @Test
    void actions_that_break_navers_rules_are_refused_naming_the_field_and_the_rule() {
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ReplyReview(SELLER, "R-1", "감사합니다")))
                .hasMessage("action: naver does not offer reply-review: Naver Commerce has no review API");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.RejectClaim(SELLER, "CANCEL.2026110100000007", "no")))
                .hasMessageStartingWith("claimId 'CANCEL.2026110100000007' is a CANCEL claim: Naver rejects only returns and exchanges");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ConfirmClaim(SELLER, "2026110100000007")))
                .hasMessageStartingWith("claimId '2026110100000007' must be a Naver claim id as the claims collection gives it");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ChangePrice(SELLER, "8123456789", 999_999_991)))
                .hasMessage("price is 999999991, Naver takes at most 999999990 won");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ChangeStock(SELLER, "P-1", 3)))
                .hasMessageStartingWith("productId 'P-1' must be Naver's originProductNo");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.AnswerInquiry(SELLER, "Q-1", "네")))
                .hasMessageStartingWith("inquiryId 'Q-1' must be Naver's questionId");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ReplyReview(SELLER, "R-1", "감사합니다")))
                .hasMessageContaining("does not offer reply-review");
    }

    @Test
    void an_action_whose_call_the_section_does_not_map_is_refused_naming_the_operation() throws Exception {
        MarketAdapter unmapped = NaverFixture.of(java.nio.file.Files.createTempDirectory(dir, "unmapped"), "http://127.0.0.1:9/naver/external",
                Clock.systemUTC(), 100, 3, yaml -> yaml.replace("confirmClaim: confirm-claim, ", ""))
                .self("s-1", SIM_CLIENT_ID, SIM_SECRET).adapter();

        assertThatThrownBy(() -> unmapped.plan(new MarketAction.ConfirmClaim(SELLER, "RETURN.2026110100000007")))
                .hasMessage("action: market naver does not offer confirm-claim (its adapter.calls has no confirmClaim)");
    }

    // ---- helpers

    private static CollectionRequest request(DataKind kind, Instant from, Instant to) {
        return new CollectionRequest("naver", SELLER, kind, from, to);
    }

    private static void assertRequest(PlannedCall call, String method, String path, String body) {
        HttpRequest http = PlannedRequests.of(call);
        assertThat(http.method()).isEqualTo(method);
        assertThat(call.path()).isEqualTo(BASE + path);
        assertThat(http.uri().getRawQuery()).isNull();
        if (body == null) {
            assertThat(http.bodyPublisher()).get().satisfies(p -> assertThat(p.contentLength()).isZero());
        } else {
            assertThat(NaverFixture.body(http)).isEqualTo(body);
            assertThat(http.headers().firstValue("Content-Type")).contains("application/json");
        }
    }
}
