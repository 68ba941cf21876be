package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.marketsim.DuplicateShipments;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.Pagination;
import io.marketgate.marketsim.Shipment;
import io.marketgate.marketsim.Throttle;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project's reference REST protocol (described in market-client's {@code io.marketgate.market.reference}):
 * {@code X-Api-Key}, sellers in the path, ISO-8601 ranges, cursor or page numbers for orders, cursors for the other kinds'
 * lists (served from the market's {@link RecordBook}), {@code Throttle}-configured refusals with {@code Retry-After}.
 */
final class ReferenceProtocol implements MarketProtocol {

    private record Route(Endpoint endpoint, String sellerId, String orderId, String method, RecordBook.Kind kind) {
        Route(Endpoint endpoint, String sellerId, String orderId, String method) {
            this(endpoint, sellerId, orderId, method, null);
        }
    }

    /** The longest answer, reply or rejection reason the protocol takes, in characters (Unicode code points). */
    static final int MAX_TEXT = 1000;

    private record ActionPath(Endpoint endpoint, String method) {}

    /** Every action but shipping, by {@code {kind}/{verb}} of {@code /v1/sellers/{sellerId}/{kind}/{id}/{verb}}. */
    private static final Map<String, ActionPath> ACTIONS = Map.of(
            "orders/acknowledge", new ActionPath(Endpoint.ACKNOWLEDGE_ORDER, "POST"),
            "inquiries/answer", new ActionPath(Endpoint.ANSWER_INQUIRY, "POST"),
            "reviews/reply", new ActionPath(Endpoint.REPLY_REVIEW, "POST"),
            "products/price", new ActionPath(Endpoint.CHANGE_PRICE, "PUT"),
            "products/stock", new ActionPath(Endpoint.CHANGE_STOCK, "PUT"),
            "products/sale-status", new ActionPath(Endpoint.CHANGE_SALE_STATUS, "PUT"),
            "claims/confirm", new ActionPath(Endpoint.CONFIRM_CLAIM, "POST"),
            "claims/reject", new ActionPath(Endpoint.REJECT_CLAIM, "POST"));

    /** The kinds other than orders by the path segment that names them, with their list endpoints. */
    private static final Map<String, RecordBook.Kind> KIND_PATHS = Map.of("claims", RecordBook.Kind.CLAIMS,
            "inquiries", RecordBook.Kind.INQUIRIES, "reviews", RecordBook.Kind.REVIEWS, "products", RecordBook.Kind.PRODUCTS,
            "settlements", RecordBook.Kind.SETTLEMENTS);
    private static final Map<RecordBook.Kind, Endpoint> LIST_ENDPOINTS = Map.of(RecordBook.Kind.CLAIMS, Endpoint.LIST_CLAIMS,
            RecordBook.Kind.INQUIRIES, Endpoint.LIST_INQUIRIES, RecordBook.Kind.REVIEWS, Endpoint.LIST_REVIEWS,
            RecordBook.Kind.PRODUCTS, Endpoint.LIST_PRODUCTS, RecordBook.Kind.SETTLEMENTS, Endpoint.LIST_SETTLEMENTS);

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;
    /** Orders acknowledged by the seller ({@code sellerId/orderId}): shown as INSTRUCT instead of ACCEPT. */
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    ReferenceProtocol(MarketConfig config, OrderBook orders, ShipmentLedger ledger, RecordBook records) {
        this.records = records;
        this.config = config;
        this.orders = orders;
        this.ledger = ledger;
    }

    @Override
    public Call identify(SimRequest req, Stamp stamp) {
        Route route = route(req);
        boolean authenticated = req.apiKey() != null && config.apiKeys().contains(req.apiKey());
        SimResponse rejection = null;
        Outcome outcome = null;
        if (route.endpoint() == Endpoint.UNKNOWN) {
            rejection = SimResponse.of(404, Json.error("NOT_FOUND", "path", "no such endpoint: " + req.path()));
            outcome = Outcome.NOT_FOUND;
        } else if (!route.method().equals(req.method())) {
            rejection = SimResponse.of(405, Json.error("METHOD_NOT_ALLOWED", "method",
                    req.method() + " is not allowed here; use " + route.method())).header("Allow", route.method());
            outcome = Outcome.METHOD_NOT_ALLOWED;
        } else if (req.apiKey() == null || req.apiKey().isBlank()) {
            rejection = SimResponse.of(401, Json.error("UNAUTHORIZED", "X-Api-Key", "the X-Api-Key header is missing"));
            outcome = Outcome.UNAUTHORIZED;
        } else if (!authenticated) {
            rejection = SimResponse.of(401, Json.error("UNAUTHORIZED", "X-Api-Key", "the API key is not known to "
                    + config.name()));
            outcome = Outcome.UNAUTHORIZED;
        }
        return new Call(route.endpoint(), req.apiKey(), authenticated, route.sellerId(), route.orderId(), rejection,
                outcome, route);
    }

    private static Route route(SimRequest req) {
        List<String> s = req.segments();
        if (s.size() == 4 && s.get(0).equals("v1") && s.get(1).equals("sellers") && s.get(3).equals("orders")) {
            return new Route(Endpoint.LIST_ORDERS, s.get(2), null, "GET");
        }
        if (s.size() == 4 && s.get(0).equals("v1") && s.get(1).equals("sellers") && KIND_PATHS.containsKey(s.get(3))) {
            RecordBook.Kind kind = KIND_PATHS.get(s.get(3));
            return new Route(LIST_ENDPOINTS.get(kind), s.get(2), null, "GET", kind);
        }
        if (s.size() == 6 && s.get(0).equals("v1") && s.get(1).equals("sellers") && s.get(3).equals("orders")
                && s.get(5).equals("shipments")) {
            return new Route(Endpoint.CREATE_SHIPMENT, s.get(2), s.get(4), "POST");
        }
        if (s.size() == 6 && s.get(0).equals("v1") && s.get(1).equals("sellers") && ACTIONS.containsKey(s.get(3) + "/" + s.get(5))) {
            ActionPath action = ACTIONS.get(s.get(3) + "/" + s.get(5));
            return new Route(action.endpoint(), s.get(2), s.get(4), action.method(), KIND_PATHS.get(s.get(3)));
        }
        if (s.size() == 5 && s.get(0).equals("v1") && s.get(1).equals("sellers") && s.get(3).equals("orders")) {
            return new Route(Endpoint.GET_ORDER, s.get(2), s.get(4), "GET");
        }
        return new Route(Endpoint.UNKNOWN, null, null, null);
    }

    @Override
    public SimResponse ipNotAllowed(Call call, String source, Stamp stamp) {
        return SimResponse.of(403, Json.error("IP_NOT_ALLOWED", "sourceAddress", "source address " + source
                + " is not on the allow-list of " + config.name()));
    }

    @Override
    public SimResponse throttled(Call call, Throttling t, Stamp stamp) {
        Throttle throttle = config.throttle();
        if (throttle.style() == Throttle.Style.HTTP_200_ERROR_CODE) {
            return SimResponse.of(200, Json.MAPPER.createObjectNode().put("code", throttle.code()).put("message", throttle.message()));
        }
        String code = t.penalty() ? "PENALTY_BLOCK" : throttle.code();
        String message = t.penalty() ? "blocked after repeated excess" : throttle.message() + " (" + t.budget() + ")";
        long millis = Math.max(1, (t.waitNanos() + 999_999) / 1_000_000);
        long seconds = Math.max(1, (t.waitNanos() + 999_999_999) / 1_000_000_000);
        ObjectNode body = Json.error(code, null, message).put("budget", t.budget()).put("retryAfterMillis", millis);
        return SimResponse.of(429, body)
                .header("Retry-After", Long.toString(seconds))
                .header("Retry-After-Ms", Long.toString(millis));
    }

    @Override
    public SimResponse serverError(Call call, int status, Stamp stamp) {
        return SimResponse.of(status, Json.error("INTERNAL_ERROR", null, "injected fault"));
    }

    @Override
    public void decorate(SimResponse response, Call call, BudgetLevel level, Stamp stamp) {
        if (level != null) {
            response.header("X-Api-Call-Limit", level.calls() + "/" + level.budget().limit());
        }
    }

    @Override
    public Served serve(SimRequest req, Call call, Stamp stamp) {
        Route route = (Route) call.context();
        // every endpoint is under /v1/sellers/{sellerId}: an unknown seller is refused before anything else
        if (!config.sellers().contains(route.sellerId())) {
            return notFound("SELLER_NOT_FOUND", "sellerId", "no seller " + route.sellerId() + " on " + config.name());
        }
        return switch (route.endpoint()) {
            case LIST_ORDERS -> listOrders(req, route);
            case GET_ORDER -> getOrder(route);
            case LIST_CLAIMS, LIST_INQUIRIES, LIST_REVIEWS, LIST_PRODUCTS, LIST_SETTLEMENTS -> listRecords(req, route);
            case CREATE_SHIPMENT -> ship(req, route, stamp.nanos());
            case ACKNOWLEDGE_ORDER -> acknowledge(route);
            default -> act(req, route);
        };
    }

    private static Served badRequest(String field, String message) {
        return new Served(SimResponse.of(400, Json.error("INVALID_PARAMETER", field, message)), Outcome.BAD_REQUEST);
    }

    private static Served notFound(String code, String field, String message) {
        return new Served(SimResponse.of(404, Json.error(code, field, message)), Outcome.NOT_FOUND);
    }

    private Served listOrders(SimRequest req, Route route) {
        Map<String, String> q = req.query();
        ListQuery range = listQuery(q);
        if (range.refusal() != null) {
            return range.refusal();
        }
        int size = range.size();
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("orders");
        if (config.pagination() == Pagination.CURSOR) {
            if (q.containsKey("page")) {
                return badRequest("page", config.name() + " pages by cursor, not by page number");
            }
            OrderBook.CursorKey after = null;
            if (q.containsKey("cursor")) {
                Optional<OrderBook.CursorKey> key = OrderBook.CursorKey.decode(q.get("cursor"));
                if (key.isEmpty()) {
                    return badRequest("cursor", "cursor '" + q.get("cursor") + "' was not issued by " + config.name());
                }
                after = key.get();
            }
            List<Order> page = orders.page(route.sellerId(), range.from(), range.to(), after, size + 1);
            boolean more = page.size() > size;
            List<Order> shown = more ? page.subList(0, size) : page;
            shown.forEach(o -> list.add(order(o)));
            body.put("nextCursor", more ? OrderBook.CursorKey.after(shown.get(shown.size() - 1)).encode() : null);
        } else {
            if (q.containsKey("cursor")) {
                return badRequest("cursor", config.name() + " pages by page number, not by cursor");
            }
            int page = 1;
            if (q.containsKey("page")) {
                OptionalInt parsed = positiveInt(q.get("page"));
                if (parsed.isEmpty()) {
                    return badRequest("page", "page must be a whole number ≥ 1, got '" + q.get("page") + "'");
                }
                page = parsed.getAsInt();
            }
            List<Order> all = orders.between(route.sellerId(), range.from(), range.to());
            long offset = (long) (page - 1) * size;
            for (long i = offset; i < Math.min(all.size(), offset + size); i++) {
                list.add(order(all.get((int) i)));
            }
            body.putNull("nextCursor");
            body.put("page", page).put("size", size).put("hasNext", offset + size < all.size());
        }
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    /**
     * A page of one kind's records changed in {@code [from, to)} (by their {@code updatedAt}: created, or last changed by
     * an action), sorted by ({@code updatedAt}, id); always by cursor, whatever the market's order pagination.
     */
    private Served listRecords(SimRequest req, Route route) {
        Map<String, String> q = req.query();
        ListQuery range = listQuery(q);
        if (range.refusal() != null) {
            return range.refusal();
        }
        int size = range.size();
        if (q.containsKey("page")) {
            return badRequest("page", "record lists page by cursor, not by page number");
        }
        RecordCursor after = null;
        if (q.containsKey("cursor")) {
            Optional<RecordCursor> key = RecordCursor.decode(q.get("cursor")).filter(c -> c.kind() == route.kind());
            if (key.isEmpty()) {
                return badRequest("cursor", "cursor '" + q.get("cursor") + "' was not issued by " + config.name()
                        + " for " + path(route.kind()));
            }
            after = key.get();
        }
        List<RecordBook.SimRecord> changed = new ArrayList<>();
        for (RecordBook.SimRecord r : records.changedBetween(route.sellerId(), route.kind(), range.from(), range.to())) {
            if (!r.updatedAt().isBefore(range.from()) && r.updatedAt().isBefore(range.to()) && (after == null || after.isBefore(r))) {
                changed.add(r);
            }
        }
        boolean more = changed.size() > size;
        List<RecordBook.SimRecord> shown = more ? changed.subList(0, size) : changed;
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray(path(route.kind()));
        shown.forEach(r -> list.add(record(r)));
        body.put("nextCursor", more ? RecordCursor.after(shown.get(shown.size() - 1)).encode() : null);
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    /** A record in the protocol's shape: its id under {@code <kind>Id}, the common status and fields, its times. */
    static ObjectNode record(RecordBook.SimRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode().put(idField(r.kind()), r.id()).put("sellerId", r.sellerId())
                .put("status", r.state());
        Map<String, String> a = r.attrs();
        switch (r.kind()) {
            case CLAIMS -> n.put("claimType", a.get("claimType")).put("orderId", a.get("orderId")).put("reason", a.get("reason"))
                    .put("requestedAt", r.createdAt().toString());
            case INQUIRIES -> n.put("title", a.get("title")).put("question", a.get("question")).put("answer", a.get("answer"))
                    .put("productId", a.get("productId")).put("askedAt", r.createdAt().toString());
            case REVIEWS -> n.put("rating", Integer.parseInt(a.get("rating"))).put("content", a.get("content"))
                    .put("reply", a.get("reply")).put("productId", a.get("productId")).put("writtenAt", r.createdAt().toString());
            case PRODUCTS -> n.put("name", a.get("name")).put("price", Long.parseLong(a.get("price")))
                    .put("stock", Integer.parseInt(a.get("stock")));
            case SETTLEMENTS -> n.put("amount", Long.parseLong(a.get("amount"))).put("settleDate", a.get("settleDate"));
        }
        return n.put("updatedAt", r.updatedAt().toString());
    }

    /** The field of a record's id: {@code claimId}, {@code inquiryId}, {@code reviewId}, {@code productId}, {@code settlementId}. */
    static String idField(RecordBook.Kind kind) {
        return switch (kind) {
            case CLAIMS -> "claimId";
            case INQUIRIES -> "inquiryId";
            case REVIEWS -> "reviewId";
            case PRODUCTS -> "productId";
            case SETTLEMENTS -> "settlementId";
        };
    }

    private static String path(RecordBook.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Where a record list's page ends: after this kind's record ({@code updatedAt}, id); opaque to clients. */
    private record RecordCursor(RecordBook.Kind kind, long updatedAtMillis, String id) {

        static RecordCursor after(RecordBook.SimRecord r) {
            return new RecordCursor(r.kind(), r.updatedAt().toEpochMilli(), r.id());
        }

        boolean isBefore(RecordBook.SimRecord r) {
            long t = r.updatedAt().toEpochMilli();
            return updatedAtMillis < t || (updatedAtMillis == t && id.compareTo(r.id()) < 0);
        }

        String encode() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("r1:" + kind + ":" + updatedAtMillis + ":" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Optional<RecordCursor> decode(String cursor) {
            try {
                String[] parts = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8)
                        .split(":", 4);
                if (parts.length != 4 || !parts[0].equals("r1") || parts[3].isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new RecordCursor(RecordBook.Kind.valueOf(parts[1]), Long.parseLong(parts[2]), parts[3]));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    private Served getOrder(Route route) {
        Optional<Order> order = orders.find(route.sellerId(), route.orderId());
        if (order.isEmpty()) {
            return notFound("ORDER_NOT_FOUND", "orderId", "seller " + route.sellerId() + " has no order " + route.orderId());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("orders").add(order(order.get()));
        body.putNull("nextCursor");
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private Served ship(SimRequest req, Route route, long now) {
        if (orders.find(route.sellerId(), route.orderId()).isEmpty()) {
            return notFound("ORDER_NOT_FOUND", "orderId", "seller " + route.sellerId() + " has no order " + route.orderId());
        }
        JsonNode body;
        try {
            body = req.body().length == 0 ? null : Json.MAPPER.readTree(req.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return badRequest("body", "the body must be a JSON object like {\"carrier\":\"CJ\",\"trackingNumber\":\"1234\"}");
        }
        for (String field : List.of("carrier", "trackingNumber")) {
            JsonNode v = body.get(field);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                return badRequest(field, field + " is required and must be a non-blank string");
            }
        }
        Optional<Shipment> recorded = ledger.record(route.sellerId(), route.orderId(), body.get("carrier").asText(),
                body.get("trackingNumber").asText(), now);
        boolean created = recorded.isPresent();
        Shipment shipment = recorded.orElseGet(() -> ledger.find(route.sellerId(), route.orderId()).orElseThrow());
        if (created) {
            return new Served(SimResponse.of(201, Json.shipment(shipment)), Outcome.CREATED);
        }
        if (config.duplicateShipments() == DuplicateShipments.RETURN_EXISTING) {
            return new Served(SimResponse.of(200, Json.shipment(shipment)), Outcome.DUPLICATE);
        }
        ObjectNode conflict = Json.error("ALREADY_SHIPPED", "orderId", "order " + route.orderId() + " was already shipped");
        conflict.set("shipment", Json.shipment(shipment));
        return new Served(SimResponse.of(409, conflict), Outcome.DUPLICATE);
    }

    /** A list's {@code from}, {@code to} and {@code size}, or the market's refusal of them. */
    private record ListQuery(Instant from, Instant to, int size, Served refusal) {
        static ListQuery refused(Served refusal) {
            return new ListQuery(null, null, 0, refusal);
        }
    }

    /** The range (at most the market's maximum) and page size of a list call, as every list checks them. */
    private ListQuery listQuery(Map<String, String> q) {
        Optional<Instant> from = instant(q.get("from"));
        if (from.isEmpty()) {
            return ListQuery.refused(badRequest("from", describe("from", q.get("from"))));
        }
        Optional<Instant> to = instant(q.get("to"));
        if (to.isEmpty()) {
            return ListQuery.refused(badRequest("to", describe("to", q.get("to"))));
        }
        if (!to.get().isAfter(from.get())) {
            return ListQuery.refused(badRequest("to", "to (" + to.get() + ") must be after from (" + from.get() + ")"));
        }
        if (Duration.between(from.get(), to.get()).compareTo(config.maxRange()) > 0) {
            return ListQuery.refused(badRequest("to", "the range from " + from.get() + " to " + to.get()
                    + " is longer than the maximum of " + config.maxRange() + " per call"));
        }
        int size = config.defaultPageSize();
        if (q.containsKey("size")) {
            OptionalInt parsed = positiveInt(q.get("size"));
            if (parsed.isEmpty() || parsed.getAsInt() > config.maxPageSize()) {
                return ListQuery.refused(badRequest("size", "size must be a whole number between 1 and " + config.maxPageSize()
                        + ", got '" + q.get("size") + "'"));
            }
            size = parsed.getAsInt();
        }
        return new ListQuery(from.get(), to.get(), size, null);
    }

    @Override
    public void reset() {
        acknowledged.clear();
    }

    /** An order as the protocol shows it: an acknowledged ACCEPT order is INSTRUCT. */
    private ObjectNode order(Order o) {
        ObjectNode n = Json.order(o);
        if (o.status().equals("ACCEPT") && acknowledged.contains(o.sellerId() + "/" + o.orderId())) {
            n.put("status", "INSTRUCT");
        }
        return n;
    }

    /**
     * 발주확인: an ACCEPT order becomes INSTRUCT (200 with the order); one acknowledged before or further along is 409
     * ALREADY_DONE; a cancelled one is 422 REFUSED.
     */
    private Served acknowledge(Route route) {
        Optional<Order> order = orders.find(route.sellerId(), route.orderId());
        if (order.isEmpty()) {
            return notFound("ORDER_NOT_FOUND", "orderId", "seller " + route.sellerId() + " has no order " + route.orderId());
        }
        String status = order.get().status();
        if (status.equals("CANCELLED")) {
            return refused("the order was cancelled");
        }
        if (status.equals("ACCEPT") && acknowledged.add(route.sellerId() + "/" + route.orderId())) {
            return new Served(SimResponse.of(200, order(order.get())), Outcome.OK);
        }
        return alreadyDone("order " + route.orderId() + " is acknowledged already (" + order(order.get()).get("status").asText() + ")");
    }

    /**
     * An action on a record of the market's {@link RecordBook}: its body checked field by field, then applied; 200 with
     * the record as it is now, 409 ALREADY_DONE when its effect was there already, 422 REFUSED with the book's reason, 404
     * when the seller has no such record of the path's kind.
     */
    private Served act(SimRequest req, Route route) {
        JsonNode body = null;
        if (route.endpoint() != Endpoint.CONFIRM_CLAIM) {
            try {
                body = req.body().length == 0 ? null : Json.MAPPER.readTree(req.body());
            } catch (IOException e) {
                body = null;
            }
            if (body == null || !body.isObject()) {
                return badRequest("body", "the body must be a JSON object such as " + example(route.endpoint()));
            }
        }
        String seller = route.sellerId();
        String id = route.orderId();
        RecordBook.Outcome outcome;
        switch (route.endpoint()) {
            case ANSWER_INQUIRY, REPLY_REVIEW -> {
                Optional<Served> bad = text(body, "text");
                if (bad.isPresent()) {
                    return bad.get();
                }
                String text = body.get("text").textValue();
                outcome = route.endpoint() == Endpoint.ANSWER_INQUIRY ? records.answer(seller, id, text) : records.reply(seller, id, text);
            }
            case REJECT_CLAIM -> {
                Optional<Served> bad = text(body, "reason");
                if (bad.isPresent()) {
                    return bad.get();
                }
                outcome = records.decideClaim(seller, id, false, body.get("reason").textValue());
            }
            case CONFIRM_CLAIM -> outcome = records.decideClaim(seller, id, true, null);
            case CHANGE_PRICE -> {
                JsonNode price = body.get("price");
                if (price == null || !price.isIntegralNumber() || !price.canConvertToLong() || price.longValue() < 1
                        || price.longValue() > 1_000_000_000L) {
                    return badRequest("price", "price is required and must be a whole number of won from 1 to 1000000000");
                }
                outcome = records.changeProduct(seller, id, "price", Long.toString(price.longValue()));
            }
            case CHANGE_STOCK -> {
                JsonNode stock = body.get("stock");
                if (stock == null || !stock.isIntegralNumber() || !stock.canConvertToInt() || stock.intValue() < 0
                        || stock.intValue() > 99_999_999) {
                    return badRequest("stock", "stock is required and must be a whole number from 0 to 99999999");
                }
                outcome = records.changeProduct(seller, id, "stock", Integer.toString(stock.intValue()));
            }
            case CHANGE_SALE_STATUS -> {
                JsonNode status = body.get("status");
                if (status == null || !status.isTextual() || !List.of("ON_SALE", "SUSPENDED").contains(status.textValue())) {
                    return badRequest("status", "status is required and must be ON_SALE or SUSPENDED");
                }
                outcome = records.changeProduct(seller, id, "state", status.textValue());
            }
            default -> throw new IllegalStateException("not an action on a record: " + route.endpoint());
        }
        String kind = singular(route.kind());
        return switch (outcome.applied()) {
            case DONE -> new Served(SimResponse.of(200, record(records.find(seller, id).orElseThrow())), Outcome.OK);
            case ALREADY -> alreadyDone(kind + " " + id + " has this already");
            case REFUSED -> refused(outcome.reason());
            case NOT_FOUND -> notFound(kind.toUpperCase(java.util.Locale.ROOT) + "_NOT_FOUND", idField(route.kind()),
                    "seller " + seller + " has no " + kind + " " + id);
        };
    }

    /** A required text field of at most {@link #MAX_TEXT} characters, or the 400 naming it. */
    private static Optional<Served> text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            return Optional.of(badRequest(field, field + " is required and must be a non-blank string"));
        }
        int length = v.textValue().codePointCount(0, v.textValue().length());
        if (length > MAX_TEXT) {
            return Optional.of(badRequest(field, field + " is " + length + " characters long, at most " + MAX_TEXT + " are taken"));
        }
        return Optional.empty();
    }

    private static String example(Endpoint endpoint) {
        return switch (endpoint) {
            case ANSWER_INQUIRY, REPLY_REVIEW -> "{\"text\":\"Thank you\"}";
            case REJECT_CLAIM -> "{\"reason\":\"already shipped\"}";
            case CHANGE_PRICE -> "{\"price\":15900}";
            case CHANGE_STOCK -> "{\"stock\":10}";
            default -> "{\"status\":\"ON_SALE\"}";
        };
    }

    private static String singular(RecordBook.Kind kind) {
        return switch (kind) {
            case CLAIMS -> "claim";
            case INQUIRIES -> "inquiry";
            case REVIEWS -> "review";
            case PRODUCTS -> "product";
            case SETTLEMENTS -> "settlement";
        };
    }

    private static Served alreadyDone(String message) {
        return new Served(SimResponse.of(409, Json.error("ALREADY_DONE", null, message)), Outcome.DUPLICATE);
    }

    private static Served refused(String reason) {
        return new Served(SimResponse.of(422, Json.MAPPER.createObjectNode().put("code", "REFUSED").put("reason", reason)),
                Outcome.REFUSED);
    }

    private static Optional<Instant> instant(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String describe(String field, String value) {
        return value == null ? field + " is required (ISO-8601 with offset, e.g. 2026-01-01T00:00:00+09:00)"
                : field + " '" + value + "' is not an ISO-8601 date-time with offset (e.g. 2026-01-01T00:00:00Z;"
                        + " encode '+' as %2B)";
    }

    private static OptionalInt positiveInt(String value) {
        try {
            int n = Integer.parseInt(value);
            return n >= 1 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
