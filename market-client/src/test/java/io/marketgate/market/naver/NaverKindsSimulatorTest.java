package io.marketgate.market.naver;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.Seller;
import io.marketgate.market.SettlementStatus;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.NaverCredentials;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind Naver offers but orders, and every action but dispatch, by the Naver adapter through a real
 * {@link MarketClient} and limiter against the simulated Naver Commerce, whose records are its {@link RecordBook}'s.
 */
class NaverKindsSimulatorTest {

    /** 09:00 KST. */
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);
    private static final Seller SELLER = Seller.of("s-1");

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket naver;
    private NaverFixture fx;
    private MarketClient client;

    @BeforeEach
    void start() throws Exception {
        sim = MarketSim.builder().clock(SimClock.system()).market(MarketPresets.naverCommerce().sellers("s-1", "s-2").build()).start();
        naver = sim.market("naver");
        // pages of 3, so that every kind pages; Naver's own 2 calls per second per API
        fx = NaverFixture.of(Files.createTempDirectory(dir, "env"), sim.baseUrl("naver") + "/external", Clock.systemUTC(), 2, 3);
        for (var c : naver.credentials()) {
            NaverCredentials n = (NaverCredentials) c;
            fx.self(n.sellerId(), n.clientId(), n.clientSecret());
        }
        client = fx.client(fx.limiter());
    }

    @AfterEach
    void stop() {
        fx.close();
        sim.close();
    }

    // ---- collections

    @Test
    void claims_are_collected_over_every_claim_change_type_page_by_page_with_the_books_claims_and_states() throws Exception {
        // GIVEN two days of claims, some of them decided since
        Instant to = T0.plus(Duration.ofDays(2));
        List<RecordBook.SimRecord> book = records(RecordBook.Kind.CLAIMS, T0, to);
        RecordBook.SimRecord requested = book.stream().filter(r -> r.state().equals("REQUESTED")).findFirst().orElseThrow();

        // WHEN
        List<MarketRecord> collected = collect(DataKind.CLAIMS, T0, to);

        // THEN each claim of the book once per change type it shows, with Naver's claim states mapped
        assertThat(new LinkedHashSet<>(collected.stream().map(MarketRecord::id).toList()))
                .containsAll(book.stream().map(r -> r.attrs().get("claimType") + ".2" + r.id()).toList());
        MarketRecord claim = collected.stream().filter(r -> r.id().equals(requested.attrs().get("claimType") + ".2" + requested.id()))
                .findFirst().orElseThrow();
        assertThat(claim.status()).isEqualTo(requested.attrs().get("claimType") + "_REQUEST");
        assertThat(claim.commonStatus()).isEqualTo(ClaimStatus.REQUESTED);
        assertThat(claim.fields()).containsEntry("claimType", requested.attrs().get("claimType"))
                .containsEntry("orderId", requested.attrs().get("orderId"));
        assertThat(claim.updatedAt()).isEqualTo(requested.updatedAt());
        for (RecordBook.SimRecord r : book) {
            MarketRecord last = collected.stream().filter(c -> c.id().equals(r.attrs().get("claimType") + ".2" + r.id()))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(last.commonStatus()).as(r.id()).isEqualTo(switch (r.state()) {
                case "WITHDRAWN" -> ClaimStatus.REJECTED; // Naver's *_REJECT (철회) is both
                default -> ClaimStatus.valueOf(r.state());
            });
        }
        // five passes per 24 h window, each a call of the last-changed API
        assertThat(naver.arrivals(Endpoint.LIST_ORDERS)).hasSizeGreaterThanOrEqualTo(2 * 5);
        assertThat(naver.callsOverBudget()).isZero();
    }

    @Test
    void product_questions_are_collected_in_week_windows_page_by_page_with_their_answers() throws Exception {
        // GIVEN ten days of questions (two windows of at most 7 days)
        Instant to = T0.plus(Duration.ofDays(10));
        List<RecordBook.SimRecord> book = records(RecordBook.Kind.INQUIRIES, T0, to);

        // WHEN
        List<MarketRecord> collected = collect(DataKind.INQUIRIES, T0, to);

        // THEN
        assertThat(collected).extracting(MarketRecord::id).containsExactlyElementsOf(book.stream().map(RecordBook.SimRecord::id).toList());
        assertThat(collected).extracting(MarketRecord::commonStatus).containsExactlyElementsOf(book.stream()
                .map(r -> r.state().equals("ANSWERED") ? InquiryStatus.ANSWERED : InquiryStatus.UNANSWERED).toList());
        assertThat(collected.get(0).fields()).containsEntry("question", book.get(0).attrs().get("question"))
                .containsEntry("productId", "1" + book.get(0).attrs().get("productId"))
                .containsEntry("askedAt", book.get(0).createdAt().toString());
        assertThat(book).hasSizeGreaterThan(7 * 3); // more than one page per window
        assertThat(naver.arrivals(Endpoint.LIST_INQUIRIES)).hasSizeGreaterThan(2);
        assertThat(naver.callsOverBudget()).isZero();
    }

    @Test
    void products_are_collected_by_the_kst_days_they_changed_page_by_page_with_price_stock_and_state() throws Exception {
        // GIVEN the products of 09:00 KST on 1 November to 09:00 KST on 3 November: the dates 1 to 3 November
        Instant to = T0.plus(Duration.ofDays(2));
        List<RecordBook.SimRecord> book = records(RecordBook.Kind.PRODUCTS, kstMidnight(T0), kstMidnight(to).plus(Duration.ofDays(1)));

        // WHEN
        List<MarketRecord> collected = collect(DataKind.PRODUCTS, T0, to);

        // THEN
        assertThat(collected).extracting(MarketRecord::id).containsExactlyElementsOf(book.stream().map(RecordBook.SimRecord::id).toList());
        RecordBook.SimRecord first = book.get(0);
        assertThat(collected.get(0).fields()).containsEntry("name", first.attrs().get("name"))
                .containsEntry("price", first.attrs().get("price")).containsEntry("stock", first.attrs().get("stock"));
        assertThat(collected.get(0).commonStatus()).isEqualTo(ProductStatus.valueOf(first.state()));
        assertThat(book).hasSizeGreaterThan(3);
        assertThat(naver.arrivals(Endpoint.LIST_PRODUCTS)).hasSize((book.size() + 2) / 3);
        assertThat(naver.callsOverBudget()).isZero();
    }

    @Test
    void daily_settlements_are_collected_by_kst_date_page_by_page_scheduled_until_settled() throws Exception {
        // GIVEN 40 days: two windows of at most 31 KST days
        Instant to = T0.plus(Duration.ofDays(40));

        // WHEN
        List<MarketRecord> collected = collect(DataKind.SETTLEMENTS, T0, to);

        // THEN one settlement per basis date of the book, 1 November to 11 December
        List<RecordBook.SimRecord> book = records(RecordBook.Kind.SETTLEMENTS, Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-12T00:00:00Z"));
        assertThat(collected).extracting(MarketRecord::id).containsExactlyElementsOf(book.stream()
                .map(r -> r.attrs().get("settleDate") + "_" + r.attrs().get("settleDate")).toList());
        assertThat(collected).extracting(MarketRecord::commonStatus).containsExactlyElementsOf(book.stream()
                .map(r -> SettlementStatus.valueOf(r.state())).toList());
        assertThat(collected.get(0).fields()).containsEntry("amount", book.get(0).attrs().get("amount"));
        assertThat(naver.arrivals(Endpoint.LIST_SETTLEMENTS)).hasSize((31 + 2) / 3 + Math.max(1, (book.size() - 31 + 2) / 3));
        assertThat(naver.callsOverBudget()).isZero();
    }

    // ---- actions

    @Test
    void acknowledging_a_paid_product_order_is_done_again_is_done_before_and_a_canceled_one_is_refused() throws Exception {
        List<io.marketgate.marketsim.Order> orders = naver.orders("s-1", T0, T0.plus(Duration.ofHours(24)));
        String paid = orders.stream().filter(o -> o.status().equals("PAYED")).findFirst().orElseThrow().orderId();
        String canceled = orders.stream().filter(o -> o.status().equals("CANCELED")).findFirst().orElseThrow().orderId();

        CallOutcome first = act(new MarketAction.AcknowledgeOrder(SELLER, paid));
        CallOutcome again = act(new MarketAction.AcknowledgeOrder(SELLER, paid));
        CallOutcome refused = act(new MarketAction.AcknowledgeOrder(SELLER, canceled));

        assertThat(first).isEqualTo(done("acknowledge-order", false));
        assertThat(again).isEqualTo(done("acknowledge-order", true));
        assertRefused(refused, "Naver refused acknowledge-order of product order " + canceled + ": code 104442");
    }

    @Test
    void confirming_and_rejecting_claims_call_the_claim_types_own_api_repeat_as_done_and_a_withdrawn_claim_is_refused()
            throws Exception {
        // GIVEN requested return and exchange claims and a withdrawn one, from the book
        List<RecordBook.SimRecord> claims = records(RecordBook.Kind.CLAIMS, T0.minus(Duration.ofDays(20)), T0.plus(Duration.ofDays(20)));
        RecordBook.SimRecord toApprove = first(claims, "REQUESTED", "RETURN");
        RecordBook.SimRecord toReject = first(claims, "REQUESTED", "EXCHANGE");
        RecordBook.SimRecord withdrawn = claims.stream().filter(r -> r.state().equals("WITHDRAWN")
                && !r.attrs().get("claimType").equals("CANCEL")).findFirst().orElseThrow();

        // WHEN
        CallOutcome approved = act(new MarketAction.ConfirmClaim(SELLER, id(toApprove)));
        CallOutcome approvedAgain = act(new MarketAction.ConfirmClaim(SELLER, id(toApprove)));
        CallOutcome rejected = act(new MarketAction.RejectClaim(SELLER, id(toReject), "착용한 상품은 교환할 수 없습니다."));
        CallOutcome rejectedAgain = act(new MarketAction.RejectClaim(SELLER, id(toReject), "착용한 상품은 교환할 수 없습니다."));
        CallOutcome onWithdrawn = act(new MarketAction.ConfirmClaim(SELLER, id(withdrawn)));

        // THEN
        assertThat(approved).isEqualTo(done("confirm-claim", false));
        assertThat(approvedAgain).isEqualTo(done("confirm-claim", true));
        assertThat(rejected).isEqualTo(done("reject-claim", false));
        assertThat(rejectedAgain).isEqualTo(done("reject-claim", true));
        assertRefused(onWithdrawn, "code 104442");
        assertThat(naver.records().find("s-1", toApprove.id()).orElseThrow().state()).isEqualTo("IN_PROGRESS");
        assertThat(naver.records().find("s-1", toReject.id()).orElseThrow().attrs()).containsEntry("reason", "착용한 상품은 교환할 수 없습니다.");
        assertThat(naver.arrivals(Endpoint.DECIDE_CLAIM)).extracting(a -> a.path()).containsExactly(
                "/naver/external/v1/pay-order/seller/product-orders/2" + toApprove.id() + "/claim/return/approve",
                "/naver/external/v1/pay-order/seller/product-orders/2" + toApprove.id() + "/claim/return/approve",
                "/naver/external/v1/pay-order/seller/product-orders/2" + toReject.id() + "/claim/exchange/reject",
                "/naver/external/v1/pay-order/seller/product-orders/2" + toReject.id() + "/claim/exchange/reject",
                "/naver/external/v1/pay-order/seller/product-orders/2" + withdrawn.id() + "/claim/"
                        + withdrawn.attrs().get("claimType").toLowerCase() + (withdrawn.attrs().get("claimType").equals("EXCHANGE")
                        ? "/collect/approve" : "/approve"));
    }

    @Test
    void answering_a_question_is_done_the_same_answer_again_is_done_and_an_unknown_question_is_refused() throws Exception {
        RecordBook.SimRecord question = records(RecordBook.Kind.INQUIRIES, T0, T0.plus(Duration.ofDays(3))).stream()
                .filter(r -> r.state().equals("UNANSWERED")).findFirst().orElseThrow();

        CallOutcome answered = act(new MarketAction.AnswerInquiry(SELLER, question.id(), "네, 재고 있습니다."));
        CallOutcome again = act(new MarketAction.AnswerInquiry(SELLER, question.id(), "네, 재고 있습니다."));
        CallOutcome unknown = act(new MarketAction.AnswerInquiry(SELLER, "69999999999999", "네."));

        assertThat(answered).isEqualTo(done("answer-inquiry", false));
        assertThat(again).isEqualTo(done("answer-inquiry", false));
        assertRefused(unknown, "Naver has no answer-inquiry of inquiries 69999999999999 to act on: HTTP 404 NOT_FOUND");
        assertThat(naver.records().find("s-1", question.id()).orElseThrow().attrs()).containsEntry("answer", "네, 재고 있습니다.");
        assertThat(naver.records().applications()).isEqualTo(1);
        assertThat(naver.records().repeats()).isEqualTo(1);
    }

    @Test
    void price_stock_and_sale_status_change_a_product_and_an_ended_product_is_refused() throws Exception {
        List<RecordBook.SimRecord> products = records(RecordBook.Kind.PRODUCTS, T0.minus(Duration.ofDays(20)), T0.plus(Duration.ofDays(20)));
        RecordBook.SimRecord onSale = products.stream().filter(r -> r.state().equals("ON_SALE")).findFirst().orElseThrow();
        RecordBook.SimRecord ended = products.stream().filter(r -> r.state().equals("ENDED")).findFirst().orElseThrow();

        CallOutcome price = act(new MarketAction.ChangePrice(SELLER, onSale.id(), 12_340));
        CallOutcome stock = act(new MarketAction.ChangeStock(SELLER, onSale.id(), 7));
        CallOutcome suspended = act(new MarketAction.ChangeSaleStatus(SELLER, onSale.id(), ProductStatus.SUSPENDED));
        CallOutcome suspendedAgain = act(new MarketAction.ChangeSaleStatus(SELLER, onSale.id(), ProductStatus.SUSPENDED));
        CallOutcome onEnded = act(new MarketAction.ChangePrice(SELLER, ended.id(), 5_000));

        assertThat(price).isEqualTo(done("change-price", false));
        assertThat(stock).isEqualTo(done("change-stock", false));
        assertThat(suspended).isEqualTo(done("change-sale-status", false));
        assertThat(suspendedAgain).isEqualTo(done("change-sale-status", false));
        assertRefused(onEnded, "Naver refused change-price of products " + ended.id() + ": HTTP 400 BAD_REQUEST");
        RecordBook.SimRecord now = naver.records().find("s-1", onSale.id()).orElseThrow();
        assertThat(now.attrs()).containsEntry("price", "12340").containsEntry("stock", "7");
        assertThat(now.state()).isEqualTo("SUSPENDED");
        assertThat(naver.arrivals(Endpoint.CHANGE_PRODUCT)).hasSize(3);
        assertThat(naver.arrivals(Endpoint.CHANGE_SALE_STATUS)).extracting(a -> a.path()).containsOnly(
                "/naver/external/v1/products/origin-products/" + onSale.id() + "/change-status");
    }

    // ---- helpers

    private List<MarketRecord> collect(DataKind kind, Instant from, Instant to) throws InterruptedException {
        List<MarketRecord> collected = new ArrayList<>();
        CollectionRequest request = new CollectionRequest("naver", SELLER, kind, from, to);
        CollectionResult result = client.collectPages(request, Priority.MEDIUM, MAX_WAIT,
                (call, page) -> collected.addAll(((MarketData.RecordPage) page).records()));
        assertThat(result).isInstanceOf(CollectionResult.Completed.class);
        assertThat(collected).allSatisfy(r -> assertThat(r.kind()).isEqualTo(kind));
        return collected;
    }

    private CallOutcome act(MarketAction action) throws InterruptedException {
        PlannedCall call = client.adapter().plan(action);
        return client.execute(call, Priority.HIGH, MAX_WAIT);
    }

    private List<RecordBook.SimRecord> records(RecordBook.Kind kind, Instant from, Instant to) {
        return naver.records().between("s-1", kind, from, to);
    }

    private static RecordBook.SimRecord first(List<RecordBook.SimRecord> records, String state, String claimType) {
        return records.stream().filter(r -> r.state().equals(state) && r.attrs().get("claimType").equals(claimType))
                .findFirst().orElseThrow();
    }

    private static String id(RecordBook.SimRecord claim) {
        return claim.attrs().get("claimType") + ".2" + claim.id();
    }

    private static Instant kstMidnight(Instant t) {
        LocalDate date = t.atOffset(ZoneOffset.ofHours(9)).toLocalDate();
        return date.atStartOfDay(ZoneOffset.ofHours(9)).toInstant();
    }

    private static CallOutcome done(String action, boolean already) {
        return new CallOutcome.Ok(new MarketData.ActionDone(action, already));
    }

    private static void assertRefused(CallOutcome outcome, String reason) {
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).contains(reason);
        });
    }
}
