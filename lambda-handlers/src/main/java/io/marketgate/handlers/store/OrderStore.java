package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.t;

import io.marketgate.market.Order;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Writes collected orders idempotently: the key is the order (pk {@code market#sellerId}, sk {@code orderId}), so a
 * redelivered message or a resumed request overwrites instead of duplicating; {@code writes} counts the writes.
 */
public final class OrderStore {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public OrderStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** The partition key of a seller's orders. */
    public static String partition(String market, String sellerId) {
        return market + "#" + sellerId;
    }

    /** Writes (or rewrites) each of {@code orders}, collected by {@code requestId}. */
    public void write(String market, String sellerId, String requestId, List<Order> orders) {
        String pk = partition(market, sellerId);
        for (Order order : orders) {
            Update update = Update.of()
                    .set("market", s(market)).set("sellerId", s(sellerId)).set("orderId", s(order.orderId()))
                    .set("status", s(order.status())).set("updatedAt", t(order.updatedAt())).set("json", s(order.json()))
                    .setIfAbsent("firstRequestId", s(requestId)).set("lastRequestId", s(requestId))
                    .set("writtenAt", t(clock.instant())).add("writes", n(1));
            dynamoDb.updateItem(update.applyTo(UpdateItemRequest.builder()).tableName(table)
                    .key(Map.of(TableSchemas.PK, s(pk), TableSchemas.SK, s(order.orderId()))).build());
        }
    }

    /** Every stored order of a seller, in order id order, one page of the table at a time to {@code page}. */
    public void forEachPage(String market, String sellerId, java.util.function.Consumer<List<Order>> page) {
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(partition(market, sellerId))));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse response = dynamoDb.query(query.build());
            page.accept(response.items().stream().map(item -> new Order(Attr.str(item, "orderId").orElseThrow(),
                    Attr.str(item, "status").orElse(""), Attr.instant(item, "updatedAt").orElseThrow(),
                    Attr.str(item, "json").orElse("{}"))).toList());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }
}
