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
    static final int MAX_QNA_PAGE = 100;
    static final int MAX_PRODUCT_PAGE = 500;
    static final int MAX_SETTLE_PAGE = 1000;
    static final long MAX_SALE_PRICE = 999_999_990L;
    static final long MAX_STOCK = 99_999_999L;
    static final ZoneOffset KST = ZoneOffset.ofHours(9);
    static final Set<String> CHANGE_TYPES = Set.of("PAY_WAITING", "PAYED", "EXCHANGE_OPTION", "DELIVERY_ADDRESS_CHANGED",
            "GIFT_RECEIVED", "CLAIM_REJECTED", "DISPATCHED", "CLAIM_REQUESTED", "COLLECT_DONE", "CLAIM_COMPLETED",
            "PURCHASE_DECIDED", "HOPE_DELIVERY_INFO_CHANGED", "CLAIM_REDELIVERING");
    /** The change types of claims, under which the simulator lists its record book's claims too. */
    static final Set<String> CLAIM_CHANGE_TYPES = Set.of("CLAIM_REQUESTED", "COLLECT_DONE", "CLAIM_COMPLETED", "CLAIM_REJECTED",
            "CLAIM_REDELIVERING");
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
    /** Product orders acknowledged (발주확인), as {@code seller|productOrderId}. */
    private final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Answers replaced by a second answer (Naver's PUT registers or edits), by question id. */
    private final Map<String, String> edits = new java.util.concurrent.ConcurrentHashMap<>();
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
        acknowledged.clear();
        edits.clear();
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
        Route route = route(s);
        Endpoint endpoint = route.endpoint();
        String method = route.method();
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
        String orderId = switch (endpoint) {
            case CREATE_SHIPMENT -> firstDispatchedOf(req.body());
            case DECIDE_CLAIM, ANSWER_INQUIRY, CHANGE_SALE_STATUS -> route.id();
            default -> null;
        };
        return Call.admitted(endpoint, token.clientId, token.sellerId, orderId, route);
    }

    /**
     * Which API a path is, with the method it takes: each is its own bucket at Naver (its own {@link Endpoint} here, so
     * budgets of scope {@link io.marketgate.marketsim.Scope#API_KEY_ENDPOINT} count per API), except the five claim
     * decisions, one {@link Endpoint#DECIDE_CLAIM} (stricter than Naver).
     *
     * @param id    the path's product order, question or product number; null when it has none
     * @param claim the claim type of a claim decision ({@code cancel}, {@code return}, {@code exchange})
     * @param op    a claim decision's {@code approve} or {@code reject}
     */
    record Route(Endpoint endpoint, String method, String id, String claim, String op) {
        static final Route UNKNOWN = new Route(Endpoint.UNKNOWN, null, null, null, null);

        static Route of(Endpoint endpoint, String method) {
            return new Route(endpoint, method, null, null, null);
        }
    }

    static Route route(List<String> s) {
        if (s.size() > ORDERS.size() && s.subList(0, ORDERS.size()).equals(ORDERS)) {
            List<String> rest = s.subList(ORDERS.size(), s.size());
            if (rest.size() == 1) {
                return switch (rest.get(0)) {
                    case "last-changed-statuses" -> Route.of(Endpoint.LIST_ORDERS, "GET");
                    case "query" -> Route.of(Endpoint.GET_ORDER, "POST");
                    case "dispatch" -> Route.of(Endpoint.CREATE_SHIPMENT, "POST");
                    case "confirm" -> Route.of(Endpoint.ACKNOWLEDGE_ORDER, "POST");
                    default -> Route.UNKNOWN;
                };
            }
            String id = rest.get(0);
            List<String> claim = rest.subList(1, rest.size());
            if (claim.equals(List.of("claim", "cancel", "approve"))
                    || claim.equals(List.of("claim", "return", "approve")) || claim.equals(List.of("claim", "return", "reject"))
                    || claim.equals(List.of("claim", "exchange", "reject"))) {
                return new Route(Endpoint.DECIDE_CLAIM, "POST", id, claim.get(1), claim.get(2));
            }
            if (claim.equals(List.of("claim", "exchange", "collect", "approve"))) {
                return new Route(Endpoint.DECIDE_CLAIM, "POST", id, "exchange", "approve");
            }
            return Route.UNKNOWN;
        }
        if (s.equals(List.of("external", "v1", "contents", "qnas"))) {
            return Route.of(Endpoint.LIST_INQUIRIES, "GET");
        }
        if (s.size() == 5 && s.subList(0, 4).equals(List.of("external", "v1", "contents", "qnas"))) {
            return new Route(Endpoint.ANSWER_INQUIRY, "PUT", s.get(4), null, null);
        }
        if (s.equals(List.of("external", "v1", "products", "search"))) {
            return Route.of(Endpoint.LIST_PRODUCTS, "POST");
        }
        if (s.equals(List.of("external", "v1", "products", "origin-products", "multi-update"))) {
            return Route.of(Endpoint.CHANGE_PRODUCT, "PATCH");
        }
        if (s.size() == 6 && s.subList(0, 4).equals(List.of("external", "v1", "products", "origin-products"))
                && s.get(5).equals("change-status")) {
            return new Route(Endpoint.CHANGE_SALE_STATUS, "PUT", s.get(4), null, null);
        }
        if (s.equals(List.of("external", "v1", "pay-settle", "settle", "daily"))) {
            return Route.of(Endpoint.LIST_SETTLEMENTS, "GET");
        }
        return Route.UNKNOWN;
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
            case CREATE_SHIPMENT -> dispatch(req, call, stamp);
            case ACKNOWLEDGE_ORDER -> confirm(req, call, stamp);
            case DECIDE_CLAIM -> decideClaim(req, call, (Route) call.context(), stamp);
            case LIST_INQUIRIES -> qnas(req, call, stamp);
            case ANSWER_INQUIRY -> answer(req, call, (Route) call.context(), stamp);
            case LIST_PRODUCTS -> searchProducts(req, call, stamp);
            case CHANGE_PRODUCT -> multiUpdate(req, call, stamp);
            case CHANGE_SALE_STATUS -> changeStatus(req, call, (Route) call.context(), stamp);
            case LIST_SETTLEMENTS -> dailySettlements(req, call, stamp);
            default -> new Served(gatewayError(404, "GW.NOT_FOUND", "요청한 API를 찾을 수 없습니다.", stamp), Outcome.NOT_FOUND);
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
        List<Row> rows = new ArrayList<>();
        if (type != null && CLAIM_CHANGE_TYPES.contains(type)) {
            // a claim's change: the order book's product orders of that change type, and the record book's claims
            for (Order o : orders.page(call.sellerId(), from.get(), to, after, Integer.MAX_VALUE, o -> type.equals(changeType(o)))) {
                rows.add(row(o));
            }
            for (RecordBook.SimRecord claim : records.changedBetween(call.sellerId(), RecordBook.Kind.CLAIMS, from.get(), to)) {
                Row row = claimRow(claim);
                boolean inRange = !row.changed().isBefore(from.get()) && row.changed().isBefore(to);
                if (inRange && type.equals(row.item().get("lastChangedType").asText()) && (after == null || after.updatedAtMillis()
                        < row.changed().toEpochMilli() || (after.updatedAtMillis() == row.changed().toEpochMilli()
                        && after.orderId().compareTo(row.productOrderId()) < 0))) {
                    rows.add(row);
                }
            }
            rows.sort(java.util.Comparator.comparing((Row r) -> r.changed().toEpochMilli()).thenComparing(Row::productOrderId));
            if (rows.size() > limit + 1) {
                rows = new ArrayList<>(rows.subList(0, limit + 1));
            }
        } else {
            for (Order o : orders.page(call.sellerId(), from.get(), to, after, limit + 1,
                    o -> type == null || type.equals(changeType(o)))) {
                rows.add(row(o));
            }
        }
        boolean more = rows.size() > limit;
        List<Row> shown = more ? rows.subList(0, limit) : rows;
        ObjectNode body = ok(stamp);
        ObjectNode data = body.putObject("data");
        ArrayNode list = data.putArray("lastChangeStatuses");
        shown.forEach(r -> list.add(r.item()));
        data.put("count", shown.size());
        if (more) {
            Row last = shown.get(shown.size() - 1);
            data.putObject("more").put("moreFrom", kst(last.changed())).put("moreSequence", last.productOrderId());
        }
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    /** One item of the last-changed list: when it changed, its product order, and the item as Naver renders it. */
    private record Row(Instant changed, String productOrderId, ObjectNode item) {}

    private static Row row(Order o) {
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("orderId", orderId(o))
                .put("productOrderId", o.orderId())
                .put("lastChangedType", changeType(o))
                .put("lastChangedDate", kst(o.updatedAt()))
                .put("paymentDate", kst(paymentDate(o)))
                .put("productOrderStatus", o.status());
        claim(o, n);
        n.put("receiverAddressChanged", false);
        return new Row(o.updatedAt(), o.orderId(), n);
    }

    /**
     * A claim of the record book as Naver lists it: the product order {@code 2 + claim id} (15 digits, as Naver's), its
     * order id, its claimType, and its state as claimStatus and last change type: REQUESTED {@code *_REQUEST}
     * (CLAIM_REQUESTED); IN_PROGRESS {@code CANCELING} (CLAIM_REQUESTED), {@code COLLECT_DONE} (COLLECT_DONE) or
     * {@code EXCHANGE_REDELIVERING} (CLAIM_REDELIVERING); COMPLETED {@code *_DONE} (CLAIM_COMPLETED); REJECTED and
     * WITHDRAWN {@code *_REJECT} (CLAIM_REJECTED: Naver's "철회" stands for both).
     */
    static Row claimRow(RecordBook.SimRecord claim) {
        String type = claim.attrs().get("claimType");
        String[] status = claimStatus(type, claim.state());
        String productOrderStatus = switch (type) {
            case "CANCEL" -> claim.state().equals("COMPLETED") ? "CANCELED" : "PAYED";
            case "RETURN" -> claim.state().equals("COMPLETED") ? "RETURNED" : "DELIVERED";
            default -> claim.state().equals("COMPLETED") ? "EXCHANGED" : "DELIVERED";
        };
        String productOrderId = claimProductOrderId(claim);
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("orderId", claim.attrs().get("orderId"))
                .put("productOrderId", productOrderId)
                .put("lastChangedType", status[1])
                .put("lastChangedDate", kst(claim.updatedAt()))
                .put("paymentDate", kst(claim.createdAt().minus(Duration.ofDays(2))))
                .put("productOrderStatus", productOrderStatus)
                .put("claimType", type)
                .put("claimStatus", status[0])
                .put("receiverAddressChanged", false);
        return new Row(claim.updatedAt(), productOrderId, n);
    }

    /** {@code [claimStatus, lastChangedType]} of a record-book claim of {@code type} in {@code state}. */
    private static String[] claimStatus(String type, String state) {
        return switch (state) {
            case "REQUESTED" -> new String[] {type + "_REQUEST", "CLAIM_REQUESTED"};
            case "IN_PROGRESS" -> switch (type) {
                case "CANCEL" -> new String[] {"CANCELING", "CLAIM_REQUESTED"};
                case "RETURN" -> new String[] {"COLLECT_DONE", "COLLECT_DONE"};
                default -> new String[] {"EXCHANGE_REDELIVERING", "CLAIM_REDELIVERING"};
            };
            case "COMPLETED" -> new String[] {type + "_DONE", "CLAIM_COMPLETED"};
            default -> new String[] {type + "_REJECT", "CLAIM_REJECTED"};
        };
    }

    /** The product order a record-book claim is on: {@code 2} and the claim's 14-digit id. */
    static String claimProductOrderId(RecordBook.SimRecord claim) {
        return "2" + claim.id();
    }

    /** The record-book claim on product order {@code productOrderId}, if it is one. */
    private Optional<RecordBook.SimRecord> claimOf(String seller, String productOrderId) {
        if (productOrderId == null || productOrderId.length() != 15 || !productOrderId.startsWith("25")) {
            return Optional.empty();
        }
        return records.find(seller, productOrderId.substring(1)).filter(r -> r.kind() == RecordBook.Kind.CLAIMS);
    }

    private Served query(SimRequest req, Call call, Stamp stamp) {
        JsonNode ids = jsonBody(req) == null ? null : jsonBody(req).get("productOrderIds");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_QUERY_IDS) {
            return bad(stamp, "productOrderIds", "productOrderIds 항목은 1개 이상 " + MAX_QUERY_IDS + "개 이하의 상품주문번호 목록이어야 합니다.");
        }
        ObjectNode body = ok(stamp);
        ArrayNode data = body.putArray("data");
        for (JsonNode id : ids) {
            Optional<Order> order = orders.find(call.sellerId(), id.asText());
            if (order.isPresent()) {
                data.add(detail(order.get(), ledger.find(call.sellerId(), order.get().orderId())));
            } else {
                claimOf(call.sellerId(), id.asText()).ifPresent(c -> data.add(claimDetail(c)));
            }
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

    // ---- acknowledgement and claims ----

    /** 발주확인: POST …/confirm {productOrderIds[≤30]}; each id a success or a failure with its code, in HTTP 200. */
    private Served confirm(SimRequest req, Call call, Stamp stamp) {
        JsonNode root = jsonBody(req);
        JsonNode ids = root == null ? null : root.get("productOrderIds");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_DISPATCH) {
            return bad(stamp, "productOrderIds", "productOrderIds 항목은 1개 이상 " + MAX_DISPATCH + "개 이하의 상품주문번호 목록이어야 합니다.");
        }
        ObjectNode body = ok(stamp);
        ObjectNode data = body.putObject("data");
        ArrayNode success = data.putArray("successProductOrderInfos");
        ArrayNode failed = data.putArray("failProductOrderInfos");
        int repeats = 0;
        for (JsonNode idNode : ids) {
            String id = idNode.asText();
            Optional<Order> order = orders.find(call.sellerId(), id);
            String[] failure = null;
            if (order.isEmpty()) {
                failure = notFound(id);
            } else if (!order.get().status().equals("PAYED") || ledger.find(call.sellerId(), id).isPresent()) {
                failure = new String[] {"104442", "상품 주문 상태 확인 필요 (" + order.get().status() + ")"};
            } else if (!acknowledged.add(call(order.get()))) {
                failure = new String[] {"105306", "변경을 요청한 상태가 기존과 동일합니다. (발주확인)"};
                repeats++;
            }
            if (failure == null) {
                success.addObject().put("productOrderId", id).put("isReceiverAddressChanged", false);
            } else {
                failed.addObject().put("productOrderId", id).put("code", failure[0]).put("message", failure[1]);
            }
        }
        Outcome outcome = !success.isEmpty() ? Outcome.CREATED : repeats == ids.size() ? Outcome.DUPLICATE : Outcome.OK;
        return new Served(SimResponse.of(200, body), outcome);
    }

    private String[] notFound(String productOrderId) {
        boolean someoneElses = config.sellers().stream().anyMatch(s -> orders.find(s, productOrderId).isPresent()
                || claimOf(s, productOrderId).isPresent());
        return someoneElses ? new String[] {"101009", "처리 권한이 없는 상품 주문 번호입니다."}
                : new String[] {"100001", "상품 주문을 찾을 수 없습니다."};
    }

    /**
     * A claim decision on one product order: {@code cancel/approve}, {@code return/approve|reject} (with
     * {@code rejectReturnReason}), {@code exchange/collect/approve}, {@code exchange/reject} (with
     * {@code rejectExchangeReason}); answered in HTTP 200 as a success or a failure with its code.
     */
    private Served decideClaim(SimRequest req, Call call, Route route, Stamp stamp) {
        boolean approve = route.op().equals("approve");
        String reason = null;
        if (!approve) {
            String field = route.claim().equals("return") ? "rejectReturnReason" : "rejectExchangeReason";
            JsonNode root = jsonBody(req);
            JsonNode value = root == null ? null : root.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                return bad(stamp, field, field + " 항목은 필수입니다.");
            }
            reason = value.asText();
        }
        String id = route.id();
        ObjectNode body = ok(stamp);
        ObjectNode data = body.putObject("data");
        ArrayNode success = data.putArray("successProductOrderIds");
        ArrayNode failed = data.putArray("failProductOrderInfos");
        Optional<RecordBook.SimRecord> claim = claimOf(call.sellerId(), id);
        String[] failure;
        Outcome outcome = Outcome.OK;
        if (claim.isEmpty()) {
            failure = orders.find(call.sellerId(), id).isPresent()
                    ? new String[] {"104442", "상품 주문 상태 확인 필요 (요청된 클레임이 없습니다)"} : notFound(id);
        } else if (!claim.get().attrs().get("claimType").equalsIgnoreCase(route.claim())) {
            failure = new String[] {"104442", "상품 주문 상태 확인 필요 (클레임 유형: " + claim.get().attrs().get("claimType") + ")"};
        } else {
            RecordBook.Outcome decided = records.decideClaim(call.sellerId(), claim.get().id(), approve, reason);
            failure = switch (decided.applied()) {
                case DONE -> null;
                case ALREADY -> new String[] {"105306", "변경을 요청한 상태가 기존과 동일합니다."};
                case REFUSED -> new String[] {"104442", "상품 주문 상태 확인 필요 (" + decided.reason() + ")"};
                case NOT_FOUND -> notFound(id);
            };
            outcome = decided.applied() == RecordBook.Applied.DONE ? Outcome.CREATED
                    : decided.applied() == RecordBook.Applied.ALREADY ? Outcome.DUPLICATE : Outcome.OK;
        }
        if (failure == null) {
            success.add(id);
        } else {
            failed.addObject().put("productOrderId", id).put("code", failure[0]).put("message", failure[1]);
        }
        return new Served(SimResponse.of(200, body), outcome);
    }

    // ---- product Q&A ----

    /**
     * {@code GET /v1/contents/qnas?page&size(≤100)&answered&fromDate&toDate}: the questions asked in the range, oldest
     * first, a page of them by number (from 1).
     */
    private Served qnas(SimRequest req, Call call, Stamp stamp) {
        Map<String, String> q = req.query();
        Optional<Instant> from = instant(q.get("fromDate"));
        if (from.isEmpty()) {
            return bad(stamp, "fromDate", describe("fromDate", q.get("fromDate")));
        }
        Optional<Instant> to = instant(q.get("toDate"));
        if (to.isEmpty()) {
            return bad(stamp, "toDate", describe("toDate", q.get("toDate")));
        }
        if (!to.get().isAfter(from.get())) {
            return bad(stamp, "toDate", "toDate 항목은 fromDate 이후여야 합니다.");
        }
        Integer page = number(q.get("page"), 1, 1, Integer.MAX_VALUE);
        if (page == null) {
            return bad(stamp, "page", "page 항목은 1 이상이어야 합니다.");
        }
        Integer size = number(q.get("size"), MAX_QNA_PAGE, 1, MAX_QNA_PAGE);
        if (size == null) {
            return bad(stamp, "size", "size 항목은 1 이상 " + MAX_QNA_PAGE + " 이하여야 합니다.");
        }
        String answered = q.get("answered");
        if (answered != null && !answered.equals("true") && !answered.equals("false")) {
            return bad(stamp, "answered", "answered 항목은 true 또는 false 이어야 합니다.");
        }
        List<RecordBook.SimRecord> all = new ArrayList<>();
        for (RecordBook.SimRecord r : records.between(call.sellerId(), RecordBook.Kind.INQUIRIES, from.get(), to.get())) {
            boolean isAnswered = r.state().equals("ANSWERED");
            if (answered == null || answered.equals(Boolean.toString(isAnswered))) {
                all.add(r);
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode contents = body.putArray("contents");
        for (RecordBook.SimRecord r : pageOf(all, page, size)) {
            String answer = edits.getOrDefault(r.id(), r.attrs().get("answer"));
            ObjectNode n = contents.addObject().put("createDate", kst(r.createdAt())).put("question", r.attrs().get("question"));
            if (answer != null) {
                n.put("answer", answer);
            } else {
                n.putNull("answer");
            }
            n.put("answered", r.state().equals("ANSWERED")).put("productId", channelProductNo(r.attrs().get("productId")))
                    .put("productName", "시뮬레이션 상품 " + r.attrs().get("productId")).put("maskedWriterId", "buy****")
                    .put("questionId", Long.parseLong(r.id()));
        }
        paged(body, page, size, all.size());
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    /**
     * {@code PUT /v1/contents/qnas/{questionId} {commentContent}}: registers the answer, or replaces it when the question
     * has one (Naver's "답변 등록/수정"); 204. The same answer again changes nothing.
     */
    private Served answer(SimRequest req, Call call, Route route, Stamp stamp) {
        JsonNode root = jsonBody(req);
        JsonNode text = root == null ? null : root.get("commentContent");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            return bad(stamp, "commentContent", "commentContent 항목은 필수입니다.");
        }
        Optional<RecordBook.SimRecord> question = route.id().matches("6\\d{13}")
                ? records.find(call.sellerId(), route.id()).filter(r -> r.kind() == RecordBook.Kind.INQUIRIES) : Optional.empty();
        if (question.isEmpty()) {
            return new Served(apiError(404, "NOT_FOUND", "상품 문의를 찾을 수 없습니다. (questionId: " + route.id() + ")", stamp),
                    Outcome.NOT_FOUND);
        }
        String current = edits.getOrDefault(question.get().id(), question.get().attrs().get("answer"));
        Outcome outcome;
        if (question.get().state().equals("ANSWERED") && !text.asText().equals(current)) {
            edits.put(question.get().id(), text.asText()); // Naver replaces an answer
            outcome = Outcome.CREATED;
        } else {
            RecordBook.Outcome applied = records.answer(call.sellerId(), question.get().id(), text.asText());
            outcome = applied.applied() == RecordBook.Applied.DONE ? Outcome.CREATED : Outcome.DUPLICATE;
        }
        return new Served(new SimResponse(204, new LinkedHashMap<>(), null), outcome);
    }

    // ---- products ----

    /**
     * {@code POST /v1/products/search {page, size(≤500), periodType, fromDate, toDate, …}}: the seller's origin products
     * changed on the dates {@code fromDate} to {@code toDate} (yyyy-MM-dd, KST, both included) when {@code periodType} is
     * {@code PROD_MOD_DAY} (registered on them for {@code PROD_REG_DAY}), oldest first, a page of them by number. The
     * simulator needs the period: it has no list of all of a seller's products.
     */
    private Served searchProducts(SimRequest req, Call call, Stamp stamp) {
        JsonNode root = jsonBody(req);
        if (root == null) {
            return bad(stamp, "body", "요청 본문이 올바르지 않습니다.");
        }
        Integer page = number(root.path("page"), 1, 1, Integer.MAX_VALUE);
        if (page == null) {
            return bad(stamp, "page", "page 항목은 1 이상이어야 합니다.");
        }
        Integer size = number(root.path("size"), 50, 1, MAX_PRODUCT_PAGE);
        if (size == null) {
            return bad(stamp, "size", "size 항목은 1 이상 " + MAX_PRODUCT_PAGE + " 이하여야 합니다.");
        }
        String period = root.path("periodType").asText("");
        if (!period.equals("PROD_MOD_DAY") && !period.equals("PROD_REG_DAY")) {
            return bad(stamp, "periodType", "periodType 항목은 PROD_REG_DAY 또는 PROD_MOD_DAY 이어야 합니다. (simulator: a period is required)");
        }
        Optional<java.time.LocalDate> from = date(root.path("fromDate").asText(null));
        Optional<java.time.LocalDate> to = date(root.path("toDate").asText(null));
        if (from.isEmpty()) {
            return bad(stamp, "fromDate", "fromDate 항목은 yyyy-MM-dd 형식이어야 합니다.");
        }
        if (to.isEmpty() || to.get().isBefore(from.get())) {
            return bad(stamp, "toDate", "toDate 항목은 yyyy-MM-dd 형식이며 fromDate 이후여야 합니다.");
        }
        Instant start = from.get().atStartOfDay(KST).toInstant();
        Instant end = to.get().plusDays(1).atStartOfDay(KST).toInstant();
        List<RecordBook.SimRecord> all = new ArrayList<>();
        for (RecordBook.SimRecord r : period.equals("PROD_REG_DAY")
                ? records.between(call.sellerId(), RecordBook.Kind.PRODUCTS, start, end)
                : records.changedBetween(call.sellerId(), RecordBook.Kind.PRODUCTS, start, end)) {
            if (period.equals("PROD_REG_DAY") || !r.updatedAt().isBefore(start) && r.updatedAt().isBefore(end)) {
                all.add(r);
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode contents = body.putArray("contents");
        for (RecordBook.SimRecord r : pageOf(all, page, size)) {
            long origin = Long.parseLong(r.id());
            ObjectNode n = contents.addObject().put("originProductNo", origin);
            n.putArray("channelProducts").addObject()
                    .put("originProductNo", origin)
                    .put("channelProductNo", channelProductNo(r.id()))
                    .put("channelServiceType", "STOREFARM")
                    .put("categoryId", "50000803")
                    .put("name", r.attrs().get("name"))
                    .put("statusType", productStatus(r.state()))
                    .put("channelProductDisplayStatusType", r.state().equals("ON_SALE") ? "ON" : "SUSPENSION")
                    .put("salePrice", Long.parseLong(r.attrs().get("price")))
                    .put("stockQuantity", Integer.parseInt(r.attrs().get("stock")))
                    .put("deliveryAttributeType", "NORMAL")
                    .put("deliveryFee", 3000)
                    .put("regDate", kst(r.createdAt()))
                    .put("modifiedDate", kst(r.updatedAt()));
        }
        paged(body, page, size, all.size());
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    /** Naver's statusType of a record-book product state. */
    static String productStatus(String state) {
        return switch (state) {
            case "ON_SALE" -> "SALE";
            case "SOLD_OUT" -> "OUTOFSTOCK";
            case "SUSPENDED" -> "SUSPENSION";
            default -> "CLOSE";
        };
    }

    /** A product's channel product number: {@code 1} and its origin product number. */
    static long channelProductNo(String originProductNo) {
        return Long.parseLong("1" + originProductNo);
    }

    /**
     * {@code PATCH /v1/products/origin-products/multi-update {multiProductUpdateRequestVos[{originProductNo,
     * multiUpdateTypes[SALE_PRICE|STOCK|PRODUCT_STATUS_SALE|PRODUCT_STATUS_SUSPENSION], productSalePrice{salePrice},
     * stockQuantity}]}}: 200 when every product was changed (or had the values already); 404 for a product that is not
     * the seller's; 400 without invalid inputs for a product that has ended (판매 종료) [I: Naver documents no code].
     */
    private Served multiUpdate(SimRequest req, Call call, Stamp stamp) {
        JsonNode root = jsonBody(req);
        JsonNode vos = root == null ? null : root.get("multiProductUpdateRequestVos");
        if (vos == null || !vos.isArray() || vos.isEmpty()) {
            return bad(stamp, "multiProductUpdateRequestVos", "multiProductUpdateRequestVos 항목은 필수입니다.");
        }
        List<String[]> changes = new ArrayList<>();
        for (int i = 0; i < vos.size(); i++) {
            JsonNode vo = vos.get(i);
            String at = "multiProductUpdateRequestVos[" + i + "].";
            if (!vo.path("originProductNo").isIntegralNumber()) {
                return bad(stamp, at + "originProductNo", at + "originProductNo 항목은 필수입니다.");
            }
            String id = vo.get("originProductNo").asText();
            JsonNode types = vo.get("multiUpdateTypes");
            if (types == null || !types.isArray() || types.isEmpty()) {
                return bad(stamp, at + "multiUpdateTypes", at + "multiUpdateTypes 항목은 필수입니다.");
            }
            for (JsonNode type : types) {
                switch (type.asText()) {
                    case "SALE_PRICE" -> {
                        JsonNode price = vo.path("productSalePrice").path("salePrice");
                        if (!price.isIntegralNumber() || price.asLong() < 0 || price.asLong() > MAX_SALE_PRICE) {
                            return bad(stamp, at + "productSalePrice.salePrice", at + "productSalePrice.salePrice 항목은 0 이상 "
                                    + MAX_SALE_PRICE + " 이하여야 합니다.");
                        }
                        changes.add(new String[] {id, "price", price.asText()});
                    }
                    case "STOCK" -> {
                        JsonNode stock = vo.path("stockQuantity");
                        if (!stock.isIntegralNumber() || stock.asLong() < 0 || stock.asLong() > MAX_STOCK) {
                            return bad(stamp, at + "stockQuantity", at + "stockQuantity 항목은 0 이상 " + MAX_STOCK + " 이하여야 합니다.");
                        }
                        changes.add(new String[] {id, "stock", stock.asText()});
                    }
                    case "PRODUCT_STATUS_SALE" -> changes.add(new String[] {id, "state", "ON_SALE"});
                    case "PRODUCT_STATUS_SUSPENSION" -> changes.add(new String[] {id, "state", "SUSPENDED"});
                    case "IMMEDIATE_DISCOUNT" -> {
                        // not simulated: accepted, nothing changes
                    }
                    default -> {
                        return bad(stamp, at + "multiUpdateTypes", at + "multiUpdateTypes 항목이 유효하지 않습니다: " + type.asText());
                    }
                }
            }
        }
        return applyProductChanges(call, changes, stamp);
    }

    /**
     * {@code PUT /v1/products/origin-products/{originProductNo}/change-status {statusType, stockQuantity}}: SALE or
     * SUSPENSION (OUTOFSTOCK sets the stock to 0); from OUTOFSTOCK to SALE only with a stock quantity (Naver's rule).
     */
    private Served changeStatus(SimRequest req, Call call, Route route, Stamp stamp) {
        JsonNode root = jsonBody(req);
        String status = root == null ? "" : root.path("statusType").asText("");
        if (!Set.of("SALE", "SUSPENSION", "OUTOFSTOCK").contains(status)) {
            return bad(stamp, "statusType", "statusType 항목은 SALE, OUTOFSTOCK 또는 SUSPENSION 이어야 합니다.");
        }
        JsonNode stock = root.get("stockQuantity");
        if (stock != null && !stock.isNull() && (!stock.isIntegralNumber() || stock.asLong() < 0 || stock.asLong() > MAX_STOCK)) {
            return bad(stamp, "stockQuantity", "stockQuantity 항목은 0 이상 " + MAX_STOCK + " 이하여야 합니다.");
        }
        Optional<RecordBook.SimRecord> product = product(call.sellerId(), route.id());
        if (product.isPresent() && status.equals("SALE") && product.get().state().equals("SOLD_OUT")
                && (stock == null || stock.isNull())) {
            return bad(stamp, "stockQuantity", "품절 상품을 판매중으로 변경하려면 stockQuantity 항목이 필요합니다.");
        }
        List<String[]> changes = new ArrayList<>();
        switch (status) {
            case "SALE" -> {
                if (stock != null && !stock.isNull()) {
                    changes.add(new String[] {route.id(), "stock", stock.asText()});
                }
                changes.add(new String[] {route.id(), "state", "ON_SALE"});
            }
            case "SUSPENSION" -> changes.add(new String[] {route.id(), "state", "SUSPENDED"});
            default -> changes.add(new String[] {route.id(), "stock", "0"});
        }
        return applyProductChanges(call, changes, stamp);
    }

    private Optional<RecordBook.SimRecord> product(String seller, String originProductNo) {
        return originProductNo != null && originProductNo.matches("8\\d{13}")
                ? records.find(seller, originProductNo).filter(r -> r.kind() == RecordBook.Kind.PRODUCTS) : Optional.empty();
    }

    private Served applyProductChanges(Call call, List<String[]> changes, Stamp stamp) {
        for (String[] change : changes) {
            if (product(call.sellerId(), change[0]).isEmpty()) {
                return new Served(apiError(404, "NOT_FOUND", "상품이 존재하지 않습니다. (originProductNo: " + change[0] + ")", stamp),
                        Outcome.NOT_FOUND);
            }
            if (product(call.sellerId(), change[0]).get().state().equals("ENDED")) {
                records.changeProduct(call.sellerId(), change[0], change[1], change[2]); // counted as refused
                return new Served(apiError(400, "BAD_REQUEST", "판매 종료(CLOSE)된 상품은 변경할 수 없습니다. (originProductNo: "
                        + change[0] + ")", stamp), Outcome.BAD_REQUEST);
            }
        }
        boolean changed = false;
        for (String[] change : changes) {
            RecordBook.Outcome outcome = records.changeProduct(call.sellerId(), change[0], change[1], change[2]);
            changed |= outcome.applied() == RecordBook.Applied.DONE;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", "SUCCESS").put("message", "성공");
        body.putObject("data");
        return new Served(SimResponse.of(200, body), changed ? Outcome.CREATED : Outcome.DUPLICATE);
    }

    // ---- settlements ----

    /**
     * {@code GET /v1/pay-settle/settle/daily?startDate&endDate&pageNumber&pageSize(≤1000)} (all required): the seller's
     * daily settlements whose basis date is in {@code startDate..endDate} (both included), a page of them by number.
     */
    private Served dailySettlements(SimRequest req, Call call, Stamp stamp) {
        Map<String, String> q = req.query();
        Optional<java.time.LocalDate> start = date(q.get("startDate"));
        if (start.isEmpty()) {
            return bad(stamp, "startDate", "startDate 항목은 yyyy-MM-dd 형식의 필수 항목입니다.");
        }
        Optional<java.time.LocalDate> end = date(q.get("endDate"));
        if (end.isEmpty() || end.get().isBefore(start.get())) {
            return bad(stamp, "endDate", "endDate 항목은 yyyy-MM-dd 형식의 필수 항목이며 startDate 이후여야 합니다.");
        }
        Integer page = q.containsKey("pageNumber") ? number(q.get("pageNumber"), 1, 1, Integer.MAX_VALUE) : null;
        if (page == null) {
            return bad(stamp, "pageNumber", "pageNumber 항목은 1 이상의 필수 항목입니다.");
        }
        Integer size = q.containsKey("pageSize") ? number(q.get("pageSize"), 1, 1, MAX_SETTLE_PAGE) : null;
        if (size == null) {
            return bad(stamp, "pageSize", "pageSize 항목은 1 이상 " + MAX_SETTLE_PAGE + " 이하의 필수 항목입니다.");
        }
        List<RecordBook.SimRecord> all = records.between(call.sellerId(), RecordBook.Kind.SETTLEMENTS,
                start.get().atStartOfDay(ZoneOffset.UTC).toInstant(), end.get().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode elements = body.putArray("elements");
        for (RecordBook.SimRecord r : pageOf(all, page, size)) {
            java.time.LocalDate basis = java.time.LocalDate.parse(r.attrs().get("settleDate"));
            ObjectNode n = elements.addObject()
                    .put("settleBasisStartDate", basis.toString())
                    .put("settleBasisEndDate", basis.toString())
                    .put("settleExpectDate", basis.plusDays(2).toString());
            if (r.state().equals("SETTLED")) {
                n.put("settleCompleteDate", basis.plusDays(2).toString());
            } else {
                n.putNull("settleCompleteDate");
            }
            long amount = Long.parseLong(r.attrs().get("amount"));
            n.put("settleAmount", amount).put("paySettleAmount", amount + amount / 20).put("commissionSettleAmount", -(amount / 20))
                    .put("benefitSettleAmount", 0).put("returnCareSettleAmount", 0).put("normalSettleAmount", amount)
                    .put("settleMethodType", "ACCOUNT").put("merchantId", "sim-" + call.sellerId());
        }
        body.putObject("pagination").put("page", page).put("size", size)
                .put("totalPages", (all.size() + size - 1) / size).put("totalElements", all.size());
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    // ---- paging helpers ----

    private static <T> List<T> pageOf(List<T> all, int page, int size) {
        long first = (long) (page - 1) * size;
        if (first >= all.size()) {
            return List.of();
        }
        return all.subList((int) first, (int) Math.min(all.size(), first + size));
    }

    /** Spring's page fields of the contents and products APIs. */
    private static void paged(ObjectNode body, int page, int size, int total) {
        int pages = (total + size - 1) / size;
        body.put("page", page).put("size", size).put("totalElements", total).put("totalPages", pages)
                .put("first", page == 1).put("last", page >= pages);
    }

    /** A whole number of a query parameter in {@code [min, max]}, {@code fallback} when absent; null when it is not. */
    private static Integer number(String text, int fallback, int min, int max) {
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text);
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer number(JsonNode node, int fallback, int min, int max) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        return node.isIntegralNumber() ? number(node.asText(), fallback, min, max) : null;
    }

    private static Optional<java.time.LocalDate> date(String text) {
        if (text == null || !text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** An API's (not the gateway's) error: {@code {code, message, timestamp, traceId}}. */
    private SimResponse apiError(int status, String code, String message, Stamp stamp) {
        return SimResponse.of(status, envelope(code, message, stamp));
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

    private static String call(Order o) {
        return o.sellerId() + "|" + o.orderId();
    }

    /** A record-book claim as the product-order query gives it: the product order and its current claim. */
    private static ObjectNode claimDetail(RecordBook.SimRecord claim) {
        Row row = claimRow(claim);
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.putObject("order").put("orderId", claim.attrs().get("orderId")).put("orderDate", kst(claim.createdAt().minus(Duration.ofDays(2))));
        n.putObject("productOrder").put("productOrderId", row.productOrderId())
                .put("productOrderStatus", row.item().get("productOrderStatus").asText())
                .put("claimType", claim.attrs().get("claimType")).put("claimStatus", row.item().get("claimStatus").asText())
                .put("placeOrderStatus", "OK");
        ObjectNode current = n.putObject("currentClaim").putObject(claim.attrs().get("claimType").toLowerCase(Locale.ROOT));
        current.put("claimId", claim.id()).put("claimRequestDate", kst(claim.createdAt()))
                .put("claimStatus", row.item().get("claimStatus").asText())
                .put(switch (claim.attrs().get("claimType")) {
                    case "CANCEL" -> "cancelDetailedReason";
                    case "RETURN" -> "returnDetailedReason";
                    default -> "exchangeDetailedReason";
                }, claim.attrs().get("reason"));
        return n;
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
                .put("placeOrderStatus", o.status().equals("PAYED") && !acknowledged.contains(call(o)) ? "NOT_YET" : "OK");
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
