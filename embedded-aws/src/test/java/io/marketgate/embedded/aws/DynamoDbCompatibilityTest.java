package io.marketgate.embedded.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Every DynamoDB behaviour the project relies on, in the forms its stores write them (lambda-handlers' store/,
 * RequestStatusRepository, jobs/JobRepository, the API's collection and action records), held against dynalite: when
 * dynalite and DynamoDB part ways on one of them, a test here fails. The last tests pin down where dynalite is known
 * to differ (TTL), so that a dynalite that starts to support it is noticed.
 */
class DynamoDbCompatibilityTest {

    private static EmbeddedDynamoDb server;
    private static DynamoDbClient dynamoDb;
    private static final AtomicInteger tables = new AtomicInteger();

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

    private static String table(boolean withSortKey) {
        String name = "table-" + tables.incrementAndGet();
        List<KeySchemaElement> keys = new ArrayList<>(List.of(key("pk", KeyType.HASH)));
        List<AttributeDefinition> attributes = new ArrayList<>(List.of(string("pk")));
        if (withSortKey) {
            keys.add(key("sk", KeyType.RANGE));
            attributes.add(string("sk"));
        }
        dynamoDb.createTable(b -> b.tableName(name).keySchema(keys).attributeDefinitions(attributes)
                .billingMode(BillingMode.PAY_PER_REQUEST));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(name));
        return name;
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static Map<String, AttributeValue> get(String table, String pk) {
        return dynamoDb.getItem(b -> b.tableName(table).key(Map.of("pk", s(pk))).consistentRead(true)).item();
    }

    @Test
    void a_new_table_is_active_at_once_and_creating_it_again_is_resource_in_use() {
        // GIVEN a table just created (TableSchemas and JobRepository wait for it, then create it again on every start)
        String table = table(false);

        // WHEN / THEN
        assertThat(dynamoDb.describeTable(b -> b.tableName(table)).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThatThrownBy(() -> dynamoDb.createTable(b -> b.tableName(table).keySchema(key("pk", KeyType.HASH))
                .attributeDefinitions(string("pk")).billingMode(BillingMode.PAY_PER_REQUEST)))
                .isInstanceOf(ResourceInUseException.class);
    }

    @Test
    void a_put_conditioned_on_attribute_not_exists_fails_with_conditional_check_failed_when_the_key_is_taken() {
        // GIVEN a claimed key (IdempotencyStore.claim, RequestStatusRepository.createQueued, ActionsApi, JobRepository)
        String table = table(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "status", s("IN_PROGRESS")))
                .conditionExpression("attribute_not_exists(pk)"));

        // WHEN a second claim comes THEN it fails with the exception the stores catch, and the first record stays
        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "status", s("OTHER")))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(get(table, "k").get("status").s()).isEqualTo("IN_PROGRESS");
    }

    @Test
    void a_put_conditioned_on_an_attribute_value_replaces_only_the_expected_item() {
        // GIVEN a lock held by job-1 (JobRepository takes over a finished job's lock with jobId = :previous)
        String table = table(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("lock#u#export"), "jobId", s("job-1"))));

        // WHEN one taker expects job-2, another job-1
        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("lock#u#export"), "jobId", s("job-3"))).conditionExpression("jobId = :previous")
                .expressionAttributeValues(Map.of(":previous", s("job-2")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("lock#u#export"), "jobId", s("job-4")))
                .conditionExpression("jobId = :previous").expressionAttributeValues(Map.of(":previous", s("job-1"))));

        // THEN only the one that saw job-1 took it
        assertThat(get(table, "lock#u#export").get("jobId").s()).isEqualTo("job-4");
    }

    @Test
    void an_update_sets_adds_removes_and_keeps_what_if_not_exists_found_returning_all_new() {
        // GIVEN an existing request record (the aliases #status, #from, #to: DynamoDB reserves those words)
        String table = table(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("r1"), "status", s("QUEUED"), "attempts", n(1),
                "createdAt", s("2026-01-01T00:00:00Z"), "reason", s("old"), "retryAt", s("later"))));

        // WHEN updated as RequestStatusRepository.startAttempt does (SET, if_not_exists, ADD, REMOVE in one expression)
        Map<String, AttributeValue> item = dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("pk", s("r1")))
                .updateExpression("SET #status = :status0, #createdAt = if_not_exists(#createdAt, :createdAt1),"
                        + " #from = :from2, #to = :to3, #ordersWritten = if_not_exists(#ordersWritten, :ordersWritten4)"
                        + " ADD #attempts :attempts5 REMOVE #reason, #retryAt")
                .expressionAttributeNames(Map.of("#status", "status", "#createdAt", "createdAt", "#from", "from",
                        "#to", "to", "#ordersWritten", "ordersWritten", "#attempts", "attempts", "#reason", "reason",
                        "#retryAt", "retryAt"))
                .expressionAttributeValues(Map.of(":status0", s("RUNNING"), ":createdAt1", s("2026-02-02T00:00:00Z"),
                        ":from2", s("a"), ":to3", s("b"), ":ordersWritten4", n(0), ":attempts5", n(1)))
                .returnValues(ReturnValue.ALL_NEW)).attributes();

        // THEN
        assertThat(item.get("status").s()).isEqualTo("RUNNING");
        assertThat(item.get("createdAt").s()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(item.get("ordersWritten").n()).isEqualTo("0");
        assertThat(item.get("attempts").n()).isEqualTo("2");
        assertThat(item.get("from").s()).isEqualTo("a");
        assertThat(item).doesNotContainKeys("reason", "retryAt");
        assertThat(get(table, "r1")).isEqualTo(item);
    }

    @Test
    void an_update_of_a_missing_item_creates_it_with_add_starting_from_zero() {
        // GIVEN no order yet (OrderStore.write upserts, counting writes with ADD; failed() creates a missing record)
        String table = table(true);
        Map<String, AttributeValue> key = Map.of("pk", s("shop#s1"), "sk", s("o1"));
        java.util.function.Consumer<String> writeBy = request -> dynamoDb.updateItem(b -> b.tableName(table).key(key)
                .updateExpression("SET #firstRequestId = if_not_exists(#firstRequestId, :first0), #lastRequestId = :last1"
                        + " ADD #writes :writes2")
                .expressionAttributeNames(Map.of("#firstRequestId", "firstRequestId", "#lastRequestId", "lastRequestId",
                        "#writes", "writes"))
                .expressionAttributeValues(Map.of(":first0", s(request), ":last1", s(request), ":writes2", n(1))));

        // WHEN written by two requests
        writeBy.accept("req-1");
        writeBy.accept("req-2");

        // THEN
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        assertThat(item.get("writes").n()).isEqualTo("2");
        assertThat(item.get("firstRequestId").s()).isEqualTo("req-1");
        assertThat(item.get("lastRequestId").s()).isEqualTo("req-2");
    }

    @Test
    void a_conditional_update_with_in_and_and_applies_only_while_the_condition_holds() {
        // GIVEN a RUNNING job with a heartbeat (JobRepository.failStale and applyIf)
        String table = table(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("j"), "status", s("RUNNING"), "heartbeatAt", s("t1"))));
        String condition = "#seenHeartbeat = :seenHeartbeat AND #activeStatus IN (:queued, :running)";
        Map<String, String> names = Map.of("#seenHeartbeat", "heartbeatAt", "#activeStatus", "status", "#status", "status");

        // WHEN failing it with an old heartbeat THEN ConditionalCheckFailedException, nothing changed
        assertThatThrownBy(() -> dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("pk", s("j")))
                .updateExpression("SET #status = :failed").conditionExpression(condition).expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":failed", s("FAILED"), ":seenHeartbeat", s("t0"),
                        ":queued", s("QUEUED"), ":running", s("RUNNING")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(get(table, "j").get("status").s()).isEqualTo("RUNNING");

        // WHEN with the heartbeat it has THEN applied
        dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("pk", s("j")))
                .updateExpression("SET #status = :failed").conditionExpression(condition).expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":failed", s("FAILED"), ":seenHeartbeat", s("t1"),
                        ":queued", s("QUEUED"), ":running", s("RUNNING"))));
        assertThat(get(table, "j").get("status").s()).isEqualTo("FAILED");
    }

    @Test
    void an_update_conditioned_on_attribute_exists_does_not_create_a_missing_item() {
        // GIVEN no job "gone" (JobRepository.failed updates with attribute_exists(pk))
        String table = table(false);

        // WHEN / THEN
        assertThatThrownBy(() -> dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("pk", s("gone")))
                .updateExpression("SET #status = :s").conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(Map.of(":s", s("FAILED")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(get(table, "gone")).isEmpty();
    }

    @Test
    void a_missing_item_reads_as_an_empty_item_and_a_delete_removes_one() {
        // GIVEN one item (ActionsApi deletes its claim when SQS refuses the message)
        String table = table(false);
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("a"))));

        // WHEN
        dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("a"))));

        // THEN the stores' "item == null || item.isEmpty()" sees it gone
        var response = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("pk", s("a"))).consistentRead(true));
        assertThat(response.hasItem() ? response.item() : Map.of()).isEmpty();
    }

    @Test
    void maps_lists_booleans_and_numbers_come_back_as_written() {
        // GIVEN the attribute types the project writes: job parameters (M), collection sellers (L), active (BOOL)
        String table = table(false);
        Map<String, AttributeValue> item = Map.of("pk", s("x"),
                "parameters", AttributeValue.fromM(Map.of("market", s("shop"), "from", s("2026-01-01"))),
                "sellers", AttributeValue.fromL(List.of(s("s1"), s("s2"))), "active", AttributeValue.fromBool(false),
                "expiresAt", n(1_800_000_000L));

        // WHEN
        dynamoDb.putItem(b -> b.tableName(table).item(item));

        // THEN
        assertThat(get(table, "x")).isEqualTo(item);
    }

    @Test
    void a_query_on_a_partition_pages_through_every_item_in_sort_key_order() {
        // GIVEN 25 orders of one seller and one of another (OrderStore.forEachPage, SellerRegistry.activeSellers)
        String table = table(true);
        for (int i = 0; i < 25; i++) {
            String sk = "o%02d".formatted(24 - i);
            dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("shop#s1"), "sk", s(sk))));
        }
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("shop#s2"), "sk", s("o00"))));

        // WHEN read 10 at a time with "#pk = :market" and exclusiveStartKey, as the stores loop
        List<String> seen = new ArrayList<>();
        int pages = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(b -> b.tableName(table).consistentRead(true).limit(10)
                    .keyConditionExpression("#pk = :market").expressionAttributeNames(Map.of("#pk", "pk"))
                    .expressionAttributeValues(Map.of(":market", s("shop#s1"))).exclusiveStartKey(from));
            page.items().forEach(item -> seen.add(item.get("sk").s()));
            pages++;
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);

        // THEN
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void a_scan_pages_through_the_whole_table() {
        // GIVEN 30 records (RequestStatusRepository.findAll, the simulation's report scans)
        String table = table(false);
        for (int i = 0; i < 30; i++) {
            String pk = "r" + i;
            dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s(pk))));
        }

        // WHEN scanned 7 at a time, and with the SDK's paginator
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(b -> b.tableName(table).consistentRead(true).limit(7).exclusiveStartKey(from));
            page.items().forEach(item -> seen.add(item.get("pk").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        long viaPaginator = dynamoDb.scanPaginator(b -> b.tableName(table).limit(7)).items().stream().count();

        // THEN
        assertThat(seen).hasSize(30).doesNotHaveDuplicates();
        assertThat(viaPaginator).isEqualTo(30);
    }

    @Test
    void a_batch_get_of_a_hundred_keys_returns_the_existing_items_and_skips_missing_ones() {
        // GIVEN 60 request records (CollectionsApi.get reads a collection's requests 100 keys at a time)
        String table = table(false);
        for (int i = 0; i < 60; i++) {
            String pk = "c.%d".formatted(i);
            dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s(pk), "status", s("QUEUED"))));
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(Map.of("pk", s("c." + i)));
        }

        // WHEN asked for 100 keys, consistently, until nothing is unprocessed
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (!pending.isEmpty()) {
            Map<String, KeysAndAttributes> ask = pending;
            BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(ask));
            items.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.hasUnprocessedKeys() ? new HashMap<>(response.unprocessedKeys()) : Map.of();
        }

        // THEN
        assertThat(items).hasSize(60).allSatisfy(item -> assertThat(item.get("status").s()).isEqualTo("QUEUED"));
    }

    @Test
    void dynalite_refuses_update_time_to_live_with_a_dynamodb_exception() {
        // GIVEN a table with a TTL attribute (TableSchemas.createAll and JobRepository.createTable ask for TTL on expiresAt)
        String table = table(false);

        // WHEN / THEN dynalite does not implement TTL: the DynamoDbException those callers catch, not a success
        assertThatThrownBy(() -> dynamoDb.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true))))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                        .isEqualTo("UnknownOperationException"));
        assertThat(dynamoDb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.DISABLED);
    }
}
