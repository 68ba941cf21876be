package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.marketsim.internal.RecordBook;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Naver Commerce's APIs of the other kinds and the actions over real HTTP: served from the market's {@link RecordBook}
 * in Naver's shapes, each API a bucket of its own, and a wrong client refused with Naver's answers.
 */
class NaverRecordApisTest extends SimFixture {

    private static final String ORDERS = NaverCommerce.ORDERS;

    private SimulatedMarket market;
    private String token;
    private String base;

    @BeforeEach
    void startNaver() {
        start(MarketPresets.naverCommerce().sellers("S1", "S2").build());
        market = sim.market("naver");
        base = sim.baseUrl("naver");
        token = new NaverCommerce(base, market.naverCredentials("S1"), clock).accessToken();
    }

    @Test
    void each_api_is_a_bucket_of_its_own_so_a_full_qna_bucket_leaves_the_settlement_api_open() {
        // GIVEN the Q&A API's bucket of 4 filled at one instant
        for (int i = 0; i < 4; i++) {
            assertThat(qnas("fromDate=" + NaverCommerce.kst(T0.minus(Duration.ofDays(1))) + "&toDate=" + NaverCommerce.kst(T0)).status())
                    .isEqualTo(200);
        }

        // WHEN
        MarketClient.Reply fifth = qnas("fromDate=" + NaverCommerce.kst(T0.minus(Duration.ofDays(1))) + "&toDate=" + NaverCommerce.kst(T0));
        MarketClient.Reply settlements = call("GET", "/external/v1/pay-settle/settle/daily?startDate=2026-11-01&endDate=2026-11-20"
                + "&pageNumber=1&pageSize=10", null);

        // THEN
        assertThat(fifth.status()).isEqualTo(429);
        assertThat(fifth.body().get("code").asText()).isEqualTo("GW.RATE_LIMIT");
        assertThat(settlements.status()).isEqualTo(200);
        assertThat(settlements.body().get("elements")).hasSize(10);
        assertThat(settlements.body().path("pagination").path("totalPages").asInt()).isEqualTo(2);
    }

    @Test
    void claims_are_listed_under_a_claim_change_type_page_by_page_as_product_orders_with_claim_type_and_status() {
        // GIVEN the book's requested claims of a week
        List<RecordBook.SimRecord> requested = market.records().changedBetween("S1", RecordBook.Kind.CLAIMS,
                T0.minus(Duration.ofDays(7)), T0).stream().filter(r -> r.state().equals("REQUESTED")).toList();
        List<String> seen = new ArrayList<>();

        // WHEN paged one at a time, day by day
        for (int day = 7; day > 0; day--) {
            String from = NaverCommerce.kst(T0.minus(Duration.ofDays(day)));
            String to = "&lastChangedTo=" + NaverCommerce.kst(T0.minus(Duration.ofDays(day - 1)));
            String query = "lastChangedFrom=" + from + to + "&lastChangedType=CLAIM_REQUESTED&limitCount=1";
            while (query != null) {
                clock.advance(Duration.ofSeconds(1)); // within the list API's 2 per second
                JsonNode data = lastChanged(query).body().get("data");
                data.get("lastChangeStatuses").forEach(i -> {
                    assertThat(i.get("claimStatus").asText()).isEqualTo(i.get("claimType").asText() + "_REQUEST");
                    seen.add(i.get("productOrderId").asText());
                });
                JsonNode more = data.get("more");
                query = more == null ? null : "lastChangedFrom=" + NaverCommerce.kst(java.time.OffsetDateTime.parse(
                        more.get("moreFrom").asText()).toInstant()) + to + "&lastChangedType=CLAIM_REQUESTED&limitCount=1"
                        + "&moreSequence=" + more.get("moreSequence").asText();
            }
        }

        // THEN each requested claim once, as product order 2 + its id
        assertThat(seen).containsExactlyInAnyOrderElementsOf(requested.stream().map(r -> "2" + r.id()).toList());
        assertThat(lastChanged("lastChangedFrom=" + NaverCommerce.kst(T0.minus(Duration.ofDays(1))) + "&limitCount=300")
                .body().path("data").path("lastChangeStatuses")).noneSatisfy(i -> assertThat(i.path("productOrderId").asText())
                .startsWith("25"));
    }

    @Test
    void a_second_answer_replaces_the_first_as_navers_answer_api_registers_or_edits() {
        RecordBook.SimRecord question = market.records().between("S1", RecordBook.Kind.INQUIRIES, T0.minus(Duration.ofDays(3)), T0)
                .stream().filter(r -> r.state().equals("UNANSWERED")).findFirst().orElseThrow();

        MarketClient.Reply first = call("PUT", "/external/v1/contents/qnas/" + question.id(), "{\"commentContent\":\"네.\"}");
        MarketClient.Reply second = call("PUT", "/external/v1/contents/qnas/" + question.id(), "{\"commentContent\":\"네, 내일 입고됩니다.\"}");
        JsonNode listed = qnas("fromDate=" + NaverCommerce.kst(question.createdAt()) + "&toDate="
                + NaverCommerce.kst(question.createdAt().plusMillis(1))).body().get("contents").get(0);

        assertThat(first.status()).isEqualTo(204);
        assertThat(second.status()).isEqualTo(204);
        assertThat(listed.get("questionId").asText()).isEqualTo(question.id());
        assertThat(listed.get("answered").asBoolean()).isTrue();
        assertThat(listed.get("answer").asText()).isEqualTo("네, 내일 입고됩니다.");
    }

