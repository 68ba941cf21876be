package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.marketsim.internal.RecordBook;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference protocol's actions on the market's {@link RecordBook} and orders: what each answers when it applies,
 * repeats, is refused, names no record, and the refusals of a wrong client (method, body, limits).
 */
class ReferenceActionsTest extends SimFixture {

    private static MarketConfig.Builder market() {
        return MarketConfig.named("m").apiKeys("k").sellers("A001", "A002").ordersPerHour(5);
    }

    private MarketClient.Reply send(String method, String path, String body) {
        HttpRequest.Builder b = client("m", "k").request("/v1/sellers/A001" + path);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return MarketClient.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String record(RecordBook.Kind kind, String state) {
        return sim.market("m").records().between("A001", kind, T0.minus(Duration.ofDays(30)), T0).stream()
                .filter(r -> r.state().equals(state)).findFirst().orElseThrow().id();
    }

    @Test
    void an_answer_is_200_with_the_answered_inquiry_the_same_again_409_and_another_422_with_the_reason() {
        // GIVEN
        start(market().build());
        String inquiry = record(RecordBook.Kind.INQUIRIES, "UNANSWERED");

        // WHEN
        MarketClient.Reply first = send("POST", "/inquiries/" + inquiry + "/answer", "{\"text\":\"Yes.\"}");
        MarketClient.Reply again = send("POST", "/inquiries/" + inquiry + "/answer", "{\"text\":\"Yes.\"}");
        MarketClient.Reply other = send("POST", "/inquiries/" + inquiry + "/answer", "{\"text\":\"No.\"}");

        // THEN
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("inquiryId").asText()).isEqualTo(inquiry);
        assertThat(first.body().get("status").asText()).isEqualTo("ANSWERED");
        assertThat(first.body().get("answer").asText()).isEqualTo("Yes.");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("code").asText()).isEqualTo("ALREADY_DONE");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.body().get("code").asText()).isEqualTo("REFUSED");
        assertThat(other.body().get("reason").asText()).isEqualTo("the inquiry is answered already");
        assertThat(sim.market("m").arrivals(Endpoint.ANSWER_INQUIRY)).extracting(Arrival::outcome)
                .containsExactly(Outcome.OK, Outcome.DUPLICATE, Outcome.REFUSED);
        assertThat(sim.market("m").arrivals(Endpoint.ANSWER_INQUIRY)).extracting(Arrival::orderId).containsOnly(inquiry);
    }

    @Test
    void each_action_has_its_own_endpoint_and_applies_to_the_book() {
        // GIVEN
        start(market().build());
        String review = record(RecordBook.Kind.REVIEWS, "UNREPLIED");
        String product = record(RecordBook.Kind.PRODUCTS, "ON_SALE");
        String claim = record(RecordBook.Kind.CLAIMS, "REQUESTED");
        String order = sim.market("m").orders("A001", DAY_START, DAY_START.plus(Duration.ofDays(1))).stream()
                .filter(o -> o.status().equals("ACCEPT")).findFirst().orElseThrow().orderId();

        // WHEN
        List<Integer> statuses = List.of(
                send("POST", "/reviews/" + review + "/reply", "{\"text\":\"Thanks\"}").status(),
                send("PUT", "/products/" + product + "/price", "{\"price\":15900}").status(),
                send("PUT", "/products/" + product + "/stock", "{\"stock\":0}").status(),
                send("PUT", "/products/" + product + "/sale-status", "{\"status\":\"SUSPENDED\"}").status(),
                send("POST", "/claims/" + claim + "/confirm", null).status(),
                send("POST", "/orders/" + order + "/acknowledge", null).status());

        // THEN
        assertThat(statuses).containsOnly(200);
        RecordBook book = sim.market("m").records();
        assertThat(book.find("A001", review).orElseThrow().attrs()).containsEntry("reply", "Thanks");
        assertThat(book.find("A001", product).orElseThrow().attrs()).containsEntry("price", "15900").containsEntry("stock", "0");
        assertThat(book.find("A001", product).orElseThrow().state()).isEqualTo("SUSPENDED");
        assertThat(book.find("A001", claim).orElseThrow().state()).isEqualTo("IN_PROGRESS");
        assertThat(client("m", "k").get("/v1/sellers/A001/orders/" + order).body().get("orders").get(0).get("status").asText())
                .isEqualTo("INSTRUCT");
        assertThat(sim.market("m").arrivals()).extracting(Arrival::endpoint).containsExactly(Endpoint.REPLY_REVIEW,
                Endpoint.CHANGE_PRICE, Endpoint.CHANGE_STOCK, Endpoint.CHANGE_SALE_STATUS, Endpoint.CONFIRM_CLAIM,
                Endpoint.ACKNOWLEDGE_ORDER, Endpoint.GET_ORDER);
        assertThat(book.applications()).isEqualTo(5);
    }

    @Test
    void a_wrong_body_is_400_naming_the_field_and_changes_nothing() {
        // GIVEN
        start(market().build());
        String inquiry = record(RecordBook.Kind.INQUIRIES, "UNANSWERED");
        String product = record(RecordBook.Kind.PRODUCTS, "ON_SALE");
        String claim = record(RecordBook.Kind.CLAIMS, "REQUESTED");

        // WHEN
        List<MarketClient.Reply> replies = List.of(
                send("POST", "/inquiries/" + inquiry + "/answer", "text=Yes"),
                send("POST", "/inquiries/" + inquiry + "/answer", "{\"answer\":\"Yes\"}"),
                send("POST", "/inquiries/" + inquiry + "/answer", "{\"text\":\"" + "가".repeat(1001) + "\"}"),
                send("PUT", "/products/" + product + "/price", "{\"price\":\"15900\"}"),
                send("PUT", "/products/" + product + "/price", "{\"price\":0}"),
                send("PUT", "/products/" + product + "/price", "{\"price\":159.5}"),
                send("PUT", "/products/" + product + "/stock", "{\"stock\":-1}"),
                send("PUT", "/products/" + product + "/sale-status", "{\"status\":\"ENDED\"}"),
                send("POST", "/claims/" + claim + "/reject", "{\"reason\":\" \"}"));

        // THEN
        assertThat(replies).extracting(MarketClient.Reply::status).containsOnly(400);
        assertThat(replies).extracting(r -> r.body().get("field").asText())
                .containsExactly("body", "text", "text", "price", "price", "price", "stock", "status", "reason");
        assertThat(replies.get(2).body().get("message").asText()).isEqualTo("text is 1001 characters long, at most 1000 are taken");
        assertThat(sim.market("m").records().applications()).isZero();
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome).containsOnly(Outcome.BAD_REQUEST);
    }

    @Test
    void an_answer_of_exactly_1000_characters_is_taken() {
        start(market().build());
        String inquiry = record(RecordBook.Kind.INQUIRIES, "UNANSWERED");

        MarketClient.Reply reply = send("POST", "/inquiries/" + inquiry + "/answer", "{\"text\":\"" + "\uD83D\uDE00".repeat(1000) + "\"}");

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void a_wrong_method_an_unknown_record_or_another_kinds_id_is_refused() {
        // GIVEN
        start(market().build());
        String review = record(RecordBook.Kind.REVIEWS, "UNREPLIED");
        String product = record(RecordBook.Kind.PRODUCTS, "ON_SALE");

        // WHEN
        MarketClient.Reply postPrice = send("POST", "/products/" + product + "/price", "{\"price\":15900}");
        MarketClient.Reply wrongKind = send("POST", "/inquiries/" + review + "/answer", "{\"text\":\"Yes.\"}");
        MarketClient.Reply unknown = send("PUT", "/products/80000000000000/stock", "{\"stock\":1}");
        MarketClient.Reply unknownOrder = send("POST", "/orders/ffff-1-000/acknowledge", null);
        MarketClient.Reply noKey = MarketClient.send(client("m", null).request("/v1/sellers/A001/claims/" + review + "/confirm")
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        // THEN
        assertThat(postPrice.status()).isEqualTo(405);
        assertThat(postPrice.header("Allow")).isEqualTo("PUT");
        assertThat(wrongKind.status()).isEqualTo(404);
        assertThat(wrongKind.body().get("code").asText()).isEqualTo("INQUIRY_NOT_FOUND");
        assertThat(wrongKind.body().get("field").asText()).isEqualTo("inquiryId");
        assertThat(unknown.body().get("code").asText()).isEqualTo("PRODUCT_NOT_FOUND");
        assertThat(unknownOrder.status()).isEqualTo(404);
        assertThat(unknownOrder.body().get("code").asText()).isEqualTo("ORDER_NOT_FOUND");
        assertThat(noKey.status()).isEqualTo(401);
    }

    @Test
    void refusals_for_good_are_422_with_the_books_reason() {
        // GIVEN
        start(market().build());
        String deleted = record(RecordBook.Kind.REVIEWS, "DELETED");
        String withdrawn = record(RecordBook.Kind.CLAIMS, "WITHDRAWN");
        String ended = record(RecordBook.Kind.PRODUCTS, "ENDED");
        String cancelled = sim.market("m").orders("A001", DAY_START, DAY_START.plus(Duration.ofDays(1))).stream()
                .filter(o -> o.status().equals("CANCELLED")).findFirst().orElseThrow().orderId();

        // WHEN
        List<JsonNode> bodies = List.of(
                send("POST", "/reviews/" + deleted + "/reply", "{\"text\":\"Thanks\"}"),
                send("POST", "/claims/" + withdrawn + "/reject", "{\"reason\":\"no\"}"),
                send("PUT", "/products/" + ended + "/sale-status", "{\"status\":\"ON_SALE\"}"),
                send("POST", "/orders/" + cancelled + "/acknowledge", null)).stream().map(r -> {
                    assertThat(r.status()).isEqualTo(422);
                    return r.body();
                }).toList();

        // THEN
        assertThat(bodies).extracting(b -> b.get("code").asText()).containsOnly("REFUSED");
        assertThat(bodies).extracting(b -> b.get("reason").asText()).containsExactly("the review was deleted",
                "the claim was withdrawn by the buyer", "the product has ended and cannot be changed", "the order was cancelled");
        assertThat(sim.market("m").records().refusals()).isEqualTo(3);
    }
}
