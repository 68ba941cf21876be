package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.NaverCredentials;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.SellerCredentials;
import io.marketgate.marketsim.Shipment;
import io.marketgate.marketsim.TokenRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Naver Commerce as its gateway and the order APIs answer (market-protocols.md section 2).
 *
 * <p>Token endpoint {@code POST /external/v1/oauth2/token}: the app is found by {@code client_id} (unknown → 400);
 * a non-standard request (parameters in the query string, a body that is not {@code application/x-www-form-urlencoded},
 * no {@code grant_type}, {@code account_id} with {@code type=SELF}) is answered as usual but marks the app, which is
 * then cut to one API call per hour (429 {@code GW.QUOTA_LIMIT}); then the token endpoint's own bucket, then the
 * timestamp (13 digits, not in the future, not older than 5 minutes), the bcrypt sign, the type and account. One
 * token per (app, type, account), served again while at least 30 minutes are left, else a new one (the old one stays
 * valid until it expires). API calls: {@code Authorization: Bearer} (401 {@code GW.AUTHN}), IP allow-list (403
 * {@code GW.IP_NOT_ALLOWED}), the hourly quota of a marked app, the token bucket per API and app (429
 * {@code GW.RATE_LIMIT}). Every answer carries {@code GNCP-GW-Trace-ID}; every answer that reached a bucket carries
 * {@code GNCP-GW-RateLimit-Replenish-Rate}, {@code -Burst-Capacity} and {@code -Remaining}.
 */
final class NaverProtocol implements MarketProtocol {

    static final Duration TOKEN_LIFETIME = Duration.ofHours(3);
    static final Duration REISSUE_BELOW = Duration.ofMinutes(30);
    static final Duration TIMESTAMP_WINDOW = Duration.ofMinutes(5);
    static final Duration MAX_RANGE = Duration.ofHours(24);
    static final Duration QUOTA_PERIOD = Duration.ofHours(1);
    static final int MAX_LIMIT_COUNT = 300;
    static final int MAX_QUERY_IDS = 300;
    static final int MAX_DISPATCH = 30;
    static final ZoneOffset KST = ZoneOffset.ofHours(9);
    static final Set<String> CHANGE_TYPES = Set.of("PAY_WAITING", "PAYED", "EXCHANGE_OPTION", "DELIVERY_ADDRESS_CHANGED",
            "GIFT_RECEIVED", "CLAIM_REJECTED", "DISPATCHED", "CLAIM_REQUESTED", "COLLECT_DONE", "CLAIM_COMPLETED",
            "PURCHASE_DECIDED", "HOPE_DELIVERY_INFO_CHANGED", "CLAIM_REDELIVERING");
    private static final Set<String> TOKEN_PARAMS = Set.of("client_id", "timestamp", "grant_type", "client_secret_sign",
            "type", "account_id");
    private static final DateTimeFormatter KST_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final List<String> ORDERS = List.of("external", "v1", "pay-order", "seller", "product-orders");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** An application: its own seller (SELF apps), or the sellers by account id (a solution app). */
    private record App(String clientId, String clientSecret, String sellerId, Map<String, String> sellerByAccount) {}

    private static final class Token {
        final String value;
        final String clientId;
        final String sellerId;
        final long expiresAt;
        boolean revoked;

        Token(String value, String clientId, String sellerId, long expiresAt) {
            this.value = value;
            this.clientId = clientId;
            this.sellerId = sellerId;
            this.expiresAt = expiresAt;
        }
    }

    /** A token request in flight: its parameters, and what came of it (set while it is served). */
    private static final class TokenCall {
        final App app;
        final Map<String, String> params;
        final List<String> nonStandard;
        boolean issued;

