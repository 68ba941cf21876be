package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.t;

import io.marketgate.market.RecordStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * What the stores of collected data share ({@link OrderStore} for orders, {@link RecordStore} for every other kind):
 * items of one table, one partition per seller (and kind), one item per record of the market, keyed by its id.
 *
 * <ul>
 *   <li><b>Idempotent</b>: a write is an update of the record's item, so a redelivered message or a resumed request
 *       overwrites instead of duplicating; {@code writes} counts the writes, and a collection of a range that writes
 *       the market status stored already (a redelivery, overlapping ranges) counts a {@code rangeRepeats}.</li>
 *   <li><b>Never backwards</b>: the write is conditional on the market's own time of the state ({@code changedAt}):
 *       refused when the stored state is later, or as late and further along ({@link RecordStatus#progress()}); a
 *       refused write is {@link Written#STALE} and changes nothing.</li>
 *   <li><b>Paged by id</b>: a partition is read in sort key order, a page of the table at a time; a list's cursor is
 *       the last id it showed.</li>
 * </ul>
 */
final class StateTable {

    /** What one guarded write did. */
    enum Written {
        /** Written, a state not stored before. */
        NEW,
        /** Written, the market status stored already (counted in {@code rangeRepeats} when asked to). */
        REPEATED,
        /** Not written: the store holds a later state. */
        STALE;

        boolean written() {
            return this != STALE;
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;

    StateTable(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The key of the item {@code sk} in partition {@code pk}. */
    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableSchemas.PK, s(pk), TableSchemas.SK, s(sk));
    }

    /**
     * The update of one state of a record, conditional on being newer ({@code changedAt}, then {@code progress}):
     * the market's status and the common one side by side, the record's times, the market's answer as received, the
     * requests that wrote it and the write count. The caller adds the attributes of its own kind.
     */
    static Update stateUpdate(String status, RecordStatus common, Instant updatedAt, Instant changedAt, String json,
            String requestId, Instant now) {
        return Update.of()
                .set("status", s(status)).set("commonStatus", s(common.name()))
                .set("final", AttributeValue.fromBool(common.isFinal())).set("progress", n(common.progress()))
                .set("updatedAt", t(updatedAt)).set("updatedAtMillis", n(updatedAt.toEpochMilli()))
                .set("changedAt", t(changedAt)).set("changedAtMillis", n(changedAt.toEpochMilli()))
                .set("json", s(json))
                .setIfAbsent("firstRequestId", s(requestId)).set("lastRequestId", s(requestId))
                .set("writtenAt", t(now)).add("writes", n(1))
                .when("attribute_not_exists(#changedAtMillis) OR #changedAtMillis < :guardAt"
                                + " OR (#changedAtMillis = :guardAt AND #progress <= :guardProgress)",
                        Map.of(":guardAt", n(changedAt.toEpochMilli()), ":guardProgress", n(common.progress())),
                        "changedAtMillis", "progress");
    }

    /**
     * Applies {@code update} (from {@link #stateUpdate}) to the item at {@code key}; {@code countRepeat}: a write of
     * the market status stored already adds one to the item's {@code rangeRepeats}.
     */
    Written write(Map<String, AttributeValue> key, Update update, String status, boolean countRepeat) {
        Map<String, AttributeValue> before;
        try {
            before = dynamoDb.updateItem(update.applyTo(UpdateItemRequest.builder()).tableName(table).key(key)
                    .returnValues(ReturnValue.UPDATED_OLD).build()).attributes();
        } catch (ConditionalCheckFailedException e) {
            return Written.STALE;
        }
        if (before == null || Attr.str(before, "status").filter(status::equals).isEmpty()) {
            return Written.NEW;
        }
        if (countRepeat) {
            dynamoDb.updateItem(Update.of().add("rangeRepeats", n(1)).applyTo(UpdateItemRequest.builder())
                    .tableName(table).key(key).build());
        }
        return Written.REPEATED;
    }

    /** The item at {@code key}, if any (a consistent read). */
    Optional<Map<String, AttributeValue>> find(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * The items of partition {@code pk} in sort key order after {@code afterSk} (null: from the start), one page of the
     * table at a time to {@code page}, until it answers false or the partition ends.
     */
    void query(String pk, String afterSk, Predicate<List<Map<String, AttributeValue>>> page) {
        Map<String, AttributeValue> start = afterSk == null ? null : key(pk, afterSk);
        boolean more;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse response = dynamoDb.query(query.build());
            more = page.test(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (more && start != null);
    }

    /** A page of a list and the cursor of the next one, if there is more. */
    record Slice<T>(List<T> items, Optional<String> next) {}

    /**
     * Up to {@code limit} of partition {@code pk}'s items (read as {@code read}) that {@code filter} accepts, in id
     * order, after {@code cursor} (a previous slice's {@link Slice#next}; empty: from the start).
     *
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    <T> Slice<T> page(String pk, Function<Map<String, AttributeValue>, T> read, Predicate<T> filter,
            Function<T, String> idOf, Optional<String> cursor, int limit) {
        String after = cursor.map(StateTable::decodeCursor).orElse(null);
        List<T> out = new ArrayList<>();
        boolean[] more = {false};
        query(pk, after, items -> {
            for (Map<String, AttributeValue> item : items) {
                T value = read.apply(item);
                if (!filter.test(value)) {
                    continue;
                }
                if (out.size() == limit) {
                    more[0] = true;
                    return false;
                }
                out.add(value);
            }
            return true;
        });
        Optional<String> next = more[0] ? Optional.of(encodeCursor(idOf.apply(out.get(out.size() - 1)))) : Optional.empty();
        return new Slice<>(out, next);
    }

    /** Whether a record of common status {@code status} dated {@code updatedAt} passes a list's filters. */
    static boolean accepts(Optional<? extends RecordStatus> wanted, Optional<Instant> from, Optional<Instant> to,
            RecordStatus status, Instant updatedAt) {
        return wanted.map(w -> w == status).orElse(true)
                && from.map(f -> !updatedAt.isBefore(f)).orElse(true)
                && to.map(t -> updatedAt.isBefore(t)).orElse(true);
    }

    static String encodeCursor(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o1:" + id).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("o1:") && text.length() > 3) {
                return text.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("is not a cursor of this list (use the 'next' of the previous page)");
    }
}
