package io.marketgate.handlers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.ManualClock;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Order;
import io.marketgate.market.OrderStatus;
import io.marketgate.market.ReviewStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store of every kind but orders on the local DynamoDB (dynalite): the same table as the orders, a partition per
 * seller and kind, idempotent writes, the newer-state guard, and the seller's paged view.
 */
class RecordStoreTest {

    private static final Instant ASKED = Instant.parse("2026-11-01T09:00:00Z");

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

    private static Tables tables(String prefix) {
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
        RecordStore store = new RecordStore(dynamoDb, tables("redeliver-").orders(), clock);
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
        RecordStore store = new RecordStore(dynamoDb, tables("guard-").orders(), clock);
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
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName("guard-orders").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("shop#S1#inquiries"), "sk", AttributeValue.fromS("Q-1")))).item();
        assertThat(item.get("lastRequestId").s()).isEqualTo("req-new");
    }

    @Test
    void answers_of_the_same_instant_keep_the_state_further_along() {
        // GIVEN a claim requested and rejected, both stated at the same instant (a market without change times)
        RecordStore store = new RecordStore(dynamoDb, tables("same-").orders(), clock);
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
        Tables tables = tables("apart-");
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
        RecordStore store = new RecordStore(dynamoDb, tables("paging-").orders(), clock);
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
