package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.api.Problem;
import io.marketgate.handlers.sqs.Messages;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule of the API with a request that breaks it: the status, the problem document naming the field
 * and the rule, and nothing enqueued, written or launched.
 */
class ApiValidationTest {

    @TempDir
    static Path dir;
    static ApiTestWorld world;

    @BeforeAll
    static void start() {
        world = new ApiTestWorld(dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** A rejected request: what it sends and the problem it must get. */
    record Case(String name, String method, String path, Map<String, String> headers, String body, int status, String field, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final String COLLECT = "{\"market\":\"shop\",\"sellers\":[\"S1\"],\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T12:00:00Z\"%s}";
    private static final String SHIP = "{\"type\":\"SHIP_ORDER\",\"market\":\"shop\",\"sellerId\":\"S1\",\"orderId\":\"O-1\",\"carrier\":\"CJ\",\"trackingNumber\":\"1\"%s}";

    /** A POST /v1/actions body of {@code type} for shop's seller S1 with {@code fields}. */
    private static String action(String type, String fields) {
        return "{\"type\":\"" + type + "\",\"market\":\"shop\",\"sellerId\":\"S1\"," + fields + "}";
    }

    private static String collect(String extra) {
        return COLLECT.formatted(extra);
    }

    private static Case post(String name, String path, String body, int status, String field, String rule) {
        return new Case(name, "POST", path, JSON, body, status, field, rule);
    }

    static Stream<Case> rejected() {
        String sellers40 = IntStream.range(0, 40).mapToObj(i -> "\"S" + i + "\"").collect(Collectors.joining(","));
        String sellers101 = IntStream.range(0, 101).mapToObj(i -> "\"S" + i + "\"").collect(Collectors.joining(","));
        Map<String, String> keyed = Map.of("Content-Type", "application/json", "Idempotency-Key", "k-1");
        return Stream.of(
                // every request
                new Case("unknown path", "GET", "/v1/nothing", JSON, null, 404, "path", "not-found"),
                new Case("wrong method", "DELETE", "/v1/collections", JSON, null, 405, "method", "method-not-allowed"),
                new Case("body over the size limit", "POST", "/v1/collections", JSON, "{\"market\":\"" + "x".repeat(70_000) + "\"}", 413, "body", "max-size"),
                new Case("not JSON as content type", "POST", "/v1/collections", Map.of("Content-Type", "text/plain"), collect(""), 415, "Content-Type", "media-type"),
                post("empty body", "/v1/collections", "", 400, "body", "required"),
                post("not JSON", "/v1/collections", "{market:", 400, "body", "json-syntax"),
                post("trailing content", "/v1/collections", collect("") + " {}", 400, "body", "json-syntax"),
                post("a duplicate key", "/v1/collections", "{\"market\":\"shop\",\"market\":\"shop\"}", 400, "body", "json-syntax"),
                post("not an object", "/v1/collections", "[1,2]", 400, "body", "type"),
                post("unknown field", "/v1/collections", collect(",\"colour\":\"red\""), 400, "colour", "unknown-field"),
                // POST /v1/collections
                post("market missing", "/v1/collections", "{\"sellers\":[\"S1\"],\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T12:00:00Z\"}", 400, "market", "required"),
                post("market of the wrong type", "/v1/collections", "{\"market\":7}", 400, "market", "type"),
                post("market not a market name", "/v1/collections", "{\"market\":\"Shop!\"}", 400, "market", "format"),
                post("unknown market", "/v1/collections", collect("").replace("\"shop\"", "\"nowhere\""), 422, "market", "known-market"),
                post("market without a collection queue", "/v1/collections", collect("").replace("\"shop\"", "\"tight\""), 422, "market", "collected"),
                post("from not an instant", "/v1/collections", collect("").replace("2026-11-01T00:00:00Z", "yesterday"), 400, "from", "type"),
                post("to missing", "/v1/collections", "{\"market\":\"shop\",\"sellers\":[\"S1\"],\"from\":\"2026-11-01T00:00:00Z\"}", 400, "to", "required"),
                post("to before from", "/v1/collections", collect("").replace("2026-11-01T12:00:00Z", "2026-10-31T00:00:00Z"), 422, "to", "after-from"),
                post("to in the future", "/v1/collections", collect("").replace("2026-11-01T12:00:00Z", "2026-11-05T00:00:00Z"), 422, "to", "not-in-future"),
                post("range longer than the market's maximum", "/v1/collections", collect("").replace("2026-11-01T00:00:00Z", "2026-09-01T00:00:00Z"), 422, "to", "max-range"),
                post("sellers and allSellers", "/v1/collections", collect(",\"allSellers\":true"), 400, "allSellers", "exclusive"),
                post("neither sellers nor allSellers", "/v1/collections", "{\"market\":\"shop\",\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T12:00:00Z\"}", 400, "sellers", "required"),
                post("allSellers without active sellers", "/v1/collections", "{\"market\":\"shop\",\"allSellers\":true,\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T12:00:00Z\"}", 422, "allSellers", "no-sellers"),
                post("sellers not a list", "/v1/collections", collect("").replace("[\"S1\"]", "\"S1\""), 400, "sellers", "type"),
                post("sellers empty", "/v1/collections", collect("").replace("[\"S1\"]", "[]"), 400, "sellers", "not-empty"),
                post("more sellers than allowed", "/v1/collections", collect("").replace("[\"S1\"]", "[" + sellers101 + "]"), 422, "sellers", "max-items"),
                post("more messages than a request may make", "/v1/collections", collect("").replace("[\"S1\"]", "[" + sellers40 + "]")
                        .replace("2026-11-01T00:00:00Z", "2026-10-05T00:00:00Z"), 422, "sellers", "max-messages"),
                post("a seller twice", "/v1/collections", collect("").replace("[\"S1\"]", "[\"S1\",\"S1\"]"), 400, "sellers[1]", "unique"),
                post("a seller id with a slash", "/v1/collections", collect("").replace("[\"S1\"]", "[\"S/1\"]"), 400, "sellers[0]", "format"),
                post("a seller id of the wrong type", "/v1/collections", collect("").replace("[\"S1\"]", "[1]"), 400, "sellers[0]", "type"),
                post("priority HIGH (actions only)", "/v1/collections", collect(",\"priority\":\"HIGH\""), 422, "priority", "not-allowed"),
                post("unknown priority", "/v1/collections", collect(",\"priority\":\"URGENT\""), 400, "priority", "one-of"),
                post("a kind the market does not offer", "/v1/collections", collect(",\"kind\":\"SETTLEMENTS\""), 422, "kind", "offered-kind"),
                post("an unknown kind", "/v1/collections", collect(",\"kind\":\"INVOICES\""), 400, "kind", "one-of"),
                post("allSellers not a boolean", "/v1/collections", "{\"market\":\"shop\",\"allSellers\":\"yes\",\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T12:00:00Z\"}", 400, "allSellers", "type"),
                // GET /v1/collections/{id}
                new Case("unknown collection", "GET", "/v1/collections/nope", Map.of(), null, 404, "id", "not-found"),
                new Case("collection id with bad characters", "GET", "/v1/collections/a%20b", Map.of(), null, 400, "id", "format"),
                // POST /v1/markets/{market}/orders/{orderId}/collect
                post("re-collect: bad order id", "/v1/markets/shop/orders/O!1/collect", "{\"sellerId\":\"S1\"}", 400, "orderId", "format"),
                post("re-collect: bad market", "/v1/markets/SHOP/orders/O-1/collect", "{\"sellerId\":\"S1\"}", 400, "market", "format"),
                post("re-collect: unknown market", "/v1/markets/nowhere/orders/O-1/collect", "{\"sellerId\":\"S1\"}", 422, "market", "known-market"),
                post("re-collect: sellerId missing", "/v1/markets/shop/orders/O-1/collect", "{}", 400, "sellerId", "required"),
                post("re-collect: unknown field", "/v1/markets/shop/orders/O-1/collect", "{\"sellerId\":\"S1\",\"from\":\"x\"}", 400, "from", "unknown-field"),
                // POST /v1/actions
                post("action without Idempotency-Key", "/v1/actions", SHIP.formatted(""), 400, "Idempotency-Key", "required"),
                new Case("action with a bad Idempotency-Key", "POST", "/v1/actions", Map.of("Content-Type", "application/json", "Idempotency-Key", "a b"), SHIP.formatted(""), 400, "Idempotency-Key", "format"),
                new Case("action of an unknown type", "POST", "/v1/actions", keyed, SHIP.formatted("").replace("SHIP_ORDER", "CANCEL"), 400, "type", "one-of"),
                new Case("action without carrier", "POST", "/v1/actions", keyed, SHIP.formatted("").replace(",\"carrier\":\"CJ\"", ""), 400, "carrier", "required"),
                new Case("action with a blank tracking number", "POST", "/v1/actions", keyed, SHIP.formatted("").replace("\"trackingNumber\":\"1\"", "\"trackingNumber\":\" \""), 400, "trackingNumber", "not-blank"),
                new Case("action on a market without an action queue", "POST", "/v1/actions", keyed, SHIP.formatted("").replace("\"shop\"", "\"tight\""), 422, "market", "actions"),
                new Case("action on an unknown market", "POST", "/v1/actions", keyed, SHIP.formatted("").replace("\"shop\"", "\"nowhere\""), 422, "market", "known-market"),
                new Case("shipment of an order that was not collected", "POST", "/v1/actions", keyed, SHIP.formatted(""), 422, "orderId", "unknown-id"),
                new Case("answer without text", "POST", "/v1/actions", keyed, action("ANSWER_INQUIRY", "\"inquiryId\":\"60000100001001\""), 400, "text", "required"),
                new Case("answer with a blank text", "POST", "/v1/actions", keyed, action("ANSWER_INQUIRY", "\"inquiryId\":\"Q-1\",\"text\":\"  \""), 400, "text", "not-blank"),
                new Case("answer longer than any market takes", "POST", "/v1/actions", keyed, action("ANSWER_INQUIRY", "\"inquiryId\":\"Q-1\",\"text\":\"" + "a".repeat(4001) + "\""), 422, "text", "max-length"),
                new Case("answer of an inquiry id with bad characters", "POST", "/v1/actions", keyed, action("ANSWER_INQUIRY", "\"inquiryId\":\"Q 1\",\"text\":\"ok\""), 400, "inquiryId", "format"),
                new Case("reply with an empty text", "POST", "/v1/actions", keyed, action("REPLY_REVIEW", "\"reviewId\":\"R-1\",\"text\":\"\""), 400, "text", "not-blank"),
                new Case("reply without reviewId", "POST", "/v1/actions", keyed, action("REPLY_REVIEW", "\"text\":\"thanks\""), 400, "reviewId", "required"),
                new Case("price of zero", "POST", "/v1/actions", keyed, action("CHANGE_PRICE", "\"productId\":\"P-1\",\"price\":0"), 422, "price", "min"),
                new Case("negative price", "POST", "/v1/actions", keyed, action("CHANGE_PRICE", "\"productId\":\"P-1\",\"price\":-5"), 422, "price", "min"),
                new Case("price with a fraction", "POST", "/v1/actions", keyed, action("CHANGE_PRICE", "\"productId\":\"P-1\",\"price\":10.5"), 400, "price", "type"),
                new Case("price as text", "POST", "/v1/actions", keyed, action("CHANGE_PRICE", "\"productId\":\"P-1\",\"price\":\"100\""), 400, "price", "type"),
                new Case("price above the highest", "POST", "/v1/actions", keyed, action("CHANGE_PRICE", "\"productId\":\"P-1\",\"price\":1000000001"), 422, "price", "max"),
                new Case("negative stock", "POST", "/v1/actions", keyed, action("CHANGE_STOCK", "\"productId\":\"P-1\",\"stock\":-1"), 422, "stock", "min"),
                new Case("sale status a market sets itself", "POST", "/v1/actions", keyed, action("CHANGE_SALE_STATUS", "\"productId\":\"P-1\",\"status\":\"SOLD_OUT\""), 422, "status", "not-allowed"),
                new Case("sale status that does not exist", "POST", "/v1/actions", keyed, action("CHANGE_SALE_STATUS", "\"productId\":\"P-1\",\"status\":\"GONE\""), 400, "status", "one-of"),
                new Case("claim rejected without a reason", "POST", "/v1/actions", keyed, action("REJECT_CLAIM", "\"claimId\":\"C-1\""), 400, "reason", "required"),
                new Case("claim confirmed with a field of another action", "POST", "/v1/actions", keyed, action("CONFIRM_CLAIM", "\"claimId\":\"C-1\",\"text\":\"ok\""), 400, "text", "not-for-type"),
                new Case("action a market does not offer", "POST", "/v1/actions", keyed, action("ANSWER_INQUIRY", "\"inquiryId\":\"Q-1\",\"text\":\"ok\"").replace("\"shop\"", "\"signed\""), 422, "type", "not-offered"),
                // GET /v1/actions/{actionId}
                new Case("unknown action", "GET", "/v1/actions/nope", Map.of(), null, 404, "actionId", "not-found"),
                new Case("action id with bad characters", "GET", "/v1/actions/a%20b", Map.of(), null, 400, "actionId", "format"),
                // POST /v1/exports, GET /v1/jobs/{id}
                post("export without owner", "/v1/exports", "{\"market\":\"shop\",\"sellerId\":\"S1\"}", 400, "owner", "required"),
                post("export of another kind", "/v1/exports", "{\"owner\":\"u1\",\"kind\":\"claims\",\"market\":\"shop\",\"sellerId\":\"S1\"}", 400, "kind", "one-of"),
                post("export of an unknown market", "/v1/exports", "{\"owner\":\"u1\",\"market\":\"nowhere\",\"sellerId\":\"S1\"}", 422, "market", "known-market"),
                post("export with to before from", "/v1/exports", "{\"owner\":\"u1\",\"market\":\"shop\",\"sellerId\":\"S1\",\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-10-01T00:00:00Z\"}", 422, "to", "after-from"),
                new Case("unknown job", "GET", "/v1/jobs/nope", Map.of(), null, 404, "id", "not-found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void a_bad_request_gets_a_problem_naming_the_field_and_the_rule_and_changes_nothing(Case c) {
        // WHEN
        ApiResponse response = world.call(c.method(), c.path(), c.headers(), c.body());

        // THEN
        assertThat(response.status()).as(response.body()).isEqualTo(c.status());
        assertThat(response.headers()).containsEntry("Content-Type", Problem.MEDIA_TYPE);
        JsonNode problem = read(response);
        assertThat(problem.get("status").asInt()).isEqualTo(c.status());
        assertThat(problem.path("field").asText(null)).isEqualTo(c.field());
        assertThat(problem.get("rule").asText()).isEqualTo(c.rule());
        assertThat(problem.get("type").asText()).endsWith("/" + c.rule());
        assertThat(problem.get("detail").asText()).startsWith(c.field() == null ? "" : c.field());
        world.assertUnchanged();
    }

    @Test
    void a_method_not_allowed_names_the_allowed_methods() {
        ApiResponse response = world.call("GET", "/v1/exports", null);

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "POST");
    }

    static JsonNode read(ApiResponse response) {
        try {
            return Messages.json().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
