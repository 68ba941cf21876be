package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiRequest;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.sellers.SellerStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** {@code /v1/sellers} through the API service, against dynalite and the embedded Secrets Manager. */
class SellersApiTest {

    @TempDir
    static Path dir;

    private static ApiTestWorld world;

    @BeforeAll
    static void start() {
        world = new ApiTestWorld(dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static ApiResponse post(String body) {
        return world.call("POST", "/v1/sellers", body);
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

    private static String registration(String seller, String vendorId, String apiKey) {
        return "{\"market\":\"signed\",\"sellerId\":\"" + seller + "\",\"credentials\":{\"vendorId\":\"" + vendorId
                + "\",\"apiKey\":\"" + apiKey + "\"}}";
    }

    private static Optional<SellerRecord> row(String market, String seller) {
        return new SellerRegistry(world.kit.dynamoDb, HandlerKit.TABLES.sellers()).record(market, seller);
    }

    private static boolean secretExists(String market, String seller) {
        try {
            world.kit.secrets.describeSecret(b -> b.secretId("test/marketgate/sellers/" + market + "/" + seller));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    @Test
    void a_registered_seller_is_answered_with_its_public_fields_and_status_and_its_secret_only_in_secrets_manager() {
        String key = HandlerKit.SIGNED_KEYS.get("S1");
        // WHEN a seller registers
        ApiResponse created = post(registration("api-1", "V0001", key));
        // THEN 201 with the public fields and status, no secret, and where to read it
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.headers()).containsEntry("Location", "/v1/sellers/signed/api-1");
        JsonNode seller = json(created);
        assertThat(seller.get("status").asText()).isEqualTo("active");
        assertThat(seller.get("publicFields").toString()).isEqualTo("{\"vendorId\":\"V0001\"}");
        assertThat(created.body()).doesNotContain(key);
        // AND the secret holds the key; the row holds none
        assertThat(world.kit.secrets.getSecretValue(b -> b.secretId("test/marketgate/sellers/signed/api-1")).secretString())
                .contains(key);
        assertThat(world.kit.dynamoDb.scan(b -> b.tableName(HandlerKit.TABLES.sellers())).items().toString()).doesNotContain(key);
        // AND it is read back alone and in its market's list
        ApiResponse one = get("/v1/sellers/signed/api-1", Map.of());
        assertThat(one.status()).isEqualTo(200);
        assertThat(json(one).get("publicFields").get("vendorId").asText()).isEqualTo("V0001");
        JsonNode list = json(get("/v1/sellers", Map.of("market", "signed")));
        assertThat(list.get("sellers").findValuesAsText("sellerId")).contains("api-1");
        assertThat(list.toString()).doesNotContain(key);
    }

    @Test
    void a_bad_registration_is_422_naming_the_field_and_rule_without_echoing_a_value_and_writes_nothing() {
        String key = HandlerKit.SIGNED_KEYS.get("S2");
        record Case(String body, int status, String field, String rule) {}
        List<Case> cases = List.of(
                // the secret pasted into the public field
                new Case(registration("bad-1", key, key), 422, "credentials.vendorId", "format"),
                new Case("{\"market\":\"signed\",\"sellerId\":\"bad-1\",\"credentials\":{\"vendorId\":\"V0001\"}}", 422,
                        "credentials.apiKey", "required"),
                new Case("{\"market\":\"signed\",\"sellerId\":\"bad-1\",\"credentials\":{\"vendorId\":\"V0001\",\"apiKey\":\""
                        + key + "\",\"token\":\"" + key + "\"}}", 422, "credentials.token", "unknown-field"),
                new Case("{\"market\":\"signed\",\"sellerId\":\"bad-1\",\"credentials\":{\"vendorId\":\"V0001\",\"apiKey\":\"short\"}}",
                        422, "credentials.apiKey", "format"),
                new Case("{\"market\":\"signed\",\"sellerId\":\"bad-1\",\"credentials\":{\"vendorId\":1}}", 400,
                        "credentials.vendorId", "type"),
                new Case("{\"market\":\"signed\",\"sellerId\":\"bad-1\"}", 400, "credentials", "required"),
                new Case("{\"market\":\"nowhere\",\"sellerId\":\"bad-1\",\"credentials\":{}}", 422, "market", "known-market"),
                // a syntax error right at the secret: the parser's message would quote it
                new Case("{\"market\":\"signed\",\"sellerId\":\"bad-1\",\"credentials\":{\"apiKey\":" + key + "}}", 400,
                        "body", "json-syntax"));
        for (Case c : cases) {
            ApiResponse r = post(c.body());
            assertThat(r.status()).as(c.body() + " → " + r.body()).isEqualTo(c.status());
            assertThat(json(r).path("field").asText()).as(r.body()).isEqualTo(c.field());
            assertThat(json(r).path("rule").asText()).as(r.body()).isEqualTo(c.rule());
            assertThat(r.body()).as(r.body()).doesNotContain(key);
        }
        // AND nothing was written
        assertThat(row("signed", "bad-1")).isEmpty();
        assertThat(secretExists("signed", "bad-1")).isFalse();
    }

    @Test
    void registering_new_credentials_makes_a_rejected_seller_active_again() {
        // GIVEN a seller marked credentials-rejected
        assertThat(post(registration("api-2", "V0002", "sk-live-old-0000000000")).status()).isEqualTo(201);
        new SellerRegistry(world.kit.dynamoDb, HandlerKit.TABLES.sellers()).markCredentialsRejected("signed", "api-2",
                "HTTP 401: the market rejected the API key", Instant.parse("2026-11-01T12:00:00Z"), Optional.empty());
        JsonNode rejected = json(get("/v1/sellers/signed/api-2", Map.of()));
        assertThat(rejected.get("status").asText()).isEqualTo("credentials-rejected");
        assertThat(rejected.get("statusReason").asText()).isEqualTo("HTTP 401: the market rejected the API key");
        assertThat(rejected.get("statusSince").asText()).isEqualTo("2026-11-01T12:00:00Z");
        // WHEN new credentials are registered
        ApiResponse again = post(registration("api-2", "V0002", HandlerKit.SIGNED_KEYS.get("S2")));
        // THEN 200 (replaced), active, without the old reason
        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).get("status").asText()).isEqualTo("active");
        assertThat(json(again).has("statusReason")).isFalse();
        assertThat(row("signed", "api-2").orElseThrow().status()).isEqualTo(SellerStatus.ACTIVE);
    }

    @Test
    void a_market_whose_key_is_the_environments_registers_sellers_without_credentials() {
        ApiResponse r = post("{\"market\":\"shop\",\"sellerId\":\"plain-1\",\"credentials\":{}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(json(r).get("publicFields").size()).isZero();
        assertThat(secretExists("shop", "plain-1")).isFalse();
    }

    @Test
    void a_removed_seller_is_gone_with_its_secret_and_removing_it_again_is_404() {
        assertThat(post(registration("api-3", "V0003", HandlerKit.SIGNED_KEYS.get("S3"))).status()).isEqualTo(201);
        ApiResponse removed = world.call("DELETE", "/v1/sellers/signed/api-3", null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(json(removed).get("secret").get("deleted").asBoolean()).isTrue();
        assertThat(secretExists("signed", "api-3")).isFalse();
        assertThat(get("/v1/sellers/signed/api-3", Map.of()).status()).isEqualTo(404);
        assertThat(world.call("DELETE", "/v1/sellers/signed/api-3", null).status()).isEqualTo(404);
        assertThat(world.call("DELETE", "/v1/sellers/nowhere/api-3", null).status()).isEqualTo(404);
    }

    @Test
    void a_markets_sellers_are_listed_in_pages_and_the_list_needs_a_known_market() {
        for (int i = 1; i <= 3; i++) {
            assertThat(post("{\"market\":\"tight\",\"sellerId\":\"page-" + i + "\",\"credentials\":{}}").status()).isEqualTo(201);
        }
        JsonNode first = json(get("/v1/sellers", Map.of("market", "tight", "limit", "2")));
        assertThat(first.get("sellers").findValuesAsText("sellerId")).containsExactly("page-1", "page-2");
        assertThat(first.get("next").asText()).isEqualTo("/v1/sellers?market=tight&limit=2&after=page-2");
        JsonNode rest = json(get("/v1/sellers", Map.of("market", "tight", "limit", "2", "after", "page-2")));
        assertThat(rest.get("sellers").findValuesAsText("sellerId")).containsExactly("page-3");
        assertThat(rest.has("next")).isFalse();
        assertThat(json(get("/v1/sellers", Map.of())).get("field").asText()).isEqualTo("market");
        assertThat(get("/v1/sellers", Map.of("market", "nowhere")).status()).isEqualTo(422);
        assertThat(json(get("/v1/sellers", Map.of("market", "tight", "limit", "0"))).get("field").asText()).isEqualTo("limit");
    }
}
