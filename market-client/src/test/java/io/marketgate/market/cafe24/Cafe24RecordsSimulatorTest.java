package io.marketgate.market.cafe24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
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
import io.marketgate.market.ReviewStatus;
import io.marketgate.market.SettlementStatus;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cafe24's boards (Q&amp;A, reviews), products and daily sales, collected and acted on through a real {@link MarketClient}
 * against the simulated Cafe24 Admin API, whose records come from its {@link RecordBook}.
 */
class Cafe24RecordsSimulatorTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(20);
    private static final ZoneOffset KST = ZoneOffset.ofHours(9);

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private Cafe24Fixture fx;
    private MarketClient client;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** A mall whose section maps every record call, with the scopes they need. */
    private void start(String... sellers) throws Exception {
        sim = MarketSim.builder().market(MarketPresets.cafe24Admin().sellers(sellers).ordersPerHour(1).build()).start();
        market = sim.market("cafe24");
        fx = Cafe24Fixture.of(dir, market.clientBaseUrlTemplate(), Clock.systemUTC(), 50, 20,
                new io.marketgate.market.auth.InMemoryConnectionStore(), yaml -> yaml
                        .replace("      ship-order: {budgets: [cafe24/mall]}\n", "      ship-order: {budgets: [cafe24/mall]}\n"
                                + "      list-articles: {budgets: [cafe24/mall]}\n      reply-article: {budgets: [cafe24/mall]}\n"
                                + "      list-products: {budgets: [cafe24/mall]}\n      update-product: {budgets: [cafe24/mall]}\n"
                                + "      list-daily-sales: {budgets: [cafe24/mall]}\n")
                        .replace("shipOrder: ship-order}", "shipOrder: ship-order, listInquiries: list-articles, "
                                + "listReviews: list-articles, answerInquiry: reply-article, replyReview: reply-article, "
                                + "listProducts: list-products, changePrice: update-product, changeSaleStatus: update-product, "
                                + "listSettlements: list-daily-sales}\n      scopes: [mall.read_order, mall.write_order, "
                                + "mall.read_community, mall.write_community, mall.read_product, mall.write_product, "
                                + "mall.read_salesreport]"));
        for (String s : sellers) {
            Cafe24Credentials c = market.cafe24Credentials(s);
            fx.seller(s, c.mallId(), c.clientId(), c.clientSecret())
                    .connected(s, c.accessToken(), c.accessTokenExpiresAt(), c.refreshToken(), c.refreshTokenExpiresAt());
        }
        client = fx.client(fx.limiter());
    }

    private Seller seller(String id) {
        return Seller.of(id, Map.of("mallId", market.cafe24Credentials(id).mallId()));
    }

    /** Every record of a collection, by id, and the calls that listed them. */
    private Map<String, MarketRecord> collect(DataKind kind, Instant from, Instant to, List<PlannedCall> calls) throws Exception {
        Map<String, MarketRecord> out = new LinkedHashMap<>();
        CollectionResult result = client.collectPages(new CollectionRequest("cafe24", seller("S1"), kind, from, to), Priority.MEDIUM,
                MAX_WAIT, (call, page) -> {
                    calls.add(call);
                    for (MarketRecord r : ((MarketData.RecordPage) page).records()) {
                        out.put(r.id(), r);
                    }
                });
        assertThat(result).isInstanceOf(CollectionResult.Completed.class);
        return out;
    }

    /** The Cafe24 id of a record-book article: {board}-{day and index}. */
    private static String articleId(long board, RecordBook.SimRecord r) {
        return board + "-" + Long.parseLong(r.id().substring(6));
    }

    @Test
    void collecting_a_month_of_inquiries_pages_through_the_qna_board_and_finds_each_question_with_its_answer() throws Exception {
        // GIVEN a mall with four questions a day on its Q&A board (board 6), some answered by reply articles
        start("S1");
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(Duration.ofDays(30));
        List<RecordBook.SimRecord> expected = market.records().between("S1", RecordBook.Kind.INQUIRIES, from, to);

        // WHEN the month is collected
        List<PlannedCall> calls = new ArrayList<>();
        Map<String, MarketRecord> got = collect(DataKind.INQUIRIES, from, to, calls);

        // THEN every question is there once, with its state and answer, after more than one page of 100 articles
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(r -> articleId(6, r)).toList());
        for (RecordBook.SimRecord r : expected) {
            MarketRecord m = got.get(articleId(6, r));
            assertThat(m.commonStatus()).isEqualTo(r.state().equals("ANSWERED") ? InquiryStatus.ANSWERED : InquiryStatus.UNANSWERED);
            assertThat(m.fields().get("question")).isEqualTo(r.attrs().get("question"));
            assertThat(m.fields().get("answer")).isEqualTo(r.attrs().get("answer"));
            assertThat(m.json()).contains("\"board_no\":6");
        }
        assertThat(calls).hasSizeGreaterThan(1);
        assertThat(calls.get(0).path()).endsWith("/admin/boards/6/articles");
        assertThat(calls.get(1).rawQuery()).contains("offset=100");
    }

    @Test
    void collecting_reviews_maps_deleted_replied_and_unreplied_articles_of_the_review_board() throws Exception {
        // GIVEN a mall's review board (board 4) with a week of reviews
        start("S1");
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(Duration.ofDays(7));
        List<RecordBook.SimRecord> expected = market.records().between("S1", RecordBook.Kind.REVIEWS, from, to);

        // WHEN the week is collected
        Map<String, MarketRecord> got = collect(DataKind.REVIEWS, from, to, new ArrayList<>());

        // THEN each review has its rating, its reply and its common state
        assertThat(got).hasSameSizeAs(expected);
        for (RecordBook.SimRecord r : expected) {
            MarketRecord m = got.get(articleId(4, r));
            assertThat(m.commonStatus()).isEqualTo(ReviewStatus.valueOf(r.state()));
            assertThat(m.fields().get("rating")).isEqualTo(r.attrs().get("rating"));
            assertThat(m.fields().get("reply")).isEqualTo(r.state().equals("DELETED") ? null : r.attrs().get("reply"));
        }
    }

    @Test
    void collecting_products_follows_since_product_no_across_pages_and_maps_selling_and_sold_out() throws Exception {
        // GIVEN products changed over 60 days (three a day, ended ones deleted)
        start("S1");
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(Duration.ofDays(60));
        Map<String, RecordBook.SimRecord> expected = market.records().changedBetween("S1", RecordBook.Kind.PRODUCTS, from, to).stream()
                .filter(r -> !r.state().equals("ENDED"))
                .collect(Collectors.toMap(r -> Long.toString(Long.parseLong(r.id().substring(6))), r -> r));

        // WHEN they are collected
        List<PlannedCall> calls = new ArrayList<>();
        Map<String, MarketRecord> got = collect(DataKind.PRODUCTS, from, to, calls);

        // THEN each product is there with its price and sale state, the second page asked after the first page's last product
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((id, r) -> {
            assertThat(got.get(id).fields()).containsEntry("price", r.attrs().get("price")).containsEntry("name", r.attrs().get("name"));
            assertThat(got.get(id).commonStatus()).isEqualTo(ProductStatus.valueOf(r.state()));
        });
        assertThat(calls).hasSizeGreaterThan(1);
        assertThat(calls.get(1).rawQuery()).contains("since_product_no=");
    }

    @Test
    void collecting_settlements_gives_one_record_per_day_of_daily_sales() throws Exception {
        // GIVEN ten days of sales
        start("S1");
        LocalDate today = LocalDate.now(KST);
        Instant to = today.atStartOfDay(KST).toInstant();
        Instant from = today.minusDays(10).atStartOfDay(KST).toInstant();

        // WHEN they are collected
        Map<String, MarketRecord> got = collect(DataKind.SETTLEMENTS, from, to, new ArrayList<>());

        // THEN each past day is a settled record named by its date, its amount the day's sales
        for (MarketRecord r : got.values()) {
            assertThat(LocalDate.parse(r.id())).isBetween(today.minusDays(10), today.minusDays(1));
            assertThat(r.commonStatus()).isEqualTo(SettlementStatus.SETTLED);
            assertThat(r.fields().get("settleDate")).isEqualTo(r.id());
        }
        long expectedTotal = market.records().between("S1", RecordBook.Kind.SETTLEMENTS, from.minus(Duration.ofDays(1)),
                        to.plus(Duration.ofDays(1))).stream()
                .filter(r -> got.containsKey(r.attrs().get("settleDate")))
                .mapToLong(r -> Long.parseLong(r.attrs().get("amount"))).sum();
        assertThat(got.values().stream().mapToLong(r -> Long.parseLong(r.fields().get("amount"))).sum()).isEqualTo(expectedTotal);
        assertThat(got).isNotEmpty();
    }

    @Test
    void answering_an_inquiry_posts_one_reply_article_a_redelivery_is_done_already_and_another_text_is_refused() throws Exception {
        // GIVEN an unanswered question on the Q&A board
        start("S1");
        RecordBook.SimRecord open = market.records().between("S1", RecordBook.Kind.INQUIRIES,
                        Instant.now().minus(Duration.ofDays(10)), Instant.now()).stream()
                .filter(r -> r.state().equals("UNANSWERED")).findFirst().orElseThrow();
        String id = articleId(6, open);

        // WHEN it is answered, the same answer redelivered, then another answer sent
        CallOutcome first = client.execute(new MarketAction.AnswerInquiry(seller("S1"), id, "Yes, in stock."), MAX_WAIT);
        CallOutcome again = client.execute(new MarketAction.AnswerInquiry(seller("S1"), id, "Yes, in stock."), MAX_WAIT);
        CallOutcome other = client.execute(new MarketAction.AnswerInquiry(seller("S1"), id, "No."), MAX_WAIT);

        // THEN the first posted the reply, the redelivery found it (no second article), the other text is final
        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("answer-inquiry", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("answer-inquiry", true)));
        assertThat(other).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).contains("answered already");
        });
        assertThat(market.records().applications()).isEqualTo(1);
        assertThat(market.records().repeats()).isZero();
        assertThat(market.records().find("S1", open.id()).orElseThrow().attrs()).containsEntry("answer", "Yes, in stock.");
    }

    @Test
    void replying_to_a_deleted_review_is_refused_and_to_an_open_one_is_done() throws Exception {
        // GIVEN a deleted and an unreplied review
        start("S1");
        List<RecordBook.SimRecord> reviews = market.records().between("S1", RecordBook.Kind.REVIEWS,
                Instant.now().minus(Duration.ofDays(30)), Instant.now());
        RecordBook.SimRecord deleted = reviews.stream().filter(r -> r.state().equals("DELETED")).findFirst().orElseThrow();
        RecordBook.SimRecord open = reviews.stream().filter(r -> r.state().equals("UNREPLIED")).findFirst().orElseThrow();

        // WHEN both are replied to
        CallOutcome refused = client.execute(new MarketAction.ReplyReview(seller("S1"), articleId(4, deleted), "Thanks"), MAX_WAIT);
        CallOutcome done = client.execute(new MarketAction.ReplyReview(seller("S1"), articleId(4, open), "Thanks"), MAX_WAIT);

        // THEN the deleted one is a final refusal with Cafe24's reason, the other done
        assertThat(refused).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).contains("deleted");
        });
        assertThat(done).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("reply-review", false)));
        assertThat(market.records().find("S1", open.id()).orElseThrow().state()).isEqualTo("REPLIED");
    }

    @Test
    void changing_a_products_price_and_sale_status_puts_them_and_a_deleted_product_is_refused() throws Exception {
        // GIVEN a product on sale and an ended (deleted) one
        start("S1");
        List<RecordBook.SimRecord> products = market.records().between("S1", RecordBook.Kind.PRODUCTS,
                Instant.now().minus(Duration.ofDays(60)), Instant.now());
        RecordBook.SimRecord onSale = products.stream().filter(r -> r.state().equals("ON_SALE")).findFirst().orElseThrow();
        RecordBook.SimRecord ended = products.stream().filter(r -> r.state().equals("ENDED")).findFirst().orElseThrow();
        String no = Long.toString(Long.parseLong(onSale.id().substring(6)));

        // WHEN its price and sale status change, and the ended one's price
        CallOutcome price = client.execute(new MarketAction.ChangePrice(seller("S1"), no, 12_300), MAX_WAIT);
        CallOutcome status = client.execute(new MarketAction.ChangeSaleStatus(seller("S1"), no, ProductStatus.SUSPENDED), MAX_WAIT);
        CallOutcome gone = client.execute(new MarketAction.ChangePrice(seller("S1"),
                Long.toString(Long.parseLong(ended.id().substring(6))), 1000), MAX_WAIT);

        // THEN the mall holds the new price and status, and the ended product's change is final
        assertThat(price).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("change-price", false)));
        assertThat(status).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("change-sale-status", false)));
        RecordBook.SimRecord now = market.records().find("S1", onSale.id()).orElseThrow();
        assertThat(now.attrs()).containsEntry("price", "12300");
        assertThat(now.state()).isEqualTo("SUSPENDED");
        assertThat(gone).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED));
    }

    @Test
    void a_kind_or_action_cafe24_does_not_offer_is_refused_naming_it() throws Exception {
        start("S1");
        Cafe24Adapter adapter = fx.adapter();
        Instant to = Instant.now();
        assertThatThrownBy(() -> adapter.windows(new CollectionRequest("cafe24", seller("S1"), DataKind.CLAIMS, to.minusSeconds(60), to)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("kind: market cafe24 (cafe24) does not offer claims");
        assertThatThrownBy(() -> adapter.plan(new MarketAction.ChangeStock(seller("S1"), "12", 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("action: cafe24 (cafe24) does not offer change-stock");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.AnswerInquiry(seller("S1"), "1203", "Yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("inquiryId '1203' must be a Cafe24 article id");
    }
}
