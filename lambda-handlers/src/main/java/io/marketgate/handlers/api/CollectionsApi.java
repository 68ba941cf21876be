package io.marketgate.handlers.api;

import static io.marketgate.handlers.store.Attr.instant;
import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.num;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.str;
import static io.marketgate.handlers.store.Attr.t;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.config.ApiConfig;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@code POST /v1/collections}, {@code GET /v1/collections/{id}} and {@code POST /v1/markets/{market}/orders/{orderId}/collect}.
 *
 * <p>A collection request is validated whole against the environment before anything is written; then it becomes one
 * message per seller and per call window of the market ({@code <id>.<n>}, each with its QUEUED status record), sent in
 * batches of 10, and one collection record ({@code collection#<id>} in the requests table) that lists how many
 * messages it made, from which {@code GET} reports progress per seller.
 */
final class CollectionsApi {

    static final List<String> CREATE_FIELDS = List.of("market", "sellers", "allSellers", "kind", "from", "to", "priority");
    static final List<String> RECOLLECT_FIELDS = List.of("sellerId", "priority");
    static final String RECORD = RequestStatusRepository.COLLECTION_PREFIX;
    /**
     * The most messages (sellers × call windows) one request may make: each costs a status write and a share of a
     * send, and the whole must fit well inside API Gateway's 29 s integration timeout.
     */
    static final int MAX_MESSAGES_PER_REQUEST = 1000;
    private static final int BATCH = 10;
    private static final int BATCH_GET = 100;

    private final HandlerDependencies deps;
    private final ApiConfig limits;
    private final RequestStatusRepository requests;
    private final SellerRegistry sellers;
    private final Supplier<String> ids;

    CollectionsApi(HandlerDependencies deps, Supplier<String> ids) {
        this.deps = deps;
        this.limits = deps.environment().api();
        this.requests = RequestStatusRepository.of(deps);
        this.sellers = new SellerRegistry(deps.dynamoDb(), deps.tables().sellers());
        this.ids = ids;
    }

    ApiResponse create(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), CREATE_FIELDS);
        String market = body.id("market", Budget.NAME_PART, Rules.MARKET_NAME).orElseThrow(() -> JsonBody.missing("market"));
        DataKind kind = body.choice("kind", DataKind.class, EnumSet.allOf(DataKind.class)).orElse(DataKind.ORDERS);
        Priority priority = body.choice("priority", Priority.class, EnumSet.of(Priority.MEDIUM, Priority.LOW)).orElse(Priority.MEDIUM);
        Instant from = body.instant("from").orElseThrow(() -> JsonBody.missing("from"));
        Instant to = body.instant("to").orElseThrow(() -> JsonBody.missing("to"));
        Optional<List<String>> named = body.ids("sellers", Budget.KEY, Rules.ID, limits.maxSellersPerRequest());
        boolean all = body.bool("allSellers").orElse(false);
        if (named.isPresent() && all) {
            throw Problem.badRequest("allSellers", "exclusive", "allSellers: give either sellers or allSellers: true, not both").exception();
        }
        if (named.isEmpty() && !all) {
            throw Problem.badRequest("sellers", "required", "sellers: required (a list of seller ids), or allSellers: true").exception();
        }
        String queue = collectQueue(market);
        deps.environment().market(market).kindRefusal(kind.configName()).ifPresent(why -> {
            throw Problem.unprocessable("kind", "offered-kind", "kind: " + why).exception();
        });
        MarketAdapter adapter = adapter(market);
        Instant now = deps.clock().instant();
        if (!to.isAfter(from)) {
            throw Problem.unprocessable("to", "after-from", "to: must be after from (" + from + "), was " + to).exception();
        }
        if (to.isAfter(now)) {
            throw Problem.unprocessable("to", "not-in-future", "to: must not be in the future (now is " + now + "), was " + to).exception();
        }
        Duration max = limits.maxRange(market);
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw Problem.unprocessable("to", "max-range", "to: the range from " + from + " to " + to + " is longer than "
                    + market + "'s maximum of " + max.toDays() + " days (" + max + ") per request").exception();
        }
        List<String> sellerIds = named.orElseGet(() -> activeSellers(market));
        List<TimeWindow> windows = adapter.windows(new CollectionRequest(market, Seller.of(sellerIds.get(0)), kind, from, to));

        if ((long) sellerIds.size() * windows.size() > MAX_MESSAGES_PER_REQUEST) {
            throw Problem.unprocessable("sellers", "max-messages", "sellers: " + sellerIds.size() + " sellers × " + windows.size()
                    + " call windows of " + market + " make " + (long) sellerIds.size() * windows.size() + " messages, more than "
                    + MAX_MESSAGES_PER_REQUEST + " per request; split the sellers or the range").exception();
        }
        String id = ids.get();
        List<CollectionMessage> messages = new ArrayList<>();
        for (String seller : sellerIds) {
            for (TimeWindow w : windows) {
                messages.add(new CollectionMessage(id + "." + messages.size(), market, seller, kind, w.from(), w.to(), priority));
            }
        }
        Map<String, AttributeValue> record = new HashMap<>();
        record.put("market", s(market));
        record.put("kind", s(kind.name()));
        record.put("priority", s(priority.name()));
        record.put("from", t(from));
        record.put("to", t(to));
        record.put("sellers", AttributeValue.fromL(sellerIds.stream().map(io.marketgate.handlers.store.Attr::s).toList()));
        enqueue(id, record, queue, messages);
        ObjectNode answer = Messages.json().createObjectNode().put("requestId", id).put("market", market)
                .put("messages", messages.size()).put("sellers", sellerIds.size()).put("windows", windows.size())
                .put("status", "/v1/collections/" + id);
        return ApiResponse.json(202, answer.toString()).withHeader("Location", "/v1/collections/" + id);
    }

    ApiResponse recollect(ApiRequest request, String market, String orderId) {
        JsonBody.checkId("orderId", orderId, Budget.KEY, Rules.ID);
        JsonBody.checkId("market", market, Budget.NAME_PART, Rules.MARKET_NAME);
        JsonBody body = JsonBody.parse(request.body(), RECOLLECT_FIELDS);
        String sellerId = body.id("sellerId", Budget.KEY, Rules.ID).orElseThrow(() -> JsonBody.missing("sellerId"));
        Priority priority = body.choice("priority", Priority.class, EnumSet.of(Priority.MEDIUM, Priority.LOW)).orElse(Priority.LOW);
        String id = enqueueRecollection(market, sellerId, orderId, priority);
        ObjectNode answer = Messages.json().createObjectNode().put("requestId", id).put("market", market)
                .put("orderId", orderId).put("messages", 1).put("status", "/v1/collections/" + id);
        return ApiResponse.json(202, answer.toString()).withHeader("Location", "/v1/collections/" + id);
    }

    /**
     * Enqueues the re-collection of one order (checked by the market's adapter first) as a collection request of one
     * message, {@code <id>.0}; returns the request id.
     */
    String enqueueRecollection(String market, String sellerId, String orderId, Priority priority) {
        String queue = collectQueue(market);
        adapter(market).planGetOrder(Seller.of(sellerId), orderId);
        String id = ids.get();
        CollectionMessage message = CollectionMessage.ofOrder(id + ".0", market, sellerId, orderId, priority);
        Map<String, AttributeValue> record = new HashMap<>();
        record.put("market", s(market));
        record.put("kind", s(DataKind.ORDERS.name()));
        record.put("priority", s(priority.name()));
        record.put("orderId", s(orderId));
        record.put("sellers", AttributeValue.fromL(List.of(s(sellerId))));
        enqueue(id, record, queue, List.of(message));
        return id;
    }

    ApiResponse get(String id) {
        JsonBody.checkId("id", id, Budget.KEY, Rules.ID);
        Map<String, AttributeValue> record = deps.dynamoDb().getItem(b -> b.tableName(deps.tables().requests())
                .key(Map.of(TableSchemas.PK, s(RECORD + id))).consistentRead(true)).item();
        if (record == null || record.isEmpty()) {
            throw Problem.notFound("id", "id: no collection request " + id).exception();
        }
        long count = num(record, "messages");
        Map<String, SellerProgress> bySeller = new LinkedHashMap<>();
        record.get("sellers").l().forEach(v -> bySeller.put(v.s(), new SellerProgress()));
        List<String> keys = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            keys.add(id + "." + i);
        }
        for (Map<String, AttributeValue> item : batchGet(keys)) {
            String seller = str(item, "sellerId").orElse("");
            SellerProgress p = bySeller.computeIfAbsent(seller, k -> new SellerProgress());
            Status status = str(item, "status").map(Status::valueOf).orElse(Status.QUEUED);
            p.counts.merge(status, 1L, Long::sum);
            p.ordersWritten += num(item, "ordersWritten");
            str(item, "reason").filter(r -> status == Status.FAILED || status == Status.DEFERRED || status == Status.RUNNING)
                    .ifPresent(r -> p.reasons.add(r));
        }
        ObjectNode answer = Messages.json().createObjectNode().put("requestId", id);
        str(record, "market").ifPresent(m -> answer.put("market", m));
        DataKind kind = str(record, "kind").map(DataKind::valueOf).orElse(DataKind.ORDERS);
        answer.put("kind", kind.name());
        // the count of what was written, named for the kind: ordersWritten, claimsWritten, …
        String written = kind.configName() + "Written";
        str(record, "orderId").ifPresent(o -> answer.put("orderId", o));
        instant(record, "from").ifPresent(f -> answer.put("from", f.toString()));
        instant(record, "to").ifPresent(tt -> answer.put("to", tt.toString()));
        str(record, "priority").ifPresent(p -> answer.put("priority", p));
        answer.put("messages", count);
        EnumMap<Status, Long> overall = new EnumMap<>(Status.class);
        long orders = 0;
        ArrayNode list = answer.putArray("sellers");
        for (Map.Entry<String, SellerProgress> e : bySeller.entrySet()) {
            SellerProgress p = e.getValue();
            p.counts.forEach((k, v) -> overall.merge(k, v, Long::sum));
            orders += p.ordersWritten;
            ObjectNode row = list.addObject().put("sellerId", e.getKey()).put("status", summary(p.counts).name())
                    .put(written, p.ordersWritten);
            ObjectNode counts = row.putObject("messages");
            p.counts.forEach((k, v) -> counts.put(k.name(), v));
            if (!p.reasons.isEmpty()) {
                ArrayNode reasons = row.putArray("reasons");
                p.reasons.stream().distinct().limit(5).forEach(reasons::add);
            }
        }
        answer.put("status", summary(overall).name()).put(written, orders);
        return ApiResponse.json(200, answer.toString());
    }

    /** FAILED when any failed, SUCCEEDED when all succeeded, else the least advanced state that remains. */
    private static Status summary(Map<Status, Long> counts) {
        if (counts.getOrDefault(Status.FAILED, 0L) > 0) {
            return Status.FAILED;
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0 && counts.getOrDefault(Status.SUCCEEDED, 0L) == total) {
            return Status.SUCCEEDED;
        }
        if (counts.getOrDefault(Status.DEFERRED, 0L) > 0) {
            return Status.DEFERRED;
        }
        if (counts.getOrDefault(Status.RUNNING, 0L) > 0 || counts.getOrDefault(Status.SUCCEEDED, 0L) > 0) {
            return Status.RUNNING;
        }
        return Status.QUEUED;
    }

    private static final class SellerProgress {
        final EnumMap<Status, Long> counts = new EnumMap<>(Status.class);
        final List<String> reasons = new ArrayList<>();
        long ordersWritten;
    }

    private List<String> activeSellers(String market) {
        List<String> active = sellers.activeSellers(market).stream().map(Seller::id).toList();
        if (active.isEmpty()) {
            throw Problem.unprocessable("allSellers", "no-sellers", "allSellers: market " + market + " has no active sellers").exception();
        }
        if (active.size() > limits.maxSellersPerRequest()) {
            throw Problem.unprocessable("allSellers", "max-items", "allSellers: market " + market + " has " + active.size()
                    + " active sellers, more than " + limits.maxSellersPerRequest() + " per request; name them in batches").exception();
        }
        return active;
    }

    private String collectQueue(String market) {
        Rules.knownMarket(deps.environment(), market);
        try {
            return deps.queues().market(market).collect();
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable("market", "collected", "market: " + market + " has no collection queue here").exception();
        }
    }

    private MarketAdapter adapter(String market) {
        try {
            return MarketAdapters.forMarket(deps.environment(), market, deps.envVars());
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable("market", "collected", "market: " + e.getMessage()).exception();
        }
    }

    /**
     * Writes the collection record, then each batch's QUEUED records and messages; when SQS refuses, the records of
     * what was not sent are FAILED (never left QUEUED) and the client gets 503.
     */
    private void enqueue(String id, Map<String, AttributeValue> record, String queue, List<CollectionMessage> messages) {
        Map<String, AttributeValue> item = new HashMap<>(record);
        item.put(TableSchemas.PK, s(RECORD + id));
        item.put("messages", n(messages.size()));
        item.put("createdAt", t(deps.clock().instant()));
        deps.dynamoDb().putItem(b -> b.tableName(deps.tables().requests()).item(item));
        for (int start = 0; start < messages.size(); start += BATCH) {
            List<CollectionMessage> batch = messages.subList(start, Math.min(messages.size(), start + BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                requests.createQueued(batch.get(i));
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(Messages.write(batch.get(i))).build());
            }
            try {
                SendMessageBatchResponse response = deps.sqs().sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
                response.failed().forEach(f -> requests.failed(batch.get(Integer.parseInt(f.id())).requestId(),
                        "not enqueued: " + f.code() + " " + f.message()));
            } catch (SdkException e) {
                for (CollectionMessage m : messages.subList(start, messages.size())) {
                    requests.failed(m.requestId(), "not enqueued: " + e.getMessage());
                }
                throw new Problem(503, null, "unavailable", "the collection queue refused the request (" + e.getMessage()
                        + "); " + start + " of " + messages.size() + " messages were sent, see " + "/v1/collections/" + id).exception();
            }
        }
    }

    private List<Map<String, AttributeValue>> batchGet(List<String> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        String table = deps.tables().requests();
        for (int start = 0; start < keys.size(); start += BATCH_GET) {
            List<Map<String, AttributeValue>> chunk = keys.subList(start, Math.min(keys.size(), start + BATCH_GET)).stream()
                    .map(k -> Map.of(TableSchemas.PK, s(k))).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> ask = pending;
                BatchGetItemResponse response = deps.dynamoDb().batchGetItem(b -> b.requestItems(ask));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return items;
    }
}