        TokenCall(App app, Map<String, String> params, List<String> nonStandard) {
            this.app = app;
            this.params = params;
            this.nonStandard = nonStandard;
        }
    }

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<String, Token> current = new HashMap<>();
    private final Map<String, Long> quotaFrom = new TreeMap<>();
    private final Map<String, SlidingWindow> quotaWindows = new HashMap<>();
    private final List<TokenRequest> tokenRequests = new ArrayList<>();
    private SplittableRandom tokenRandom;

    NaverProtocol(MarketConfig config, OrderBook orders, ShipmentLedger ledger, RecordBook records,
            List<SellerCredentials> credentials) {
        this.records = records;
        this.config = config;
        this.orders = orders;
        this.ledger = ledger;
        for (SellerCredentials c : credentials) {
            NaverCredentials n = (NaverCredentials) c;
            if (n.accountId() == null) {
                apps.put(n.clientId(), new App(n.clientId(), n.clientSecret(), n.sellerId(), Map.of()));
            } else {
                apps.computeIfAbsent(n.clientId(), id -> new App(id, n.clientSecret(), null, new HashMap<>()))
                        .sellerByAccount().put(n.accountId(), n.sellerId());
            }
        }
        this.tokenRandom = new SplittableRandom(OrderBook.mix(config.seed() ^ OrderBook.fnv64(config.name() + "/tokens")));
    }

    // ---- accessors ----

    synchronized List<TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    synchronized void revokeTokens(String sellerId) {
        for (Token t : tokens.values()) {
            if (sellerId == null || sellerId.equals(t.sellerId)) {
                t.revoked = true;
            }
        }
        current.values().removeIf(t -> t.revoked);
    }

    synchronized Map<String, Instant> quotaPenalties() {
        Map<String, Instant> out = new LinkedHashMap<>();
        quotaFrom.forEach((app, nanos) -> out.put(app, Instant.ofEpochSecond(0, nanos)));
        return out;
    }

    @Override
    public synchronized void reset() {
        tokens.clear();
        current.clear();
        quotaFrom.clear();
        quotaWindows.clear();
        tokenRequests.clear();
        tokenRandom = new SplittableRandom(OrderBook.mix(config.seed() ^ OrderBook.fnv64(config.name() + "/tokens")));
    }

    // ---- gateway ----

