package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.marketsim.ElevenSt.Reply;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** 11st's Open API over real HTTP: the key, the IP allow-list, the budget, the stage lists, one order's lines, shipping. */
class ElevenStProtocolTest extends SimFixture {

    /** 2026-11-20 00:00 and 2026-11-22 00:00 in Korea. */
    private static final Instant FROM = Instant.parse("2026-11-19T15:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(48));
    private static final String F = "202611200000";
    private static final String T = "202611220000";
    private static final String SEND_DT = "202611220900";
    private static final List<String> STAGES = List.of("complete", "packaging", "shipping", "dlvcompleted");
    private static final Map<String, String> STATE = Map.of("complete", "202", "packaging", "301", "shipping", "401",
            "dlvcompleted", "501");
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.ofHours(9));
    private static final Charset MS949 = Charset.forName("x-windows-949");

    private SimulatedMarket market;

    private ElevenSt start(MarketConfig.Builder config) {
        start(config.build());
        market = sim.market("11st");
        return client("S1");
    }

    private ElevenSt start() {
        return start(MarketPresets.elevenStOpenApi().sellers("S1", "S2"));
    }

    private ElevenSt client(String seller) {
        return new ElevenSt(market.clientBaseUrl(), market.elevenStCredentials(seller).openApiKey());
    }

    /** Every call a second after the last: exactly the key's one call per second. */
    private Reply paced(Supplier<Reply> call) {
        clock.advance(Duration.ofSeconds(1));
        return call.get();
    }

    private Order first(String status) {
        return market.orders("S1", FROM, TO).stream().filter(o -> o.status().equals(status)).findFirst().orElseThrow();
    }

    private static String dlvNo(SimulatedMarket market, Order o) {
        String id = market.clientOrderId(o);
        return id.substring(id.lastIndexOf('-') + 1);
    }

    @Test
    void credentials_are_generated_per_seller_from_the_seed_and_the_key_stays_out_of_toString() {
        // GIVEN two sims with the same seed
        start();
        ElevenStCredentials first = market.elevenStCredentials("S1");
        try (MarketSim other = MarketSim.builder().clock(clock).market(MarketPresets.elevenStOpenApi().sellers("S1", "S2").build()).build()) {
            // THEN the same key, 32 hex characters, one per seller, masked in toString
            assertThat(other.market("11st").elevenStCredentials("S1")).isEqualTo(first);
        }
        assertThat(first.openApiKey()).matches("[0-9a-f]{32}");
        assertThat(market.elevenStCredentials("S2").openApiKey()).isNotEqualTo(first.openApiKey());
        assertThat(first.toString()).contains("S1").doesNotContain(first.openApiKey());
        assertThat(first.fields()).containsOnlyKeys("sellerId", "openApiKey");
        assertThat(market.credentials()).extracting(SellerCredentials::sellerId).containsExactly("S1", "S2");
    }

    @Test
    void walking_the_four_stages_of_a_range_yields_exactly_the_markets_order_lines_once_each() {
        // GIVEN a seller with two days of order lines
        ElevenSt elevenSt = start();

        // WHEN a collector asks each stage for the two KST days, a call a second
        List<String> collected = new ArrayList<>();
        for (String stage : STAGES) {
            Reply reply = paced(() -> elevenSt.list(stage, F, T));
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
            for (Map<String, String> line : reply.orders()) {
                assertThat(line.get("ordPrdStat")).isEqualTo(STATE.get(stage));
                collected.add(line.get("ordNo"));
            }
        }

        // THEN exactly the market's lines paid in the range, once each, S1's only, and no call over budget
        List<String> truth = market.orders("S1", FROM, TO).stream().map(Order::orderId).toList();
        assertThat(truth).hasSizeGreaterThan(100);
        assertThat(collected).containsExactlyInAnyOrderElementsOf(truth);
        assertThat(market.callsOverBudget()).isZero();
        assertThat(market.arrivals()).hasSize(4).allMatch(a -> a.endpoint() == Endpoint.LIST_ORDERS && a.sellerId().equals("S1")
                && a.outcome() == Outcome.OK);
    }

