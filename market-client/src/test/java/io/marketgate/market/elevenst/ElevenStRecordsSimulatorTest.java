package io.marketgate.market.elevenst;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.SettlementStatus;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 11st adapter's claims, Q&amp;A and settlements and its actions on them against the simulated 11st, through a real
 * {@link MarketClient} and an in-memory limiter, at five times 11st's pace (the market 1 call per 200 ms per key, the
 * limiter 1 per 400 ms). What the market holds is its {@link RecordBook}.
 */
class ElevenStRecordsSimulatorTest {

    /** 2026-10-01 00:00 in Korea; 40 days: two claim windows, six Q&amp;A windows, two settlement windows. */
    private static final Instant FROM = Instant.parse("2026-09-30T15:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofDays(40));
    private static final Duration MAX_WAIT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private RecordBook book;
    private PriorityLimiter limiter;
    private MarketClient client;
    private final Seller seller = Seller.of("S1");

    @BeforeEach
    void start() throws Exception {
        sim = MarketSim.builder().market(MarketPresets.elevenStOpenApi().sellers("S1", "S2")
                .budgets(List.of(MarketBudget.slidingWindow("key", Scope.API_KEY, 1, Duration.ofMillis(200)))).build()).start();
        market = sim.market("11st");
        book = market.records();
        EnvironmentConfig environment = ElevenSt.environment(dir, market.clientBaseUrl(), "7d", "400ms", "4s");
        limiter = PriorityLimiter.builder().budgets(environment.market("11st").limiterBudgets())
                .store(new InMemoryLimiterStore(Clock.systemUTC())).build();
        var keys = ElevenSt.credentials(market.elevenStCredentials("S1").openApiKey());
        client = MarketClient.builder(limiter, MarketAdapters.forMarket(environment, "11st",
                AdapterContext.of(name -> null).withCredentials((m, s) -> keys))).build();
    }

    @AfterEach
    void stop() {
        limiter.close();
        sim.close();
    }

    @Test
    void claims_of_40_days_come_from_the_three_claim_lists_of_two_windows_each_claim_once_in_its_state() throws Exception {
        List<RecordBook.SimRecord> truth = book.between("S1", RecordBook.Kind.CLAIMS, FROM, TO).stream()
                .filter(r -> !(r.attrs().get("claimType").equals("CANCEL") && List.of("REJECTED", "WITHDRAWN").contains(r.state())))
                .toList();

        List<MarketRecord> claims = collect(DataKind.CLAIMS);

        assertThat(truth).hasSizeGreaterThan(40);
        assertThat(claims).extracting(MarketRecord::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(truth.stream().map(ElevenStRecordsSimulatorTest::claimId).toList());
        assertThat(claims).allSatisfy(c -> {
            RecordBook.SimRecord r = truth.stream().filter(t -> claimId(t).equals(c.id())).findFirst().orElseThrow();
            assertThat(c.fields()).containsEntry("claimType", r.attrs().get("claimType")).containsEntry("orderId", r.attrs().get("orderId"));
            assertThat(c.updatedAt()).isEqualTo(r.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertThat(c.commonStatus()).isEqualTo(r.state().equals("IN_PROGRESS") && !r.attrs().get("claimType").equals("EXCHANGE")
                    ? ClaimStatus.COMPLETED : ClaimStatus.valueOf(r.state()));
        });
        assertThat(market.arrivals()).extracting(Arrival::path).containsExactly(
                "/11st/rest/claimservice/cancelorders/202610010000/202610310000",
                "/11st/rest/claimservice/returnorders/202610010000/202610310000",
                "/11st/rest/claimservice/exchangeorders/202610010000/202610310000",
                "/11st/rest/claimservice/cancelorders/202610310000/202611100000",
                "/11st/rest/claimservice/returnorders/202610310000/202611100000",
                "/11st/rest/claimservice/exchangeorders/202610310000/202611100000");
        assertThat(market.arrivals()).allMatch(a -> a.endpoint() == Endpoint.LIST_CLAIMS);
        assertThat(market.callsOverBudget()).isZero();
    }

    @Test
    void inquiries_of_40_days_come_in_7_day_windows_answered_and_unanswered_each_once() throws Exception {
        List<RecordBook.SimRecord> truth = book.between("S1", RecordBook.Kind.INQUIRIES, FROM, TO);

        List<MarketRecord> inquiries = collect(DataKind.INQUIRIES);

        assertThat(inquiries).extracting(MarketRecord::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                truth.stream().map(r -> r.id() + "-" + r.attrs().get("productId")).toList());
        assertThat(inquiries).extracting(MarketRecord::commonStatus).contains(InquiryStatus.ANSWERED, InquiryStatus.UNANSWERED);
        assertThat(market.arrivals()).hasSize(6).allMatch(a -> a.endpoint() == Endpoint.LIST_INQUIRIES);
        assertThat(market.arrivals().get(5).path()).isEqualTo("/11st/rest/prodqnaservices/prodqnalist/20261105/20261109/00");
    }

    @Test
    void settlements_of_40_days_come_in_31_day_windows_settled_or_scheduled_as_the_market_holds_them() throws Exception {
        List<RecordBook.SimRecord> truth = book.between("S1", RecordBook.Kind.SETTLEMENTS, FROM, TO);

        List<MarketRecord> settlements = collect(DataKind.SETTLEMENTS);

        assertThat(settlements).extracting(MarketRecord::id)
                .containsExactlyInAnyOrderElementsOf(truth.stream().map(r -> r.id() + "-1").toList());
        assertThat(settlements).allSatisfy(s -> assertThat(s.commonStatus()).isEqualTo(SettlementStatus.valueOf(
                truth.stream().filter(r -> (r.id() + "-1").equals(s.id())).findFirst().orElseThrow().state())));
        assertThat(market.arrivals()).extracting(Arrival::path).containsExactly(
                "/11st/rest/settlement/settlementList/20261001/20261031",
                "/11st/rest/settlement/settlementList/20261101/20261109");
    }

    @Test
    void answering_an_unanswered_qna_is_done_the_same_answer_again_is_done_and_another_answer_is_refused() throws Exception {
        RecordBook.SimRecord qna = record(RecordBook.Kind.INQUIRIES, r -> r.state().equals("UNANSWERED"));
        String id = qna.id() + "-" + qna.attrs().get("productId");

        CallOutcome first = client.execute(new MarketAction.AnswerInquiry(seller, id, "네, 재고 있습니다. <곧> 발송 & 안내"), MAX_WAIT);
        CallOutcome again = client.execute(new MarketAction.AnswerInquiry(seller, id, "네, 재고 있습니다. <곧> 발송 & 안내"), MAX_WAIT);
        CallOutcome other = client.execute(new MarketAction.AnswerInquiry(seller, id, "품절입니다."), MAX_WAIT);

        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("answer-inquiry", false)));
        assertThat(again).isInstanceOf(CallOutcome.Ok.class);
        assertThat(other).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).contains("이미 답변이 등록된 문의입니다");
        });
        assertThat(book.find("S1", qna.id()).orElseThrow().attrs()).containsEntry("answer", "네, 재고 있습니다. <곧> 발송 & 안내");
        assertThat(book.applications()).isEqualTo(1);
        assertThat(book.repeats()).isEqualTo(1);
        assertThat(market.arrivals()).extracting(Arrival::endpoint).containsOnly(Endpoint.ANSWER_INQUIRY);
    }

    @Test
    void confirming_a_cancellation_is_done_and_again_is_already_done_and_a_return_approval_completes_the_return() throws Exception {
        RecordBook.SimRecord cancel = record(RecordBook.Kind.CLAIMS, r -> r.attrs().get("claimType").equals("CANCEL")
                && r.state().equals("REQUESTED"));
        RecordBook.SimRecord ret = record(RecordBook.Kind.CLAIMS, r -> r.attrs().get("claimType").equals("RETURN")
                && r.state().equals("REQUESTED"));

        CallOutcome confirmed = client.execute(new MarketAction.ConfirmClaim(seller, claimId(cancel)), MAX_WAIT);
        CallOutcome again = client.execute(new MarketAction.ConfirmClaim(seller, claimId(cancel)), MAX_WAIT);
        CallOutcome returned = client.execute(new MarketAction.ConfirmClaim(seller, claimId(ret)), MAX_WAIT);

        assertThat(confirmed).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("confirm-claim", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("confirm-claim", true)));
        assertThat(returned).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("confirm-claim", false)));
        List<MarketRecord> claims = collect(DataKind.CLAIMS);
        assertThat(claims).filteredOn(c -> c.id().equals(claimId(ret))).singleElement()
                .satisfies(c -> assertThat(c.commonStatus()).isEqualTo(ClaimStatus.COMPLETED));
        assertThat(claims).filteredOn(c -> c.id().equals(claimId(cancel))).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo("02"));
    }

    @Test
    void rejecting_an_exchange_is_done_and_a_withdrawn_return_is_refused_with_the_markets_reason() throws Exception {
        RecordBook.SimRecord exchange = record(RecordBook.Kind.CLAIMS, r -> r.attrs().get("claimType").equals("EXCHANGE")
                && r.state().equals("REQUESTED"));
        RecordBook.SimRecord withdrawn = record(RecordBook.Kind.CLAIMS, r -> r.attrs().get("claimType").equals("RETURN")
                && r.state().equals("WITHDRAWN"));

        CallOutcome rejected = client.execute(new MarketAction.RejectClaim(seller, claimId(exchange), "교환 불가 상품 / 사용 흔적"), MAX_WAIT);
        CallOutcome refused = client.execute(new MarketAction.RejectClaim(seller, claimId(withdrawn), "미입고"), MAX_WAIT);

        assertThat(rejected).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("reject-claim", false)));
        assertThat(book.find("S1", exchange.id()).orElseThrow().attrs()).containsEntry("reason", "교환 불가 상품 / 사용 흔적");
        assertThat(refused).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).contains("반품 신청상태가 아니어서 반품거부를 할 수 없습니다");
        });
    }

    @Test
    void acknowledging_a_paid_line_is_done_once_again_is_already_done_and_the_line_can_then_be_shipped() throws Exception {
        List<Order> lines = new ArrayList<>();
        client.collect(new CollectionRequest("11st", seller, DataKind.ORDERS, FROM, FROM.plus(Duration.ofDays(1))), Priority.MEDIUM,
                MAX_WAIT, (call, page) -> lines.addAll(page.orders()));
        String paid = lines.stream().filter(o -> o.status().equals("202")).findFirst().orElseThrow().orderId();

        CallOutcome acknowledged = client.execute(new MarketAction.AcknowledgeOrder(seller, paid), MAX_WAIT);
        CallOutcome again = client.execute(new MarketAction.AcknowledgeOrder(seller, paid), MAX_WAIT);
        CallOutcome shipped = client.execute(new MarketAction.ShipOrder(seller, paid, "00034", "627614443992"), MAX_WAIT);

        assertThat(acknowledged).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("acknowledge-order", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("acknowledge-order", true)));
        assertThat(shipped).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
    }

    // ---- fixture

    private List<MarketRecord> collect(DataKind kind) throws InterruptedException {
        List<MarketRecord> out = new ArrayList<>();
        CollectionResult result = client.collectPages(new CollectionRequest("11st", seller, kind, FROM, TO), Priority.MEDIUM, MAX_WAIT,
                (PlannedCall call, MarketData.Page page) -> out.addAll(((MarketData.RecordPage) page).records()));
        assertThat(result).isInstanceOf(CollectionResult.Completed.class);
        return out;
    }

    private RecordBook.SimRecord record(RecordBook.Kind kind, Predicate<RecordBook.SimRecord> which) {
        return book.between("S1", kind, FROM, TO).stream().filter(which).findFirst().orElseThrow();
    }

    private static String claimId(RecordBook.SimRecord r) {
        return r.attrs().get("claimType").toLowerCase(java.util.Locale.ROOT) + "-" + r.id() + "-" + r.attrs().get("orderId") + "-1";
    }
}