    @Override
    public Call identify(SimRequest req, Stamp stamp) {
        List<String> s = req.segments();
        if (s.equals(List.of("external", "v1", "oauth2", "token"))) {
            if (!req.method().equals("POST")) {
                return Call.rejected(Endpoint.TOKEN, null, false, null, gatewayError(405, "GW.METHOD_NOT_ALLOWED",
                        "허용되지 않은 메서드입니다.", stamp).header("Allow", "POST"), Outcome.METHOD_NOT_ALLOWED);
            }
            return identifyTokenRequest(req, stamp);
        }
        Endpoint endpoint = Endpoint.UNKNOWN;
        String method = null;
        if (s.size() == ORDERS.size() + 1 && s.subList(0, ORDERS.size()).equals(ORDERS)) {
            switch (s.get(ORDERS.size())) {
                case "last-changed-statuses" -> {
                    endpoint = Endpoint.LIST_ORDERS;
                    method = "GET";
                }
                case "query" -> {
                    endpoint = Endpoint.GET_ORDER;
                    method = "POST";
                }
                case "dispatch" -> {
                    endpoint = Endpoint.CREATE_SHIPMENT;
                    method = "POST";
                }
                default -> {
                    // not served
                }
            }
        }
        if (endpoint == Endpoint.UNKNOWN) {
            return Call.rejected(Endpoint.UNKNOWN, null, false, null,
                    gatewayError(404, "GW.NOT_FOUND", "요청한 API를 찾을 수 없습니다.", stamp), Outcome.NOT_FOUND);
        }
        if (!method.equals(req.method())) {
            return Call.rejected(endpoint, null, false, null, gatewayError(405, "GW.METHOD_NOT_ALLOWED",
                    "허용되지 않은 메서드입니다.", stamp).header("Allow", method), Outcome.METHOD_NOT_ALLOWED);
        }
        String auth = req.header("Authorization");
        Token token = null;
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            synchronized (this) {
                token = tokens.get(auth.substring(7).strip());
            }
        }
        if (token == null || token.revoked || stamp.nanos() >= token.expiresAt) {
            return Call.rejected(endpoint, null, false, null,
                    gatewayError(401, "GW.AUTHN", "요청을 보낼 권한이 없습니다.", stamp), Outcome.UNAUTHORIZED);
        }
        String orderId = endpoint == Endpoint.CREATE_SHIPMENT ? firstDispatchedOf(req.body()) : null;
        return Call.admitted(endpoint, token.clientId, token.sellerId, orderId, token);
    }

    private Call identifyTokenRequest(SimRequest req, Stamp stamp) {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> nonStandard = new ArrayList<>();
        if (req.query().keySet().stream().anyMatch(TOKEN_PARAMS::contains)) {
            nonStandard.add("parameters in the query string");
            req.query().forEach((k, v) -> {
                if (TOKEN_PARAMS.contains(k)) {
                    params.put(k, v);
                }
            });
        }
        String contentType = req.header("Content-Type");
        boolean form = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        if (req.body().length > 0) {
            if (!form) {
                nonStandard.add("a body of Content-Type " + contentType + ", not application/x-www-form-urlencoded");
            }
            params.putAll(contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")
                    ? jsonParams(req.body()) : formParams(req.body()));
        }
        if (!params.containsKey("grant_type")) {
            nonStandard.add("no grant_type");
        }
        if ("SELF".equals(params.get("type")) && params.containsKey("account_id")) {
            nonStandard.add("account_id with type SELF");
        }
        String clientId = params.get("client_id");
        App app = clientId == null ? null : apps.get(clientId);
        if (app == null) {
            return Call.rejected(Endpoint.TOKEN, clientId, false, null, badRequest(stamp, "client_id",
                    clientId == null ? "client_id 항목은 필수입니다." : "client_id 항목이 유효하지 않습니다."), Outcome.BAD_REQUEST);
        }
        String sellerId = app.sellerId() != null ? app.sellerId() : app.sellerByAccount().get(params.get("account_id"));
        if (!nonStandard.isEmpty()) {
            synchronized (this) {
                quotaFrom.merge(app.clientId(), stamp.nanos() + config.quotaPenaltyDelay().toNanos(), Math::min);
            }
        }
        return Call.admitted(Endpoint.TOKEN, app.clientId(), sellerId, null, new TokenCall(app, params, nonStandard));
    }

    private static Map<String, String> formParams(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                out.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed %-escape: the parameter is missing, and its check names it
            }
        }
        return out;
    }

    private static Map<String, String> jsonParams(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.isObject()) {
                n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            }
        } catch (IOException e) {
            // not JSON after all: no parameters
        }
        return out;
    }

    @Override
    public boolean checksIpAllowList(Call call) {
        return call.endpoint() != Endpoint.TOKEN || config.ipAllowListOnToken();
    }

    @Override
    public SimResponse ipNotAllowed(Call call, String source, Stamp stamp) {
        return gatewayError(403, "GW.IP_NOT_ALLOWED", "호출이 허용되지 않은 IP입니다.", stamp);
    }

    @Override
    public synchronized Refusal quota(Call call, Stamp stamp) {
        SlidingWindow window = quotaWindow(call, stamp);
        if (window == null || window.waitNanos(stamp.nanos()) == 0) {
            return null;
        }
        SimResponse r = gatewayError(429, "GW.QUOTA_LIMIT", "할당된 시간당 요청량을 초과하였습니다.", stamp);
        quotaHeaders(r, 0);
        return new Refusal(r, Outcome.THROTTLED, "quota");
    }

    @Override
    public synchronized void admitted(Call call, Stamp stamp) {
        SlidingWindow window = quotaWindow(call, stamp);
        if (window != null) {
            window.add(stamp.nanos());
        }
    }

    /** The hourly window of an app that made a non-standard token request, once its quota is in force; else null. */
    private SlidingWindow quotaWindow(Call call, Stamp stamp) {
        if (call.endpoint() == Endpoint.TOKEN || !call.authenticated()) {
            return null;
        }
        Long from = quotaFrom.get(call.apiKey());
        if (from == null || stamp.nanos() < from) {
            return null;
        }
        return quotaWindows.computeIfAbsent(call.apiKey(), k -> new SlidingWindow(1, QUOTA_PERIOD.toNanos()));
    }

    private static void quotaHeaders(SimResponse r, long remaining) {
        r.header("GNCP-GW-Quota-Period", "HOURS").header("GNCP-GW-Quota-Limit", "1")
                .header("GNCP-GW-Quota-Remaining", Long.toString(remaining));
    }

    @Override
    public SimResponse throttled(Call call, Throttling throttling, Stamp stamp) {
        return gatewayError(429, "GW.RATE_LIMIT", "요청이 많아 서비스를 일시적으로 사용할 수 없습니다.", stamp);
    }

    @Override
    public SimResponse serverError(Call call, int status, Stamp stamp) {
        String code = switch (status) {
            case 503 -> "GW.BLOCK.01";
            case 504 -> "GW.TIMEOUT.01";
            default -> "GW.PROXY.01";
        };
        return gatewayError(status, code, "일시적인 오류가 발생했습니다.", stamp);
    }

    @Override
    public void decorate(SimResponse response, Call call, BudgetLevel level, Stamp stamp) {
        response.header("GNCP-GW-Trace-ID", traceId(stamp));
        if (level != null) {
            long rate = level.budget().limit() * 1_000_000_000L / level.budget().windowNanos();
            response.header("GNCP-GW-RateLimit-Replenish-Rate", Long.toString(rate))
                    .header("GNCP-GW-RateLimit-Burst-Capacity", Long.toString(level.budget().limit()))
                    .header("GNCP-GW-RateLimit-Remaining", Long.toString(Math.max(0, level.budget().limit() - level.calls())));
        }
        synchronized (this) {
            if (response.status() != 429 && quotaWindow(call, stamp) != null) {
                quotaHeaders(response, Math.max(0, 1 - quotaWindows.get(call.apiKey()).calls(stamp.nanos())));
            }
            if (call.context() instanceof TokenCall t) {
                tokenRequests.add(new TokenRequest(Instant.ofEpochSecond(0, stamp.nanos()), t.app.clientId(), call.sellerId(),
                        t.params.get("type"), t.params.get("account_id"), response.status(), t.issued, t.nonStandard));
            }
        }
    }

    private String traceId(Stamp stamp) {
        return String.format("%016x%016x", OrderBook.mix(config.seed() ^ stamp.sequence()), OrderBook.mix(stamp.sequence() * 31));
    }

    private ObjectNode envelope(String code, String message, Stamp stamp) {
        return Json.MAPPER.createObjectNode().put("code", code).put("message", message)
                .put("timestamp", kst(Instant.ofEpochSecond(0, stamp.nanos()))).put("traceId", traceId(stamp));
    }

    private SimResponse gatewayError(int status, String code, String message, Stamp stamp) {
        return SimResponse.of(status, envelope(code, message, stamp));
    }

    /** 400 with {@code invalidInputs[{name, type, message}]}; the message is also the top-level message. */
    private SimResponse badRequest(Stamp stamp, String name, String message) {
        ObjectNode body = envelope("BadRequest", message, stamp);
        body.putArray("invalidInputs").addObject().put("name", name).put("type", "Invalid").put("message", message);
        return SimResponse.of(400, body);
    }

    private Served bad(Stamp stamp, String name, String message) {
        return new Served(badRequest(stamp, name, message), Outcome.BAD_REQUEST);
    }

    // ---- token endpoint ----

    @Override
    public Served serve(SimRequest req, Call call, Stamp stamp) {
        return switch (call.endpoint()) {
            case TOKEN -> token((TokenCall) call.context(), call, stamp);
            case LIST_ORDERS -> lastChangedStatuses(req, call, stamp);
            case GET_ORDER -> query(req, call, stamp);
            default -> dispatch(req, call, stamp);
        };
    }

    private Served token(TokenCall t, Call call, Stamp stamp) {
        Map<String, String> p = t.params;
        String grant = p.get("grant_type");
        if (grant != null && !grant.equals("client_credentials")) {
            return bad(stamp, "grant_type", "grant_type 항목은 client_credentials 이어야 합니다.");
        }
        String timestamp = p.get("timestamp");
        if (timestamp == null || !timestamp.matches("\\d{13}")) {
            return bad(stamp, "timestamp", "timestamp 항목이 유효하지 않습니다. (밀리초 단위 Unix 시간, 13자리)");
        }
        long ts = Long.parseLong(timestamp);
        if (ts > stamp.millis()) {
            return bad(stamp, "timestamp", "timestamp 항목은 현재 이전이어야 합니다.");
        }
        if (ts < stamp.millis() - TIMESTAMP_WINDOW.toMillis()) {
            return bad(stamp, "timestamp", "timestamp항목의 유효 시간이 만료되었습니다.");
        }
        String sign = p.get("client_secret_sign");
        if (sign == null || !NaverSign.matches(t.app.clientId(), timestamp, t.app.clientSecret(), sign)) {
            return bad(stamp, "client_secret_sign", "client_secret_sign 항목이 유효하지 않습니다.");
        }
        String type = p.get("type");
        if (!"SELF".equals(type) && !"SELLER".equals(type)) {
            return bad(stamp, "type", "type 항목은 SELF 또는 SELLER 이어야 합니다.");
        }
        boolean solution = t.app.sellerId() == null;
        if (solution != type.equals("SELLER")) {
            return new Served(gatewayError(403, "ROLE_NOT_FOUND", "애플리케이션에 " + type + " 유형의 토큰을 발급할 권한이 없습니다.",
                    stamp), Outcome.FORBIDDEN);
        }
        if (solution && call.sellerId() == null) {
            return bad(stamp, "account_id", p.get("account_id") == null ? "account_id 항목은 type이 SELLER인 경우 필수입니다."
                    : "account_id 항목이 유효하지 않습니다.");
        }
        Token token;
        synchronized (this) {
            String key = t.app.clientId() + "|" + type + "|" + (solution ? p.get("account_id") : "");
            token = current.get(key);
            if (token == null || token.revoked || token.expiresAt - stamp.nanos() < REISSUE_BELOW.toNanos()) {
                StringBuilder value = new StringBuilder(32);
                for (int i = 0; i < 32; i++) {
                    value.append(BASE62.charAt(tokenRandom.nextInt(BASE62.length())));
                }
                token = new Token(value.toString(), t.app.clientId(), call.sellerId(), stamp.nanos() + TOKEN_LIFETIME.toNanos());
                tokens.put(token.value, token);
                current.put(key, token);
                t.issued = true;
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("access_token", token.value)
                .put("expires_in", (token.expiresAt - stamp.nanos()) / 1_000_000_000L).put("token_type", "Bearer");
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    // ---- order APIs ----

    private ObjectNode ok(Stamp stamp) {
        return Json.MAPPER.createObjectNode().put("timestamp", kst(Instant.ofEpochSecond(0, stamp.nanos())))
                .put("traceId", traceId(stamp));
    }

    private Served lastChangedStatuses(SimRequest req, Call call, Stamp stamp) {
        Map<String, String> q = req.query();
        Optional<Instant> from = instant(q.get("lastChangedFrom"));
        if (from.isEmpty()) {
            return bad(stamp, "lastChangedFrom", describe("lastChangedFrom", q.get("lastChangedFrom")));
        }
        Instant to = from.get().plus(MAX_RANGE);
        if (q.containsKey("lastChangedTo")) {
            Optional<Instant> given = instant(q.get("lastChangedTo"));
            if (given.isEmpty()) {
                return bad(stamp, "lastChangedTo", describe("lastChangedTo", q.get("lastChangedTo")));
            }
            to = given.get();
        }
        if (!to.isAfter(from.get())) {
            return bad(stamp, "lastChangedTo", "lastChangedTo 항목은 lastChangedFrom 이후여야 합니다.");
        }
        if (Duration.between(from.get(), to).compareTo(MAX_RANGE) > 0) {
            return bad(stamp, "lastChangedTo", "lastChangedFrom과 lastChangedTo의 간격은 24시간 이내여야 합니다.");
        }
        String type = q.get("lastChangedType");
        if (type != null && !CHANGE_TYPES.contains(type)) {
            return bad(stamp, "lastChangedType", "lastChangedType 항목이 유효하지 않습니다: " + type);
        }
        int limit = MAX_LIMIT_COUNT;
        if (q.containsKey("limitCount")) {
            try {
                limit = Integer.parseInt(q.get("limitCount"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT_COUNT) {
                return bad(stamp, "limitCount", "limitCount 항목은 1 이상 " + MAX_LIMIT_COUNT + " 이하여야 합니다.");
            }
        }
        OrderBook.CursorKey after = null;
        String sequence = q.get("moreSequence");
        if (sequence != null) {
            if (!sequence.matches("2\\d{14}")) {
                return bad(stamp, "moreSequence", "moreSequence 항목이 유효하지 않습니다.");
            }
            after = new OrderBook.CursorKey(from.get().toEpochMilli(), sequence);
        }
        List<Order> page = orders.page(call.sellerId(), from.get(), to, after, limit + 1,
                o -> type == null || type.equals(changeType(o)));
        boolean more = page.size() > limit;
        List<Order> shown = more ? page.subList(0, limit) : page;
        ObjectNode body = ok(stamp);
        ObjectNode data = body.putObject("data");
        ArrayNode list = data.putArray("lastChangeStatuses");
        for (Order o : shown) {
            ObjectNode n = list.addObject()
                    .put("orderId", orderId(o))
                    .put("productOrderId", o.orderId())
                    .put("lastChangedType", changeType(o))
                    .put("lastChangedDate", kst(o.updatedAt()))
                    .put("paymentDate", kst(paymentDate(o)))
                    .put("productOrderStatus", o.status());
            claim(o, n);
            n.put("receiverAddressChanged", false);
        }
        data.put("count", shown.size());
        if (more) {
            Order last = shown.get(shown.size() - 1);
            data.putObject("more").put("moreFrom", kst(last.updatedAt())).put("moreSequence", last.orderId());
        }
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private Served query(SimRequest req, Call call, Stamp stamp) {
        JsonNode ids = jsonBody(req) == null ? null : jsonBody(req).get("productOrderIds");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_QUERY_IDS) {
            return bad(stamp, "productOrderIds", "productOrderIds 항목은 1개 이상 " + MAX_QUERY_IDS + "개 이하의 상품주문번호 목록이어야 합니다.");
        }
        ObjectNode body = ok(stamp);
        ArrayNode data = body.putArray("data");
        for (JsonNode id : ids) {
            orders.find(call.sellerId(), id.asText())
                    .ifPresent(o -> data.add(detail(o, ledger.find(call.sellerId(), o.orderId()))));
        }
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private Served dispatch(SimRequest req, Call call, Stamp stamp) {
        JsonNode root = jsonBody(req);
        JsonNode items = root == null ? null : root.get("dispatchProductOrders");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_DISPATCH) {
            return bad(stamp, "dispatchProductOrders", "dispatchProductOrders 항목은 1개 이상 " + MAX_DISPATCH + "개 이하여야 합니다.");
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "dispatchProductOrders[" + i + "].";
            for (String field : List.of("productOrderId", "deliveryMethod", "dispatchDate")) {
                if (item.get(field) == null || item.get(field).asText().isBlank()) {
                    return bad(stamp, at + field, at + field + " 항목은 필수입니다.");
                }
            }
            if (instant(item.get("dispatchDate").asText()).isEmpty()) {
                return bad(stamp, at + "dispatchDate", describe(at + "dispatchDate", item.get("dispatchDate").asText()));
            }
            if (item.get("deliveryMethod").asText().equals("DELIVERY")) {
                for (String field : List.of("deliveryCompanyCode", "trackingNumber")) {
                    if (item.get(field) == null || item.get(field).asText().isBlank()) {
                        return bad(stamp, at + field, at + field + " 항목은 deliveryMethod가 DELIVERY인 경우 필수입니다.");
                    }
                }
            }
        }
        ObjectNode body = ok(stamp);
        ObjectNode data = body.putObject("data");
        ArrayNode success = data.putArray("successProductOrderIds");
        ArrayNode failed = data.putArray("failProductOrderInfos");
        int alreadyDispatched = 0;
        for (JsonNode item : items) {
            String id = item.get("productOrderId").asText();
            Optional<Order> order = orders.find(call.sellerId(), id);
            String code = null;
            String message = null;
            if (order.isEmpty()) {
                boolean someoneElses = config.sellers().stream().anyMatch(s -> orders.find(s, id).isPresent());
                code = someoneElses ? "101009" : "100001";
                message = someoneElses ? "판매자의 상품주문이 아닙니다." : "상품주문이 존재하지 않습니다.";
            } else if (ledger.find(call.sellerId(), id).isPresent()) {
                code = "105306";
                message = "이미 발송처리된 상품주문입니다.";
                alreadyDispatched++;
            } else if (!order.get().status().equals("PAYED")) {
                code = "104442";
                message = "상품주문 상태를 확인해 주세요. (" + order.get().status() + ")";
            } else {
                String carrier = item.get("deliveryMethod").asText().equals("DELIVERY")
                        ? item.get("deliveryCompanyCode").asText() : item.get("deliveryMethod").asText();
                String tracking = item.get("trackingNumber") == null ? "" : item.get("trackingNumber").asText();
                if (ledger.record(call.sellerId(), id, carrier, tracking, stamp.nanos()).isEmpty()) {
                    code = "105306";
                    message = "이미 발송처리된 상품주문입니다.";
                    alreadyDispatched++;
                }
            }
            if (code == null) {
                success.add(id);
            } else {
                failed.addObject().put("productOrderId", id).put("code", code).put("message", message);
            }
        }
        Outcome outcome = !success.isEmpty() ? Outcome.CREATED : alreadyDispatched == items.size() ? Outcome.DUPLICATE : Outcome.OK;
        return new Served(SimResponse.of(200, body), outcome);
    }

    // ---- rendering ----

    /** Naver's orderId of a product order: the productOrderId with the protocol digit 3 instead of 2. */
    static String orderId(Order o) {
        return "3" + o.orderId().substring(1);
    }

    static String changeType(Order o) {
        return switch (o.status()) {
            case "PAYED" -> "PAYED";
            case "DELIVERING" -> "DISPATCHED";
            case "CANCELED" -> "CLAIM_COMPLETED";
            default -> o.status();
        };
    }

    private static Instant paymentDate(Order o) {
        return o.status().equals("PAYED") ? o.updatedAt() : o.orderedAt();
    }

    private static void claim(Order o, ObjectNode n) {
        if (o.status().equals("CANCELED")) {
            n.put("claimType", "CANCEL").put("claimStatus", "CANCEL_DONE");
        }
    }

    private ObjectNode detail(Order o, Optional<Shipment> shipped) {
        SplittableRandom r = new SplittableRandom(OrderBook.fnv64(o.orderId()));
        String name = SimulatedPeople.name(r);
        String tel = "010-****-" + String.format("%04d", r.nextInt(10_000));
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.putObject("order")
                .put("orderId", orderId(o))
                .put("orderDate", kst(o.orderedAt()))
                .put("paymentDate", kst(paymentDate(o)))
                .put("ordererId", "sim****")
                .put("ordererName", name)
                .put("ordererTel", tel)
                .put("paymentMeans", "신용카드")
                .put("generalPaymentAmount", o.totalPrice())
                .put("orderDiscountAmount", 0);
        long productNo = 5_000_000_000L + Math.floorMod(OrderBook.fnv64(o.orderId() + "/product"), 1_000_000_000L);
        ObjectNode p = n.putObject("productOrder")
                .put("productOrderId", o.orderId())
                .put("productOrderStatus", shipped.isPresent() ? "DELIVERING" : o.status())
                .put("placeOrderStatus", "OK");
        claim(o, p);
        p.put("quantity", o.itemCount())
                .put("unitPrice", o.totalPrice() / o.itemCount())
                .put("totalProductAmount", o.totalPrice())
                .put("totalPaymentAmount", o.totalPrice())
                .put("deliveryFeeAmount", o.totalPrice() >= 30_000 ? 0 : 3000)
                .put("productId", Long.toString(productNo))
                .put("productName", "시뮬레이션 상품 " + productNo)
                .put("productOption", "옵션: 기본")
                .put("expectedDeliveryMethod", "DELIVERY");
        p.putObject("shippingAddress").put("name", name).put("tel1", tel).put("baseAddress", SimulatedPeople.address(r))
                .put("detailedAddress", (1 + r.nextInt(20)) + "동 *호").put("zipCode", String.format("%05d", r.nextInt(100_000)))
                .put("addressType", "DOMESTIC");
        if (shipped.isPresent()) {
            n.putObject("delivery").put("deliveryCompany", shipped.get().carrier()).put("trackingNumber", shipped.get().trackingNumber())
                    .put("deliveryMethod", "DELIVERY").put("sendDate", kst(shipped.get().createdAt()))
                    .put("deliveryStatus", "DELIVERING");
        } else if (!o.status().equals("PAYED") && !o.status().equals("CANCELED")) {
            n.putObject("delivery").put("deliveryCompany", "CJGLS")
                    .put("trackingNumber", "5" + String.format("%011d", Math.floorMod(OrderBook.fnv64(o.orderId() + "/invoice"), 100_000_000_000L)))
                    .put("deliveryMethod", "DELIVERY").put("sendDate", kst(o.updatedAt()))
                    .put("deliveryStatus", o.status().equals("DELIVERING") ? "DELIVERING" : "DELIVERY_COMPLETION");
        }
        return n;
    }

    private static JsonNode jsonBody(SimRequest req) {
        try {
            JsonNode n = req.body().length == 0 ? null : Json.MAPPER.readTree(req.body());
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String kst(Instant t) {
        return t.atOffset(KST).format(KST_MILLIS);
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
        return value == null ? field + " 항목은 필수입니다. (ISO-8601, 예: 2022-04-11T15:21:44.000+09:00)"
                : field + " 항목의 형식이 올바르지 않습니다: '" + value + "' (ISO-8601 with offset; '+' must be sent as %2B)";
    }

    /** The product order a dispatch names first, for its arrival record; null when the body does not say. */
    private static String firstDispatchedOf(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode id = Json.MAPPER.readTree(body).path("dispatchProductOrders")
                    .path(0).path("productOrderId");
            return id.isTextual() || id.isNumber() ? id.asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null; // the endpoint answers the malformed body itself
        }
    }
}
