package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiRequest;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.OrderStore;
import io.marketgate.handlers.store.RecordStore;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Order;
import io.marketgate.market.OrderStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seller's view of what is stored, {@code GET /v1/sellers/{market}/{sellerId}/{kind}} and
 * {@code GET /v1/orders/{market}/{sellerId}/{orderId}}, through the API service against dynalite.
 */
class OrdersApiTest {

    @TempDir
    static Path dir;

    private static ApiTestWorld world;
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @BeforeAll
    static void start() {
        world = new ApiTestWorld(dir);
        world.kit.registerSeller("shop", "S1");
        // GIVEN seller S1 of shop with 5 stored orders paid an hour apart: preparing, delivered, preparing, …
        OrderStore store = new OrderStore(world.kit.dynamoDb, HandlerKit.TABLES.orders(), java.time.Clock.fixed(HandlerKit.NOW,
                java.time.ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            boolean delivered = i % 2 == 1;
            store.write("shop", "S1", "r-1", List.of(new Order("O-" + i, delivered ? "FINAL_DELIVERY" : "INSTRUCT",
                    delivered ? OrderStatus.DELIVERED : OrderStatus.PREPARING, T0.plusSeconds(3600L * i),
                    "{\"orderId\":\"O-" + i + "\",\"note\":\"as the market answered\"}")));
        }
        // AND 5 stored claims requested an hour apart: requested, completed, requested, …
        RecordStore records = new RecordStore(world.kit.dynamoDb, HandlerKit.TABLES.orders(), java.time.Clock.fixed(HandlerKit.NOW,
                java.time.ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            boolean done = i % 2 == 1;
            records.write("shop", "S1", "r-2", DataKind.CLAIMS, List.of(new MarketRecord(DataKind.CLAIMS, "C-" + i,
                    done ? "RETURNS_COMPLETED" : "RETURN_REQUEST", done ? ClaimStatus.COMPLETED : ClaimStatus.REQUESTED,
                    T0.plusSeconds(3600L * i), Map.of("claimType", "RETURN", "orderId", "O-" + i, "reason", "too small"),
                    "{\"claimId\":\"C-" + i + "\",\"note\":\"as the market answered\"}")));
        }
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static ApiResponse get(String path, Map<String, String> query) {
        return world.api.handle(new ApiRequest("GET", path, Map.of(), null, "test", query));
    }

    private static JsonNode json(ApiResponse response) {
        try {
            return Messages.json().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Test
    void a_sellers_orders_page_by_cursor_in_the_common_model_with_the_markets_status_and_answer_beside_it() {
        // WHEN the orders are read two at a time, following next
        List<String> ids = new ArrayList<>();
        Map<String, String> query = Map.of("limit", "2");
        JsonNode page;
        int pages = 0;
        do {
            ApiResponse response = get("/v1/sellers/shop/S1/orders", query);
            assertThat(response.status()).isEqualTo(200);
            page = json(response);
            page.get("orders").forEach(o -> ids.add(o.get("orderId").asText()));
            pages++;
            query = page.has("cursor") ? Map.of("limit", "2", "cursor", page.get("cursor").asText()) : null;
        } while (query != null);

        // THEN every order once, in three pages, each in the common model beside the market's status and answer
        assertThat(ids).containsExactly("O-0", "O-1", "O-2", "O-3", "O-4");
        assertThat(pages).isEqualTo(3);
        JsonNode first = json(get("/v1/sellers/shop/S1/orders", Map.of("limit", "1"))).get("orders").get(0);
        assertThat(first.get("status").asText()).isEqualTo("PREPARING");
        assertThat(first.get("final").asBoolean()).isFalse();
        assertThat(first.get("marketStatus").asText()).isEqualTo("INSTRUCT");
        assertThat(first.get("raw").get("note").asText()).isEqualTo("as the market answered");
    }

    @Test
    void the_list_filters_by_common_status_and_time() {
        JsonNode page = json(get("/v1/sellers/shop/S1/orders", Map.of("status", "PREPARING",
                "from", T0.plusSeconds(3600).toString(), "to", T0.plusSeconds(5 * 3600).toString())));
        List<String> ids = new ArrayList<>();
        page.get("orders").forEach(o -> ids.add(o.get("orderId").asText()));
        assertThat(ids).containsExactly("O-2", "O-4");
    }

    @Test
    void a_sellers_claims_page_by_cursor_in_the_common_model_with_the_markets_status_fields_and_answer_beside_it() {
        // WHEN the claims are read two at a time, following next
        List<String> ids = new ArrayList<>();
        String path = "/v1/sellers/shop/S1/claims";
        Map<String, String> query = Map.of("limit", "2");
        int pages = 0;
        while (query != null) {
            ApiResponse response = get(path, query);
            assertThat(response.status()).isEqualTo(200);
            JsonNode page = json(response);
            assertThat(page.get("kind").asText()).isEqualTo("claims");
            page.get("claims").forEach(c -> ids.add(c.get("id").asText()));
            pages++;
            query = page.has("cursor") ? Map.of("limit", "2", "cursor", page.get("cursor").asText()) : null;
        }

        // THEN every claim once, in three pages, each in the common model beside the market's status and answer
        assertThat(ids).containsExactly("C-0", "C-1", "C-2", "C-3", "C-4");
        assertThat(pages).isEqualTo(3);
        JsonNode second = json(get(path, Map.of("limit", "2"))).get("claims").get(1);
        assertThat(second.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(second.get("final").asBoolean()).isTrue();
        assertThat(second.get("marketStatus").asText()).isEqualTo("RETURNS_COMPLETED");
        assertThat(second.get("fields").get("claimType").asText()).isEqualTo("RETURN");
        assertThat(second.get("fields").get("orderId").asText()).isEqualTo("O-1");
        assertThat(second.get("updatedAt").asText()).isEqualTo(T0.plusSeconds(3600).toString());
        assertThat(second.get("changedAt").asText()).isEqualTo(HandlerKit.NOW.toString());
        assertThat(second.get("raw").get("note").asText()).isEqualTo("as the market answered");
    }

    @Test
    void a_sellers_claims_filter_by_the_claims_common_status_and_time_and_the_next_link_keeps_the_filters() {
        JsonNode page = json(get("/v1/sellers/shop/S1/claims", Map.of("status", "REQUESTED",
                "from", T0.plusSeconds(1).toString(), "limit", "1")));
        assertThat(page.get("claims").get(0).get("id").asText()).isEqualTo("C-2");
        assertThat(page.get("next").asText()).startsWith("/v1/sellers/shop/S1/claims?limit=1&status=REQUESTED&from=");
        JsonNode rest = json(get("/v1/sellers/shop/S1/claims", Map.of("status", "REQUESTED",
                "from", T0.plusSeconds(1).toString(), "limit", "1", "cursor", page.get("cursor").asText())));
        assertThat(rest.get("claims").get(0).get("id").asText()).isEqualTo("C-4");
        assertThat(rest.has("next")).isFalse();
        // AND a kind the seller has nothing of stored lists nothing
        assertThat(json(get("/v1/sellers/shop/S1/reviews", Map.of())).get("reviews")).isEmpty();
    }

    @Test
    void a_status_of_another_kind_is_400_naming_status_and_the_kinds_statuses() {
        ApiResponse response = get("/v1/sellers/shop/S1/claims", Map.of("status", "DELIVERED"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("status");
        assertThat(json(response).get("detail").asText()).isEqualTo("status: must be one of REQUESTED, IN_PROGRESS, COMPLETED, "
                + "REJECTED, WITHDRAWN (the statuses of claims), was 'DELIVERED'");
    }

    @Test
    void a_kind_the_market_does_not_offer_is_422_naming_the_kind_and_the_market() {
        ApiResponse response = get("/v1/sellers/shop/S1/settlements", Map.of());
        assertThat(response.status()).isEqualTo(422);
        JsonNode problem = json(response);
        assertThat(problem.get("field").asText()).isEqualTo("kind");
        assertThat(problem.get("rule").asText()).isEqualTo("offered-kind");
        assertThat(problem.get("detail").asText()).startsWith("kind: shop does not offer settlements");
        world.assertUnchanged();
    }

    @Test
    void one_order_is_read_and_an_unknown_one_is_404_naming_it_before_anything_is_queued() {
        JsonNode order = json(get("/v1/orders/shop/S1/O-1", Map.of()));
        assertThat(order.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(order.get("final").asBoolean()).isTrue();
        assertThat(order.get("marketStatus").asText()).isEqualTo("FINAL_DELIVERY");
        assertThat(order.get("finalAt").asText()).isEqualTo(HandlerKit.NOW.toString());

        ApiResponse unknown = get("/v1/orders/shop/S1/O-9", Map.of("refresh", "true"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).get("field").asText()).isEqualTo("orderId");
        world.assertUnchanged();
    }

    @Test
    void bad_input_is_refused_field_by_field_before_anything_is_queued() {
        record Case(String path, Map<String, String> query, int status, String field, String rule) {}
        List<Case> cases = List.of(
                new Case("/v1/sellers/shop/S1/settlements", Map.of(), 422, "kind", "offered-kind"),
                new Case("/v1/sellers/shop/S1/claims", Map.of("status", "ANSWERED"), 400, "status", "one-of"),
                new Case("/v1/sellers/shop/S1/claims", Map.of("cursor", "nope"), 400, "cursor", "cursor"),
                new Case("/v1/sellers/shop/S1/invoices", Map.of(), 404, "kind", "not-found"),
                new Case("/v1/sellers/nowhere/S1/orders", Map.of(), 404, "market", "not-found"),
                new Case("/v1/sellers/shop/S99/orders", Map.of(), 404, "sellerId", "not-found"),
                new Case("/v1/sellers/shop/S1/orders", Map.of("status", "SHIPPED"), 400, "status", "one-of"),
                new Case("/v1/sellers/shop/S1/orders", Map.of("from", "yesterday"), 400, "from", "format"),
                new Case("/v1/sellers/shop/S1/orders", Map.of("from", T0.toString(), "to", T0.toString()), 422, "to", "after-from"),
                new Case("/v1/sellers/shop/S1/orders", Map.of("limit", "0"), 400, "limit", "range"),
                new Case("/v1/sellers/shop/S1/orders", Map.of("cursor", "nope"), 400, "cursor", "cursor"),
                new Case("/v1/sellers/shop/S1/orders", Map.of("sort", "desc"), 400, "sort", "unknown-parameter"),
                new Case("/v1/orders/shop/S1/O-1", Map.of("refresh", "yes"), 400, "refresh", "boolean"));
        for (Case c : cases) {
            ApiResponse response = get(c.path(), c.query());
            JsonNode problem = json(response);
            assertThat(response.status()).as(c.toString()).isEqualTo(c.status());
            assertThat(response.headers().get("Content-Type")).as(c.toString()).isEqualTo("application/problem+json");
            assertThat(problem.get("field").asText()).as(c.toString()).isEqualTo(c.field());
            assertThat(problem.get("rule").asText()).as(c.toString()).isEqualTo(c.rule());
            assertThat(problem.get("detail").asText()).as(c.toString()).startsWith(c.field() + ":");
        }
        world.assertUnchanged();
    }

    @Test
    void the_consent_route_beside_the_kinds_is_still_the_consent_route() {
        // shop's sellers do not connect by consent: the connect endpoint's own answer, not a kind's
        ApiResponse response = get("/v1/sellers/shop/S1/connect", Map.of());
        assertThat(response.status()).isEqualTo(409);
        assertThat(json(response).get("rule").asText()).isEqualTo("no-consent");
    }
}
