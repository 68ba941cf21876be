package io.marketgate.handlers.api;

import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.str;
import static io.marketgate.handlers.store.Attr.t;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.ActionRecords;
import io.marketgate.handlers.store.IdempotencyStore;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.limiter.Budget;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.Seller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@code POST /v1/actions}: a HIGH action to the market's FIFO action queue, grouped by {@code market:seller:order}
 * (actions on one order stay in order) and deduplicated by the client's {@code Idempotency-Key} header.
 *
 * <p>The key is claimed with a conditional write in the idempotency table ({@code api#<market>#<key>}, with a hash of
 * the request) before anything is sent: a repeat of the same request answers the first one's action id with
 * {@code Idempotent-Replayed: true} and sends nothing; the same key with a different request is 422. The message also
 * carries the key as its SQS deduplication id, so a retried send within SQS's 5 minutes is dropped by SQS too.
 *
 * <p>Beside the key, the action's record ({@link ActionRecords}, ACCEPTED) is written before the key is claimed and
 * removed with it when the action cannot be enqueued; {@code GET /v1/actions/{actionId}} reads it, as the actions
 * handler moves it on to DONE or FAILED.
 */
final class ActionsApi {

    static final List<String> FIELDS = List.of("type", "market", "sellerId", "orderId", "carrier", "trackingNumber");
    /** The header a client names its action with; repeats with the same value are one action. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:@-]{1,100}");

    private final HandlerDependencies deps;
    private final Supplier<String> ids;
    private final ActionRecords records;

    ActionsApi(HandlerDependencies deps, Supplier<String> ids) {
        this.deps = deps;
        this.ids = ids;
        this.records = new ActionRecords(deps.dynamoDb(), deps.tables().idempotency(), deps.clock());
    }

    ApiResponse create(ApiRequest request) {
        String key = request.header(IDEMPOTENCY_KEY).map(String::strip)
                .orElseThrow(() -> Problem.badRequest(IDEMPOTENCY_KEY, "required", IDEMPOTENCY_KEY
                        + ": required, a key that names this action (a repeat with the same key is not performed twice)").exception());
        JsonBody.checkId(IDEMPOTENCY_KEY, key, KEY, "1 to 100 letters, digits, '_', '.', ':', '@' or '-'");
        JsonBody body = JsonBody.parse(request.body(), FIELDS);
        ActionMessage.ActionType type = body.choice("type", ActionMessage.ActionType.class,
                EnumSet.allOf(ActionMessage.ActionType.class)).orElseThrow(() -> JsonBody.missing("type"));
        String market = body.id("market", Budget.NAME_PART, Rules.MARKET_NAME).orElseThrow(() -> JsonBody.missing("market"));
        String sellerId = body.id("sellerId", Budget.KEY, Rules.ID).orElseThrow(() -> JsonBody.missing("sellerId"));
        String orderId = body.id("orderId", MarketAction.ID, Rules.ID).orElseThrow(() -> JsonBody.missing("orderId"));
        String carrier = body.text("carrier").orElseThrow(() -> JsonBody.missing("carrier"));
        String tracking = body.text("trackingNumber").orElseThrow(() -> JsonBody.missing("trackingNumber"));
        Rules.knownMarket(deps.environment(), market);
        Optional<String> queue;
        try {
            queue = deps.queues().market(market).actions();
        } catch (IllegalArgumentException e) {
            queue = Optional.empty();
        }
        String actionsQueue = queue.orElseThrow(() -> Problem.unprocessable("market", "actions",
                "market: " + market + " has no action queue here").exception());
        MarketAction action = switch (type) {
            case SHIP_ORDER -> new MarketAction.ShipOrder(Seller.of(sellerId), orderId, carrier, tracking);
        };
        try {
            MarketAdapters.forMarket(deps.environment(), market, deps.envVars()).plan(action);
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable("type", "supported", "type: " + e.getMessage()).exception();
        }

        String fingerprint = fingerprint(type.name(), market, sellerId, orderId, carrier, tracking);
        String recordKey = "api#" + market + "#" + key;
        String actionId = ids.get();
        Instant now = deps.clock().instant();
        // the action's record first, so that a repeat which finds the key claimed can always find its action too
        ActionRecords.Details details = new ActionRecords.Details(actionId, market, sellerId, type.name(), orderId);
        records.accept(details);
        try {
            deps.dynamoDb().putItem(b -> b.tableName(deps.tables().idempotency()).conditionExpression("attribute_not_exists(pk)")
                    .item(Map.of(TableSchemas.PK, s(recordKey), "status", s("ACCEPTED"), "actionId", s(actionId),
                            "fingerprint", s(fingerprint), "createdAt", t(now), "updatedAt", t(now),
                            TableSchemas.EXPIRES_AT, n(now.plus(IdempotencyStore.RETENTION).getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            records.forget(actionId);
            return replay(recordKey, key, fingerprint);
        } catch (SdkException e) {
            records.forget(actionId);
            throw e;
        }
        ActionMessage message = new ActionMessage(actionId, market + ":" + key, market, sellerId, type, orderId, carrier, tracking);
        try {
            deps.sqs().sendMessage(b -> b.queueUrl(actionsQueue).messageBody(Messages.write(message))
                    .messageGroupId(message.messageGroupId()).messageDeduplicationId(sha256(message.idempotencyKey())));
        } catch (SdkException e) {
            // nothing was sent: the key is free again, so the client's retry with the same key is performed
            deps.dynamoDb().deleteItem(b -> b.tableName(deps.tables().idempotency()).key(Map.of(TableSchemas.PK, s(recordKey))));
            records.forget(actionId);
            throw new Problem(503, null, "unavailable", "the action queue refused the action: " + e.getMessage()).exception();
        }
        return ApiResponse.json(202, answer(actionId, key, message).toString()).withHeader("Location", "/v1/actions/" + actionId);
    }

    /** {@code GET /v1/actions/{actionId}}: the action's record (see {@link ActionRecords}), 404 when it has none. */
    ApiResponse get(String actionId) {
        JsonBody.checkId("actionId", actionId, Budget.KEY, Rules.ID);
        ActionRecords.ActionRecord r = records.find(actionId).orElseThrow(() -> Problem.notFound("actionId",
                "actionId: no action " + actionId + " (or it has expired)").exception());
        ObjectNode v = Messages.json().createObjectNode().put("actionId", actionId).put("type", r.details().type())
                .put("market", r.details().market()).put("sellerId", r.details().sellerId())
                .put("orderId", r.details().orderId()).put("status", r.status().name()).put("attempts", r.attempts());
        r.outcome().ifPresent(o -> {
            ObjectNode outcome = v.putObject("outcome").put("result", o.result().name());
            o.cause().ifPresent(c -> outcome.put("cause", c));
            o.reason().ifPresent(reason -> outcome.put("reason", reason));
        });
        if (r.lastRetry().isPresent()) {
            ObjectNode retry = v.putObject("lastRetry").put("reason", r.lastRetry().get());
            r.retryAfter().ifPresent(after -> retry.put("retryAfterSeconds", after.toSeconds()));
        }
        v.put("createdAt", r.createdAt().toString()).put("updatedAt", r.updatedAt().toString());
        return ApiResponse.json(200, v.toString());
    }

    private ApiResponse replay(String recordKey, String key, String fingerprint) {
        Map<String, AttributeValue> item = deps.dynamoDb().getItem(b -> b.tableName(deps.tables().idempotency())
                .key(Map.of(TableSchemas.PK, s(recordKey))).consistentRead(true)).item();
        if (!fingerprint.equals(str(item, "fingerprint").orElse(""))) {
            throw Problem.unprocessable(IDEMPOTENCY_KEY, "reused", IDEMPOTENCY_KEY + ": '" + key
                    + "' was used for a different action; use a new key for a new action").exception();
        }
        ObjectNode answer = Messages.json().createObjectNode().put("actionId", str(item, "actionId").orElse(""))
                .put("idempotencyKey", key).put("status", "ACCEPTED");
        return ApiResponse.json(202, answer.toString()).withHeader("Idempotent-Replayed", "true")
                .withHeader("Location", "/v1/actions/" + answer.get("actionId").asText());
    }

    private static ObjectNode answer(String actionId, String key, ActionMessage message) {
        return Messages.json().createObjectNode().put("actionId", actionId).put("idempotencyKey", key)
                .put("status", "ACCEPTED").put("messageGroupId", message.messageGroupId());
    }

    private static String fingerprint(String... parts) {
        return sha256(String.join("\u0000", parts));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
