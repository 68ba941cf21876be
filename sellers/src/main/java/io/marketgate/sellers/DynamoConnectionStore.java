package io.marketgate.sellers;

import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.ConnectionStore;
import io.marketgate.market.auth.ConnectionTokens;
import io.marketgate.market.auth.MallConnection;
import io.marketgate.market.auth.TokenSealer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The sellers' consent-granted connections ({@link MallConnection}) in the sellers table, one item per seller beside its
 * row: pk {@code connection#<market>} (a market name has no '#', so these never mix with a market's rows), sk the seller
 * id. Attributes: {@code version} (N), {@code status} ({@code connected} or {@code reconnect-required}), {@code access}
 * and {@code refresh} (B: each token sealed by the {@link TokenSealer} for
 * {@code connection:<market>:<sellerId>:access|refresh}, so a blob moved to another item or role does not open),
 * {@code accessExpiresAt}, {@code refreshExpiresAt} (S, ISO), {@code refreshExpiresAtEpoch} (N, seconds, for the
 * keep-alive's query), {@code leaseOwner} (S) and {@code leaseUntil} (N, epoch ms), {@code reason}, {@code reconnectFrom}
 * (N), {@code connectedAt}, {@code updatedAt}. No token is ever written unsealed.
 *
 * <p>Every change but a consent is one conditional UpdateItem on the version read, and raises it ({@link ConnectionStore}).
 *
 * <pre>{@code
 * ConnectionStore connections = new DynamoConnectionStore(dynamoDb, "prod-sellers", tokenEncryption);
 * AdapterContext context = AdapterContext.of(System::getenv).withConnections(connections);
 * }</pre>
 */
public final class DynamoConnectionStore implements ConnectionStore {

    static final String PK = SellerRegistry.PK;
    static final String SK = SellerRegistry.SK;
    /** The partition of a market's connections: {@code connection#<market>}. */
    public static final String PARTITION_PREFIX = "connection#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final TokenSealer sealer;

    public DynamoConnectionStore(DynamoDbClient dynamoDb, String table, TokenSealer sealer) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    @Override
    public Optional<MallConnection> read(String market, String sellerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key(market, sellerId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toConnection(market, sellerId, item));
    }

    @Override
    public MallConnection connect(String market, String sellerId, ConnectionTokens tokens, Instant at) {
        Map<String, String> names = new HashMap<>(Map.of("#version", "version", "#status", "status", "#updated", "updatedAt",
                "#connected", "connectedAt", "#owner", "leaseOwner", "#until", "leaseUntil", "#reason", "reason",
                "#from", "reconnectFrom"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":zero", n(0), ":one", n(1),
                ":connected", s(MallConnection.Status.CONNECTED.label()), ":at", s(at.toString())));
        String set = tokenUpdate(market, sellerId, tokens, names, values);
        Map<String, AttributeValue> item = dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                .updateExpression("SET #version = if_not_exists(#version, :zero) + :one, #status = :connected, #updated = :at, "
                        + "#connected = :at, " + set + " REMOVE #owner, #until, #reason, #from")
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        return toConnection(market, sellerId, item);
    }

    @Override
    public boolean claim(String market, String sellerId, long version, String owner, Instant until, Instant now) {
        return conditional(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                .updateExpression("SET #owner = :owner, #until = :until")
                .conditionExpression("#version = :v AND #status = :connected AND (attribute_not_exists(#until) OR #until <= :now)")
                .expressionAttributeNames(Map.of("#owner", "leaseOwner", "#until", "leaseUntil", "#version", "version",
                        "#status", "status"))
                .expressionAttributeValues(Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()), ":v", n(version),
                        ":connected", s(MallConnection.Status.CONNECTED.label()), ":now", n(now.toEpochMilli())))));
    }

    @Override
    public boolean refreshed(String market, String sellerId, long version, ConnectionTokens tokens, Instant at) {
        Map<String, String> names = new HashMap<>(Map.of("#version", "version", "#status", "status", "#updated", "updatedAt",
                "#owner", "leaseOwner", "#until", "leaseUntil", "#reason", "reason", "#from", "reconnectFrom"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":v", n(version), ":one", n(1),
                ":connected", s(MallConnection.Status.CONNECTED.label()),
                ":reconnect", s(MallConnection.Status.RECONNECT_REQUIRED.label()), ":at", s(at.toString())));
        String set = tokenUpdate(market, sellerId, tokens, names, values);
        return conditional(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                .updateExpression("SET #version = #version + :one, #status = :connected, #updated = :at, " + set
                        + " REMOVE #owner, #until, #reason, #from")
                .conditionExpression("#version = :v OR (#status = :reconnect AND #from = :v)")
                .expressionAttributeNames(names).expressionAttributeValues(values)));
    }

    @Override
    public void release(String market, String sellerId, long version, String owner) {
        conditional(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                .updateExpression("REMOVE #owner, #until")
                .conditionExpression("#version = :v AND #owner = :owner")
                .expressionAttributeNames(Map.of("#owner", "leaseOwner", "#until", "leaseUntil", "#version", "version"))
                .expressionAttributeValues(Map.of(":v", n(version), ":owner", s(owner)))));
    }

    @Override
    public boolean markReconnectRequired(String market, String sellerId, long version, String reason, Instant at) {
        return conditional(() -> dynamoDb.updateItem(b -> b.tableName(table).key(key(market, sellerId))
                .updateExpression("SET #version = #version + :one, #status = :reconnect, #reason = :reason, #from = :v, "
                        + "#updated = :at REMOVE #access, #refresh, #owner, #until, #accessAt, #refreshAt, #refreshEpoch")
                .conditionExpression("#version = :v")
                .expressionAttributeNames(Map.ofEntries(Map.entry("#version", "version"), Map.entry("#status", "status"),
                        Map.entry("#reason", "reason"), Map.entry("#from", "reconnectFrom"), Map.entry("#updated", "updatedAt"),
                        Map.entry("#access", "access"), Map.entry("#refresh", "refresh"), Map.entry("#owner", "leaseOwner"),
                        Map.entry("#until", "leaseUntil"), Map.entry("#accessAt", "accessExpiresAt"),
                        Map.entry("#refreshAt", "refreshExpiresAt"), Map.entry("#refreshEpoch", "refreshExpiresAtEpoch")))
                .expressionAttributeValues(Map.of(":v", n(version), ":one", n(1),
                        ":reconnect", s(MallConnection.Status.RECONNECT_REQUIRED.label()), ":reason", s(reason),
                        ":at", s(at.toString())))));
    }

    @Override
    public List<String> expiringBefore(String market, Instant before, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit is " + limit + ", must be ≥ 1");
        }
        List<String> sellers = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .filterExpression("#status = :connected AND #refreshEpoch < :before")
                    .expressionAttributeNames(Map.of("#pk", PK, "#status", "status", "#refreshEpoch", "refreshExpiresAtEpoch"))
                    .expressionAttributeValues(Map.of(":pk", s(PARTITION_PREFIX + market),
                            ":connected", s(MallConnection.Status.CONNECTED.label()), ":before", n(before.getEpochSecond())));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse response = dynamoDb.query(query.build());
            for (Map<String, AttributeValue> item : response.items()) {
                if (sellers.size() < limit) {
                    sellers.add(item.get(SK).s());
                }
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null && sellers.size() < limit);
        return sellers;
    }

    /** The SET clauses of a pair: both tokens sealed, their expiries in the clear. */
    private String tokenUpdate(String market, String sellerId, ConnectionTokens tokens, Map<String, String> names,
            Map<String, AttributeValue> values) {
        names.putAll(Map.of("#access", "access", "#refresh", "refresh", "#accessAt", "accessExpiresAt",
                "#refreshAt", "refreshExpiresAt", "#refreshEpoch", "refreshExpiresAtEpoch"));
        values.put(":access", AttributeValue.fromB(SdkBytes.fromByteArray(sealer.seal(sealKey(market, sellerId, "access"), tokens.access()))));
        values.put(":refresh", AttributeValue.fromB(SdkBytes.fromByteArray(sealer.seal(sealKey(market, sellerId, "refresh"),
                tokens.refresh()))));
        values.put(":accessAt", s(tokens.access().expiresAt().toString()));
        values.put(":refreshAt", s(tokens.refresh().expiresAt().toString()));
        values.put(":refreshEpoch", n(tokens.refresh().expiresAt().getEpochSecond()));
        return "#access = :access, #refresh = :refresh, #accessAt = :accessAt, #refreshAt = :refreshAt, #refreshEpoch = :refreshEpoch";
    }

    private MallConnection toConnection(String market, String sellerId, Map<String, AttributeValue> item) {
        MallConnection.Status status;
        try {
            status = MallConnection.Status.of(str(item, "status").orElse(""));
        } catch (IllegalArgumentException e) {
            throw new SellerStoreException("the connection of seller " + sellerId + " of " + market + " in " + table + " has an unknown "
                    + e.getMessage());
        }
        Optional<ConnectionTokens> tokens = Optional.empty();
        if (item.containsKey("access") && item.containsKey("refresh")) {
            try {
                CachedToken access = sealer.open(sealKey(market, sellerId, "access"), item.get("access").b().asByteArray());
                CachedToken refresh = sealer.open(sealKey(market, sellerId, "refresh"), item.get("refresh").b().asByteArray());
                tokens = Optional.of(new ConnectionTokens(access, refresh));
            } catch (RuntimeException e) {
                throw new SellerStoreException("the connection of seller " + sellerId + " of " + market + " in " + table
                        + " does not open with this environment's token key: " + e.getMessage());
            }
        }
        Optional<MallConnection.Lease> lease = str(item, "leaseOwner").flatMap(owner -> num(item, "leaseUntil")
                .map(until -> new MallConnection.Lease(owner, Instant.ofEpochMilli(until))));
        return new MallConnection(market, sellerId, num(item, "version").orElse(1L), status, tokens, lease, str(item, "reason"),
                num(item, "reconnectFrom"), str(item, "updatedAt").map(Instant::parse).orElse(Instant.EPOCH));
    }

    private static String sealKey(String market, String sellerId, String role) {
        return "connection:" + market + ":" + sellerId + ":" + role;
    }

    /** Runs a conditional write: whether its condition held. */
    private static boolean conditional(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String market, String sellerId) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(PK, s(PARTITION_PREFIX + market));
        key.put(SK, s(sellerId));
        return key;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static Optional<String> str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    private static Optional<Long> num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
    }

    @Override
    public String toString() {
        return "DynamoConnectionStore[" + table + "]";
    }
}
