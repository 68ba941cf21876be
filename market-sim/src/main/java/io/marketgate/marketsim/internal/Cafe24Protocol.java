package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.SellerCredentials;
import io.marketgate.marketsim.Shipment;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.TokenRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The Cafe24 Admin API as one mall's API answers it (market-protocols.md section 3). Cafe24 serves each mall at its own
 * host, {@code https://{mallId}.cafe24api.com/api/v2}; the simulator serves every mall of the market on one server as
 * {@code /{market}/{mallId}/api/v2/…}, so a client's base URL template is {@code http://127.0.0.1:{port}/{market}/{mallId}/api/v2}.
 *
 * <p>OAuth2, per mall, for the market's one app (its client id and secret in {@link Cafe24Credentials}):
 * <ul>
 *   <li>{@code GET /oauth/authorize?response_type=code&client_id&state&redirect_uri&scope}: the owner agrees (the
 *       simulator agrees for it) → 302 to {@code redirect_uri?code=…&state=…}; the code is good for one exchange within
 *       one minute, for that client, mall and redirect URI.</li>
 *   <li>{@code POST /oauth/token}, {@code Authorization: Basic base64(client_id:client_secret)} (or both in the form),
 *       a form body: {@code grant_type=authorization_code&code&redirect_uri}, or
 *       {@code grant_type=refresh_token&refresh_token}. 200 {@code {access_token, expires_at, refresh_token,
 *       refresh_token_expires_at, client_id, mall_id, user_id, scopes, issued_at, shop_no}} (times in KST without an
 *       offset); an access token lives 2 hours, a refresh token 14 days, and <b>a refresh token works once</b>: its
 *       use issues a new pair, and the used one answers 400 {@code invalid_grant} ever after, as do an expired or
 *       revoked one and a used, expired or foreign code (each counted: {@link #invalidGrants()}). A bad client is 401
 *       {@code invalid_client}; a missing parameter 400 {@code invalid_request}.</li>
 * </ul>
 * Admin API: {@code Authorization: Bearer} of a token this mall issued (401 {@code access_token time expired.
 * (invalid_token)} after its expiry, 401 {@code Invalid access_token} for an unknown, revoked or another mall's token),
 * the token's scopes (403), then the leaky bucket of 40 per mall draining 2 per second (429; every answer that
 * reached the bucket carries {@code X-Api-Call-Limit: {used}/40}), the call quota of 3,000 per mall per 10 minutes
 * (429 with {@code X-Cafe24-Call-Remain}; every such answer carries {@code X-Cafe24-Call-Usage} and
 * {@code X-Cafe24-Time-Usage}). Errors are {@code {"error":{"code":…,"message":…}}}.
 * <ul>
 *   <li>{@code GET /admin/orders?start_date&end_date[&date_type][&limit][&offset][&embed][&order_status]}: dates as
 *       {@code yyyy-MM-dd} (the whole day in KST) or ISO-8601 date-times (second granularity), both ends inclusive, at
 *       most 3 months apart; {@code date_type} {@code order_date} (default) or {@code pay_date}; {@code limit} 1–1000
 *       (default 10), {@code offset} 0–15000 (422 outside); orders by the date then id; {@code links} has
 *       {@code next} while more follow.</li>
 *   <li>{@code GET /admin/orders/{order_id}}: {@code {"order": …}}, 404 when the mall has none.</li>
 *   <li>{@code POST /admin/orders/{order_id}/shipments} {@code {"shop_no":1,"request":{tracking_no, shipping_company_code,
 *       status: standby|shipping, order_item_code?}}}: 201 {@code {"shipment": …}}; the same shipment again 409; a
 *       shipped order with another tracking number, or an order that cannot ship (N30 and later, cancelled), 422.</li>
 * </ul>
 */
final class Cafe24Protocol implements MarketProtocol {

    static final Duration ACCESS_LIFETIME = Duration.ofHours(2);
    static final Duration REFRESH_LIFETIME = Duration.ofDays(14);
    static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    static final Duration QUOTA_WINDOW = Duration.ofMinutes(10);
    static final int QUOTA_CALLS = 3000;
    /** The processing time the simulator charges per call against the 600 s per 10 minutes that Cafe24 reports. */
    static final Duration PROCESSING_PER_CALL = Duration.ofMillis(50);
    static final Duration PROCESSING_QUOTA = Duration.ofSeconds(600);
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_OFFSET = 15_000;
    static final int MAX_TRACKING_NO = 40;
    static final ZoneOffset KST = ZoneOffset.ofHours(9);
    static final Set<String> SHIPPABLE = Set.of("N10", "N20", "N21", "N22");
    static final Set<String> DATE_TYPES = Set.of("order_date", "pay_date", "shipbegin_date", "shipend_date", "cancel_date",
            "place_date", "cancel_request_date", "cancel_accept_date", "cancel_complete_date", "exchange_request_date",
            "exchange_accept_date", "exchange_complete_date", "return_request_date", "return_accept_date",
            "return_complete_date", "purchaseconfirmation_date");
    private static final DateTimeFormatter TOKEN_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");
    private static final DateTimeFormatter ORDER_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SECOND_SPACE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter LOCAL_SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /**
     * The scopes of the malls' first connections: the app reads and writes orders, boards (Q&amp;A, reviews) and products,
     * and reads sales reports.
     */
    static final List<String> FIRST_SCOPES = List.of("mall.read_order", "mall.write_order", "mall.read_community",
            "mall.write_community", "mall.read_product", "mall.write_product", "mall.read_salesreport");
    /**
     * The carriers every simulated mall has set up (its seeded shipments name them): Cafe24's {@code shipping_company_code}
     * is the code of a carrier in the mall's own list ({@code GET /admin/carriers}, {@code shipping_carrier_code}), not a
     * market-wide code; a shipment naming another is refused.
     */
    static final List<String> CARRIERS = List.of("0001", "0003", "0004", "0006", "0019", "0039");

    /** One mall of the market: its seller and its id. */
    private record Mall(String sellerId, String mallId) {}

    private static final class Grant {
        final String value;
        final Mall mall;
        final String clientId;
        final List<String> scopes;
        long expiresAt;
        boolean revoked;
        boolean used;

        Grant(String value, Mall mall, String clientId, List<String> scopes, long expiresAt) {
            this.value = value;
            this.mall = mall;
            this.clientId = clientId;
            this.scopes = List.copyOf(scopes);
            this.expiresAt = expiresAt;
        }
    }

    /** A code issued by the consent page, for one exchange. */
    private record CodeGrant(Grant grant, String redirectUri) {}

    /**
     * What an admin call was authorized with, for serving it, and for a record call what it is for: {@code board} (a
     * board's articles, {@code number} the board), {@code products}, {@code product} ({@code number} the product),
     * {@code dailysales}; null for the orders' calls.
     */
    private record Authorized(Mall mall, Grant token, String what, long number) {
        Authorized(Mall mall, Grant token) {
            this(mall, token, null, 0);
        }
    }

    /** A token request in flight: the mall it was sent to, and what it achieved. */
    private static final class TokenCall {
        final Mall mall;
        final String clientId;
        final Map<String, String> form;
        boolean issued;

        TokenCall(Mall mall, String clientId, Map<String, String> form) {
            this.mall = mall;
            this.clientId = clientId;
            this.form = form;
        }
    }

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;
    private final SimClock clock;
    private final List<Cafe24Credentials> credentials = new ArrayList<>();
    private final Map<String, Mall> malls = new LinkedHashMap<>();
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Grant> accessTokens = new HashMap<>();
    private final Map<String, Grant> refreshTokens = new HashMap<>();
    private final Map<String, CodeGrant> codes = new HashMap<>();
    private final Map<String, SlidingWindow> quotas = new HashMap<>();
    private final Map<String, String> shippingStatus = new HashMap<>();
    private final List<TokenRequest> tokenRequests = new ArrayList<>();
    private long invalidGrants;
    private final Map<String, Long> invalidGrantCauses = new java.util.TreeMap<>();
    private SplittableRandom random;

    Cafe24Protocol(MarketConfig config, OrderBook orders, ShipmentLedger ledger, RecordBook records,
            List<SellerCredentials> issued, SimClock clock) {
        this.records = records;
        this.config = config;
        this.orders = orders;
        this.ledger = ledger;
        this.clock = clock;
        for (SellerCredentials c : issued) {
            Cafe24Credentials mall = (Cafe24Credentials) c;
            credentials.add(mall);
            malls.put(mall.mallId(), new Mall(mall.sellerId(), mall.mallId()));
        }
        this.clientId = credentials.isEmpty() ? "" : credentials.get(0).clientId();
        this.clientSecret = credentials.isEmpty() ? "" : credentials.get(0).clientSecret();
        reset();
    }

    // ---- accessors and test hooks (SimulatedMarket)

    synchronized List<TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** The 400 {@code invalid_grant} answers so far: a client that loses no connection proves 0. */
    synchronized long invalidGrants() {
        return invalidGrants;
    }

    /**
     * The 400 {@code invalid_grant} answers by grant type and cause, {@code refresh_token:used} (a rotated refresh token
     * sent again), {@code :revoked}, {@code :expired}, {@code :unknown}, {@code :other-mall}, and the same for
     * {@code authorization_code} (plus {@code :redirect-uri}).
     */
    synchronized Map<String, Long> invalidGrantCauses() {
        return Map.copyOf(invalidGrantCauses);
    }

    /** The owner of {@code sellerId}'s mall (every mall when null) removed the app: each of its tokens and codes dies. */
    synchronized void revoke(String sellerId) {
        for (Grant g : allGrants()) {
            if (sellerId == null || g.mall.sellerId().equals(sellerId)) {
                g.revoked = true;
            }
        }
    }

    /** The access tokens of {@code sellerId}'s mall (every mall when null) expire now; refresh tokens stay. */
    synchronized void expireAccessTokens(String sellerId) {
        long now = clock.epochNanos();
        for (Grant g : accessTokens.values()) {
            if ((sellerId == null || g.mall.sellerId().equals(sellerId)) && g.expiresAt > now) {
                g.expiresAt = now;
            }
        }
    }

    /** The refresh tokens of {@code sellerId}'s mall (every mall when null) expire now, as after 14 days unused. */
    synchronized void expireRefreshTokens(String sellerId) {
        long now = clock.epochNanos();
        for (Grant g : refreshTokens.values()) {
            if ((sellerId == null || g.mall.sellerId().equals(sellerId)) && g.expiresAt > now) {
                g.expiresAt = now;
            }
        }
    }

    /** The refresh token that works now for {@code sellerId}'s mall (the newest unused one), if any. */
    synchronized Optional<String> currentRefreshToken(String sellerId) {
        long now = clock.epochNanos();
        return refreshTokens.values().stream()
                .filter(g -> g.mall.sellerId().equals(sellerId) && !g.used && !g.revoked && g.expiresAt > now)
                .max(java.util.Comparator.comparingLong(g -> g.expiresAt))
                .map(g -> g.value);
    }

    private List<Grant> allGrants() {
        List<Grant> all = new ArrayList<>(accessTokens.values());
        all.addAll(refreshTokens.values());
        codes.values().forEach(c -> all.add(c.grant()));
        return all;
    }

    /** Forgets every token, code, quota and shipment state; the malls' first connections are issued again. */
    @Override
    public synchronized void reset() {
        accessTokens.clear();
        refreshTokens.clear();
        codes.clear();
        quotas.clear();
        shippingStatus.clear();
        tokenRequests.clear();
        invalidGrants = 0;
        invalidGrantCauses.clear();
        random = new SplittableRandom(OrderBook.mix(config.seed() ^ OrderBook.fnv64(config.name() + "/cafe24-tokens")));
        for (Cafe24Credentials c : credentials) {
            Mall mall = malls.get(c.mallId());
            accessTokens.put(c.accessToken(), new Grant(c.accessToken(), mall, c.clientId(), FIRST_SCOPES,
                    nanos(c.accessTokenExpiresAt())));
            refreshTokens.put(c.refreshToken(), new Grant(c.refreshToken(), mall, c.clientId(), FIRST_SCOPES,
                    nanos(c.refreshTokenExpiresAt())));
        }
    }


    // ---- gateway

    @Override
    public Call identify(SimRequest req, Stamp stamp) {
        List<String> s = req.segments();
        Mall mall = s.isEmpty() ? null : malls.get(s.get(0));
        if (mall == null || s.size() < 3 || !s.get(1).equals("api") || !s.get(2).equals("v2")) {
            return Call.rejected(Endpoint.UNKNOWN, null, false, null, error(404, "No API found with those values"),
                    Outcome.NOT_FOUND);
        }
        List<String> rest = s.subList(3, s.size());
        if (rest.equals(List.of("oauth", "authorize"))) {
            return method(req, "GET", Endpoint.AUTHORIZE, mall).orElseGet(() ->
                    Call.admitted(Endpoint.AUTHORIZE, req.query().get("client_id"), mall.sellerId(), null, mall));
        }
        if (rest.equals(List.of("oauth", "token"))) {
            Optional<Call> wrong = method(req, "POST", Endpoint.TOKEN, mall);
            return wrong.orElseGet(() -> identifyToken(req, mall));
        }
        Endpoint endpoint = Endpoint.UNKNOWN;
        String expected = null;
        String orderId = null;
        if (rest.size() >= 2 && rest.get(0).equals("admin") && rest.get(1).equals("orders")) {
            if (rest.size() == 2) {
                endpoint = Endpoint.LIST_ORDERS;
                expected = "GET";
            } else if (rest.size() == 3) {
                endpoint = Endpoint.GET_ORDER;
                expected = "GET";
                orderId = rest.get(2);
            } else if (rest.size() == 4 && rest.get(3).equals("shipments")) {
                endpoint = Endpoint.CREATE_SHIPMENT;
                expected = "POST";
                orderId = rest.get(2);
            }
        }
        String what = null;
        long number = 0;
        String scope = "mall.read_order";
        if (rest.size() == 4 && rest.get(0).equals("admin") && rest.get(1).equals("boards") && rest.get(3).equals("articles")
                && rest.get(2).matches("[1-9][0-9]{0,8}")) {
            what = "board";
            number = Long.parseLong(rest.get(2));
            boolean post = req.method().equals("POST");
            boolean reviews = number == REVIEW_BOARD;
            endpoint = post ? (reviews ? Endpoint.REPLY_REVIEW : Endpoint.ANSWER_INQUIRY)
                    : (reviews ? Endpoint.LIST_REVIEWS : Endpoint.LIST_INQUIRIES);
            expected = post ? "POST" : "GET";
            scope = post ? "mall.write_community" : "mall.read_community";
        } else if (rest.equals(List.of("admin", "products"))) {
            what = "products";
            endpoint = Endpoint.LIST_PRODUCTS;
            expected = "GET";
            scope = "mall.read_product";
        } else if (rest.size() == 3 && rest.get(0).equals("admin") && rest.get(1).equals("products")
                && rest.get(2).matches("[1-9][0-9]{0,9}")) {
            what = "product";
            number = Long.parseLong(rest.get(2));
            endpoint = Endpoint.CHANGE_PRODUCT;
            expected = "PUT";
            scope = "mall.write_product";
        } else if (rest.equals(List.of("admin", "financials", "dailysales"))) {
            what = "dailysales";
            endpoint = Endpoint.LIST_SETTLEMENTS;
            expected = "GET";
            scope = "mall.read_salesreport";
        } else if (endpoint == Endpoint.CREATE_SHIPMENT) {
            scope = "mall.write_order";
        }
        if (endpoint == Endpoint.UNKNOWN) {
            return Call.rejected(Endpoint.UNKNOWN, null, false, mall.sellerId(), error(404, "No API found with those values"),
                    Outcome.NOT_FOUND);
        }
        if (!expected.equals(req.method())) {
            return Call.rejected(endpoint, null, false, mall.sellerId(), error(405, "Method Not Allowed").header("Allow", expected),
                    Outcome.METHOD_NOT_ALLOWED);
        }
        String auth = req.header("Authorization");
        Grant token = null;
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            synchronized (this) {
                token = accessTokens.get(auth.substring(7).strip());
            }
        }
        if (token == null || token.revoked || !token.mall.equals(mall)) {
            return Call.rejected(endpoint, null, false, mall.sellerId(), error(401, "Invalid access_token"), Outcome.UNAUTHORIZED);
        }
        if (stamp.nanos() >= token.expiresAt) {
            return Call.rejected(endpoint, null, false, mall.sellerId(), error(401, "access_token time expired. (invalid_token)"),
                    Outcome.UNAUTHORIZED);
        }
        if (!token.scopes.contains(scope)) {
            return Call.rejected(endpoint, token.clientId, true, mall.sellerId(), error(403, "Insufficient scope: the access "
                    + "token has no " + scope), Outcome.FORBIDDEN);
        }
        String version = req.header("X-Cafe24-Api-Version");
        if (version != null && !version.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return Call.rejected(endpoint, token.clientId, true, mall.sellerId(), error(400, "Invalid X-Cafe24-Api-Version: "
                    + version), Outcome.BAD_REQUEST);
        }
        return Call.admitted(endpoint, token.clientId, mall.sellerId(), orderId, new Authorized(mall, token, what, number));
    }

    private static Optional<Call> method(SimRequest req, String expected, Endpoint endpoint, Mall mall) {
        if (req.method().equals(expected)) {
            return Optional.empty();
        }
        return Optional.of(Call.rejected(endpoint, null, false, mall.sellerId(), error(405, "Method Not Allowed")
                .header("Allow", expected), Outcome.METHOD_NOT_ALLOWED));
    }

    /** The token endpoint: the client from Basic auth (or the form), checked before anything else. */
    private Call identifyToken(SimRequest req, Mall mall) {
        String contentType = req.header("Content-Type");
        Map<String, String> form = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded") ? formParams(req.body()) : Map.of();
        String id = null;
        String secret = null;
        String auth = req.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    id = pair.substring(0, colon);
                    secret = pair.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                // not Base64: no client, refused below
            }
        } else if (form.containsKey("client_id")) {
            id = form.get("client_id");
            secret = form.get("client_secret");
        }
        if (id == null || !id.equals(clientId) || !clientSecret.equals(secret)) {
            return Call.rejected(Endpoint.TOKEN, id, false, mall.sellerId(), oauthError(401, "invalid_client",
                    id == null ? "Authorization: Basic base64(client_id:client_secret) is required" : "Invalid client_id or client_secret"),
                    Outcome.UNAUTHORIZED);
        }
        return Call.admitted(Endpoint.TOKEN, id, mall.sellerId(), null, new TokenCall(mall, id, form));
    }

    @Override
    public SimResponse ipNotAllowed(Call call, String source, Stamp stamp) {
        return error(403, "Forbidden: " + source + " is not allowed");
    }

    /** The call quota of the mall: 3,000 calls per 10 minutes (only the admin API counts). */
    @Override
    public synchronized Refusal quota(Call call, Stamp stamp) {
        SlidingWindow window = quotaWindow(call);
        if (window == null) {
            return null;
        }
        long wait = window.waitNanos(stamp.nanos());
        if (wait == 0) {
            return null;
        }
        SimResponse r = error(429, "Too Many Requests: the call quota of the mall is used up");
        usageHeaders(r, call, stamp);
        r.header("X-Cafe24-Call-Remain", Long.toString(Math.max(1, (wait + 999_999_999L) / 1_000_000_000L)));
        return new Refusal(r, Outcome.THROTTLED, "quota");
    }

    @Override
    public synchronized void admitted(Call call, Stamp stamp) {
        SlidingWindow window = quotaWindow(call);
        if (window != null) {
            window.add(stamp.nanos());
        }
    }

    private SlidingWindow quotaWindow(Call call) {
        if (!(call.context() instanceof Authorized a)) {
            return null;
        }
        return quotas.computeIfAbsent(a.mall().mallId(), k -> new SlidingWindow(QUOTA_CALLS, QUOTA_WINDOW.toNanos()));
    }

    private void usageHeaders(SimResponse r, Call call, Stamp stamp) {
        SlidingWindow window = quotaWindow(call);
        long calls = window == null ? 0 : window.calls(stamp.nanos());
        double callUsage = 100.0 * calls / QUOTA_CALLS;
        double timeUsage = 100.0 * calls * PROCESSING_PER_CALL.toNanos() / PROCESSING_QUOTA.toNanos();
        r.header("X-Cafe24-Call-Usage", String.format(Locale.ROOT, "%.2f", callUsage));
        r.header("X-Cafe24-Time-Usage", String.format(Locale.ROOT, "%.2f", timeUsage));
    }

    @Override
    public SimResponse throttled(Call call, Throttling throttling, Stamp stamp) {
        return error(429, "Too Many Requests");
    }

    @Override
    public SimResponse serverError(Call call, int status, Stamp stamp) {
        if (call.endpoint() == Endpoint.TOKEN) {
            return oauthError(status, "server_error", "The server is temporarily unavailable");
        }
        return error(status, status == 504 ? "Gateway Timeout" : status == 503 ? "Service Unavailable" : "Internal Server Error");
    }

    @Override
    public void decorate(SimResponse response, Call call, BudgetLevel level, Stamp stamp) {
        if (level != null) {
            response.header("X-Api-Call-Limit", level.calls() + "/" + level.budget().limit());
        }
        synchronized (this) {
            if (call.context() instanceof Authorized) {
                usageHeaders(response, call, stamp);
            }
            if (call.context() instanceof TokenCall t) {
                tokenRequests.add(new TokenRequest(Instant.ofEpochSecond(0, stamp.nanos()), t.clientId, t.mall.sellerId(),
                        t.form.get("grant_type"), null, response.status(), t.issued, List.of()));
                if (response.status() == 400 && response.body() != null
                        && "invalid_grant".equals(response.body().path("error").asText(null))) {
                    invalidGrants++;
                }
            }
        }
    }

    // ---- endpoints

    @Override
    public Served serve(SimRequest req, Call call, Stamp stamp) {
        return switch (call.endpoint()) {
            case AUTHORIZE -> authorize(req, (Mall) call.context(), stamp);
            case TOKEN -> token((TokenCall) call.context(), stamp);
            case LIST_ORDERS -> listOrders(req, (Authorized) call.context());
            case GET_ORDER -> getOrder(req, (Authorized) call.context(), call.orderId());
            case LIST_INQUIRIES, LIST_REVIEWS, LIST_PRODUCTS, LIST_SETTLEMENTS, ANSWER_INQUIRY, REPLY_REVIEW, CHANGE_PRODUCT ->
                    records(req, (Authorized) call.context(), stamp);
            default -> ship(req, (Authorized) call.context(), call.orderId(), stamp);
        };
    }

    private Served authorize(SimRequest req, Mall mall, Stamp stamp) {
        Map<String, String> q = req.query();
        if (!"code".equals(q.get("response_type"))) {
            return new Served(oauthError(400, "unsupported_response_type", "response_type must be code"), Outcome.BAD_REQUEST);
        }
        if (!clientId.equals(q.get("client_id"))) {
            return new Served(oauthError(400, "invalid_request", "client_id is not an app installed on mall " + mall.mallId()),
                    Outcome.BAD_REQUEST);
        }
        String redirect = q.get("redirect_uri");
        if (redirect == null || !(redirect.startsWith("https://") || redirect.startsWith("http://"))) {
            return new Served(oauthError(400, "invalid_request", "redirect_uri must be the app's redirect URI"), Outcome.BAD_REQUEST);
        }
        String state = q.get("state");
        if (state == null || state.isEmpty()) {
            return new Served(oauthError(400, "invalid_request", "state is required"), Outcome.BAD_REQUEST);
        }
        List<String> scopes = new ArrayList<>();
        for (String scope : q.getOrDefault("scope", "").split(",")) {
            if (!scope.isBlank()) {
                if (!scope.strip().matches("mall\\.(read|write)_[a-z_]+")) {
                    return new Served(oauthError(400, "invalid_scope", "unknown scope " + scope.strip()), Outcome.BAD_REQUEST);
                }
                scopes.add(scope.strip());
            }
        }
        if (scopes.isEmpty()) {
            return new Served(oauthError(400, "invalid_scope", "scope is required"), Outcome.BAD_REQUEST);
        }
        String code;
        synchronized (this) {
            code = newValue();
            codes.put(code, new CodeGrant(new Grant(code, mall, clientId, scopes, stamp.nanos() + CODE_LIFETIME.toNanos()), redirect));
        }
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + encode(code) + "&state=" + encode(state);
        return new Served(new SimResponse(302, new LinkedHashMap<>(Map.of("Location", location)), null), Outcome.OK);
    }

    private Served token(TokenCall t, Stamp stamp) {
        Map<String, String> form = t.form;
        String grantType = form.get("grant_type");
        if (grantType == null) {
            return new Served(oauthError(400, "invalid_request", "grant_type is required (a form body, "
                    + "application/x-www-form-urlencoded)"), Outcome.BAD_REQUEST);
        }
        synchronized (this) {
            Grant consent;
            switch (grantType) {
                case "authorization_code" -> {
                    String code = form.get("code");
                    if (code == null || form.get("redirect_uri") == null) {
                        return new Served(oauthError(400, "invalid_request", "code and redirect_uri are required"), Outcome.BAD_REQUEST);
                    }
                    CodeGrant c = codes.get(code);
                    String refused = c == null ? "Invalid authorization code"
                            : c.grant().used ? "The authorization code has been used"
                            : c.grant().revoked ? "The authorization code has been revoked"
                            : stamp.nanos() >= c.grant().expiresAt ? "The authorization code has expired"
                            : !c.grant().mall.equals(t.mall) ? "The authorization code was issued for another mall"
                            : !c.redirectUri().equals(form.get("redirect_uri")) ? "redirect_uri does not match the authorization request"
                            : null;
                    if (refused != null) {
                        invalidGrantCauses.merge("authorization_code:" + (c == null ? "unknown" : cause(c.grant(), t, stamp)),
                                1L, Long::sum);
                        return new Served(oauthError(400, "invalid_grant", refused), Outcome.BAD_REQUEST);
                    }
                    c.grant().used = true;
                    consent = c.grant();
                }
                case "refresh_token" -> {
                    String value = form.get("refresh_token");
                    if (value == null) {
                        return new Served(oauthError(400, "invalid_request", "refresh_token is required"), Outcome.BAD_REQUEST);
                    }
                    Grant g = refreshTokens.get(value);
                    String refused = g == null ? "Invalid refresh_token"
                            : g.used ? "The refresh_token has been used (a refresh issues a new one)"
                            : g.revoked ? "The refresh_token has been revoked"
                            : stamp.nanos() >= g.expiresAt ? "The refresh_token has expired"
                            : !g.mall.equals(t.mall) ? "The refresh_token was issued for another mall"
                            : null;
                    if (refused != null) {
                        invalidGrantCauses.merge("refresh_token:" + (g == null ? "unknown" : cause(g, t, stamp)), 1L, Long::sum);
                        return new Served(oauthError(400, "invalid_grant", refused), Outcome.BAD_REQUEST);
                    }
                    g.used = true;
                    consent = g;
                }
                default -> {
                    return new Served(oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or "
                            + "refresh_token"), Outcome.BAD_REQUEST);
                }
            }
            Grant access = new Grant(newValue(), t.mall, t.clientId, consent.scopes, stamp.nanos() + ACCESS_LIFETIME.toNanos());
            Grant refresh = new Grant(newValue(), t.mall, t.clientId, consent.scopes, stamp.nanos() + REFRESH_LIFETIME.toNanos());
            accessTokens.put(access.value, access);
            refreshTokens.put(refresh.value, refresh);
            t.issued = true;
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("access_token", access.value)
                    .put("expires_at", tokenTime(access.expiresAt))
                    .put("refresh_token", refresh.value)
                    .put("refresh_token_expires_at", tokenTime(refresh.expiresAt))
                    .put("client_id", t.clientId)
                    .put("mall_id", t.mall.mallId())
                    .put("user_id", t.mall.mallId());
            ArrayNode scopes = body.putArray("scopes");
            consent.scopes.forEach(scopes::add);
            body.put("issued_at", tokenTime(stamp.nanos())).put("shop_no", "1");
            return new Served(SimResponse.of(200, body), Outcome.OK);
        }
    }

    /** Why a known grant was refused, in the order the refusals are checked: used, revoked, expired, other-mall, redirect-uri. */
    private static String cause(Grant g, TokenCall t, Stamp stamp) {
        return g.used ? "used" : g.revoked ? "revoked" : stamp.nanos() >= g.expiresAt ? "expired"
                : !g.mall.equals(t.mall) ? "other-mall" : "redirect-uri";
    }

    private Served listOrders(SimRequest req, Authorized a) {
        Map<String, String> q = req.query();
        Optional<Served> shop = shopNo(q.get("shop_no"));
        if (shop.isPresent()) {
            return shop.get();
        }
        String startText = q.get("start_date");
        String endText = q.get("end_date");
        if (startText == null || endText == null) {
            return unprocessable((startText == null ? "start_date" : "end_date") + " is required (start_date and end_date "
                    + "are used together)");
        }
        Optional<Instant> start = date(startText, false);
        Optional<Instant> endInclusive = date(endText, true);
        if (start.isEmpty() || endInclusive.isEmpty()) {
            return unprocessable((start.isEmpty() ? "start_date" : "end_date") + " must be a date (yyyy-MM-dd) or a date-time "
                    + "(ISO 8601), was '" + (start.isEmpty() ? startText : endText) + "'");
        }
        if (endInclusive.get().isBefore(start.get())) {
            return unprocessable("end_date must not be before start_date");
        }
        // judged by date (KST), as the market words it: "3 months per call"
        LocalDate startDay = LocalDate.ofInstant(start.get(), KST);
        if (LocalDate.ofInstant(endInclusive.get(), KST).isAfter(startDay.plusMonths(3))) {
            return unprocessable("The search period cannot exceed 3 months (start_date to end_date)");
        }
        String dateType = q.getOrDefault("date_type", "order_date");
        if (!DATE_TYPES.contains(dateType)) {
            return unprocessable("date_type '" + dateType + "' is not one of " + new java.util.TreeSet<>(DATE_TYPES));
        }
        if (!dateType.equals("order_date") && !dateType.equals("pay_date")) {
            return new Served(error(400, "date_type " + dateType + " is not simulated; use order_date or pay_date"), Outcome.BAD_REQUEST);
        }
        Optional<Integer> limit = bounded(q.get("limit"), 1, MAX_LIMIT, DEFAULT_LIMIT);
        if (limit.isEmpty()) {
            return unprocessable("limit must be a whole number from 1 to " + MAX_LIMIT + ", was '" + q.get("limit") + "'");
        }
        Optional<Integer> offset = bounded(q.get("offset"), 0, MAX_OFFSET, 0);
        if (offset.isEmpty()) {
            return unprocessable("offset must be a whole number from 0 to " + MAX_OFFSET + ", was '" + q.get("offset") + "'");
        }
        Set<String> statuses = list(q.get("order_status"));
        Set<String> embed = list(q.get("embed"));
        Instant from = start.get();
        Instant to = endInclusive.get().plusSeconds(1);
        boolean byOrderDate = dateType.equals("order_date");
        // orders are paid at most 10 minutes after they are placed: look 10 minutes further for order dates
        List<Order> all = new ArrayList<>(orders.between(a.mall().sellerId(), from, byOrderDate ? to.plus(Duration.ofMinutes(10)) : to));
        all.removeIf(o -> {
            Instant t = byOrderDate ? seconds(o.orderedAt()) : seconds(o.updatedAt());
            return t.isBefore(from) || !t.isBefore(to) || !statuses.isEmpty() && !statuses.contains(itemStatus(a.mall(), o));
        });
        all.sort(java.util.Comparator.comparing((Order o) -> byOrderDate ? o.orderedAt() : o.updatedAt()).thenComparing(Order::orderId));
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("orders");
        int first = Math.min(offset.get(), all.size());
        int end = Math.min(first + limit.get(), all.size());
        for (Order o : all.subList(first, end)) {
            list.add(order(a.mall(), o, embed));
        }
        if (end < all.size()) {
            String next = req.path() + "?" + replaceParam(req.rawQuery(), "offset", Integer.toString(end));
            body.putArray("links").addObject().put("rel", "next").put("href", next);
        }
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private Served getOrder(SimRequest req, Authorized a, String orderId) {
        Optional<Served> shop = shopNo(req.query().get("shop_no"));
        if (shop.isPresent()) {
            return shop.get();
        }
        Optional<Order> order = orders.find(a.mall().sellerId(), orderId);
        if (order.isEmpty()) {
            return new Served(error(404, "No order found with order_id " + orderId), Outcome.NOT_FOUND);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("order", order(a.mall(), order.get(), list(req.query().get("embed"))));
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private Served ship(SimRequest req, Authorized a, String orderId, Stamp stamp) {
        WriteBody write = writeBody(req, "request", JsonNode::isObject,
                "request is required: {\"shop_no\":1,\"request\":{…}} (one shipment per call)");
        if (write.refused() != null) {
            return write.refused();
        }
        JsonNode request = write.field();
        String tracking = request.path("tracking_no").asText("");
        String company = request.path("shipping_company_code").asText("");
        String status = request.path("status").asText("");
        if (tracking.isBlank() || tracking.length() > MAX_TRACKING_NO) {
            return unprocessable("tracking_no is required, at most " + MAX_TRACKING_NO + " characters");
        }
        if (company.isBlank()) {
            return unprocessable("shipping_company_code is required");
        }
        if (!CARRIERS.contains(company)) {
            return unprocessable("shipping_company_code " + company + " is not a carrier of the mall; its carriers "
                    + "(GET /admin/carriers) are " + String.join(", ", CARRIERS));
        }
        if (!status.equals("standby") && !status.equals("shipping")) {
            return unprocessable("status must be standby or shipping, was '" + status + "'");
        }
        Optional<Order> order = orders.find(a.mall().sellerId(), orderId);
        if (order.isEmpty()) {
            return new Served(error(404, "No order found with order_id " + orderId), Outcome.NOT_FOUND);
        }
        JsonNode itemCodes = request.get("order_item_code");
        if (itemCodes != null && !itemCodes.isNull()) {
            if (!itemCodes.isArray() || itemCodes.isEmpty()) {
                return unprocessable("order_item_code must be a list of the order's item codes");
            }
            Set<String> known = new LinkedHashSet<>(itemCodes(order.get()));
            for (JsonNode code : itemCodes) {
                if (!known.contains(code.asText())) {
                    return unprocessable("order_item_code " + code.asText() + " is not an item of order " + orderId);
                }
            }
        }
        synchronized (this) {
            Optional<Shipment> before = ledger.find(a.mall().sellerId(), orderId);
            if (before.isPresent()) {
                if (before.get().trackingNumber().equals(tracking) && before.get().carrier().equals(company)) {
                    return new Served(error(409, "The shipment of order " + orderId + " with tracking_no " + tracking
                            + " already exists"), Outcome.DUPLICATE);
                }
                return new Served(error(422, "Order " + orderId + " has been shipped with another tracking_no"), Outcome.BAD_REQUEST);
            }
            if (!SHIPPABLE.contains(order.get().status())) {
                return new Served(error(422, "The order status " + order.get().status() + " does not allow a shipment"),
                        Outcome.BAD_REQUEST);
            }
            Shipment shipment = ledger.record(a.mall().sellerId(), orderId, company, tracking, stamp.nanos()).orElseThrow();
            shippingStatus.put(a.mall().sellerId() + "/" + orderId, status.equals("shipping") ? "N30" : "N21");
            ObjectNode body = Json.MAPPER.createObjectNode();
            ObjectNode s = body.putObject("shipment").put("shop_no", 1)
                    .put("shipping_code", shippingCode(orderId, shipment))
                    .put("order_id", orderId);
            ArrayNode items = s.putArray("order_item_code");
            itemCodes(order.get()).forEach(items::add);
            s.put("tracking_no", tracking).put("shipping_company_code", company).put("status", status);
            return new Served(SimResponse.of(201, body), Outcome.CREATED);
        }
    }

    // ---- boards, products, daily sales (the RecordBook's records in Cafe24's shapes)

    /** The Q&amp;A board of every simulated mall (a new mall's 상품 Q&amp;A), and its review board (상품 사용후기). */
    static final long QNA_BOARD = 6;
    static final long REVIEW_BOARD = 4;
    static final int BOARD_MAX_LIMIT = 100;
    static final int BOARD_MAX_OFFSET = 8000;
    static final int PRODUCT_MAX_LIMIT = 100;
    static final int PRODUCT_MAX_OFFSET = 5000;
    /** A reply article's number: its parent's plus this (parents' numbers have at most 8 digits). */
    static final long REPLY_BASE = 1_000_000_000L;

    private Served records(SimRequest req, Authorized a, Stamp stamp) {
        return switch (a.what()) {
            case "board" -> req.method().equals("POST") ? replyArticle(req, a) : listArticles(req, a);
            case "products" -> listProducts(req, a);
            case "product" -> updateProduct(req, a);
            default -> dailySales(req, a);
        };
    }

    /** Inquiries and reviews are board articles, {@code {board_no}-{article_no}}; products their product number. */
    @Override
    public String clientRecordId(RecordBook.SimRecord record) {
        return switch (record.kind()) {
            case INQUIRIES -> QNA_BOARD + "-" + number(record.id());
            case REVIEWS -> REVIEW_BOARD + "-" + number(record.id());
            case PRODUCTS -> Long.toString(number(record.id()));
            default -> record.id();
        };
    }

    /** The board's kind in the record book: 6 Q&amp;A, 4 reviews; null for any other board (404). */
    private static RecordBook.Kind boardKind(long board) {
        return board == QNA_BOARD ? RecordBook.Kind.INQUIRIES : board == REVIEW_BOARD ? RecordBook.Kind.REVIEWS : null;
    }

    /** The record-book id of a seller's article or product number: the kind's digit, the seller's tag, the number. */
    private static String bookId(RecordBook.Kind kind, String sellerId, long number) {
        char digit = switch (kind) {
            case INQUIRIES -> '6';
            case REVIEWS -> '7';
            case PRODUCTS -> '8';
            default -> '9';
        };
        return digit + String.format("%05d", OrderBook.fnv64(sellerId) & 0xffff) + String.format("%08d", number);
    }

    /** The Cafe24 number of a record-book id: its day and index ({@code DDDDDIII}). */
    private static long number(String bookId) {
        return Long.parseLong(bookId.substring(6));
    }

    /** A date range of two {@code yyyy-MM-dd} parameters, both ends inclusive (KST), or the refusal. */
    private record Days(LocalDate first, LocalDate last) {
        Instant from() {
            return first.atStartOfDay(KST).toInstant();
        }

        Instant to() {
            return last.plusDays(1).atStartOfDay(KST).toInstant();
        }
    }

    private static Object days(Map<String, String> q, String startName, String endName, boolean required) {
        String start = q.get(startName);
        String end = q.get(endName);
        if (start == null && end == null && !required) {
            return null;
        }
        if (start == null || end == null) {
            return unprocessable(startName + " and " + endName + " are used together");
        }
        Optional<Instant> s = date(start, false);
        Optional<Instant> e = date(end, true);
        if (s.isEmpty() || e.isEmpty()) {
            return unprocessable((s.isEmpty() ? startName : endName) + " must be a date (yyyy-MM-dd), was '"
                    + (s.isEmpty() ? start : end) + "'");
        }
        LocalDate first = LocalDate.ofInstant(s.get(), KST);
        LocalDate last = LocalDate.ofInstant(e.get(), KST);
        if (last.isBefore(first)) {
            return unprocessable(endName + " must not be before " + startName);
        }
        return new Days(first, last);
    }

    /**
     * {@code GET /admin/boards/{board_no}/articles?start_date&end_date[&article_no][&reply_status][&limit][&offset]}: the
     * board's articles written in the days (less than a year apart, 422 otherwise), limit 1–100, offset 0–8000 (422
     * outside); each answered article followed by its reply article ({@code reply_depth} 1). The simulator needs the dates
     * or {@code article_no}.
     */
    private Served listArticles(SimRequest req, Authorized a) {
        Map<String, String> q = req.query();
        Optional<Served> shop = shopNo(q.get("shop_no"));
        if (shop.isPresent()) {
            return shop.get();
        }
        RecordBook.Kind kind = boardKind(a.number());
        if (kind == null) {
            return new Served(error(404, "No board found with board_no " + a.number()), Outcome.NOT_FOUND);
        }
        Optional<Integer> limit = bounded(q.get("limit"), 1, BOARD_MAX_LIMIT, DEFAULT_LIMIT);
        if (limit.isEmpty()) {
            return unprocessable("limit must be a whole number from 1 to " + BOARD_MAX_LIMIT + ", was '" + q.get("limit") + "'");
        }
        Optional<Integer> offset = bounded(q.get("offset"), 0, BOARD_MAX_OFFSET, 0);
        if (offset.isEmpty()) {
            return unprocessable("offset must be a whole number from 0 to " + BOARD_MAX_OFFSET + ", was '" + q.get("offset") + "'");
        }
        String replyStatus = q.get("reply_status");
        if (replyStatus != null && !replyStatus.matches("[NPC]")) {
            return unprocessable("reply_status must be N, P or C, was '" + replyStatus + "'");
        }
        Object range = days(q, "start_date", "end_date", false);
        if (range instanceof Served refused) {
            return refused;
        }
        List<ObjectNode> out = new ArrayList<>();
        String seller = a.mall().sellerId();
        if (range == null) {
            if (q.get("article_no") == null) {
                return unprocessable("start_date and end_date are required by the simulator unless article_no is given");
            }
            for (String no : q.get("article_no").split(",")) {
                if (!no.strip().matches("[1-9][0-9]{0,9}")) {
                    return unprocessable("article_no must be article numbers separated by ',', was '" + q.get("article_no") + "'");
                }
                long n = Long.parseLong(no.strip());
                if (n < REPLY_BASE) {
                    records.find(seller, bookId(kind, seller, n)).filter(r -> r.kind() == kind)
                            .ifPresent(r -> out.add(article(a.number(), r)));
                }
            }
        } else {
            Days d = (Days) range;
            if (!d.last().isBefore(d.first().plusYears(1))) {
                return unprocessable("The search period cannot be a year or longer (start_date to end_date)");
            }
            List<RecordBook.SimRecord> all = records.changedBetween(seller, kind, d.from().minus(Duration.ofDays(366)), d.to());
            List<ObjectNode[]> rows = new ArrayList<>();
            for (RecordBook.SimRecord r : all) {
                boolean rootIn = !r.createdAt().isBefore(d.from()) && r.createdAt().isBefore(d.to());
                if (rootIn && (replyStatus == null || replyStatus.equals(replyStatus(r)))) {
                    out.add(article(a.number(), r));
                }
                Optional<ObjectNode> reply = reply(a.number(), r);
                if (reply.isPresent() && replyStatus == null) {
                    Instant at = r.updatedAt();
                    if (!at.isBefore(d.from()) && at.isBefore(d.to())) {
                        out.add(reply.get());
                    }
                }
            }
            out.sort(java.util.Comparator.comparing((ObjectNode n) -> n.path("created_date").asText())
                    .thenComparingLong(n -> n.path("article_no").asLong()));
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("articles");
        int first = Math.min(offset.get(), out.size());
        int end = Math.min(first + limit.get(), out.size());
        out.subList(first, end).forEach(list::add);
        if (end < out.size()) {
            body.putArray("links").addObject().put("rel", "next")
                    .put("href", req.path() + "?" + replaceParam(req.rawQuery(), "offset", Integer.toString(end)));
        }
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private static String replyStatus(RecordBook.SimRecord r) {
        return r.state().equals("ANSWERED") || r.state().equals("REPLIED") ? "C" : "N";
    }

    /** A record as Cafe24 renders a board article: a question or a review, {@code deleted} T when it was deleted. */
    private ObjectNode article(long board, RecordBook.SimRecord r) {
        long no = number(r.id());
        boolean review = r.kind() == RecordBook.Kind.REVIEWS;
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("shop_no", 1).put("article_no", no).put("parent_article_no", no).put("board_no", board)
                .put("product_no", number(r.attrs().getOrDefault("productId", "80000000000000")))
                .put("category_no", 1).put("board_category_no", 1).put("reply_sequence", 1).put("reply_depth", 0)
                .put("created_date", orderTime(r.createdAt()))
                .put("writer", "구매자" + (no % 100)).put("member_id", "buyer" + (no % 1000))
                .put("title", review ? "Review " + (no % 1000) : r.attrs().getOrDefault("title", ""))
                .put("content", review ? r.attrs().getOrDefault("content", "") : r.attrs().getOrDefault("question", ""))
                .put("client_ip", "10.0.0." + (no % 250 + 1));
        if (review) {
            n.put("rating", Integer.parseInt(r.attrs().getOrDefault("rating", "5")));
        }
        n.put("display", "T").put("secret", review ? "F" : "T").put("notice", "F").put("fixed", "F")
                .put("deleted", r.state().equals("DELETED") ? "T" : "F").put("input_channel", "P")
                .putNull("order_id").put("hit", 0).put("reply", "F")
                .put("reply_status", replyStatus(r));
        return n;
    }

    /** The reply article of an answered inquiry or a replied review, written by the mall. */
    private Optional<ObjectNode> reply(long board, RecordBook.SimRecord r) {
        String text = r.attrs().get(r.kind() == RecordBook.Kind.REVIEWS ? "reply" : "answer");
        if (text == null || r.state().equals("DELETED")) {
            return Optional.empty();
        }
        long parent = number(r.id());
        return Optional.of(Json.MAPPER.createObjectNode()
                .put("shop_no", 1).put("article_no", REPLY_BASE + parent).put("parent_article_no", parent).put("board_no", board)
                .put("reply_sequence", 2).put("reply_depth", 1).put("created_date", orderTime(r.updatedAt()))
                .put("writer", "shop").put("title", "답변").put("content", text).put("client_ip", "127.0.0.1")
                .put("display", "T").put("deleted", "F").put("reply_status", "C"));
    }

    /**
     * {@code POST /admin/boards/{board_no}/articles {"shop_no":1,"requests":[{writer, title, content, client_ip,
     * reply_article_no}]}} (1 to 10 requests; the simulator takes replies only): each reply answers its article through
     * the record book. 201 {@code {"articles":[…]}}; the same text again is a second reply article as at Cafe24 (a
     * repeat in the figures); another text to an answered article, or a reply to a deleted one, 422 with the reason;
     * an unknown article 404.
     */
    private Served replyArticle(SimRequest req, Authorized a) {
        WriteBody write = writeBody(req, "requests", r -> r.isArray() && !r.isEmpty() && r.size() <= 10,
                "requests is required: {\"shop_no\":1,\"requests\":[…]}, 1 to 10 articles per call");
        if (write.refused() != null) {
            return write.refused();
        }
        JsonNode requests = write.field();
        RecordBook.Kind kind = boardKind(a.number());
        if (kind == null) {
            return new Served(error(404, "No board found with board_no " + a.number()), Outcome.NOT_FOUND);
        }
        for (JsonNode r : requests) {
            String writer = r.path("writer").asText("");
            String title = r.path("title").asText("");
            if (writer.isBlank() || writer.length() > 100) {
                return unprocessable("writer is required, at most 100 characters");
            }
            if (title.isBlank() || title.length() > 256) {
                return unprocessable("title is required, at most 256 characters");
            }
            if (r.path("content").asText("").isBlank()) {
                return unprocessable("content is required");
            }
            if (!r.path("client_ip").asText("").matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                return unprocessable("client_ip is required: the writer's IP address");
            }
            if (!r.path("reply_article_no").canConvertToLong() || r.path("reply_article_no").asLong() < 1) {
                return unprocessable("reply_article_no is required by the simulator (it takes replies to articles only)");
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode created = body.putArray("articles");
        Outcome outcome = Outcome.CREATED;
        String seller = a.mall().sellerId();
        for (JsonNode r : requests) {
            long parent = r.get("reply_article_no").asLong();
            String id = bookId(kind, seller, parent);
            String text = r.get("content").asText();
            RecordBook.Outcome done = kind == RecordBook.Kind.INQUIRIES ? records.answer(seller, id, text) : records.reply(seller, id, text);
            switch (done.applied()) {
                case NOT_FOUND -> {
                    return new Served(error(404, "No article found with article_no " + parent + " on board " + a.number()),
                            Outcome.NOT_FOUND);
                }
                case REFUSED -> {
                    return unprocessable("The article " + parent + " cannot be replied to: " + done.reason());
                }
                case ALREADY -> outcome = Outcome.DUPLICATE;
                case DONE -> { }
            }
            RecordBook.SimRecord now = records.find(seller, id).orElseThrow();
            created.add(reply(a.number(), now).orElseThrow().put("writer", r.get("writer").asText())
                    .put("title", r.get("title").asText()).put("client_ip", r.get("client_ip").asText()));
        }
        return new Served(SimResponse.of(201, body), outcome);
    }

    /**
     * {@code GET /admin/products?updated_start_date&updated_end_date[&limit][&offset|&since_product_no]}: the products
     * changed in the days (the simulator needs them), by product number; limit 1–100, offset 0–5000, since_product_no not
     * with offset (422). An ended product is deleted at Cafe24: not listed.
     */
    private Served listProducts(SimRequest req, Authorized a) {
        Map<String, String> q = req.query();
        Optional<Served> shop = shopNo(q.get("shop_no"));
        if (shop.isPresent()) {
            return shop.get();
        }
        Optional<Integer> limit = bounded(q.get("limit"), 1, PRODUCT_MAX_LIMIT, DEFAULT_LIMIT);
        if (limit.isEmpty()) {
            return unprocessable("limit must be a whole number from 1 to " + PRODUCT_MAX_LIMIT + ", was '" + q.get("limit") + "'");
        }
        Optional<Integer> offset = bounded(q.get("offset"), 0, PRODUCT_MAX_OFFSET, 0);
        if (offset.isEmpty()) {
            return unprocessable("offset must be a whole number from 0 to " + PRODUCT_MAX_OFFSET + ", was '" + q.get("offset") + "'");
        }
        String since = q.get("since_product_no");
        if (since != null && (q.containsKey("offset") || q.containsKey("sort") || q.containsKey("order") || q.containsKey("product_no"))) {
            return unprocessable("since_product_no cannot be used with product_no, sort, order or offset");
        }
        if (since != null && !since.matches("[0-9]{1,10}")) {
            return unprocessable("since_product_no must be a product number, was '" + since + "'");
        }
        Object range = days(q, "updated_start_date", "updated_end_date", true);
        if (range instanceof Served refused) {
            return refused;
        }
        Days d = (Days) range;
        long after = since == null ? 0 : Long.parseLong(since);
        List<ObjectNode> out = new ArrayList<>();
        for (RecordBook.SimRecord r : records.changedBetween(a.mall().sellerId(), RecordBook.Kind.PRODUCTS, d.from(), d.to())) {
            if (!r.state().equals("ENDED") && number(r.id()) > after) {
                out.add(product(r));
            }
        }
        out.sort(java.util.Comparator.comparingLong(n -> n.path("product_no").asLong()));
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("products");
        int first = since == null ? Math.min(offset.get(), out.size()) : 0;
        out.subList(first, Math.min(first + limit.get(), out.size())).forEach(list::add);
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    private static ObjectNode product(RecordBook.SimRecord r) {
        long no = number(r.id());
        return Json.MAPPER.createObjectNode()
                .put("shop_no", 1).put("product_no", no).put("product_code", String.format("P%07X", no % 0xFFFFFFFL))
                .put("custom_product_code", "").put("product_name", r.attrs().getOrDefault("name", ""))
                .put("price", r.attrs().getOrDefault("price", "0") + ".00").put("retail_price", "0.00")
                .put("display", "T").put("selling", r.state().equals("SUSPENDED") ? "F" : "T")
                .put("product_condition", "N").put("sold_out", r.state().equals("SOLD_OUT") ? "T" : "F")
                .put("created_date", orderTime(r.createdAt())).put("updated_date", orderTime(r.updatedAt()));
    }

    /**
     * {@code PUT /admin/products/{product_no} {"shop_no":1,"request":{price?, selling?, display?}}}: 200
     * {@code {"product":…}} (the same value again changes nothing, a repeat in the figures); no such product, or an ended
     * (deleted) one, 404.
     */
    private Served updateProduct(SimRequest req, Authorized a) {
        WriteBody write = writeBody(req, "request", r -> r.isObject() && !r.isEmpty(),
                "request is required: {\"shop_no\":1,\"request\":{…}}");
        if (write.refused() != null) {
            return write.refused();
        }
        JsonNode request = write.field();
        List<String[]> changes = new ArrayList<>();
        if (request.has("price")) {
            String price = request.get("price").asText("");
            if (!price.matches("(0|[1-9][0-9]{0,9})(\\.00?)?")) {
                return unprocessable("price must be an amount of whole won such as 11000.00, was '" + price + "'");
            }
            changes.add(new String[] {"price", Long.toString(new java.math.BigDecimal(price).longValueExact())});
        }
        for (String flag : List.of("selling", "display")) {
            if (request.has(flag)) {
                String v = request.get(flag).asText("");
                if (!v.equals("T") && !v.equals("F")) {
                    return unprocessable(flag + " must be T or F, was '" + v + "'");
                }
                if (flag.equals("selling")) {
                    changes.add(new String[] {"state", v.equals("T") ? "ON_SALE" : "SUSPENDED"});
                }
            }
        }
        String seller = a.mall().sellerId();
        String id = bookId(RecordBook.Kind.PRODUCTS, seller, a.number());
        Outcome outcome = Outcome.OK;
        for (String[] change : changes) {
            RecordBook.Outcome done = records.changeProduct(seller, id, change[0], change[1]);
            if (done.applied() == RecordBook.Applied.NOT_FOUND || done.applied() == RecordBook.Applied.REFUSED) {
                return new Served(error(404, "No product found with product_no " + a.number()), Outcome.NOT_FOUND);
            }
            if (done.applied() == RecordBook.Applied.ALREADY) {
                outcome = Outcome.DUPLICATE;
            }
        }
        Optional<RecordBook.SimRecord> now = records.find(seller, id);
        if (now.isEmpty() || now.get().state().equals("ENDED")) {
            return new Served(error(404, "No product found with product_no " + a.number()), Outcome.NOT_FOUND);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("product", product(now.get()));
        return new Served(SimResponse.of(200, body), outcome);
    }

    /**
     * {@code GET /admin/financials/dailysales?start_date&end_date} (both required, 422 otherwise): the mall's sales per
     * day, {@code {"dailysales":[{shop_no, date, payment_amount, refund_amount, sales_count}]}}.
     */
    private Served dailySales(SimRequest req, Authorized a) {
        Object range = days(req.query(), "start_date", "end_date", true);
        if (range instanceof Served refused) {
            return refused;
        }
        Days d = (Days) range;
        java.util.TreeMap<LocalDate, long[]> byDay = new java.util.TreeMap<>();
        for (RecordBook.SimRecord r : records.between(a.mall().sellerId(), RecordBook.Kind.SETTLEMENTS,
                d.from().minus(Duration.ofDays(1)), d.to().plus(Duration.ofDays(1)))) {
            LocalDate day = LocalDate.parse(r.attrs().get("settleDate"));
            if (!day.isBefore(d.first()) && !day.isAfter(d.last())) {
                long[] sum = byDay.computeIfAbsent(day, k -> new long[2]);
                sum[0] += Long.parseLong(r.attrs().get("amount"));
                sum[1]++;
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("dailysales");
        byDay.forEach((day, sum) -> list.addObject().put("shop_no", 1).put("date", day.toString())
                .put("payment_amount", sum[0] + ".00").put("refund_amount", "0.00").put("sales_count", sum[1]));
        return new Served(SimResponse.of(200, body), Outcome.OK);
    }

    // ---- rendering

    /** The order's items' order_status: shipped by a client (N30, or N21 for standby), else generated. */
    private String itemStatus(Mall mall, Order o) {
        synchronized (this) {
            String shipped = shippingStatus.get(mall.sellerId() + "/" + o.orderId());
            return shipped != null ? shipped : o.status();
        }
    }

    private static List<String> itemCodes(Order o) {
        List<String> codes = new ArrayList<>();
        for (int i = 1; i <= o.itemCount(); i++) {
            codes.add(o.orderId() + String.format("-%02d", i));
        }
        return codes;
    }

    private static String shippingCode(String orderId, Shipment s) {
        return "D-" + orderId + "-" + s.shipmentId().substring(4);
    }

    private ObjectNode order(Mall mall, Order o, Set<String> embed) {
        String status = itemStatus(mall, o);
        Optional<Shipment> shipped = ledger.find(mall.sellerId(), o.orderId());
        SplittableRandom r = new SplittableRandom(OrderBook.fnv64(o.orderId() + "/" + mall.mallId()));
        String name = SimulatedPeople.name(r);
        String phone = "010-****-" + String.format("%04d", r.nextInt(10_000));
        boolean cancelled = status.startsWith("C");
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("shop_no", 1)
                .put("currency", "KRW")
                .put("order_id", o.orderId())
                .put("market_id", "self")
                .put("member_id", "sim****")
                .put("billing_name", name)
                .put("paid", "T")
                .put("canceled", cancelled ? "T" : "F")
                .put("order_date", orderTime(o.orderedAt()))
                .put("payment_date", orderTime(o.updatedAt()))
                .put("order_from_mobile", "F")
                .put("payment_amount", o.totalPrice() + ".00")
                .put("shipping_type", "A")
                .put("shipping_status", switch (status) {
                    case "N30" -> "M";
                    case "N40", "N50" -> "T";
                    case "N22" -> "W";
                    default -> "F";
                });
        n.putArray("payment_method").add("card");
        if (embed.contains("items")) {
            ArrayNode items = n.putArray("items");
            long unit = o.totalPrice() / o.itemCount();
            int i = 0;
            for (String code : itemCodes(o)) {
                i++;
                ObjectNode item = items.addObject().put("shop_no", 1).put("item_no", i).put("order_item_code", code)
                        .put("product_no", 1000 + Math.floorMod(OrderBook.fnv64(code), 9000))
                        .put("product_name", "시뮬레이션 상품 " + i)
                        .put("quantity", 1)
                        .put("product_price", unit + ".00")
                        .put("order_status", status)
                        .put("status_code", status);
                if (shipped.isPresent()) {
                    item.put("shipping_code", shippingCode(o.orderId(), shipped.get()))
                            .put("tracking_no", shipped.get().trackingNumber())
                            .put("shipping_company_code", shipped.get().carrier());
                } else if (status.equals("N30") || status.equals("N40") || status.equals("N50")) {
                    item.put("shipping_code", "D-" + o.orderId() + "-" + String.format("%02d", i))
                            .put("tracking_no", "6" + String.format("%011d", Math.floorMod(OrderBook.fnv64(code + "/tracking"), 100_000_000_000L)))
                            .put("shipping_company_code", CARRIERS.get(Math.floorMod(OrderBook.fnv64(code), CARRIERS.size())));
                } else {
                    item.putNull("shipping_code").putNull("tracking_no").putNull("shipping_company_code");
                }
            }
        }
        if (embed.contains("receivers")) {
            n.putArray("receivers").addObject().put("name", name).put("cellphone", phone)
                    .put("zipcode", String.format("%05d", r.nextInt(100_000))).put("address1", SimulatedPeople.address(r))
                    .put("address2", (1 + r.nextInt(20)) + "동 *호");
        }
        if (embed.contains("buyer")) {
            n.putObject("buyer").put("name", name).put("cellphone", phone).put("email", "sim****@example.com");
        }
        return n;
    }

    // ---- parameters and answers

    /** A write's body read by {@link #writeBody}: its field, or the answer that refuses it (then the field is null). */
    private record WriteBody(JsonNode field, Served refused) {}

    /**
     * The {@code field} of a write's {@code {"shop_no":1, field: …}} body, checked in the order the Admin API checks
     * it: a Content-Type other than {@code application/json} or a body that is not JSON 400; the field missing or not
     * as {@code valid} wants it 422 with {@code required}; another {@code shop_no} 422.
     */
    private static WriteBody writeBody(SimRequest req, String field, Predicate<JsonNode> valid, String required) {
        String contentType = req.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return new WriteBody(null, new Served(error(400, "Content-Type must be application/json"), Outcome.BAD_REQUEST));
        }
        JsonNode root;
        try {
            root = req.body().length == 0 ? null : Json.MAPPER.readTree(req.body());
        } catch (IOException e) {
            return new WriteBody(null, new Served(error(400, "The body is not JSON"), Outcome.BAD_REQUEST));
        }
        JsonNode value = root == null ? null : root.get(field);
        if (value == null || !valid.test(value)) {
            return new WriteBody(null, unprocessable(required));
        }
        Optional<Served> shop = shopNo(root.has("shop_no") ? root.get("shop_no").asText() : null);
        return shop.map(refused -> new WriteBody(null, refused)).orElseGet(() -> new WriteBody(value, null));
    }

    private static Optional<Served> shopNo(String shopNo) {
        if (shopNo == null || shopNo.equals("1")) {
            return Optional.empty();
        }
        return Optional.of(unprocessable("shop_no " + shopNo + " is not a shop of this mall (the simulator has shop 1 only)"));
    }

    /**
     * A date parameter: {@code yyyy-MM-dd} (the day's first second, or its last for an end), an ISO-8601 date-time
     * with offset, or a local date-time in KST ({@code yyyy-MM-ddTHH:mm:ss} or with a space).
     */
    private static Optional<Instant> date(String text, boolean end) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text, DAY);
                return Optional.of((end ? day.atTime(23, 59, 59) : day.atStartOfDay()).toInstant(KST));
            }
            if (text.length() == 19) {
                return Optional.of(LocalDateTime.parse(text, text.charAt(10) == ' ' ? SECOND_SPACE : LOCAL_SECOND).toInstant(KST));
            }
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> bounded(String text, int min, int max, int absent) {
        if (text == null) {
            return Optional.of(absent);
        }
        try {
            int n = Integer.parseInt(text);
            return n < min || n > max ? Optional.empty() : Optional.of(n);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Set<String> list(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    private static String replaceParam(String rawQuery, String name, String value) {
        List<String> parts = new ArrayList<>();
        if (rawQuery != null) {
            for (String p : rawQuery.split("&")) {
                if (!p.isEmpty() && !p.startsWith(name + "=")) {
                    parts.add(p);
                }
            }
        }
        parts.add(name + "=" + value);
        return String.join("&", parts);
    }

    private static Served unprocessable(String message) {
        return new Served(error(422, message), Outcome.BAD_REQUEST);
    }

    /** The Admin API's error envelope: {@code {"error":{"code":status,"message":…}}}. */
    static SimResponse error(int status, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("error").put("code", status).put("message", message);
        return SimResponse.of(status, body);
    }

    /** The token endpoint's OAuth2 error: {@code {"error":code,"error_description":…}}. */
    static SimResponse oauthError(int status, String code, String description) {
        return SimResponse.of(status, Json.MAPPER.createObjectNode().put("error", code).put("error_description", description));
    }

    private String newValue() {
        StringBuilder value = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            value.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return value.toString();
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

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Instant seconds(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    static String tokenTime(long nanos) {
        return LocalDateTime.ofInstant(Instant.ofEpochSecond(0, nanos), KST).format(TOKEN_TIME);
    }

    static String orderTime(Instant t) {
        return t.atOffset(KST).format(ORDER_TIME);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
