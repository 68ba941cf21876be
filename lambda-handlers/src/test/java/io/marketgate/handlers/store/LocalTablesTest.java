package io.marketgate.handlers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.handlers.store.Tables;
import io.marketgate.handlers.jobs.JobRepository;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Order;
import io.marketgate.market.OrderStatus;
import io.marketgate.market.ReviewStatus;
import io.marketgate.market.Seller;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.limiter.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The project's own table creation and stores on the local DynamoDB (dynalite, which has no TTL): creating the
 * tables works and can be repeated, TTL is reported off rather than pretended, and the stores' conditional writes,
 * upserts and paged queries behave as on DynamoDB. embedded-aws's DynamoDbCompatibilityTest checks the same
 * operations with the SDK alone. The store of every kind but orders (RecordStore) shares the orders' table, a partition
 * per seller and kind.
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

    // ---- the store of every kind but orders (RecordStore): the orders' table, a partition per seller and kind

    /** When the inquiries of the record store's tests were asked. */
    private static final Instant ASKED = Instant.parse("2026-11-01T09:00:00Z");

    private static Tables created(String prefix) {
        Tables tables = Tables.withPrefix(prefix);
        TableSchemas.createAll(dynamoDb, tables);
        return tables;
    }

    private static MarketRecord inquiry(String id, String status, InquiryStatus common, Instant changedAt, String answer) {
        return new MarketRecord(DataKind.INQUIRIES, id, status, common, ASKED, changedAt,
                answer == null ? Map.of("question", "Is it waterproof?", "productId", "P-3")
                        : Map.of("question", "Is it waterproof?", "productId", "P-3", "answer", answer),
                "{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}");
    }

    @Test
    void a_redelivered_page_overwrites_its_records_and_counts_the_writes_and_repeats() {
        // GIVEN a page of two inquiries
        RecordStore store = new RecordStore(dynamoDb, created("r-redeliver-").orders(), clock);
        List<MarketRecord> page = List.of(inquiry("Q-1", "WAITING", InquiryStatus.UNANSWERED, ASKED, null),
                inquiry("Q-2", "WAITING", InquiryStatus.UNANSWERED, ASKED.plusSeconds(60), null));

        // WHEN it is written, then written again (a redelivered message)
        RecordStore.WriteResult first = store.write("shop", "S1", "r-1", DataKind.INQUIRIES, page);
        RecordStore.WriteResult again = store.write("shop", "S1", "r-1", DataKind.INQUIRIES, page);

        // THEN each record is stored once, written twice, the second time counted as a repeat
        assertThat(first).isEqualTo(new RecordStore.WriteResult(2, 0, 0));
        assertThat(again).isEqualTo(new RecordStore.WriteResult(2, 0, 2));
        List<RecordStore.StoredRecord> stored = new ArrayList<>();
        store.forEachPage("shop", "S1", DataKind.INQUIRIES, stored::addAll);
        assertThat(stored).extracting(RecordStore.StoredRecord::id).containsExactly("Q-1", "Q-2");
        assertThat(stored).allSatisfy(r -> assertThat(r.writes()).isEqualTo(2));
        RecordStore.StoredRecord q1 = stored.get(0);
        assertThat(q1.record()).isEqualTo(page.get(0));
        assertThat(q1.kind()).isEqualTo(DataKind.INQUIRIES);
        assertThat(q1.fields()).containsEntry("question", "Is it waterproof?").containsEntry("productId", "P-3");
    }

    @Test
    void an_older_answer_written_after_a_newer_one_changes_nothing_and_is_counted_stale() {
        // GIVEN an inquiry the market answered twice: waiting at 10:00, answered at 10:05
        RecordStore store = new RecordStore(dynamoDb, created("r-guard-").orders(), clock);
        MarketRecord waiting = inquiry("Q-1", "WAITING", InquiryStatus.UNANSWERED, Instant.parse("2026-11-01T10:00:00Z"), null);
        MarketRecord answered = inquiry("Q-1", "ANSWERED", InquiryStatus.ANSWERED, Instant.parse("2026-11-01T10:05:00Z"), "Yes.");

        // WHEN the newer answer is written first, the older after it (two collectors, out of order)
        RecordStore.WriteResult newer = store.write("shop", "S1", "req-new", DataKind.INQUIRIES, List.of(answered));
        RecordStore.WriteResult older = store.write("shop", "S1", "req-old", DataKind.INQUIRIES, List.of(waiting));

        // THEN the older write is stale and the newer state stays, with its fields, answer and request
        assertThat(newer).isEqualTo(new RecordStore.WriteResult(1, 0, 0));
        assertThat(older).isEqualTo(new RecordStore.WriteResult(0, 1, 0));
        RecordStore.StoredRecord stored = store.find("shop", "S1", DataKind.INQUIRIES, "Q-1").orElseThrow();
        assertThat(stored.commonStatus()).isEqualTo(InquiryStatus.ANSWERED);
        assertThat(stored.status()).isEqualTo("ANSWERED");
        assertThat(stored.fields()).containsEntry("answer", "Yes.");
        assertThat(stored.json()).contains("\"ANSWERED\"");
        assertThat(stored.writes()).isEqualTo(1);
        assertThat(stored.finalAt()).as("an answered inquiry is final").contains(clock.instant());
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName("r-guard-orders").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("shop#S1#inquiries"), "sk", AttributeValue.fromS("Q-1")))).item();
        assertThat(item.get("lastRequestId").s()).isEqualTo("req-new");
    }

    @Test
    void answers_of_the_same_instant_keep_the_state_further_along() {
        // GIVEN a claim requested and rejected, both stated at the same instant (a market without change times)
        RecordStore store = new RecordStore(dynamoDb, created("r-same-").orders(), clock);
        Instant at = Instant.parse("2026-11-01T10:00:00Z");
        MarketRecord requested = new MarketRecord(DataKind.CLAIMS, "C-1", "RU", ClaimStatus.REQUESTED, ASKED, at,
                Map.of("claimType", "RETURN", "orderId", "O-1"), "{\"s\":\"RU\"}");
        MarketRecord rejected = new MarketRecord(DataKind.CLAIMS, "C-1", "RJ", ClaimStatus.REJECTED, ASKED, at,
                Map.of("claimType", "RETURN", "orderId", "O-1"), "{\"s\":\"RJ\"}");

        // WHEN the rejection is written first, then the request
        store.write("shop", "S1", "r-1", DataKind.CLAIMS, List.of(rejected));
        RecordStore.WriteResult late = store.write("shop", "S1", "r-2", DataKind.CLAIMS, List.of(requested));

        // THEN the request is stale: the final rejection stays, marked final
        assertThat(late.stale()).isEqualTo(1);
        RecordStore.StoredRecord stored = store.find("shop", "S1", DataKind.CLAIMS, "C-1").orElseThrow();
        assertThat(stored.commonStatus()).isEqualTo(ClaimStatus.REJECTED);
        assertThat(stored.finalAt()).contains(clock.instant());
    }

    @Test
    void a_sellers_orders_and_each_kind_of_its_records_live_in_partitions_of_their_own_in_the_orders_table() {
        // GIVEN an order, an inquiry and a review of seller S1 with the same id, and an inquiry of seller S2
        Tables tables = created("r-apart-");
        OrderStore orders = new OrderStore(dynamoDb, tables.orders(), clock);
        RecordStore records = new RecordStore(dynamoDb, tables.orders(), clock);
        orders.write("shop", "S1", "r", List.of(new Order("X-1", "ACCEPT", OrderStatus.PAID, ASKED, "{}")));
        records.write("shop", "S1", "r", DataKind.INQUIRIES, List.of(inquiry("X-1", "WAITING", InquiryStatus.UNANSWERED, ASKED, null)));
        records.write("shop", "S1", "r", DataKind.REVIEWS, List.of(new MarketRecord(DataKind.REVIEWS, "X-1", "NEW",
                ReviewStatus.UNREPLIED, ASKED, ASKED, Map.of("rating", "5"), "{}")));
        records.write("shop", "S2", "r", DataKind.INQUIRIES, List.of(inquiry("Q-9", "WAITING", InquiryStatus.UNANSWERED, ASKED, null)));

        // WHEN / THEN each is read from its own partition, and the orders' partition holds the order alone
        assertThat(RecordStore.partition("shop", "S1", DataKind.INQUIRIES)).isEqualTo("shop#S1#inquiries");
        List<Order> stored = new ArrayList<>();
        orders.forEachPage("shop", "S1", stored::addAll);
        assertThat(stored).extracting(Order::orderId).containsExactly("X-1");
        assertThat(records.find("shop", "S1", DataKind.INQUIRIES, "X-1").orElseThrow().commonStatus()).isEqualTo(InquiryStatus.UNANSWERED);
        assertThat(records.find("shop", "S1", DataKind.REVIEWS, "X-1").orElseThrow().commonStatus()).isEqualTo(ReviewStatus.UNREPLIED);
        assertThat(records.find("shop", "S1", DataKind.CLAIMS, "X-1")).isEmpty();
        assertThat(records.countByStatus("shop", "S1", DataKind.INQUIRIES)).isEqualTo(Map.of("UNANSWERED", 1));
        assertThat(records.countByStatus("shop", "S2", DataKind.INQUIRIES)).isEqualTo(Map.of("UNANSWERED", 1));
        // AND a record of another kind than the write's is refused before anything is written
        assertThatThrownBy(() -> records.write("shop", "S1", "r", DataKind.CLAIMS,
                List.of(inquiry("Q-2", "WAITING", InquiryStatus.UNANSWERED, ASKED, null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind inquiries, not claims");
        assertThat(records.find("shop", "S1", DataKind.INQUIRIES, "Q-2")).isEmpty();
    }

    @Test
    void a_sellers_records_page_by_cursor_with_common_status_and_time_filters() {
        // GIVEN 7 inquiries asked an hour apart, alternately unanswered and answered
        RecordStore store = new RecordStore(dynamoDb, created("r-paging-").orders(), clock);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            InquiryStatus status = i % 2 == 0 ? InquiryStatus.UNANSWERED : InquiryStatus.ANSWERED;
            store.write("shop", "S1", "r", DataKind.INQUIRIES, List.of(new MarketRecord(DataKind.INQUIRIES, "Q" + i,
                    status.name(), status, t0.plusSeconds(3600L * i), Map.of(), "{}")));
        }

        // WHEN the unanswered ones from 01:00 are read two at a time
        RecordStore.Filter filter = new RecordStore.Filter(Optional.of(InquiryStatus.UNANSWERED),
                Optional.of(t0.plusSeconds(3600)), Optional.empty());
        RecordStore.Page first = store.page("shop", "S1", DataKind.INQUIRIES, filter, Optional.empty(), 2);
        RecordStore.Page second = store.page("shop", "S1", DataKind.INQUIRIES, filter, first.next(), 2);

        // THEN Q2, Q4, then Q6 and no further page; a cursor that is none is refused
        assertThat(first.records()).extracting(RecordStore.StoredRecord::id).containsExactly("Q2", "Q4");
        assertThat(second.records()).extracting(RecordStore.StoredRecord::id).containsExactly("Q6");
        assertThat(second.next()).isEmpty();
        assertThat(store.page("shop", "S1", DataKind.INQUIRIES, new RecordStore.Filter(Optional.empty(), Optional.empty(),
                Optional.of(t0.plusSeconds(3600))), Optional.empty(), 10).records()).extracting(RecordStore.StoredRecord::id)
                .containsExactly("Q0");
        assertThatThrownBy(() -> store.page("shop", "S1", DataKind.INQUIRIES, filter, Optional.of("not-a-cursor"), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
    }
}
