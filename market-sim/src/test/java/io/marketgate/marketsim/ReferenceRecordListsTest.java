package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.marketsim.internal.RecordBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference protocol's lists of the kinds other than orders ({@code GET /v1/sellers/{id}/{kind}}), served from the
 * market's {@link RecordBook}: the shapes, cursor paging, and the refusals of a wrong client.
 */
class ReferenceRecordListsTest extends SimFixture {

    private static final Instant FROM = DAY_START;
    private static final Instant TO = DAY_START.plus(Duration.ofHours(24));

    private static MarketConfig.Builder market() {
        return MarketConfig.named("m").apiKeys("k").sellers("A001", "A002").maxRange(Duration.ofHours(24))
                .maxPageSize(50).defaultPageSize(50);
    }

    private static String path(RecordBook.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String idField(RecordBook.Kind kind) {
        return switch (kind) {
            case CLAIMS -> "claimId";
            case INQUIRIES -> "inquiryId";
            case REVIEWS -> "reviewId";
            case PRODUCTS -> "productId";
            case SETTLEMENTS -> "settlementId";
        };
    }

    private MarketClient.Reply list(MarketClient c, String seller, String kind, Map<String, String> query) {
        return c.get("/v1/sellers/" + seller + "/" + kind + "?" + MarketClient.encode(query));
    }

    private static Map<String, String> range(Instant from, Instant to, String... extra) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("from", from.toString());
        q.put("to", to.toString());
        for (int i = 0; i + 1 < extra.length; i += 2) {
            q.put(extra[i], extra[i + 1]);
        }
        return q;
    }

    @ParameterizedTest
    @EnumSource(RecordBook.Kind.class)
    void walking_a_kinds_pages_by_cursor_gets_every_record_of_the_range_once_in_order(RecordBook.Kind kind) {
        // GIVEN the seller's records of a day, three per page
        start(market().build());
        MarketClient c = client("m", "k");
        List<String> truth = sim.market("m").records().between("A001", kind, FROM, TO).stream()
                .map(RecordBook.SimRecord::id).toList();
        assertThat(truth).as("a day has several pages of " + kind).hasSizeGreaterThan(0);

        // WHEN every page is fetched, each with the previous page's cursor
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            MarketClient.Reply page = list(c, "A001", path(kind), cursor == null ? range(FROM, TO, "size", "1")
                    : range(FROM, TO, "size", "1", "cursor", cursor));
            assertThat(page.status()).isEqualTo(200);
            page.body().get(path(kind)).forEach(r -> seen.add(r.get(idField(kind)).asText()));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            pages++;
        } while (cursor != null);

