package io.marketgate.cdk;

import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * What the handlers keep: DynamoDB tables {@code <env>-orders}, {@code -requests}, {@code -sellers},
 * {@code -idempotency} and {@code -jobs} (keys as {@code TableSchemas} in lambda-handlers: string {@code pk}, and
 * {@code sk} where a table has one), encrypted, on-demand, with point-in-time recovery and deletion protection, and
 * TTL on {@code expiresAt} where records expire (jobs, idempotency, and the consent states in the sellers table); and
 * the export bucket, private, TLS-only, encrypted, whose objects expire after {@code exports.expireAfter}. TTL deletes
 * an item some time after it expired (typically within days), so the code refuses an expired record itself.
 *
 * <p>When an egress group keeps its limiter in DynamoDB ({@code limiterStore: dynamodb}), also the limiter table
 * {@code <env>-limiter} (as {@code LimiterTable} in limiter-dynamodb: string {@code pk}, TTL on {@code expiresAt}),
 * encrypted and on-demand, but without point-in-time recovery or deletion protection: it holds sliding windows of
 * seconds and operator state of at most 7 days, which a restore would only bring back stale.
 */
public final class StateStack extends Stack {

    /**
     * The TTL attribute of the tables whose records expire (epoch seconds): lambda-handlers' {@code TableSchemas.EXPIRES_AT}
     * and the attribute sellers' {@code ConnectStates} writes.
     */
    public static final String EXPIRES_AT = "expiresAt";

    private final Table orders;
    private final Table requests;
    private final Table sellers;
    private final Table idempotency;
    private final Table jobs;
    private final Bucket exports;
    private final Table limiter;

    public StateStack(Construct scope, String id, StackProps props, Deployment deployment) {
        super(scope, id, props);
        orders = table("Orders", deployment.name("orders"), true, false);
        requests = table("Requests", deployment.name("requests"), false, false);
        // the sellers table holds the states of consents in progress (sellers' ConnectStates, 10 minutes), which
        // expire by TTL; no other item of it carries expiresAt
        sellers = table("Sellers", deployment.name("sellers"), true, true);
        idempotency = table("Idempotency", deployment.name("idempotency"), false, true);
        jobs = table("Jobs", deployment.name("jobs"), false, true);
        exports = Bucket.Builder.create(this, "Exports")
                .bucketName(exportBucketName(deployment))
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(false)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-exports")
                        .expiration(Duration.days(deployment.infrastructure().exportExpiry().toDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        limiter = deployment.infrastructure().usesDynamoDbLimiter() ? limiterTable(deployment) : null;
        NagAcknowledgements.of(this).acknowledge(exports, "AwsSolutions-S1", "Export results are written by the job worker and "
                + "read through pre-signed URLs, and expire within days; CloudTrail records who read them, so server access "
                + "logs (a second bucket) would add cost and no answer");
    }

    /** {@code <env>-marketgate-exports-<account>-<region>}: known to the functions' policies without a cross-stack token. */
    public static String exportBucketName(Deployment deployment) {
        return deployment.name("marketgate-exports-") + Aws.ACCOUNT_ID + "-" + Aws.REGION;
    }

    /** The ARN of the export bucket's objects under {@code prefix}. */
    public static String exportObjectsArn(Deployment deployment, String prefix) {
        return "arn:" + Aws.PARTITION + ":s3:::" + exportBucketName(deployment) + "/" + prefix + "*";
    }

    private Table table(String id, String name, boolean sortKey, boolean expiring) {
        Table.Builder b = Table.Builder.create(this, id)
                .tableName(name)
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (sortKey) {
            b.sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build());
        }
        if (expiring) {
            b.timeToLiveAttribute(EXPIRES_AT);
        }
        return b.build();
    }

    /** The limiter table of the groups whose limiter store is {@code dynamodb}. */
    private Table limiterTable(Deployment deployment) {
        Table t = Table.Builder.create(this, "Limiter")
                .tableName(limiterTableName(deployment))
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(false).build())
                .timeToLiveAttribute(EXPIRES_AT)
                .deletionProtection(false)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        NagAcknowledgements.of(this).acknowledge(t, "AwsSolutions-DDB3", "The limiter table holds the sliding windows of the "
                + "last seconds and operator pauses and overrides of at most 7 days, all of which expire by themselves; a "
                + "point-in-time restore would only bring back windows that no longer apply, so it is not paid for");
        return t;
    }

    /** {@code <env>-limiter}: the DynamoDB limiter table's name. */
    public static String limiterTableName(Deployment deployment) {
        return deployment.name("limiter");
    }

    /** The DynamoDB limiter table, when a group's limiter store is {@code dynamodb}. */
    public java.util.Optional<Table> limiter() {
        return java.util.Optional.ofNullable(limiter);
    }

    public Table orders() {
        return orders;
    }

    public Table requests() {
        return requests;
    }

    public Table sellers() {
        return sellers;
    }

    public Table idempotency() {
        return idempotency;
    }

    public Table jobs() {
        return jobs;
    }

    public Bucket exports() {
        return exports;
    }
}
