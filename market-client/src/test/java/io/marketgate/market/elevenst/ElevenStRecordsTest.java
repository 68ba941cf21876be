package io.marketgate.market.elevenst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.CallOutcome;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.SettlementStatus;
import io.marketgate.market.TimeWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 11st's lists of claims, product Q&amp;A and settlements and its actions on orders, Q&amp;As and claims: the calls
 * planned (paths written out by hand from 11st's guide: apiSeq 1639, 1643, 1648, 1626, 1281, 1634, 1885, 1640, 1644,
 * 1645, 1650) and the answers classified (shapes and codes from the same pages).
 */
class ElevenStRecordsTest {

    private static final String BASE = "http://127.0.0.1:9/11st/rest";
    private static final String XML = "text/xml;charset=EUC-KR";
    /** ElevenSt.CLOCK: 2026-01-01 00:00 UTC, 09:00 in Korea. */
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LINE = "202001050486555-7-1420484760";

    @TempDir
    Path dir;

    private ElevenStAdapter adapter;

    @BeforeEach
    void adapter() throws IOException {
        adapter = ElevenSt.adapter(ElevenSt.environment(dir, BASE, "1d"), ElevenSt.source(ElevenSt.credentials(ElevenSt.KEY)),
                ElevenSt.CLOCK);
    }

    // ---- planning the lists

    @Test
    void claims_are_asked_for_per_30_day_window_from_the_cancel_list_then_the_return_and_exchange_lists() {
        CollectionRequest request = request(DataKind.CLAIMS, NOW, Instant.parse("2026-02-15T00:00:00Z"));

        List<TimeWindow> windows = adapter.windows(request);
        PlannedCall cancels = adapter.planPage(request, windows.get(0), Optional.empty());
        PlannedCall returns = adapter.planPage(request, windows.get(0), Optional.of("returnorders"));
        PlannedCall exchanges = adapter.planPage(request, windows.get(1), Optional.of("exchangeorders"));

        assertThat(windows).containsExactly(new TimeWindow(NOW, Instant.parse("2026-01-31T00:00:00Z")),
                new TimeWindow(Instant.parse("2026-01-31T00:00:00Z"), Instant.parse("2026-02-15T00:00:00Z")));
        assertThat(cancels.method()).isEqualTo("GET");
        assertThat(cancels.path()).isEqualTo("/11st/rest/claimservice/cancelorders/202601010900/202601310900");
        assertThat(cancels.callName()).isEqualTo("list-claims");
        assertThat(cancels.budgets()).containsExactly("11st/pace:seller-1", "11st/key:seller-1");
        assertThat(returns.path()).isEqualTo("/11st/rest/claimservice/returnorders/202601010900/202601310900");
        assertThat(exchanges.path()).isEqualTo("/11st/rest/claimservice/exchangeorders/202601310900/202602150900");
    }

    @Test
    void inquiries_are_asked_for_per_7_korean_days_both_ends_included_answered_or_not() {
        CollectionRequest request = request(DataKind.INQUIRIES, NOW, Instant.parse("2026-01-10T00:00:00Z"));

        List<PlannedCall> calls = adapter.plan(request);

        assertThat(calls).extracting(PlannedCall::path).containsExactly(
                "/11st/rest/prodqnaservices/prodqnalist/20260101/20260107/00",
                "/11st/rest/prodqnaservices/prodqnalist/20260108/20260110/00");
        assertThat(calls).extracting(PlannedCall::callName).containsOnly("list-inquiries");
    }

    @Test
    void settlements_are_asked_for_per_31_korean_days() {
        CollectionRequest request = request(DataKind.SETTLEMENTS, NOW, Instant.parse("2026-03-01T00:00:00Z"));

        assertThat(adapter.plan(request)).extracting(PlannedCall::path).containsExactly(
                "/11st/rest/settlement/settlementList/20260101/20260131",
                "/11st/rest/settlement/settlementList/20260201/20260301");
    }

