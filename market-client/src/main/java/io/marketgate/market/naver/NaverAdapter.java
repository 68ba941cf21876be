package io.marketgate.market.naver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.config.AdapterType;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.BudgetScope;
import io.marketgate.config.CallConfig;
import io.marketgate.config.MarketApiConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.BudgetName;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CallOutcome.MarketAnswer;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.CredentialField;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.market.auth.CredentialsUnavailableException;
import io.marketgate.market.auth.SharedTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * The adapter of Naver Commerce API ({@code adapter.type: naver}), configured by its market's section
 * ({@link MarketApiConfig}) and the sellers' registered credentials ({@link #CREDENTIALS}); the protocol is described
 * in this package's documentation.
 *
 * <p>Budgets: the token request draws from the section's {@code token} call, the list of changed product orders from
 * {@code listOrders}, the product-order query (a list page's details, and one order read again) from
 * {@code getOrders}, dispatch from {@code shipOrder}; the other kinds from their list operations ({@code listClaims},
 * {@code listInquiries}, {@code listProducts}, {@code listSettlements}) and the actions from theirs
 * ({@code acknowledgeOrder}, {@code answerInquiry}, {@code changePrice}, …), each where the section maps it; per-seller
 * budgets are keyed by the seller. Naver has no review API: reviews and reply-review are refused naming them.
 *
 * <pre>{@code
 * MarketAdapter naver = MarketAdapters.forMarket(environment, "naver",
 *         AdapterContext.of(System::getenv).withCredentials(secrets).withTokens(valkeyTokens));
 * }</pre>
 *
 * <p>No client secret, sign or access token appears in a message, a {@code toString()} or a log: an excerpt of
 * Naver's answer in a failure reason has them masked ({@code ****}).
 */
public final class NaverAdapter implements MarketAdapter {

    /** The application ID a seller registers (not secret). */
    public static final String CLIENT_ID = "clientId";
    /** The application secret, a bcrypt salt (secret). */
    public static final String CLIENT_SECRET = "clientSecret";
    /** The token type: {@code SELF} or {@code SELLER}. */
    public static final String TYPE = "type";
    /** The seller's account id, with type {@code SELLER} only. */
    public static final String ACCOUNT_ID = "accountId";

    /**
     * What a Naver seller registers. A token request that breaks Naver's rules (here: {@code account_id} with
     * {@code SELF}) is "non-standard" and costs the application a day at 1 call per hour, so such credentials are
     * refused at registration.
     */
    public static final CredentialSchema CREDENTIALS = CredentialSchema.of(List.of(
                    CredentialField.id(CLIENT_ID, "[A-Za-z0-9_-]{1,64}",
                            "1 to 64 letters, digits, '_' or '-' (the application ID of the Commerce API center)"),
                    CredentialField.secret(CLIENT_SECRET, "\\$2a\\$(0[4-9]|1[0-4])\\$[./A-Za-z0-9]{22}",
                            "the application secret as Naver issues it: a bcrypt salt, '$2a$', a cost of 04 to 14, '$' and"
                                    + " 22 characters of ./A-Za-z0-9"),
                    CredentialField.id(TYPE, "SELF|SELLER",
                            "SELF (the seller's own application) or SELLER (a solution application acting for the seller)"),
                    CredentialField.id(ACCOUNT_ID, "[A-Za-z0-9_-]{1,64}",
                            "1 to 64 letters, digits, '_' or '-' (the seller's account id or UID at Naver)").optional()))
            .withRule(fields -> checkTypeAndAccount(fields.get(TYPE), fields.get(ACCOUNT_ID)));

    /** The token request, relative to the base URL. */
    public static final String TOKEN_PATH = "/v1/oauth2/token";
    /** The product orders whose state changed in a time range. */
    public static final String LIST_PATH = "/v1/pay-order/seller/product-orders/last-changed-statuses";
    /** The details of up to {@link #MAX_QUERY_IDS} product orders. */
    public static final String QUERY_PATH = "/v1/pay-order/seller/product-orders/query";
    /** Dispatch (shipping) of product orders. */
    public static final String DISPATCH_PATH = "/v1/pay-order/seller/product-orders/dispatch";
    /** 발주확인 (acknowledge) of up to 30 product orders. */
    public static final String CONFIRM_PATH = "/v1/pay-order/seller/product-orders/confirm";
    /** The prefix of one product order's calls ({@code /{productOrderId}/claim/…}). */
    public static final String PRODUCT_ORDERS_PATH = "/v1/pay-order/seller/product-orders";
    /** Product Q&amp;A: the list ({@code GET}) and, with {@code /{questionId}}, the answer ({@code PUT}). */
    public static final String QNAS_PATH = "/v1/contents/qnas";
    /** The seller's products. */
    public static final String PRODUCT_SEARCH_PATH = "/v1/products/search";
    /** Price, stock (and more) of origin products. */
    public static final String MULTI_UPDATE_PATH = "/v1/products/origin-products/multi-update";
    /** The prefix of one origin product's sale status ({@code /{originProductNo}/change-status}). */
    public static final String ORIGIN_PRODUCTS_PATH = "/v1/products/origin-products";
    /** Daily settlements. */
    public static final String SETTLE_DAILY_PATH = "/v1/pay-settle/settle/daily";
    /** The largest Q&amp;A page Naver serves [D]. */
    public static final int MAX_QNA_PAGE = 100;
    /** The largest product search page Naver serves [D]. */
    public static final int MAX_PRODUCT_PAGE = 500;
    /** The largest settlement page Naver serves [D]. */
    public static final int MAX_SETTLE_PAGE = 1000;
    /**
     * The longest Q&amp;A range per call. Naver documents none; a week keeps each answer small and is what other markets
     * allow [I].
     */
    public static final Duration QNA_RANGE = Duration.ofDays(7);
    /** The longest product or settlement range per call, in whole KST days. Naver documents none [I]. */
    public static final int MAX_DAYS_PER_CALL = 31;
    /** The highest sale price Naver takes [D: salePrice ≤ 999,999,990]. */
    public static final long MAX_SALE_PRICE = 999_999_990L;
    /** The highest stock Naver takes [D: stockQuantity ≤ 99,999,999]. */
    public static final int MAX_STOCK = 99_999_999;
    /**
     * The change types a claims collection lists, one pass each over a window, in this order: a claim requested, goods
     * collected, an exchange redelivered, a claim completed, a claim rejected or withdrawn [D].
     */
    public static final List<String> CLAIM_CHANGE_TYPES = List.of("CLAIM_REQUESTED", "COLLECT_DONE", "CLAIM_REDELIVERING",
            "CLAIM_COMPLETED", "CLAIM_REJECTED");
    /**
     * The item error codes of an action that are a final refusal for the record's sake [D]: {@code 100001}/{@code 100003}
     * no such product order or order, {@code 101009} not the seller's, {@code 104442} check the product order's state,
     * {@code 104443} check its order state, {@code 104417} check the exchange's state.
     */
    public static final Set<String> REFUSAL_CODES = Set.of("100001", "100003", "101009", "104442", "104443", "104417");
    /** The most product order ids one query takes (and one list page gives). */
    public static final int MAX_QUERY_IDS = 300;
    /**
     * How long before its expiry a token is renewed: Naver serves the same token again while at least 30 minutes of it
     * remain and issues a new one after, so a renewal earlier than this would only fetch the same token.
     */
    public static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(30);
    /**
     * The item error code of a dispatch that counts as done: {@code 105306} "the requested state is the state it is
     * in already" (the order is dispatched). {@code 104442} "check the product order's state" is not: Naver gives it
     * for canceled or returned orders too.
     */
    public static final String ALREADY_IN_STATE = "105306";
    /** The product-order states Naver documents; any other value in an answer is refused. */
    public static final Set<String> PRODUCT_ORDER_STATUSES = Set.of("PAYMENT_WAITING", "PAYED", "DELIVERING", "DELIVERED",
            "PURCHASE_DECIDED", "EXCHANGED", "CANCELED", "RETURNED", "CANCELED_BY_NOPAYMENT");
    /** The longest window list a request may be split into; more means a wrong range rather than a real backfill. */
    public static final int MAX_WINDOWS = 10_000;

    /** Naver's times: ISO-8601 with milliseconds at +09:00 ({@code 2026-11-01T09:00:00.000+09:00}). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.ofHours(9));
    /** Naver's dates, at KST: {@code 2026-11-01}. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.ofHours(9));
    static final ZoneOffset KST = ZoneOffset.ofHours(9);
    /** Between a list cursor's {@code moreFrom} and {@code moreSequence}. */
    static final char CURSOR_SEPARATOR = '|';
    private static final Pattern SEQUENCE = Pattern.compile("[A-Za-z0-9_.:+-]{1,128}");
    private static final String RATE_LIMIT = "GW.RATE_LIMIT";
    private static final String QUOTA_LIMIT = "GW.QUOTA_LIMIT";
    private static final String HEADER_PREFIX = "GNCP-GW-";
    private static final List<String> RATE_HEADERS = List.of("GNCP-GW-RateLimit-Replenish-Rate",
            "GNCP-GW-RateLimit-Burst-Capacity", "GNCP-GW-RateLimit-Remaining");
    private static final List<String> QUOTA_HEADERS = List.of("GNCP-GW-Quota-Period", "GNCP-GW-Quota-Limit",
            "GNCP-GW-Quota-Remaining");

    /** Which token a call was sent with, for {@link #tokenRejected}; weak keys, so a finished call leaves nothing behind. */
    private record Sent(String key, CachedToken token) {}

    private final String market;
    private final MarketApiConfig config;
    private final String baseUrl;
    private final CallConfig tokenCall;
    private final CallConfig listOrders;
    private final CallConfig getOrders;
    private final Optional<CallConfig> shipOrder;
    private final Map<DataKind, CallConfig> listCalls = new java.util.EnumMap<>(DataKind.class);
    private final Map<String, CallConfig> actionCalls = new LinkedHashMap<>();
    private final Map<String, BudgetConfig> budgets;
    private final AdapterContext context;
    private final Map<PlannedCall, Sent> sentWith = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<PlannedCall, List<Order>> listedFor = Collections.synchronizedMap(new WeakHashMap<>());

    private NaverAdapter(MarketConfig market, MarketApiConfig config, AdapterContext context) {
        this.market = market.name();
        this.config = config;
        this.baseUrl = config.baseUrl().toString();
        this.tokenCall = market.call(config.requiredCall(MarketApiConfig.TOKEN));
        this.listOrders = market.call(config.requiredCall(MarketApiConfig.LIST_ORDERS));
        this.getOrders = market.call(config.requiredCall(MarketApiConfig.GET_ORDERS));
        this.shipOrder = config.call(MarketApiConfig.SHIP_ORDER).map(market::call);
        for (DataKind kind : List.of(DataKind.CLAIMS, DataKind.INQUIRIES, DataKind.PRODUCTS, DataKind.SETTLEMENTS)) {
            config.call(kind.listOperation()).ifPresent(call -> listCalls.put(kind, market.call(call)));
        }
        for (String action : MarketAction.NAMES) {
            config.call(MarketAction.operation(action)).ifPresent(call -> actionCalls.put(action, market.call(call)));
        }
        this.budgets = market.budgets();
        this.context = context;
    }

    /**
     * The adapter of {@code market}, whose {@code adapter} section must be of type {@code naver}; sellers' credentials,
     * the fleet's tokens and the clock come from {@code context}.
     *
     * @throws IllegalArgumentException when the market has no naver adapter section, or a call it names is unknown
     */
    public static NaverAdapter of(MarketConfig market, AdapterContext context) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(context, "context");
        return new NaverAdapter(market, market.apiAdapter(AdapterType.NAVER), context);
    }

    @Override
    public String market() {
        return market;
    }

    @Override
    public Duration requestTimeout() {
        return config.requestTimeout();
    }

    // ---- planning

    /**
     * The request's range in windows Naver accepts in one call: orders and claims at most {@code maxRangePerCall} (24 h);
     * product Q&amp;A at most {@link #QNA_RANGE}; products and settlements, which Naver asks for by date, in whole KST days
     * covering the range, at most {@link #MAX_DAYS_PER_CALL} each.
     *
     * @throws IllegalArgumentException naming {@code kind} for reviews (Naver has no review API) or a kind the market's
     *     section does not map
     */
    @Override
    public List<TimeWindow> windows(CollectionRequest request) {
        check(request);
        return switch (request.kind()) {
            case ORDERS, CLAIMS -> TimeWindow.cover(request.from(), request.to(), config.maxRangePerCall(), MAX_WINDOWS);
            case INQUIRIES -> TimeWindow.cover(request.from(), request.to(), QNA_RANGE, MAX_WINDOWS);
            case PRODUCTS, SETTLEMENTS -> {
                TimeWindow days = kstDays(request);
                yield TimeWindow.cover(days.from(), days.to(), Duration.ofDays(MAX_DAYS_PER_CALL), MAX_WINDOWS);
            }
            case REVIEWS -> throw new IllegalStateException("checked");
        };
    }

    /**
     * The call of one page of {@code window}: the first page without a cursor, else the page the previous page's cursor
     * names. Orders: {@code GET …/last-changed-statuses?lastChangedFrom&lastChangedTo&limitCount[&moreSequence]}.
     * Claims: the same list with {@code lastChangedType}, one pass per {@link #CLAIM_CHANGE_TYPES type} (cursor
     * {@code TYPE} or {@code TYPE|moreFrom|moreSequence}). Inquiries: {@code GET /v1/contents/qnas?fromDate&toDate&page&size}.
     * Products: {@code POST /v1/products/search} of the window's KST dates, by modification date. Settlements:
     * {@code GET /v1/pay-settle/settle/daily?startDate&endDate&pageNumber&pageSize}. Pages by number: the cursor is the
     * page number.
     */
    @Override
    public PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        check(request);
        Objects.requireNonNull(cursor, "cursor");
        return switch (request.kind()) {
            case ORDERS -> {
                request.checkWindow(window, config.maxRangePerCall(), ChronoUnit.NANOS);
                yield changedList(request, window, cursor, cursor, Optional.empty(), listOrders);
            }
            case CLAIMS -> {
                request.checkWindow(window, config.maxRangePerCall(), ChronoUnit.NANOS);
                String type = cursor.map(NaverAdapter::passOf).orElse(CLAIM_CHANGE_TYPES.get(0));
                Optional<String> more = cursor.filter(c -> c.indexOf(CURSOR_SEPARATOR) >= 0)
                        .map(c -> c.substring(c.indexOf(CURSOR_SEPARATOR) + 1));
                yield changedList(request, window, cursor, more, Optional.of(type), listCalls.get(DataKind.CLAIMS));
            }
            case INQUIRIES -> {
                request.checkWindow(window, QNA_RANGE, ChronoUnit.NANOS);
                int size = Math.min(config.pageSize(), MAX_QNA_PAGE);
                String query = "fromDate=" + encode(TIME.format(window.from())) + "&toDate=" + encode(TIME.format(window.to()))
                        + "&page=" + pageOf(cursor) + "&size=" + size;
                yield get(request, window, cursor, QNAS_PATH + "?" + query, listCalls.get(DataKind.INQUIRIES));
            }
            case PRODUCTS -> {
                checkDays(request, window);
                ObjectNode body = NaverAnswer.JSON.createObjectNode()
                        .put("orderType", "MOD_DATE")
                        .put("periodType", "PROD_MOD_DAY")
                        .put("fromDate", DATE.format(window.from()))
                        .put("toDate", DATE.format(window.to().minus(Duration.ofDays(1))))
                        .put("page", pageOf(cursor))
                        .put("size", Math.min(config.pageSize(), MAX_PRODUCT_PAGE));
                CallConfig call = listCalls.get(DataKind.PRODUCTS);
                yield PlannedCall.of(market, call.name(), budgetsFor(call, request.seller()),
                        new PlannedCall.Collect(request, window, cursor), jsonPost(PRODUCT_SEARCH_PATH, body));
            }
            case SETTLEMENTS -> {
                checkDays(request, window);
                String query = "startDate=" + DATE.format(window.from())
                        + "&endDate=" + DATE.format(window.to().minus(Duration.ofDays(1)))
                        + "&pageNumber=" + pageOf(cursor) + "&pageSize=" + Math.min(config.pageSize(), MAX_SETTLE_PAGE);
                yield get(request, window, cursor, SETTLE_DAILY_PATH + "?" + query, listCalls.get(DataKind.SETTLEMENTS));
            }
            case REVIEWS -> throw new IllegalStateException("checked");
        };
    }

    /** The last-changed list of the window, from the cursor's position ({@code moreFrom|moreSequence}) when there is one. */
    private PlannedCall changedList(CollectionRequest request, TimeWindow window, Optional<String> cursor, Optional<String> more,
            Optional<String> type, CallConfig call) {
        String from = TIME.format(window.from());
        Optional<String> sequence = Optional.empty();
        if (more.isPresent()) {
            String[] position = splitCursor(more.get());
            from = position[0];
            sequence = Optional.of(position[1]);
        }
        StringBuilder query = new StringBuilder()
                .append("lastChangedFrom=").append(encode(from))
                .append("&lastChangedTo=").append(encode(TIME.format(window.to())));
        type.ifPresent(t -> query.append("&lastChangedType=").append(t));
        query.append("&limitCount=").append(config.pageSize());
        sequence.ifPresent(s -> query.append("&moreSequence=").append(encode(s)));
        return get(request, window, cursor, LIST_PATH + "?" + query, call);
    }

    private PlannedCall get(CollectionRequest request, TimeWindow window, Optional<String> cursor, String pathAndQuery,
            CallConfig call) {
        HttpRequest http = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).header("Accept", "application/json").GET().build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, request.seller()), new PlannedCall.Collect(request, window, cursor),
                http);
    }

    /** The change type of a claims cursor ({@code TYPE} or {@code TYPE|moreFrom|moreSequence}). */
    private static String passOf(String cursor) {
        int at = cursor.indexOf(CURSOR_SEPARATOR);
        String type = at < 0 ? cursor : cursor.substring(0, at);
        if (!CLAIM_CHANGE_TYPES.contains(type)) {
            throw new IllegalArgumentException("cursor '" + cursor + "' must start with one of the claims' change types "
                    + CLAIM_CHANGE_TYPES);
        }
        return type;
    }

    /** A page number cursor's page, 1 without a cursor. */
    private static int pageOf(Optional<String> cursor) {
        if (cursor.isEmpty()) {
            return 1;
        }
        try {
            int page = Integer.parseInt(cursor.get());
            if (page >= 1) {
                return page;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("cursor '" + cursor.get() + "' must be a page number from 1");
    }

    /** The request's range rounded out to whole KST days (Naver's dates). */
    private static TimeWindow kstDays(CollectionRequest request) {
        Instant from = request.from().atOffset(KST).toLocalDate().atStartOfDay(KST).toInstant();
        java.time.LocalDate last = request.to().minusNanos(1).atOffset(KST).toLocalDate();
        return new TimeWindow(from, last.plusDays(1).atStartOfDay(KST).toInstant());
    }

    private static void checkDays(CollectionRequest request, TimeWindow window) {
        TimeWindow days = kstDays(request);
        boolean whole = window != null && window.from().atOffset(KST).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                && window.to().atOffset(KST).toLocalTime().equals(java.time.LocalTime.MIDNIGHT);
        if (!whole || window.from().isBefore(days.from()) || window.to().isAfter(days.to())
                || window.length().compareTo(Duration.ofDays(MAX_DAYS_PER_CALL)) > 0) {
            throw new IllegalArgumentException("window " + window + " must be whole KST days within " + days + " (the request's "
                    + "range rounded out to KST days) and at most " + MAX_DAYS_PER_CALL + " days long");
        }
    }

    /**
     * The product-order query of the list page's ids, drawn from {@code getOrders}; empty for an empty page. Its
     * answer is a page of the same product orders, each with the query's details as its JSON.
     */
    @Override
    public Optional<PlannedCall> detail(PlannedCall listCall, OrderPage page) {
        if (listCall == null || !(listCall.purpose() instanceof PlannedCall.Collect collect)) {
            throw new IllegalArgumentException("call " + listCall + " is not a page of a collection");
        }
        if (page.orders().isEmpty()) {
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        page.orders().forEach(o -> ids.add(o.orderId()));
        if (ids.size() > MAX_QUERY_IDS) {
            throw new IllegalArgumentException("page: " + ids.size() + " product orders, one query takes at most " + MAX_QUERY_IDS);
        }
        PlannedCall call = query(ids, collect.request().seller(), collect);
        listedFor.put(call, page.orders());
        return Optional.of(call);
    }

    /**
     * Reads product order {@code orderId} again (Naver's orders are collected per product order, see the package
     * documentation): the product-order query with that one id. Its page dates the order by the answer's
     * {@code timestamp}, since the query carries no last-change date.
     */
    @Override
    public PlannedCall planGetOrder(Seller seller, String orderId) {
        PlannedCall.FetchOrder fetch = new PlannedCall.FetchOrder(seller, orderId);
        return query(List.of(orderId), seller, fetch);
    }

    /**
     * Dispatch: {@code POST …/dispatch} of the one product order, delivery method {@code DELIVERY}, the action's carrier
     * as Naver's {@code deliveryCompanyCode} ({@code CJGLS}, {@code HANJIN}, …) and its tracking number, dated now.
     */
    @Override
    public PlannedCall planShipOrder(MarketAction.ShipOrder action) {
        Objects.requireNonNull(action, "action");
        CallConfig call = shipOrder.orElseThrow(() -> new IllegalArgumentException("action ship-order: market " + market
                + " does not ship through its adapter (adapter.calls has no " + MarketApiConfig.SHIP_ORDER + ")"));
        ObjectNode body = NaverAnswer.JSON.createObjectNode();
        body.putArray("dispatchProductOrders").addObject()
                .put("productOrderId", action.orderId())
                .put("deliveryMethod", "DELIVERY")
                .put("deliveryCompanyCode", action.carrier())
                .put("trackingNumber", action.trackingNumber())
                .put("dispatchDate", TIME.format(context.clock().instant()));
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action),
                jsonPost(DISPATCH_PATH, body));
    }

    /**
     * The call of an action other than dispatch, drawn from the action's call in {@code adapter.calls}:
     * <ul>
     *   <li>acknowledge-order: {@code POST …/product-orders/confirm {"productOrderIds": [id]}} (발주확인);</li>
     *   <li>confirm-claim of {@code TYPE.productOrderId}: {@code POST …/{id}/claim/cancel/approve},
     *       {@code …/claim/return/approve} or {@code …/claim/exchange/collect/approve} (an exchange's goods collected);</li>
     *   <li>reject-claim: {@code POST …/{id}/claim/return/reject {"rejectReturnReason"}} or
     *       {@code …/claim/exchange/reject {"rejectExchangeReason"}};</li>
     *   <li>answer-inquiry: {@code PUT /v1/contents/qnas/{questionId} {"commentContent"}};</li>
     *   <li>change-price and change-stock: {@code PATCH /v1/products/origin-products/multi-update} of the one origin
     *       product with {@code SALE_PRICE} ({@code productSalePrice.salePrice}) or {@code STOCK} ({@code stockQuantity});</li>
     *   <li>change-sale-status: {@code PUT /v1/products/origin-products/{originProductNo}/change-status
     *       {"statusType": "SALE" | "SUSPENSION"}}.</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming {@code action} when Naver has no such call or the section maps none, or the
     *     field that breaks Naver's rules ({@link #validate})
     */
    @Override
    public PlannedCall planAction(MarketAction action) {
        Objects.requireNonNull(action, "action");
        validate(action);
        CallConfig call = actionCall(action);
        HttpRequest http = switch (action) {
            case MarketAction.AcknowledgeOrder ack -> {
                ObjectNode body = NaverAnswer.JSON.createObjectNode();
                body.putArray("productOrderIds").add(ack.orderId());
                yield jsonPost(CONFIRM_PATH, body);
            }
            case MarketAction.ConfirmClaim confirm -> {
                String[] claim = splitClaimId(confirm.claimId());
                String decision = switch (claim[0]) {
                    case "CANCEL" -> "/claim/cancel/approve";
                    case "RETURN" -> "/claim/return/approve";
                    default -> "/claim/exchange/collect/approve";
                };
                yield HttpRequest.newBuilder(URI.create(baseUrl + PRODUCT_ORDERS_PATH + "/" + claim[1] + decision))
                        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build();
            }
            case MarketAction.RejectClaim reject -> {
                String[] claim = splitClaimId(reject.claimId());
                boolean isReturn = claim[0].equals("RETURN");
                ObjectNode body = NaverAnswer.JSON.createObjectNode()
                        .put(isReturn ? "rejectReturnReason" : "rejectExchangeReason", reject.reason());
                yield jsonPost(PRODUCT_ORDERS_PATH + "/" + claim[1] + (isReturn ? "/claim/return/reject" : "/claim/exchange/reject"), body);
            }
            case MarketAction.AnswerInquiry answer -> jsonSend("PUT", QNAS_PATH + "/" + answer.inquiryId(),
                    NaverAnswer.JSON.createObjectNode().put("commentContent", answer.text()));
            case MarketAction.ChangePrice price -> {
                ObjectNode body = NaverAnswer.JSON.createObjectNode();
                ObjectNode vo = body.putArray("multiProductUpdateRequestVos").addObject()
                        .put("originProductNo", Long.parseLong(price.productId()));
                vo.putArray("multiUpdateTypes").add("SALE_PRICE");
                vo.putObject("productSalePrice").put("salePrice", price.price());
                yield jsonSend("PATCH", MULTI_UPDATE_PATH, body);
            }
            case MarketAction.ChangeStock stock -> {
                ObjectNode body = NaverAnswer.JSON.createObjectNode();
                ObjectNode vo = body.putArray("multiProductUpdateRequestVos").addObject()
                        .put("originProductNo", Long.parseLong(stock.productId()));
                vo.putArray("multiUpdateTypes").add("STOCK");
                vo.put("stockQuantity", stock.stock());
                yield jsonSend("PATCH", MULTI_UPDATE_PATH, body);
            }
            case MarketAction.ChangeSaleStatus status -> jsonSend("PUT",
                    ORIGIN_PRODUCTS_PATH + "/" + status.productId() + "/change-status", NaverAnswer.JSON.createObjectNode()
                            .put("statusType", status.status() == io.marketgate.market.ProductStatus.ON_SALE ? "SALE" : "SUSPENSION"));
            case MarketAction.ShipOrder ship -> throw new IllegalArgumentException("action: ship-order is planned by planShipOrder");
            case MarketAction.ReplyReview reply -> throw new IllegalStateException("validated");
        };
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    /**
     * Naver's own rules of an action, before anything is queued: reviews have no API; a claim id is
     * {@code CANCEL|RETURN|EXCHANGE.productOrderId} (as the claims collection gives it) and only returns and exchanges
     * can be rejected (a cancel request has no reject call); a question id and a product number are numbers; a price at
     * most {@link #MAX_SALE_PRICE} won [D]; a stock at most {@link #MAX_STOCK} [D]. Naver documents no length for an
     * answer or a reason beyond the common limit.
     *
     * @throws IllegalArgumentException naming the field and the rule
     */
    @Override
    public void validate(MarketAction action) {
        Objects.requireNonNull(action, "action");
        switch (action) {
            case MarketAction.ReplyReview reply -> throw new IllegalArgumentException("action: " + market
                    + " does not offer reply-review: Naver Commerce has no review API");
            case MarketAction.ConfirmClaim confirm -> {
                String type = splitClaimId(confirm.claimId())[0];
                if (type.equals("ADMIN_CANCEL")) {
                    throw new IllegalArgumentException("claimId '" + confirm.claimId() + "' is an administrator's cancel, which "
                            + "Naver decides itself: there is no call to confirm it");
                }
            }
            case MarketAction.RejectClaim reject -> {
                String type = splitClaimId(reject.claimId())[0];
                if (!type.equals("RETURN") && !type.equals("EXCHANGE")) {
                    throw new IllegalArgumentException("claimId '" + reject.claimId() + "' is a " + type + " claim: Naver "
                            + "rejects only returns and exchanges (a cancel request has no reject call)");
                }
            }
            case MarketAction.AnswerInquiry answer -> requireNumber("inquiryId", answer.inquiryId(), "Naver's questionId");
            case MarketAction.ChangePrice price -> {
                requireNumber("productId", price.productId(), "Naver's originProductNo");
                if (price.price() > MAX_SALE_PRICE) {
                    throw new IllegalArgumentException("price is " + price.price() + ", Naver takes at most " + MAX_SALE_PRICE + " won");
                }
            }
            case MarketAction.ChangeStock stock -> {
                requireNumber("productId", stock.productId(), "Naver's originProductNo");
                if (stock.stock() > MAX_STOCK) {
                    throw new IllegalArgumentException("stock is " + stock.stock() + ", Naver takes at most " + MAX_STOCK);
                }
            }
            case MarketAction.ChangeSaleStatus status -> requireNumber("productId", status.productId(), "Naver's originProductNo");
            case MarketAction.AcknowledgeOrder ack -> { }
            case MarketAction.ShipOrder ship -> { }
        }
    }

    private CallConfig actionCall(MarketAction action) {
        CallConfig call = actionCalls.get(action.name());
        if (call == null) {
            throw new IllegalArgumentException("action: market " + market + " does not offer " + action.name()
                    + " (its adapter.calls has no " + action.operation() + ")");
        }
        return call;
    }

    private static void requireNumber(String field, String value, String what) {
        if (value == null || !value.matches("[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException(field + " '" + value + "' must be " + what + ": 1 to 18 digits, no leading 0");
        }
    }

    /** {@code [claimType, productOrderId]} of a claim id this adapter made. */
    static String[] splitClaimId(String claimId) {
        int at = claimId == null ? -1 : claimId.indexOf(NaverRecords.CLAIM_ID_SEPARATOR);
        String type = at < 0 ? "" : claimId.substring(0, at);
        String productOrderId = at < 0 ? "" : claimId.substring(at + 1);
        if (!NaverRecords.CLAIM_TYPES.contains(type) || !productOrderId.matches("[0-9]{1,40}")) {
            throw new IllegalArgumentException("claimId '" + claimId + "' must be a Naver claim id as the claims collection gives "
                    + "it: the claim type (CANCEL, RETURN, EXCHANGE), '.', and the product order id");
        }
        return new String[] {type, productOrderId};
    }

    // ---- authorization

    /**
     * Adds {@code Authorization: Bearer <token>} of the seller's account: the fleet's shared token, fetched through
     * {@code calls} (drawn from the {@code token} call's budgets) when there is none or it is due for renewal. When no
     * token can be had, the token call's outcome (deferred, throttled, credentials refused, …) stands for the call.
     */
    @Override
    public Optional<CallOutcome> authorize(PlannedCall call, HttpRequest.Builder request, AuthCalls calls)
            throws InterruptedException {
        if (call.purpose() instanceof PlannedCall.Authenticate || call.seller().isEmpty()) {
            return Optional.empty(); // a token request carries its credentials in its form
        }
        Seller seller = call.seller().get();
        NaverAccount account;
        try {
            account = NaverAccount.of(context.credentials().credentials(market, seller.id()));
        } catch (CredentialsUnavailableException e) {
            return Optional.of(e.isTransient() ? new CallOutcome.Retryable(e.getMessage()) : new CallOutcome.Fatal(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return Optional.of(new CallOutcome.Fatal("seller " + seller.id() + " of market " + market + ": " + e.getMessage()));
        }
        String key = account.tokenKey(market);
        SharedTokens.Obtained obtained = context.tokens().token(key, () -> calls.execute(planToken(account, seller)));
        return switch (obtained) {
            case SharedTokens.Obtained.Failed failed -> Optional.of(failed.outcome());
            case SharedTokens.Obtained.Token token -> {
                request.setHeader("Authorization", "Bearer " + token.token().value());
                sentWith.put(call, new Sent(key, token.token()));
                yield Optional.empty();
            }
        };
    }

    /** Forgets the token {@code call} was sent with (unless another call already replaced it), so the next one is fetched. */
    @Override
    public void tokenRejected(PlannedCall call) {
        Sent sent = sentWith.remove(call);
        if (sent != null) {
            context.tokens().refused(sent.key(), sent.token());
        }
    }

    /**
     * The token request of {@code account}, dated now: {@code POST …/v1/oauth2/token}, a form body and nothing in the
     * query (Naver punishes a non-standard token request with 1 call per hour for a day): {@code client_id},
     * {@code timestamp}, {@code grant_type=client_credentials}, {@code client_secret_sign}, {@code type} and, for
     * SELLER only, {@code account_id}.
     */
    PlannedCall planToken(NaverAccount account, Seller seller) {
        long timestamp = context.clock().millis();
        StringBuilder form = new StringBuilder()
                .append("client_id=").append(encode(account.clientId()))
                .append("&timestamp=").append(timestamp)
                .append("&grant_type=client_credentials")
                .append("&client_secret_sign=").append(encode(account.sign(timestamp)))
                .append("&type=").append(encode(account.type()));
        if (NaverAccount.SELLER.equals(account.type())) {
            form.append("&account_id=").append(encode(account.accountId().orElseThrow()));
        }
        HttpRequest http = HttpRequest.newBuilder(URI.create(baseUrl + TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8))
                .build();
        return PlannedCall.of(market, tokenCall.name(), budgetsFor(tokenCall, seller),
                new PlannedCall.Authenticate(account.account()), http);
    }

    // ---- classification

    @Override
    public MarketAnswer classify(PlannedCall call, HttpResponse<String> response) {
        NaverAnswer answer = NaverAnswer.of(response);
        try {
            Optional<MarketAnswer> gateway = gateway(call, answer);
            if (gateway.isPresent()) {
                return gateway.get();
            }
            if (call.purpose() instanceof PlannedCall.Authenticate) {
                return token(answer);
            }
            if (!answer.ok()) {
                if (call.purpose() instanceof PlannedCall.Act act && !(act.action() instanceof MarketAction.ShipOrder)) {
                    return actionRefused(act.action(), answer);
                }
                return refused(answer);
            }
            return switch (call.purpose()) {
                case PlannedCall.Collect collect -> switch (collect.request().kind()) {
                    case ORDERS -> call.path().endsWith(QUERY_PATH)
                            ? detailPage(listedFor.remove(call), answer) : listPage(collect, answer);
                    case CLAIMS -> claimsPage(collect, answer);
                    case INQUIRIES -> contentsPage(collect, answer, DataKind.INQUIRIES);
                    case PRODUCTS -> contentsPage(collect, answer, DataKind.PRODUCTS);
                    case SETTLEMENTS -> settlementsPage(collect, answer);
                    case REVIEWS -> throw new Malformed("a list of reviews, which this adapter never plans", "");
                };
                case PlannedCall.FetchOrder fetch -> fetched(fetch, answer);
                case PlannedCall.Act act -> acted(act.action(), answer);
                case PlannedCall.Authenticate auth -> token(answer);
            };
        } catch (Malformed e) {
            if (answer.ok() && answer.malformed()) {
                return malformedBody(call, answer);
            }
            return new CallOutcome.Fatal("Naver's answer to " + call.method() + " " + call.path() + " is not its protocol's ("
                    + e.getMessage() + ")" + (e.part.isEmpty() ? answer.detail() : answer.excerpt(e.part)));
        } catch (RuntimeException e) {
            if (answer.ok() && answer.malformed()) {
                return malformedBody(call, answer);
            }
            return new CallOutcome.Fatal("Naver's answer to " + call.method() + " " + call.path() + " could not be read ("
                    + answer.mask(e.toString()) + ")" + answer.detail());
        }
    }

    /**
     * A 2xx that the call needed a body of, whose body is not JSON at all (cut off, empty, a proxy's page): a fault of
     * the transport, retried after the hand-back's back-off; a market that keeps answering so ends in the DLQ with this
     * reason. Well-formed JSON that is not the protocol's stays final.
     */
    private static MarketAnswer malformedBody(PlannedCall call, NaverAnswer answer) {
        return new CallOutcome.Retryable("HTTP " + answer.status() + " from Naver with a malformed body (not JSON: cut off, "
                + "empty or a proxy's page) to " + call.method() + " " + call.path() + answer.detail());
    }

    @Override
    public String toString() {
        return "NaverAdapter[" + market + " at " + baseUrl + "]";
    }

    /** The gateway's answers, the same for every API: throttles, a refused IP address, failures that may pass. */
    private Optional<MarketAnswer> gateway(PlannedCall call, NaverAnswer answer) {
        String code = answer.code();
        if (answer.status() == 429) {
            return Optional.of(throttled(call, answer));
        }
        if (code.equals("GW.IP_NOT_ALLOWED")) {
            return Optional.of(new CallOutcome.Fatal("Naver refused this host's IP address (not among the application's "
                    + "API call IPs): " + answer.describe(), CallOutcome.Cause.IP_NOT_ALLOWED));
        }
        if (answer.status() >= 500 || answer.status() == 408
                || code.startsWith("GW.PROXY") || code.startsWith("GW.TIMEOUT") || code.startsWith("GW.BLOCK")) {
            return Optional.of(new CallOutcome.Retryable("Naver failed the call for now: " + answer.describe()));
        }
        return Optional.empty();
    }

    /**
     * A 429. {@code GW.RATE_LIMIT}: the token bucket of this API for the application is empty, so the call's endpoint
     * budgets cool down for the time the bucket takes to refill (burst capacity over replenish rate), or the budgets'
     * default without those headers. {@code GW.QUOTA_LIMIT}: the application (or the seller's token) used its quota
     * of the period ({@code GNCP-GW-Quota-Period}, hours when absent), so every budget of the call cools down for one
     * such period. Any other 429: every budget, the default cool-down.
     */
    private MarketAnswer throttled(PlannedCall call, NaverAnswer answer) {
        String code = answer.code();
        if (code.equals(QUOTA_LIMIT)) {
            Duration period = quotaPeriod(answer.header("GNCP-GW-Quota-Period"));
            return new CallOutcome.Throttled(Optional.of(period), call.budgets(),
                    answer.describe() + headers(answer, QUOTA_HEADERS) + "; cooling down for the quota's period of " + period);
        }
        if (code.equals(RATE_LIMIT)) {
            return new CallOutcome.Throttled(refillTime(answer), endpointBudgets(call), answer.describe() + headers(answer, RATE_HEADERS));
        }
        return new CallOutcome.Throttled(Optional.empty(), call.budgets(), answer.describe() + headers(answer, List.of()));
    }

    private static Optional<Duration> refillTime(NaverAnswer answer) {
        try {
            Optional<Double> rate = answer.header("GNCP-GW-RateLimit-Replenish-Rate").map(Double::parseDouble);
            if (rate.isEmpty() || !(rate.get() > 0)) {
                return Optional.empty();
            }
            double burst = answer.header("GNCP-GW-RateLimit-Burst-Capacity").map(Double::parseDouble).orElse(1.0);
            long millis = (long) Math.ceil(Math.max(burst, 1.0) / rate.get() * 1000);
            return Optional.of(Duration.ofMillis(Math.max(millis, 1000)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration quotaPeriod(Optional<String> header) {
        String unit = header.orElse("HOURS").toUpperCase(Locale.ROOT);
        return switch (unit.endsWith("S") ? unit : unit + "S") {
            case "SECONDS" -> Duration.ofSeconds(1);
            case "MINUTES" -> Duration.ofMinutes(1);
            case "DAYS" -> Duration.ofDays(1);
            default -> Duration.ofHours(1);
        };
    }

    /** The call's budgets of scope endpoint (Naver's bucket is per API and application); all of them when it has none. */
    private List<String> endpointBudgets(PlannedCall call) {
        List<String> endpoint = call.budgets().stream()
                .filter(b -> {
                    BudgetConfig budget = budgets.get(BudgetName.parse(b).budget());
                    return budget != null && budget.scope() == BudgetScope.ENDPOINT;
                })
                .toList();
        return endpoint.isEmpty() ? call.budgets() : endpoint;
    }

    /** {@code " (GNCP-GW-…=…, …)"} of the gateway's headers present, the named ones first. */
    private static String headers(NaverAnswer answer, List<String> names) {
        List<String> shown = new ArrayList<>();
        for (String name : names) {
            answer.header(name).ifPresent(v -> shown.add(name + "=" + v));
        }
        if (shown.isEmpty()) {
            answer.header(HEADER_PREFIX + "Trace-ID").ifPresent(v -> shown.add(HEADER_PREFIX + "Trace-ID=" + v));
        }
        return shown.isEmpty() ? "" : " (" + String.join(", ", shown) + ")";
    }

    /** A 4xx or 3xx to a call made with a token. */
    private static MarketAnswer refused(NaverAnswer answer) {
        if (answer.status() == 401 && answer.code().equals("GW.AUTHN")) {
            return new CallOutcome.Fatal("Naver refused the access token (expired or revoked): " + answer.describe(),
                    CallOutcome.Cause.TOKEN_REJECTED);
        }
        return switch (answer.status()) {
            case 400 -> new CallOutcome.Fatal("Naver refused the request" + invalidInputs(answer) + ": " + answer.describe());
            case 403 -> new CallOutcome.Fatal("Naver forbade the request (the application has no access to this seller "
                    + "or API, or the store's state does not allow it): " + answer.describe());
            default -> new CallOutcome.Fatal("Naver answered " + answer.describe());
        };
    }

    /** {@code " (invalid inputs: name (type): message; …)"}, or {@code ""} without any. */
    private static String invalidInputs(NaverAnswer answer) {
        JsonNode inputs = answer.object().map(b -> b.get("invalidInputs")).orElse(null);
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            return "";
        }
        List<String> named = new ArrayList<>();
        for (JsonNode input : inputs) {
            String name = input.path("name").asText("?");
            String type = input.path("type").asText("");
            String message = input.path("message").asText("");
            named.add(name + (type.isEmpty() ? "" : " (" + type + ")") + (message.isEmpty() ? "" : ": " + message));
        }
        return " (invalid inputs: " + answer.mask(String.join("; ", named)) + ")";
    }

    /**
     * The token request's answer. 200: the token, renewed 30 minutes before it expires (when Naver would issue a new
     * one), not before now. 400/401/403: Naver refused the application's credentials (sign, client id, account), except
     * a refused timestamp, which is this host's clock or a request that waited too long and may pass.
     */
    private MarketAnswer token(NaverAnswer answer) throws Malformed {
        if (answer.ok()) {
            JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
            JsonNode value = body.get("access_token");
            JsonNode expiresIn = body.get("expires_in");
            JsonNode type = body.get("token_type");
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw new Malformed("access_token is missing or not a text", "");
            }
            if (expiresIn == null || !expiresIn.canConvertToLong() || !expiresIn.isIntegralNumber() || expiresIn.longValue() <= 0) {
                throw new Malformed("expires_in must be a positive number of seconds", String.valueOf(expiresIn));
            }
            if (type != null && !type.isNull() && !(type.isTextual() && type.textValue().equalsIgnoreCase("Bearer"))) {
                throw new Malformed("token_type must be Bearer", type.toString());
            }
            Instant now = context.clock().instant();
            Instant expiresAt = now.plusSeconds(expiresIn.longValue());
            Instant renewAfter = expiresAt.minus(RENEW_BEFORE_EXPIRY);
            return new CallOutcome.Ok(new MarketData.Token(new CachedToken(value.textValue(), expiresAt,
                    renewAfter.isBefore(now) ? now : renewAfter)));
        }
        if (answer.status() == 400 || answer.status() == 401 || answer.status() == 403) {
            if (timestampRefused(answer)) {
                return new CallOutcome.Retryable("Naver refused the token request's timestamp (this host's clock is off, "
                        + "or the request waited more than 5 minutes)" + invalidInputs(answer) + ": " + answer.describe());
            }
            return new CallOutcome.Fatal("Naver refused the application's credentials (client id, secret sign, type or "
                    + "account id)" + invalidInputs(answer) + ": " + answer.describe(), CallOutcome.Cause.CREDENTIALS_REJECTED);
        }
        return new CallOutcome.Fatal("Naver answered the token request with " + answer.describe());
    }

    private static boolean timestampRefused(NaverAnswer answer) {
        if (answer.message().contains("timestamp")) {
            return true;
        }
        JsonNode inputs = answer.object().map(b -> b.get("invalidInputs")).orElse(null);
        if (inputs != null && inputs.isArray()) {
            for (JsonNode input : inputs) {
                if (input.path("name").asText("").equals("timestamp")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A page of last-changed statuses: one order per product order, and the cursor of {@code more}. */
    private MarketAnswer listPage(PlannedCall.Collect collect, NaverAnswer answer) throws Malformed {
        JsonNode data = data(answer);
        List<Order> orders = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        if (data != null) {
            JsonNode items = array(data, "lastChangeStatuses");
            if (items.size() > MAX_QUERY_IDS) {
                throw new Malformed("data.lastChangeStatuses has " + items.size() + " items, more than the "
                        + MAX_QUERY_IDS + " a page may have", "");
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String where = "data.lastChangeStatuses[" + i + "]";
                String id = text(item, "productOrderId", where);
                String status = status(item, where);
                Instant changed = time(item, "lastChangedDate", where);
                orders.add(new Order(id, status, commonStatus(status), changed, changed, item.toString()));
            }
            JsonNode more = data.get("more");
            if (more != null && !more.isNull()) {
                String from = text(more, "moreFrom", "data.more");
                time(more, "moreFrom", "data.more");
                JsonNode sequence = more.get("moreSequence");
                if (sequence == null || !(sequence.isTextual() || sequence.isIntegralNumber())
                        || !SEQUENCE.matcher(sequence.asText()).matches()) {
                    throw new Malformed("data.more.moreSequence must be a text of 1 to 128 letters, digits or '_.:+-'",
                            more.toString());
                }
                cursor = Optional.of(from + CURSOR_SEPARATOR + sequence.asText());
                if (cursor.equals(collect.cursor())) {
                    throw new Malformed("data.more is the position this page was asked from, so paging would not advance",
                            more.toString());
                }
            }
        }
        return new CallOutcome.Ok(new OrderPage(orders, cursor));
    }

    /** The query's answer to a list page's details: the listed orders, each with its details as JSON. */
    private MarketAnswer detailPage(List<Order> listed, NaverAnswer answer) throws Malformed {
        if (listed == null) {
            throw new Malformed("a product-order query of a collection that this adapter instance did not plan with detail()", "");
        }
        Map<String, ProductOrder> byId = productOrders(answer);
        List<Order> orders = new ArrayList<>(listed.size());
        List<String> missing = new ArrayList<>();
        for (Order order : listed) {
            ProductOrder details = byId.get(order.orderId());
            if (details == null) {
                missing.add(order.orderId());
            } else {
                // dated by the list (the query has no last-change date); its state is the query's, as its JSON, stated at
                // the query's answer time
                orders.add(new Order(order.orderId(), details.status(), commonStatus(details.status()), order.updatedAt(),
                        answerTime(answer), details.json()));
            }
        }
        if (!missing.isEmpty()) {
            throw new Malformed("the query left out " + missing.size() + " of the " + listed.size() + " listed product orders: "
                    + String.join(", ", missing.subList(0, Math.min(10, missing.size()))) + (missing.size() > 10 ? ", …" : ""), "");
        }
        return new CallOutcome.Ok(new OrderPage(orders, Optional.empty()));
    }

    /** One product order read again: a page of it, or an empty page when Naver has no such product order. */
    private MarketAnswer fetched(PlannedCall.FetchOrder fetch, NaverAnswer answer) throws Malformed {
        Map<String, ProductOrder> byId = productOrders(answer);
        ProductOrder details = byId.get(fetch.orderId());
        if (details == null) {
            return new CallOutcome.Ok(new OrderPage(List.of(), Optional.empty()));
        }
        Instant readAt = answerTime(answer);
        Order order = new Order(fetch.orderId(), details.status(), commonStatus(details.status()),
                readAt != null ? readAt : context.clock().instant(), readAt, details.json());
        return new CallOutcome.Ok(new OrderPage(List.of(order), Optional.empty()));
    }

    private record ProductOrder(String status, String json) {}

    /** The answer's own time (the body's {@code timestamp}, milliseconds at +09:00), or null when it has none. */
    private static Instant answerTime(NaverAnswer answer) {
        JsonNode timestamp = answer.object().map(b -> b.get("timestamp")).orElse(null);
        return timestamp != null && timestamp.isTextual() ? parseTime(timestamp.textValue()).orElse(null) : null;
    }

    /**
     * The common status of a {@code productOrderStatus} [D]: {@code PAYMENT_WAITING} payment pending, {@code PAYED} paid
     * (acknowledged or not: Naver tells by {@code placeOrderStatus}), {@code DELIVERING} shipping, {@code DELIVERED}
     * delivered, {@code PURCHASE_DECIDED} confirmed, {@code EXCHANGED}, {@code RETURNED}, and {@code CANCELED} and
     * {@code CANCELED_BY_NOPAYMENT} cancelled. A claim in progress leaves the status as it is ({@code claimStatus} is a
     * claim's, collected with claims).
     *
     * @throws IllegalArgumentException naming the code when it is not one of {@link #PRODUCT_ORDER_STATUSES}
     */
    public static io.marketgate.market.OrderStatus commonStatus(String code) {
        return switch (code == null ? "" : code) {
            case "PAYMENT_WAITING" -> io.marketgate.market.OrderStatus.PAYMENT_PENDING;
            case "PAYED" -> io.marketgate.market.OrderStatus.PAID;
            case "DELIVERING" -> io.marketgate.market.OrderStatus.SHIPPING;
            case "DELIVERED" -> io.marketgate.market.OrderStatus.DELIVERED;
            case "PURCHASE_DECIDED" -> io.marketgate.market.OrderStatus.CONFIRMED;
            case "EXCHANGED" -> io.marketgate.market.OrderStatus.EXCHANGED;
            case "RETURNED" -> io.marketgate.market.OrderStatus.RETURNED;
            case "CANCELED", "CANCELED_BY_NOPAYMENT" -> io.marketgate.market.OrderStatus.CANCELLED;
            default -> throw new IllegalArgumentException("productOrderStatus '" + code
                    + "' is not one of Naver's product-order states " + new java.util.TreeSet<>(PRODUCT_ORDER_STATUSES));
        };
    }

    /** The query's {@code data[]}, by product order id, each checked. */
    private Map<String, ProductOrder> productOrders(NaverAnswer answer) throws Malformed {
        JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
        JsonNode data = body.get("data");
        Map<String, ProductOrder> byId = new LinkedHashMap<>();
        if (data == null || data.isNull()) {
            return byId;
        }
        if (!data.isArray()) {
            throw new Malformed("data is not a list", data.toString());
        }
        for (int i = 0; i < data.size(); i++) {
            String where = "data[" + i + "]";
            JsonNode entry = data.get(i);
            JsonNode productOrder = entry == null ? null : entry.get("productOrder");
            if (productOrder == null || !productOrder.isObject()) {
                throw new Malformed(where + ".productOrder is missing or not an object", String.valueOf(entry));
            }
            String id = text(productOrder, "productOrderId", where + ".productOrder");
            byId.put(id, new ProductOrder(status(productOrder, where + ".productOrder"), entry.toString()));
        }
        return byId;
    }

    /** Dispatch's answer: 200 with the product order among the successes, or among the failures with its code. */
    private MarketAnswer dispatched(MarketAction.ShipOrder ship, NaverAnswer answer) throws Malformed {
        JsonNode data = data(answer);
        if (data == null) {
            throw new Malformed("data is missing", "");
        }
        for (JsonNode id : array(data, "successProductOrderIds")) {
            if (id.isTextual() && id.textValue().equals(ship.orderId())) {
                return new CallOutcome.Ok(new MarketData.ActionDone(ship.name(), false));
            }
        }
        JsonNode failures = array(data, "failProductOrderInfos");
        for (int i = 0; i < failures.size(); i++) {
            JsonNode failure = failures.get(i);
            if (!failure.path("productOrderId").asText("").equals(ship.orderId())) {
                continue;
            }
            String code = failure.path("code").asText("");
            if (code.equals(ALREADY_IN_STATE)) {
                return new CallOutcome.Ok(new MarketData.ActionDone(ship.name(), true));
            }
            return new CallOutcome.Fatal("Naver did not dispatch product order " + ship.orderId() + ": code " + answer.mask(code)
                    + ": " + answer.mask(failure.path("message").asText("")));
        }
        throw new Malformed("neither data.successProductOrderIds nor data.failProductOrderInfos names product order "
                + ship.orderId(), data.toString());
    }

    /**
     * A page of claims: the last-changed list of one change type, each item with a claim type a claim; the cursor of
     * {@code more}, else the next change type's first page, none after the last type.
     */
    private MarketAnswer claimsPage(PlannedCall.Collect collect, NaverAnswer answer) throws Malformed {
        JsonNode data = data(answer);
        String type = collect.cursor().map(NaverAdapter::passOf).orElse(CLAIM_CHANGE_TYPES.get(0));
        List<MarketRecord> claims = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        JsonNode more = null;
        if (data != null) {
            JsonNode items = array(data, "lastChangeStatuses");
            for (int i = 0; i < items.size(); i++) {
                NaverRecords.claim(items.get(i), "data.lastChangeStatuses[" + i + "]").ifPresent(claims::add);
            }
            more = data.get("more");
        }
        if (more != null && !more.isNull()) {
            String from = text(more, "moreFrom", "data.more");
            time(more, "moreFrom", "data.more");
            JsonNode sequence = more.get("moreSequence");
            if (sequence == null || !(sequence.isTextual() || sequence.isIntegralNumber())
                    || !SEQUENCE.matcher(sequence.asText()).matches()) {
                throw new Malformed("data.more.moreSequence must be a text of 1 to 128 letters, digits or '_.:+-'", more.toString());
            }
            cursor = Optional.of(type + CURSOR_SEPARATOR + from + CURSOR_SEPARATOR + sequence.asText());
            if (cursor.equals(collect.cursor())) {
                throw new Malformed("data.more is the position this page was asked from, so paging would not advance", more.toString());
            }
        } else {
            int pass = CLAIM_CHANGE_TYPES.indexOf(type);
            if (pass + 1 < CLAIM_CHANGE_TYPES.size()) {
                cursor = Optional.of(CLAIM_CHANGE_TYPES.get(pass + 1));
            }
        }
        return new CallOutcome.Ok(new MarketData.RecordPage(DataKind.CLAIMS, claims, cursor));
    }

    /**
     * A page of the contents or products APIs ({@code contents[]}, {@code page}, {@code last} or {@code totalPages}):
     * product questions or origin products; the next page's number unless it is the last.
     */
    private MarketAnswer contentsPage(PlannedCall.Collect collect, NaverAnswer answer, DataKind kind) throws Malformed {
        JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
        List<JsonNode> contents = NaverRecords.list(body, "contents");
        List<MarketRecord> records = new ArrayList<>(contents.size());
        for (int i = 0; i < contents.size(); i++) {
            String where = "contents[" + i + "]";
            records.add(kind == DataKind.INQUIRIES ? NaverRecords.inquiry(contents.get(i), where)
                    : NaverRecords.product(contents.get(i), where));
        }
        int page = pageOf(collect.cursor());
        boolean last = body.has("last") ? body.path("last").asBoolean(true) : page >= body.path("totalPages").asInt(0);
        Optional<String> cursor = last || contents.isEmpty() ? Optional.empty() : Optional.of(Integer.toString(page + 1));
        return new CallOutcome.Ok(new MarketData.RecordPage(kind, records, cursor));
    }

    /** A page of daily settlements ({@code elements[]}, {@code pagination{page, totalPages}}); the next page's number. */
    private MarketAnswer settlementsPage(PlannedCall.Collect collect, NaverAnswer answer) throws Malformed {
        JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
        List<JsonNode> elements = NaverRecords.list(body, "elements");
        List<MarketRecord> records = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            records.add(NaverRecords.settlement(elements.get(i), "elements[" + i + "]"));
        }
        JsonNode pagination = body.get("pagination");
        if (pagination == null || !pagination.isObject()) {
            throw new Malformed("pagination is missing", "");
        }
        int page = pageOf(collect.cursor());
        boolean last = elements.isEmpty() || page >= pagination.path("totalPages").asInt(0);
        return new CallOutcome.Ok(new MarketData.RecordPage(DataKind.SETTLEMENTS, records,
                last ? Optional.empty() : Optional.of(Integer.toString(page + 1))));
    }

    /** A 2xx to an action: dispatch's, 발주확인's and the claim decisions' per-item results, the contents' and products' done. */
    private MarketAnswer acted(MarketAction action, NaverAnswer answer) throws Malformed {
        return switch (action) {
            case MarketAction.ShipOrder ship -> dispatched(ship, answer);
            case MarketAction.AcknowledgeOrder ack -> itemResult(action, ack.orderId(), answer, "successProductOrderInfos");
            case MarketAction.ConfirmClaim confirm -> itemResult(action, splitClaimId(confirm.claimId())[1], answer,
                    "successProductOrderIds");
            case MarketAction.RejectClaim reject -> itemResult(action, splitClaimId(reject.claimId())[1], answer,
                    "successProductOrderIds");
            case MarketAction.AnswerInquiry a -> new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
            case MarketAction.ChangePrice a -> new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
            case MarketAction.ChangeStock a -> new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
            case MarketAction.ChangeSaleStatus a -> new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
            case MarketAction.ReplyReview a -> throw new Malformed("an answer to reply-review, which this adapter never plans", "");
        };
    }

    /**
     * The per-item result of an order API in HTTP 200: the product order among {@code successField} (ids, or objects
     * with {@code productOrderId}) is done; among {@code failProductOrderInfos}, {@link #ALREADY_IN_STATE} is done before,
     * a {@link #REFUSAL_CODES refusal code} a final refusal for the record's sake, any other code a final failure.
     */
    private MarketAnswer itemResult(MarketAction action, String productOrderId, NaverAnswer answer, String successField)
            throws Malformed {
        JsonNode data = data(answer);
        if (data == null) {
            throw new Malformed("data is missing", "");
        }
        for (JsonNode success : array(data, successField)) {
            String id = success.isObject() ? success.path("productOrderId").asText("") : success.asText("");
            if (id.equals(productOrderId)) {
                return new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
            }
        }
        JsonNode failures = array(data, "failProductOrderInfos");
        for (JsonNode failure : failures) {
            if (!failure.path("productOrderId").asText("").equals(productOrderId)) {
                continue;
            }
            String code = failure.path("code").asText("");
            if (code.equals(ALREADY_IN_STATE)) {
                return new CallOutcome.Ok(new MarketData.ActionDone(action.name(), true));
            }
            String reason = "Naver refused " + action.name() + " of product order " + productOrderId + ": code "
                    + answer.mask(code) + ": " + answer.mask(failure.path("message").asText(""));
            return REFUSAL_CODES.contains(code) ? new CallOutcome.Fatal(reason, CallOutcome.Cause.ACTION_REFUSED)
                    : new CallOutcome.Fatal(reason);
        }
        throw new Malformed("neither data." + successField + " nor data.failProductOrderInfos names product order "
                + productOrderId, data.toString());
    }

    /**
     * A 4xx to an action other than dispatch. The gateway's answers (401 {@code GW.AUTHN}, 403, {@code GW.NOT_FOUND}) as
     * for every call; 404 from the API: the question or product does not exist (deleted), a final refusal; 400 naming
     * invalid inputs: the request is wrong, a final failure; 400 without them, or 409: Naver refuses the change for the
     * record's state (a product ended, a question closed) [I: Naver documents no code for these], a final refusal.
     */
    private static MarketAnswer actionRefused(MarketAction action, NaverAnswer answer) {
        String code = answer.code();
        if (code.startsWith("GW.") || answer.status() == 401 || answer.status() == 403) {
            return refused(answer);
        }
        String what = action.name() + " of " + action.target().configName() + " " + action.targetId();
        if (answer.status() == 404) {
            return new CallOutcome.Fatal("Naver has no " + what + " to act on: " + answer.describe(), CallOutcome.Cause.ACTION_REFUSED);
        }
        if (answer.status() == 400 && !invalidInputs(answer).isEmpty()) {
            return new CallOutcome.Fatal("Naver refused the request of " + what + invalidInputs(answer) + ": " + answer.describe());
        }
        if (answer.status() == 400 || answer.status() == 409) {
            return new CallOutcome.Fatal("Naver refused " + what + ": " + answer.describe(), CallOutcome.Cause.ACTION_REFUSED);
        }
        return refused(answer);
    }

    // ---- reading answers

    /** A part of Naver's answer that is not its protocol's: what is wrong, and the part to quote ({@code ""}: the whole body). */
    static final class Malformed extends Exception {
        final String part;

        Malformed(String what, String part) {
            super(what, null, false, false);
            this.part = part;
        }
    }

    /** The body's {@code data} object; null when Naver sent none (a list of nothing). */
    private static JsonNode data(NaverAnswer answer) throws Malformed {
        JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
        JsonNode data = body.get("data");
        if (data == null || data.isNull()) {
            return null;
        }
        if (!data.isObject()) {
            throw new Malformed("data is not an object", data.toString());
        }
        return data;
    }

    /** {@code node.field} as a list; an empty one when absent or null. */
    private static JsonNode array(JsonNode node, String field) throws Malformed {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return NaverAnswer.JSON.createArrayNode();
        }
        if (!value.isArray()) {
            throw new Malformed(field + " is not a list", value.toString());
        }
        return (ArrayNode) value;
    }

    private static String text(JsonNode node, String field, String where) throws Malformed {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new Malformed(where + "." + field + " must be a non-empty text", String.valueOf(node));
        }
        return value.textValue();
    }

    private static String status(JsonNode node, String where) throws Malformed {
        String status = text(node, "productOrderStatus", where);
        if (!PRODUCT_ORDER_STATUSES.contains(status)) {
            throw new Malformed(where + ".productOrderStatus '" + status + "' is not one of Naver's product-order states",
                    node.toString());
        }
        return status;
    }

    private static Instant time(JsonNode node, String field, String where) throws Malformed {
        String text = text(node, field, where);
        return parseTime(text).orElseThrow(() -> new Malformed(where + "." + field + " must be an ISO-8601 date-time with offset",
                node.toString()));
    }

    private static Optional<Instant> parseTime(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    // ---- internals

    /** Checks the type and account id together: SELLER needs one, SELF must have none. */
    static void checkTypeAndAccount(String type, String accountId) {
        boolean hasAccount = accountId != null && !accountId.isEmpty();
        if (NaverAccount.SELLER.equals(type) && !hasAccount) {
            throw new IllegalArgumentException("credentials." + ACCOUNT_ID + " is missing: type SELLER asks for a token for "
                    + "the seller's account, and Naver requires its account_id");
        }
        if (NaverAccount.SELF.equals(type) && hasAccount) {
            throw new IllegalArgumentException("credentials." + ACCOUNT_ID + " must not be set with type SELF: Naver takes a "
                    + "token request with account_id and type SELF as non-standard and limits the application to 1 call "
                    + "per hour for a day");
        }
    }

    private PlannedCall query(Collection<String> ids, Seller seller, PlannedCall.Purpose purpose) {
        ObjectNode body = NaverAnswer.JSON.createObjectNode();
        ArrayNode list = body.putArray("productOrderIds");
        ids.forEach(list::add);
        return PlannedCall.of(market, getOrders.name(), budgetsFor(getOrders, seller), purpose, jsonPost(QUERY_PATH, body));
    }

    private HttpRequest jsonSend(String method, String path, ObjectNode body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
    }

    private HttpRequest jsonPost(String path, ObjectNode body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
    }

    private void check(CollectionRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request is missing");
        }
        if (!request.market().equals(market)) {
            throw new IllegalArgumentException("market: unknown market '" + request.market() + "' for the adapter of " + market);
        }
        if (request.kind() == DataKind.REVIEWS) {
            throw new IllegalArgumentException("kind: market " + market + " (naver) does not offer reviews: Naver Commerce has no "
                    + "review API");
        }
        if (request.kind() != DataKind.ORDERS && !listCalls.containsKey(request.kind())) {
            throw new IllegalArgumentException("kind: market " + market + " does not offer " + request.kind().configName()
                    + " (its adapter.calls has no " + request.kind().listOperation() + ")");
        }
    }

    /** {@code moreFrom} and {@code moreSequence} of a cursor this adapter made. */
    private static String[] splitCursor(String cursor) {
        int at = cursor.lastIndexOf(CURSOR_SEPARATOR);
        String from = at < 0 ? "" : cursor.substring(0, at);
        String sequence = at < 0 ? "" : cursor.substring(at + 1);
        if (parseTime(from).isEmpty() || !SEQUENCE.matcher(sequence).matches()) {
            throw new IllegalArgumentException("cursor '" + cursor + "' must be moreFrom" + CURSOR_SEPARATOR
                    + "moreSequence of a Naver page (an ISO-8601 date-time, '" + CURSOR_SEPARATOR + "', a sequence)");
        }
        return new String[] {from, sequence};
    }

    /** The call's budgets, per-instance ones keyed by the seller. */
    private List<String> budgetsFor(CallConfig call, Seller seller) {
        return seller.budgetsOf(call, budgets);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
