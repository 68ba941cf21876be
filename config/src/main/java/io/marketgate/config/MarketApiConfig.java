package io.marketgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code adapter} section of a market that speaks its own protocol ({@code coupang}, {@code naver}, {@code 11st},
 * {@code cafe24}). Credentials are not here: each seller registers its own (the sellers API), and the adapter reads
 * them per call.
 *
 * <pre>{@code
 * adapter:
 *   type: naver
 *   baseUrl: https://api.commerce.naver.com/external   # the default
 *   pageSize: 300
 *   calls: {token: token, listOrders: list-changed-orders, getOrders: get-orders, shipOrder: ship-order}
 *
 * adapter:
 *   type: cafe24
 *   baseUrl: https://{mallId}.cafe24api.com/api/v2      # the default; {mallId} is each seller's mall
 *   apiVersion: 2026-03-01                              # X-Cafe24-Api-Version, the default
 *   redirectUri: https://api.example.com/v1/connections/callback   # where a mall's consent returns
 *   scopes: [mall.read_order, mall.write_order]         # the default
 *   calls: {token: token, listOrders: list-orders, getOrder: get-order, shipOrder: ship-order}
 * }</pre>
 *
 * <p>A per-mall type's ({@link AdapterType#perMall()}) base URL is a template with {@value #MALL_ID_PLACEHOLDER} exactly
 * once, in the host ({@code https://{mallId}.cafe24api.com/api/v2}) or the path (a simulator's
 * {@code http://127.0.0.1:8604/cafe24/{mallId}/api/v2}). {@link java.net.URI} cannot hold braces, so {@link #baseUrl()}
 * holds the placeholder percent-encoded ({@value #MALL_ID_ENCODED}); {@link #baseUrlTemplate()} gives it as written and
 * {@link #baseUrlFor(String)} the URL of one mall.
 *
 * @param type the protocol; its limits ({@link AdapterType#maxPageSize()}, {@link AdapterType#maxRangePerCall()})
 *     bound the fields below
 * @param baseUrl an http(s) URL without query, fragment or trailing slash; the market's paths are appended
 * @param pageSize orders per page asked for; 0 for a market without pages ({@link AdapterType#paged()}: 11st)
 * @param maxRangePerCall the longest time range one list call asks for; longer ranges are split into windows
 * @param requestTimeout how long one HTTP request may take before it counts as failed (retryable)
 * @param calls by operation ({@link #LIST_ORDERS}, …): the market's named call whose budgets the operation draws from
 * @param apiVersion per-mall types: the API version every call names ({@code X-Cafe24-Api-Version}); empty otherwise
 * @param redirectUri per-mall types: where a mall owner's consent returns (the API's
 *     {@code /v1/connections/callback}, as registered with the market's app); empty when malls are not connected
 *     through this environment's API
 * @param scopes per-mall types: the scopes a consent asks for; empty for other types
 */
public record MarketApiConfig(AdapterType type, URI baseUrl, int pageSize, Duration maxRangePerCall, Duration requestTimeout,
        Map<String, String> calls, Optional<String> apiVersion, Optional<URI> redirectUri, List<String> scopes)
        implements AdapterConfig {

    /** Lists a seller's orders (Coupang's order sheets, Naver's last-changed statuses, 11st's stage lists, Cafe24's orders). */
    public static final String LIST_ORDERS = "listOrders";
    /** Reads one order (Coupang's order sheet by shipment box, 11st's paid lines of one order number, Cafe24's order). */
    public static final String GET_ORDER = "getOrder";
    /** Reads the details of listed orders (Naver's product-order query), also used to read one order again. */
    public static final String GET_ORDERS = "getOrders";
    /** Ships an order (Coupang's invoice upload, Naver's dispatch, 11st's shipping of a delivery number, Cafe24's shipment). */
    public static final String SHIP_ORDER = "shipOrder";
    /** Requests an access token (Naver's OAuth2 token call, Cafe24's code exchange and refresh). */
    public static final String TOKEN = "token";

    /** Where a per-mall type's base URL names the mall, as an environment file writes it. */
    public static final String MALL_ID_PLACEHOLDER = "{mallId}";
    /** {@link #MALL_ID_PLACEHOLDER} as {@link #baseUrl()} holds it (a URI cannot hold braces). */
    public static final String MALL_ID_ENCODED = "%7BmallId%7D";
    /** Cafe24's default API version: the version of the documentation the adapter follows. */
    public static final String DEFAULT_API_VERSION = "2026-03-01";
    /** The scopes a Cafe24 consent asks for by default: read orders, and write them (shipments). */
    public static final List<String> DEFAULT_SCOPES = List.of("mall.read_order", "mall.write_order");
    /**
     * The scopes a per-mall (Cafe24) consent must grant for each operation the section maps [D Cafe24 admin docs, each
     * call's SCOPE]: shipping writes the order; the boards (Q&amp;A, reviews) are read with {@code mall.read_community}
     * and answered with {@code mall.write_community} (an answer reads its article first); products are read with
     * {@code mall.read_product} and changed with {@code mall.write_product}; daily sales need
     * {@code mall.read_salesreport}.
     */
    public static final Map<String, List<String>> SCOPES_BY_OPERATION = Map.of(
            SHIP_ORDER, List.of("mall.write_order"),
            "listInquiries", List.of("mall.read_community"),
            "listReviews", List.of("mall.read_community"),
            "answerInquiry", List.of("mall.read_community", "mall.write_community"),
            "replyReview", List.of("mall.read_community", "mall.write_community"),
            "listProducts", List.of("mall.read_product"),
            "changePrice", List.of("mall.write_product"),
            "changeSaleStatus", List.of("mall.write_product"),
            "listSettlements", List.of("mall.read_salesreport"));
    /** An API version: a date. */
    public static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** A scope as Cafe24 names them: {@code mall.read_order}. */
    public static final Pattern SCOPE = Pattern.compile("mall\\.(read|write)_[a-z_]{1,40}");
    /**
     * A mall id as it goes into a base URL: a DNS label (it becomes a host name), lower-case letters, digits and
     * '-', 1 to 63 characters, neither starting nor ending with '-'.
     */
    public static final Pattern MALL_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public MarketApiConfig {
        Objects.requireNonNull(type, "type");
        if (type == AdapterType.REFERENCE_REST) {
            throw new IllegalArgumentException("type reference-rest is configured by ReferenceRestConfig");
        }
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(maxRangePerCall, "maxRangePerCall");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = List.copyOf(scopes);
        int placeholders = count(baseUrl.toString(), MALL_ID_ENCODED);
        if (type.perMall() && placeholders != 1) {
            throw new IllegalArgumentException("baseUrl " + baseUrl + " must name the mall with " + MALL_ID_PLACEHOLDER
                    + " exactly once (type " + type.configName() + " has one API per mall)");
        }
        if (!type.perMall() && placeholders != 0) {
            throw new IllegalArgumentException("baseUrl " + baseUrl + " must not name a mall: type " + type.configName()
                    + " has one API for every seller");
        }
        if (type.paged() && (pageSize < 1 || pageSize > type.maxPageSize())) {
            throw new IllegalArgumentException("pageSize is " + pageSize + ", must be 1.." + type.maxPageSize());
        }
        if (!type.paged() && pageSize != 0) {
            throw new IllegalArgumentException("pageSize is " + pageSize + ", must be 0 for type " + type.configName()
                    + ", which answers a range whole, without pages");
        }
        if (maxRangePerCall.compareTo(type.maxRangePerCall()) > 0) {
            throw new IllegalArgumentException("maxRangePerCall is " + maxRangePerCall + ", at most " + type.maxRangePerCall());
        }
        calls = Collections.unmodifiableMap(new LinkedHashMap<>(calls));
        for (String required : type.requiredCalls()) {
            if (!calls.containsKey(required)) {
                throw new IllegalArgumentException("calls." + required + " is missing");
            }
        }
        if (!type.perMall() && (apiVersion.isPresent() || redirectUri.isPresent() || !scopes.isEmpty())) {
            throw new IllegalArgumentException("apiVersion, redirectUri and scopes are settings of per-mall types, not of "
                    + type.configName());
        }
        apiVersion.filter(v -> !API_VERSION.matcher(v).matches()).ifPresent(v -> {
            throw new IllegalArgumentException("apiVersion '" + v + "' must be a date, yyyy-MM-dd");
        });
        for (String scope : scopes) {
            if (!SCOPE.matcher(scope).matches()) {
                throw new IllegalArgumentException("scopes: '" + scope + "' must be a scope such as mall.read_order");
            }
        }
    }

    /** A section of a type that has one API for every seller (no API version, redirect URI or scopes). */
    public MarketApiConfig(AdapterType type, URI baseUrl, int pageSize, Duration maxRangePerCall, Duration requestTimeout,
            Map<String, String> calls) {
        this(type, baseUrl, pageSize, maxRangePerCall, requestTimeout, calls, Optional.empty(), Optional.empty(), List.of());
    }

    /** This section with another base URL (a simulator's), everything else kept. */
    public MarketApiConfig withBaseUrl(URI baseUrl) {
        return new MarketApiConfig(type, baseUrl, pageSize, maxRangePerCall, requestTimeout, calls, apiVersion, redirectUri,
                scopes);
    }

    /** The market call an operation draws from, when the section maps it. */
    public Optional<String> call(String operation) {
        return Optional.ofNullable(calls.get(operation));
    }

    /** The market call of a required operation. */
    public String requiredCall(String operation) {
        return call(operation).orElseThrow(() -> new IllegalArgumentException("calls." + operation + " is missing"));
    }

    /** The base URL as an environment file writes it: {@value #MALL_ID_PLACEHOLDER} in braces for a per-mall type. */
    public String baseUrlTemplate() {
        return baseUrl.toString().replace(MALL_ID_ENCODED, MALL_ID_PLACEHOLDER);
    }

    /**
     * The base URL of one mall (a per-mall type), or {@link #baseUrl()} (any other type).
     *
     * @throws IllegalArgumentException naming {@code mallId} when it is not a DNS label ({@link #MALL_ID})
     */
    public URI baseUrlFor(String mallId) {
        if (!type.perMall()) {
            return baseUrl;
        }
        if (mallId == null || !MALL_ID.matcher(mallId).matches()) {
            throw new IllegalArgumentException("mallId '" + mallId + "' must be 1 to 63 lower-case letters, digits or '-', "
                    + "not starting or ending with '-' (it becomes the host or a path segment of the mall's API)");
        }
        return URI.create(baseUrl.toString().replace(MALL_ID_ENCODED, mallId));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }
}
