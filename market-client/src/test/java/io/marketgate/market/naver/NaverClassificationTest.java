package io.marketgate.market.naver;

import static io.marketgate.market.naver.NaverFixture.SIM_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.CachedToken;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the Naver adapter classifies what a scripted Naver on loopback answers, through a real client and limiter: data,
 * every gateway answer, the token request's answers, dispatch's, and bodies that are not the protocol's.
 */
class NaverClassificationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofMillis(500);
    private static final Seller SELLER = Seller.of("s-1");
    private static final String LIST = "last-changed-statuses";

    @TempDir
    Path dir;

    private ScriptedNaver naver;
    private NaverFixture fx;
    private PriorityLimiter limiter;
    private MarketClient client;

    @BeforeEach
    void start() throws Exception {
        naver = ScriptedNaver.start();
        fx = NaverFixture.of(dir, naver.baseUrl(), Clock.systemUTC()).self("s-1", "app-1", SIM_SECRET);
        limiter = fx.limiter();
        client = fx.client(limiter);
    }

    @AfterEach
    void stop() {
        naver.close();
        fx.close();
    }

    // ---- data

    @Test
    void a_list_page_and_the_query_of_its_ids_make_one_page_of_product_orders_dated_by_their_last_change() throws Exception {
        // GIVEN a page of two product orders with more after it, their details (one dispatched since), then an empty page
        naver.answer(LIST, 200, list(item("2026110100000001", "PAYED", "2026-11-01T09:10:00.001+09:00")
                + "," + item("2026110100000002", "PAYED", "2026-11-01T09:20:00.000+09:00"),
                "{\"moreFrom\":\"2026-11-01T09:20:00.000+09:00\",\"moreSequence\":\"2026110100000002\"}"));
        naver.answer("query", 200, query(entry("2026110100000002", "DELIVERING") + "," + entry("2026110100000001", "PAYED")));
        List<OrderPage> pages = new ArrayList<>();

        // WHEN
        CollectionResult result = client.collect(request(), Priority.MEDIUM, MAX_WAIT, (call, page) -> pages.add(page));

        // THEN
        assertThat(result).isEqualTo(new CollectionResult.Completed(2, 2));
        List<Order> orders = pages.get(0).orders();
        assertThat(orders).extracting(Order::orderId).containsExactly("2026110100000001", "2026110100000002");
        assertThat(orders).extracting(Order::status).containsExactly("PAYED", "DELIVERING");
        assertThat(orders.get(0).updatedAt()).isEqualTo(Instant.parse("2026-11-01T00:10:00.001Z"));
        assertThat(orders.get(1).json()).contains("\"productOrder\":{\"productOrderId\":\"2026110100000002\"")
                .contains("\"order\":{\"orderId\":\"3026110100000002\"");
        assertThat(pages.get(0).nextCursor()).contains("2026-11-01T09:20:00.000+09:00|2026110100000002");
        assertThat(naver.requests()).extracting(ScriptedNaver.Seen::api).containsExactly("token", LIST, "query", LIST);
        assertThat(naver.requests("query").get(0).body()).isEqualTo("{\"productOrderIds\":[\"2026110100000001\",\"2026110100000002\"]}");
        assertThat(naver.requests(LIST).get(1).rawQuery()).contains("lastChangedFrom=2026-11-01T09%3A20%3A00.000%2B09%3A00")
                .endsWith("&moreSequence=2026110100000002");
        assertThat(naver.requests(LIST)).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer tok-1"));
    }

    @Test
    void a_query_that_leaves_out_a_listed_product_order_stops_the_collection_naming_it() throws Exception {
        naver.answer(LIST, 200, list(item("2026110100000001", "PAYED", "2026-11-01T09:10:00.000+09:00")
                + "," + item("2026110100000002", "PAYED", "2026-11-01T09:20:00.000+09:00"), null));
        naver.answer("query", 200, query(entry("2026110100000001", "PAYED")));
        List<OrderPage> pages = new ArrayList<>();

        CollectionResult result = client.collect(request(), Priority.MEDIUM, MAX_WAIT, (call, page) -> pages.add(page));

        assertThat(result).isInstanceOfSatisfying(CollectionResult.Stopped.class, s -> {
            assertThat(s.outcome()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f ->
                    assertThat(f.reason()).contains("the query left out 1 of the 2 listed product orders: 2026110100000002"));
            assertThat(s.resumeAt().path()).endsWith(LIST);
        });
        assertThat(pages).isEmpty();
    }

    @Test
    void one_order_read_again_is_a_page_of_it_dated_by_the_answer_or_empty_when_naver_has_none() throws Exception {
        naver.answer("query", 200, query(entry("2026110100000007", "PURCHASE_DECIDED")));

        CallOutcome found = client.execute(fx.adapter().planGetOrder(SELLER, "2026110100000007"), Priority.MEDIUM, MAX_WAIT);
        CallOutcome none = client.execute(fx.adapter().planGetOrder(SELLER, "2026110100000008"), Priority.MEDIUM, MAX_WAIT);

        assertThat(found).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> {
            Order order = ((OrderPage) ok.data()).orders().get(0);
            assertThat(order.orderId()).isEqualTo("2026110100000007");
            assertThat(order.status()).isEqualTo("PURCHASE_DECIDED");
            assertThat(order.updatedAt()).isEqualTo(Instant.parse("2026-11-01T03:00:00Z"));
        });
        assertThat(none).isEqualTo(new CallOutcome.Ok(new OrderPage(List.of(), Optional.empty())));
    }

    // ---- the gateway

    @Test
    void a_rate_limit_429_cools_the_calls_endpoint_budget_for_the_buckets_refill_with_the_headers_in_the_reason() throws Exception {
        // GIVEN
        naver.answer(LIST, 429, gateway("GW.RATE_LIMIT", "요청이 많아 서비스를 일시적으로 사용할 수 없습니다."),
                "GNCP-GW-RateLimit-Replenish-Rate", "2", "GNCP-GW-RateLimit-Burst-Capacity", "4",
                "GNCP-GW-RateLimit-Remaining", "0", "GNCP-GW-Trace-ID", "trace-9");

        // WHEN
        Instant before = Instant.now();
        CallOutcome outcome = list();

        // THEN Naver's bucket is per API and application: the endpoint budget, not the seller's
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).contains(Duration.ofSeconds(2));
            assertThat(t.budgets()).containsExactly("naver/changed");
            assertThat(t.reason()).contains("HTTP 429 GW.RATE_LIMIT").contains("GNCP-GW-RateLimit-Replenish-Rate=2")
                    .contains("GNCP-GW-RateLimit-Burst-Capacity=4").contains("GNCP-GW-RateLimit-Remaining=0");
        });
        assertThat(limiter.control().status("naver/changed").coolingDownUntil()).hasValueSatisfying(until ->
                assertThat(until).isAfter(before.plusMillis(1500)).isBefore(before.plusSeconds(5)));
        assertThat(limiter.control().status("naver/seller:s-1").coolingDownUntil()).isEmpty();
    }

    @Test
    void a_quota_429_cools_every_budget_of_the_call_for_the_quotas_period() throws Exception {
        naver.answer(LIST, 429, gateway("GW.QUOTA_LIMIT", "할당된 시간당 요청량을 초과하였습니다."),
                "GNCP-GW-Quota-Period", "HOURS", "GNCP-GW-Quota-Limit", "1", "GNCP-GW-Quota-Remaining", "0");

        Instant before = Instant.now();
        CallOutcome outcome = list();

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).contains(Duration.ofHours(1));
            assertThat(t.budgets()).containsExactly("naver/changed", "naver/seller:s-1");
            assertThat(t.reason()).contains("GW.QUOTA_LIMIT").contains("GNCP-GW-Quota-Limit=1");
        });
        assertThat(limiter.control().status("naver/seller:s-1").coolingDownUntil()).hasValueSatisfying(until ->
                assertThat(until).isAfter(before.plus(Duration.ofMinutes(59))));
    }

    @Test
    void a_429_without_a_known_code_cools_every_budget_for_their_default() throws Exception {
        naver.answer(LIST, 429, "");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).isEmpty();
            assertThat(t.budgets()).containsExactly("naver/changed", "naver/seller:s-1");
        });
    }

    @Test
    void a_token_refused_twice_is_fetched_again_once_and_then_fails_as_rejected_credentials() throws Exception {
        // GIVEN the list call is answered 401 GW.AUTHN with the first token and with the fresh one
        naver.answer(LIST, 401, gateway("GW.AUTHN", "요청을 보낼 권한이 없습니다."));
        naver.answer(LIST, 401, gateway("GW.AUTHN", "요청을 보낼 권한이 없습니다."));

        // WHEN
        CallOutcome outcome = list();

        // THEN one refetch and one repeat, with the new token
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("freshly fetched").contains("GW.AUTHN");
        });
        assertThat(naver.requests()).extracting(ScriptedNaver.Seen::api).containsExactly("token", LIST, "token", LIST);
        assertThat(naver.requests(LIST)).extracting(ScriptedNaver.Seen::authorization).containsExactly("Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void an_ip_address_naver_does_not_allow_is_fatal_with_its_cause_and_another_403_is_fatal() throws Exception {
        naver.answer(LIST, 403, gateway("GW.IP_NOT_ALLOWED", "호출이 허용되지 않은 IP입니다."));
        naver.answer(LIST, 403, "{\"code\":\"INVALID_STORE_STATUS\",\"message\":\"store is closed\",\"timestamp\":\"x\"}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.IP_NOT_ALLOWED);
            assertThat(f.reason()).contains("GW.IP_NOT_ALLOWED").contains("호출이 허용되지 않은 IP입니다.");
        });
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER);
            assertThat(f.reason()).contains("HTTP 403 INVALID_STORE_STATUS: store is closed");
        });
    }

    @Test
    void a_400_names_the_invalid_inputs() throws Exception {
        naver.answer(LIST, 400, "{\"code\":\"BadRequest\",\"message\":\"bad range\",\"timestamp\":\"x\",\"traceId\":\"tr-4\","
                + "\"invalidInputs\":[{\"name\":\"lastChangedTo\",\"type\":\"Invalid\",\"message\":\"at most 24 hours\"}]}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("invalid inputs: lastChangedTo (Invalid): at most 24 hours")
                .contains("HTTP 400 BadRequest: bad range (traceId tr-4)"));
    }

    @Test
    void server_errors_and_the_gateways_proxy_block_and_timeout_codes_are_retryable() throws Exception {
        naver.answer(LIST, 500, gateway("GW.PROXY.01", "일시적인 오류가 발생했습니다."));
        naver.answer(LIST, 503, gateway("GW.BLOCK.01", "일시적인 오류가 발생했습니다."));
        naver.answer(LIST, 504, gateway("GW.TIMEOUT.02", "일시적인 오류가 발생했습니다."));
        naver.answer(LIST, 502, "<html><body>Bad Gateway</body></html>");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("GW.PROXY.01"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("GW.BLOCK.01"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("GW.TIMEOUT.02"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("Bad Gateway"));
    }

    @Test
    void given_a_200_whose_body_is_not_json_at_all_when_classified_then_it_is_retryable_naming_naver_and_the_malformed_body() throws Exception {
        // GIVEN 200s that broke on their way: a proxy's page, JSON cut off, an empty body, two JSON values
        String[][] cases = {
                {"<html><body>점검 중입니다</body></html>", ": <html><body>점검 중입니다</body></html>"},
                {"{\"data\":{\"lastChangeStatuses\":[{\"productOrderId\":\"1\"", ": {\"data\":{\"lastChangeStatuses\":[{"},
                {"", "last-changed-statuses"},
                {"{\"data\":{}} {\"data\":{}}", ": {\"data\":{}} {\"data\":{}}"},
        };
        for (String[] c : cases) {
            naver.answer(LIST, 200, c[0]);

            // WHEN a collection page is classified
            CallOutcome outcome = list();

            // THEN a transient fault of the transport, with an excerpt of what came
            assertThat(outcome).as(c[0]).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                    .startsWith("HTTP 200 from Naver with a malformed body (not JSON: cut off, empty or a proxy's page) to GET "
                            + "/naver/external/v1/pay-order/seller/product-orders/last-changed-statuses").contains(c[1]));
        }
    }

    @Test
    void given_well_formed_json_that_is_not_the_protocols_when_classified_then_it_is_fatal_with_navers_words_never_an_exception() throws Exception {
        String[][] cases = {
                {list("{\"productOrderId\":2026110100000001,\"productOrderStatus\":\"PAYED\",\"lastChangedDate\":"
                        + "\"2026-11-01T09:10:00.000+09:00\"}", null), "data.lastChangeStatuses[0].productOrderId must be a non-empty text",
                        "2026110100000001"},
                {list(item("2026110100000001", "SHIPPED_TO_MARS", "2026-11-01T09:10:00.000+09:00"), null),
                        "data.lastChangeStatuses[0].productOrderStatus 'SHIPPED_TO_MARS' is not one of Naver's product-order states", "SHIPPED_TO_MARS"},
                {list(item("2026110100000001", "PAYED", "yesterday"), null), "data.lastChangeStatuses[0].lastChangedDate must be an ISO-8601 date-time", "yesterday"},
                {"{\"data\":[]}", "data is not an object", ""},
                {list("", "{\"moreFrom\":\"2026-11-01T09:20:00.000+09:00\"}"), "data.more.moreSequence must be a text", "moreFrom"},
                {"{\"data\":{\"lastChangeStatuses\":{}}}", "lastChangeStatuses is not a list", ""},
                {"[{\"data\":{}}]", "the body is not a JSON object", ""},
        };
        for (String[] c : cases) {
            naver.answer(LIST, 200, c[0]);
            assertThat(list()).as(c[0]).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                    .startsWith("Naver's answer to GET /naver/external/v1/pay-order/seller/product-orders/last-changed-statuses "
                            + "is not its protocol's (" + c[1]).contains(c[2]));
        }
    }

    @Test
    void a_more_that_points_at_the_page_itself_is_fatal_rather_than_a_loop() throws Exception {
        String cursor = "2026-11-01T09:20:00.000+09:00|2026110100000002";
        PlannedCall page = fx.adapter().planPage(request(), fx.adapter().windows(request()).get(0), Optional.of(cursor));
        naver.answer(LIST, 200, list("", "{\"moreFrom\":\"2026-11-01T09:20:00.000+09:00\",\"moreSequence\":\"2026110100000002\"}"));

        assertThat(client.execute(page, Priority.MEDIUM, MAX_WAIT)).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("paging would not advance"));
    }

    // ---- the token request

    @Test
    void a_token_is_cached_until_30_minutes_before_it_expires() throws Exception {
        Instant before = Instant.now();
        list();

        CachedToken token = fx.tokenCache.get("naver:app-1:SELF:-").orElseThrow();
        assertThat(token.value()).isEqualTo("tok-1");
        assertThat(token.expiresAt()).isBetween(before.plus(Duration.ofHours(3)), Instant.now().plus(Duration.ofHours(3)));
        assertThat(Duration.between(token.renewAfter(), token.expiresAt())).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void a_refused_sign_or_client_fails_the_call_as_rejected_credentials() throws Exception {
        naver.answer("token", 400, "{\"code\":\"BadRequest\",\"message\":\"client_secret_sign 항목이 유효하지 않습니다.\","
                + "\"invalidInputs\":[{\"name\":\"client_secret_sign\",\"type\":\"Invalid\",\"message\":\"invalid\"}]}");
        naver.answer("token", 403, "{\"code\":\"ROLE_NOT_FOUND\",\"message\":\"no SELLER tokens for this application\"}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("invalid inputs: client_secret_sign");
        });
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("ROLE_NOT_FOUND");
        });
        assertThat(naver.requests(LIST)).as("no call without a token").isEmpty();
    }

    @Test
    void a_refused_timestamp_is_the_clock_and_may_pass() throws Exception {
        naver.answer("token", 400, "{\"code\":\"BadRequest\",\"message\":\"timestamp항목의 유효 시간이 만료되었습니다.\","
                + "\"invalidInputs\":[{\"name\":\"timestamp\",\"type\":\"Invalid\",\"message\":\"expired\"}]}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("clock").contains("timestamp항목의 유효 시간이 만료되었습니다."));
        assertThat(list()).as("the next call fetches a token and succeeds").isInstanceOf(CallOutcome.Ok.class);
    }

    @Test
    void a_throttled_token_request_cools_the_token_budget_and_stands_for_the_call() throws Exception {
        naver.answer("token", 429, gateway("GW.RATE_LIMIT", "요청이 많아 서비스를 일시적으로 사용할 수 없습니다."),
                "GNCP-GW-RateLimit-Replenish-Rate", "2", "GNCP-GW-RateLimit-Burst-Capacity", "4");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Throttled.class,
                t -> assertThat(t.budgets()).containsExactly("naver/token"));
        assertThat(limiter.control().status("naver/token").coolingDownUntil()).isPresent();
        assertThat(naver.requests(LIST)).isEmpty();
    }

    @Test
    void a_token_answer_that_is_not_the_protocols_is_fatal() throws Exception {
        naver.answer("token", 200, "{\"expires_in\":10800,\"token_type\":\"Bearer\"}");
        naver.answer("token", 200, "{\"access_token\":\"tok-x\",\"expires_in\":\"10800\",\"token_type\":\"Bearer\"}");

        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("access_token is missing"));
        assertThat(list()).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("expires_in must be a positive number").doesNotContain("tok-x"));
    }

    @Test
    void a_market_echoing_the_token_the_secret_or_a_sign_does_not_put_them_into_the_outcome() throws Exception {
        list(); // tok-1 is cached
        String sign = NaverAccount.sign("app-1", 1_767_225_600_000L, SIM_SECRET);
        naver.answer(LIST, 400, "{\"code\":\"BadRequest\",\"message\":\"Bearer tok-1 and " + SIM_SECRET + " and " + sign + " refused\"}");

        CallOutcome outcome = list();

        assertThat(outcome.toString()).doesNotContain("tok-1").doesNotContain(SIM_SECRET).doesNotContain(sign)
                .contains("Bearer **** and **** and **** refused");
    }

    // ---- dispatch

    @Test
    void a_dispatched_product_order_is_done_and_one_already_dispatched_is_done_as_already_applied() throws Exception {
        naver.answer("dispatch", 200, "{\"data\":{\"successProductOrderIds\":[\"2026110100000007\"],\"failProductOrderInfos\":[]}}");
        naver.answer("dispatch", 200, "{\"data\":{\"successProductOrderIds\":[],\"failProductOrderInfos\":[{\"productOrderId\":"
                + "\"2026110100000007\",\"code\":\"105306\",\"message\":\"이미 발송처리된 상품주문입니다.\"}]}}");
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(SELLER, "2026110100000007", "CJGLS", "123456789012");

        assertThat(client.execute(ship, MAX_WAIT)).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(client.execute(ship, MAX_WAIT)).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(naver.requests("dispatch")).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.body()).contains("\"deliveryCompanyCode\":\"CJGLS\"");
        });
    }

    @Test
    void a_dispatch_refused_for_another_reason_is_fatal_with_navers_code_and_message() throws Exception {
        naver.answer("dispatch", 200, "{\"data\":{\"failProductOrderInfos\":[{\"productOrderId\":\"2026110100000007\","
                + "\"code\":\"104442\",\"message\":\"상품주문 상태를 확인해 주세요. (CANCELED)\"}]}}");
        naver.answer("dispatch", 200, "{\"data\":{\"successProductOrderIds\":[\"2026110100000008\"]}}");
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(SELLER, "2026110100000007", "CJGLS", "123456789012");

        assertThat(client.execute(ship, MAX_WAIT)).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .isEqualTo("Naver did not dispatch product order 2026110100000007: code 104442: 상품주문 상태를 확인해 주세요. (CANCELED)"));
        assertThat(client.execute(ship, MAX_WAIT)).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("neither data.successProductOrderIds nor data.failProductOrderInfos names product order 2026110100000007"));
    }

    // ---- helpers

    private CallOutcome list() throws InterruptedException {
        return client.execute(fx.adapter().plan(request()).get(0), Priority.MEDIUM, MAX_WAIT);
    }

    private static CollectionRequest request() {
        return new CollectionRequest("naver", SELLER, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
    }

    private static String item(String id, String status, String changed) {
        return "{\"orderId\":\"3" + id.substring(1) + "\",\"productOrderId\":\"" + id + "\",\"lastChangedType\":\"PAYED\","
                + "\"lastChangedDate\":\"" + changed + "\",\"productOrderStatus\":\"" + status + "\",\"receiverAddressChanged\":false}";
    }

    private static String list(String items, String more) {
        return "{\"timestamp\":\"2026-11-01T09:00:00.000+09:00\",\"traceId\":\"t-1\",\"data\":{\"lastChangeStatuses\":[" + items
                + "],\"count\":" + (items.isEmpty() ? 0 : items.split("productOrderId").length - 1)
                + (more == null ? "" : ",\"more\":" + more) + "}}";
    }

    private static String entry(String id, String status) {
        return "{\"order\":{\"orderId\":\"3" + id.substring(1) + "\",\"ordererName\":\"홍길동\"},\"productOrder\":{\"productOrderId\":\""
                + id + "\",\"productOrderStatus\":\"" + status + "\",\"quantity\":1}}";
    }

    private static String query(String entries) {
        return "{\"timestamp\":\"2026-11-01T12:00:00.000+09:00\",\"traceId\":\"t-2\",\"data\":[" + entries + "]}";
    }

    private static String gateway(String code, String message) {
        return "{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"timestamp\":\"2026-11-01T09:00:00.000+09:00\","
                + "\"traceId\":\"gw-1\"}";
    }
}
