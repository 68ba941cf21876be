package io.marketgate.handlers.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.handlers.store.Tables;
import io.marketgate.handlers.jobs.JobRepository;
import io.marketgate.market.Order;
import io.marketgate.market.OrderStatus;
import io.marketgate.market.Seller;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.limiter.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The project's own table creation and stores on the local DynamoDB (dynalite, which has no TTL): creating the
 * tables works and can be repeated, TTL is reported off rather than pretended, and the stores' conditional writes,
 * upserts and paged queries behave as on DynamoDB. embedded-aws's DynamoDbCompatibilityTest checks the same
 * operations with the SDK alone.
 */
class LocalTablesTest {

    private static EmbeddedDynamoDb server;
    private static DynamoDbClient dynamoDb;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-02T00:00:00Z"));

    @BeforeAll
    static void start() {
        server = EmbeddedDynamoDb.start();
        dynamoDb = server.client();
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        server.close();
    }

    @Test
    void the_tables_are_created_twice_without_error_and_ttl_is_reported_off_not_pretended() {
        // GIVEN the tables of one environment, created once (a local runtime that starts again creates them again)
        Tables tables = Tables.withPrefix("twice-");
        TableSchemas.createAll(dynamoDb, tables);
        JobRepository.createTable(dynamoDb, "twice-jobs");

        // WHEN created again (UpdateTimeToLive is refused by dynalite both times)
        TableSchemas.createAll(dynamoDb, tables);
        JobRepository.createTable(dynamoDb, "twice-jobs");

        // THEN every table is ACTIVE with the documented keys, and the TTL the server reports is the truth: off
        for (String table : List.of(tables.orders(), tables.sellers())) {
            var description = dynamoDb.describeTable(b -> b.tableName(table)).table();
            assertThat(description.tableStatus()).isEqualTo(TableStatus.ACTIVE);
            assertThat(description.keySchema()).extracting(k -> k.attributeName() + " " + k.keyType())
                    .containsExactly(TableSchemas.PK + " " + KeyType.HASH, TableSchemas.SK + " " + KeyType.RANGE);
        }
        for (String table : List.of(tables.requests(), tables.idempotency(), "twice-jobs")) {
            var description = dynamoDb.describeTable(b -> b.tableName(table)).table();
            assertThat(description.tableStatus()).isEqualTo(TableStatus.ACTIVE);
            assertThat(description.keySchema()).extracting(k -> k.attributeName() + " " + k.keyType())
                    .containsExactly(TableSchemas.PK + " " + KeyType.HASH);
        }
        assertThat(dynamoDb.describeTimeToLive(b -> b.tableName(tables.idempotency())).timeToLiveDescription()
                .timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
    }

    @Test
    void an_idempotency_key_is_claimed_once_then_seen_in_progress_then_completed() {
        // GIVEN
        Tables tables = Tables.withPrefix("claims-");
        TableSchemas.createAll(dynamoDb, tables);
        IdempotencyStore store = new IdempotencyStore(dynamoDb, tables.idempotency(), clock);

        // WHEN / THEN the conditional put wins once; ConditionalCheckFailedException tells the later claims apart
        assertThat(store.claim("k1", "a1")).isEqualTo(IdempotencyStore.Claim.NEW);
        assertThat(store.claim("k1", "a2")).isEqualTo(IdempotencyStore.Claim.IN_PROGRESS);
        store.complete("k1", "shipped");
        assertThat(store.claim("k1", "a3")).isEqualTo(IdempotencyStore.Claim.COMPLETED);
        assertThat(store.result("k1")).contains("shipped");
    }

    @Test
    void a_rewritten_order_is_counted_and_a_sellers_orders_are_read_page_by_page_in_order() {
        // GIVEN 30 orders of one seller, written in reverse id order
        Tables tables = Tables.withPrefix("orders-");
        TableSchemas.createAll(dynamoDb, tables);
        OrderStore orders = new OrderStore(dynamoDb, tables.orders(), clock);
        List<Order> batch = IntStream.range(0, 30).mapToObj(i -> new Order("o%02d".formatted(29 - i), "PAID",
                io.marketgate.market.OrderStatus.PAID, Instant.parse("2026-11-01T00:00:00Z"), "{}")).toList();

        // WHEN written by two requests (a redelivery)
        orders.write("shop", "s1", "req-1", batch);
        orders.write("shop", "s1", "req-2", batch.subList(0, 1));

        // THEN
        List<String> read = new ArrayList<>();
        orders.forEachPage("shop", "s1", page -> page.forEach(o -> read.add(o.orderId())));
        assertThat(read).hasSize(30).isSorted();
        var item = dynamoDb.getItem(b -> b.tableName(tables.orders()).key(java.util.Map.of(TableSchemas.PK,
                Attr.s(OrderStore.partition("shop", "s1")), TableSchemas.SK, Attr.s("o29")))).item();
        assertThat(item.get("writes").n()).isEqualTo("2");
        assertThat(item.get("firstRequestId").s()).isEqualTo("req-1");
        assertThat(item.get("lastRequestId").s()).isEqualTo("req-2");
        // AND the second write of the same state by a collection of a range is counted as a repeat
        assertThat(item.get("rangeRepeats").n()).isEqualTo("1");
        var other = dynamoDb.getItem(b -> b.tableName(tables.orders()).key(java.util.Map.of(TableSchemas.PK,
                Attr.s(OrderStore.partition("shop", "s1")), TableSchemas.SK, Attr.s("o00")))).item();
        assertThat(other).doesNotContainKey("rangeRepeats");
    }

    @Test
    void an_older_answer_written_after_a_newer_one_never_replaces_it() {
        // GIVEN an order the market answered twice: shipping at 10:00:05, delivered at 10:00:09
        Tables tables = Tables.withPrefix("guard-");
        TableSchemas.createAll(dynamoDb, tables);
        OrderStore orders = new OrderStore(dynamoDb, tables.orders(), clock);
        Instant paid = Instant.parse("2026-11-01T09:00:00Z");
        Order shipping = new Order("o1", "DELIVERING", OrderStatus.SHIPPING, paid, Instant.parse("2026-11-01T10:00:05Z"), "{\"v\":1}");
        Order delivered = new Order("o1", "FINAL_DELIVERY", OrderStatus.DELIVERED, paid, Instant.parse("2026-11-01T10:00:09Z"), "{\"v\":2}");

        // WHEN the newer answer is written first and the older one after it (two collectors, out of order)
        OrderStore.WriteResult first = orders.write("shop", "s1", "req-new", List.of(delivered));
        OrderStore.WriteResult second = orders.write("shop", "s1", "req-old", List.of(shipping));

        // THEN the older write is refused as stale and the stored state is the newer one, with its raw answer
        assertThat(first).isEqualTo(new OrderStore.WriteResult(1, 0, 1));
        assertThat(second).isEqualTo(new OrderStore.WriteResult(0, 1, 0));
        OrderStore.StoredOrder stored = orders.find("shop", "s1", "o1").orElseThrow();
        assertThat(stored.status()).isEqualTo("FINAL_DELIVERY");
        assertThat(stored.commonStatus()).isEqualTo(OrderStatus.DELIVERED);
        assertThat(stored.json()).isEqualTo("{\"v\":2}");
        assertThat(stored.changedAt()).isEqualTo(Instant.parse("2026-11-01T10:00:09Z"));
        // AND a final order is not tracked
        List<OrderStore.Tracked> tracked = new ArrayList<>();
        orders.tracked("shop", tracked::addAll);
        assertThat(tracked).isEmpty();
    }

    @Test
    void answers_of_the_same_instant_keep_the_state_further_along_and_unfinished_orders_are_tracked_until_final() {
        // GIVEN two answers stated at the same second (a Date header's resolution): preparing and shipping
        Tables tables = Tables.withPrefix("same-");
        TableSchemas.createAll(dynamoDb, tables);
        OrderStore orders = new OrderStore(dynamoDb, tables.orders(), clock);
        Instant paid = Instant.parse("2026-11-01T09:00:00Z");
        Instant second = Instant.parse("2026-11-01T10:00:00Z");
        Order preparing = new Order("o2", "INSTRUCT", OrderStatus.PREPARING, paid, second, "{}");
        Order shipping = new Order("o2", "DEPARTURE", OrderStatus.SHIPPING, paid, second, "{}");

        // WHEN shipping is written, then preparing
        orders.write("shop", "s1", "r1", List.of(shipping));
        OrderStore.WriteResult late = orders.write("shop", "s1", "r2", List.of(preparing));

        // THEN the order stays shipping, and it is tracked (not final) since its first write
        assertThat(late.stale()).isEqualTo(1);
        assertThat(orders.find("shop", "s1", "o2").orElseThrow().commonStatus()).isEqualTo(OrderStatus.SHIPPING);
        List<OrderStore.Tracked> tracked = new ArrayList<>();
        orders.tracked("shop", tracked::addAll);
        assertThat(tracked).containsExactly(new OrderStore.Tracked("shop", "s1", "o2", clock.instant()));

        // WHEN a later answer says delivered
        orders.write("shop", "s1", "r3", List.of(new Order("o2", "FINAL_DELIVERY", OrderStatus.DELIVERED, paid,
                second.plusSeconds(1), "{}")));

        // THEN it is no longer tracked
        tracked.clear();
        orders.tracked("shop", tracked::addAll);
        assertThat(tracked).isEmpty();
    }

    @Test
    void an_unfinished_order_of_a_market_that_cannot_follow_one_order_is_stored_but_not_tracked() {
        // GIVEN a market whose one-order call does not answer every state (11st)
        Tables tables = Tables.withPrefix("untracked-");
        TableSchemas.createAll(dynamoDb, tables);
        OrderStore orders = new OrderStore(dynamoDb, tables.orders(), clock);

        // WHEN an acknowledged line is written without tracking
        orders.write("11st", "s1", "r1", List.of(new Order("1-1-9", "301", OrderStatus.PREPARING,
                Instant.parse("2026-11-01T09:00:00Z"), "{}")), false, false);

        // THEN it is stored, and nothing follows it
        assertThat(orders.find("11st", "s1", "1-1-9")).isPresent();
        List<OrderStore.Tracked> tracked = new ArrayList<>();
        orders.tracked("11st", tracked::addAll);
        assertThat(tracked).isEmpty();
    }

    @Test
    void a_sellers_stored_orders_page_by_cursor_with_status_and_time_filters() {
        // GIVEN 7 orders, paid an hour apart, alternately preparing and delivered
        Tables tables = Tables.withPrefix("paging-");
        TableSchemas.createAll(dynamoDb, tables);
        OrderStore orders = new OrderStore(dynamoDb, tables.orders(), clock);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            OrderStatus status = i % 2 == 0 ? OrderStatus.PREPARING : OrderStatus.DELIVERED;
            orders.write("shop", "s1", "r", List.of(new Order("o" + i, status.name(), status, t0.plusSeconds(3600L * i), "{}")));
        }

        // WHEN the preparing ones from 01:00 are read two at a time
        OrderStore.Filter filter = new OrderStore.Filter(java.util.Optional.of(OrderStatus.PREPARING),
                java.util.Optional.of(t0.plusSeconds(3600)), java.util.Optional.empty());
        OrderStore.Page first = orders.page("shop", "s1", filter, java.util.Optional.empty(), 2);
        OrderStore.Page second = orders.page("shop", "s1", filter, first.next(), 2);

        // THEN o2, o4, then o6 and no further page
        assertThat(first.orders()).extracting(OrderStore.StoredOrder::orderId).containsExactly("o2", "o4");
        assertThat(second.orders()).extracting(OrderStore.StoredOrder::orderId).containsExactly("o6");
        assertThat(second.next()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> orders.page("shop", "s1", filter,
                java.util.Optional.of("not-a-cursor"), 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inactive_sellers_are_left_out_of_a_markets_sellers() {
        // GIVEN
        Tables tables = Tables.withPrefix("sellers-");
        TableSchemas.createAll(dynamoDb, tables);
        SellerRegistry sellers = new SellerRegistry(dynamoDb, tables.sellers());
        sellers.put("shop", Seller.of("s2").withVendorId("v2"), true);
        sellers.put("shop", Seller.of("s1"), true);
        sellers.put("shop", Seller.of("s3"), false);
        sellers.put("other", Seller.of("s9"), true);

        // WHEN / THEN
        assertThat(sellers.activeSellers("shop")).extracting(Seller::id).containsExactly("s1", "s2");
        assertThat(sellers.find("shop", "s2")).hasValueSatisfying(s -> assertThat(s.vendorId()).contains("v2"));
    }
}
