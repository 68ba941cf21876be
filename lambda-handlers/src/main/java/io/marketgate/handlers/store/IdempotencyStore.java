package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.str;
import static io.marketgate.handlers.store.Attr.t;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The {@code idempotency} table: an action's key is claimed (IN_PROGRESS) before the market is called and COMPLETED
 * with its result after; records expire ({@code expiresAt}, TTL) after {@link #RETENTION}.
 */
public final class IdempotencyStore {

    /** How long a key is remembered: longer than any redelivery of the same message (SQS keeps messages ≤ 14 days). */
    public static final Duration RETENTION = Duration.ofDays(15);

    /** The state of a key when {@link #claim} found it. */
    public enum Claim {
        /** Nobody had the key: this attempt owns it. */
        NEW,
        /** An earlier attempt claimed it and did not complete (it crashed or was handed back): call again. */
        IN_PROGRESS,
        /** Done before: skip. */
        COMPLETED
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public IdempotencyStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** Claims {@code key} for {@code actionId} with a conditional put ({@code attribute_not_exists(pk)}). */
    public Claim claim(String key, String actionId) {
        Instant now = clock.instant();
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(Map.of(TableSchemas.PK, s(key), "status", s("IN_PROGRESS"), "actionId", s(actionId),
                            "createdAt", t(now), "updatedAt", t(now),
                            TableSchemas.EXPIRES_AT, n(now.plus(RETENTION).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(pk)"));
            return Claim.NEW;
        } catch (ConditionalCheckFailedException e) {
            return status(key).filter("COMPLETED"::equals).isPresent() ? Claim.COMPLETED : Claim.IN_PROGRESS;
        }
    }

    /** COMPLETED with {@code result} (what the market said; a failure is recorded here too). */
    public void complete(String key, String result) {
        dynamoDb.updateItem(Update.of().set("status", s("COMPLETED")).set("result", s(result))
                .set("updatedAt", t(clock.instant())).applyTo(UpdateItemRequest.builder())
                .tableName(table).key(Map.of(TableSchemas.PK, s(key))).build());
    }

    /** The key's status, if any. */
    public Optional<String> status(String key) {
        return record(key).flatMap(item -> str(item, "status"));
    }

    /** The key's result, if completed. */
    public Optional<String> result(String key) {
        return record(key).flatMap(item -> str(item, "result"));
    }

    private Optional<Map<String, AttributeValue>> record(String key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of(TableSchemas.PK, s(key))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }
}
