package io.marketgate.handlers.store;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The handlers' DynamoDB tables, keys and attributes (all keys are strings named {@code pk} and {@code sk}):
 * <ul>
 *   <li><b>orders</b>: pk {@code market#sellerId}, sk {@code orderId}; market, sellerId, orderId, status (the market's),
 *       commonStatus ({@link io.marketgate.market.OrderStatus}), final (BOOL), progress, updatedAt and updatedAtMillis
 *       (the market's listing time), changedAt and changedAtMillis (when the market stated this state; the write's
 *       guard), json (the order as received), firstRequestId, lastRequestId, writes (times written), recollections
 *       (of them one by one), rangeRepeats, writtenAt, finalAt, trackingGaveUpAt and trackingGaveUpReason; and the
 *       tracking items of unfinished orders, pk {@code track#market}, sk {@code sellerId#orderId}: market, sellerId,
 *       orderId, commonStatus, trackedSince, lastWrittenAt ({@link OrderStore});</li>
 *   <li><b>requests</b>: pk {@code requestId}; market, sellerId, kind, from, to, priority, status
 *       (QUEUED|RUNNING|DEFERRED|SUCCEEDED|FAILED), reason, attempts, ordersWritten, checkpointFrom, checkpointTo,
 *       checkpointCursor (the next page to fetch), retryAt, createdAt, updatedAt;</li>
 *   <li><b>sellers</b>: pk {@code market}, sk {@code sellerId}; publicFields (the public credential fields), vendorId, mallId,
 *       active (BOOL, absent = active), status, statusReason, statusSince, credentialsVersion, registeredAt (module
 *       {@code sellers}, {@link io.marketgate.sellers.SellerRegistry}; never a secret);</li>
 *   <li><b>idempotency</b>: pk {@code idempotencyKey}; status (IN_PROGRESS|COMPLETED), result, actionId, createdAt,
 *       updatedAt, expiresAt (epoch seconds, the table's TTL attribute); the API's claim of a client's key, pk
 *       {@code api#market#key}: status ACCEPTED, actionId, fingerprint; and the actions' records, pk
 *       {@code action#actionId}: market, sellerId, type, orderId, status
 *       (ACCEPTED|IN_PROGRESS|RETRYING|DONE|FAILED), result, cause, reason, attempts, lastRetry, retryAfterSeconds,
 *       createdAt, updatedAt, expiresAt ({@link ActionRecords}).</li>
 * </ul>
 * Infrastructure code creates the same tables in AWS; tests and the local runtime call {@link #createAll}.
 */
public final class TableSchemas {

    private static final Logger log = LoggerFactory.getLogger(TableSchemas.class);

    public static final String PK = "pk";
    public static final String SK = "sk";
    /** The idempotency table's TTL attribute. */
    public static final String EXPIRES_AT = "expiresAt";

    private TableSchemas() {}

    /** Creates the four tables (PAY_PER_REQUEST) and waits until they exist; tables that exist already are kept. */
    public static void createAll(DynamoDbClient dynamoDb, Tables tables) {
        create(dynamoDb, tables.orders(), true);
        create(dynamoDb, tables.requests(), false);
        create(dynamoDb, tables.sellers(), true);
        create(dynamoDb, tables.idempotency(), false);
        try {
            dynamoDb.updateTimeToLive(b -> b.tableName(tables.idempotency())
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (DynamoDbException e) {
            // already enabled, or a local server without TTL (dynalite: UnknownOperationException, no message), whose
            // expired records stay: records still carry expiresAt
            log.info("TTL on {} not changed: {}", tables.idempotency(), e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + " " + java.util.Objects.toString(e.awsErrorDetails().errorMessage(), ""));
        }
    }

    private static void create(DynamoDbClient dynamoDb, String table, boolean withSortKey) {
        List<KeySchemaElement> keys = withSortKey
                ? List.of(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                : List.of(key(PK, KeyType.HASH));
        List<AttributeDefinition> attributes = withSortKey
                ? List.of(string(PK), string(SK))
                : List.of(string(PK));
        try {
            dynamoDb.createTable(b -> b.tableName(table).keySchema(keys).attributeDefinitions(attributes)
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException e) {
            return;
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
