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
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.Seller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.stream.Stream;
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
 * {@code POST /v1/actions}: a HIGH action of any {@link ActionMessage.ActionType} to the market's FIFO action queue,
 * grouped per record it acts on ({@link ActionMessage#messageGroupId()}: actions on one record stay in order) and
 * deduplicated by the client's {@code Idempotency-Key} header.
 *
 * <p>The body is checked field by field before anything is written or sent, and every bad field is listed in one
 * problem document ({@link Problem#of}): the fields of the action's type are required and no other action field may
 * be sent; ids, texts (not blank, at most {@link MarketAction#MAX_TEXT} characters, and the market's own limit through
 * {@link io.marketgate.market.MarketAdapter#validate}), price (1 to {@link MarketAction#MAX_PRICE}), stock (0 to
 * {@link MarketAction#MAX_STOCK}) and sale status (ON_SALE or SUSPENDED) follow their rules; the market must offer the
 * action ({@code MarketConfig.actionRefusal}, 422 naming {@code type}); and the record the action names must be one
 * the platform has collected for that seller ({@link io.marketgate.handlers.store.ActionTargets}, 422 {@code unknown-id} naming the id's field).
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

    /** The action fields, each belonging to one or more types ({@link ActionMessage.ActionType#fields()}). */
    static final List<String> ACTION_FIELDS = List.of("orderId", "carrier", "trackingNumber", "inquiryId", "reviewId",
            "productId", "claimId", "text", "price", "stock", "status", "reason");
    static final List<String> FIELDS = java.util.stream.Stream.concat(Stream.of("type", "market", "sellerId"),
            ACTION_FIELDS.stream()).toList();
    /** The header a client names its action with; repeats with the same value are one action. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:@-]{1,100}");
    private static final Set<ProductStatus> SALE_STATUSES = EnumSet.of(ProductStatus.ON_SALE, ProductStatus.SUSPENDED);

    private final HandlerDependencies deps;
    private final Supplier<String> ids;
    private final ActionRecords records;

    ActionsApi(HandlerDependencies deps, Supplier<String> ids) {
        this.deps = deps;
        this.ids = ids;
        this.records = new ActionRecords(deps.dynamoDb(), deps.tables().idempotency(), deps.clock());
    }

    /** The problems found so far; a check that throws a problem adds it and gives nothing. */
    private static final class Problems {
        final List<Problem> found = new ArrayList<>();

        <T> Optional<T> check(Supplier<Optional<T>> read) {
            try {
                return read.get();
            } catch (Problem.ProblemException e) {
                found.add(e.problem());
                return Optional.empty();
            }
        }

        <T> Optional<T> required(String field, Supplier<Optional<T>> read) {
            int before = found.size();
            Optional<T> value = check(read);
            if (value.isEmpty() && found.size() == before) {
                found.add(JsonBody.missing(field).problem());
            }
            return value;
        }

        void add(Problem problem) {
            found.add(problem);
        }
    }

    ApiResponse create(ApiRequest request) {
        Problems problems = new Problems();
        Optional<String> header = request.header(IDEMPOTENCY_KEY).map(String::strip).filter(k -> !k.isEmpty());
        if (header.isEmpty()) {
            problems.add(Problem.badRequest(IDEMPOTENCY_KEY, "required", IDEMPOTENCY_KEY
                    + ": required, a key that names this action (a repeat with the same key is not performed twice)"));
        }
        Optional<String> key = problems.check(() -> header.map(k -> JsonBody.checkId(IDEMPOTENCY_KEY, k, KEY,
                "1 to 100 letters, digits, '_', '.', ':', '@' or '-'")));
        JsonBody body = JsonBody.parse(request.body(), FIELDS);
        Optional<ActionMessage.ActionType> type = problems.required("type", () -> body.choice("type",
                ActionMessage.ActionType.class, EnumSet.allOf(ActionMessage.ActionType.class)));
        Optional<String> market = problems.required("market", () -> body.id("market", Budget.NAME_PART, Rules.MARKET_NAME));
        Optional<String> sellerId = problems.required("sellerId", () -> body.id("sellerId", Budget.KEY, Rules.ID));
        Map<String, Object> values = new LinkedHashMap<>();
        if (type.isPresent()) {
            for (String field : ACTION_FIELDS) {
                if (type.get().fields().contains(field)) {
                    problems.required(field, () -> read(body, field)).ifPresent(v -> values.put(field, v));
                } else if (body.has(field)) {
                    problems.add(Problem.badRequest(field, "not-for-type", field + ": not a field of " + type.get()
                            + "; its fields are " + String.join(", ", type.get().fields())));
                }
            }
        }
        Optional<String> actionsQueue = Optional.empty();
        if (market.isPresent()) {
            boolean known = problems.check(() -> {
                Rules.knownMarket(deps.environment(), market.get());
                return Optional.of(true);
            }).isPresent();
            if (known) {
                actionsQueue = problems.check(() -> Optional.of(actionQueue(market.get())));
                // a market without an action queue takes no action at all: that is the one problem to name
                if (type.isPresent() && actionsQueue.isPresent()) {
                    deps.environment().market(market.get()).actionRefusal(type.get().actionName()).ifPresent(why ->
                            problems.add(Problem.unprocessable("type", "not-offered", "type: " + type.get() + ": " + why)));
                }
            }
        }
        MarketAction action = null;
        if (problems.found.isEmpty()) {
            action = action(type.get(), market.get(), sellerId.get(), values, problems);
        }
        if (action != null && !deps.actionTargets().collected(market.get(), sellerId.get(), action.target(), action.targetId())) {
            String field = type.get().idField();
            problems.add(Problem.unprocessable(field, "unknown-id", field + ": " + action.target().singular() + " '"
                    + action.targetId() + "' of seller " + sellerId.get() + " on " + market.get()
                    + " has not been collected; an action names a " + action.target().singular() + " the platform has collected"));
        }
        if (!problems.found.isEmpty()) {
            throw Problem.of(problems.found).exception();
        }

        List<String> parts = new ArrayList<>(List.of(type.get().name(), market.get(), sellerId.get()));
        type.get().fields().forEach(f -> parts.add(f + "=" + values.get(f)));
        String fingerprint = fingerprint(parts.toArray(String[]::new));
        String recordKey = "api#" + market.get() + "#" + key.get();
        String actionId = ids.get();
        Instant now = deps.clock().instant();
        ActionMessage message = ActionMessage.of(actionId, market.get() + ":" + key.get(), market.get(), action);
        // the action's record first, so that a repeat which finds the key claimed can always find its action too
        ActionRecords.Details details = new ActionRecords.Details(actionId, market.get(), sellerId.get(), type.get().name(),
                type.get().idField(), message.targetId());
        records.accept(details);
        try {
            deps.dynamoDb().putItem(b -> b.tableName(deps.tables().idempotency()).conditionExpression("attribute_not_exists(pk)")
                    .item(Map.of(TableSchemas.PK, s(recordKey), "status", s("ACCEPTED"), "actionId", s(actionId),
                            "fingerprint", s(fingerprint), "createdAt", t(now), "updatedAt", t(now),
                            TableSchemas.EXPIRES_AT, n(now.plus(IdempotencyStore.RETENTION).getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            records.forget(actionId);
            return replay(recordKey, key.get(), fingerprint);
        } catch (SdkException e) {
            records.forget(actionId);
            throw e;
        }
        String queue = actionsQueue.orElseThrow();
        try {
            deps.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(Messages.write(message))
                    .messageGroupId(message.messageGroupId()).messageDeduplicationId(sha256(message.idempotencyKey())));
        } catch (SdkException e) {
            // nothing was sent: the key is free again, so the client's retry with the same key is performed
            deps.dynamoDb().deleteItem(b -> b.tableName(deps.tables().idempotency()).key(Map.of(TableSchemas.PK, s(recordKey))));
            records.forget(actionId);
            throw new Problem(503, null, "unavailable", "the action queue refused the action: " + e.getMessage()).exception();
        }
        return ApiResponse.json(202, answer(actionId, key.get(), message).toString()).withHeader("Location", "/v1/actions/" + actionId);
    }

    /** The market's action queue, or a 422 naming {@code market}. */
    private String actionQueue(String market) {
        Optional<String> queue;
        try {
            queue = deps.queues().market(market).actions();
        } catch (IllegalArgumentException e) {
            queue = Optional.empty();
        }
        return queue.orElseThrow(() -> Problem.unprocessable("market", "actions",
                "market: " + market + " has no action queue here").exception());
    }

    /** The value of an action field, checked by its own rule. */
    private static Optional<?> read(JsonBody body, String field) {
        return switch (field) {
            case "orderId", "inquiryId", "reviewId", "productId", "claimId" -> body.id(field, MarketAction.ID, Rules.ID);
            case "text", "reason" -> body.text(field).map(v -> {
                int length = v.codePointCount(0, v.length());
                if (length > MarketAction.MAX_TEXT) {
                    throw Problem.unprocessable(field, "max-length", field + ": at most " + MarketAction.MAX_TEXT
                            + " characters, was " + length).exception();
                }
                return v;
            });
            case "price" -> body.whole(field).map(v -> {
                if (v < 1 || v > MarketAction.MAX_PRICE) {
                    throw Problem.unprocessable(field, v < 1 ? "min" : "max", field + ": must be a whole number of won from 1 to "
                            + MarketAction.MAX_PRICE + ", was " + v).exception();
                }
                return v;
            });
            case "stock" -> body.whole(field).map(v -> {
                if (v < 0 || v > MarketAction.MAX_STOCK) {
                    throw Problem.unprocessable(field, v < 0 ? "min" : "max", field + ": must be from 0 to "
                            + MarketAction.MAX_STOCK + ", was " + v).exception();
                }
                return v;
            });
            case "status" -> body.choice(field, ProductStatus.class, SALE_STATUSES);
            default -> body.text(field);
        };
    }

    /**
     * The action of the checked fields, checked against the market's own limits ({@code MarketAdapter.validate}) and
     * planned; a refusal is added to {@code problems} naming the field its message names (else {@code type}).
     */
    private MarketAction action(ActionMessage.ActionType type, String market, String sellerId, Map<String, Object> values,
            Problems problems) {
        MarketAction action;
        Seller seller = Seller.of(sellerId);
        try {
            action = switch (type) {
                case SHIP_ORDER -> new MarketAction.ShipOrder(seller, (String) values.get("orderId"), (String) values.get("carrier"),
                        (String) values.get("trackingNumber"));
                case ACKNOWLEDGE_ORDER -> new MarketAction.AcknowledgeOrder(seller, (String) values.get("orderId"));
                case ANSWER_INQUIRY -> new MarketAction.AnswerInquiry(seller, (String) values.get("inquiryId"), (String) values.get("text"));
                case REPLY_REVIEW -> new MarketAction.ReplyReview(seller, (String) values.get("reviewId"), (String) values.get("text"));
                case CHANGE_PRICE -> new MarketAction.ChangePrice(seller, (String) values.get("productId"), (Long) values.get("price"));
                case CHANGE_STOCK -> new MarketAction.ChangeStock(seller, (String) values.get("productId"),
                        Math.toIntExact((Long) values.get("stock")));
                case CHANGE_SALE_STATUS -> new MarketAction.ChangeSaleStatus(seller, (String) values.get("productId"),
                        (ProductStatus) values.get("status"));
                case CONFIRM_CLAIM -> new MarketAction.ConfirmClaim(seller, (String) values.get("claimId"));
                case REJECT_CLAIM -> new MarketAction.RejectClaim(seller, (String) values.get("claimId"), (String) values.get("reason"));
            };
        } catch (IllegalArgumentException e) {
            problems.add(Problem.unprocessable(fieldOf(e.getMessage(), type), "invalid", e.getMessage()));
            return null;
        }
        try {
            MarketAdapter adapter = deps.adapter(market);
            adapter.validate(action);
            if (adapter.planLookup(action).isEmpty()) {
                adapter.plan(action);
            }
        } catch (IllegalArgumentException e) {
            String field = fieldOf(e.getMessage(), type);
            problems.add(Problem.unprocessable(field, "type".equals(field) ? "not-offered" : "market-limit",
                    e.getMessage().startsWith(field + ":") ? e.getMessage() : field + ": " + e.getMessage()));
            return null;
        }
        return action;
    }

    /** The action field a refusal's message begins with ({@code text: …}, {@code text is …}), else {@code type}. */
    static String fieldOf(String message, ActionMessage.ActionType type) {
        String m = message == null ? "" : message;
        for (String field : type.fields()) {
            if (m.startsWith(field + ":") || m.startsWith(field + " ")) {
                return field;
            }
        }
        return "type";
    }

    /** {@code GET /v1/actions/{actionId}}: the action's record (see {@link ActionRecords}), 404 when it has none. */
    ApiResponse get(String actionId) {
        JsonBody.checkId("actionId", actionId, Budget.KEY, Rules.ID);
        ActionRecords.ActionRecord r = records.find(actionId).orElseThrow(() -> Problem.notFound("actionId",
                "actionId: no action " + actionId + " (or it has expired)").exception());
        return ApiResponse.json(200, r.toJson().toString());
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
