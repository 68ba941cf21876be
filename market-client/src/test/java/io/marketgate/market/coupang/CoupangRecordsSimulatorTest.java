package io.marketgate.market.coupang;

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
import io.marketgate.market.ProductStatus;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.CoupangCredentials;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Coupang adapter against the simulated Coupang Wing for every kind other than orders and every action, through a
 * real {@link MarketClient} and an in-memory limiter (pages of 5 so that a window takes several pages). Both run on
 * the system clock: the simulated records of past days are the market's truth.
 */
class CoupangRecordsSimulatorTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(3);
    /** Korean midnight twelve days ago: ranges of whole past days. */
    private static final Instant FROM = Instant.now().atZone(CoupangAdapter.KST).toLocalDate().minusDays(12)
            .atStartOfDay(CoupangAdapter.KST).toInstant();

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private PriorityLimiter limiter;
    private MarketClient client;
    private Seller seller;

    @BeforeEach
    void start() throws Exception {
        sim = MarketSim.builder().market(MarketPresets.coupangWing().sellers("S1").build()).start();
        market = sim.market("coupang");
        CoupangCredentials issued = market.coupangCredentials("S1");
        seller = Seller.of("S1").withVendorId(issued.vendorId());
        EnvironmentConfig environment = Coupang.load(dir, CoupangRecordPlanningTest.recordsYaml(sim.baseUrl("coupang"), "5")
                .replace("limit: 10", "limit: 9"));
        limiter = PriorityLimiter.builder().budgets(environment.market("coupang").limiterBudgets())
                .store(new InMemoryLimiterStore(Clock.systemUTC())).build();
        var keys = Coupang.credentials(issued.vendorId(), issued.accessKey(), issued.secretKey());
        client = MarketClient.builder(limiter, MarketAdapters.forMarket(environment, "coupang",
                AdapterContext.of(name -> null).withCredentials((m, s) -> keys).withClock(Clock.systemUTC()))).build();
    }

    @AfterEach
    void stop() {
        limiter.close();
        sim.close();
    }

    private List<MarketRecord> collect(DataKind kind, Instant from, Instant to) throws InterruptedException {
        List<MarketRecord> records = new ArrayList<>();
        CollectionResult result = client.collectPages(new CollectionRequest("coupang", seller, kind, from, to), Priority.MEDIUM, MAX_WAIT,
                (call, page) -> records.addAll(((MarketData.RecordPage) page).records()));
        assertThat(result).as(String.valueOf(result)).isInstanceOf(CollectionResult.Completed.class);
        return records;
    }

    private List<RecordBook.SimRecord> truth(RecordBook.Kind kind, Instant from, Instant to) {
        return market.records().between("S1", kind, from, to);
    }

    private CallOutcome act(MarketAction action) throws InterruptedException {
        return client.execute(action, MAX_WAIT);
    }

    private static CallOutcome done(String name, boolean already) {
        return new CallOutcome.Ok(new MarketData.ActionDone(name, already));
    }

    private static void refused(CallOutcome outcome, String reason) {
        assertThat(outcome).isInstanceOf(CallOutcome.Fatal.class);
        assertThat(((CallOutcome.Fatal) outcome).cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
        assertThat(((CallOutcome.Fatal) outcome).reason()).contains(reason);
    }

    // ---- kinds

    @Test
    void ten_days_of_inquiries_come_in_two_windows_of_several_pages_each_inquiry_once_with_its_answer() throws Exception {
        Instant to = FROM.plus(Duration.ofDays(10));
        List<MarketRecord> inquiries = collect(DataKind.INQUIRIES, FROM, to);

        List<RecordBook.SimRecord> truth = truth(RecordBook.Kind.INQUIRIES, FROM, to);
        assertThat(inquiries).extracting(MarketRecord::id).containsExactlyElementsOf(truth.stream().map(RecordBook.SimRecord::id).toList());
        assertThat(inquiries).allSatisfy(i -> {
            RecordBook.SimRecord t = truth.stream().filter(r -> r.id().equals(i.id())).findFirst().orElseThrow();
            assertThat(i.commonStatus()).isEqualTo(InquiryStatus.valueOf(t.state()));
            assertThat(i.fields().get("question")).isEqualTo(t.attrs().get("question"));
            assertThat(i.fields().get("answer")).isEqualTo(t.attrs().get("answer"));
            assertThat(i.fields().get("askedAt")).isEqualTo(t.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        });
        // 28 and 12 inquiries in pages of 5: 6 + 3 pages
        assertThat(market.arrivals(io.marketgate.marketsim.Endpoint.LIST_INQUIRIES)).hasSize(9);
    }

    @Test
    void nine_days_of_claims_walk_returns_cancels_and_exchanges_each_claim_once_in_its_common_status() throws Exception {
        Instant to = FROM.plus(Duration.ofDays(9));
        List<MarketRecord> claims = collect(DataKind.CLAIMS, FROM, to);

        List<RecordBook.SimRecord> truth = truth(RecordBook.Kind.CLAIMS, FROM, to);
        assertThat(claims).extracting(r -> r.id().substring(r.id().indexOf('-') + 1))
                .containsExactlyInAnyOrderElementsOf(truth.stream().map(RecordBook.SimRecord::id).toList());
        assertThat(claims).allSatisfy(c -> {
            RecordBook.SimRecord t = truth.stream().filter(r -> c.id().endsWith("-" + r.id())).findFirst().orElseThrow();
            assertThat(c.commonStatus()).isEqualTo(ClaimStatus.valueOf(t.state()));
            assertThat(c.fields().get("orderId")).isEqualTo(t.attrs().get("orderId"));
        });
        assertThat(claims).extracting(r -> r.fields().get("claimType")).contains("RETURN", "EXCHANGE");
    }

    @Test
    void forty_days_of_settlements_page_through_the_revenue_history_in_two_windows() throws Exception {
        Instant to = FROM.plus(Duration.ofDays(12));
        Instant from = to.minus(Duration.ofDays(40));
        List<MarketRecord> settlements = collect(DataKind.SETTLEMENTS, from, to);

        List<RecordBook.SimRecord> truth = truth(RecordBook.Kind.SETTLEMENTS, from, to);
        assertThat(settlements).hasSameSizeAs(truth);
        assertThat(settlements).extracting(s -> s.fields().get("amount"))
                .containsExactlyElementsOf(truth.stream().map(r -> r.attrs().get("amount")).toList());
        assertThat(settlements).extracting(MarketRecord::status)
                .containsExactlyElementsOf(truth.stream().map(RecordBook.SimRecord::state).toList());
    }

    @Test
    void the_product_list_is_paged_by_next_token_and_an_ended_product_is_ended() throws Exception {
        List<MarketRecord> products = collect(DataKind.PRODUCTS, FROM, FROM.plus(Duration.ofDays(1)));

        assertThat(products).hasSizeBetween(84, 93).extracting(MarketRecord::id).doesNotHaveDuplicates();
        assertThat(products).allSatisfy(p -> assertThat(p.commonStatus())
                .isEqualTo(p.status().equals("상품삭제") ? ProductStatus.ENDED : ProductStatus.ON_SALE));
    }

    // ---- actions

    @Test
    void an_inquiry_is_answered_a_repeat_counts_as_done_and_another_answer_is_refused_with_the_reason() throws Exception {
        RecordBook.SimRecord open = truth(RecordBook.Kind.INQUIRIES, FROM, FROM.plus(Duration.ofDays(2))).stream()
                .filter(r -> r.state().equals("UNANSWERED")).findFirst().orElseThrow();

        assertThat(act(new MarketAction.AnswerInquiry(seller, open.id(), "Yes, in stock."))).isEqualTo(done("answer-inquiry", false));
        assertThat(act(new MarketAction.AnswerInquiry(seller, open.id(), "Yes, in stock."))).isEqualTo(done("answer-inquiry", false));
        refused(act(new MarketAction.AnswerInquiry(seller, open.id(), "No.")), "answered already");
        assertThat(market.records().applications()).isEqualTo(1);
        assertThat(market.records().repeats()).isEqualTo(1);
    }

    @Test
    void an_accept_box_is_acknowledged_once_and_then_counts_as_acknowledged_and_can_be_shipped() throws Exception {
        List<Order> orders = new ArrayList<>();
        client.collect(new CollectionRequest("coupang", seller, DataKind.ORDERS, FROM, FROM.plus(Duration.ofHours(24))), Priority.MEDIUM,
                MAX_WAIT, (call, page) -> orders.addAll(page.orders()));
        String box = orders.stream().filter(o -> o.status().equals("ACCEPT")).findFirst().orElseThrow().orderId();

        assertThat(act(new MarketAction.AcknowledgeOrder(seller, box))).isEqualTo(done("acknowledge-order", false));
        assertThat(act(new MarketAction.AcknowledgeOrder(seller, box))).isEqualTo(done("acknowledge-order", true));
        assertThat(act(new MarketAction.ShipOrder(seller, box, "CJGLS", "341234567890"))).isEqualTo(done("ship-order", false));
        assertThat(market.arrivals(io.marketgate.marketsim.Endpoint.ACKNOWLEDGE_ORDER)).hasSize(1);
    }

    @Test
    void a_return_is_confirmed_then_approved_then_counts_as_done_and_a_withdrawn_exchange_is_refused() throws Exception {
        List<RecordBook.SimRecord> claims = truth(RecordBook.Kind.CLAIMS, FROM, FROM.plus(Duration.ofDays(12)));
        RecordBook.SimRecord ret = claims.stream().filter(r -> r.attrs().get("claimType").equals("RETURN") && r.state().equals("REQUESTED"))
                .findFirst().orElseThrow();
        String id = "return-" + ret.id();

        assertThat(act(new MarketAction.ConfirmClaim(seller, id))).isEqualTo(done("confirm-claim", false)); // receiveConfirmation
        assertThat(act(new MarketAction.ConfirmClaim(seller, id))).isEqualTo(done("confirm-claim", false)); // approval
        assertThat(act(new MarketAction.ConfirmClaim(seller, id))).isEqualTo(done("confirm-claim", true));  // completed

        RecordBook.SimRecord withdrawn = claims.stream().filter(r -> r.state().equals("WITHDRAWN")).findFirst().orElseThrow();
        refused(act(new MarketAction.ConfirmClaim(seller, "exchange-" + withdrawn.id())), "withdrawn");
    }

    @Test
    void an_exchange_is_rejected_for_a_coupang_code_and_confirming_it_afterwards_is_refused() throws Exception {
        RecordBook.SimRecord exchange = truth(RecordBook.Kind.CLAIMS, FROM, FROM.plus(Duration.ofDays(12))).stream()
                .filter(r -> r.attrs().get("claimType").equals("EXCHANGE") && r.state().equals("REQUESTED")).findFirst().orElseThrow();
        String id = "exchange-" + exchange.id();

        assertThat(act(new MarketAction.RejectClaim(seller, id, "SOLDOUT"))).isEqualTo(done("reject-claim", false));
        refused(act(new MarketAction.ConfirmClaim(seller, id)), "rejected already");
    }

    @Test
    void an_options_price_stock_and_sale_status_change_and_an_ended_product_or_a_price_out_of_range_is_refused() throws Exception {
        List<RecordBook.SimRecord> products = market.records().between("S1", RecordBook.Kind.PRODUCTS,
                Instant.now().minus(Duration.ofDays(30)), Instant.now());
        RecordBook.SimRecord onSale = products.stream().filter(r -> r.state().equals("ON_SALE")).findFirst().orElseThrow();
        long price = Long.parseLong(onSale.attrs().get("price"));

        assertThat(act(new MarketAction.ChangePrice(seller, onSale.id(), price + 10))).isEqualTo(done("change-price", false));
        assertThat(act(new MarketAction.ChangeStock(seller, onSale.id(), 7))).isEqualTo(done("change-stock", false));
        assertThat(act(new MarketAction.ChangeSaleStatus(seller, onSale.id(), ProductStatus.SUSPENDED))).isEqualTo(done("change-sale-status", false));
        refused(act(new MarketAction.ChangePrice(seller, onSale.id(), (price + 10) * 3)), "최대 50% 인하/최대 100%인상");
        assertThat(market.records().find("S1", onSale.id()).orElseThrow().state()).isEqualTo("SUSPENDED");

        products.stream().filter(r -> r.state().equals("ENDED")).findFirst().ifPresent(ended -> {
            try {
                refused(act(new MarketAction.ChangeStock(seller, ended.id(), 1)), "ended");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }
}
