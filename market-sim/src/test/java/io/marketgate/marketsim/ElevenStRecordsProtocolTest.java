package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.marketsim.ElevenSt.Reply;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * 11st's claim, Q&amp;A and settlement lists and its actions on them over real HTTP, as 11st's guide documents them
 * (apiSeq 1639, 1643, 1648, 1626, 1281, 1634, 1885, 1640, 1644, 1645, 1650): the market's records rendered in 11st's
 * shapes and codes, its window limits answered with its errors, a wrong body refused.
 */
class ElevenStRecordsProtocolTest extends SimFixture {

    /** 2026-11-01 00:00 in Korea to T0 (2026-11-22 09:00 in Korea). */
    private static final Instant FROM = Instant.parse("2026-10-31T15:00:00Z");
    private static final Charset MS949 = Charset.forName("x-windows-949");

    private SimulatedMarket market;
    private RecordBook book;

    private ElevenSt start() {
        start(MarketPresets.elevenStOpenApi().sellers("S1", "S2").build());
        market = sim.market("11st");
        book = market.records();
        return new ElevenSt(market.clientBaseUrl(), market.elevenStCredentials("S1").openApiKey());
    }

    /** Every call a second after the last: the key's one call per second. */
    private Reply paced(Supplier<Reply> call) {
        clock.advance(Duration.ofSeconds(1));
        return call.get();
    }

    private RecordBook.SimRecord record(RecordBook.Kind kind, Predicate<RecordBook.SimRecord> which) {
        return book.between("S1", kind, FROM, T0).stream().filter(which).findFirst().orElseThrow();
    }

