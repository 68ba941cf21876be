package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.marketsim.internal.RecordBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulated Coupang Wing's APIs of the kinds other than orders and of the actions, over real HTTP with a client that
 * signs as Coupang documents: the paths, queries and bodies Coupang documents are served from the market's records, and
 * a client that sends another window, page or body gets Coupang's refusal.
 */
class CoupangRecordApisTest extends SimFixture {

    /** 2026-11-20 00:00 to 2026-11-21 00:00 in Korea. */
    private static final Instant FROM = Instant.parse("2026-11-19T15:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-20T15:00:00Z");

    private SimulatedMarket market;
    private CoupangWing wing;
    private String vendorId;

    private void start() {
        start(MarketPresets.coupangWing().sellers("S1", "S2").build());
        market = sim.market("coupang");
        wing = new CoupangWing(sim.baseUrl("coupang"), market.coupangCredentials("S1"), clock);
        vendorId = market.coupangCredentials("S1").vendorId();
    }

    /** Every call a tenth of a second after the last: the market's 10 calls per second. */
    private MarketClient.Reply paced(java.util.function.Supplier<MarketClient.Reply> call) {
        clock.advance(Duration.ofMillis(100));
        return call.get();
    }

    private MarketClient.Reply put(String path, String json) {
        return paced(() -> wing.send("PUT", path, null, json, CoupangWing.authorization(market.coupangCredentials("S1").accessKey(),
                market.coupangCredentials("S1").secretKey(), CoupangWing.signedDate(wing.now()), "PUT", path, null)));
    }

    private List<RecordBook.SimRecord> book(RecordBook.Kind kind) {
        return market.records().between("S1", kind, FROM, TO);
    }

    @Test
    void the_return_lists_and_the_exchange_list_show_every_claim_of_the_day_once_in_coupangs_shapes() {
        // GIVEN a vendor's claims of one Korean day
        start();
        List<String> listed = new ArrayList<>();

        // WHEN the return statuses, the cancels and the exchanges of the day are listed
        String frame = "createdAtFrom=2026-11-20T00:00&createdAtTo=2026-11-21T00:00&searchType=timeFrame";
        for (String filter : List.of("&status=RU", "&status=UC", "&status=PR", "&status=CC", "&cancelType=CANCEL")) {
            MarketClient.Reply page = paced(() -> wing.get(wing.vendorPath("/returnRequests"), frame + filter));
            assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
            page.body().get("data").forEach(r -> {
                assertThat(r.get("createdAt").asText()).matches("2026-11-20T\\d\\d:\\d\\d:\\d\\d");
                assertThat(r.get("receiptType").asText()).isEqualTo(filter.contains("CANCEL") ? "CANCEL" : "RETURN");
                listed.add(r.get("receiptId").asText());
            });
        }
        MarketClient.Reply exchanges = paced(() -> wing.get(wing.vendorPath("/exchangeRequests"),
                "createdAtFrom=2026-11-20T00:00:00&createdAtTo=2026-11-21T00:00:00&maxPerPage=50"));
        exchanges.body().get("data").forEach(r -> listed.add(r.get("exchangeId").asText()));

        // THEN every claim of the book's day exactly once
        assertThat(exchanges.body().get("nextToken").asText()).isEmpty();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(book(RecordBook.Kind.CLAIMS).stream().map(RecordBook.SimRecord::id).toList());
    }

