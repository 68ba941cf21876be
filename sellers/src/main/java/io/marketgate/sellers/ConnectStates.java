package io.marketgate.sellers;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The {@code state} of each consent in progress: random (256 bits), single use, expiring, stored in the sellers table
 * (pk {@code connect-state#} (no market is named with a '#'), sk the state; {@code market}, {@code sellerId}, {@code createdAt}, {@code expiresAt} in
 * epoch seconds) so that the callback can tell whose consent a code is and refuse anything it did not start. Taking a
 * state deletes it in one conditional write: a second callback with it finds nothing. A state never taken is deleted by
 * the table's TTL on {@value #EXPIRES_AT} (the CDK app sets it); TTL deletes late (within days), so {@link #take} refuses
 * an expired state that is still there itself.
 *
 * <pre>{@code
 * String state = states.issue("cafe24", "seller-1");          // into the consent URL
 * ConnectStates.Taken t = states.take(stateFromCallback);     // Found(market, sellerId) | Refused(reason)
 * }</pre>
 */
public final class ConnectStates {

    /** How long a consent may take from the connect call to the callback. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    /** The partition of the states. */
    public static final String PARTITION = "connect-state#";
    /** The expiry of a state, in epoch seconds: the sellers table's TTL attribute. */
    public static final String EXPIRES_AT = "expiresAt";
    /** What a state this class issues looks like (43 characters of URL-safe Base64). */
    public static final Pattern STATE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What became of a callback's state. */
    public sealed interface Taken {
        /** The consent this state was issued for; the state is spent. */
        record Found(String market, String sellerId) implements Taken {}

        /** No consent: the state is malformed, unknown, used already, or expired; {@code reason} says which. */
        record Refused(String reason) implements Taken {}
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final Duration ttl;

    public ConnectStates(DynamoDbClient dynamoDb, String table, Clock clock) {
        this(dynamoDb, table, clock, DEFAULT_TTL);
    }

    public ConnectStates(DynamoDbClient dynamoDb, String table, Clock clock, Duration ttl) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /** How long an issued state lasts. */
    public Duration ttl() {
        return ttl;
    }

    /** A new state for {@code sellerId}'s consent at {@code market}, stored until {@link #ttl()} from now. */
    public String issue(String market, String sellerId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Map<String, AttributeValue> item = key(state);
        item.put("market", AttributeValue.fromS(market));
        item.put("sellerId", AttributeValue.fromS(sellerId));
        item.put("createdAt", AttributeValue.fromS(now.toString()));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(now.plus(ttl).getEpochSecond())));
        dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", SellerRegistry.PK)));
        return state;
    }

    /**
     * Spends {@code state}: the consent it was issued for, once, before it expires; otherwise why not. An expired state
     * is deleted too.
     */
    public Taken take(String state) {
        if (state == null || !STATE.matcher(state).matches()) {
            return new Taken.Refused("state is not one this API issued (43 URL-safe characters)");
        }
        Instant now = clock.instant();
        Map<String, AttributeValue> old;
        try {
            old = dynamoDb.deleteItem(b -> b.tableName(table).key(key(state))
                    .conditionExpression("attribute_exists(#pk) AND #expires > :now")
                    .expressionAttributeNames(Map.of("#pk", SellerRegistry.PK, "#expires", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException e) {
            Optional<Map<String, AttributeValue>> expired = Optional.ofNullable(dynamoDb.deleteItem(b -> b.tableName(table)
                    .key(key(state)).returnValues(ReturnValue.ALL_OLD)).attributes()).filter(m -> !m.isEmpty());
            return new Taken.Refused(expired.isPresent()
                    ? "state expired at " + Instant.ofEpochSecond(Long.parseLong(expired.get().get(EXPIRES_AT).n()))
                            + " (a consent must come back within " + ttl + "); start again with GET /v1/sellers/{market}/{sellerId}/connect"
                    : "state is unknown or was used already");
        }
        return new Taken.Found(old.get("market").s(), old.get("sellerId").s());
    }

    private static Map<String, AttributeValue> key(String state) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(SellerRegistry.PK, AttributeValue.fromS(PARTITION));
        key.put(SellerRegistry.SK, AttributeValue.fromS(state));
        return key;
    }
}
