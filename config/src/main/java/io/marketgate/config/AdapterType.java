package io.marketgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The market protocols an environment file may name under {@code markets.<market>.adapter.type}. A market's own
 * protocol ({@code coupang}, {@code naver}, {@code 11st}, {@code cafe24}) has its limits as constants here, so that the
 * file is checked against them ({@link MarketApiConfig}).
 */
public enum AdapterType implements ConfigName {
    /** The project's reference REST protocol, see {@link ReferenceRestConfig}. */
    REFERENCE_REST("reference-rest", null, 1000, 50, Duration.ofDays(31), Duration.ofHours(24), List.of(), List.of(), false,
            Operations.KINDS, Operations.ACTIONS),
    /**
     * Coupang Wing Open API: order sheets by time frame (at most 24 h per call [D]) and status, at most 50 per page
     * [D]; one order sheet; invoice upload.
     */
    COUPANG("coupang", URI.create("https://api-gateway.coupang.com"), 50, 50, Duration.ofHours(24), Duration.ofHours(24),
            List.of(MarketApiConfig.LIST_ORDERS), List.of(MarketApiConfig.GET_ORDER, MarketApiConfig.SHIP_ORDER), false,
            // market-protocols.md 1: returns/cancels and exchanges, online inquiries, products, revenue history [D];
            // no review call [I]
            List.of("orders", "claims", "inquiries", "products", "settlements"),
            List.of("ship-order", "acknowledge-order", "answer-inquiry", "change-price", "change-stock", "change-sale-status",
                    "confirm-claim", "reject-claim")),
    /**
     * Naver Commerce API: the OAuth2 token, last-changed statuses (at most 24 h and 300 per call [D]), the
     * product-order query for their details, dispatch.
     */
    NAVER("naver", URI.create("https://api.commerce.naver.com/external"), 300, 300, Duration.ofHours(24), Duration.ofHours(24),
            List.of(MarketApiConfig.TOKEN, MarketApiConfig.LIST_ORDERS, MarketApiConfig.GET_ORDERS),
            List.of(MarketApiConfig.SHIP_ORDER), false,
            // market-protocols.md 2: claims through last-changed statuses, product Q&A, products, daily settlements [D];
            // no review call [I]
            List.of("orders", "claims", "inquiries", "products", "settlements"),
            List.of("ship-order", "acknowledge-order", "answer-inquiry", "change-price", "change-stock", "change-sale-status",
                    "confirm-claim", "reject-claim")),
    /**
     * 11st Open API: one list per order stage and time range ({@code yyyyMMddHHmm}), answered whole, without pages [O];
     * one order by its number; shipping by delivery number. The longest range is not documented: public clients cut
     * 3 to 7 days [O], and 11st's documented Q&amp;A list allows 7 days [D], so 7 days is the maximum and a day the
     * default (a window's whole answer comes in one body).
     */
    ELEVENST("11st", URI.create("https://api.11st.co.kr/rest"), 0, 0, Duration.ofDays(7), Duration.ofDays(1),
            List.of(MarketApiConfig.LIST_ORDERS), List.of(MarketApiConfig.GET_ORDER, MarketApiConfig.SHIP_ORDER), false,
            // market-protocols.md 4: claim lists, product Q&A, settlement list [D]; products and reviews are not in the
            // research (11st's product API is not documented there), so not offered
            List.of("orders", "claims", "inquiries", "settlements"),
            List.of("ship-order", "acknowledge-order", "answer-inquiry", "confirm-claim", "reject-claim")),
    /**
     * Cafe24 Admin API, one API per mall ({@code https://{mallId}.cafe24api.com/api/v2}): each mall connected once by
     * the OAuth2 authorization-code flow, its token refreshed (the refresh token rotates), orders by date range with
     * {@code limit} at most 1000 and {@code offset} at most 15000 [D], at most 3 months per call [D] (89 days here, the
     * shortest three calendar months), one order, shipments.
     */
    CAFE24("cafe24", URI.create("https://" + MarketApiConfig.MALL_ID_ENCODED + ".cafe24api.com/api/v2"), 1000, 100,
            Duration.ofDays(89), Duration.ofDays(1),
            List.of(MarketApiConfig.TOKEN, MarketApiConfig.LIST_ORDERS, MarketApiConfig.GET_ORDER),
            List.of(MarketApiConfig.SHIP_ORDER), true,
            // market-protocols.md 3 and Cafe24's admin docs: Q&A and reviews are board articles (list, reply article),
            // products (list, PUT price and selling), daily sales (financials/dailysales) [D]. No claims: Cafe24 has no
            // list of cancellation, return or exchange requests (they show as order states) and its accept/reject calls
            // act on an order's items with refund details, not on one claim id. No change-stock: stock is per variant
            // (variants/inventories), which a product id does not name. No acknowledgement step before shipping.
            List.of("orders", "inquiries", "reviews", "products", "settlements"),
            List.of("ship-order", "answer-inquiry", "reply-review", "change-price", "change-sale-status"));

