package io.marketgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code adapter} section of a market that speaks the project's reference REST protocol (see the javadoc of
 * {@code io.marketgate.market.reference} in market-client for the protocol itself).
 *
 * <pre>{@code
 * adapter:
 *   type: reference-rest
 *   baseUrl: http://127.0.0.1:8601/coupang
 *   apiKey: ${env:COUPANG_API_KEY}
 *   pageSize: 50
 *   maxRangePerCall: 24h
 *   throttleCodes: ["004"]
 *   calls: {listOrders: list-orders, shipOrder: ship-order}
 * }</pre>
 *
 * @param baseUrl an http(s) URL without query, fragment or trailing slash; paths of the protocol are appended
 * @param apiKey sent as {@code X-Api-Key}; never shown by {@link #toString()}
 * @param pageSize orders per page asked for, 1..1000
 * @param maxRangePerCall the longest time range one list call may ask for; longer ranges are split into windows
 * @param requestTimeout how long one HTTP request may take before it counts as failed (retryable)
 * @param throttleCodes codes that, in the {@code code} field of an HTTP 200 body, mean "throttled" (11st's
 *     {@code 004}); empty when the market throttles with HTTP 429 only
 * @param calls by operation ({@link #LIST_ORDERS}, {@link #SHIP_ORDER}, {@link #GET_ORDER}): the market's named call whose budgets
 *     the operation draws from
 */
public record ReferenceRestConfig(
        URI baseUrl,
        SecretValue apiKey,
        int pageSize,
        Duration maxRangePerCall,
        Duration requestTimeout,
        List<String> throttleCodes,
        Map<String, String> calls) implements AdapterConfig {

    /** The operation that lists a seller's orders; every reference REST market must map it to a call. */
    public static final String LIST_ORDERS = "listOrders";
    /** The operation that ships an order (a HIGH action); optional. */
    public static final String SHIP_ORDER = "shipOrder";
    /** The operation that reads one order (re-collection); optional, drawing from {@link #LIST_ORDERS}' call when absent. */
    public static final String GET_ORDER = "getOrder";
    /** The operations a {@code calls} section may map, in the order messages list them. */
    public static final List<String> OPERATIONS = operations();

    private static List<String> operations() {
        List<String> all = new java.util.ArrayList<>(List.of(LIST_ORDERS, SHIP_ORDER, GET_ORDER));
        for (String kind : Operations.KINDS) {
            if (!kind.equals("orders")) {
                all.add(Operations.listOperation(kind));
            }
        }
        for (String action : Operations.ACTIONS) {
            if (!action.equals("ship-order")) {
                all.add(Operations.actionOperation(action));
            }
        }
        return List.copyOf(all);
    }

    /** {@code pageSize} when the file gives none. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** The largest {@code pageSize}. */
    public static final int MAX_PAGE_SIZE = 1000;
    /** {@code maxRangePerCall} when the file gives none: one day, the tightest of the markets we know (Coupang, Naver). */
    public static final Duration DEFAULT_MAX_RANGE_PER_CALL = Duration.ofHours(24);
    /** The longest {@code maxRangePerCall}: 31 days, the longest any market we know accepts. */
    public static final Duration MAX_RANGE_PER_CALL = Duration.ofDays(31);
    /** {@code requestTimeout} when the file gives none. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The longest {@code requestTimeout}: longer would hold a Lambda (and its budget grant) for little gain. */
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(2);

    public ReferenceRestConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(maxRangePerCall, "maxRangePerCall");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        throttleCodes = List.copyOf(throttleCodes);
        calls = Collections.unmodifiableMap(new LinkedHashMap<>(calls));
        if (!calls.containsKey(LIST_ORDERS)) {
            throw new IllegalArgumentException("calls must map " + LIST_ORDERS);
        }
    }

    @Override
    public AdapterType type() {
        return AdapterType.REFERENCE_REST;
    }

    /** The market's call that {@link #LIST_ORDERS} draws from. */
    public String listOrdersCall() {
        return calls.get(LIST_ORDERS);
    }

    /** The market's call that {@link #SHIP_ORDER} draws from, when the market ships through this adapter. */
    public Optional<String> shipOrderCall() {
        return Optional.ofNullable(calls.get(SHIP_ORDER));
    }

    /** The market's call that {@link #GET_ORDER} draws from: its own when mapped, else the list call's. */
    public String getOrderCall() {
        return calls.getOrDefault(GET_ORDER, listOrdersCall());
    }

    /** Shows the API key only as {@code ${env:NAME}} or redacted. */
    @Override
    public String toString() {
        return "ReferenceRestConfig[baseUrl=" + baseUrl + ", apiKey=" + apiKey + ", pageSize=" + pageSize
                + ", maxRangePerCall=" + Durations.format(maxRangePerCall) + ", requestTimeout="
                + Durations.format(requestTimeout) + ", throttleCodes=" + throttleCodes + ", calls=" + calls + "]";
    }
}
