package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.instant;
import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.num;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.str;
import static io.marketgate.handlers.store.Attr.t;

import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.store.RequestStatus.Checkpoint;
import io.marketgate.handlers.store.RequestStatus.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The {@code requests} table: one status record per collection request, with the checkpoint a retried run resumes
 * from. The local runtime reads it with {@link #find} and {@link #findAll}.
 */
public final class RequestStatusRepository {

    /**
     * The key prefix of the API's collection records in the same table ({@code collection#<id>}: market, range,
     * sellers and message count of one API request, whose messages are the requests {@code <id>.<n>}); not requests.
     */
    public static final String COLLECTION_PREFIX = "collection#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public RequestStatusRepository(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** The repository of {@code deps}' requests table. */
    public static RequestStatusRepository of(HandlerDependencies deps) {
        return new RequestStatusRepository(deps.dynamoDb(), deps.tables().requests(), deps.clock());
    }

    /** The request's record, read consistently. */
    public Optional<RequestStatus> find(String requestId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(requestId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toStatus(item));
    }

    /** Every request (a full scan: for local runs and reports, not for hot paths). */
    public List<RequestStatus> findAll() {
        List<RequestStatus> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(table).consistentRead(true);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = dynamoDb.scan(scan.build());
            page.items().stream().filter(item -> !str(item, TableSchemas.PK).orElse("").startsWith(COLLECTION_PREFIX))
                    .forEach(item -> all.add(toStatus(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    /** The record of a request just queued; an existing record of the same id is kept (returns false). */
    public boolean createQueued(CollectionMessage message) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(describe(message));
        item.put(TableSchemas.PK, s(message.requestId()));
        item.put("status", s(Status.QUEUED.name()));
        item.put("attempts", n(0));
        item.put("ordersWritten", n(0));
        item.put("createdAt", t(now));
        item.put("updatedAt", t(now));
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Marks the request RUNNING for one more attempt and returns the record. A request without a checkpoint starts
     * a new run (ordersWritten back to 0); one with a checkpoint resumes and keeps counting.
     */
    public RequestStatus startAttempt(CollectionMessage message) {
        boolean resuming = find(message.requestId()).flatMap(RequestStatus::checkpoint).isPresent();
        Instant now = clock.instant();
        Update update = Update.of().set("status", s(Status.RUNNING.name())).set("updatedAt", t(now))
                .setIfAbsent("createdAt", t(now)).add("attempts", n(1)).remove("reason", "retryAt");
        describe(message).forEach(update::set);
        if (resuming) {
            update.setIfAbsent("ordersWritten", n(0));
        } else {
            update.set("ordersWritten", n(0));
        }
        Map<String, AttributeValue> item = dynamoDb.updateItem(update.applyTo(UpdateItemRequest.builder())
                .tableName(table).key(key(message.requestId())).returnValues(ReturnValue.ALL_NEW).build()).attributes();
        return toStatus(item);
    }

    /** After a stored page: the next page to fetch (empty: the run is complete) and the orders it added. */
    public void checkpoint(String requestId, Optional<Checkpoint> next, int ordersAdded) {
        Update update = Update.of().set("updatedAt", t(clock.instant())).add("ordersWritten", n(ordersAdded));
        if (next.isPresent()) {
            Checkpoint c = next.get();
            update.set("checkpointFrom", t(c.from())).set("checkpointTo", t(c.to()));
            c.cursor().ifPresentOrElse(cursor -> update.set("checkpointCursor", s(cursor)), () -> update.remove("checkpointCursor"));
        } else {
            update.remove("checkpointFrom", "checkpointTo", "checkpointCursor");
        }
        apply(requestId, update);
    }

    /** The run completed: SUCCEEDED, checkpoint cleared. */
    public void succeeded(String requestId) {
        apply(requestId, Update.of().set("status", s(Status.SUCCEEDED.name())).set("updatedAt", t(clock.instant()))
                .remove("reason", "retryAt", "checkpointFrom", "checkpointTo", "checkpointCursor"));
    }

    /** Handed back to the queue until {@code retryAt}: DEFERRED (the limiter or the market asked to wait) or RUNNING (a retryable failure). */
    public void handedBack(String requestId, Status status, String reason, Instant retryAt) {
        apply(requestId, Update.of().set("status", s(status.name())).set("reason", s(reason)).set("retryAt", t(retryAt))
                .set("updatedAt", t(clock.instant())));
    }

    /** FAILED with {@code reason}; creates the record when there was none (a malformed message with a request id). */
    public void failed(String requestId, String reason) {
        Instant now = clock.instant();
        apply(requestId, Update.of().set("status", s(Status.FAILED.name())).set("reason", s(reason)).set("updatedAt", t(now))
                .setIfAbsent("createdAt", t(now)).remove("retryAt"));
    }

    private void apply(String requestId, Update update) {
        dynamoDb.updateItem(update.applyTo(UpdateItemRequest.builder()).tableName(table).key(key(requestId)).build());
    }

    private static Map<String, AttributeValue> key(String requestId) {
        return Map.of(TableSchemas.PK, s(requestId));
    }

    private static Map<String, AttributeValue> describe(CollectionMessage m) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("market", s(m.market()), "sellerId", s(m.sellerId()),
                "kind", s(m.kind().name()), "priority", s(m.priority().name())));
        if (m.orderId() != null) {
            item.put("orderId", s(m.orderId()));
        } else {
            item.put("from", t(m.from()));
            item.put("to", t(m.to()));
        }
        return item;
    }

    private static RequestStatus toStatus(Map<String, AttributeValue> item) {
        Optional<Checkpoint> checkpoint = instant(item, "checkpointFrom").flatMap(from -> instant(item, "checkpointTo")
                .map(to -> new Checkpoint(from, to, str(item, "checkpointCursor"))));
        return new RequestStatus(
                str(item, TableSchemas.PK).orElseThrow(),
                str(item, "market"), str(item, "sellerId"), str(item, "priority"),
                str(item, "status").map(Status::valueOf).orElse(Status.QUEUED),
                str(item, "reason"),
                num(item, "attempts"), num(item, "ordersWritten"),
                checkpoint, instant(item, "retryAt"), instant(item, "createdAt"), instant(item, "updatedAt"));
    }
}
