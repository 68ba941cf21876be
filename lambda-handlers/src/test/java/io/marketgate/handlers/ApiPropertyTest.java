package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.api.Problem;
import io.marketgate.handlers.sqs.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Throws malformed bodies, wrong types, huge payloads, unknown fields and bad paths at the API: every one is answered
 * 4xx with a problem document, and nothing is enqueued, written, stored or launched.
 */
class ApiPropertyTest {

    private static ApiTestWorld world;
    private static Path dir;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("api-property");
        world = new ApiTestWorld(dir);
    }

    @AfterContainer
    static void stop() {
        world.close();
    }

    /** An endpoint that takes a body, with a valid body that each property breaks in one way. */
    record Endpoint(String path, String validBody, Map<String, String> headers) {}

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/v1/collections", "{\"market\":\"shop\",\"sellers\":[\"S1\"],\"from\":\"2026-11-01T00:00:00Z\","
                    + "\"to\":\"2026-11-01T12:00:00Z\",\"priority\":\"LOW\",\"kind\":\"ORDERS\"}", Map.of()),
            new Endpoint("/v1/actions", "{\"type\":\"SHIP_ORDER\",\"market\":\"shop\",\"sellerId\":\"S1\",\"orderId\":\"O-1\","
                    + "\"carrier\":\"CJ\",\"trackingNumber\":\"1\"}", Map.of("Idempotency-Key", "prop-1")),
            new Endpoint("/v1/exports", "{\"owner\":\"u1\",\"kind\":\"orders\",\"market\":\"shop\",\"sellerId\":\"S1\","
                    + "\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-01T12:00:00Z\"}", Map.of()),
            new Endpoint("/v1/markets/shop/orders/O-1/collect", "{\"sellerId\":\"S1\",\"priority\":\"LOW\"}", Map.of()));

    @Property(tries = 150)
    void a_malformed_body_is_rejected_and_changes_nothing(@ForAll("endpoints") Endpoint endpoint, @ForAll("malformed") String body) {
        assertRejected(post(endpoint, body));
    }

    @Property(tries = 150)
    void a_field_of_the_wrong_type_is_rejected_naming_it(@ForAll("endpoints") Endpoint endpoint, @ForAll("indexes") int field,
            @ForAll("wrongValues") JsonNode value) {
        ObjectNode body = parse(endpoint.validBody());
        List<String> names = iterate(body);
        String name = names.get(field % names.size());
        body.set(name, value);

        ApiResponse response = post(endpoint, body.toString());

        assertRejected(response);
        assertThat(ApiValidationTest.read(response).path("field").asText()).as(response.body()).startsWith(name);
    }

    @Property(tries = 100)
    void an_unknown_field_is_rejected_naming_it(@ForAll("endpoints") Endpoint endpoint,
            @ForAll("unknownNames") String name, @ForAll("wrongValues") JsonNode value) {
        ObjectNode body = parse(endpoint.validBody());
        body.set(name, value);

        ApiResponse response = post(endpoint, body.toString());

        assertRejected(response);
        assertThat(ApiValidationTest.read(response).get("field").asText()).isEqualTo(name);
    }

    @Property(tries = 20)
    void a_huge_payload_is_413(@ForAll("endpoints") Endpoint endpoint, @ForAll("hugeSizes") int size) {
        ObjectNode body = parse(endpoint.validBody());
        body.put(iterate(body).get(0), "x".repeat(size));

        ApiResponse response = post(endpoint, body.toString());

        assertRejected(response);
        assertThat(response.status()).isEqualTo(413);
    }

    @Property(tries = 150)
    void a_bad_path_is_rejected(@ForAll("methods") String method, @ForAll("badPaths") String path) {
        assertRejected(world.call(method, path, Map.of("Content-Type", "application/json"), "{}"));
    }

    private static ApiResponse post(Endpoint endpoint, String body) {
        Map<String, String> headers = new java.util.HashMap<>(endpoint.headers());
        headers.put("Content-Type", "application/json");
        return world.call("POST", endpoint.path(), headers, body);
    }

    private static void assertRejected(ApiResponse response) {
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers()).containsEntry("Content-Type", Problem.MEDIA_TYPE);
        JsonNode problem = ApiValidationTest.read(response);
        assertThat(problem.get("status").asInt()).isEqualTo(response.status());
        assertThat(problem.get("rule").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        world.assertUnchanged();
    }

    @Provide
    Arbitrary<Endpoint> endpoints() {
        return Arbitraries.of(ENDPOINTS);
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 20);
    }

    @Provide
    Arbitrary<String> malformed() {
        Arbitrary<String> truncated = Arbitraries.of(ENDPOINTS).flatMap(e -> Arbitraries.integers()
                .between(0, e.validBody().length() - 1).map(n -> e.validBody().substring(0, n)));
        Arbitrary<String> noise = Arbitraries.strings().ofMinLength(0).ofMaxLength(200);
        Arbitrary<String> notObjects = Arbitraries.of("[]", "[{}]", "null", "true", "42", "\"text\"", "{}{}", "{\"a\":1,}",
                "{'market':'shop'}", "{\"market\":\"shop\"", "\u0000", "{\"market\":\"shop\",\"market\":\"shop\"}");
        Arbitrary<String> deep = Arbitraries.integers().between(40, 2000).map(n -> "{\"a\":" + "[".repeat(n) + "]".repeat(n) + "}");
        return Arbitraries.oneOf(truncated, noise, notObjects, deep)
                .filter(s -> !ENDPOINTS.stream().map(Endpoint::validBody).toList().contains(s));
    }

    @Provide
    Arbitrary<JsonNode> wrongValues() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> numbers = Arbitraries.integers().map(f::numberNode);
        Arbitrary<JsonNode> doubles = Arbitraries.doubles().map(f::numberNode);
        Arbitrary<JsonNode> objects = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5)
                .map(k -> (JsonNode) f.objectNode().put(k, 1));
        Arbitrary<JsonNode> numberLists = Arbitraries.integers().list().ofMaxSize(3)
                .map(l -> { var a = f.arrayNode(); l.forEach(a::add); return a; });
        return Arbitraries.oneOf(numbers, doubles, objects, numberLists);
    }

    @Provide
    Arbitrary<String> unknownNames() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_', '$', ' ', 'é').ofMinLength(1).ofMaxLength(20)
                .filter(n -> ENDPOINTS.stream().noneMatch(e -> parse(e.validBody()).has(n))
                        && !List.of("market", "sellers", "allSellers", "kind", "from", "to", "priority", "type", "sellerId",
                                "orderId", "carrier", "trackingNumber", "owner").contains(n));
    }

    @Provide
    Arbitrary<Integer> hugeSizes() {
        return Arbitraries.integers().between(70_000, 2_000_000);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE");
    }

    @Provide
    Arbitrary<String> badPaths() {
        Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'z').withChars('%', '.', '-', '{', '}', ' ')
                .ofMinLength(0).ofMaxLength(12);
        Arbitrary<String> anywhere = segment.list().ofMinSize(1).ofMaxSize(6).map(s -> "/" + String.join("/", s))
                .filter(p -> !p.startsWith("/v1/"));
        Arbitrary<String> tooDeep = Combinators.combine(Arbitraries.of("/v1/collections", "/v1/jobs", "/v1/exports", "/v1/actions",
                "/v1/markets/shop/orders/O-1/collect"), segment.list().ofMinSize(2).ofMaxSize(4))
                .as((base, rest) -> base + "/" + String.join("/", rest));
        Arbitrary<String> wrongVersion = Arbitraries.of("/v2/collections", "/collections", "/v1", "/", "", "/v1/collections/a/b",
                "/v1/markets/shop/orders/collect", "/v1/markets//orders/O-1/collect");
        return Arbitraries.oneOf(anywhere, tooDeep, wrongVersion);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Messages.json().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> iterate(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