    @Test
    void the_return_list_renders_the_sellers_returns_of_the_window_in_11sts_codes_and_nothing_found_as_minus_1() {
        ElevenSt client = start();
        List<RecordBook.SimRecord> returns = book.between("S1", RecordBook.Kind.CLAIMS, FROM, FROM.plus(Duration.ofDays(20))).stream()
                .filter(r -> r.attrs().get("claimType").equals("RETURN")).toList();

        Reply list = paced(() -> client.get("/claimservice/returnorders/202611010000/202611210000"));
        Reply none = paced(() -> client.get("/claimservice/exchangeorders/202611230000/202611240000"));

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.contentType()).isEqualTo("text/xml;charset=EUC-KR");
        assertThat(list.rootName()).isEqualTo("orders");
        assertThat(list.orders()).extracting(o -> o.get("clmReqSeq")).containsExactlyElementsOf(returns.stream().map(RecordBook.SimRecord::id).toList());
        assertThat(list.orders()).allSatisfy(o -> {
            assertThat(o).containsKeys("ordNo", "ordPrdSeq", "reqDt", "clmReqCont");
            assertThat(o.get("clmStat")).isIn("105", "106", "107", "108");
        });
        assertThat(none.code()).isEqualTo("-1");
        assertThat(none.message()).isEqualTo("해당 건이 없습니다.");
    }

    @Test
    void a_claim_window_over_30_days_or_a_malformed_time_gets_11sts_list_error() {
        ElevenSt client = start();

        Reply tooLong = paced(() -> client.get("/claimservice/cancelorders/202610010000/202611010001"));
        Reply badTime = paced(() -> client.get("/claimservice/returnorders/20261001/202611010000"));

        assertThat(tooLong.rootName()).isEqualTo("orders");
        assertThat(tooLong.code()).isEqualTo("-28008");
        assertThat(tooLong.message()).isEqualTo("조회기간은 최대 30(한달)일 단위로 가능합니다.");
        assertThat(badTime.code()).isEqualTo("-29007");
        assertThat(market.arrivals()).extracting(Arrival::outcome).containsExactly(Outcome.BAD_REQUEST, Outcome.BAD_REQUEST);
    }

    @Test
    void the_qna_list_takes_at_most_7_days_both_included_and_filters_by_answer_state() {
        ElevenSt client = start();
        List<RecordBook.SimRecord> week = book.between("S1", RecordBook.Kind.INQUIRIES, FROM, FROM.plus(Duration.ofDays(7)));

        Reply all = paced(() -> client.get("/prodqnaservices/prodqnalist/20261101/20261107/00"));
        Reply unanswered = paced(() -> client.get("/prodqnaservices/prodqnalist/20261101/20261107/02"));
        Reply eight = paced(() -> client.get("/prodqnaservices/prodqnalist/20261101/20261108/00"));
        Reply badState = paced(() -> client.get("/prodqnaservices/prodqnalist/20261101/20261107/03"));

        assertThat(all.rootName()).isEqualTo("productQnas");
        assertThat(all.rows("productQna")).extracting(q -> q.get("brdInfoNo")).containsExactlyElementsOf(week.stream().map(RecordBook.SimRecord::id).toList());
        assertThat(all.rows("productQna")).allSatisfy(q -> assertThat(q).containsKeys("brdInfoClfNo", "brdInfoCont", "answerYn", "createDt"));
        assertThat(unanswered.rows("productQna")).isNotEmpty().allSatisfy(q -> assertThat(q.get("answerYn")).isEqualTo("N"));
        assertThat(eight.code()).isEqualTo("500");
        assertThat(eight.message()).isEqualTo("최대 조회기간은 7일 입니다.");
        assertThat(badState.code()).isEqualTo("500");
    }

    @Test
    void the_settlement_list_takes_at_most_31_days_and_answers_nothing_found_with_result_code_0() {
        ElevenSt client = start();

        Reply rows = paced(() -> client.get("/settlement/settlementList/20261101/20261121"));
        Reply tooLong = paced(() -> client.get("/settlement/settlementList/20261001/20261101"));
        Reply none = paced(() -> client.get("/settlement/settlementList/20261123/20261124"));

        assertThat(rows.rootName()).isEqualTo("seStlDtlLists");
        assertThat(rows.rows("seStlDtlList")).hasSize(book.between("S1", RecordBook.Kind.SETTLEMENTS, FROM,
                FROM.plus(Duration.ofDays(21))).size()).allSatisfy(r -> assertThat(r).containsKeys("ordNo", "stlAmt", "pocnfrmDt", "stlPlnDy"));
        assertThat(tooLong.code()).isEqualTo("2");
        assertThat(none.rootName()).isEqualTo("orders");
        assertThat(none.code()).isEqualTo("0");
    }

    @Test
    void answering_a_qna_updates_it_once_the_same_answer_again_repeats_and_a_bad_body_is_refused() {
        ElevenSt client = start();
        RecordBook.SimRecord qna = record(RecordBook.Kind.INQUIRIES, r -> r.state().equals("UNANSWERED"));
        String path = "/prodqnaservices/prodqnaanswer/" + qna.id() + "/" + qna.attrs().get("productId");
        byte[] body = "<?xml version=\"1.0\" encoding=\"euc-kr\"?><ProductQna><answerCont>네 &amp; 감사합니다</answerCont></ProductQna>"
                .getBytes(MS949);

        Reply first = paced(() -> client.send("PUT", path, body));
        Reply again = paced(() -> client.send("PUT", path, body));
        Reply other = paced(() -> client.send("PUT", path, "<ProductQna><answerCont>아니요</answerCont></ProductQna>".getBytes(MS949)));
        Reply noBody = paced(() -> client.send("PUT", path, "<answer>네</answer>".getBytes(MS949)));
        Reply get = paced(() -> client.get(path));

        assertThat(first.rootName()).isEqualTo("ClientMessage");
        assertThat(first.child("resultCode")).isEqualTo("200");
        assertThat(book.find("S1", qna.id()).orElseThrow().attrs()).containsEntry("answer", "네 & 감사합니다");
        assertThat(again.child("resultCode")).isEqualTo("200");
        assertThat(other.child("resultCode")).isEqualTo("500");
        assertThat(noBody.child("resultCode")).isEqualTo("500");
        assertThat(get.status()).isEqualTo(405);
        assertThat(book.applications()).isEqualTo(1);
        assertThat(book.repeats()).isEqualTo(1);
        assertThat(market.arrivals()).extracting(Arrival::outcome).containsExactly(Outcome.OK, Outcome.DUPLICATE, Outcome.BAD_REQUEST,
                Outcome.BAD_REQUEST, Outcome.METHOD_NOT_ALLOWED);
    }

    @Test
    void claim_decisions_go_through_the_records_with_11sts_answers_for_a_repeat_and_a_wrong_reason_code() {
        ElevenSt client = start();
        RecordBook.SimRecord cancel = record(RecordBook.Kind.CLAIMS, r -> r.attrs().get("claimType").equals("CANCEL") && r.state().equals("REQUESTED"));
        RecordBook.SimRecord ret = record(RecordBook.Kind.CLAIMS, r -> r.attrs().get("claimType").equals("RETURN") && r.state().equals("REQUESTED"));
        String confirm = "/claimservice/cancelreqconf/" + cancel.id() + "/" + cancel.attrs().get("orderId") + "/1";
        String reject = "/claimservice/returnreqreject/" + ret.attrs().get("orderId") + "/1/" + ret.id();

        Reply confirmed = paced(() -> client.get(confirm));
        Reply again = paced(() -> client.get(confirm));
        Reply badCode = paced(() -> client.get(reject + "/204/%EA%B8%B0%ED%83%80"));
        Reply rejected = paced(() -> client.get(reject + "/104/%EB%AF%B8%EC%9E%85%EA%B3%A0"));
        Reply unknown = paced(() -> client.get("/claimservice/returnreqconf/59999999999999/1/1"));

        assertThat(confirmed.rootName()).isEqualTo("ResultOrder");
        assertThat(confirmed.code()).isEqualTo("0");
        assertThat(again.code()).isEqualTo("-1");
        assertThat(again.message()).isEqualTo("이미 취소 완료된 신청건 입니다.");
        assertThat(badCode.code()).isEqualTo("-1");
        assertThat(rejected.code()).isEqualTo("0");
        assertThat(book.find("S1", ret.id()).orElseThrow().state()).isEqualTo("REJECTED");
        assertThat(book.find("S1", ret.id()).orElseThrow().attrs()).containsEntry("reason", "미입고");
        assertThat(unknown.code()).isEqualTo("-24004");
    }

    @Test
    void acknowledging_a_paid_line_moves_it_to_the_packaging_list_once_and_needs_N_null_without_an_add_on() {
        ElevenSt client = start();
        Order paid = market.orders("S1", DAY_START, T0).stream().filter(o -> o.status().equals("202")).findFirst().orElseThrow();
        String[] line = market.clientOrderId(paid).split("-");
        String ack = "/ordservices/reqpackaging/" + line[0] + "/" + line[1];

        Reply addOn = paced(() -> client.get(ack + "/N/12345/" + line[2]));
        Reply done = paced(() -> client.get(ack + "/N/null/" + line[2]));
        Reply again = paced(() -> client.get(ack + "/N/null/" + line[2]));
        Reply paidLines = paced(() -> client.get("/ordservices/complete/" + line[0]));

        assertThat(addOn.code()).isEqualTo("-1");
        assertThat(done.code()).isEqualTo("0");
        assertThat(again.code()).isEqualTo("-3206");
        assertThat(paidLines.orders()).isEmpty();
        assertThat(market.arrivals()).extracting(Arrival::endpoint).containsExactly(Endpoint.ACKNOWLEDGE_ORDER,
                Endpoint.ACKNOWLEDGE_ORDER, Endpoint.ACKNOWLEDGE_ORDER, Endpoint.GET_ORDER);
    }
}
