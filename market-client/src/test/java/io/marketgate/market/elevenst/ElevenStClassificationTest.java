package io.marketgate.market.elevenst;

import static io.marketgate.market.elevenst.Xml.MS949;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the 11st adapter reads each answer 11st gives: the bodies are the shapes of 11st's documentation and of public
 * clients' fixtures, encoded as 11st encodes them and decoded with the charset the adapter picks, as the client's sender
 * does. No network.
 */
class ElevenStClassificationTest {

    private static final String BASE = "http://127.0.0.1:9/11st/rest";
    private static final Instant DAY = Instant.parse("2020-01-05T00:00:00Z");
    private static final String LINE = "202001050486555-7-1420484760";
    private static final String XML_EUC_KR = "text/xml;charset=EUC-KR";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ElevenStAdapter adapter;

    @BeforeEach
    void adapter() throws IOException {
        adapter = ElevenSt.adapter(ElevenSt.environment(dir, BASE, "1d"), ElevenSt.source(ElevenSt.credentials(ElevenSt.KEY)),
                ElevenSt.CLOCK);
    }

    // ---- lists

    @Test
    void a_stage_list_in_euc_kr_becomes_one_order_per_line_keyed_by_order_line_and_delivery() throws Exception {
        // GIVEN two lines of the packaging sample, encoded as 11st does (MS949, labelled EUC-KR)
        String body = Xml.orders(Xml.line("202001050486555", "7", "1420484760", "301", "2020-01-05 21:44:21"),
                Xml.line("202001050503265", "1", "1420497378", "301", "2020-01-05 22:10:57"));

        // WHEN the first call of the walk is answered
        CallOutcome outcome = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR, body, MS949));

        // THEN two orders, in the market's order, the next stage as cursor
        OrderPage page = page(outcome);
        assertThat(page.nextCursor()).contains("packaging");
        assertThat(page.orders()).extracting(Order::orderId).containsExactly(LINE, "202001050503265-1-1420497378");
        Order first = page.orders().get(0);
        assertThat(first.status()).isEqualTo("301");
        assertThat(first.updatedAt()).as("ordStlEndDt in Korean time").isEqualTo(Instant.parse("2020-01-05T12:44:21Z"));
        JsonNode json = JSON.readTree(first.json());
        assertThat(json.get("prdNm").asText()).isEqualTo("[텐바이텐] Dot cherry bear-ipad pouch(아이패드 파우치) 똠");
        assertThat(json.get("dlvEtprsCd").asText()).as("whitespace-only element").isEmpty();
        assertThat(json.get("rcvrBaseAddr").asText()).isEqualTo("경기도 안산시 단원구");
        assertThat(json.get("ordNo").asText()).isEqualTo("202001050486555");
    }

    @Test
    void a_body_whose_content_type_names_no_charset_is_read_as_euc_kr_and_one_naming_utf_8_as_utf_8() {
        String body = Xml.orders(Xml.line("202001050486555", "7", "1420484760", "202", "2020-01-05 21:44:21"));

        OrderPage unlabelled = page(adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, "text/xml", body, MS949)));
        OrderPage noHeader = page(adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, null, body, MS949)));
        OrderPage utf8 = page(adapter.classify(list(Optional.empty()),
                XmlAnswer.of(adapter, 200, "application/xml; charset=UTF-8", body, StandardCharsets.UTF_8)));

        for (OrderPage page : List.of(unlabelled, noHeader, utf8)) {
            assertThat(page.orders()).singleElement().satisfies(o -> assertThat(o.json()).contains("아이패드 파우치) 똠"));
        }
    }

    @Test
    void eleven_sts_no_results_is_an_empty_page_and_the_last_stage_ends_the_window() {
        CallOutcome first = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.noResults(), MS949));
        CallOutcome last = adapter.classify(list(Optional.of("dlvcompleted")),
                XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.noResults(), MS949));
        CallOutcome bare = adapter.classify(list(Optional.of("shipping")),
                XmlAnswer.of(adapter, 200, XML_EUC_KR, "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\"/>", MS949));

        assertThat(page(first)).isEqualTo(new OrderPage(List.of(), Optional.of("packaging")));
        assertThat(page(last)).isEqualTo(new OrderPage(List.of(), Optional.empty()));
        assertThat(page(bare)).isEqualTo(new OrderPage(List.of(), Optional.of("dlvcompleted")));
    }

    @Test
    void result_code_004_in_an_http_200_answer_is_a_throttle_of_every_budget_of_the_call() {
        PlannedCall call = list(Optional.empty());

        CallOutcome outcome = adapter.classify(call, XmlAnswer.of(adapter, 200, XML_EUC_KR,
                Xml.result("004", "허용된 호출량을 초과하였습니다."), MS949));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).isEmpty();
            assertThat(t.budgets()).containsExactly("11st/pace:seller-1", "11st/key:seller-1");
            assertThat(t.reason()).contains("result code 004 허용된 호출량을 초과하였습니다.");
        });
    }

    @Test
    void an_unknown_key_is_rejected_credentials_in_11sts_words() {
        CallOutcome unknown = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR,
                Xml.result("-997", "등록된 API 정보가 존재하지 않습니다"), MS949));
        CallOutcome older = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR,
                "<ResultOrder><resultCode>-1</resultCode><resultMessage>인증키 오류</resultMessage></ResultOrder>", MS949));

        assertThat(unknown).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED);
            assertThat(f.reason()).contains("result code -997 등록된 API 정보가 존재하지 않습니다");
        });
        assertThat(older).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.cause())
                .isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED));
    }

    @Test
    void http_500_with_the_auth_message_minus_500_is_an_ip_refusal_and_other_500s_may_pass() {
        CallOutcome ip = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 500, XML_EUC_KR, Xml.ipRefused("121.173.87.51"),
                Xml.EUC_KR));
        CallOutcome https = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 500, XML_EUC_KR,
                "<AuthMessage><resultCode>-400</resultCode><resultMessage>SSL 통신만 허용됩니다.</resultMessage></AuthMessage>", MS949));
        CallOutcome page = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 503, "text/html",
                "<html><body>Service Unavailable</body></html>", MS949));
        CallOutcome empty = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 502, null, "", MS949));

        assertThat(ip).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.IP_NOT_ALLOWED);
            assertThat(f.reason()).contains("[121.173.87.51]인증된 IP가 아닙니다. 등록된 IP 정보를 확인하십시오.");
        });
        assertThat(https).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER);
            assertThat(f.reason()).contains("SSL 통신만 허용됩니다.");
        });
        assertThat(page).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("HTTP 503"));
        assertThat(empty).isInstanceOf(CallOutcome.Retryable.class);
    }

    @Test
    void given_a_maintenance_page_in_place_of_the_xml_when_classified_then_it_is_retryable_as_a_malformed_body_with_its_words() {
        // GIVEN a 200 whose body is a web page, not 11st's XML
        String page = "<!DOCTYPE html><html><head><title>11번가</title></head><body>시스템 점검 중입니다. 02:00~06:00</body></html>";

        // WHEN a collection page is classified
        CallOutcome outcome = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, "text/html;charset=EUC-KR", page, MS949));

        // THEN it may pass: retried, with the page's words
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                .startsWith("11st answered with a malformed body (a web page instead of its XML").contains("시스템 점검 중입니다"));
    }

    @Test
    void given_a_200_whose_body_does_not_parse_as_xml_when_classified_then_it_is_retryable_with_an_excerpt_and_never_an_exception() {
        // GIVEN 200s that broke on their way: XML cut off, text, an empty body; and one with a DTD, which is never read
        String truncated = Xml.orders(Xml.line("202001050486555", "7", "1420484760", "301", "2020-01-05 21:44:21")).substring(0, 400);

        // WHEN each is classified
        CallOutcome cut = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR, truncated, MS949));
        CallOutcome text = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR, "처리 중 오류", MS949));
        CallOutcome none = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR, "", MS949));
        CallOutcome dtd = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR,
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", MS949));

        // THEN each is a transient fault naming 11st and the malformed body, with an excerpt
        assertThat(cut).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                .startsWith("11st answered with a malformed body (not XML").contains("<ns2:orders"));
        assertThat(text).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("처리 중 오류"));
        assertThat(none).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).isEqualTo("11st answered with a malformed body (the body is empty): HTTP 200"));
        assertThat(dtd).as("no DTD, so no external entity is ever read").isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("not XML").doesNotContain("root:x:0:0"));
    }

    @Test
    void an_unexpected_root_or_element_is_final_naming_it() {
        CallOutcome legacy = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR,
                "<Error><Code>005</Code><Message>accessDeny</Message></Error>", MS949));
        CallOutcome products = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR,
                "<ns2:products xmlns:ns2=\"" + Xml.NS + "\"><ns2:product><prdNo>1</prdNo></ns2:product></ns2:products>", MS949));
        CallOutcome extra = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR,
                Xml.orders("<ns2:claim><ordNo>1</ordNo></ns2:claim>"), MS949));

        assertThat(legacy).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("an order list has root <Error>, not <ns2:orders>").contains("accessDeny"));
        assertThat(products).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("root <products>"));
        assertThat(extra).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("elements other than order, result_code and result_text: [claim]"));
    }

    @Test
    void a_line_with_an_unknown_state_or_a_missing_or_malformed_field_fails_the_answer_naming_the_line_and_field() {
        String good = Xml.line("202001050486555", "7", "1420484760", "301", "2020-01-05 21:44:21");

        CallOutcome state = classifyList(good + Xml.line("202001050503265", "1", "1420497378", "999", "2020-01-05 22:10:57"));
        CallOutcome noDelivery = classifyList(good.replace("<dlvNo>1420484760</dlvNo>", ""));
        CallOutcome slashes = classifyList(good.replace("2020-01-05 21:44:21", "2020/01/05 21:44"));
        CallOutcome noTime = classifyList(good.replace("<ordStlEndDt>2020-01-05 21:44:21</ordStlEndDt>", "")
                .replace("<ordDt>2020-01-05 21:40:00</ordDt>", "").replace("<plcodrCnfDt>2020-01-06 08:23:18</plcodrCnfDt>", ""));

        assertThat(state).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("order[1].ordPrdStat must be one of 11st's order states [202, 301, 401, 501, 901, A01, B01], was '999'"));
        assertThat(noDelivery).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("order[0].dlvNo must be 1 to 20 digits, was absent"));
        assertThat(slashes).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("order[0].ordStlEndDt must be yyyy-MM-dd HH:mm:ss (Korean time), was '2020/01/05 21:44'"));
        assertThat(noTime).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("order[0] has none of [ordStlEndDt, ordDt, plcodrCnfDt]"));
    }

    @Test
    void a_line_without_a_payment_time_is_dated_by_its_order_time() {
        String line = Xml.line("202001050486555", "7", "1420484760", "401", "2020-01-05 21:44:21")
                .replace("<ordStlEndDt>2020-01-05 21:44:21</ordStlEndDt>", "");

        OrderPage page = page(classifyList(line));

        assertThat(page.orders()).singleElement().satisfies(o -> assertThat(o.updatedAt()).isEqualTo(Instant.parse("2020-01-05T12:40:00Z")));
    }

    @Test
    void another_result_code_in_a_list_is_final_with_11sts_text() {
        CallOutcome outcome = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR,
                "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\"><ns2:result_code>-1</ns2:result_code>"
                        + "<ns2:result_text>조회 기간은 최대 7일입니다.</ns2:result_text></ns2:orders>", MS949));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER);
            assertThat(f.reason()).contains("result code -1 조회 기간은 최대 7일입니다.");
        });
    }

    // ---- one order, shipping

    @Test
    void a_read_of_one_line_picks_it_from_its_orders_paid_lines() {
        PlannedCall read = adapter.planGetOrder(ElevenSt.SELLER, LINE);
        String lines = Xml.orders(Xml.line("202001050486555", "6", "1420484759", "202", "2020-01-05 21:44:21"),
                Xml.line("202001050486555", "7", "1420484760", "202", "2020-01-05 21:44:21"));

        OrderPage found = page(adapter.classify(read, XmlAnswer.of(adapter, 200, XML_EUC_KR, lines, MS949)));
        OrderPage gone = page(adapter.classify(read, XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.noResults(), MS949)));

        assertThat(found.orders()).extracting(Order::orderId).containsExactly(LINE);
        assertThat(found.nextCursor()).isEmpty();
        assertThat(gone).isEqualTo(new OrderPage(List.of(), Optional.empty()));
    }

    @Test
    void a_shipment_is_done_on_result_code_0_done_already_on_minus_3313_and_final_otherwise() {
        PlannedCall ship = adapter.plan(new MarketAction.ShipOrder(ElevenSt.SELLER, LINE, "00034", "627614443992"));

        CallOutcome done = adapter.classify(ship, XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.result("0", "정상 처리되었습니다."), MS949));
        CallOutcome shipping = adapter.classify(ship, XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.result("-3313", "이미 배송중 상태입니다."), MS949));
        CallOutcome used = adapter.classify(ship, XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.result("-1", "이미 사용된 송장번호 입니다."), MS949));
        CallOutcome wrongShape = adapter.classify(ship, XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.noResults(), MS949));

        assertThat(done).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(shipping).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(used).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .isEqualTo("11st did not ship delivery 1420484760 of order line " + LINE + ": result code -1 이미 사용된 송장번호 입니다."));
        assertThat(wrongShape).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("the answer to a shipment has root <orders>, not <ResultOrder>"));
    }

    @Test
    void an_answer_that_echoes_the_key_is_masked_in_the_reason() {
        PlannedCall call = list(Optional.empty());
        adapter.authorize(call, HttpRequest.newBuilder(PlannedRequests.of(call), (n, v) -> true), c -> null);

        CallOutcome outcome = adapter.classify(call, XmlAnswer.of(adapter, 200, XML_EUC_KR,
                Xml.result("-2", "openapi key " + ElevenSt.KEY + " 는 이 API를 사용할 수 없습니다"), MS949));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .doesNotContain(ElevenSt.KEY).contains("openapi key **** 는"));
    }

    @Test
    void other_http_statuses_are_classified_as_elsewhere() {
        CallOutcome tooMany = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 429, null, "", MS949));
        CallOutcome notFound = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 404, "text/html", "<html>Not Found</html>", MS949));
        CallOutcome timeout = adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 408, null, "", MS949));

        assertThat(tooMany).isInstanceOf(CallOutcome.Throttled.class);
        assertThat(notFound).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("HTTP 404"));
        assertThat(timeout).isInstanceOf(CallOutcome.Retryable.class);
    }

    // ---- helpers

    private CallOutcome classifyList(String lines) {
        return adapter.classify(list(Optional.empty()), XmlAnswer.of(adapter, 200, XML_EUC_KR, Xml.orders(lines), MS949));
    }

    private PlannedCall list(Optional<String> stage) {
        CollectionRequest request = new CollectionRequest("11st", ElevenSt.SELLER, DataKind.ORDERS, DAY, DAY.plus(Duration.ofDays(1)));
        return adapter.planPage(request, adapter.windows(request).get(0), stage);
    }

    private static OrderPage page(CallOutcome outcome) {
        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        return (OrderPage) ((CallOutcome.Ok) outcome).data();
    }
}