    @Test
    void inquiries_are_paged_by_page_number_and_answered_once_with_another_answer_refused() {
        // GIVEN a vendor's inquiries of one Korean day, asked for two at a time
        start();
        String query = "vendorId=" + vendorId + "&inquiryStartAt=2026-11-20&inquiryEndAt=2026-11-20&answeredType=ALL&pageSize=2&pageNum=";

        // WHEN every page is read
        List<String> listed = new ArrayList<>();
        JsonNode first = paced(() -> wing.get(wing.vendorPath("/onlineInquiries"), query + 1)).body();
        int pages = first.get("data").get("pagination").get("totalPages").asInt();
        for (int p = 1; p <= pages; p++) {
            int n = p;
            paced(() -> wing.get(wing.vendorPath("/onlineInquiries"), query + n)).body().get("data").get("content")
                    .forEach(i -> listed.add(i.get("inquiryId").asText()));
        }
        assertThat(listed).containsExactlyElementsOf(book(RecordBook.Kind.INQUIRIES).stream().map(RecordBook.SimRecord::id).toList());

        // AND an unanswered one is answered, again with the same text, then with another
        String id = book(RecordBook.Kind.INQUIRIES).stream().filter(r -> r.state().equals("UNANSWERED")).findFirst().orElseThrow().id();
        String answer = "{\"content\":\"Yes, in stock.\",\"vendorId\":\"" + vendorId + "\",\"replyBy\":\"" + vendorId + "\"}";
        MarketClient.Reply done = paced(() -> wing.post(wing.vendorPath("/onlineInquiries/" + id + "/replies"), answer));
        MarketClient.Reply again = paced(() -> wing.post(wing.vendorPath("/onlineInquiries/" + id + "/replies"), answer));
        MarketClient.Reply other = paced(() -> wing.post(wing.vendorPath("/onlineInquiries/" + id + "/replies"),
                answer.replace("Yes, in stock.", "No.")));

        // THEN Coupang's OK twice (the book counts a repeat) and a refusal with the reason
        assertThat(done.body().toString()).isEqualTo("{\"code\":\"200\",\"message\":\"OK\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().get("message").asText()).contains("answered already");
        assertThat(market.records().applications()).isEqualTo(1);
        assertThat(market.records().repeats()).isEqualTo(1);
    }

    @Test
    void a_return_is_confirmed_step_by_step_only_in_the_status_each_step_takes() {
        // GIVEN a return request received (RETURNS_UNCHECKED)
        start();
        RecordBook.SimRecord claim = book(RecordBook.Kind.CLAIMS).stream()
                .filter(r -> r.attrs().get("claimType").equals("RETURN") && r.state().equals("REQUESTED")).findFirst().orElseThrow();
        String path = wing.vendorPath("/returnRequests/" + claim.id());
        String withCount = "{\"vendorId\":\"" + vendorId + "\",\"receiptId\":" + claim.id() + ",\"cancelCount\":1}";

        // WHEN it is approved before its receipt is confirmed, then confirmed, then approved
        MarketClient.Reply early = put(path + "/approval", withCount);
        MarketClient.Reply received = put(path + "/receiveConfirmation", "{\"vendorId\":\"" + vendorId + "\",\"receiptId\":" + claim.id() + "}");
        MarketClient.Reply approved = put(path + "/approval", withCount);
        JsonNode now = paced(() -> wing.get(path, null)).body().get("data").get(0);

        // THEN the early approval is refused, the others succeed, and the request is completed
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.body().get("message").asText()).contains("RETURNS_UNCHECKED").contains("approval takes VENDOR_WAREHOUSE_CONFIRM");
        assertThat(received.body().get("data").get("resultCode").asText()).isEqualTo("SUCCESS");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(now.get("receiptStatus").asText()).isEqualTo("RETURNS_COMPLETED");
    }