    @Test
    void a_list_is_euc_kr_xml_in_11sts_shapes_with_korean_times() {
        // GIVEN
        ElevenSt elevenSt = start();
        Order paid = first("301");

        // WHEN
        Reply reply = elevenSt.list("packaging", F, T);

        // THEN labelled EUC-KR, encoded as MS949 (똠 is outside EUC-KR), ns2:orders of ns2:order lines
        assertThat(reply.contentType()).isEqualTo("text/xml;charset=EUC-KR");
        assertThat(new String(reply.bytes(), StandardCharsets.US_ASCII)).startsWith("<?xml version=\"1.0\" encoding=\"EUC-KR\"");
        assertThat(indexOf(reply.bytes(), "똠".getBytes(MS949))).isNotNegative();
        assertThat(reply.text()).contains("똠얌꿍");
        assertThat(reply.rootName()).isEqualTo("orders");
        assertThat(reply.root().getPrefix()).isEqualTo("ns2");
        assertThat(reply.root().getNamespaceURI()).isEqualTo("http://skt.tmall.business.openapi.spring.service.client.domain/");
        Map<String, String> line = reply.orders().stream().filter(l -> l.get("ordNo").equals(paid.orderId())).findFirst().orElseThrow();
        assertThat(market.clientOrderId(paid)).isEqualTo(line.get("ordNo") + "-" + line.get("ordPrdSeq") + "-" + line.get("dlvNo"));
        assertThat(line.get("ordPrdSeq")).matches("[1-3]");
        assertThat(line.get("dlvNo")).matches("5\\d{14}");
        assertThat(line.get("ordStlEndDt")).isEqualTo(LINE_TIME.format(paid.updatedAt()));
        assertThat(line.get("ordDt")).isEqualTo(LINE_TIME.format(paid.orderedAt()));
        assertThat(line.get("plcodrCnfDt")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(line.get("ordQty")).isEqualTo(Integer.toString(paid.itemCount()));
        assertThat(line.get("ordPayAmt")).isEqualTo(Long.toString(paid.totalPrice()));
        assertThat(line.get("invcNo")).isEmpty();
        assertThat(line.get("rcvrNm")).isNotBlank();
    }

    @Test
    void a_stage_without_lines_answers_result_code_0_with_11sts_no_results_text() {
        ElevenSt elevenSt = start();

        Reply reply = elevenSt.list("completed", F, T);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.rootName()).isEqualTo("orders");
        assertThat(reply.code()).isEqualTo("0");
        assertThat(reply.message()).isEqualTo("조회된 결과가 없습니다.");
        assertThat(reply.orders()).isEmpty();
    }

