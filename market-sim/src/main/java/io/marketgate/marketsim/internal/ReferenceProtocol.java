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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The project's reference REST protocol: {@code X-Api-Key}, sellers in the path, ISO-8601 ranges, cursor or page
 * numbers, {@code Throttle}-configured refusals with {@code Retry-After}.
 */
final class ReferenceProtocol implements MarketProtocol {

    private record Route(Endpoint endpoint, String sellerId, String orderId, String method) {}

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;

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
        if (s.size() == 6 && s.get(0).equals("v1") && s.get(1).equals("sellers") && s.get(3).equals("orders")
                && s.get(5).equals("shipments")) {
            return new Route(Endpoint.CREATE_SHIPMENT, s.get(2), s.get(4), "POST");
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
        return switch (route.endpoint()) {
            case LIST_ORDERS -> listOrders(req, route);
            case GET_ORDER -> getOrder(route);
            default -> ship(req, route, stamp.nanos());
        };
    }

    private static Served badRequest(String field, String message) {
        return new Served(SimResponse.of(400, Json.error("INVALID_PARAMETER", field, message)), Outcome.BAD_REQUEST);
    }

    private static Served notFound(String code, String field, String message) {
        return new Served(SimResponse.of(404, Json.error(code, field, message)), Outcome.NOT_FOUND);
    }

    private Served listOrders(SimRequest req, Route route) {
        if (!config.sellers().contains(route.sellerId())) {
            return notFound("SELLER_NOT_FOUND", "sellerId", "no seller " + route.sellerId() + " on " + config.name());
        }
        Map<String, String> q = req.query();
        Optional<Instant> from = instant(q.get("from"));
        if (from.isEmpty()) {
            return badRequest("from", describe("from", q.get("from")));
        }
        Optional<Instant> to = instant(q.get("to"));
        if (to.isEmpty()) {
            return badRequest("to", describe("to", q.get("to")));
        }
        if (!to.get().isAfter(from.get())) {
            return badRequest("to", "to (" + to.get() + ") must be after from (" + from.get() + ")");
        }
        if (Duration.between(from.get(), to.get()).compareTo(config.maxRange()) > 0) {
            return badRequest("to", "the range from " + from.get() + " to " + to.get() + " is longer than the maximum of "
                    + config.maxRange() + " per call");
        }
        int size = config.defaultPageSize();
        if (q.containsKey("size")) {
            OptionalInt parsed = positiveInt(q.get("size"));
            if (parsed.isEmpty() || parsed.getAsInt() > config.maxPageSize()) {
                return badRequest("size", "size must be a whole number between 1 and " + config.maxPageSize()
                        + ", got '" + q.get("size") + "'");
            }
            size = parsed.getAsInt();
        }
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
            List<Order> page = orders.page(route.sellerId(), from.get(), to.get(), after, size + 1);
            boolean more = page.size() > size;
            List<Order> shown = more ? page.subList(0, size) : page;
            shown.forEach(o -> list.add(Json.order(o)));
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
            List<Order> all = orders.between(route.sellerId(), from.get(), to.get());
            long offset = (long) (page - 1) * size;
            for (long i = offset; i < Math.min(all.size(), offset + size); i++) {
                list.add(Json.order(all.get((int) i)));
            }
            body.putNull("nextCursor");
            body.put("page", page).put("size", size).put("hasNext", offset + size < all.size());
        }
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private Served getOrder(Route route) {
        if (!config.sellers().contains(route.sellerId())) {
            return notFound("SELLER_NOT_FOUND", "sellerId", "no seller " + route.sellerId() + " on " + config.name());
        }
        Optional<Order> order = orders.find(route.sellerId(), route.orderId());
        if (order.isEmpty()) {
            return notFound("ORDER_NOT_FOUND", "orderId", "seller " + route.sellerId() + " has no order " + route.orderId());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("orders").add(Json.order(order.get()));
        body.putNull("nextCursor");
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private Served ship(SimRequest req, Route route, long now) {
        if (!config.sellers().contains(route.sellerId())) {
            return notFound("SELLER_NOT_FOUND", "sellerId", "no seller " + route.sellerId() + " on " + config.name());
        }
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