    private final String configName;
    private final URI defaultBaseUrl;
    private final int maxPageSize;
    private final int defaultPageSize;
    private final Duration maxRangePerCall;
    private final Duration defaultRangePerCall;
    private final List<String> requiredCalls;
    private final List<String> optionalCalls;
    private final boolean perMall;
    private final List<String> kinds;
    private final List<String> actions;

    AdapterType(String configName, URI defaultBaseUrl, int maxPageSize, int defaultPageSize, Duration maxRangePerCall,
            Duration defaultRangePerCall, List<String> requiredCalls, List<String> optionalCalls, boolean perMall,
            List<String> kinds, List<String> actions) {
        this.configName = configName;
        this.defaultBaseUrl = defaultBaseUrl;
        this.maxPageSize = maxPageSize;
        this.defaultPageSize = defaultPageSize;
        this.maxRangePerCall = maxRangePerCall;
        this.defaultRangePerCall = defaultRangePerCall;
        this.requiredCalls = requiredCalls;
        this.perMall = perMall;
        this.kinds = kinds;
        this.actions = actions;
        List<String> optional = new java.util.ArrayList<>(optionalCalls);
        for (String operation : Operations.listOperations(kinds)) {
            if (!requiredCalls.contains(operation) && !optional.contains(operation)) {
                optional.add(operation);
            }
        }
        for (String operation : Operations.actionOperations(actions)) {
            if (!requiredCalls.contains(operation) && !optional.contains(operation)) {
                optional.add(operation);
            }
        }
        this.optionalCalls = requiredCalls.isEmpty() ? optionalCalls : List.copyOf(optional);
    }

    /**
     * The kinds of data the protocol has list calls for ({@link Operations#KINDS} names); a market of this type offers
     * those whose {@link Operations#listOperation list operation} its section maps.
     */
    public List<String> kinds() {
        return kinds;
    }

    /** The actions the protocol has calls for ({@link Operations#ACTIONS} names); offered when the section maps them. */
    public List<String> actions() {
        return actions;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The market's production endpoint, {@code baseUrl} when the file gives none; null for the reference protocol. */
    public URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** The largest page the market serves; 0 when it answers a range whole, without pages ({@link #paged()}). */
    public int maxPageSize() {
        return maxPageSize;
    }

    /** The page asked for when the file sets none; 0 for a market without pages. */
    public int defaultPageSize() {
        return defaultPageSize;
    }

    /**
     * Whether the market pages its lists, so that {@code pageSize} is a setting of its section. 11st answers a range
     * whole: its section has no {@code pageSize}.
     */
    public boolean paged() {
        return maxPageSize > 0;
    }

    /** The longest time range one list call of the market may ask for. */
    public Duration maxRangePerCall() {
        return maxRangePerCall;
    }

    public Duration defaultRangePerCall() {
        return defaultRangePerCall;
    }

    /** The operations {@code adapter.calls} must map (a market protocol's own; empty for the reference protocol). */
    public List<String> requiredCalls() {
        return requiredCalls;
    }

    /** The operations {@code adapter.calls} may map. */
    public List<String> optionalCalls() {
        return optionalCalls;
    }

    /**
     * Whether the market serves one API per mall, each connected by its owner's consent (OAuth2 authorization code):
     * the base URL names the mall ({@value MarketApiConfig#MALL_ID_PLACEHOLDER}), and the section may set
     * {@code apiVersion}, {@code redirectUri} and {@code scopes}.
     */
    public boolean perMall() {
        return perMall;
    }
}
