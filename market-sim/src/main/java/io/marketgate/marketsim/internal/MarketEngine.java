package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.DuplicateShipments;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.Pagination;
import io.marketgate.marketsim.Shipment;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.Throttle;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated market: the gateway (authentication, IP allow-list, penalty, budgets, faults) and the order API
 * behind it. Every request is stamped and decided under one lock, so the recorded arrival instants are exactly
 * the instants the budgets were judged at.
 *
 * <p>Order of checks, as a market's API gateway runs them: route (404/405) → API key (401) → IP allow-list (403)
 * → penalty block → budgets (all-or-nothing; a rejected request charges none) → injected faults → parameters and
 * body (400), seller and order (404) → the answer. So bad input, like a 5xx, has consumed budget.
 */
public final class MarketEngine {

    private record Route(Endpoint endpoint, String sellerId, String orderId, String method) {}

    private static final class PenaltyState {
        int overLimit;
        long blockedUntil = Long.MIN_VALUE;
    }

    /** What the gateway decided, under the lock. */
    private record Gate(SimResponse rejection, Outcome outcome, String blockingBudget, FaultInjector.Injected fault,
            String callLimit) {}

    private final MarketConfig config;
    private final SimClock clock;
    private final AtomicLong sequence;
    private final OrderBook orders;
    private final FaultInjector faults;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Map<String, Counter>> counters = new HashMap<>();
    private final Map<String, PenaltyState> penalties = new HashMap<>();
    private final Map<String, Shipment> shipmentsByOrder = new ConcurrentHashMap<>();
    private final List<Shipment> shipments = new ArrayList<>();
    private final List<Arrival> arrivals = new ArrayList<>();

    public MarketEngine(MarketConfig config, SimClock clock, AtomicLong sequence) {
        this.config = config;
        this.clock = clock;
        this.sequence = sequence;
        this.orders = new OrderBook(config.name(), config.seed(), config.ordersPerHour());
        this.faults = new FaultInjector(config.faults());
    }

    public MarketConfig config() {
        return config;
    }

    public FaultInjector faults() {
        return faults;
    }

    public OrderBook orders() {
        return orders;
    }

