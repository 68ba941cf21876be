package io.marketgate.limiter.dynamodb;

import io.marketgate.limiter.DenialMemoryStore;
import io.marketgate.limiter.ForwardingLimiterStore;
import io.marketgate.limiter.LimiterStore;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The limiter's budgets in a DynamoDB table, for functions that cannot reach a Valkey (outside a VPC, where ElastiCache
 * is not): the same rule as every store, with conditional writes and no transactions.
 *
 * <pre>{@code
 * LimiterTable.create(dynamoDb, "dev-limiter");                                // tests, the local platform; CDK in AWS
 * LimiterStore store = DynamoDbLimiterStore.create(dynamoDb, DynamoDbStoreOptions.table("dev-limiter").keyPrefix("mg-dev").build());
 * PriorityLimiter limiter = PriorityLimiter.builder().budgets(budgets).store(store).build();
 * }</pre>
 *
 * <p><b>Items.</b> A market's budgets live in one item per partition (see {@link LimiterTable}): the market's shared
 * budgets in {@code <prefix>:<market>}, the instances of one seller, mall or vendor in {@code <prefix>:<market>#<key>}.
 * Each item holds the sliding windows of its budgets (one entry per admitted call, compacted on every write) and their
 * operator and throttle state, under a version. A decision reads the items of its budgets (and, for an instance, the
 * market's item for its configured budget's pauses and override) strongly consistently, applies the rule, and for a
 * grant writes the items back conditional on the versions read; a lost race starts over from a new read. A call on
 * budgets of one item is therefore one atomic write; a call spanning a shared budget and an instance writes the two
 * items in key order and takes its grant back from the first if the second lost its race (see {@code ItemStore}).
 *
 * <p><b>Time.</b> DynamoDB has no clock to offer, so decisions are timed by the caller's clock
 * ({@link DynamoDbStoreOptions.Builder#clock}); a decision counts other callers' grants for the window plus the
 * tolerated clock skew ({@link DynamoDbStoreOptions.Builder#maxClockSkew}), its own store's for exactly the window.
 *
 * <p><b>Limits.</b> An item holds at most 400 KB: at about 4 bytes per admitted call of cost 1, the budgets of one
 * item may admit up to some 90,000 calls per window together before a write fails with
 * {@link DynamoDbItemTooLargeException}. Every grant rewrites its item, which DynamoDB bills at one write unit per KB;
 * and the writes of one item are serialized by their versions, so one item decides at most one grant per read-and-write
 * round trip (about 10 ms in AWS, more under contention). It suits budgets of tens of calls per second per item, as
 * a per-mall or per-vendor budget is; {@code docs/limiter.md} has the measured figures.
 *
 * <p>With a {@link DenialMemoryStore} in front unless {@link DynamoDbStoreOptions#denialMemory()} is zero. Thread-safe.
 */
public final class DynamoDbLimiterStore extends ForwardingLimiterStore {

    private final ItemStore items;

    private DynamoDbLimiterStore(DynamoDbClient client, DynamoDbStoreOptions options) {
        this(new ItemStore(Objects.requireNonNull(client, "client"), Objects.requireNonNull(options, "options")), options);
    }

    /** The item store, behind a denial memory unless the options turn it off. */
    private DynamoDbLimiterStore(ItemStore items, DynamoDbStoreOptions options) {
        super(options.denialMemory().isZero() ? items : DenialMemoryStore.wrap(items, options.denialMemory(), options.ticker()));
        this.items = items;
    }

    /**
     * A store on {@code client}'s DynamoDB, in the table the options name, which must exist ({@link LimiterTable}).
     * The store closes the client when it is closed.
     */
    public static DynamoDbLimiterStore create(DynamoDbClient client, DynamoDbStoreOptions options) {
        return new DynamoDbLimiterStore(client, options);
    }

    /**
     * A store with a client of its own: the SDK's default credentials, region and endpoint settings (in Lambda, the
     * function's role and region), the URL-connection HTTP client, and timeouts that fail a call within 2 s (1 s per
     * attempt) so that the limiter's failure mode decides instead of a hanging caller.
     */
    public static DynamoDbLimiterStore open(DynamoDbStoreOptions options) {
        return create(defaultClient(), options);
    }

    /** The client of {@link #open}: default credentials and region, URL-connection HTTP, 1 s per attempt, 2 s per call. */
    public static DynamoDbClient defaultClient() {
        return clientBuilder().build();
    }

    /**
     * A builder of the client {@link #open} uses, for a caller that sets the region or endpoint itself: URL-connection
     * HTTP, 1 s per attempt, 2 s per call, the SDK's defaults otherwise.
     */
    public static DynamoDbClientBuilder clientBuilder() {
        return DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(1)))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(1)).apiCallTimeout(Duration.ofSeconds(2)));
    }

    /** {@code dynamodb table <name> (prefix <prefix>)}. */
    @Override
    public String describe() {
        return items.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** What this store has asked of DynamoDB since it was made, for the bench and for monitoring. */
    public Statistics statistics() {
        ItemTable t = items.table();
        return new Statistics(t.reads.get(), t.writes.get(), t.conflicts.get(), t.readUnits.get(), t.writeUnits.get());
    }

    /** The store without its denial memory (tests). */
    ItemStore items() {
        return items;
    }

    /**
     * Counts of a store's work.
     *
     * @param itemReads  items read (strongly consistent), including absent ones
     * @param itemWrites conditional writes, won or lost
     * @param lostRaces  writes that lost their race with another caller's (each made an operation start over)
     * @param readUnits  the read capacity units DynamoDB bills for those reads (one per 4 KB of an item, at least one)
     * @param writeUnits the write capacity units DynamoDB bills for those writes (one per KB of the larger of the old
     *                   and the new item)
     */
    public record Statistics(long itemReads, long itemWrites, long lostRaces, long readUnits, long writeUnits) {}
}
