package io.marketgate.handlers.jobs;

import static io.marketgate.handlers.store.Attr.instant;
import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.num;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.str;
import static io.marketgate.handlers.store.Attr.t;

import io.marketgate.handlers.jobs.Job.Status;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.handlers.store.Update;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The {@code jobs} table (pk {@code pk}, TTL attribute {@code expiresAt}): one item per job (pk = job id) and one
 * lock item per owner and kind (pk {@code lock#<owner>#<kind>}, attribute {@code jobId}) naming the job that runs.
 *
 * <p>{@link #start} writes the job, then takes the lock with a conditional write ({@code attribute_not_exists}, or
 * {@code jobId = }the job it found finished or dead), so two concurrent starts for the same owner and kind never make
 * two jobs: the loser deletes its job, reads the winner's and returns it.
 */
public final class JobRepository {

    /** What {@link #start} did: {@code created} false when a job of the owner and kind was running already. */
    public record Start(Job job, boolean created) {}

    private static final String LOCK = "lock#";
    private static final int START_ATTEMPTS = 10;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final Supplier<String> ids;

    public JobRepository(DynamoDbClient dynamoDb, String table, Clock clock, Supplier<String> ids) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
        this.ids = ids;
    }

    /** Creates the table (PAY_PER_REQUEST, TTL on expiresAt) for tests and the local runtime; an existing one is kept. */
    public static void createTable(DynamoDbClient dynamoDb, String table) {
        try {
            dynamoDb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName(TableSchemas.PK).keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(TableSchemas.PK)
                            .attributeType(ScalarAttributeType.S).build()));
            dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        } catch (ResourceInUseException e) {
            return;
        }
        try {
            dynamoDb.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName(TableSchemas.EXPIRES_AT).enabled(true)));
        } catch (DynamoDbException e) {
            // a local server without TTL: records still carry expiresAt, and readers ignore expired ones
        }
    }

    /**
     * Starts a job of {@code owner} and {@code kind} unless one is alive (active, heartbeat within
     * {@code heartbeatTimeout}): then returns that one, {@code created} false.
     */
    public Start start(String owner, String kind, Map<String, String> parameters, Duration ttl, Duration heartbeatTimeout) {
        String lock = LOCK + owner + "#" + kind;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<String> holder = lockHolder(lock);
            if (holder.isPresent()) {
                Optional<Job> held = read(holder.get());
                Optional<Job> running = held.filter(j -> !j.expiresAt().isBefore(now) && j.alive(now, heartbeatTimeout));
                if (running.isPresent()) {
                    return new Start(running.get(), false);
                }
            }
            String id = ids.get();
            Instant expiresAt = now.plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // TTL is in epoch seconds
            Job job = new Job(id, owner, kind, Status.QUEUED, 0, 0, Optional.empty(), Optional.empty(), parameters,
                    now, now, now, expiresAt);
            if (!create(lock, holder, job)) {
                continue; // someone else started one meanwhile: read it on the next round
            }
            return new Start(job, true);
        }
        throw new IllegalStateException("could not start a " + kind + " job of " + owner + " after " + START_ATTEMPTS
                + " attempts: others kept starting one");
    }

    /** The job, unless absent or past its expiry (TTL deletion comes late; an expired job is gone for readers). */
    public Optional<Job> find(String id) {
        return read(id).filter(job -> !job.expiresAt().isBefore(clock.instant()));
    }

    private Optional<Job> read(String id) {
        if (id.startsWith(LOCK)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toJob(item));
    }

    /** The job was declared FAILED (its heartbeat went stale) or finished while a worker still ran it: stop. */
    public static final class JobAbandonedException extends RuntimeException {
        JobAbandonedException(String id, Status expected) {
            super("job " + id + " is no longer " + expected + " (declared failed or finished elsewhere)", null, false, false);
        }
    }

    /** RUNNING, with a heartbeat now; only from QUEUED. */
    public void running(String id) {
        applyIf(id, Status.QUEUED, Update.of().set("status", s(Status.RUNNING.name())).set("heartbeatAt", t(clock.instant()))
                .set("updatedAt", t(clock.instant())));
    }

    /** A heartbeat with the progress so far; only while RUNNING. */
    public void progress(String id, long done, long total) {
        Instant now = clock.instant();
        applyIf(id, Status.RUNNING, Update.of().set("done", n(done)).set("total", n(total)).set("heartbeatAt", t(now))
                .set("updatedAt", t(now)));
    }

    /** SUCCEEDED with its result's S3 key; only while RUNNING (a job reported failed for a stale heartbeat stays failed). */
    public void succeeded(String id, String resultKey, long done) {
        Instant now = clock.instant();
        applyIf(id, Status.RUNNING, Update.of().set("status", s(Status.SUCCEEDED.name())).set("resultKey", s(resultKey))
                .set("done", n(done)).set("total", n(done)).set("heartbeatAt", t(now)).set("updatedAt", t(now)));
    }

    /**
     * FAILED for a stale heartbeat, only if the record still shows the heartbeat {@code seenHeartbeat} and an active
     * status (a worker that beat or finished meanwhile wins); whether it was recorded.
     */
    public boolean failStale(String id, Instant seenHeartbeat, String reason) {
        Update update = Update.of().set("status", s(Status.FAILED.name())).set("reason", s(reason)).set("updatedAt", t(clock.instant()));
        return updateIf(id, update, "#seenHeartbeat = :seenHeartbeat AND #activeStatus IN (:queued, :running)",
                Map.of("#seenHeartbeat", "heartbeatAt", "#activeStatus", "status"),
                Map.of(":seenHeartbeat", t(seenHeartbeat), ":queued", s(Status.QUEUED.name()), ":running", s(Status.RUNNING.name())));
    }

    /** FAILED with {@code reason}. */
    public void failed(String id, String reason) {
        Instant now = clock.instant();
        apply(id, Update.of().set("status", s(Status.FAILED.name())).set("reason", s(reason)).set("updatedAt", t(now)));
    }

    private Optional<String> lockHolder(String lock) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(lock)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : str(item, "jobId");
    }

    /**
     * Writes the job, then points the lock at it if the lock is still as read (absent, or held by {@code previous});
     * when the lock was taken meanwhile, deletes the job again. The job is written first so that a reader that finds
     * the lock always finds its job (until TTL deletes an expired one).
     */
    private boolean create(String lock, Optional<String> previous, Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableSchemas.PK, s(job.id()));
        item.put("owner", s(job.owner()));
        item.put("kind", s(job.kind()));
        item.put("status", s(Status.QUEUED.name()));
        item.put("done", n(0));
        item.put("total", n(0));
        item.put("parameters", AttributeValue.fromM(toAttributes(job.parameters())));
        item.put("createdAt", t(job.createdAt()));
        item.put("heartbeatAt", t(job.heartbeatAt()));
        item.put("updatedAt", t(job.updatedAt()));
        item.put(TableSchemas.EXPIRES_AT, n(job.expiresAt().getEpochSecond()));
        dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        Map<String, AttributeValue> lockItem = Map.of(TableSchemas.PK, s(lock), "jobId", s(job.id()),
                TableSchemas.EXPIRES_AT, n(job.expiresAt().getEpochSecond()));
        try {
            if (previous.isEmpty()) {
                dynamoDb.putItem(b -> b.tableName(table).item(lockItem).conditionExpression("attribute_not_exists(pk)"));
            } else {
                dynamoDb.putItem(b -> b.tableName(table).item(lockItem).conditionExpression("jobId = :previous")
                        .expressionAttributeValues(Map.of(":previous", s(previous.get()))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            dynamoDb.deleteItem(b -> b.tableName(table).key(key(job.id())));
            return false;
        }
    }

    /** Applies {@code update} only while the job is {@code expected}; else {@link JobAbandonedException}. */
    private void applyIf(String id, Status expected, Update update) {
        if (!updateIf(id, update, "#expectedStatus = :expectedStatus", Map.of("#expectedStatus", "status"),
                Map.of(":expectedStatus", s(expected.name())))) {
            throw new JobAbandonedException(id, expected);
        }
    }

    /** Applies {@code update} if {@code condition} (with its own names and values) holds; whether it did. */
    private boolean updateIf(String id, Update update, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) {
        UpdateItemRequest request = update.applyTo(UpdateItemRequest.builder()).tableName(table).key(key(id)).build();
        Map<String, String> allNames = new HashMap<>(request.expressionAttributeNames());
        allNames.putAll(names);
        Map<String, AttributeValue> allValues = new HashMap<>(request.expressionAttributeValues());
        allValues.putAll(values);
        try {
            dynamoDb.updateItem(request.toBuilder().conditionExpression(condition).expressionAttributeNames(allNames)
                    .expressionAttributeValues(allValues).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private void apply(String id, Update update) {
        dynamoDb.updateItem(update.applyTo(UpdateItemRequest.builder()).tableName(table).key(key(id))
                .conditionExpression("attribute_exists(pk)").build());
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(TableSchemas.PK, s(pk));
    }

    private static Map<String, AttributeValue> toAttributes(Map<String, String> parameters) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        parameters.forEach((k, v) -> m.put(k, s(v)));
        return m;
    }

    private static Job toJob(Map<String, AttributeValue> item) {
        Map<String, String> parameters = new LinkedHashMap<>();
        AttributeValue p = item.get("parameters");
        if (p != null && p.hasM()) {
            p.m().forEach((k, v) -> parameters.put(k, v.s()));
        }
        Instant created = instant(item, "createdAt").orElse(Instant.EPOCH);
        return new Job(str(item, TableSchemas.PK).orElseThrow(), str(item, "owner").orElse(""), str(item, "kind").orElse(""),
                str(item, "status").map(Status::valueOf).orElse(Status.QUEUED), num(item, "done"), num(item, "total"),
                str(item, "reason"), str(item, "resultKey"), parameters, created,
                instant(item, "heartbeatAt").orElse(created), instant(item, "updatedAt").orElse(created),
                Instant.ofEpochSecond(num(item, TableSchemas.EXPIRES_AT)));
    }
}