    @Test
    void a_wrong_client_is_refused_with_navers_400_naming_the_input_or_the_gateways_404_405_and_401() {
        String week = "fromDate=" + NaverCommerce.kst(T0.minus(Duration.ofDays(7))) + "&toDate=" + NaverCommerce.kst(T0);
        assertInvalid(qnas(week + "&size=101"), "size");
        assertInvalid(qnas("toDate=" + NaverCommerce.kst(T0)), "fromDate");
        assertInvalid(qnas(week + "&page=0"), "page");
        assertInvalid(call("GET", "/external/v1/pay-settle/settle/daily?startDate=2026-11-01&endDate=2026-11-20&pageSize=10", null),
                "pageNumber");
        assertInvalid(call("GET", "/external/v1/pay-settle/settle/daily?startDate=2026-11-01&endDate=2026-11-20&pageNumber=1"
                + "&pageSize=1001", null), "pageSize");
        assertInvalid(call("GET", "/external/v1/pay-settle/settle/daily?startDate=20261101&endDate=2026-11-20&pageNumber=1"
                + "&pageSize=10", null), "startDate");
        assertInvalid(call("POST", "/external/v1/products/search", "{\"page\":1,\"size\":501,\"periodType\":\"PROD_MOD_DAY\","
                + "\"fromDate\":\"2026-11-01\",\"toDate\":\"2026-11-02\"}"), "size");
        assertInvalid(call("POST", "/external/v1/products/search", "{\"page\":1,\"size\":10,\"periodType\":\"PROD_MOD_DAY\","
                + "\"fromDate\":\"2026-11-03\",\"toDate\":\"2026-11-02\"}"), "toDate");
        assertInvalid(call("PATCH", "/external/v1/products/origin-products/multi-update",
                "{\"multiProductUpdateRequestVos\":[{\"originProductNo\":81234512345000}]}"), "multiProductUpdateRequestVos[0].multiUpdateTypes");
        assertInvalid(call("PATCH", "/external/v1/products/origin-products/multi-update", "{\"multiProductUpdateRequestVos\":[{"
                + "\"originProductNo\":81234512345000,\"multiUpdateTypes\":[\"STOCK\"],\"stockQuantity\":100000000}]}"),
                "multiProductUpdateRequestVos[0].stockQuantity");
        assertInvalid(call("PUT", "/external/v1/products/origin-products/81234512345000/change-status", "{\"statusType\":\"CLOSE\"}"),
                "statusType");
        assertInvalid(call("PUT", "/external/v1/contents/qnas/61234512345000", "{\"comment\":\"네\"}"), "commentContent");
        assertInvalid(call("POST", ORDERS + "/2512345123450000/claim/return/reject", "{}"), "rejectReturnReason");
        assertInvalid(call("POST", ORDERS + "/confirm", "{\"productOrderIds\":[]}"), "productOrderIds");

        assertThat(call("GET", ORDERS + "/confirm", null).status()).isEqualTo(405);
        assertThat(call("POST", ORDERS + "/2512345123450000/claim/cancel/reject", "{}").body().get("code").asText())
                .isEqualTo("GW.NOT_FOUND");
        token = null;
        assertThat(qnas(week).body().get("code").asText()).isEqualTo("GW.AUTHN");
    }

    @Test
    void a_claim_decision_on_another_claim_type_or_another_sellers_product_order_fails_in_http_200_with_its_code() {
        RecordBook.SimRecord cancel = market.records().between("S1", RecordBook.Kind.CLAIMS, T0.minus(Duration.ofDays(20)), T0).stream()
                .filter(r -> r.attrs().get("claimType").equals("CANCEL")).findFirst().orElseThrow();
        RecordBook.SimRecord others = market.records().between("S2", RecordBook.Kind.CLAIMS, T0.minus(Duration.ofDays(20)), T0).get(0);

        JsonNode wrongType = call("POST", ORDERS + "/2" + cancel.id() + "/claim/return/approve", null).body();
        JsonNode notMine = call("POST", ORDERS + "/2" + others.id() + "/claim/" + others.attrs().get("claimType").toLowerCase()
                + (others.attrs().get("claimType").equals("EXCHANGE") ? "/collect/approve" : "/approve"), null).body();

        assertThat(wrongType.at("/data/failProductOrderInfos/0/code").asText()).isEqualTo("104442");
        assertThat(notMine.at("/data/failProductOrderInfos/0/code").asText()).isEqualTo("101009");
        assertThat(market.records().applications()).isZero();
    }

    // ---- helpers

    private MarketClient.Reply qnas(String query) {
        return call("GET", "/external/v1/contents/qnas?" + query, null);
    }

    private MarketClient.Reply lastChanged(String query) {
        return call("GET", ORDERS + "/last-changed-statuses?" + query, null);
    }

    private MarketClient.Reply call(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return NaverCommerce.send(b.build());
    }

    private static void assertInvalid(MarketClient.Reply reply, String input) {
        assertThat(reply.status()).as(input).isEqualTo(400);
        assertThat(reply.body().at("/invalidInputs/0/name").asText()).as(input).isEqualTo(input);
    }
}
