package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.marketsim.internal.RecordBook;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cafe24's boards (Q&amp;A board 6, review board 4), products and daily sales over real HTTP, rendered from the market's
 * {@link RecordBook}: the documented paths, parameters and limits, and the refusals of a wrong client.
 */
class Cafe24RecordsProtocolTest extends SimFixture {

    private static final LocalDate DAY = LocalDate.ofInstant(T0, ZoneOffset.ofHours(9));

    private SimulatedMarket market;

    private Cafe24Admin start() {
        start(MarketPresets.cafe24Admin().sellers("S1").build());
        market = sim.market("cafe24");
        return new Cafe24Admin(market.mallBaseUrl("S1"), market.cafe24Credentials("S1"));
    }

    private String token() {
        return market.cafe24Credentials("S1").accessToken();
    }

    private static long number(RecordBook.SimRecord r) {
        return Long.parseLong(r.id().substring(6));
    }

    @Test
    void the_qna_board_lists_the_days_questions_by_limit_and_offset_with_reply_articles_after_answered_ones() {
        Cafe24Admin cafe24 = start();
        Instant from = DAY.minusDays(6).atStartOfDay(ZoneOffset.ofHours(9)).toInstant();
        List<RecordBook.SimRecord> questions = market.records().between("S1", RecordBook.Kind.INQUIRIES, from, T0);

        MarketClient.Reply page = cafe24.get(token(), "/admin/boards/6/articles?start_date=" + DAY.minusDays(6) + "&end_date=" + DAY
                + "&limit=100");
        MarketClient.Reply second = cafe24.get(token(), "/admin/boards/6/articles?start_date=" + DAY.minusDays(6) + "&end_date=" + DAY
                + "&limit=5&offset=5");

        assertThat(page.status()).isEqualTo(200);
        JsonNode articles = page.body().get("articles");
        long roots = 0;
        long replies = 0;
        for (JsonNode a : articles) {
            assertThat(a.get("board_no").asLong()).isEqualTo(6);
            if (a.get("reply_depth").asInt() == 0) {
                roots++;
            } else {
                replies++;
            }
        }
        assertThat(roots).isEqualTo(questions.size());
        assertThat(replies).isEqualTo(questions.stream().filter(r -> r.state().equals("ANSWERED")).count());
        assertThat(second.body().get("articles")).hasSize(5);
        assertThat(second.body().get("articles").get(0)).isEqualTo(articles.get(5));
        RecordBook.SimRecord q = questions.get(0);
        MarketClient.Reply one = cafe24.get(token(), "/admin/boards/6/articles?article_no=" + number(q));
        assertThat(one.body().at("/articles/0/content").asText()).isEqualTo(q.attrs().get("question"));
    }

