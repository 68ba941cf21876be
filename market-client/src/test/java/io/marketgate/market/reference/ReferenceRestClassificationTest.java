package io.marketgate.market.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.ReviewStatus;
import io.marketgate.market.SettlementStatus;
import io.marketgate.market.MarketData.RecordPage;
import java.util.Map;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.Seller;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the reference REST adapter classifies what a market on loopback answers, through the client. */
class ReferenceRestClassificationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofMillis(200);
    private static final Seller SELLER = Seller.of("s-1");

    @TempDir
    Path dir;

    private TestMarket market;
    private Fixture fx;

    @BeforeEach
    void start() throws IOException {
        market = TestMarket.start(Duration.ofHours(24));
        fx = Fixture.of(dir, market.baseUrl(), b -> true, Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        market.close();
        fx.limiter.close();
    }

    @Test
    void a_200_page_is_ok_with_its_orders_and_next_cursor() throws Exception {
        // GIVEN
        for (int i = 0; i < 4; i++) {
            market.addOrder("s-1", "O" + i, T0.plusSeconds(i));
        }

        // WHEN
        CallOutcome outcome = list();

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> {
            OrderPage page = (OrderPage) ok.data();
            assertThat(page.orders()).extracting(Order::orderId).containsExactly("O0", "O1", "O2");
            assertThat(page.orders().get(0).updatedAt()).isEqualTo(T0);
            assertThat(page.orders().get(0).json()).contains("\"buyer\":\"b-O0\"");
            assertThat(page.nextCursor()).contains("at:3");
        });
        assertThat(market.requests().get(0).apiKey()).isEqualTo(TestMarket.API_KEY);
    }

    @Test
    void a_429_is_throttled_with_the_retry_after_seconds() throws Exception {
        market.respondNext(429, "", "Retry-After", "7");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Throttled.class,
                t -> assertThat(t.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void a_200_with_a_configured_throttle_code_is_throttled_and_the_next_call_waits_for_the_cool_down() throws Exception {
        market.respondNext(200, "{\"code\":\"004\",\"message\":\"slow down\"}");

        assertThat(list()).isInstanceOf(CallOutcome.Throttled.class);
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Deferred.class,
                d -> assertThat(d.reason()).isEqualTo(io.marketgate.limiter.Decision.Reason.COOLING_DOWN));
        assertThat(market.requests()).hasSize(1);
    }

    @Test
    void a_200_with_a_code_that_is_not_a_throttle_code_is_a_fatal_market_error() throws Exception {
        market.respondNext(200, "{\"code\":\"117\",\"message\":\"seller suspended\"}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("code 117").contains("seller suspended"));
    }

    @Test
    void server_errors_and_408_are_retryable() throws Exception {
        market.respondNext(500, "boom");
        market.respondNext(503, "");
        market.respondNext(408, "");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("HTTP 500"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("HTTP 503"));
        assertThat(list()).isInstanceOf(CallOutcome.Retryable.class);
    }

    @Test
    void no_answer_within_the_request_timeout_is_retryable() throws Exception {
        // GIVEN the market does not answer; the request timeout is 500 ms
        market.hangNext();

        // WHEN
        long start = System.nanoTime();
        CallOutcome outcome = list();

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("no answer within the request timeout"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a_refused_connection_is_retryable() throws Exception {
        // GIVEN a market that is gone
        TestMarket gone = TestMarket.start(Duration.ofHours(24));
        String url = gone.baseUrl();
        gone.close();
        Fixture down = Fixture.of(dir, url);

        // WHEN
        CallOutcome outcome = down.client.execute(down.adapter.plan(request()).get(0), Priority.MEDIUM, MAX_WAIT);

        // THEN
        assertThat(outcome).isInstanceOf(CallOutcome.Retryable.class);
        assertThat(down.usage("shop/orders")).as("the call was drawn: it may have reached the market").isEqualTo(1);
        down.limiter.close();
    }

    @Test
    void bad_credentials_forbidden_addresses_and_other_client_errors_are_fatal() throws Exception {
        market.respondNext(401, "{\"message\":\"unknown API key\"}");
        market.respondNext(403, "{\"code\":\"IP_NOT_ALLOWED\",\"message\":\"203.0.113.9 is not allowed\"}");
        market.respondNext(400, "{\"message\":\"bad range\"}");
        market.respondNext(409, "");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("HTTP 401"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("HTTP 403").contains("allow-list").contains("203.0.113.9"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("HTTP 400: "));
        assertThat(list()).as("409 is success only for an action").isInstanceOf(CallOutcome.Fatal.class);
        assertThat(fx.status("shop/vendor:s-1").coolingDownUntil()).as("no cool-down for a fatal answer").isEmpty();
    }

    @Test
    void given_a_200_whose_body_is_cut_off_empty_or_a_proxys_page_when_a_page_is_classified_then_it_is_retryable_as_a_malformed_body() throws Exception {
        // GIVEN 200s that broke on their way: a proxy's page, JSON cut off, an empty body, JSON followed by garbage
        market.respondNext(200, "<html>maintenance</html>");
        market.respondNext(200, "{\"orders\":[{\"orderId\":\"O1\",\"sta");
        market.respondNext(200, "");
        market.respondNext(200, "{\"orders\":[]} garbage");

        // WHEN four pages are asked for, THEN each is a transient fault naming the market and the malformed body
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                .isEqualTo("HTTP 200 from market shop with a malformed body (not JSON: cut off, empty or a proxy's page): "
                        + "<html>maintenance</html>"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("malformed body").endsWith("{\"orders\":[{\"orderId\":\"O1\",\"sta"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).endsWith("a proxy's page)"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("malformed body"));
        assertThat(fx.status("shop/vendor:s-1").coolingDownUntil()).as("no cool-down: it is no throttle").isEmpty();
    }

    @Test
    void given_a_well_formed_200_that_is_not_the_protocols_when_a_page_is_classified_then_it_is_fatal_naming_the_field() throws Exception {
        // GIVEN well-formed JSON with a record that breaks the protocol, and a JSON value that is no object
        market.respondNext(200, "{\"orders\":[{\"orderId\":\"O1\",\"status\":\"PAID\",\"updatedAt\":\"yesterday\"}]}");
        market.respondNext(200, "[1]");

        // WHEN two pages are asked for, THEN each is final, naming what is wrong
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("orders[0]"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("not a JSON object"));
    }

    @Test
    void shipping_is_ok_and_shipping_again_is_ok_as_already_applied_so_a_redelivery_is_idempotent() throws Exception {
        // GIVEN
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(SELLER, "O-7", "CJ", "123456789");

        // WHEN
        CallOutcome first = fx.client.execute(ship, MAX_WAIT);
        CallOutcome again = fx.client.execute(ship, MAX_WAIT);

        // THEN
        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(market.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/shop/v1/sellers/s-1/orders/O-7/shipments");
            assertThat(r.body()).isEqualTo("{\"carrier\":\"CJ\",\"trackingNumber\":\"123456789\"}");
        });
        assertThat(fx.usage("shop/vendor:s-1", Priority.HIGH)).isEqualTo(2);
    }

    @Test
    void an_action_answered_200_is_done_and_409_is_done_already_so_a_redelivery_is_idempotent() throws Exception {
        // GIVEN
        MarketAction.AnswerInquiry answer = new MarketAction.AnswerInquiry(SELLER, "Q-1", "Yes.");
        market.respondNext(200, "{\"inquiryId\":\"Q-1\",\"status\":\"ANSWERED\",\"answer\":\"Yes.\"}");
        market.respondNext(409, "{\"code\":\"ALREADY_DONE\",\"message\":\"inquiry Q-1 has this already\"}");

        // WHEN
        CallOutcome first = fx.client.execute(answer, MAX_WAIT);
        CallOutcome again = fx.client.execute(answer, MAX_WAIT);

        // THEN
        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("answer-inquiry", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("answer-inquiry", true)));
        assertThat(fx.usage("shop/vendor:s-1", Priority.HIGH)).isEqualTo(2);
    }

    @Test
    void an_action_refused_with_422_or_naming_no_such_record_is_refused_for_good_with_the_markets_reason() throws Exception {
        // GIVEN
        market.respondNext(422, "{\"code\":\"REFUSED\",\"reason\":\"the review was deleted\"}");
        market.respondNext(404, "{\"code\":\"INQUIRY_NOT_FOUND\",\"field\":\"inquiryId\",\"message\":\"no inquiry\"}");
        market.respondNext(404, "{\"code\":\"ORDER_NOT_FOUND\",\"field\":\"orderId\"}");

        // WHEN
        CallOutcome deleted = fx.client.execute(new MarketAction.ReplyReview(SELLER, "R-1", "Thanks"), MAX_WAIT);
        CallOutcome noInquiry = fx.client.execute(new MarketAction.AnswerInquiry(SELLER, "Q-9", "Yes."), MAX_WAIT);
        CallOutcome noOrder = fx.client.execute(new MarketAction.AcknowledgeOrder(SELLER, "O-9"), MAX_WAIT);

        // THEN
        assertThat(deleted).isEqualTo(new CallOutcome.Fatal("shop refused reply-review of review R-1 of seller s-1: "
                + "the review was deleted", CallOutcome.Cause.ACTION_REFUSED));
        assertThat(noInquiry).isEqualTo(new CallOutcome.Fatal("shop refused answer-inquiry: no such inquiry Q-9 of seller s-1",
                CallOutcome.Cause.ACTION_REFUSED));
        assertThat(noOrder).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).isEqualTo("shop refused acknowledge-order: no such order O-9 of seller s-1");
        });
    }

    @Test
    void an_actions_404_without_its_records_code_or_a_422_without_refused_is_an_ordinary_fatal_and_throttles_are_throttles()
            throws Exception {
        // GIVEN a wrong path (no such endpoint), a 404 naming another kind's record, a 422 of another kind, a 429, a 401
        market.respondNext(404, "{\"code\":\"NOT_FOUND\",\"field\":\"path\"}");
        market.respondNext(404, "{\"code\":\"REVIEW_NOT_FOUND\"}");
        market.respondNext(422, "{\"code\":\"UNPROCESSABLE\"}");
        market.respondNext(429, "", "Retry-After", "2");
        MarketAction.ChangePrice price = new MarketAction.ChangePrice(SELLER, "P-1", 15900);

        // WHEN / THEN
        assertThat(fx.client.execute(price, MAX_WAIT)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER));
        assertThat(fx.client.execute(price, MAX_WAIT)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER));
        assertThat(fx.client.execute(price, MAX_WAIT)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("HTTP 422"));
        assertThat(fx.client.execute(price, MAX_WAIT)).isInstanceOfSatisfying(CallOutcome.Throttled.class,
                t -> assertThat(t.budgets()).containsExactly("shop/vendor:s-1"));
    }

    @Test
    void a_refusal_echoing_the_api_key_does_not_put_it_into_the_outcome() throws Exception {
        market.respondNext(422, "{\"code\":\"REFUSED\",\"reason\":\"key " + TestMarket.API_KEY + " may not\"}");

        CallOutcome outcome = fx.client.execute(new MarketAction.ConfirmClaim(SELLER, "C-1"), MAX_WAIT);

        assertThat(outcome.toString()).doesNotContain(TestMarket.API_KEY).contains("key **** may not");
    }

    @Test
    void a_market_echoing_the_api_key_does_not_put_it_into_the_outcome() throws Exception {
        market.respondNext(401, "{\"message\":\"key " + TestMarket.API_KEY + " is unknown\"}");

        CallOutcome outcome = list();

        assertThat(outcome.toString()).doesNotContain(TestMarket.API_KEY).contains("key **** is unknown");
    }

    @Test
    void a_200_page_of_claims_is_a_record_page_with_the_common_status_and_fields_and_the_raw_record() throws Exception {
        // GIVEN a page of two claims, the second with fields the common model does not know
        market.respondNext(200, """
                {"claims":[
                  {"claimId":"C-1","status":"REQUESTED","claimType":"RETURN","orderId":"O-9","reason":"too small",
                   "requestedAt":"2026-11-01T00:10:00Z","updatedAt":"2026-11-01T00:10:00Z"},
                  {"claimId":"C-2","status":"WITHDRAWN","claimType":"CANCEL","orderId":"O-8","reason":null,
                   "refund":{"amount":1000},"updatedAt":"2026-11-01T00:20:00+09:00"}],
                 "nextCursor":"c:2"}""");

        // WHEN
        CallOutcome outcome = list(DataKind.CLAIMS);

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> {
            RecordPage page = (RecordPage) ok.data();
            assertThat(page.kind()).isEqualTo(DataKind.CLAIMS);
            assertThat(page.nextCursor()).contains("c:2");
            assertThat(page.records()).extracting(MarketRecord::id).containsExactly("C-1", "C-2");
            MarketRecord first = page.records().get(0);
            assertThat(first.status()).isEqualTo("REQUESTED");
            assertThat(first.commonStatus()).isEqualTo(ClaimStatus.REQUESTED);
            assertThat(first.fields()).containsExactlyInAnyOrderEntriesOf(Map.of("claimType", "RETURN", "orderId", "O-9",
                    "reason", "too small", "requestedAt", "2026-11-01T00:10:00Z"));
            assertThat(first.updatedAt()).isEqualTo(Instant.parse("2026-11-01T00:10:00Z"));
            assertThat(first.changedAt()).as("the protocol's updatedAt is the record's last change").isEqualTo(first.updatedAt());
            MarketRecord second = page.records().get(1);
            assertThat(second.commonStatus()).isEqualTo(ClaimStatus.WITHDRAWN);
            assertThat(second.fields()).doesNotContainKey("reason").doesNotContainKey("refund");
            assertThat(second.updatedAt()).isEqualTo(Instant.parse("2026-10-31T15:20:00Z"));
            assertThat(second.json()).contains("\"refund\":{\"amount\":1000}");
        });
        assertThat(market.requests().get(0).path()).isEqualTo("/shop/v1/sellers/s-1/claims");
    }

    @Test
    void a_page_of_each_kind_maps_its_statuses_and_fields() throws Exception {
        // GIVEN one record of each kind
        market.respondNext(200, """
                {"inquiries":[{"inquiryId":"Q-1","status":"ANSWERED","title":"Size?","question":"Is it M?","answer":"Yes.",
                  "productId":"P-1","askedAt":"2026-11-01T00:00:00Z","updatedAt":"2026-11-01T01:00:00Z"}],"nextCursor":null}""");
        market.respondNext(200, """
                {"reviews":[{"reviewId":"R-1","status":"DELETED","rating":4,"content":"ok","reply":null,"productId":"P-1",
                  "writtenAt":"2026-11-01T00:00:00Z","updatedAt":"2026-11-01T00:00:00Z"}]}""");
        market.respondNext(200, """
                {"products":[{"productId":"P-1","status":"SOLD_OUT","name":"Shirt","price":15900,"stock":0,
                  "updatedAt":"2026-11-01T00:00:00Z"}],"nextCursor":""}""");
        market.respondNext(200, """
                {"settlements":[{"settlementId":"S-1","status":"SETTLED","amount":120000,"settleDate":"2026-11-01",
                  "updatedAt":"2026-11-01T00:00:00Z"}],"nextCursor":null}""");

        // WHEN / THEN
        assertThat(only(list(DataKind.INQUIRIES))).satisfies(r -> {
            assertThat(r.commonStatus()).isEqualTo(InquiryStatus.ANSWERED);
            assertThat(r.fields()).containsEntry("answer", "Yes.").containsEntry("askedAt", "2026-11-01T00:00:00Z")
                    .containsEntry("productId", "P-1").doesNotContainKey("orderId");
        });
        assertThat(only(list(DataKind.REVIEWS))).satisfies(r -> {
            assertThat(r.commonStatus()).isEqualTo(ReviewStatus.DELETED);
            assertThat(r.fields()).containsEntry("rating", "4").doesNotContainKey("reply");
        });
        assertThat(only(list(DataKind.PRODUCTS))).satisfies(r -> {
            assertThat(r.commonStatus()).isEqualTo(ProductStatus.SOLD_OUT);
            assertThat(r.fields()).containsExactlyInAnyOrderEntriesOf(Map.of("name", "Shirt", "price", "15900", "stock", "0"));
        });
        assertThat(only(list(DataKind.SETTLEMENTS))).satisfies(r -> {
            assertThat(r.commonStatus()).isEqualTo(SettlementStatus.SETTLED);
            assertThat(r.fields()).containsEntry("amount", "120000").containsEntry("settleDate", "2026-11-01");
        });
        assertThat(market.requests()).extracting(TestMarket.Seen::path).containsExactly("/shop/v1/sellers/s-1/inquiries",
                "/shop/v1/sellers/s-1/reviews", "/shop/v1/sellers/s-1/products", "/shop/v1/sellers/s-1/settlements");
    }

    @Test
    void a_record_page_that_is_not_the_protocols_is_fatal_naming_what_is_wrong() throws Exception {
        // GIVEN another kind's list, an unknown status, a missing id, an id an action cannot name, a bad cursor
        market.respondNext(200, "{\"orders\":[]}");
        market.respondNext(200, "{\"reviews\":[{\"reviewId\":\"R-1\",\"status\":\"HIDDEN\",\"updatedAt\":\"2026-11-01T00:00:00Z\"}]}");
        market.respondNext(200, "{\"reviews\":[{\"status\":\"REPLIED\",\"updatedAt\":\"2026-11-01T00:00:00Z\"}]}");
        market.respondNext(200, "{\"reviews\":[{\"reviewId\":\"R/1\",\"status\":\"REPLIED\",\"updatedAt\":\"2026-11-01T00:00:00Z\"}]}");
        market.respondNext(200, "{\"reviews\":[],\"nextCursor\":7}");

        // WHEN / THEN
        assertThat(list(DataKind.REVIEWS)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("the body has no 'reviews' list"));
        assertThat(list(DataKind.REVIEWS)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("reviews[0].status 'HIDDEN' is not one of the protocol's statuses of reviews"));
        assertThat(list(DataKind.REVIEWS)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("reviews[0] needs a text reviewId"));
        assertThat(list(DataKind.REVIEWS)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("reviews[0].reviewId 'R/1' is not an id an action can name"));
        assertThat(list(DataKind.REVIEWS)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("nextCursor must be a text or null"));
    }

    @Test
    void a_429_on_a_record_list_is_throttled_like_an_order_list() throws Exception {
        market.respondNext(429, "", "Retry-After", "3");

        assertThat(list(DataKind.SETTLEMENTS)).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).contains(Duration.ofSeconds(3));
            assertThat(t.budgets()).containsExactly("shop/vendor:s-1", "shop/records");
        });
    }

    private static MarketRecord only(CallOutcome outcome) {
        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        RecordPage page = (RecordPage) ((CallOutcome.Ok) outcome).data();
        assertThat(page.nextCursor()).isEmpty();
        assertThat(page.records()).hasSize(1);
        return page.records().get(0);
    }

    private CallOutcome list(DataKind kind) throws InterruptedException {
        CollectionRequest request = new CollectionRequest("shop", SELLER, kind, T0, T0.plus(Duration.ofHours(1)));
        return fx.client.execute(fx.adapter.plan(request).get(0), Priority.MEDIUM, MAX_WAIT);
    }

    private CallOutcome list() throws InterruptedException {
        return fx.client.execute(fx.adapter.plan(request()).get(0), Priority.MEDIUM, MAX_WAIT);
    }

    private static CollectionRequest request() {
        return new CollectionRequest("shop", SELLER, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
    }
}
