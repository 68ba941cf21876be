package io.marketgate.limiter.dynamodb;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The schema of a {@link DynamoDbLimiterStore}'s table, which the CDK app deploys and {@link #create} makes for tests
 * and the local platform.
 *
 * <ul>
 *   <li>Key: {@value #PK} (string) alone. One item per <em>partition</em> of a market: {@code <prefix>:<market>} holds
 *       the budgets that are not per seller, mall or vendor ({@code naver/dispatch}) and the operator's state of the
 *       configured per-seller budgets ({@code coupang/vendor}); {@code <prefix>:<market>#<key>} holds every instance of
 *       key {@code <key>} ({@code cafe24/mall:shop42} and {@code cafe24/burst:shop42} in {@code mg:cafe24#shop42}).</li>
 *   <li>{@value #VERSION} (number): raised by every write; each write is conditional on the version it read.</li>
 *   <li>{@value #EXPIRES_AT} (number, epoch seconds): the table's TTL attribute, a minute after the last entry of
 *       any window and the last pause, override, cool-down or throttle recovery of the item have ended, so that
 *       DynamoDB deletes idle items. The store never relies on the deletion (it is lazy, within days): it ignores
 *       what has expired.</li>
 *   <li>{@code log:<budget>} (binary) per budget: the admitted units of its sliding window, compacted on every write
 *       (see {@code WindowLog}).</li>
 *   <li>{@code ctl:<budget>} (map of numbers) per budget with operator or throttle state: {@code ol}/{@code ou}
 *       override limit and until, {@code p0}..{@code p2} pause until per priority, {@code cd} cool-down until,
 *       {@code tl} the throttled limit and {@code re} when its recovery ends, {@code hu}/{@code hc} a waiting HIGH
 *       call's hold until and its units (µs since the epoch); absent when nothing in it matters any more.</li>
 * </ul>
 */
public final class LimiterTable {

    private static final Logger log = LoggerFactory.getLogger(LimiterTable.class);

    /** The partition key attribute: a string. */
    public static final String PK = "pk";
    /** The version attribute every write is conditional on. */
    public static final String VERSION = "v";
    /** The TTL attribute (epoch seconds). */
    public static final String EXPIRES_AT = "expiresAt";
    /** The prefix of a budget's log attribute. */
    static final String LOG = "log:";
    /** The prefix of a budget's control attribute. */
    static final String CTL = "ctl:";

    private LimiterTable() {}

    /**
     * Creates the table ({@code PAY_PER_REQUEST}, key {@value #PK}) unless it exists, waits until it does, and turns on
     * TTL on {@value #EXPIRES_AT} where the server supports it (dynalite does not: it is logged and skipped).
     */
    public static void create(DynamoDbClient dynamoDb, String tableName) {
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        DynamoDbStoreOptions.table(tableName);   // checks the name
        try {
            dynamoDb.createTable(b -> b.tableName(tableName)
                    .keySchema(k -> k.attributeName(PK).keyType(KeyType.HASH))
                    .attributeDefinitions(d -> d.attributeName(PK).attributeType(ScalarAttributeType.S))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException e) {
            return;
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        try {
            dynamoDb.updateTimeToLive(b -> b.tableName(tableName)
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (DynamoDbException e) {
            // a local server without TTL (dynalite: UnknownOperationException): idle items stay, which changes no decision
            log.info("TTL on {} not enabled: {}", tableName, e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode());
        }
    }
}