    @Test
    void a_window_longer_than_the_kinds_maximum_or_not_on_korean_midnights_is_refused_naming_the_window() {
        CollectionRequest claims = request(DataKind.CLAIMS, NOW, Instant.parse("2026-03-01T00:00:00Z"));
        CollectionRequest inquiries = request(DataKind.INQUIRIES, NOW, Instant.parse("2026-01-20T00:00:00Z"));

        assertThatThrownBy(() -> adapter.planPage(claims, new TimeWindow(NOW, Instant.parse("2026-02-01T00:00:00Z")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("window").hasMessageContaining("PT720H");
        assertThatThrownBy(() -> adapter.planPage(inquiries, new TimeWindow(Instant.parse("2025-12-31T15:00:00Z"),
                Instant.parse("2026-01-08T15:00:00Z")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 7 days long");
        assertThatThrownBy(() -> adapter.planPage(inquiries, new TimeWindow(NOW, Instant.parse("2026-01-02T00:00:00Z")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole days in Korea");
        assertThatThrownBy(() -> adapter.planPage(claims, new TimeWindow(NOW, Instant.parse("2026-01-02T00:00:00Z")), Optional.of("ordertracking")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cursor 'ordertracking' must be one of 11st's claim lists");
    }

    @Test
    void reviews_and_products_are_not_offered_and_say_so_naming_the_kind() {
        assertThatThrownBy(() -> adapter.windows(request(DataKind.REVIEWS, NOW, NOW.plusSeconds(3600))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kind: market 11st (11st) does not offer reviews (11st's Open API has no list of reviews for sellers)");
        assertThatThrownBy(() -> adapter.planPage(request(DataKind.PRODUCTS, NOW, NOW.plusSeconds(3600)),
                new TimeWindow(NOW, NOW.plusSeconds(3600)), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("kind: market 11st (11st) does not offer products");
    }

    // ---- planning the actions

    @Test
    void acknowledging_a_line_sends_reqpackaging_with_its_order_line_and_delivery_and_no_add_on() {
        PlannedCall call = adapter.plan(new MarketAction.AcknowledgeOrder(ElevenSt.SELLER, LINE));

        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo("/11st/rest/ordservices/reqpackaging/202001050486555/7/N/null/1420484760");
        assertThat(call.callName()).isEqualTo("acknowledge-order");
    }

    @Test
    void answering_a_qna_puts_the_answer_as_product_qna_xml_in_euc_kr_to_its_number_and_product() {
        PlannedCall call = adapter.plan(new MarketAction.AnswerInquiry(ElevenSt.SELLER, "4881274-48073872", "맛있는 사과 <3 & 배"));

        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.path()).isEqualTo("/11st/rest/prodqnaservices/prodqnaanswer/4881274/48073872");
        assertThat(call.callName()).isEqualTo("answer-inquiry");
        assertThat(new String(ElevenStAdapter.answerBody("맛있는 사과 <3 & 배"), Xml.MS949)).isEqualTo("<?xml version=\"1.0\" encoding=\"euc-kr\" standalone=\"yes\"?>"
                + "<ProductQna><answerCont>맛있는 사과 &lt;3 &amp; 배</answerCont></ProductQna>");
    }

    @Test
    void confirming_a_claim_sends_the_cancel_or_return_approval_with_its_claim_number_and_order_line() {
        PlannedCall cancel = adapter.plan(new MarketAction.ConfirmClaim(ElevenSt.SELLER, "cancel-8191721-201001138151745-1"));
        PlannedCall ret = adapter.plan(new MarketAction.ConfirmClaim(ElevenSt.SELLER, "return-2400330-201001068151292-1"));

        assertThat(cancel.path()).isEqualTo("/11st/rest/claimservice/cancelreqconf/8191721/201001138151745/1");
        assertThat(ret.path()).isEqualTo("/11st/rest/claimservice/returnreqconf/2400330/201001068151292/1");
        assertThat(List.of(cancel, ret)).extracting(PlannedCall::callName).containsOnly("confirm-claim");
    }

    @Test
    void rejecting_a_return_or_exchange_sends_reason_code_other_and_the_reason_percent_encoded() {
        PlannedCall ret = adapter.plan(new MarketAction.RejectClaim(ElevenSt.SELLER, "return-2400330-201001068151292-1", "재고 없음"));
        PlannedCall exchange = adapter.plan(new MarketAction.RejectClaim(ElevenSt.SELLER, "exchange-2400331-201001068151292-2",
                "반품 불가 상품입니다"));

        assertThat(ret.path()).isEqualTo("/11st/rest/claimservice/returnreqreject/201001068151292/1/2400330/104/"
                + "%EC%9E%AC%EA%B3%A0%20%EC%97%86%EC%9D%8C");
        assertThat(exchange.path()).isEqualTo("/11st/rest/claimservice/exchangereqreject/201001068151292/2/2400331/204/"
                + "%EB%B0%98%ED%92%88%20%EB%B6%88%EA%B0%80%20%EC%83%81%ED%92%88%EC%9E%85%EB%8B%88%EB%8B%A4");
    }

    @Test
    void actions_11st_cannot_take_or_ids_that_do_not_carry_its_numbers_are_refused_naming_the_field() {
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ConfirmClaim(ElevenSt.SELLER, "exchange-2400331-201001068151292-2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("claimId 'exchange-2400331-201001068151292-2': 11st approves an exchange only");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.RejectClaim(ElevenSt.SELLER, "cancel-8191721-201001138151745-1", "no")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ship the order instead");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.RejectClaim(ElevenSt.SELLER, "return-2400330-201001068151292-1",
                "가".repeat(201))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("reason is 201 characters long, at most 200 for 11st (it travels in the call's path)");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.AnswerInquiry(ElevenSt.SELLER, "4881274-48073872", "감사해요 😀")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("text has '😀' at character 5, which 11st's EUC-KR answer body cannot carry");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.AnswerInquiry(ElevenSt.SELLER, "4881274", "네")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("inquiryId '4881274' must be an 11st product Q&A: brdInfoNo-prdNo");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ConfirmClaim(ElevenSt.SELLER, "C-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("claimId 'C-1' must be an 11st claim");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ReplyReview(ElevenSt.SELLER, "R1", "thanks")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("action: 11st (11st) does not offer reply-review");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ChangePrice(ElevenSt.SELLER, "P1", 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("action: 11st (11st) does not offer change-price");
    }

    // ---- classifying the answers

    @Test
    void a_cancel_list_line_becomes_a_requested_claim_whose_id_carries_what_the_approval_needs() {
        String body = Xml.DECLARATION + "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\"><ns2:order><createDt>2010-01-19 13:50:05</createDt>"
                + "<dlvNo>56565334343</dlvNo><ordCnDtlsRsn>다음에 구매하겠습니다.</ordCnDtlsRsn><ordCnQty>1</ordCnQty>"
                + "<ordCnMnbdCd>01</ordCnMnbdCd><ordCnRsnCd>09</ordCnRsnCd><ordCnStatCd>01</ordCnStatCd><ordNo>201001198151936</ordNo>"
                + "<ordPrdCnSeq>8192583</ordPrdCnSeq><ordPrdSeq>1</ordPrdSeq><prdNo>41613972</prdNo></ns2:order></ns2:orders>";

        MarketData.RecordPage page = page(listCall(DataKind.CLAIMS, Optional.empty()), body);

        assertThat(page.nextCursor()).hasValue("returnorders");
        assertThat(page.records()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("cancel-8192583-201001198151936-1");
            assertThat(r.status()).isEqualTo("01");
            assertThat(r.commonStatus()).isEqualTo(ClaimStatus.REQUESTED);
            assertThat(r.updatedAt()).isEqualTo(Instant.parse("2010-01-19T04:50:05Z"));
            assertThat(r.fields()).isEqualTo(Map.of("claimType", "CANCEL", "orderId", "201001198151936",
                    "reason", "다음에 구매하겠습니다.", "requestedAt", "2010-01-19T04:50:05Z"));
            assertThat(r.json()).contains("\"ordPrdCnSeq\":\"8192583\"");
        });
    }

    @Test
    void return_and_exchange_states_map_onto_the_common_claim_statuses() {
        String body = Xml.DECLARATION + "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\">" + returnLine("2400330", "108")
                + returnLine("2400331", "106") + returnLine("2400332", "104") + "</ns2:orders>";

        MarketData.RecordPage page = page(listCall(DataKind.CLAIMS, Optional.of("returnorders")), body);

        assertThat(page.nextCursor()).hasValue("exchangeorders");
        assertThat(page.records()).extracting(MarketRecord::id, MarketRecord::commonStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("return-2400330-201001068151292-1", ClaimStatus.WITHDRAWN),
                org.assertj.core.groups.Tuple.tuple("return-2400331-201001068151292-1", ClaimStatus.COMPLETED),
                org.assertj.core.groups.Tuple.tuple("return-2400332-201001068151292-1", ClaimStatus.IN_PROGRESS));
    }

    @Test
    void a_claim_list_with_nothing_found_is_an_empty_page_and_an_unknown_state_fails_the_answer() {
        String none = Xml.DECLARATION + "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\"><ns2:result_code>-1</ns2:result_code>"
                + "<ns2:result_text>해당 건이 없습니다.</ns2:result_text></ns2:orders>";
        String odd = Xml.DECLARATION + "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\">" + returnLine("2400330", "999") + "</ns2:orders>";
        String tooLong = Xml.DECLARATION + "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\"><ns2:result_code>-29008</ns2:result_code>"
                + "<ns2:result_text>조회기간은 최대 30(한달)일 단위로 가능합니다.</ns2:result_text></ns2:orders>";

        MarketData.RecordPage empty = page(listCall(DataKind.CLAIMS, Optional.of("exchangeorders")), none);
        CallOutcome unknown = classify(listCall(DataKind.CLAIMS, Optional.of("returnorders")), odd);
        CallOutcome refused = classify(listCall(DataKind.CLAIMS, Optional.of("returnorders")), tooLong);

        assertThat(empty.records()).isEmpty();
        assertThat(empty.nextCursor()).isEmpty();
        assertThat(unknown).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("order[0].clmStat must be one of 11st's claim states"));
        assertThat(refused).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("-29008").contains("조회기간은 최대 30(한달)일"));
    }

    @Test
    void a_qna_becomes_an_inquiry_named_by_its_number_and_product_answered_or_not() {
        String body = Xml.DECLARATION + "<ns2:productQnas xmlns:ns2=\"" + Xml.NS + "\"><ns2:productQna><answerCont>아주 맛있는 꿀사과입니다."
                + "</answerCont><answerDt>2010/01/19</answerDt><answerYn>Y</answerYn><brdInfoClfNo>48073872</brdInfoClfNo>"
                + "<brdInfoCont>사과 맛있나요?</brdInfoCont><brdInfoNo>4881274</brdInfoNo><brdInfoSbjct>질문이요</brdInfoSbjct>"
                + "<buyYn>Y</buyYn><createDt>2010-01-19 12:47:02.0</createDt><ordNoDe>201510309348419</ordNoDe></ns2:productQna>"
                + "<ns2:productQna><answerCont></answerCont><answerYn>N</answerYn><brdInfoClfNo>48073872</brdInfoClfNo>"
                + "<brdInfoCont>언제 와요?</brdInfoCont><brdInfoNo>4881275</brdInfoNo><brdInfoSbjct>배송</brdInfoSbjct>"
                + "<buyYn>N</buyYn><createDt>2010-01-19 13:00:00.0</createDt></ns2:productQna></ns2:productQnas>";

        MarketData.RecordPage page = page(listCall(DataKind.INQUIRIES, Optional.empty()), body);

        assertThat(page.nextCursor()).isEmpty();
        assertThat(page.records()).hasSize(2);
        MarketRecord answered = page.records().get(0);
        assertThat(answered.id()).isEqualTo("4881274-48073872");
        assertThat(answered.commonStatus()).isEqualTo(InquiryStatus.ANSWERED);
        assertThat(answered.fields()).isEqualTo(Map.of("title", "질문이요", "question", "사과 맛있나요?", "answer", "아주 맛있는 꿀사과입니다.",
                "productId", "48073872", "orderId", "201510309348419", "askedAt", "2010-01-19T03:47:02Z"));
        assertThat(page.records().get(1).commonStatus()).isEqualTo(InquiryStatus.UNANSWERED);
        assertThat(page.records().get(1).fields()).doesNotContainKeys("answer", "orderId");
    }

    @Test
    void settlement_rows_become_settlements_settled_once_their_remittance_day_has_come() {
        String one = Xml.DECLARATION + "<ns2:seStlDtlList xmlns:ns2=\"" + Xml.NS + "\"><clmReqSeq/><ordNo>20260225044348982</ordNo><ordPrdSeq>1</ordPrdSeq>"
                + "<pocnfrmDt>20251230</pocnfrmDt><stlAmt>3680</stlAmt><stlDy>2025/12/31</stlDy><stlPlnDy>2026/01/01</stlPlnDy>"
                + "<totalCount>1</totalCount></ns2:seStlDtlList>";
        String two = Xml.DECLARATION + "<ns2:seStlDtlLists xmlns:ns2=\"" + Xml.NS + "\">"
                + "<ns2:seStlDtlList><clmReqSeq>2400330</clmReqSeq><ordNo>1</ordNo><ordPrdSeq>2</ordPrdSeq><pocnfrmDt>20251231</pocnfrmDt>"
                + "<stlAmt>-500</stlAmt><stlPlnDy>2026/01/02</stlPlnDy></ns2:seStlDtlList>"
                + "<ns2:seStlDtlList><ordNo>3</ordNo><ordPrdSeq>1</ordPrdSeq><pocnfrmDt>20251231</pocnfrmDt><stlAmt>100</stlAmt>"
                + "</ns2:seStlDtlList><totalCount>2</totalCount></ns2:seStlDtlLists>";
        String none = Xml.DECLARATION + "<ns2:orders xmlns:ns2=\"" + Xml.NS + "\"><ns2:result_code>0</ns2:result_code>"
                + "<ns2:result_text>조회된 결과가 없습니다.</ns2:result_text></ns2:orders>";

        MarketData.RecordPage single = page(listCall(DataKind.SETTLEMENTS, Optional.empty()), one);
        MarketData.RecordPage several = page(listCall(DataKind.SETTLEMENTS, Optional.empty()), two);
        MarketData.RecordPage empty = page(listCall(DataKind.SETTLEMENTS, Optional.empty()), none);

        // 2026-01-01 in Korea is the adapter's today: remitted today is SETTLED, tomorrow or no day SCHEDULED
        assertThat(single.records()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("20260225044348982-1");
            assertThat(r.commonStatus()).isEqualTo(SettlementStatus.SETTLED);
            assertThat(r.updatedAt()).isEqualTo(Instant.parse("2025-12-29T15:00:00Z"));
            assertThat(r.fields()).isEqualTo(Map.of("amount", "3680", "settleDate", "2025-12-31", "orderId", "20260225044348982"));
        });
        assertThat(several.records()).extracting(MarketRecord::id).containsExactly("1-2-2400330", "3-1");
        assertThat(several.records()).extracting(MarketRecord::commonStatus).containsOnly(SettlementStatus.SCHEDULED);
        assertThat(empty.records()).isEmpty();
    }

    @Test
    void action_answers_done_already_done_refused_and_maintenance_are_told_apart() {
        PlannedCall ack = adapter.plan(new MarketAction.AcknowledgeOrder(ElevenSt.SELLER, LINE));
        PlannedCall answer = adapter.plan(new MarketAction.AnswerInquiry(ElevenSt.SELLER, "4881274-48073872", "네"));
        PlannedCall confirm = adapter.plan(new MarketAction.ConfirmClaim(ElevenSt.SELLER, "cancel-8191721-201001138151745-1"));
        PlannedCall reject = adapter.plan(new MarketAction.RejectClaim(ElevenSt.SELLER, "return-2400330-201001068151292-1", "미입고"));

        assertThat(classify(ack, Xml.result("0", "전체 1건이 정상적으로 발주처리가 되었습니다.")))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("acknowledge-order", false)));
        assertThat(classify(ack, Xml.result("-3206", "이미 발주 처리 되었거나 , 발주 처리할 건이 없습니다.")))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("acknowledge-order", true)));
        assertThat(classify(ack, Xml.result("-3211", "주문취소된 주문건입니다."))).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).isEqualTo("11st refused acknowledge-order of " + LINE + ": result code -3211 주문취소된 주문건입니다.");
        });
        assertThat(classify(ack, Xml.result("-1000", "서버 점검중입니다."))).isInstanceOf(CallOutcome.Retryable.class);
        assertThat(classify(answer, clientMessage("200", "상품 Qna 글 번호 : 4881274의 성공적으로 수정되었습니다.")))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("answer-inquiry", false)));
        assertThat(classify(answer, clientMessage("500", "상품 Qna 글 번호 :4881274의 답변 업데이트 실패. MSG : OpenAPI Key 에 해당하는 유저가 없습니다.")))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED));
        assertThat(classify(answer, clientMessage("500", "상품 Qna 글 번호 :4881274의 답변 업데이트 실패. MSG : 이미 답변이 등록된 문의입니다.")))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED));
        assertThat(classify(confirm, Xml.result("-1", "이미 취소 완료된 신청건 입니다.")))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("confirm-claim", true)));
        assertThat(classify(reject, Xml.result("-1", "반품 신청상태가 아니어서 반품거부를 할 수 없습니다.")))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
                    assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
                    assertThat(f.reason()).contains("반품 신청상태가 아니어서");
                });
        assertThat(classify(reject, Xml.result("004", "허용된 호출량을 초과하였습니다."))).isInstanceOf(CallOutcome.Throttled.class);
    }

    // ---- helpers

    private static String returnLine(String clmReqSeq, String state) {
        return "<ns2:order><clmReqCont>상세내역</clmReqCont><clmReqQty>1</clmReqQty><clmReqRsn>101</clmReqRsn><clmReqSeq>" + clmReqSeq
                + "</clmReqSeq><clmStat>" + state + "</clmStat><ordNo>201001068151292</ordNo><ordPrdSeq>1</ordPrdSeq>"
                + "<prdNo>41601209</prdNo><reqDt>2010-01-06 15:16:37</reqDt></ns2:order>";
    }

    private static String clientMessage(String code, String message) {
        return Xml.DECLARATION + "<ClientMessage><brdInfoNo>4881274</brdInfoNo><message>" + message + "</message>"
                + "<productNo>48073872</productNo><resultCode>" + code + "</resultCode></ClientMessage>";
    }

    private CollectionRequest request(DataKind kind, Instant from, Instant to) {
        return new CollectionRequest("11st", ElevenSt.SELLER, kind, from, to);
    }

    private PlannedCall listCall(DataKind kind, Optional<String> cursor) {
        CollectionRequest request = request(kind, NOW, NOW.plusSeconds(86_400));
        return adapter.planPage(request, adapter.windows(request).get(0), cursor);
    }

    private CallOutcome classify(PlannedCall call, String body) {
        return adapter.classify(call, XmlAnswer.of(adapter, 200, XML, body, Xml.MS949));
    }

    private MarketData.RecordPage page(PlannedCall call, String body) {
        CallOutcome outcome = classify(call, body);
        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        return (MarketData.RecordPage) ((CallOutcome.Ok) outcome).data();
    }
}
