package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrdersAndPaginationTest extends SimFixture {

    private static MarketConfig.Builder market(String name, long seed) {
        return MarketConfig.named(name).apiKeys("k").sellers("A001", "A002").seed(seed).ordersPerHour(8)
                .maxPageSize(50).maxRange(Duration.ofHours(24));
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("orders").forEach(o -> ids.add(o.get("orderId").asText()));
        return ids;
    }

    /** Walks every page by cursor and returns the order ids in the order served. */
    private static List<String> walkByCursor(MarketClient c, String seller, Instant from, Instant to, int size) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            MarketClient.Reply r = c.orders(seller, from, to, "size", Integer.toString(size), "cursor", cursor);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().get("orders").size()).isLessThanOrEqualTo(size);
            all.addAll(ids(r.body()));
            cursor = r.body().get("nextCursor").isNull() ? null : r.body().get("nextCursor").asText();
        } while (cursor != null);
        return all;
    }

    @Test
    void same_seed_seller_and_range_give_the_same_orders_on_separate_servers() {
        // GIVEN two servers with the same market seed and one with another seed
        MarketSim first = MarketSim.builder().market(market("m", 7).build()).start();
        MarketSim second = MarketSim.builder().market(market("m", 7).build()).start();
        MarketSim other = MarketSim.builder().market(market("m", 8).build()).start();
        try (first; second; other) {
            Instant from = DAY_START;
            Instant to = from.plus(Duration.ofHours(3));

            // WHEN the same page is asked of each
            JsonNode a = new MarketClient(first.baseUrl("m"), "k").orders("A001", from, to, "size", "50").body();
            JsonNode b = new MarketClient(second.baseUrl("m"), "k").orders("A001", from, to, "size", "50").body();
            JsonNode c = new MarketClient(other.baseUrl("m"), "k").orders("A001", from, to, "size", "50").body();

            // THEN the same seed gives identical orders, another seed different ones
            assertThat(a.get("orders").size()).isPositive();
            assertThat(a).isEqualTo(b);
            assertThat(ids(c)).isNotEqualTo(ids(a));
        }
    }

    @Test
    void orders_lie_inside_the_range_sorted_by_updatedAt_with_ids_stable_across_overlapping_ranges() {
        // GIVEN a market
        start(market("m", 1).build());
        MarketClient c = client("m", "k");
        Instant from = DAY_START.plus(Duration.ofMinutes(17));
        Instant to = from.plus(Duration.ofHours(5));

        // WHEN the whole range and its two halves are walked
        List<String> whole = walkByCursor(c, "A001", from, to, 50);
        Instant mid = from.plus(Duration.ofMinutes(131));
        List<String> halves = new ArrayList<>(walkByCursor(c, "A001", from, mid, 50));
        halves.addAll(walkByCursor(c, "A001", mid, to, 50));

        // THEN chunking loses and duplicates nothing, and every updatedAt is in [from, to) in order
        assertThat(whole).hasSizeGreaterThan(10).isEqualTo(halves);
        List<Order> expected = sim.market("m").orders("A001", from, to);
        assertThat(expected).extracting(Order::orderId).isEqualTo(whole);
        assertThat(expected).allSatisfy(o -> assertThat(o.updatedAt()).isAfterOrEqualTo(from).isBefore(to));
        assertThat(expected).isSortedAccordingTo(
                java.util.Comparator.comparing(Order::updatedAt).thenComparing(Order::orderId));
        // and another seller has different orders
        assertThat(sim.market("m").orders("A002", from, to)).extracting(Order::orderId).doesNotContainAnyElementsOf(whole);
    }

    @Test
    void cursor_pagination_walks_every_order_exactly_once() {
        // GIVEN a day of orders (about 190)
        start(market("m", 3).build());
        MarketClient c = client("m", "k");
        Instant from = DAY_START;
        Instant to = from.plus(Duration.ofHours(24));
        List<Order> expected = sim.market("m").orders("A001", from, to);

        // WHEN a client walks it 7 at a time
        List<String> walked = walkByCursor(c, "A001", from, to, 7);

        // THEN it sees every order once, in order
        assertThat(walked).doesNotHaveDuplicates().isEqualTo(expected.stream().map(Order::orderId).toList());
        assertThat(sim.market("m").arrivals(Endpoint.LIST_ORDERS)).hasSize((expected.size() + 6) / 7);
    }

    @Test
    void page_pagination_walks_every_order_exactly_once_and_reports_hasNext() {
        // GIVEN a market that pages by number
        start(market("m", 4).pagination(Pagination.PAGE).build());
        MarketClient c = client("m", "k");
        Instant from = DAY_START;
        Instant to = from.plus(Duration.ofHours(10));

        // WHEN a client walks pages of 9 until hasNext is false
        List<String> walked = new ArrayList<>();
        int page = 1;
        JsonNode body;
        do {
            body = c.orders("A001", from, to, "size", "9", "page", Integer.toString(page++)).body();
            assertThat(body.get("nextCursor").isNull()).isTrue();
            walked.addAll(ids(body));
        } while (body.get("hasNext").asBoolean());

        // THEN every order came once; a page past the end is empty
        assertThat(walked).doesNotHaveDuplicates()
                .isEqualTo(sim.market("m").orders("A001", from, to).stream().map(Order::orderId).toList());
        assertThat(c.orders("A001", from, to, "size", "9", "page", "999").body().get("orders")).isEmpty();
    }

    @Test
    void order_json_carries_the_protocol_fields() {
        // GIVEN a market
        start(market("m", 5).build());

        // WHEN one page is read
        JsonNode order = client("m", "k").orders("A002", DAY_START, DAY_START.plus(Duration.ofHours(6)), "size", "1")
                .body().get("orders").get(0);

        // THEN it has the reference fields, and updatedAt parses as an instant
        assertThat(order.fieldNames()).toIterable()
                .contains("orderId", "status", "updatedAt", "sellerId", "orderedAt", "totalPrice", "itemCount");
        Set<String> statuses = new HashSet<>(List.of("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "CANCELLED"));
        assertThat(statuses).contains(order.get("status").asText());
        assertThat(Instant.parse(order.get("updatedAt").asText())).isAfterOrEqualTo(DAY_START);
    }
}
