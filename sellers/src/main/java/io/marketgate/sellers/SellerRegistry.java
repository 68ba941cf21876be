package io.marketgate.sellers;

import io.marketgate.market.Seller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The {@code sellers} table: the sellers of each market (pk {@code market}, sk {@code sellerId}) with the public fields of
 * their credentials and their status. Attributes: {@code publicFields} (a map of text; {@code vendorId} and
 * {@code mallId} may also stand alone, as rows seeded before credentials were registered have them), {@code active}
 * (BOOL, absent = active), {@code status} ({@code active}, {@code credentials-rejected} or {@code reconnect-required},
 * absent = active),
 * {@code statusReason}, {@code statusSince}, {@code credentialsVersion}, {@code registeredAt}. No secret is ever written here.
 * The same table holds the sellers' consent-granted connections ({@link DynamoConnectionStore}, pk
 * {@code connection#<market>}) and the states of consents in progress ({@link ConnectStates}, pk {@code connect-state#}).
 *
 * <pre>{@code
 * SellerRegistry sellers = new SellerRegistry(dynamoDb, "dev-sellers");
 * Optional<SellerRecord> s = sellers.record("coupang", "seller-1");
 * }</pre>
 */
public final class SellerRegistry {

    static final String PK = "pk";
    static final String SK = "sk";
    /** The most sellers one {@link #page} returns. */
    public static final int MAX_PAGE = 1000;

    /** One page of a market's sellers, and the seller id to continue after when there are more. */
    public record Page(List<SellerRecord> sellers, Optional<String> next) {
        public Page {
            sellers = List.copyOf(sellers);
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;

    public SellerRegistry(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    /** Registers (or replaces) {@code seller} of {@code market} without credentials: its vendor and mall ids, active. */
    public void put(String market, Seller seller, boolean active) {
        Map<String, AttributeValue> item = key(market, seller.id());
        seller.vendorId().ifPresent(v -> item.put("vendorId", s(v)));
        seller.mallId().ifPresent(m -> item.put("mallId", s(m)));
        item.put("active", AttributeValue.fromBool(active));
        item.put("status", s(SellerStatus.ACTIVE.label()));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    /**
     * Writes {@code record} as the whole row (a registration: the status it carries replaces any other); the row it
     * replaced, if there was one.
     */
    public Optional<SellerRecord> register(SellerRecord record) {
        Map<String, AttributeValue> item = key(record.market(), record.sellerId());
        Map<String, AttributeValue> open = new LinkedHashMap<>();
        record.publicFields().forEach((k, v) -> open.put(k, s(v)));
        item.put("publicFields", AttributeValue.fromM(open));
        item.put("active", AttributeValue.fromBool(record.active()));
        item.put("status", s(record.status().label()));
        record.statusReason().ifPresent(r -> item.put("statusReason", s(r)));
        record.statusSince().ifPresent(t -> item.put("statusSince", s(t.toString())));
        record.credentialsVersion().ifPresent(v -> item.put("credentialsVersion", s(v)));
        record.registeredAt().ifPresent(t -> item.put("registeredAt", s(t.toString())));
        Map<String, AttributeValue> old = dynamoDb.putItem(b -> b.tableName(table).item(item).returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(toRecord(old));
    }

    /** The seller's row, read consistently, if registered. */
    public Optional<SellerRecord> record(String market, String sellerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(market, sellerId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    /** The seller with its vendor and mall ids, if registered. */
    public Optional<Seller> find(String market, String sellerId) {
        return record(market, sellerId).map(SellerRecord::seller);
    }

    /** The active sellers of {@code market} (a Query on its partition, every page), in sellerId order. */
    public List<Seller> activeSellers(String market) {
        List<Seller> sellers = new ArrayList<>();
        Optional<String> after = Optional.empty();
        do {
            Page page = page(market, after, MAX_PAGE);
            page.sellers().stream().filter(SellerRecord::active).map(SellerRecord::seller).forEach(sellers::add);
            after = page.next();
        } while (after.isPresent());
        return sellers;
    }

    /**
     * At most {@code limit} sellers of {@code market} after the seller id {@code after} (from the start when empty), in
     * sellerId order; {@link Page#next()} is where the next page starts.
     */
    public Page page(String market, Optional<String> after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit is " + limit + ", must be 1 to " + MAX_PAGE);
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("#pk = :market")
                .expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":market", s(market)))
                .limit(limit);
        after.ifPresent(a -> query.exclusiveStartKey(key(market, a)));
        QueryResponse response = dynamoDb.query(query.build());
        List<SellerRecord> records = response.items().stream().map(SellerRegistry::toRecord).toList();
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.ofNullable(response.lastEvaluatedKey().get(SK)).map(AttributeValue::s)
                : Optional.empty();
        return new Page(records, next);
    }

    /**
     * Marks the seller {@code credentials-rejected} with {@code reason} (already masked) at {@code at}, unless it is
     * unregistered, already marked, or, when {@code version} is given, its credentials have been registered anew since
     * (a collector that used credentials of an older version must not mark the new ones).
     *
     * @return whether this call marked it
     */
    public boolean markCredentialsRejected(String market, String sellerId, String reason, Instant at, Optional<String> version) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#status", "status", "#reason", "statusReason",
                "#since", "statusSince"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":rejected", s(SellerStatus.CREDENTIALS_REJECTED.label()),
                ":reason", s(reason), ":since", s(at.toString())));
        String condition = "attribute_exists(#pk) AND (attribute_not_exists(#status) OR #status <> :rejected)";
        if (version.isPresent()) {
            names.put("#version", "credentialsVersion");
            values.put(":version", s(version.get()));
            condition += " AND #version = :version";
        }
        String expression = condition;
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                    .updateExpression("SET #status = :rejected, #reason = :reason, #since = :since")
                    .conditionExpression(expression)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Marks the seller {@code reconnect-required} with {@code reason} (already masked) at {@code at}, unless it is
     * unregistered or marked already (a seller whose credentials were rejected stays so: that needs new credentials
     * first).
     *
     * @return whether this call marked it
     */
    public boolean markReconnectRequired(String market, String sellerId, String reason, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                    .updateExpression("SET #status = :reconnect, #reason = :reason, #since = :since")
                    .conditionExpression("attribute_exists(#pk) AND (attribute_not_exists(#status) OR #status = :active)")
                    .expressionAttributeNames(Map.of("#pk", PK, "#status", "status", "#reason", "statusReason", "#since", "statusSince"))
                    .expressionAttributeValues(Map.of(":reconnect", s(SellerStatus.RECONNECT_REQUIRED.label()), ":reason", s(reason),
                            ":since", s(at.toString()), ":active", s(SellerStatus.ACTIVE.label()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The seller's owner consented anew: a {@code reconnect-required} seller is active again at {@code at} (any other
     * status is left as it is).
     *
     * @return whether this call changed it
     */
    public boolean markReconnected(String market, String sellerId, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                    .updateExpression("SET #status = :active, #since = :since REMOVE #reason")
                    .conditionExpression("attribute_exists(#pk) AND #status = :reconnect")
                    .expressionAttributeNames(Map.of("#pk", PK, "#status", "status", "#reason", "statusReason", "#since", "statusSince"))
                    .expressionAttributeValues(Map.of(":active", s(SellerStatus.ACTIVE.label()), ":since", s(at.toString()),
                            ":reconnect", s(SellerStatus.RECONNECT_REQUIRED.label()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Deletes the seller's row; the row as it was, or empty when there was none. */
    public Optional<SellerRecord> delete(String market, String sellerId) {
        Map<String, AttributeValue> old = dynamoDb.deleteItem(b -> b.tableName(table).key(key(market, sellerId))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(toRecord(old));
    }

    private static Map<String, AttributeValue> key(String market, String sellerId) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(PK, s(market));
        key.put(SK, s(sellerId));
        return key;
    }

    private static SellerRecord toRecord(Map<String, AttributeValue> item) {
        Map<String, String> open = new LinkedHashMap<>();
        AttributeValue fields = item.get("publicFields");
        if (fields != null && fields.hasM()) {
            fields.m().forEach((k, v) -> {
                if (v.s() != null) {
                    open.put(k, v.s());
                }
            });
        }
        str(item, "vendorId").ifPresent(v -> open.putIfAbsent(Seller.VENDOR_ID, v));
        str(item, "mallId").ifPresent(m -> open.putIfAbsent(Seller.MALL_ID, m));
        AttributeValue active = item.get("active");
        SellerStatus status;
        try {
            status = str(item, "status").map(SellerStatus::of).orElse(SellerStatus.ACTIVE);
        } catch (IllegalArgumentException e) {
            throw new SellerStoreException("the sellers table's row " + str(item, PK).orElse("?") + "/" + str(item, SK).orElse("?")
                    + " has an unknown " + e.getMessage());
        }
        return new SellerRecord(str(item, PK).orElseThrow(), str(item, SK).orElseThrow(), open,
                active == null || active.bool() == null || active.bool(), status,
                str(item, "statusReason"), str(item, "statusSince").map(Instant::parse),
                str(item, "credentialsVersion"), str(item, "registeredAt").map(Instant::parse));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static Optional<String> str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }
}