    @Test
    void a_board_list_outside_cafe24s_limits_is_refused_with_422_naming_the_parameter_and_an_unknown_board_404() {
        Cafe24Admin cafe24 = start();
        String days = "start_date=" + DAY.minusDays(10) + "&end_date=" + DAY;

        MarketClient.Reply bigLimit = cafe24.get(token(), "/admin/boards/6/articles?" + days + "&limit=101");
        MarketClient.Reply farOffset = cafe24.get(token(), "/admin/boards/6/articles?" + days + "&offset=8001");
        MarketClient.Reply year = cafe24.get(token(), "/admin/boards/4/articles?start_date=" + DAY.minusYears(1) + "&end_date=" + DAY);
        MarketClient.Reply lastDay = cafe24.get(token(), "/admin/boards/4/articles?start_date=" + DAY.minusYears(1).plusDays(1)
                + "&end_date=" + DAY);
        MarketClient.Reply noEnd = cafe24.get(token(), "/admin/boards/6/articles?start_date=" + DAY);
        MarketClient.Reply unknown = cafe24.get(token(), "/admin/boards/7/articles?" + days);

        assertThat(bigLimit.status()).isEqualTo(422);
        assertThat(bigLimit.body().at("/error/message").asText()).startsWith("limit must be");
        assertThat(farOffset.status()).isEqualTo(422);
        assertThat(farOffset.body().at("/error/message").asText()).startsWith("offset must be");
        assertThat(year.status()).isEqualTo(422);
        assertThat(year.body().at("/error/message").asText()).contains("year");
        assertThat(lastDay.status()).isEqualTo(200);
        assertThat(noEnd.status()).isEqualTo(422);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void a_reply_article_answers_the_question_once_a_second_text_is_refused_and_a_bad_body_is_422() {
        Cafe24Admin cafe24 = start();
        RecordBook.SimRecord open = market.records().between("S1", RecordBook.Kind.INQUIRIES, T0.minus(Duration.ofDays(10)), T0)
                .stream().filter(r -> r.state().equals("UNANSWERED")).findFirst().orElseThrow();
        String reply = "{\"shop_no\":1,\"requests\":[{\"writer\":\"shop\",\"title\":\"답변\",\"content\":\"TEXT\","
                + "\"client_ip\":\"127.0.0.1\",\"reply_article_no\":" + number(open) + "}]}";

        MarketClient.Reply first = cafe24.send(token(), "POST", "/admin/boards/6/articles", reply.replace("TEXT", "Yes"));
        MarketClient.Reply same = cafe24.send(token(), "POST", "/admin/boards/6/articles", reply.replace("TEXT", "Yes"));
        MarketClient.Reply other = cafe24.send(token(), "POST", "/admin/boards/6/articles", reply.replace("TEXT", "No"));
        MarketClient.Reply noIp = cafe24.send(token(), "POST", "/admin/boards/6/articles",
                reply.replace("\"client_ip\":\"127.0.0.1\",", ""));
        MarketClient.Reply elevenRequests = cafe24.send(token(), "POST", "/admin/boards/6/articles", "{\"shop_no\":1,\"requests\":["
                + String.join(",", java.util.Collections.nCopies(11, "{}")) + "]}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().at("/articles/0/parent_article_no").asLong()).isEqualTo(number(open));
        assertThat(first.body().at("/articles/0/reply_depth").asInt()).isEqualTo(1);
        assertThat(same.status()).isEqualTo(201); // Cafe24 takes a second reply article: the repeat shows in the figures
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.body().at("/error/message").asText()).contains("answered already");
        assertThat(noIp.status()).isEqualTo(422);
        assertThat(noIp.body().at("/error/message").asText()).startsWith("client_ip");
        assertThat(elevenRequests.status()).isEqualTo(422);
        assertThat(market.records().applications()).isEqualTo(1);
        assertThat(market.records().repeats()).isEqualTo(1);
        assertThat(market.records().refusals()).isEqualTo(1);
        assertThat(cafe24.get(token(), "/admin/boards/6/articles?article_no=" + number(open)).body().at("/articles/0/reply_status")
                .asText()).isEqualTo("C");
    }

    @Test
    void products_page_by_since_product_no_a_put_changes_price_and_selling_and_a_deleted_product_is_404() {
        Cafe24Admin cafe24 = start();
        String days = "updated_start_date=" + DAY.minusDays(40) + "&updated_end_date=" + DAY;
        List<RecordBook.SimRecord> products = market.records().between("S1", RecordBook.Kind.PRODUCTS,
                DAY.minusDays(40).atStartOfDay(ZoneOffset.ofHours(9)).toInstant(), T0);
        RecordBook.SimRecord onSale = products.stream().filter(r -> r.state().equals("ON_SALE")).findFirst().orElseThrow();
        RecordBook.SimRecord ended = products.stream().filter(r -> r.state().equals("ENDED")).findFirst().orElseThrow();

        MarketClient.Reply first = cafe24.get(token(), "/admin/products?" + days + "&limit=10");
        long last = first.body().at("/products/9/product_no").asLong();
        MarketClient.Reply next = cafe24.get(token(), "/admin/products?" + days + "&limit=10&since_product_no=" + last);
        MarketClient.Reply both = cafe24.get(token(), "/admin/products?" + days + "&offset=10&since_product_no=" + last);
        MarketClient.Reply farOffset = cafe24.get(token(), "/admin/products?" + days + "&offset=5001");
        MarketClient.Reply put = cafe24.send(token(), "PUT", "/admin/products/" + number(onSale),
                "{\"shop_no\":1,\"request\":{\"price\":\"12300.00\",\"selling\":\"F\"}}");
        MarketClient.Reply badPrice = cafe24.send(token(), "PUT", "/admin/products/" + number(onSale),
                "{\"shop_no\":1,\"request\":{\"price\":\"12.5\"}}");
        MarketClient.Reply gone = cafe24.send(token(), "PUT", "/admin/products/" + number(ended),
                "{\"shop_no\":1,\"request\":{\"price\":\"1000.00\"}}");

        assertThat(first.body().get("products")).hasSize(10);
        assertThat(next.body().at("/products/0/product_no").asLong()).isGreaterThan(last);
        assertThat(both.status()).isEqualTo(422);
        assertThat(farOffset.status()).isEqualTo(422);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().at("/product/price").asText()).isEqualTo("12300.00");
        assertThat(put.body().at("/product/selling").asText()).isEqualTo("F");
        assertThat(badPrice.status()).isEqualTo(422);
        assertThat(gone.status()).isEqualTo(404);
    }

    @Test
    void daily_sales_need_both_dates_and_a_token_without_the_scope_is_403() {
        Cafe24Admin cafe24 = start();

        MarketClient.Reply sales = cafe24.get(token(), "/admin/financials/dailysales?start_date=" + DAY.minusDays(5) + "&end_date="
                + DAY.minusDays(1));
        MarketClient.Reply noEnd = cafe24.get(token(), "/admin/financials/dailysales?start_date=" + DAY.minusDays(5));
        String code = java.net.URI.create(cafe24.authorize("response_type=code&client_id=" + market.cafe24Credentials("S1").clientId()
                + "&state=s&redirect_uri=" + Cafe24Admin.encode("https://api.example.com/cb") + "&scope=mall.read_order")
                .headers().firstValue("Location").orElseThrow()).getQuery().replaceAll(".*code=([^&]+).*", "$1");
        String orderOnly = cafe24.token(java.util.Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
                "https://api.example.com/cb")).body().get("access_token").asText();
        MarketClient.Reply forbidden = cafe24.get(orderOnly, "/admin/boards/6/articles?start_date=" + DAY + "&end_date=" + DAY);

        assertThat(sales.status()).isEqualTo(200);
        assertThat(sales.body().get("dailysales")).isNotEmpty();
        for (JsonNode d : sales.body().get("dailysales")) {
            assertThat(LocalDate.parse(d.get("date").asText())).isBetween(DAY.minusDays(5), DAY.minusDays(1));
            assertThat(d.get("payment_amount").asText()).endsWith(".00");
        }
        assertThat(noEnd.status()).isEqualTo(422);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body().at("/error/message").asText()).contains("mall.read_community");
    }
}