    @Test
    void a_wrong_client_gets_coupangs_validation_error_for_a_window_a_page_or_a_body() {
        start();
        String frame = "&searchType=timeFrame&status=UC";

        // a return window over 31 days, an exchange window over 7 days, an inquiry window over 7 days
        assertThat(paced(() -> wing.get(wing.vendorPath("/returnRequests"),
                "createdAtFrom=2026-10-01T00:00&createdAtTo=2026-11-02T00:00" + frame)).status()).isEqualTo(400);
        assertThat(paced(() -> wing.get(wing.vendorPath("/exchangeRequests"),
                "createdAtFrom=2026-11-01T00:00:00&createdAtTo=2026-11-09T00:00:00")).status()).isEqualTo(400);
        assertThat(paced(() -> wing.get(wing.vendorPath("/onlineInquiries"), "vendorId=" + vendorId
                + "&inquiryStartAt=2026-11-01&inquiryEndAt=2026-11-09&answeredType=ALL")).status()).isEqualTo(400);
        // no status nor cancelType; paging parameters with the minute search
        assertThat(paced(() -> wing.get(wing.vendorPath("/returnRequests"),
                "createdAtFrom=2026-11-20T00:00&createdAtTo=2026-11-21T00:00&searchType=timeFrame")).status()).isEqualTo(400);
        assertThat(paced(() -> wing.get(wing.vendorPath("/returnRequests"),
                "createdAtFrom=2026-11-20T00:00&createdAtTo=2026-11-21T00:00" + frame + "&maxPerPage=50")).status()).isEqualTo(400);
        // pages too large
        MarketClient.Reply bigPage = paced(() -> wing.get(wing.vendorPath("/onlineInquiries"), "vendorId=" + vendorId
                + "&inquiryStartAt=2026-11-20&inquiryEndAt=2026-11-20&answeredType=ALL&pageSize=51"));
        assertThat(bigPage.status()).isEqualTo(400);
        assertThat(bigPage.body().get("message").asText()).startsWith("[code: VALIDATION , error : pageNum");
        assertThat(paced(() -> wing.get("/v2/providers/seller_api/apis/api/v1/marketplace/seller-products",
                "vendorId=" + vendorId + "&maxPerPage=101")).status()).isEqualTo(400);
        assertThat(paced(() -> wing.get("/v2/providers/openapi/apis/api/v1/revenue-history",
                "vendorId=" + vendorId + "&recognitionDateFrom=2026-10-01&recognitionDateTo=2026-11-20&token=")).status()).isEqualTo(400);
        // another vendor's id in the query is not this key's
        assertThat(paced(() -> wing.get("/v2/providers/openapi/apis/api/v1/revenue-history", "vendorId=A99999999"
                + "&recognitionDateFrom=2026-11-01&recognitionDateTo=2026-11-20&token=")).body().get("message").asText())
                .isEqualTo("Request is not authorized.");
        // bodies: an answer without replyBy, an approval without cancelCount, a rejection with another code
        String inquiry = book(RecordBook.Kind.INQUIRIES).get(0).id();
        assertThat(paced(() -> wing.post(wing.vendorPath("/onlineInquiries/" + inquiry + "/replies"),
                "{\"content\":\"Yes\",\"vendorId\":\"" + vendorId + "\"}")).body().get("message").asText()).contains("replyBy");
        String claim = book(RecordBook.Kind.CLAIMS).get(0).id();
        assertThat(put(wing.vendorPath("/returnRequests/" + claim + "/approval"),
                "{\"vendorId\":\"" + vendorId + "\",\"receiptId\":" + claim + "}").body().get("message").asText()).contains("cancelCount");
        assertThat(put(wing.vendorPath("/exchangeRequests/" + claim + "/rejection"),
                "{\"vendorId\":\"" + vendorId + "\",\"exchangeId\":" + claim + ",\"exchangeRejectCode\":\"NO\"}").body()
                .get("message").asText()).contains("SOLDOUT or WITHDRAW");
        // a price not in steps of 10 won
        String product = market.records().between("S1", RecordBook.Kind.PRODUCTS, T0.minus(Duration.ofDays(2)), T0).get(0).id();
        assertThat(put("/v2/providers/seller_api/apis/api/v1/marketplace/vendor-items/" + product + "/prices/12345", null)
                .body().get("message").asText()).contains("10 won");
        // none of it changed a record
        assertThat(market.records().applications()).isZero();
    }

    @Test
    void the_revenue_history_pages_by_token_and_the_product_list_by_next_token() {
        start();
        List<String> lines = new ArrayList<>();
        String token = "";
        do {
            String t = token;
            JsonNode page = paced(() -> wing.get("/v2/providers/openapi/apis/api/v1/revenue-history", "vendorId=" + vendorId
                    + "&recognitionDateFrom=2026-11-01&recognitionDateTo=2026-11-20&token=" + t + "&maxPerPage=7")).body();
            page.get("data").forEach(d -> lines.add(d.get("orderId").asText()));
            token = page.get("nextToken").asText();
            assertThat(page.get("hasNext").asBoolean()).isEqualTo(!token.isEmpty());
        } while (!token.isEmpty());
        assertThat(lines).containsExactlyElementsOf(market.records().between("S1", RecordBook.Kind.SETTLEMENTS,
                Instant.parse("2026-10-31T15:00:00Z"), Instant.parse("2026-11-20T15:00:00Z")).stream().map(RecordBook.SimRecord::id).toList());

        List<String> products = new ArrayList<>();
        String next = "";
        do {
            String n = next;
            JsonNode page = paced(() -> wing.get("/v2/providers/seller_api/apis/api/v1/marketplace/seller-products",
                    "vendorId=" + vendorId + (n.isEmpty() ? "" : "&nextToken=" + n) + "&maxPerPage=20")).body();
            assertThat(page.get("code").asText()).isEqualTo("SUCCESS");
            page.get("data").forEach(d -> products.add(d.get("sellerProductId").asText()));
            next = page.get("nextToken").asText();
        } while (!next.isEmpty());
        assertThat(products).hasSize(90).doesNotHaveDuplicates();
    }
}
