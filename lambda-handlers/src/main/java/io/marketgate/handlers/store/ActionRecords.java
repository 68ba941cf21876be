package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.t;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * What became of an action, findable by its id: the item {@code action#<actionId>} in the idempotency table, written by
 * {@code POST /v1/actions} (ACCEPTED) and moved on by the actions handler: IN_PROGRESS when it calls the market,
 * RETRYING when the action goes back to its queue, and at last DONE or FAILED with the outcome. DONE and FAILED are
 * final: every write after ACCEPTED is conditional on the record not being final yet, so a redelivered message never
 * turns a finished action back into a running one. The record expires with the action's key
 * ({@link IdempotencyStore#RETENTION}).
 *
 * <pre>{@code
 * ActionRecords records = new ActionRecords(dynamoDb, tables.idempotency(), clock);
 * ActionRecords.Details action = new ActionRecords.Details("a-1", "coupang", "S1", "SHIP_ORDER", "O1");
 * records.accept(action);              // ACCEPTED
 * records.start(action);               // IN_PROGRESS, attempts + 1; false when it was final already
 * records.finish(action, ActionRecords.Outcome.applied(false));
 * records.find("a-1");                 // Optional[ActionRecord[status=DONE, …]]
 * records.published("a-1", eventId);   // its event is on the bus

 * }</pre>
 */
public final class ActionRecords {

    /** The prefix of action records' keys in the idempotency table (the clients' keys are {@code api#…}, the queue's {@code market:…}). */
    public static final String PREFIX = "action#";

    /** Where an action is. */
    public enum Status {
        /** Enqueued by the API; not picked up yet. */
        ACCEPTED,
        /** The market is being called. */
        IN_PROGRESS,
        /** Back in its queue to be tried again after a wait (deferred, throttled, a retryable error, a paused IP). */
        RETRYING,
        /** Final: the market applied it, or had applied it already. */
        DONE,
        /** Final: the market (or the platform, for a seller it knows to be refused) refused it for good. */
        FAILED;

        public boolean isFinal() {
            return this == DONE || this == FAILED;
        }
    }

    /** How a final action ended. */
    public enum Result {
        /** The market applied it now. */
        APPLIED,
        /** The market had applied it before (an earlier attempt, or another caller). */
        ALREADY_APPLIED,
        /** Refused for good; {@link Outcome#reason} and {@link Outcome#cause} say why. */
        REFUSED
    }

    /**
     * A final action's outcome.
     *
     * @param result applied, already applied or refused
     * @param cause for a refusal, what the platform made of it ({@code CREDENTIALS_REJECTED}, {@code INVALID}, …)
     * @param reason for a refusal, the market's or the platform's sentence (never a secret: masked by the caller)
     */
    public record Outcome(Result result, Optional<String> cause, Optional<String> reason) {
        public Outcome {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
        }

        public static Outcome applied(boolean already) {
            return new Outcome(already ? Result.ALREADY_APPLIED : Result.APPLIED, Optional.empty(), Optional.empty());
        }

        public static Outcome refused(String cause, String reason) {
            return new Outcome(Result.REFUSED, Optional.of(cause), Optional.of(reason));
        }

        /** The final status this outcome gives. */
        public Status status() {
            return result == Result.REFUSED ? Status.FAILED : Status.DONE;
        }
    }

    /**
     * What an action is: the request's fields that name it, the record it acts on named by its request field
     * ({@code orderId}, {@code inquiryId}, {@code reviewId}, {@code productId} or {@code claimId}). The action's values
     * (carrier and tracking number, text, price, …) are not kept.
     */
    public record Details(String actionId, String market, String sellerId, String type, String targetField, String targetId) {
        public Details {
            Objects.requireNonNull(actionId, "actionId");
            Objects.requireNonNull(market, "market");
            Objects.requireNonNull(sellerId, "sellerId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(targetField, "targetField");
            Objects.requireNonNull(targetId, "targetId");
            if (!TARGET_FIELDS.contains(targetField)) {
                throw new IllegalArgumentException("targetField '" + targetField + "' must be one of " + TARGET_FIELDS);
            }
        }

        /** An action on an order. */
        public Details(String actionId, String market, String sellerId, String type, String orderId) {
            this(actionId, market, sellerId, type, "orderId", orderId);
        }
    }

    /** The fields that name an action's record; each is also the attribute that holds the id. */
    public static final java.util.List<String> TARGET_FIELDS = java.util.List.of("orderId", "inquiryId", "reviewId",
            "productId", "claimId");

    /**
     * An action's record as read.
     *
     * @param lastRetry after an attempt went back to the queue (kept when it ends), why it did
     * @param retryAfter while RETRYING, how long the queue holds it
     * @param eventPublishedAt once final, when its event was put on the event bus ({@code ActionEvents})
     */
    public record ActionRecord(Details details, Status status, Optional<Outcome> outcome, long attempts,
            Optional<String> lastRetry, Optional<Duration> retryAfter, Instant createdAt, Instant updatedAt,
            Optional<Instant> eventPublishedAt) {

        /**
         * The record as {@code GET /v1/actions/{actionId}} answers it and its event carries it: no secret is in it (the
         * reason is masked when written).
         */
        public ObjectNode toJson() {
            ObjectNode v = io.marketgate.handlers.sqs.Messages.json().createObjectNode().put("actionId", details.actionId())
                    .put("type", details.type()).put("market", details.market()).put("sellerId", details.sellerId())
                    .put(details.targetField(), details.targetId()).put("status", status.name()).put("attempts", attempts);
            outcome.ifPresent(o -> {
                ObjectNode out = v.putObject("outcome").put("result", o.result().name());
                o.cause().ifPresent(c -> out.put("cause", c));
                o.reason().ifPresent(reason -> out.put("reason", reason));
            });
            if (lastRetry.isPresent()) {
                ObjectNode retry = v.putObject("lastRetry").put("reason", lastRetry.get());
                retryAfter.ifPresent(after -> retry.put("retryAfterSeconds", after.toSeconds()));
            }
            v.put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
            eventPublishedAt.ifPresent(at -> v.put("eventPublishedAt", at.toString()));
            return v;
        }
    }

    private static final Map<String, AttributeValue> FINAL = Map.of(":done", s(Status.DONE.name()), ":failed", s(Status.FAILED.name()));
    /** The condition of every write after ACCEPTED: the record is not final (or there is none yet). */
    private static final String NOT_FINAL = "attribute_not_exists(#status) OR NOT (#status IN (:done, :failed))";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public ActionRecords(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Writes a new action's record, ACCEPTED, with a conditional put: an id is written once.
     *
     * @throws ConditionalCheckFailedException when the id has a record already
     */
    public void accept(Details action) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(detailsItem(action));
        item.put(TableSchemas.PK, s(key(action.actionId())));
        item.put("status", s(Status.ACCEPTED.name()));
        item.put("attempts", n(0));
        item.put("createdAt", t(now));
        item.put("updatedAt", t(now));
        item.put(TableSchemas.EXPIRES_AT, n(now.plus(IdempotencyStore.RETENTION).getEpochSecond()));
        dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    /** Removes a record that {@link #accept} wrote for an action that was then not enqueued. */
    public void forget(String actionId) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of(TableSchemas.PK, s(key(actionId)))));
    }

    /**
     * IN_PROGRESS, one attempt more; a record is created from {@code action} when there is none (a message that did not
     * come through the API). False, and nothing written, when the record is final already.
     */
    public boolean start(Details action) {
        Update update = withDetails(Update.of(), action).set("status", s(Status.IN_PROGRESS.name())).add("attempts", n(1))
                .remove("retryAfterSeconds");
        return write(action.actionId(), update);
    }

    /** RETRYING: back in the queue for {@code after} because of {@code why}. False when the record is final already. */
    public boolean retrying(Details action, String why, Duration after) {
        Update update = withDetails(Update.of(), action).set("status", s(Status.RETRYING.name()))
                .set("lastRetry", s(why)).set("retryAfterSeconds", n(after.toSeconds()));
        return write(action.actionId(), update);
    }

    /** DONE or FAILED with {@code outcome}. False, and the first outcome kept, when the record was final already. */
    public boolean finish(Details action, Outcome outcome) {
        Update update = withDetails(Update.of(), action).set("status", s(outcome.status().name()))
                .set("result", s(outcome.result().name())).remove("retryAfterSeconds");
        outcome.cause().ifPresent(c -> update.set("cause", s(c)));
        outcome.reason().ifPresent(r -> update.set("reason", s(r)));
        return write(action.actionId(), update);
    }

    /**
     * Notes that the final action's event was published ({@code eventPublishedAt}, {@code eventId}); only the first
     * publication is kept. False when there is no final record.
     */
    public boolean published(String actionId, String eventId) {
        Instant now = clock.instant();
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of(TableSchemas.PK, s(key(actionId))))
                    .updateExpression("SET eventPublishedAt = if_not_exists(eventPublishedAt, :at), eventId = if_not_exists(eventId, :id)")
                    .conditionExpression("#status IN (:done, :failed)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":at", t(now), ":id", s(eventId), ":done", s(Status.DONE.name()),
                            ":failed", s(Status.FAILED.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The action's record, if it has one (and it has not expired). */
    public Optional<ActionRecord> find(String actionId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of(TableSchemas.PK, s(key(actionId)))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        // records written before the other actions name their order in orderId and have no targetField
        String targetField = Attr.str(item, "targetField").orElse("orderId");
        Details details = new Details(actionId, text(item, "market"), text(item, "sellerId"), text(item, "type"), targetField,
                text(item, targetField));
        Optional<Outcome> outcome = Attr.str(item, "result").map(r -> new Outcome(Result.valueOf(r),
                Attr.str(item, "cause"), Attr.str(item, "reason")));
        Optional<Duration> retryAfter = item.containsKey("retryAfterSeconds")
                ? Optional.of(Duration.ofSeconds(Attr.num(item, "retryAfterSeconds"))) : Optional.empty();
        return Optional.of(new ActionRecord(details, Status.valueOf(text(item, "status")), outcome, Attr.num(item, "attempts"),
                Attr.str(item, "lastRetry"), retryAfter, Attr.instant(item, "createdAt").orElseThrow(),
                Attr.instant(item, "updatedAt").orElseThrow(), Attr.instant(item, "eventPublishedAt")));
    }

    private boolean write(String actionId, Update update) {
        Instant now = clock.instant();
        update.set("updatedAt", t(now)).setIfAbsent("createdAt", t(now))
                .setIfAbsent(TableSchemas.EXPIRES_AT, n(now.plus(IdempotencyStore.RETENTION).getEpochSecond()))
                .when(NOT_FINAL, FINAL, "status");
        try {
            dynamoDb.updateItem(update.applyTo(UpdateItemRequest.builder()).tableName(table)
                    .key(Map.of(TableSchemas.PK, s(key(actionId)))).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Update withDetails(Update update, Details action) {
        return update.setIfAbsent("market", s(action.market())).setIfAbsent("sellerId", s(action.sellerId()))
                .setIfAbsent("type", s(action.type())).setIfAbsent("targetField", s(action.targetField()))
                .setIfAbsent(action.targetField(), s(action.targetId()));
    }

    private static Map<String, AttributeValue> detailsItem(Details action) {
        return Map.of("market", s(action.market()), "sellerId", s(action.sellerId()), "type", s(action.type()),
                "targetField", s(action.targetField()), action.targetField(), s(action.targetId()));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return Attr.str(item, name).orElse("");
    }

    private static String key(String actionId) {
        return PREFIX + actionId;
    }
}
