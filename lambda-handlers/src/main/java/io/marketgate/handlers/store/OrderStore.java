package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.t;

import io.marketgate.handlers.market.Order;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
}
