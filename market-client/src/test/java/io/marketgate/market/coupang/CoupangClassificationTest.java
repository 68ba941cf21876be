package io.marketgate.market.coupang;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.CredentialsUnavailableException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the Coupang adapter signs a call and classifies each answer Coupang gives. No network: answers are built here. */
class CoupangClassificationTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String BASE = "http://127.0.0.1:9/coupang";
    private static final MarketAction.ShipOrder SHIP = new MarketAction.ShipOrder(Coupang.SELLER, "448531493", "CJGLS", "340010913442");

    @TempDir
    Path dir;

    private CoupangAdapter adapter;
    private final List<CallOutcome> outcomes = new ArrayList<>();

    @BeforeEach
    void adapter() throws IOException {
        adapter = Coupang.adapter(Coupang.environment(dir, BASE), Coupang.source(), Coupang.VECTOR_CLOCK);
    }

    // ---- signing

    @Test
    void an_invoice_upload_is_signed_over_the_path_after_the_base_urls_own_path_matching_the_hand_computed_vector() throws Exception {
        // GIVEN the base URL carries /coupang, the clock reads 2026-01-01T00:00:00Z, the secret is sim-secret-key
        PlannedCall upload = adapter.plan(SHIP, instructPage());
        HttpRequest.Builder request = HttpRequest.newBuilder(PlannedRequests.of(upload), (n, v) -> true);

        // WHEN
        Optional<CallOutcome> refused = adapter.authorize(upload, request, noTokenCalls());

        // THEN the [I] vector of POST /v2/providers/openapi/apis/api/v4/vendors/A00012345/orders/invoices
        assertThat(refused).isEmpty();
        assertThat(upload.path()).startsWith("/coupang/v2/");
        assertThat(request.build().headers().firstValue("Authorization")).contains("CEA algorithm=HmacSHA256, access-key="
                + Coupang.ACCESS_KEY + ", signed-date=260101T000000Z, "
                + "signature=9fdea92d7866b578bba60a8cc439698332513725217a402e13eb0cf88f624909");
    }

    @Test
    void a_list_call_is_signed_over_its_query_exactly_as_sent() throws Exception {
        // GIVEN
        PlannedCall list = listCall();
        HttpRequest.Builder request = HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true);

        // WHEN
        adapter.authorize(list, request, noTokenCalls());

        // THEN
        String expected = CeaSignature.signature(Coupang.SECRET_KEY, "260101T000000Z", "GET",
                "/v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets",
                "createdAtFrom=2026-01-01T09:00&createdAtTo=2026-01-01T10:00&maxPerPage=50&searchType=timeFrame&status=ACCEPT");
        assertThat(request.build().headers().firstValue("Authorization")).hasValueSatisfying(h -> assertThat(h).endsWith("signature=" + expected));
        assertThat(request.build().headers().firstValue("X-EXTENDED-TIMEOUT")).contains("10000");
    }

    @Test
    void missing_credentials_are_final_and_an_unreachable_secret_store_is_retryable_and_nothing_is_signed() throws Exception {
        // GIVEN a seller without keys, and a store that does not answer
        CoupangAdapter none = Coupang.adapter(Coupang.environment(dir, BASE), CredentialSource.NONE, Coupang.VECTOR_CLOCK);
        CoupangAdapter down = Coupang.adapter(Coupang.environment(dir, BASE), (m, s) -> {
            throw CredentialsUnavailableException.unreachable(m, s, new java.net.SocketTimeoutException("read timed out"));
        }, Coupang.VECTOR_CLOCK);
        PlannedCall list = listCall();
        HttpRequest.Builder request = HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true);

        // WHEN / THEN
        assertThat(none.authorize(list, request, noTokenCalls())).hasValueSatisfying(o -> assertThat(o)
                .isEqualTo(new CallOutcome.Fatal("no credentials are registered for seller seller-1 of market coupang "
                        + "(register them with POST /v1/sellers or marketgate sellers add)")));
        assertThat(down.authorize(list, request, noTokenCalls())).hasValueSatisfying(o -> assertThat(o)
                .isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                        .isEqualTo("the credentials of seller seller-1 of market coupang could not be read: SocketTimeoutException")));
        assertThat(request.build().headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void keys_registered_for_another_vendor_are_final_before_anything_is_sent() throws Exception {
        CoupangAdapter other = Coupang.adapter(Coupang.environment(dir, BASE),
                Coupang.source(Coupang.credentials("A00099999", Coupang.ACCESS_KEY, Coupang.SECRET_KEY)), Coupang.VECTOR_CLOCK);
        PlannedCall list = listCall();

        Optional<CallOutcome> refused = other.authorize(list, HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true), noTokenCalls());

        assertThat(refused).hasValueSatisfying(o -> assertThat(o).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("registered the keys of vendor A00099999, but the call is for vendor A00012345")));
    }

    // ---- list pages

    @Test
    void a_page_of_sheets_is_ok_with_one_order_per_shipment_box_updated_at_its_korean_payment_time() {
        // GIVEN paid at 10:20:16 in Korea, and a sheet without paidAt
        var withoutPaidAt = Sheets.sheet(448537989L, 22000009546630L, "ACCEPT", "2026-01-01T10:35:04", 3261300431L);
        withoutPaidAt.putNull("paidAt");
        String body = Sheets.list("", Sheets.sheet(448531493L, 22000009546234L, "ACCEPT", "2026-01-01T10:20:16", 3242596358L), withoutPaidAt);

        // WHEN
        CallOutcome outcome = classify(listCall(), 200, body);

        // THEN
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> {
            OrderPage page = (OrderPage) ok.data();
            assertThat(page.orders()).extracting(Order::orderId).containsExactly("448531493", "448537989");
            assertThat(page.orders()).extracting(Order::status).containsOnly("ACCEPT");
            assertThat(page.orders().get(0).updatedAt()).isEqualTo(Instant.parse("2026-01-01T01:20:16Z"));
            assertThat(page.orders().get(1).updatedAt()).as("orderedAt without paidAt").isEqualTo(Instant.parse("2026-01-01T01:35:04Z"));
            assertThat(page.orders().get(0).json()).contains("\"orderId\":22000009546234").contains("\"vendorItemId\":3242596358")
                    .contains("신*희");
            assertThat(page.nextCursor()).contains("INSTRUCT");
        });
    }

    @Test
    void the_code_may_be_a_number_or_a_text_and_the_last_status_with_no_token_ends_the_window() {
        CollectionRequest request = request();
        PlannedCall last = adapter.planPage(request, adapter.windows(request).get(0), Optional.of("FINAL_DELIVERY"));

        CallOutcome outcome = classify(last, 200, "{\"code\":\"200\",\"message\":\"OK\",\"data\":[]}");

        assertThat(outcome).isEqualTo(new CallOutcome.Ok(new OrderPage(List.of(), Optional.empty())));
    }

    @Test
    void a_status_coupang_does_not_list_is_fatal_naming_the_sheet_the_field_and_the_value() {
        String body = Sheets.list("", Sheets.sheet(1L, 2L, "ACCEPT", "2026-01-01T10:20:16", 3L), Sheets.sheet(4L, 5L, "SHIPPED", "2026-01-01T10:20:16", 6L));

        assertThat(classify(listCall(), 200, body)).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.reason()).contains("data[1].status must be one of [ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY, NONE_TRACKING], was string \"SHIPPED\"");
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER);
        });
    }

    @Test
    void fields_of_the_wrong_type_are_fatal_naming_the_field_so_no_order_is_dropped_silently() {
        var textId = Sheets.sheet(1L, 2L, "ACCEPT", "2026-01-01T10:20:16", 3L).put("shipmentBoxId", "1");
        var badTime = Sheets.sheet(1L, 2L, "ACCEPT", "2026-01-01 10:20:16", 3L);
        var badItem = Sheets.sheet(1L, 2L, "ACCEPT", "2026-01-01T10:20:16", 3L);
        ((com.fasterxml.jackson.databind.node.ObjectNode) badItem.get("orderItems").get(0)).put("vendorItemId", "x");

        assertThat(classify(listCall(), 200, Sheets.list("", textId))).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("data[0].shipmentBoxId must be a positive whole number, was string \"1\""));
        assertThat(classify(listCall(), 200, Sheets.list("", badTime))).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("data[0].paidAt must be yyyy-MM-dd'T'HH:mm:ss (Korean time), was string \"2026-01-01 10:20:16\""));
        assertThat(classify(listCall(), 200, Sheets.list("", badItem))).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("data[0].orderItems[0].vendorItemId must be a whole number"));
        assertThat(classify(listCall(), 200, "{\"code\":200,\"message\":\"OK\",\"data\":{}}")).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("'data' must be a list of order sheets"));
        assertThat(classify(listCall(), 200, "{\"code\":200,\"data\":[],\"nextToken\":{\"a\":1}}")).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("nextToken must be a text, was OBJECT"));
    }

    @Test
    void given_a_200_whose_body_is_cut_off_empty_or_a_proxys_page_when_classified_then_it_is_retryable_naming_coupang_and_the_malformed_body() {
        // GIVEN answers that broke on their way: a proxy's page, JSON cut off mid-sheet, an empty body, JSON and garbage
        String page = "<html><body><h1>점검 중</h1> maintenance</body></html>";
        String cut = "{\"code\":200,\"message\":\"OK\",\"data\":[{\"shipmentBoxId\":4485";

        // WHEN each is classified, for a collection page and for a HIGH action's upload
        // THEN each is a transient fault of the transport, with an excerpt of what came
        assertThat(classify(listCall(), 200, page)).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                .isEqualTo("HTTP 200 from Coupang with a malformed body (not JSON: cut off, empty or a proxy's page): " + page));
        assertThat(classify(listCall(), 200, cut)).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).startsWith("HTTP 200 from Coupang with a malformed body").endsWith(": " + cut));
        assertThat(classify(listCall(), 200, "")).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).isEqualTo("HTTP 200 from Coupang with a malformed body (not JSON: cut off, empty or a proxy's page)"));
        assertThat(classify(listCall(), 200, "{\"code\":200,\"data\":[]} trailing")).isInstanceOf(CallOutcome.Retryable.class);
        assertThat(classify(upload(), 200, cut)).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("Coupang with a malformed body"));
    }

    @Test
    void given_a_well_formed_200_that_says_another_code_or_is_no_envelope_when_classified_then_it_is_fatal_with_the_markets_words() {
        // GIVEN well-formed JSON in which Coupang says something final, or a JSON value that is not its envelope
        // WHEN classified, THEN final, with the market's words
        assertThat(classify(listCall(), 200, "{\"code\":500,\"message\":\"Internal error\"}"))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("code 500 (not 200)").contains("Internal error"));
        assertThat(classify(listCall(), 200, "[1,2]")).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).isEqualTo("HTTP 200 with a body that is not Coupang's JSON: [1,2]"));
    }

    @Test
    void a_next_token_that_repeats_the_pages_own_is_fatal_rather_than_a_loop() {
        CollectionRequest request = request();
        PlannedCall page2 = adapter.planPage(request, adapter.windows(request).get(0), Optional.of("ACCEPT:77"));

        assertThat(classify(page2, 200, Sheets.list("77"))).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("nextToken '77' repeats the token of this page"));
    }

    // ---- one sheet

    @Test
    void a_read_of_one_box_is_a_page_of_its_sheet_and_no_sheet_is_fatal() {
        PlannedCall get = adapter.planGetOrder(Coupang.SELLER, "448531493");

        assertThat(classify(get, 200, Sheets.one(Sheets.sheet(448531493L, 22000009546234L, "DELIVERING", "2026-01-01T10:20:16", 1L))))
                .isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> assertThat(((OrderPage) ok.data()).orders())
                        .extracting(Order::orderId, Order::status).containsExactly(org.assertj.core.groups.Tuple.tuple("448531493", "DELIVERING")));
        assertThat(classify(get, 200, "{\"code\":200,\"message\":\"OK\",\"data\":null}"))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("no order sheet in 'data'"));
    }

    // ---- the invoice

    @Test
    void an_invoice_coupang_accepts_is_done() {
        assertThat(classify(upload(), 200, Sheets.invoiceResult(0, 448531493L, true, "OK", null, false)))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
    }

    @Test
    void a_box_that_left_instruct_since_the_lookup_is_retried_so_the_next_lookup_judges_its_sheet() {
        String notSuitable = "shipmentBoxId (448531493)'s status [DEPARTURE] is not suitable for applyInvoice. "
                + "Only INSTRUCT status shipment can be called with applyInvoice";

        assertThat(classify(upload(), 200, Sheets.invoiceResult(99, 448531493L, false, "INVALID_STATUS", notSuitable, false)))
                .isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                        .contains("left INSTRUCT between reading its sheet and uploading the invoice").contains("[DEPARTURE] is not suitable"));
    }

    @Test
    void a_refusal_coupang_marks_retry_required_is_retryable_and_any_other_is_final_with_its_code_and_message() {
        assertThat(classify(upload(), 200, Sheets.invoiceResult(99, 448531493L, false, "UNDEFINED_ERROR_OCCUR", "알수없는 오류", true)))
                .isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("UNDEFINED_ERROR_OCCUR 알수없는 오류"));
        assertThat(classify(upload(), 200, Sheets.invoiceResult(99, 448531493L, false, "ORDER_DELIVERY_CANCELED", "취소된 주문건입니다.", false)))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                        .isEqualTo("Coupang refused the invoice (shipment box 448531493: ORDER_DELIVERY_CANCELED 취소된 주문건입니다.)"));
        assertThat(classify(upload(), 200, Sheets.invoiceResult(99, 448531493L, false, "NOT_ALLOW_INVOICE_NUMBER_RE_UPLOAD",
                "이미 저장된 송장번호가 있어, 송장번호 등록이 불가능합니다.", false)))
                .as("the tracking number is on another box").isInstanceOfSatisfying(CallOutcome.Fatal.class,
                        f -> assertThat(f.reason()).contains("NOT_ALLOW_INVOICE_NUMBER_RE_UPLOAD 이미 저장된 송장번호가 있어"));
        assertThat(classify(upload(), 200, "{\"code\":\"200\",\"message\":\"OK\",\"data\":{\"responseCode\":99,\"responseMessage\":\"FAILED\",\"responseList\":[]}}"))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("responseCode 99 FAILED"));
        assertThat(classify(upload(), 200, "{\"code\":\"200\",\"message\":\"OK\",\"data\":[]}"))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("numeric responseCode"));
    }

    @Test
    void a_box_that_left_with_this_invoice_is_done_as_already_applied_and_otherwise_the_sheets_state_is_the_final_reason() {
        // GIVEN the action's call is the sheet read again (the lookup did not find it INSTRUCT)
        PlannedCall confirm = adapter.plan(SHIP);
        var sheet = Sheets.sheet(448531493L, 22000009546234L, "INSTRUCT", "2026-01-01T10:20:16", 3242596358L);

        // WHEN / THEN
        assertThat(classify(confirm, 200, Sheets.one(Sheets.shipped(sheet.deepCopy(), "DELIVERING", "340010913442"))))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(classify(confirm, 200, Sheets.one(Sheets.shipped(sheet.deepCopy(), "DEPARTURE", "999"))))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                        .contains("shipment box 448531493 is DEPARTURE already, with invoice '999' of CJ 대한통운, not '340010913442'")
                        .contains("updateInvoices"));
        assertThat(classify(confirm, 200, Sheets.one(sheet.deepCopy().put("status", "ACCEPT"))))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("is ACCEPT (paid, not yet acknowledged)")
                        .contains("acknowledge the order first"));
        assertThat(classify(confirm, 200, Sheets.one(sheet.deepCopy())))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("MarketClient.execute(action)"));
    }

    // ---- errors

    @Test
    void a_429_throttles_every_budget_of_the_call_for_the_budgets_own_cool_down() {
        assertThat(classify(listCall(), 429, "{\"code\":429,\"message\":\"Too Many Requests\"}"))
                .isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
                    assertThat(t.retryAfter()).isEmpty();
                    assertThat(t.budgets()).containsExactly("coupang/vendor:A00012345", "coupang/ordersheets");
                    assertThat(t.reason()).contains("Too Many Requests");
                });
    }

    @Test
    void a_refused_signature_an_unknown_access_key_or_a_bad_hmac_format_rejects_the_sellers_credentials() {
        for (String message : List.of("Invalid signature.", "HMAC format is invalid.", "Request is not authorized.",
                "Unknown error occurred, please contact api-gateway channel for the details.")) {
            String body = "{\"code\":\"ERROR\",\"message\":\"" + message + "\",\"transactionId\":\"5c2d6f0e-1\"}";
            assertThat(classify(listCall(), 401, body)).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
                assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
                assertThat(f.reason()).startsWith("HTTP 401: Coupang rejected the seller's keys").contains(message);
            });
        }
    }

    @Test
    void an_expired_signature_is_retryable_and_names_the_clock() {
        assertThat(classify(listCall(), 401, "{\"code\":\"ERROR\",\"message\":\"Specified signature is expired.\",\"transactionId\":\"t\"}"))
                .isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                        .contains("signed-date too far from its clock").contains("check this host's clock").contains("Specified signature is expired."));
    }

    @Test
    void a_403_naming_a_not_allowed_ip_is_final_for_the_address_an_edge_block_passes_and_another_403_is_final() {
        assertThat(classify(listCall(), 403, "{\"code\":\"ERROR\",\"message\":\"[FORBIDDEN] Not allowed IP (203.0.113.9)\"}"))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
                    assertThat(f.cause()).isEqualTo(CallOutcome.Cause.IP_NOT_ALLOWED);
                    assertThat(f.reason()).contains("register the egress IPs in WING").contains("203.0.113.9");
                });
        assertThat(classify(listCall(), 403, "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n"
                + "You don't have permission to access \"http://api-gateway.coupang.com/v2/…\" on this server.<P>\n"
                + "Reference #18.3c61ca17.1701137054.1f34800d\n</BODY>\n</HTML>\n"))
                .isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                        .contains("HTTP 403 Access Denied").contains("<TITLE>Access Denied</TITLE> </HEAD>"));
        assertThat(classify(listCall(), 403, "{\"code\":\"ERROR\",\"message\":\"vendor mismatch\"}"))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER));
    }

    @Test
    void a_validation_error_and_other_client_errors_are_final_with_the_markets_words() {
        assertThat(classify(listCall(), 400, "{\"code\":400,\"message\":\"[code: VALIDATION , error : createdAtTo is invalid]\"}"))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                        .isEqualTo("HTTP 400: Coupang refused the request: {\"code\":400,\"message\":\"[code: VALIDATION , error : createdAtTo is invalid]\"}"));
        assertThat(classify(listCall(), 404, "")).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("HTTP 404: no such resource at Coupang (GET /coupang/v2/"));
        assertThat(classify(listCall(), 410, "expired API")).isInstanceOf(CallOutcome.Fatal.class);
    }

    @Test
    void server_errors_gateway_timeouts_and_408_are_retryable() {
        for (int status : List.of(500, 502, 503, 504, 408)) {
            assertThat(classify(listCall(), status, "upstream")).as("HTTP " + status).isInstanceOf(CallOutcome.Retryable.class);
        }
    }

    @Test
    void no_key_is_in_any_outcome_even_when_the_market_echoes_one() throws Exception {
        // GIVEN a call signed with the seller's keys, and answers that echo them
        PlannedCall list = listCall();
        adapter.authorize(list, HttpRequest.newBuilder(PlannedRequests.of(list), (n, v) -> true), noTokenCalls());
        String echo = "access-key=" + Coupang.ACCESS_KEY + " secret " + Coupang.SECRET_KEY;

        // WHEN every kind of answer
        for (int status : List.of(200, 400, 401, 403, 429, 500)) {
            outcomes.add(adapter.classify(list, Answer.of(status, "{\"code\":\"ERROR\",\"message\":\"" + echo + "\"}")));
        }
        outcomes.add(adapter.classify(list, Answer.of(200, "<html>" + echo + "</html>")));

        // THEN
        assertThat(outcomes).hasSize(7).allSatisfy(o -> assertThat(o.toString())
                .doesNotContain(Coupang.ACCESS_KEY).doesNotContain(Coupang.SECRET_KEY).contains("access-key=****"));
    }

    // ---- helpers

    private CallOutcome classify(PlannedCall call, int status, String body) {
        return adapter.classify(call, Answer.of(status, body));
    }

    private PlannedCall listCall() {
        CollectionRequest request = request();
        return adapter.plan(request).get(0);
    }

    private PlannedCall upload() {
        return adapter.plan(SHIP, instructPage());
    }

    private static OrderPage instructPage() {
        Order sheet = new Order("448531493", "INSTRUCT", io.marketgate.market.OrderStatus.PREPARING, T0, Sheets.sheet(448531493L, 22000009546234L, "INSTRUCT",
                "2026-01-01T10:20:16", 3242596358L).toString());
        return new OrderPage(List.of(sheet), Optional.empty());
    }

    private static CollectionRequest request() {
        return new CollectionRequest("coupang", Coupang.SELLER, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
    }

    private static io.marketgate.market.MarketAdapter.AuthCalls noTokenCalls() {
        return call -> {
            throw new AssertionError("Coupang makes no token calls, but made " + call);
        };
    }
}