    @Test
    void a_missing_or_unknown_key_or_one_sent_in_the_query_is_answered_997_and_counts_against_no_budget() {
        // GIVEN
        start();
        String key = market.elevenStCredentials("S1").openApiKey();

        // WHEN
        Reply none = new ElevenSt(market.clientBaseUrl(), null).list("complete", F, T);
        Reply unknown = new ElevenSt(market.clientBaseUrl(), "0".repeat(32)).list("complete", F, T);
        Reply inQuery = new ElevenSt(market.clientBaseUrl(), null).get("/ordservices/complete/" + F + "/" + T + "?openapikey=" + key);

        // THEN HTTP 200 with 11st's -997, and not one arrival counted as the seller's
        for (Reply r : List.of(none, unknown, inQuery)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.rootName()).isEqualTo("ResultOrder");
            assertThat(r.code()).isEqualTo("-997");
            assertThat(r.message()).isEqualTo("등록된 API 정보가 존재하지 않습니다");
        }
        assertThat(market.arrivals()).hasSize(3).allMatch(a -> !a.authenticated() && a.outcome() == Outcome.UNAUTHORIZED);
    }

    @Test
    void an_address_off_the_allow_list_gets_http_500_with_the_auth_message_naming_it() {
        ElevenSt elevenSt = start(MarketPresets.elevenStOpenApi().sellers("S1").ipAllowList("10.0.0.1"));

        Reply reply = elevenSt.list("complete", F, T);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.rootName()).isEqualTo("AuthMessage");
        assertThat(reply.code()).isEqualTo("-500");
        assertThat(reply.message()).isEqualTo("[127.0.0.1]인증된 IP가 아닙니다. 등록된 IP 정보를 확인하십시오.");
        assertThat(market.arrivals()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(Outcome.FORBIDDEN));
    }

    @Test
    void a_second_call_within_the_second_gets_004_in_http_200_and_five_excesses_block_the_key_but_not_another() {
        // GIVEN S1 used its call of this second
        ElevenSt s1 = start();
        assertThat(s1.list("complete", F, T).status()).isEqualTo(200);

        // WHEN it calls five more times within the second, then a second later; S2 calls meanwhile
        List<Reply> excess = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            excess.add(s1.list("complete", F, T));
        }
        Reply s2 = client("S2").list("complete", F, T);
        clock.advance(Duration.ofSeconds(1));
        Reply blocked = s1.list("complete", F, T);
        clock.advance(Duration.ofMinutes(1));
        Reply after = s1.list("complete", F, T);

        // THEN each excess is HTTP 200 with 004; the fifth blocks S1 for a minute; S2's key has its own budget
        assertThat(excess).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.rootName()).isEqualTo("ResultOrder");
            assertThat(r.code()).isEqualTo("004");
        });
        assertThat(s2.rootName()).isEqualTo("orders");
        assertThat(s2.orders()).isNotEmpty();
        assertThat(blocked.code()).isEqualTo("004");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.rootName()).isEqualTo("orders");
        assertThat(market.arrivals()).filteredOn(a -> a.outcome() == Outcome.THROTTLED).hasSize(5);
        assertThat(market.arrivals()).filteredOn(a -> a.outcome() == Outcome.PENALIZED).hasSize(1);
    }

    @Test
    void path_times_must_be_yyyyMMddHHmm_in_order_and_at_most_seven_days_apart() {
        // GIVEN
        ElevenSt elevenSt = start();

        // WHEN
        Reply shortTime = paced(() -> elevenSt.list("complete", "2026112000", T));
        Reply noSuchMonth = paced(() -> elevenSt.list("complete", F, "202613010000"));
        Reply backwards = paced(() -> elevenSt.list("complete", T, F));
        Reply tooLong = paced(() -> elevenSt.list("complete", "202611010000", "202611080001"));
        Reply sevenDays = paced(() -> elevenSt.list("complete", "202611010000", "202611080000"));

        // THEN refused in 11st's list shape, naming the parameter and the rule; exactly 7 days is served
        assertThat(shortTime.code()).isEqualTo("-1");
        assertThat(shortTime.message()).contains("검색 시작일시 '2026112000'").contains("yyyyMMddHHmm");
        assertThat(noSuchMonth.message()).contains("검색 종료일시 '202613010000'");
        assertThat(backwards.message()).contains("이후여야 합니다");
        assertThat(tooLong.message()).contains("조회 기간은 최대 7일입니다");
        assertThat(List.of(shortTime, noSuchMonth, backwards, tooLong)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.rootName()).isEqualTo("orders");
        });
        assertThat(sevenDays.code()).isNotEqualTo("-1");
        assertThat(sevenDays.orders()).isNotEmpty();
        assertThat(market.arrivals()).filteredOn(a -> a.outcome() == Outcome.BAD_REQUEST).hasSize(4);
    }

    @Test
    void one_orders_paid_lines_are_read_by_its_number_while_they_await_acknowledgement() {
        // GIVEN a paid line and an acknowledged one
        ElevenSt elevenSt = start();
        Order paid = first("202");
        Order acknowledged = first("301");

        // WHEN
        Reply found = paced(() -> elevenSt.get("/ordservices/complete/" + paid.orderId()));
        Reply moved = paced(() -> elevenSt.get("/ordservices/complete/" + acknowledged.orderId()));
        Reply unknown = paced(() -> elevenSt.get("/ordservices/complete/400000000000000"));
        Reply bad = paced(() -> elevenSt.get("/ordservices/complete/12ab"));

        // THEN
        assertThat(found.orders()).singleElement().satisfies(l -> {
            assertThat(l.get("ordNo")).isEqualTo(paid.orderId());
            assertThat(l.get("ordPrdStat")).isEqualTo("202");
        });
        assertThat(moved.message()).isEqualTo("조회된 결과가 없습니다.");
        assertThat(unknown.message()).isEqualTo("조회된 결과가 없습니다.");
        assertThat(bad.code()).isEqualTo("-1");
        assertThat(market.arrivals(Endpoint.GET_ORDER)).extracting(Arrival::orderId).startsWith(paid.orderId(), acknowledged.orderId());
    }

    @Test
    void shipping_an_acknowledged_delivery_records_it_once_and_a_repeat_gets_3313() {
        // GIVEN an acknowledged line
        ElevenSt elevenSt = start();
        Order line = first("301");
        String dlvNo = dlvNo(market, line);

        // WHEN it is shipped, then shipped again
        Reply shipped = paced(() -> elevenSt.ship(SEND_DT, "00034", "627614443992", dlvNo));
        Reply again = paced(() -> elevenSt.ship(SEND_DT, "00034", "627614443992", dlvNo));

        // THEN
        assertThat(shipped.status()).isEqualTo(200);
        assertThat(shipped.rootName()).isEqualTo("ResultOrder");
        assertThat(shipped.code()).isEqualTo("0");
        assertThat(again.code()).isEqualTo("-3313");
        assertThat(again.message()).contains("이미 배송중");
        assertThat(market.shipments()).singleElement().satisfies(s -> {
            assertThat(s.sellerId()).isEqualTo("S1");
            assertThat(s.orderId()).isEqualTo(line.orderId());
            assertThat(s.carrier()).isEqualTo("00034");
            assertThat(s.trackingNumber()).isEqualTo("627614443992");
        });
        assertThat(market.arrivals(Endpoint.CREATE_SHIPMENT)).extracting(Arrival::orderId, Arrival::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(market.clientOrderId(line), Outcome.CREATED),
                org.assertj.core.groups.Tuple.tuple(market.clientOrderId(line), Outcome.DUPLICATE));
    }

    @Test
    void a_shipment_is_refused_before_acknowledgement_for_an_unknown_delivery_and_for_a_tracking_number_used_already() {
        // GIVEN one line shipped with a tracking number
        ElevenSt elevenSt = start();
        List<Order> acknowledged = market.orders("S1", FROM, TO).stream().filter(o -> o.status().equals("301")).limit(2).toList();
        paced(() -> elevenSt.ship(SEND_DT, "00034", "111111111111", dlvNo(market, acknowledged.get(0))));

        // WHEN
        Reply notAcknowledged = paced(() -> elevenSt.ship(SEND_DT, "00034", "222222222222", dlvNo(market, first("202"))));
        Reply seededShipping = paced(() -> elevenSt.ship(SEND_DT, "00034", "333333333333", dlvNo(market, first("401"))));
        Reply sameNumber = paced(() -> elevenSt.ship(SEND_DT, "00034", "111111111111", dlvNo(market, acknowledged.get(1))));
        Reply unknown = paced(() -> elevenSt.ship(SEND_DT, "00034", "444444444444", "500000000000000"));
        Reply longInvoice = paced(() -> elevenSt.ship(SEND_DT, "00034", "1234567890123456", dlvNo(market, acknowledged.get(1))));
        Reply badMethod = paced(() -> elevenSt.get("/ordservices/reqdelivery/" + SEND_DT + "/09/00034/555555555555/"
                + dlvNo(market, acknowledged.get(1))));
        Reply badDate = paced(() -> elevenSt.ship("2026112209", "00034", "555555555555", dlvNo(market, acknowledged.get(1))));

        // THEN
        assertThat(notAcknowledged.code()).isEqualTo("-1");
        assertThat(notAcknowledged.message()).contains("발주확인");
        assertThat(seededShipping.code()).isEqualTo("-3313");
        assertThat(sameNumber.message()).isEqualTo("이미 사용된 송장번호 입니다.");
        assertThat(unknown.message()).contains("배송번호 '500000000000000'");
        assertThat(longInvoice.message()).contains("송장번호").contains("15자");
        assertThat(badMethod.message()).contains("배송방법 코드 '09'");
        assertThat(badDate.message()).contains("발송일시 '2026112209'");
        assertThat(market.shipments()).hasSize(1);
        assertThat(market.callsOverBudget()).isZero();
    }

    @Test
    void unknown_paths_are_404_and_methods_other_than_get_405() {
        ElevenSt elevenSt = start();

        Reply unknown = paced(() -> elevenSt.get("/ordservices/nowhere"));
        Reply partial = paced(() -> elevenSt.get("/ordservices/reqdelivery/" + SEND_DT + "/01/00034/1/2/Y/3/4"));
        Reply post = paced(() -> elevenSt.send("POST", "/ordservices/complete/" + F + "/" + T));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(partial.status()).isEqualTo(404);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.rootName()).isEqualTo("ResultOrder");
    }

    @Test
    void an_injected_fault_is_answered_with_its_status_and_a_web_page() {
        ElevenSt elevenSt = start();
        market.faults().failNext(1, 503);

        Reply reply = elevenSt.list("complete", F, T);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.contentType()).startsWith("text/html");
        assertThat(reply.text()).contains("<html>");
    }

    @Test
    void a_client_names_a_line_by_order_sequence_and_delivery_and_ships_only_an_acknowledged_one() {
        start();

        assertThat(market.clientBaseUrl()).isEqualTo(sim.baseUrl("11st") + "/rest");
        Order acknowledged = first("301");
        assertThat(market.clientOrderId(acknowledged)).matches(acknowledged.orderId() + "-[1-3]-5\\d{14}");
        assertThat(market.shippable(acknowledged)).isTrue();
        assertThat(market.shippable(first("202"))).isFalse();
        assertThat(market.shippable(first("401"))).isFalse();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
