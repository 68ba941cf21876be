package io.marketgate.market.cafe24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests of Cafe24's boards, products and daily sales, written out by hand from Cafe24's admin docs (paths, query
 * names, bodies), and how their answers are read.
 */
class Cafe24RecordsPlanningTest {

    /** 2026-11-01 09:00 KST. */
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Seller SELLER = Seller.of("s-1", Map.of("mallId", "shop42"));

    @TempDir
    Path dir;

    private Cafe24Fixture fx;
    private Cafe24Adapter adapter;

    @BeforeEach
    void setUp() throws Exception {
        fx = Cafe24Fixture.of(dir, "https://{mallId}.cafe24api.com/api/v2", Clock.fixed(T0, ZoneOffset.UTC), 100, 2,
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
        fx.seller("s-1", "shop42", "client-1", "secret-value-1");
        adapter = fx.adapter();
    }

    private PlannedCall first(DataKind kind, Instant from, Instant to) {
        CollectionRequest request = new CollectionRequest("cafe24", SELLER, kind, from, to);
        return adapter.planPage(request, adapter.windows(request).get(0), Optional.empty());
    }

    @Test
    void an_inquiry_page_asks_the_default_qna_board_by_kst_days_with_limit_100_and_a_review_page_board_4() {
        // GIVEN a window from 2026-11-01 09:00 KST to 2026-11-03 08:59:59 KST
        PlannedCall qna = first(DataKind.INQUIRIES, T0, T0.plus(Duration.ofDays(2)));
        PlannedCall reviews = first(DataKind.REVIEWS, T0, T0.plus(Duration.ofDays(2)));

        assertThat(PlannedRequests.of(qna).uri()).isEqualTo(URI.create("https://shop42.cafe24api.com/api/v2/admin/boards/6/articles"
                + "?shop_no=1&start_date=2026-11-01&end_date=2026-11-03&limit=100&offset=0"));
        assertThat(PlannedRequests.of(reviews).uri().getPath()).isEqualTo("/api/v2/admin/boards/4/articles");
        assertThat(qna.method()).isEqualTo("GET");
        assertThat(qna.budgets()).containsExactly("cafe24/mall:shop42");
    }

    @Test
    void a_seller_that_registered_its_boards_is_listed_from_them() {
        fx.credentials.put("s-1", Cafe24Adapter.CREDENTIALS.validate(Map.of(Cafe24Adapter.MALL_ID, "shop42",
                Cafe24Adapter.CLIENT_ID, "client-1", Cafe24Adapter.CLIENT_SECRET, "secret-value-1",
                Cafe24Adapter.INQUIRY_BOARD_NO, "9", Cafe24Adapter.REVIEW_BOARD_NO, "11")));

        assertThat(first(DataKind.INQUIRIES, T0, T0.plusSeconds(60)).path()).endsWith("/admin/boards/9/articles");
        assertThat(first(DataKind.REVIEWS, T0, T0.plusSeconds(60)).path()).endsWith("/admin/boards/11/articles");
    }

    @Test
    void a_board_window_is_at_most_364_days_and_is_split_by_days_past_offset_8000() {
        CollectionRequest request = new CollectionRequest("cafe24", SELLER, DataKind.REVIEWS, T0, T0.plus(Duration.ofDays(400)));

        List<TimeWindow> windows = adapter.windows(request);
        PlannedCall page = adapter.planPage(request, windows.get(0), Optional.of("8000"));
        Optional<PlannedCall> next = adapter.next(page, new MarketData.RecordPage(DataKind.REVIEWS, List.of(), Optional.of("8100")));

        assertThat(windows).containsExactly(new TimeWindow(T0, T0.plus(Duration.ofDays(364))),
                new TimeWindow(T0.plus(Duration.ofDays(364)), T0.plus(Duration.ofDays(400))));
        assertThat(PlannedRequests.of(page).uri().getQuery()).endsWith("&limit=100&offset=8000");
        // 2026-11-01 .. 2027-10-31 are 365 KST days: the first half is 182 days, up to 2027-05-02 00:00 KST
        assertThat(next.orElseThrow().purpose()).isEqualTo(new PlannedCall.Collect(request,
                new TimeWindow(T0, Instant.parse("2027-05-01T15:00:00Z")), Optional.empty()));
        assertThatThrownBy(() -> adapter.planPage(request, windows.get(0), Optional.of("8100")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largest board offset 8000");
    }

    @Test
    void a_product_page_asks_by_updated_dates_and_the_next_follows_the_last_product_no() {
        PlannedCall page = first(DataKind.PRODUCTS, T0, T0.plus(Duration.ofDays(1)));
        CollectionRequest request = ((PlannedCall.Collect) page.purpose()).request();
        PlannedCall next = adapter.planPage(request, ((PlannedCall.Collect) page.purpose()).window(), Optional.of("2403"));

        assertThat(PlannedRequests.of(page).uri()).isEqualTo(URI.create("https://shop42.cafe24api.com/api/v2/admin/products"
                + "?shop_no=1&updated_start_date=2026-11-01&updated_end_date=2026-11-02&limit=100"));
        assertThat(PlannedRequests.of(next).uri().getQuery()).endsWith("&limit=100&since_product_no=2403");
    }

    @Test
    void a_settlement_window_asks_the_daily_sales_of_its_days_at_most_31_days() {
        PlannedCall page = first(DataKind.SETTLEMENTS, T0, T0.plus(Duration.ofDays(40)));

        assertThat(PlannedRequests.of(page).uri()).isEqualTo(URI.create("https://shop42.cafe24api.com/api/v2/admin/financials/dailysales"
                + "?start_date=2026-11-01&end_date=2026-12-02"));
    }

    @Test
    void an_answer_reads_its_article_then_posts_a_reply_article_as_the_mall() {
        MarketAction.AnswerInquiry answer = new MarketAction.AnswerInquiry(SELLER, "6-1203", "Yes, it ships today.");

        PlannedCall lookup = adapter.planLookup(answer).orElseThrow();
        PlannedCall post = adapter.plan(answer, new OrderPage(List.of(), Optional.empty()));

        assertThat(PlannedRequests.of(lookup).uri()).isEqualTo(URI.create(
                "https://shop42.cafe24api.com/api/v2/admin/boards/6/articles?shop_no=1&article_no=1203"));
        assertThat(post.method()).isEqualTo("POST");
        assertThat(PlannedRequests.of(post).uri()).isEqualTo(URI.create("https://shop42.cafe24api.com/api/v2/admin/boards/6/articles"));
        assertThat(Cafe24Fixture.body(PlannedRequests.of(post))).isEqualTo("{\"shop_no\":1,\"requests\":[{\"writer\":\"shop42\","
                + "\"title\":\"답변\",\"content\":\"Yes, it ships today.\",\"client_ip\":\"127.0.0.1\",\"reply_article_no\":1203,"
                + "\"member_id\":\"shop42\"}]}");
    }

    @Test
    void an_answered_article_makes_the_answer_read_the_boards_replies_of_the_last_two_days() {
        MarketAction.ReplyReview reply = new MarketAction.ReplyReview(SELLER, "4-77", "Thank you!");
        PlannedCall lookup = adapter.planLookup(reply).orElseThrow();

        CallOutcome read = adapter.classify(lookup, response(lookup, 200, "{\"articles\":[{\"article_no\":77,\"board_no\":4,"
                + "\"reply_depth\":0,\"deleted\":\"F\",\"reply_status\":\"C\",\"created_date\":\"2026-10-30T10:00:00+09:00\"}]}"));
        PlannedCall replies = adapter.plan(reply, (OrderPage) ((CallOutcome.Ok) read).data());
        CallOutcome same = adapter.classify(replies, response(replies, 200, "{\"articles\":[{\"article_no\":1000000077,"
                + "\"parent_article_no\":77,\"reply_depth\":1,\"deleted\":\"F\",\"content\":\"Thank you!\"}]}"));
        CallOutcome other = adapter.classify(replies, response(replies, 200, "{\"articles\":[{\"article_no\":1000000077,"
                + "\"parent_article_no\":77,\"reply_depth\":1,\"deleted\":\"F\",\"content\":\"Thanks\"}]}"));

        assertThat(PlannedRequests.of(replies).uri()).isEqualTo(URI.create("https://shop42.cafe24api.com/api/v2/admin/boards/4/articles"
                + "?shop_no=1&start_date=2026-10-31&end_date=2026-11-01&limit=100"));
        assertThat(same).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("reply-review", true)));
        assertThat(other).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED));
    }

    @Test
    void a_price_and_a_sale_status_are_put_on_the_product() {
        PlannedCall price = adapter.plan(new MarketAction.ChangePrice(SELLER, "24", 11_000));
        PlannedCall stop = adapter.plan(new MarketAction.ChangeSaleStatus(SELLER, "24", ProductStatus.SUSPENDED));

        assertThat(price.method()).isEqualTo("PUT");
        assertThat(PlannedRequests.of(price).uri()).isEqualTo(URI.create("https://shop42.cafe24api.com/api/v2/admin/products/24"));
        assertThat(Cafe24Fixture.body(PlannedRequests.of(price))).isEqualTo("{\"shop_no\":1,\"request\":{\"price\":\"11000.00\"}}");
        assertThat(Cafe24Fixture.body(PlannedRequests.of(stop))).isEqualTo("{\"shop_no\":1,\"request\":{\"selling\":\"F\"}}");
        assertThat(adapter.classify(price, response(price, 200, "{\"product\":{\"product_no\":24,\"price\":\"11000.00\"}}")))
                .isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("change-price", false)));
        assertThat(adapter.classify(price, response(price, 404, "{\"error\":{\"code\":404,\"message\":\"No product found\"}}")))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED));
    }

    @Test
    void an_article_id_without_its_board_and_a_product_id_that_is_not_a_number_are_refused_naming_the_field() {
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ReplyReview(SELLER, "77", "Thanks")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reviewId '77' must be a Cafe24 article id");
        assertThatThrownBy(() -> adapter.validate(new MarketAction.ChangePrice(SELLER, "P000000X", 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("productId 'P000000X' must be a Cafe24 product_no");
    }

    /** An answer of Cafe24 to {@code call}. */
    private static HttpResponse<String> response(PlannedCall call, int status, String body) {
        HttpRequest request = PlannedRequests.of(call);
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return request;
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of("Content-Type", List.of("application/json")), (a, b) -> true);
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return request.uri();
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
