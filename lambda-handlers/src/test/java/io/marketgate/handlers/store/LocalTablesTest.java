package io.marketgate.handlers.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.handlers.store.Tables;
import io.marketgate.handlers.jobs.JobRepository;
import io.marketgate.market.Order;
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
                Instant.parse("2026-11-01T00:00:00Z"), "{}")).toList();

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
