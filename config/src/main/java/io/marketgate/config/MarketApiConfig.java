package io.marketgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code adapter} section of a market that speaks its own protocol ({@code coupang}, {@code naver}, {@code 11st}). Credentials
 * are not here: each seller registers its own (the sellers API), and the adapter reads them per call.
 *
 * <pre>{@code
 * adapter:
 *   type: naver
 *   baseUrl: https://api.commerce.naver.com/external   # the default
 *   pageSize: 300
 *   calls: {token: token, listOrders: list-changed-orders, getOrders: get-orders, shipOrder: ship-order}
 * }</pre>
 *
 * @param type the protocol; its limits ({@link AdapterType#maxPageSize()}, {@link AdapterType#maxRangePerCall()})
 *     bound the fields below
 * @param baseUrl an http(s) URL without query, fragment or trailing slash; the market's paths are appended
 * @param pageSize orders per page asked for; 0 for a market without pages ({@link AdapterType#paged()}: 11st)
 * @param maxRangePerCall the longest time range one list call asks for; longer ranges are split into windows
 * @param requestTimeout how long one HTTP request may take before it counts as failed (retryable)
 * @param calls by operation ({@link #LIST_ORDERS}, …): the market's named call whose budgets the operation draws from
 */
public record MarketApiConfig(AdapterType type, URI baseUrl, int pageSize, Duration maxRangePerCall, Duration requestTimeout,
        Map<String, String> calls) implements AdapterConfig {

    /** Lists a seller's orders (Coupang's order sheets, Naver's last-changed statuses, 11st's stage lists). */
    public static final String LIST_ORDERS = "listOrders";
    /** Reads one order (Coupang's order sheet by shipment box, 11st's paid lines of one order number). */
    public static final String GET_ORDER = "getOrder";
    /** Reads the details of listed orders (Naver's product-order query), also used to read one order again. */
    public static final String GET_ORDERS = "getOrders";
    /** Ships an order (Coupang's invoice upload, Naver's dispatch, 11st's shipping of a delivery number). */
    public static final String SHIP_ORDER = "shipOrder";
    /** Requests an access token (Naver's OAuth2 token call). */
    public static final String TOKEN = "token";

    public MarketApiConfig {
        Objects.requireNonNull(type, "type");
        if (type == AdapterType.REFERENCE_REST) {
            throw new IllegalArgumentException("type reference-rest is configured by ReferenceRestConfig");
        }
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(maxRangePerCall, "maxRangePerCall");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
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
    }

    /** The market call an operation draws from, when the section maps it. */
    public Optional<String> call(String operation) {
        return Optional.ofNullable(calls.get(operation));
    }

    /** The market call of a required operation. */
    public String requiredCall(String operation) {
        return call(operation).orElseThrow(() -> new IllegalArgumentException("calls." + operation + " is missing"));
    }
}
