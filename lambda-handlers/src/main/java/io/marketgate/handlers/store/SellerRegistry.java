package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.str;

import io.marketgate.market.Seller;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The {@code sellers} table: the sellers of each market (pk market, sk sellerId) with their vendor and mall ids. */
public final class SellerRegistry {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public SellerRegistry(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Registers (or replaces) {@code seller} of {@code market}. */
    public void put(String market, Seller seller, boolean active) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableSchemas.PK, s(market));
        item.put(TableSchemas.SK, s(seller.id()));
        seller.vendorId().ifPresent(v -> item.put("vendorId", s(v)));
        seller.mallId().ifPresent(m -> item.put("mallId", s(m)));
        item.put("active", AttributeValue.fromBool(active));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    /** The seller with its vendor and mall ids, if registered. */
    public Optional<Seller> find(String market, String sellerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of(TableSchemas.PK, s(market), TableSchemas.SK, s(sellerId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toSeller(item));
    }

    /** The active sellers of {@code market} (a Query on its partition, every page), in sellerId order. */
    public List<Seller> activeSellers(String market) {
        List<Seller> sellers = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :market")
                    .expressionAttributeNames(Map.of("#pk", TableSchemas.PK))
                    .expressionAttributeValues(Map.of(":market", s(market)));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamoDb.query(query.build());
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue active = item.get("active");
                if (active == null || active.bool() == null || active.bool()) {
                    sellers.add(toSeller(item));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return sellers;
    }

    private static Seller toSeller(Map<String, AttributeValue> item) {
        Seller seller = Seller.of(str(item, TableSchemas.SK).orElseThrow());
        seller = str(item, "vendorId").map(seller::withVendorId).orElse(seller);
        Seller withVendor = seller;
        return str(item, "mallId").map(withVendor::withMallId).orElse(withVendor);
    }
}
