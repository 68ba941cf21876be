package io.marketgate.market.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketAction;
import io.marketgate.market.ProductStatus;
import io.marketgate.marketsim.Outcome;
import org.junit.jupiter.api.Test;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference REST adapter against market-sim's reference protocol, through a real {@link io.marketgate.market.MarketClient}
 * and an in-memory limiter: every kind collected across windows and pages, every action done, done again and refused.
 * The market's clock stands still at {@link #NOW}, after the collected days.
 */
class ReferenceRestAdapterSimulatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    /** Three days, three windows of 24 h. */
    private static final Instant FROM = Instant.parse("2026-11-19T00:00:00Z");
    private static final Instant TO = NOW;
    private static final Duration MAX_WAIT = Duration.ofSeconds(3);
    private static final Seller SELLER = Seller.of("s-1");

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private Fixture fx;

    @BeforeEach
    void start() throws Exception {
        sim = MarketSim.builder().clock(SimClock.manual(NOW))
                .market(MarketConfig.named("shop").apiKeys(TestMarket.API_KEY).sellers("s-1", "s-2")
                        .maxRange(Duration.ofHours(24)).maxPageSize(50).defaultPageSize(50).build())
                .start();
        market = sim.market("shop");
        fx = Fixture.of(dir, sim.baseUrl("shop"), 1);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.limiter.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataKind.class, names = "ORDERS", mode = EnumSource.Mode.EXCLUDE)
    void collecting_a_kind_over_three_days_gets_every_record_of_the_seller_once_across_windows_and_pages(DataKind kind)
            throws Exception {
        // GIVEN the market's records of s-1 of three days, pages of 1 and windows of 24 h
        RecordBook.Kind bookKind = RecordBook.Kind.valueOf(kind.name());
        List<RecordBook.SimRecord> truth = market.records().between("s-1", bookKind, FROM, TO);
        assertThat(truth).hasSizeGreaterThanOrEqualTo(3);
        List<MarketRecord> collected = new ArrayList<>();

        // WHEN the kind is collected
        CollectionResult result = fx.client.collectPages(new CollectionRequest("shop", SELLER, kind, FROM, TO), Priority.MEDIUM,
                MAX_WAIT, (call, page) -> collected.addAll(((MarketData.RecordPage) page).records()));

        // THEN each record once, with the market's state as its common status, one page per record (one for an empty day)
        assertThat(result).isInstanceOf(CollectionResult.Completed.class);
        assertThat(collected).extracting(MarketRecord::id)
                .containsExactlyElementsOf(truth.stream().map(RecordBook.SimRecord::id).toList());
        assertThat(collected).allSatisfy(r -> assertThat(r.kind()).isEqualTo(kind));
        Map<String, String> states = new java.util.HashMap<>();
        truth.forEach(t -> states.put(t.id(), t.state()));
        assertThat(collected).allSatisfy(r -> assertThat(r.commonStatus().name()).isEqualTo(states.get(r.id())));
        assertThat(collected).allSatisfy(r -> assertThat(r.fields()).isNotEmpty());
        Endpoint endpoint = Endpoint.valueOf("LIST_" + kind.name());
        long perDayPages = 0;
        for (int day = 0; day < 3; day++) {
            Instant start = FROM.plus(Duration.ofDays(day));
            perDayPages += Math.max(1, market.records().between("s-1", bookKind, start, start.plus(Duration.ofDays(1))).size());
        }
        assertThat(market.arrivals()).hasSize((int) perDayPages).extracting(Arrival::endpoint).containsOnly(endpoint);
        assertThat(market.arrivals()).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
    }

    @Test
    void answering_an_inquiry_is_done_then_done_already_and_another_answer_is_refused_with_the_markets_reason() throws Exception {
        // GIVEN an unanswered inquiry
        String inquiry = find(RecordBook.Kind.INQUIRIES, "UNANSWERED");

        // WHEN it is answered, answered again (a redelivery) and answered with another text
        CallOutcome first = fx.client.execute(new MarketAction.AnswerInquiry(SELLER, inquiry, "Yes, it is."), MAX_WAIT);
        CallOutcome again = fx.client.execute(new MarketAction.AnswerInquiry(SELLER, inquiry, "Yes, it is."), MAX_WAIT);
        CallOutcome other = fx.client.execute(new MarketAction.AnswerInquiry(SELLER, inquiry, "No."), MAX_WAIT);

        // THEN
        assertThat(first).isEqualTo(done("answer-inquiry", false));
        assertThat(again).isEqualTo(done("answer-inquiry", true));
        assertThat(other).isEqualTo(new CallOutcome.Fatal("shop refused answer-inquiry of inquiry " + inquiry
                + " of seller s-1: the inquiry is answered already", CallOutcome.Cause.ACTION_REFUSED));
        assertThat(market.records().find("s-1", inquiry).orElseThrow().attrs()).containsEntry("answer", "Yes, it is.");
        assertThat(market.arrivals(Endpoint.ANSWER_INQUIRY)).extracting(Arrival::outcome)
                .containsExactly(Outcome.OK, Outcome.DUPLICATE, Outcome.REFUSED);
        assertThat(List.of(market.records().applications(), market.records().repeats(), market.records().refusals()))
                .containsExactly(1L, 1L, 1L);
    }

    @Test
    void replying_to_a_review_is_done_then_done_already_and_a_deleted_review_is_refused() throws Exception {
        String review = find(RecordBook.Kind.REVIEWS, "UNREPLIED");
        String deleted = find(RecordBook.Kind.REVIEWS, "DELETED");

        CallOutcome first = fx.client.execute(new MarketAction.ReplyReview(SELLER, review, "Thank you!"), MAX_WAIT);
        CallOutcome again = fx.client.execute(new MarketAction.ReplyReview(SELLER, review, "Thank you!"), MAX_WAIT);
        CallOutcome gone = fx.client.execute(new MarketAction.ReplyReview(SELLER, deleted, "Thank you!"), MAX_WAIT);

        assertThat(first).isEqualTo(done("reply-review", false));
        assertThat(again).isEqualTo(done("reply-review", true));
        assertThat(gone).isEqualTo(refused("reply-review of review " + deleted + " of seller s-1: the review was deleted"));
        assertThat(market.records().find("s-1", review).orElseThrow().state()).isEqualTo("REPLIED");
    }

    @Test
    void changing_a_products_price_stock_and_sale_status_is_done_then_done_already_and_an_ended_product_is_refused()
            throws Exception {
        // GIVEN a product on sale and an ended one
        String product = find(RecordBook.Kind.PRODUCTS, "ON_SALE");
        String ended = find(RecordBook.Kind.PRODUCTS, "ENDED");
        List<MarketAction> actions = List.of(new MarketAction.ChangePrice(SELLER, product, 1_234_560),
                new MarketAction.ChangeStock(SELLER, product, 777),
                new MarketAction.ChangeSaleStatus(SELLER, product, ProductStatus.SUSPENDED));

        // WHEN each is applied twice, and to the ended product
        for (MarketAction action : actions) {
            CallOutcome first = fx.client.execute(action, MAX_WAIT);
            CallOutcome again = fx.client.execute(action, MAX_WAIT);
            MarketAction onEnded = switch (action) {
                case MarketAction.ChangePrice p -> new MarketAction.ChangePrice(SELLER, ended, p.price());
                case MarketAction.ChangeStock st -> new MarketAction.ChangeStock(SELLER, ended, st.stock());
                case MarketAction.ChangeSaleStatus st -> new MarketAction.ChangeSaleStatus(SELLER, ended, st.status());
                default -> throw new IllegalStateException();
            };
            CallOutcome refusal = fx.client.execute(onEnded, MAX_WAIT);

            // THEN
            assertThat(first).as(action.name()).isEqualTo(done(action.name(), false));
            assertThat(again).as(action.name()).isEqualTo(done(action.name(), true));
            assertThat(refusal).as(action.name()).isEqualTo(refused(action.name() + " of product " + ended
                    + " of seller s-1: the product has ended and cannot be changed"));
        }
        RecordBook.SimRecord now = market.records().find("s-1", product).orElseThrow();
        assertThat(now.attrs()).containsEntry("price", "1234560").containsEntry("stock", "777");
        assertThat(now.state()).isEqualTo("SUSPENDED");
    }

    @Test
    void confirming_and_rejecting_claims_is_done_then_done_already_and_a_withdrawn_or_decided_claim_is_refused()
            throws Exception {
        // GIVEN two requested claims and a withdrawn one
        List<String> requested = findAll(RecordBook.Kind.CLAIMS, "REQUESTED");
        String toConfirm = requested.get(0);
        String toReject = requested.get(1);
        String withdrawn = find(RecordBook.Kind.CLAIMS, "WITHDRAWN");

        // WHEN
        CallOutcome confirmed = fx.client.execute(new MarketAction.ConfirmClaim(SELLER, toConfirm), MAX_WAIT);
        CallOutcome confirmedAgain = fx.client.execute(new MarketAction.ConfirmClaim(SELLER, toConfirm), MAX_WAIT);
        CallOutcome rejected = fx.client.execute(new MarketAction.RejectClaim(SELLER, toReject, "already shipped"), MAX_WAIT);
        CallOutcome rejectedAgain = fx.client.execute(new MarketAction.RejectClaim(SELLER, toReject, "already shipped"), MAX_WAIT);
        CallOutcome rejectConfirmed = fx.client.execute(new MarketAction.RejectClaim(SELLER, toConfirm, "no"), MAX_WAIT);
        CallOutcome confirmWithdrawn = fx.client.execute(new MarketAction.ConfirmClaim(SELLER, withdrawn), MAX_WAIT);

        // THEN
        assertThat(confirmed).isEqualTo(done("confirm-claim", false));
        assertThat(confirmedAgain).isEqualTo(done("confirm-claim", true));
        assertThat(rejected).isEqualTo(done("reject-claim", false));
        assertThat(rejectedAgain).isEqualTo(done("reject-claim", true));
        assertThat(rejectConfirmed).isEqualTo(refused("reject-claim of claim " + toConfirm
                + " of seller s-1: the claim was approved already"));
        assertThat(confirmWithdrawn).isEqualTo(refused("confirm-claim of claim " + withdrawn
                + " of seller s-1: the claim was withdrawn by the buyer"));
        assertThat(market.records().find("s-1", toConfirm).orElseThrow().state()).isEqualTo("IN_PROGRESS");
        assertThat(market.records().find("s-1", toReject).orElseThrow().state()).isEqualTo("REJECTED");
    }

    @Test
    void acknowledging_an_order_is_done_then_done_already_it_reads_back_instruct_and_a_cancelled_order_is_refused()
            throws Exception {
        // GIVEN an ACCEPT order and a cancelled one
        List<io.marketgate.marketsim.Order> orders = market.orders("s-1", FROM, TO);
        String accept = orders.stream().filter(o -> o.status().equals("ACCEPT")).findFirst().orElseThrow().orderId();
        String cancelled = orders.stream().filter(o -> o.status().equals("CANCELLED")).findFirst().orElseThrow().orderId();

        // WHEN
        CallOutcome first = fx.client.execute(new MarketAction.AcknowledgeOrder(SELLER, accept), MAX_WAIT);
        CallOutcome again = fx.client.execute(new MarketAction.AcknowledgeOrder(SELLER, accept), MAX_WAIT);
        CallOutcome refusal = fx.client.execute(new MarketAction.AcknowledgeOrder(SELLER, cancelled), MAX_WAIT);
        CallOutcome read = fx.client.execute(fx.adapter.planGetOrder(SELLER, accept), Priority.LOW, MAX_WAIT);

        // THEN
        assertThat(first).isEqualTo(done("acknowledge-order", false));
        assertThat(again).isEqualTo(done("acknowledge-order", true));
        assertThat(refusal).isEqualTo(refused("acknowledge-order of order " + cancelled + " of seller s-1: the order was cancelled"));
        assertThat(read).isInstanceOfSatisfying(CallOutcome.Ok.class, ok -> assertThat(((MarketData.OrderPage) ok.data()).orders())
                .singleElement().satisfies(o -> assertThat(o.commonStatus()).isEqualTo(io.marketgate.market.OrderStatus.PREPARING)));
    }

    @Test
    void an_action_on_an_id_the_seller_does_not_have_is_refused_as_no_such_record_and_a_long_text_never_reaches_the_market()
            throws Exception {
        // GIVEN a review's id, named as an inquiry
        String review = find(RecordBook.Kind.REVIEWS, "UNREPLIED");

        // WHEN
        CallOutcome wrongKind = fx.client.execute(new MarketAction.AnswerInquiry(SELLER, review, "Yes."), MAX_WAIT);
        CallOutcome otherSeller = fx.client.execute(new MarketAction.ReplyReview(Seller.of("s-2"), review, "Thanks"), MAX_WAIT);
        int before = market.arrivals().size();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.client.execute(
                new MarketAction.ReplyReview(SELLER, review, "x".repeat(1001)), MAX_WAIT)).isInstanceOf(IllegalArgumentException.class);

        // THEN
        assertThat(wrongKind).isEqualTo(new CallOutcome.Fatal("shop refused answer-inquiry: no such inquiry " + review
                + " of seller s-1", CallOutcome.Cause.ACTION_REFUSED));
        assertThat(otherSeller).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED));
        assertThat(market.arrivals()).hasSize(before);
        assertThat(market.records().applications()).isZero();
    }

    private static CallOutcome done(String action, boolean already) {
        return new CallOutcome.Ok(new MarketData.ActionDone(action, already));
    }

    private static CallOutcome refused(String what) {
        return new CallOutcome.Fatal("shop refused " + what, CallOutcome.Cause.ACTION_REFUSED);
    }

    /** The first record of s-1 of {@code kind} in {@code state} of the last 30 days. */
    private String find(RecordBook.Kind kind, String state) {
        return findAll(kind, state).get(0);
    }

    private List<String> findAll(RecordBook.Kind kind, String state) {
        List<String> ids = market.records().between("s-1", kind, NOW.minus(Duration.ofDays(30)), NOW).stream()
                .filter(r -> r.state().equals(state)).map(RecordBook.SimRecord::id).toList();
        assertThat(ids).as("s-1 has %s in %s", kind, state).isNotEmpty();
        return ids;
    }
}
