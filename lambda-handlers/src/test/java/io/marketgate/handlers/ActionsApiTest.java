package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.sqs.Messages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/actions} beyond one rule at a time: every bad field in one problem. */
class ActionsApiTest {

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

    private static JsonNode json(ApiResponse response) {
        try {
            return Messages.json().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static List<String> fields(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.get("errors").forEach(e -> out.add(e.get("field").asText() + ":" + e.get("rule").asText()));
        return out;
    }

    @Test
    void every_bad_field_of_a_request_is_listed_in_one_problem_and_nothing_is_queued() {
        // WHEN a price change comes without its key, with a product id of bad characters, a negative price and a text,
        // which is no field of a price change
        ApiResponse response = world.call("POST", "/v1/actions", Map.of("Content-Type", "application/json"),
                "{\"type\":\"CHANGE_PRICE\",\"market\":\"shop\",\"sellerId\":\"S1\",\"productId\":\"P 1\",\"price\":-5,\"text\":\"x\"}");

        // THEN one problem lists each of them with its rule; 400 as some cannot be read as they are
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode problem = json(response);
        assertThat(fields(problem)).containsExactly("Idempotency-Key:required", "productId:format", "text:not-for-type",
                "price:min");
        assertThat(problem.get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(problem.get("detail").asText()).contains("productId:").contains("price:").contains("text:");
        problem.get("errors").forEach(e -> assertThat(e.get("detail").asText()).startsWith(e.get("field").asText()));
        world.assertUnchanged();
    }

    @Test
    void rule_breaks_that_are_all_422_give_a_422_listing_each() {
        // WHEN a stock change names a negative stock, and an answer a text over any market's limit
        ApiResponse stock = world.call("POST", "/v1/actions", Map.of("Content-Type", "application/json", "Idempotency-Key", "m-1"),
                "{\"type\":\"CHANGE_STOCK\",\"market\":\"nowhere\",\"sellerId\":\"S1\",\"productId\":\"P-1\",\"stock\":-1}");

        // THEN both the unknown market and the stock are named, 422
        assertThat(stock.status()).as(stock.body()).isEqualTo(422);
        assertThat(fields(json(stock))).containsExactly("stock:min", "market:known-market");
        world.assertUnchanged();
    }
}