        // THEN each record once, in (updatedAt, id) order, one per page
        assertThat(seen).containsExactlyElementsOf(truth);
        assertThat(pages).isEqualTo(truth.size());
    }

    @Test
    void a_record_of_each_kind_has_its_id_the_common_status_and_fields_and_its_times() {
        // GIVEN
        start(market().build());
        MarketClient c = client("m", "k");
        RecordBook book = sim.market("m").records();

        // WHEN the first record of each kind is listed
        Map<RecordBook.Kind, JsonNode> first = new LinkedHashMap<>();
        for (RecordBook.Kind kind : RecordBook.Kind.values()) {
            first.put(kind, list(c, "A001", path(kind), range(FROM, TO)).body().get(path(kind)).get(0));
        }

        // THEN it is the book's record in the protocol's shape
        for (Map.Entry<RecordBook.Kind, JsonNode> e : first.entrySet()) {
            RecordBook.SimRecord r = book.between("A001", e.getKey(), FROM, TO).get(0);
            JsonNode json = e.getValue();
            assertThat(json.get(idField(e.getKey())).asText()).isEqualTo(r.id());
            assertThat(json.get("sellerId").asText()).isEqualTo("A001");
            assertThat(json.get("status").asText()).isEqualTo(r.state());
            assertThat(json.get("updatedAt").asText()).isEqualTo(r.updatedAt().toString());
        }
        RecordBook.SimRecord claim = book.between("A001", RecordBook.Kind.CLAIMS, FROM, TO).get(0);
        assertThat(first.get(RecordBook.Kind.CLAIMS).get("claimType").asText()).isEqualTo(claim.attrs().get("claimType"));
        assertThat(first.get(RecordBook.Kind.CLAIMS).get("orderId").asText()).isEqualTo(claim.attrs().get("orderId"));
        assertThat(first.get(RecordBook.Kind.CLAIMS).get("requestedAt").asText()).isEqualTo(claim.createdAt().toString());
        assertThat(first.get(RecordBook.Kind.INQUIRIES).get("question").asText()).startsWith("Is item ");
        assertThat(first.get(RecordBook.Kind.INQUIRIES).has("askedAt")).isTrue();
        assertThat(first.get(RecordBook.Kind.REVIEWS).get("rating").isInt()).isTrue();
        assertThat(first.get(RecordBook.Kind.PRODUCTS).get("price").isNumber()).isTrue();
        assertThat(first.get(RecordBook.Kind.PRODUCTS).get("stock").isInt()).isTrue();
        assertThat(first.get(RecordBook.Kind.SETTLEMENTS).get("amount").isNumber()).isTrue();
        assertThat(first.get(RecordBook.Kind.SETTLEMENTS).get("settleDate").asText()).isEqualTo("2026-11-20");
    }

    @Test
    void a_record_changed_by_an_action_is_listed_in_the_window_of_its_change_not_of_its_creation() {
        // GIVEN an unanswered inquiry of 20 Nov, answered on 22 Nov (the market's now)
        start(market().build());
        MarketClient c = client("m", "k");
        RecordBook book = sim.market("m").records();
        RecordBook.SimRecord open = book.between("A001", RecordBook.Kind.INQUIRIES, FROM, TO).stream()
                .filter(r -> r.state().equals("UNANSWERED")).findFirst().orElseThrow();
        assertThat(book.answer("A001", open.id(), "Yes, it is.").applied()).isEqualTo(RecordBook.Applied.DONE);

        // WHEN the day of its creation and the day of its answer are listed
        JsonNode created = list(c, "A001", "inquiries", range(FROM, TO)).body().get("inquiries");
        JsonNode answered = list(c, "A001", "inquiries", range(T0, T0.plus(Duration.ofHours(1)))).body().get("inquiries");

        // THEN it is in the second, answered, and no longer in the first
        assertThat(created.findValuesAsText("inquiryId")).doesNotContain(open.id());
        assertThat(answered).singleElement().satisfies(r -> {
            assertThat(r.get("inquiryId").asText()).isEqualTo(open.id());
            assertThat(r.get("status").asText()).isEqualTo("ANSWERED");
            assertThat(r.get("answer").asText()).isEqualTo("Yes, it is.");
            assertThat(r.get("updatedAt").asText()).isEqualTo(T0.toString());
        });
    }

    @Test
    void a_wrong_list_call_is_refused_naming_the_field() {
        // GIVEN
        start(market().build());
        MarketClient c = client("m", "k");
        String otherKindsCursor = list(c, "A001", "claims", range(FROM, TO, "size", "1")).body().get("nextCursor").asText();

        // WHEN a list asks for too long a range, a bad size, a page number, another kind's cursor, or has no from
        MarketClient.Reply tooLong = list(c, "A001", "reviews", range(FROM, TO.plusSeconds(1)));
        MarketClient.Reply tooBig = list(c, "A001", "reviews", range(FROM, TO, "size", "51"));
        MarketClient.Reply byPage = list(c, "A001", "reviews", range(FROM, TO, "page", "2"));
        MarketClient.Reply foreignCursor = list(c, "A001", "reviews", range(FROM, TO, "cursor", otherKindsCursor));
        MarketClient.Reply noFrom = c.get("/v1/sellers/A001/reviews?to=" + TO);

        // THEN 400 naming the field
        assertThat(List.of(tooLong, tooBig, byPage, foreignCursor, noFrom)).extracting(MarketClient.Reply::status)
                .containsOnly(400);
        assertThat(List.of(tooLong, tooBig, byPage, foreignCursor, noFrom)).extracting(r -> r.body().get("field").asText())
                .containsExactly("to", "size", "page", "cursor", "from");
        assertThat(tooLong.body().get("message").asText()).contains("longer than the maximum of PT24H per call");
    }

    @Test
    void a_list_without_the_key_or_of_an_unknown_seller_or_with_post_is_refused_and_counts_as_its_kinds_endpoint() {
        // GIVEN
        start(market().build());

        // WHEN
        MarketClient.Reply noKey = list(client("m", null), "A001", "products", range(FROM, TO));
        MarketClient.Reply badKey = list(client("m", "other"), "A001", "products", range(FROM, TO));
        MarketClient.Reply unknownSeller = list(client("m", "k"), "Z999", "products", range(FROM, TO));
        MarketClient.Reply post = MarketClient.send(client("m", "k").request("/v1/sellers/A001/products?from=" + FROM + "&to=" + TO)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        // THEN
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(unknownSeller.status()).isEqualTo(404);
        assertThat(unknownSeller.body().get("code").asText()).isEqualTo("SELLER_NOT_FOUND");
        assertThat(post.status()).isEqualTo(405);
        assertThat(sim.market("m").arrivals()).extracting(Arrival::endpoint).containsOnly(Endpoint.LIST_PRODUCTS);
    }
}
