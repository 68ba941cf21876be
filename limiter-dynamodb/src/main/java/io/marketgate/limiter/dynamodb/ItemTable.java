package io.marketgate.limiter.dynamodb;

import io.marketgate.limiter.LimiterStoreUnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The store's reads and writes of whole items: strongly consistent reads, and writes conditional on the version read
 * (or on the item's absence). Every failure but a lost race is a {@link LimiterStoreUnavailableException} naming the
 * table. Counts what it does, with the capacity units DynamoDB would charge for it (a strongly consistent read: one
 * unit per 4 KB of the item, at least one; a write: one per KB of the larger of the old and the new item).
 */
final class ItemTable {

    private final DynamoDbClient client;
    private final String table;
    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong readUnits = new AtomicLong();
    final AtomicLong writeUnits = new AtomicLong();

    ItemTable(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    String name() {
        return table;
    }

    /** The items of {@code keys} as they are now (strongly consistent), an absent one as an empty partition. */
    Map<String, Partition> read(Collection<String> keys) {
        Map<String, Partition> out = new HashMap<>();
        try {
            if (keys.size() == 1) {
                String pk = keys.iterator().next();
                Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of(LimiterTable.PK, AttributeValue.fromS(pk)))).item();
                count(item);
                out.put(pk, Partition.of(pk, item));
                return out;
            }
            List<Map<String, AttributeValue>> wanted = new ArrayList<>();
            for (String pk : keys) {
                wanted.add(Map.of(LimiterTable.PK, AttributeValue.fromS(pk)));
            }
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(wanted).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> r = request;
                BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(r));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    count(item);
                    String pk = item.get(LimiterTable.PK).s();
                    out.put(pk, Partition.of(pk, item));
                }
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
            for (String pk : keys) {
                if (!out.containsKey(pk)) {
                    count(null);
                    out.put(pk, Partition.of(pk, null));
                }
            }
            return out;
        } catch (SdkException e) {
            throw unavailable("read", keys, e);
        }
    }

    /**
     * Writes {@code item} in place of {@code read} if nobody wrote it since: whether it did (false: another caller's
     * write came first).
     */
    boolean write(Partition read, Map<String, AttributeValue> item) {
        writes.incrementAndGet();
        writeUnits.addAndGet(Math.max(1, (Math.max(Partition.size(item), read.size()) + 1023) / 1024));
        try {
            if (read.version() == 0) {
                client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LimiterTable.PK)));
            } else {
                client.putItem(b -> b.tableName(table).item(item).conditionExpression("#v = :v")
                        .expressionAttributeNames(Map.of("#v", LimiterTable.VERSION))
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(read.version())))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            conflicts.incrementAndGet();
            return false;
        } catch (SdkException e) {
            throw unavailable("write", List.of(read.pk()), e);
        }
    }

    private void count(Map<String, AttributeValue> item) {
        reads.incrementAndGet();
        int size = item == null ? 0 : Partition.size(item);
        readUnits.addAndGet(Math.max(1, (size + 4095) / 4096));
    }

    private LimiterStoreUnavailableException unavailable(String what, Collection<String> keys, SdkException e) {
        String why = e instanceof ResourceNotFoundException
                ? "table " + table + " does not exist (LimiterTable.create makes it; the CDK app deploys it)"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new LimiterStoreUnavailableException("dynamodb " + what + " of " + keys + " in table " + table + " failed: " + why, e);
    }
}
