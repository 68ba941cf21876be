package io.marketgate.handlers.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.OrderStore;
import io.marketgate.handlers.store.RecordStore;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import io.marketgate.market.OrderStatus;
import io.marketgate.market.RecordStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The seller's view of what is stored: {@code GET /v1/sellers/{market}/{sellerId}/{kind}} pages through a seller's
 * stored data of one kind (orders, or any other kind the market offers), and {@code GET /v1/orders/{market}/{sellerId}/{orderId}} reads one order,
 * with {@code ?refresh=true} re-collecting it first (a MEDIUM re-collection through the collector and the limiter,
 * waited for up to {@link #REFRESH_WAIT}).
 *
 * <p>Every parameter is checked before anything is read or queued: an unknown market or seller or order is 404 naming
 * it, a kind the market does not offer 422 naming the kind, the market and why, a status that is not one of the kind's
 * common statuses 400 naming status and them, a bad query parameter 400 naming it and its rule.
 *
 * <p>An order is shown in the common model ({@link OrderStatus}) with the market's own status and the market's answer
 * as received beside it:
 *
 * <pre>{@code
 * {"market":"coupang","sellerId":"S1","orderId":"3000000011","status":"SHIPPING","final":false,
 *  "marketStatus":"DEPARTURE","updatedAt":"…","changedAt":"…","storedAt":"…","raw":{…the order sheet…}}
 * }</pre>
 *
 * <p>A record of another kind likewise, with its kind's common status and fields:
 *
 * <pre>{@code
 * {"market":"shop","sellerId":"S1","kind":"inquiries","id":"20000100001001","status":"UNANSWERED","final":false,
 *  "marketStatus":"WAITING","fields":{"question":"…","productId":"…"},"updatedAt":"…","changedAt":"…","storedAt":"…",
 *  "raw":{…the market's answer…}}
 * }</pre>
 */
final class OrdersApi {

    /** The query parameters of the list; any other is refused. */
    static final Set<String> LIST_PARAMETERS = Set.of("status", "from", "to", "cursor", "limit");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /**
     * How long a refresh waits for its re-collection: well inside API Gateway's 29 s, leaving the limiter's own wait
     * (a MEDIUM call on a busy budget) some room; a refresh that takes longer answers 202 with the request to follow.
     */
    static final Duration REFRESH_WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);

    private final HandlerDependencies deps;
    private final OrderStore orders;
    private final RecordStore records;
    private final CollectionsApi collections;
    private final RequestStatusRepository requests;

    OrdersApi(HandlerDependencies deps, CollectionsApi collections) {
        this.deps = deps;
        this.orders = new OrderStore(deps.dynamoDb(), deps.tables().orders(), deps.clock());
        this.records = new RecordStore(deps.dynamoDb(), deps.tables().orders(), deps.clock());
        this.collections = collections;
        this.requests = RequestStatusRepository.of(deps);
    }

    /** {@code GET /v1/sellers/{market}/{sellerId}/{kind}?status&from&to&cursor&limit}. */
    ApiResponse list(ApiRequest request, String market, String sellerId, String kind) {
        checkSeller(market, sellerId);
        DataKind dataKind = kind(kind);
        if (dataKind != DataKind.ORDERS) {
            deps.environment().market(market).kindRefusal(dataKind.configName()).ifPresent(why -> {
                throw Problem.unprocessable("kind", "offered-kind", "kind: " + why).exception();
            });
        }
        for (String name : request.query().keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw Problem.badRequest(name, "unknown-parameter", name + ": unknown query parameter; the parameters are "
                        + LIST_PARAMETERS.stream().sorted().toList()).exception();
            }
        }
        Optional<RecordStatus> status = request.parameter("status").map(v -> status(dataKind, v));
        Optional<Instant> from = request.parameter("from").map(v -> instant("from", v));
        Optional<Instant> to = request.parameter("to").map(v -> instant("to", v));
        if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
            throw Problem.unprocessable("to", "after-from", "to: must be after from (" + from.get() + "), was " + to.get()).exception();
        }
        int limit = request.parameter("limit").map(OrdersApi::limit).orElse(DEFAULT_LIMIT);
        Optional<String> cursor = request.parameter("cursor");
        ObjectNode answer = Messages.json().createObjectNode().put("market", market).put("sellerId", sellerId)
                .put("kind", dataKind.configName());
        ArrayNode list = answer.putArray(dataKind.configName());
        Optional<String> next;
        try {
            if (dataKind == DataKind.ORDERS) {
                OrderStore.Page page = orders.page(market, sellerId,
                        new OrderStore.Filter(status.map(OrderStatus.class::cast), from, to), cursor, limit);
                page.orders().forEach(o -> list.add(json(o)));
                next = page.next();
            } else {
                RecordStore.Page page = records.page(market, sellerId, dataKind, new RecordStore.Filter(status, from, to),
                        cursor, limit);
                page.records().forEach(r -> list.add(json(r)));
                next = page.next();
            }
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("cursor", "cursor", "cursor: " + e.getMessage()).exception();
        }
        next.ifPresent(n -> {
            StringBuilder link = new StringBuilder("/v1/sellers/" + market + "/" + sellerId + "/" + dataKind.configName()
                    + "?limit=" + limit);
            status.ifPresent(s -> link.append("&status=").append(s.name()));
            from.ifPresent(f -> link.append("&from=").append(f));
            to.ifPresent(t -> link.append("&to=").append(t));
            link.append("&cursor=").append(n);
            answer.put("cursor", n).put("next", link.toString());
        });
        return ApiResponse.json(200, answer.toString());
    }

    /** {@code GET /v1/orders/{market}/{sellerId}/{orderId}[?refresh=true]}. */
    ApiResponse get(ApiRequest request, String market, String sellerId, String orderId) throws InterruptedException {
        checkSeller(market, sellerId);
        JsonBody.checkId("orderId", orderId, Budget.KEY, Rules.ID);
        for (String name : request.query().keySet()) {
            if (!name.equals("refresh")) {
                throw Problem.badRequest(name, "unknown-parameter", name + ": unknown query parameter; the parameter is refresh")
                        .exception();
            }
        }
        boolean refresh = request.parameter("refresh").map(OrdersApi::bool).orElse(false);
        OrderStore.StoredOrder stored = orders.find(market, sellerId, orderId).orElseThrow(() -> Problem.notFound("orderId",
                "orderId: no order " + orderId + " of seller " + sellerId + " of " + market + " is stored").exception());
        if (!refresh) {
            return ApiResponse.json(200, json(stored).toString());
        }
        String id = collections.enqueueRecollection(market, sellerId, orderId, Priority.MEDIUM);
        String statusPath = "/v1/collections/" + id;
        long deadline = System.nanoTime() + REFRESH_WAIT.toNanos();
        while (true) {
            Optional<RequestStatus> status = requests.find(id + ".0");
            RequestStatus.Status state = status.map(RequestStatus::status).orElse(RequestStatus.Status.QUEUED);
            if (state == RequestStatus.Status.SUCCEEDED) {
                OrderStore.StoredOrder fresh = orders.find(market, sellerId, orderId).orElse(stored);
                ObjectNode answer = json(fresh).put("refreshed", true).put("refreshRequest", statusPath);
                return ApiResponse.json(200, answer.toString());
            }
            if (state == RequestStatus.Status.FAILED) {
                throw new Problem(502, "orderId", "refresh-failed", "orderId: the market's answer could not be collected: "
                        + status.flatMap(RequestStatus::reason).orElse("no reason given") + " (" + statusPath + ")").exception();
            }
            if (System.nanoTime() >= deadline) {
                ObjectNode answer = json(stored).put("refreshed", false).put("refreshRequest", statusPath);
                return ApiResponse.json(202, answer.toString()).withHeader("Location", statusPath);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private void checkSeller(String market, String sellerId) {
        JsonBody.checkId("market", market, Budget.NAME_PART, Rules.MARKET_NAME);
        JsonBody.checkId("sellerId", sellerId, Budget.KEY, Rules.ID);
        if (!deps.environment().markets().containsKey(market)) {
            throw Problem.notFound("market", "market: unknown market '" + market + "'; markets: "
                    + String.join(", ", deps.environment().markets().keySet())).exception();
        }
        if (deps.sellerDirectory().find(market, sellerId).isEmpty()) {
            throw Problem.notFound("sellerId", "sellerId: no seller " + sellerId + " of " + market + " is registered").exception();
        }
    }

    private static DataKind kind(String kind) {
        List<String> kinds = Arrays.stream(DataKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
        if (!kinds.contains(kind)) {
            throw Problem.notFound("kind", "kind: unknown kind '" + JsonBody.abbreviate(kind) + "'; kinds: "
                    + String.join(", ", kinds)).exception();
        }
        return DataKind.valueOf(kind.toUpperCase(Locale.ROOT));
    }

    /** The common status of {@code kind} named {@code value} exactly; else 400 naming status and the kind's statuses. */
    private static RecordStatus status(DataKind kind, String value) {
        return kind.statuses().stream().filter(s -> s.name().equals(value)).findFirst().orElseThrow(() ->
                Problem.badRequest("status", "one-of", "status: must be one of "
                        + kind.statuses().stream().map(RecordStatus::name).collect(Collectors.joining(", "))
                        + " (the statuses of " + kind.configName() + "), was '" + JsonBody.abbreviate(value) + "'").exception());
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problem.badRequest(field, "format", field + ": must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, was '"
                    + JsonBody.abbreviate(value) + "'").exception();
        }
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problem.badRequest("limit", "range", "limit: must be a whole number from 1 to " + MAX_LIMIT + ", was '"
                + JsonBody.abbreviate(text) + "'").exception();
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problem.badRequest("refresh", "boolean", "refresh: must be true or false, was '"
                    + JsonBody.abbreviate(text) + "'").exception();
        };
    }

    /** The stored order in the common model, the market's status and answer beside it. */
    static ObjectNode json(OrderStore.StoredOrder o) {
        ObjectNode node = Messages.json().createObjectNode().put("market", o.market()).put("sellerId", o.sellerId())
                .put("orderId", o.orderId()).put("status", o.commonStatus().name()).put("final", o.commonStatus().isFinal())
                .put("marketStatus", o.status()).put("updatedAt", o.updatedAt().toString())
                .put("changedAt", o.changedAt().toString()).put("storedAt", o.writtenAt().toString());
        o.finalAt().ifPresent(t -> node.put("finalAt", t.toString()));
        o.trackingGaveUpAt().ifPresent(t -> node.put("trackingGaveUpAt", t.toString()));
        return raw(node, o.json());
    }

    /**
     * The stored record in the common model of its kind (its common status, its kind's fields), the market's status and
     * answer beside it.
     */
    static ObjectNode json(RecordStore.StoredRecord r) {
        ObjectNode node = Messages.json().createObjectNode().put("market", r.market()).put("sellerId", r.sellerId())
                .put("kind", r.kind().configName()).put("id", r.id()).put("status", r.commonStatus().name())
                .put("final", r.commonStatus().isFinal()).put("marketStatus", r.status());
        ObjectNode fields = node.putObject("fields");
        r.fields().forEach(fields::put);
        node.put("updatedAt", r.updatedAt().toString()).put("changedAt", r.changedAt().toString())
                .put("storedAt", r.writtenAt().toString());
        r.finalAt().ifPresent(t -> node.put("finalAt", t.toString()));
        return raw(node, r.json());
    }

    /** {@code node} with the market's answer as received, {@code raw}: as JSON, or as text when it is none. */
    private static ObjectNode raw(ObjectNode node, String json) {
        try {
            node.set("raw", Messages.json().readTree(json));
        } catch (IOException e) {
            // an answer stored as text that is not JSON (11st's XML is stored as the JSON of its elements): kept as text
            node.put("raw", json);
        }
        return node;
    }
}