    /** Every arrival so far, in arrival order. */
    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            List<Arrival> copy = new ArrayList<>(arrivals);
            copy.sort(Comparator.comparingLong(Arrival::sequence));
            return copy;
        }
    }

    public List<Shipment> shipments() {
        synchronized (shipments) {
            return List.copyOf(shipments);
        }
    }

    /** Forgets arrivals, budget and penalty state, shipments and scheduled faults: a fresh market on the same port. */
    public void reset() {
        lock.lock();
        try {
            counters.clear();
            penalties.clear();
            synchronized (shipments) {
                shipments.clear();
                shipmentsByOrder.clear();
            }
            synchronized (arrivals) {
                arrivals.clear();
            }
            faults.reset();
        } finally {
            lock.unlock();
        }
    }

    public SimResponse handle(SimRequest req) {
        Route route = route(req);
        boolean authenticated = req.apiKey() != null && config.apiKeys().contains(req.apiKey());
        String source = sourceAddress(req);
        long now;
        long seq;
        Gate gate;
        lock.lock();
        try {
            now = clock.epochNanos();
            seq = sequence.incrementAndGet();
            gate = gate(req, route, authenticated, source, now);
        } finally {
            lock.unlock();
        }
        SimResponse response;
        Outcome outcome;
        if (gate.rejection() != null) {
            response = gate.rejection();
            outcome = gate.outcome();
        } else {
            if (!gate.fault().delay().isZero()) {
                try {
                    Thread.sleep(gate.fault().delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the server is closing; answer at once
                }
            }
            if (gate.fault().status() != 0) {
                response = SimResponse.of(gate.fault().status(), Json.error("INTERNAL_ERROR", null, "injected fault"));
                outcome = Outcome.SERVER_ERROR;
            } else {
                Served served = switch (route.endpoint()) {
                    case LIST_ORDERS -> listOrders(req, route);
                    case GET_ORDER -> getOrder(route);
                    default -> ship(req, route, now);
                };
                response = served.response();
                outcome = served.outcome();
            }
        }
        if (gate.callLimit() != null) {
            response.header("X-Api-Call-Limit", gate.callLimit());
        }
        Arrival arrival = new Arrival(seq, now, config.name(), route.endpoint(), req.method(), req.path(), req.apiKey(),
                authenticated, route.sellerId(), route.orderId(), source, outcome, response.status(), gate.blockingBudget());
        // recorded before the answer is written, so a client that has its answer always finds its arrival
        synchronized (arrivals) {
            arrivals.add(arrival);
        }
        return response;
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

    private String sourceAddress(SimRequest req) {
        if (config.trustForwardedFor() && req.forwardedFor() != null && !req.forwardedFor().isBlank()) {
            return req.forwardedFor().split(",")[0].trim();
        }
        return req.remoteAddress();
    }

    private Gate gate(SimRequest req, Route route, boolean authenticated, String source, long now) {
        if (route.endpoint() == Endpoint.UNKNOWN) {
            return reject(SimResponse.of(404, Json.error("NOT_FOUND", "path", "no such endpoint: " + req.path())),
                    Outcome.NOT_FOUND);
        }
        if (!route.method().equals(req.method())) {
            return reject(SimResponse.of(405, Json.error("METHOD_NOT_ALLOWED", "method",
                    req.method() + " is not allowed here; use " + route.method())).header("Allow", route.method()),
                    Outcome.METHOD_NOT_ALLOWED);
        }
        if (req.apiKey() == null || req.apiKey().isBlank()) {
            return reject(SimResponse.of(401, Json.error("UNAUTHORIZED", "X-Api-Key", "the X-Api-Key header is missing")),
                    Outcome.UNAUTHORIZED);
        }
        if (!authenticated) {
            return reject(SimResponse.of(401, Json.error("UNAUTHORIZED", "X-Api-Key", "the API key is not known to "
                    + config.name())), Outcome.UNAUTHORIZED);
        }
        if (!config.ipAllowList().isEmpty() && !config.ipAllowList().contains(source)) {
            return reject(SimResponse.of(403, Json.error("IP_NOT_ALLOWED", "sourceAddress", "source address " + source
                    + " is not on the allow-list of " + config.name())), Outcome.FORBIDDEN);
        }
        PenaltyState penalty = penalties.computeIfAbsent(req.apiKey(), k -> new PenaltyState());
        if (now < penalty.blockedUntil) {
            return new Gate(throttled("PENALTY_BLOCK", "blocked after repeated excess", "penalty", penalty.blockedUntil - now),
                    Outcome.PENALIZED, "penalty", null, null);
        }
        long wait = 0;
        MarketBudget blocking = null;
        List<Counter> drawn = new ArrayList<>();
        MarketBudget leaky = null;
        Counter leakyCounter = null;
        for (MarketBudget b : config.budgets()) {
            if (!b.appliesTo(route.endpoint())) {
                continue;
            }
            String key = b.scope().key(req.apiKey(), route.endpoint(), route.sellerId());
            Counter c = counters.computeIfAbsent(b.name(), n -> new HashMap<>()).computeIfAbsent(key, k ->
                    b.kind() == MarketBudget.Kind.LEAKY_BUCKET ? new LeakyBucket(b.limit(), b.windowNanos())
                            : new SlidingWindow(b.limit(), b.windowNanos()));
            long w = c.waitNanos(now);
            if (w > wait) {
                wait = w;
                blocking = b;
            }
            drawn.add(c);
            if (leaky == null && b.kind() == MarketBudget.Kind.LEAKY_BUCKET) {
                leaky = b;
                leakyCounter = c;
            }
        }
        if (blocking != null) {
            if (config.penalty().enabled() && ++penalty.overLimit >= config.penalty().afterOverLimitRequests()) {
                penalty.overLimit = 0;
                penalty.blockedUntil = now + config.penalty().block().toNanos();
            }
            String callLimit = leaky == null ? null : leakyCounter.calls(now) + "/" + leaky.limit();
            return new Gate(throttled(config.throttle().code(), config.throttle().message() + " (" + blocking.name() + ")",
                    blocking.name(), wait), Outcome.THROTTLED, blocking.name(), null, callLimit);
        }
        drawn.forEach(c -> c.add(now));
        String callLimit = leaky == null ? null : leakyCounter.calls(now) + "/" + leaky.limit();
        return new Gate(null, null, null, faults.next(), callLimit);
    }

    private static Gate reject(SimResponse response, Outcome outcome) {
        return new Gate(response, outcome, null, null, null);
    }

    private SimResponse throttled(String code, String message, String budget, long waitNanos) {
        Throttle t = config.throttle();
        if (t.style() == Throttle.Style.HTTP_200_ERROR_CODE) {
            return SimResponse.of(200, Json.MAPPER.createObjectNode().put("code", t.code()).put("message", t.message()));
        }
        long millis = Math.max(1, (waitNanos + 999_999) / 1_000_000);
        long seconds = Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000);
        ObjectNode body = Json.error(code, null, message).put("budget", budget).put("retryAfterMillis", millis);
        return SimResponse.of(429, body)
                .header("Retry-After", Long.toString(seconds))
                .header("Retry-After-Ms", Long.toString(millis));
    }

    private record Served(SimResponse response, Outcome outcome) {}

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
        Shipment shipment;
        boolean created;
        synchronized (shipments) {
            String key = route.sellerId() + "/" + route.orderId();
            Shipment existing = shipmentsByOrder.get(key);
            created = existing == null;
            if (created) {
                shipment = new Shipment("shp-" + (shipments.size() + 1), route.sellerId(), route.orderId(),
                        body.get("carrier").asText(), body.get("trackingNumber").asText(),
                        Instant.ofEpochSecond(0, now));
                shipmentsByOrder.put(key, shipment);
                shipments.add(shipment);
            } else {
                shipment = existing;
            }
        }
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
