package io.marketgate.market.cafe24;

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
import io.marketgate.market.BucketLevel;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CallOutcome.MarketAnswer;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.ConsentFlow;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.ConnectionTokens;
import io.marketgate.market.auth.CredentialField;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.market.auth.CredentialsUnavailableException;
import io.marketgate.market.auth.MallConnection;
import io.marketgate.market.auth.MallConnections;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The adapter of the Cafe24 Admin API ({@code adapter.type: cafe24}): one API per mall, configured by its market's
 * section ({@link MarketApiConfig}, whose base URL names the mall), the sellers' registered apps ({@link #CREDENTIALS})
 * and their malls' connections ({@link MallConnections}, granted by the owner's consent: {@link #consent()}). The
 * protocol is described in this package's documentation.
 *
 * <p>Budgets: the token endpoint (a refresh, a code exchange) draws from the section's {@code token} call, the order
 * list from {@code listOrders}, one order (a re-collection, a shipment's lookup) from {@code getOrder}, a shipment from
 * {@code shipOrder}; per-instance budgets are keyed by the seller's mall (scope {@code mall}) or the seller.
 *
 * <pre>{@code
 * MarketAdapter cafe24 = MarketAdapters.forMarket(environment, "cafe24",
 *         AdapterContext.of(System::getenv).withCredentials(secrets).withConnections(dynamoConnections));
 * }</pre>
 *
 * <p>No client secret, code or token appears in a message, a {@code toString()} or a log: an excerpt of Cafe24's answer
 * in a failure reason has them masked ({@code ****}).
 */
public final class Cafe24Adapter implements MarketAdapter, ConsentFlow {

    /** The seller's mall id (not secret): the host's first label at Cafe24. */
    public static final String MALL_ID = "mallId";
    /** The app's client id (not secret). */
    public static final String CLIENT_ID = "clientId";
    /** The app's client secret (secret). */
    public static final String CLIENT_SECRET = "clientSecret";

    /**
     * What a Cafe24 seller registers: its mall and the app installed on it. The connection (access and refresh tokens)
     * is not registered: it comes from the mall owner's consent ({@code GET /v1/sellers/{market}/{sellerId}/connect}).
     */
    public static final CredentialSchema CREDENTIALS = CredentialSchema.of(List.of(
            CredentialField.id(MALL_ID, MarketApiConfig.MALL_ID.pattern(),
                    "the mall id: 1 to 63 lower-case letters, digits or '-', not starting or ending with '-' ({mallId}.cafe24api.com)"),
            CredentialField.id(CLIENT_ID, "[A-Za-z0-9_-]{1,64}", "1 to 64 letters, digits, '_' or '-' (the app's client ID)"),
            CredentialField.secret(CLIENT_SECRET, "[A-Za-z0-9_.~-]{8,128}",
                    "the app's client secret: 8 to 128 letters, digits, '_', '.', '~' or '-'"),
            CredentialField.id(Cafe24Adapter.INQUIRY_BOARD_NO, "[1-9][0-9]{0,8}",
                    "the board_no of the mall's product Q&A board, 1 to 999999999 (default 6)").optional(),
            CredentialField.id(Cafe24Adapter.REVIEW_BOARD_NO, "[1-9][0-9]{0,8}",
                    "the board_no of the mall's product review board, 1 to 999999999 (default 4)").optional()));

    /** The mall's product Q&amp;A board ({@code board_no}), an optional public field of the seller's credentials. */
    public static final String INQUIRY_BOARD_NO = "inquiryBoardNo";
    /** The mall's product review board ({@code board_no}), an optional public field of the seller's credentials. */
    public static final String REVIEW_BOARD_NO = "reviewBoardNo";
    /** The Q&amp;A board of a mall that registered none: board 6, a new mall's 상품 Q&amp;A [O]. */
    public static final int DEFAULT_INQUIRY_BOARD = 6;
    /** The review board of a mall that registered none: board 4, a new mall's 상품 사용후기 [O]. */
    public static final int DEFAULT_REVIEW_BOARD = 4;
    /** A board's articles, relative to the mall's base URL: {@code /admin/boards/{board_no}/articles}. */
    public static final String BOARDS_PATH = "/admin/boards";
    /** The mall's products, relative to its base URL. */
    public static final String PRODUCTS_PATH = "/admin/products";
    /** The mall's daily sales, relative to its base URL. */
    public static final String DAILY_SALES_PATH = "/admin/financials/dailysales";
    /** A board list's longest range: its dates span less than a year per call [D boards-articles]. */
    public static final Duration BOARD_RANGE = Duration.ofDays(364);
    /** A board list's largest page ({@code limit} 1 to 100 [D]). */
    public static final int BOARD_PAGE = 100;
    /** A board list's largest {@code offset} [D]: beyond it a window is split by days. */
    public static final int BOARD_MAX_OFFSET = 8000;
    /**
     * A product list's longest range by {@code updated_start_date}/{@code updated_end_date}: Cafe24 documents none, so
     * the boards' year is used [I].
     */
    public static final Duration PRODUCT_RANGE = Duration.ofDays(364);
    /** A product list's largest page ({@code limit} 1 to 100 [D]); pages follow {@code since_product_no} [D]. */
    public static final int PRODUCT_PAGE = 100;
    /** A daily-sales call's range: Cafe24 documents none; a month of days per answer [I]. */
    public static final Duration SALES_RANGE = Duration.ofDays(31);
    /**
     * Who writes a reply article: Cafe24 requires {@code client_ip} (the writer's IP, [D] with 127.0.0.1 in its
     * examples) and the adapter does not know its own egress address [I].
     */
    public static final String REPLY_CLIENT_IP = "127.0.0.1";
    /** The title of a reply article (Cafe24 requires one, at most 256 characters [D]). */
    public static final String REPLY_TITLE = "답변";

    /** The orders of a mall, relative to its base URL. */
    public static final String ORDERS_PATH = "/admin/orders";
    /** The token endpoint (code exchange, refresh), relative to the mall's base URL. */
    public static final String TOKEN_PATH = "/oauth/token";
    /** The consent page, relative to the mall's base URL. */
    public static final String AUTHORIZE_PATH = "/oauth/authorize";
    /** The largest {@code offset} Cafe24 takes [D]: beyond it a window is split. */
    public static final int MAX_OFFSET = 15_000;
    /** The longest tracking number Cafe24 takes [D]. */
    public static final int MAX_TRACKING_NO = 40;
    /**
     * How long a token call may take: far longer than other calls, because a refresh whose answer is lost may have
     * rotated the token (the old one is then dead); still well inside {@link MallConnections#DEFAULT_LEASE}.
     */
    public static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);
    /** How long before its expiry an access token (2 h) is refreshed, so that calls rarely meet a 401. */
    public static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(10);
    /**
     * How long before its expiry a refresh token (14 days) is renewed by any call, and by the scheduler's keep-alive
     * for a mall nobody collected ({@link #KEEP_ALIVE_MARGIN}): a mall is refreshed about 13 days after its last refresh.
     */
    public static final Duration KEEP_ALIVE_MARGIN = MallConnections.KEEP_ALIVE_MARGIN;
    /** The items' order states Cafe24 documents [D]; any other value in an answer is refused. */
    public static final Set<String> ORDER_STATUSES = Set.of("N00", "N01", "N02", "N03", "N10", "N20", "N21", "N22", "N30",
            "N40", "N50", "C00", "C10", "C11", "C34", "C35", "C36", "C40", "C41", "C42", "C43", "C47", "C48", "C49", "R00", "R10",
            "R11", "R12", "R13", "R20", "R30", "R31", "R34", "R36", "R40", "R41", "R42", "R43", "E00", "E10", "E11", "E12", "E13",
            "E20", "E30", "E31", "E32", "E33", "E34", "E35", "E36", "E40");
    /**
     * The common status of one item's {@code order_status} ({@link #ORDER_STATUSES} [D]): {@code N00}–{@code N03} before
     * payment (입금전; {@code N01}–{@code N03} [I] its variants), {@code N10} 상품준비중, {@code N20} 배송준비중,
     * {@code N21} 배송대기 and {@code N22} 배송보류 preparing, {@code N30} 배송중 shipping, {@code N40} 배송완료 delivered,
     * {@code N50} 구매확정 confirmed; {@code C40}–{@code C49} cancelled (취소완료, 입금전취소), other {@code C} codes a
     * cancellation in progress (requested, received, refused, processing); {@code R40}–{@code R43} returned (반품완료),
     * other {@code R} codes a return in progress; {@code E40} exchanged, other {@code E} codes an exchange in progress. An
     * order of several items takes {@link io.marketgate.market.OrderStatus#ofLines} of its items.
     *
     * @throws IllegalArgumentException naming the code when it is not one of {@link #ORDER_STATUSES}
     */
    public static io.marketgate.market.OrderStatus commonStatus(String code) {
        if (code == null || !ORDER_STATUSES.contains(code)) {
            throw new IllegalArgumentException("order_status '" + code + "' is not one of Cafe24's order states "
                    + new java.util.TreeSet<>(ORDER_STATUSES));
        }
        int n = Integer.parseInt(code.substring(1));
        return switch (code.charAt(0)) {
            case 'N' -> switch (n / 10) {
                case 0 -> io.marketgate.market.OrderStatus.PAYMENT_PENDING;
                case 1, 2 -> io.marketgate.market.OrderStatus.PREPARING;
                case 3 -> io.marketgate.market.OrderStatus.SHIPPING;
                case 4 -> io.marketgate.market.OrderStatus.DELIVERED;
                default -> io.marketgate.market.OrderStatus.CONFIRMED;
            };
            case 'C' -> n >= 40 ? io.marketgate.market.OrderStatus.CANCELLED : io.marketgate.market.OrderStatus.CANCELLING;
            case 'R' -> n >= 40 ? io.marketgate.market.OrderStatus.RETURNED : io.marketgate.market.OrderStatus.RETURNING;
            default -> n >= 40 ? io.marketgate.market.OrderStatus.EXCHANGED : io.marketgate.market.OrderStatus.EXCHANGING;
        };
    }

    /** The items' states a shipment can be made from: not yet shipped, not cancelled [D C24 orders]. */
    public static final Set<String> SHIPPABLE = Set.of("N10", "N20", "N21", "N22");
    /** The longest window list a request may be split into; more means a wrong range rather than a real backfill. */
    public static final int MAX_WINDOWS = 10_000;

    static final ZoneOffset KST = ZoneOffset.ofHours(9);
    /** The dates Cafe24 takes and gives: ISO-8601 to the second at +09:00. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX").withZone(KST);
    private static final Pattern CALL_LIMIT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.~-]{1,512}");
    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9_.~-]{8,256}");
    private static final Pattern CARRIER = Pattern.compile("[A-Za-z0-9_-]{1,20}");
    private static final List<String> USAGE_HEADERS = List.of("X-Cafe24-Call-Usage", "X-Cafe24-Time-Usage",
            "X-Cafe24-Call-Remain", "X-Cafe24-Time-Remain");
    private static final String REFRESH = "refresh:";
    private static final String EXCHANGE = "code:";

    /** Which token a call was sent with, for {@link #tokenRejected}; weak keys, so a finished call leaves nothing behind. */
    private record Sent(String sellerId, CachedToken token) {}

    private final String market;
    private final MarketApiConfig config;
    private final CallConfig tokenCall;
    private final CallConfig listOrders;
    private final CallConfig getOrder;
    private final Optional<CallConfig> shipOrder;
    /** The list call of each kind other than orders the section maps. */
    private final Map<DataKind, CallConfig> lists = new java.util.EnumMap<>(DataKind.class);
    /** The call of each action other than shipping the section maps, by action name. */
    private final Map<String, CallConfig> actionCalls = new LinkedHashMap<>();
    private final Map<String, BudgetConfig> budgets;
    private final AdapterContext context;
    private final Map<PlannedCall, Sent> sentWith = Collections.synchronizedMap(new WeakHashMap<>());

    private Cafe24Adapter(MarketConfig market, MarketApiConfig config, AdapterContext context) {
        this.market = market.name();
        this.config = config;
        this.tokenCall = market.call(config.requiredCall(MarketApiConfig.TOKEN));
        this.listOrders = market.call(config.requiredCall(MarketApiConfig.LIST_ORDERS));
        this.getOrder = market.call(config.requiredCall(MarketApiConfig.GET_ORDER));
        this.shipOrder = config.call(MarketApiConfig.SHIP_ORDER).map(market::call);
        for (DataKind kind : DataKind.values()) {
            if (kind != DataKind.ORDERS && AdapterType.CAFE24.kinds().contains(kind.configName())) {
                config.call(kind.listOperation()).map(market::call).ifPresent(c -> lists.put(kind, c));
            }
        }
        for (String action : AdapterType.CAFE24.actions()) {
            if (!action.equals("ship-order")) {
                config.call(io.marketgate.config.Operations.actionOperation(action)).map(market::call)
                        .ifPresent(c -> actionCalls.put(action, c));
            }
        }
        this.budgets = market.budgets();
        this.context = context;
    }

    /**
     * The adapter of {@code market}, whose {@code adapter} section must be of type {@code cafe24}; sellers' apps, their
     * malls' connections and the clock come from {@code context}.
     *
     * @throws IllegalArgumentException when the market has no cafe24 adapter section, or a call it names is unknown
     */
    public static Cafe24Adapter of(MarketConfig market, AdapterContext context) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(context, "context");
        return new Cafe24Adapter(market, market.apiAdapter(AdapterType.CAFE24), context);
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

    @Override
    public List<TimeWindow> windows(CollectionRequest request) {
        check(request);
        return TimeWindow.cover(request.from(), request.to(), range(request.kind()), MAX_WINDOWS);
    }

    /** The longest window of a kind: the section's for orders, the kind's own for the others. */
    private Duration range(DataKind kind) {
        return switch (kind) {
            case ORDERS -> config.maxRangePerCall();
            case INQUIRIES, REVIEWS -> BOARD_RANGE;
            case PRODUCTS -> PRODUCT_RANGE;
            default -> SALES_RANGE;
        };
    }

    /**
     * {@code GET {mall}/admin/orders?shop_no=1&date_type=pay_date&start_date&end_date&limit&offset&embed=items,receivers}:
     * the orders paid in the window (both ends inclusive at Cafe24, to the second: the window's first whole second to the
     * last one before its end), from {@code offset} (the cursor; empty: 0).
     */
    @Override
    public PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        check(request);
        Objects.requireNonNull(cursor, "cursor");
        if (request.kind() != DataKind.ORDERS) {
            return planRecords(request, window, cursor);
        }
        request.checkWindow(window, config.maxRangePerCall(), ChronoUnit.NANOS);
        int offset = cursor.map(Cafe24Adapter::offset).orElse(0);
        if (offset > MAX_OFFSET) {
            throw new IllegalArgumentException("cursor " + offset + " is beyond Cafe24's largest offset " + MAX_OFFSET
                    + " (next() splits such a window)");
        }
        Instant start = ceilSecond(window.from());
        Instant end = ceilSecond(window.to()).minusSeconds(1);
        if (end.isBefore(start)) {
            end = start; // a window without a whole second: its one second, shared with the next window (no order lost)
        }
        String query = "shop_no=1&date_type=pay_date&start_date=" + encode(TIME.format(start)) + "&end_date=" + encode(TIME.format(end))
                + "&limit=" + config.pageSize() + "&offset=" + offset + "&embed=items,receivers";
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(request.seller()) + ORDERS_PATH + "?" + query))
                .header("Accept", "application/json").GET().build();
        return PlannedCall.of(market, listOrders.name(), budgetsFor(listOrders, request.seller()),
                new PlannedCall.Collect(request, window, cursor), http);
    }

    /**
     * The next page of the window while its pages are full; when the next offset would pass Cafe24's largest
     * ({@value #MAX_OFFSET}), the window's first half from offset 0 (its second half follows as the next window: the
     * orders listed so far are listed again, none is missed); then the next window.
     */
    @Override
    public Optional<PlannedCall> next(PlannedCall previous, MarketData.Page page) {
        if (!(previous.purpose() instanceof PlannedCall.Collect collect)) {
            throw new IllegalArgumentException("call " + previous + " is not a page of a collection");
        }
        if (collect.request().kind() == DataKind.INQUIRIES || collect.request().kind() == DataKind.REVIEWS) {
            if (page.nextCursor().isPresent() && boardOffset(page.nextCursor().get()) > BOARD_MAX_OFFSET) {
                Optional<TimeWindow> half = firstDays(collect.window());
                if (half.isEmpty()) {
                    throw new IllegalStateException("window " + collect.window() + " of " + previous + " cannot be split further");
                }
                return Optional.of(planPage(collect.request(), half.get(), Optional.empty()));
            }
            return MarketAdapter.super.next(previous, page);
        }
        if (collect.request().kind() != DataKind.ORDERS) {
            return MarketAdapter.super.next(previous, page);
        }
        if (page.nextCursor().isPresent() && offset(page.nextCursor().get()) > MAX_OFFSET) {
            TimeWindow window = collect.window();
            Optional<TimeWindow> half = firstHalf(window);
            if (half.isEmpty()) {
                throw new IllegalStateException("window " + window + " of " + previous + " cannot be split further");
            }
            return Optional.of(planPage(collect.request(), half.get(), Optional.empty()));
        }
        return MarketAdapter.super.next(previous, page);
    }

    /** The first half of {@code window} in whole seconds; empty when it has fewer than two. */
    static Optional<TimeWindow> firstHalf(TimeWindow window) {
        Instant start = ceilSecond(window.from());
        long seconds = ChronoUnit.SECONDS.between(start, ceilSecond(window.to()));
        if (seconds < 2) {
            return Optional.empty();
        }
        return Optional.of(new TimeWindow(window.from(), start.plusSeconds(seconds / 2)));
    }

    /** {@code GET {mall}/admin/orders/{order_id}?shop_no=1&embed=items,receivers}: one order, read again. */
    @Override
    public PlannedCall planGetOrder(Seller seller, String orderId) {
        return readOrder(seller, orderId, new PlannedCall.FetchOrder(seller, orderId));
    }

    /** A shipment names the order's items, which a read of the order gives: the lookup. */
    @Override
    public Optional<PlannedCall> planLookup(MarketAction action) {
        return switch (action) {
            case MarketAction.ShipOrder ship -> {
                checkShip(ship);
                yield Optional.of(readOrder(ship.seller(), ship.orderId(), new PlannedCall.FetchOrder(ship.seller(), ship.orderId())));
            }
            case MarketAction.AnswerInquiry a -> {
                CallConfig call = actionCall(a);
                validate(a);
                yield Optional.of(readArticle(a, a.inquiryId(), call));
            }
            case MarketAction.ReplyReview r -> {
                CallConfig call = actionCall(r);
                validate(r);
                yield Optional.of(readArticle(r, r.reviewId(), call));
            }
            default -> Optional.empty();
        };
    }

    /**
     * The shipment of the looked-up order's items that can still ship; when none can (shipped already, cancelled), the
     * action's call reads the order again and {@link #classify} judges it: shipped with this tracking number is done,
     * anything else final. A shipment Cafe24 would refuse is not sent.
     */
    @Override
    public PlannedCall plan(MarketAction action, OrderPage lookedUp) {
        Objects.requireNonNull(lookedUp, "lookedUp");
        return switch (action) {
            case MarketAction.ShipOrder ship -> {
                CallConfig call = checkShip(ship);
                List<String> items = lookedUp.orders().stream().filter(o -> o.orderId().equals(ship.orderId())).findFirst()
                        .map(o -> shippableItems(o.json())).orElse(List.of());
                yield items.isEmpty() ? confirmShipped(ship) : createShipment(ship, call, items);
            }
            case MarketAction.AnswerInquiry a when lookedUp.nextCursor().filter(ANSWERED::equals).isPresent() ->
                    readReplies(a, a.inquiryId(), actionCall(a));
            case MarketAction.ReplyReview r when lookedUp.nextCursor().filter(ANSWERED::equals).isPresent() ->
                    readReplies(r, r.reviewId(), actionCall(r));
            default -> plan(action);
        };
    }

    /**
     * Without its lookup the items are not known: the action's call alone reads the order and counts the action as done
     * only when it shipped with this tracking number already.
     */
    @Override
    public PlannedCall planShipOrder(MarketAction.ShipOrder action) {
        checkShip(action);
        return confirmShipped(action);
    }

    private PlannedCall createShipment(MarketAction.ShipOrder ship, CallConfig call, List<String> items) {
        ObjectNode body = Cafe24Answer.JSON.createObjectNode().put("shop_no", 1);
        ObjectNode request = body.putObject("request")
                .put("tracking_no", ship.trackingNumber())
                .put("shipping_company_code", ship.carrier())
                .put("status", "shipping");
        ArrayNode codes = request.putArray("order_item_code");
        items.forEach(codes::add);
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(ship.seller()) + ORDERS_PATH + "/" + ship.orderId() + "/shipments"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, ship.seller()), new PlannedCall.Act(ship), http);
    }

    private PlannedCall confirmShipped(MarketAction.ShipOrder ship) {
        return readOrder(ship.seller(), ship.orderId(), new PlannedCall.Act(ship));
    }

    private PlannedCall readOrder(Seller seller, String orderId, PlannedCall.Purpose purpose) {
        Objects.requireNonNull(seller, "seller");
        if (orderId == null || !MarketAction.ID.matcher(orderId).matches()) {
            throw new IllegalArgumentException("orderId '" + orderId + "' must be a Cafe24 order id such as 20261121-0000013");
        }
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(seller) + ORDERS_PATH + "/" + orderId
                        + "?shop_no=1&embed=items,receivers"))
                .header("Accept", "application/json").GET().build();
        return PlannedCall.of(market, getOrder.name(), budgetsFor(getOrder, seller), purpose, http);
    }

    private CallConfig checkShip(MarketAction.ShipOrder ship) {
        Objects.requireNonNull(ship, "action");
        CallConfig call = shipOrder.orElseThrow(() -> new IllegalArgumentException("action ship-order: market " + market
                + " does not ship through its adapter (adapter.calls has no " + MarketApiConfig.SHIP_ORDER + ")"));
        if (!CARRIER.matcher(ship.carrier()).matches()) {
            throw new IllegalArgumentException("carrier '" + ship.carrier() + "' must be a Cafe24 shipping_company_code: 1 to 20 "
                    + "letters, digits, '_' or '-' (such as 0001)");
        }
        if (ship.trackingNumber().length() > MAX_TRACKING_NO) {
            throw new IllegalArgumentException("trackingNumber is " + ship.trackingNumber().length() + " characters, Cafe24 takes at most "
                    + MAX_TRACKING_NO);
        }
        base(ship.seller());
        return call;
    }

    // ---- kinds other than orders

    /**
     * A page of a kind other than orders:
     * <pre>
     * GET {mall}/admin/boards/{board_no}/articles?shop_no=1&amp;start_date&amp;end_date&amp;limit=100&amp;offset   (inquiries, reviews)
     * GET {mall}/admin/products?shop_no=1&amp;updated_start_date&amp;updated_end_date&amp;limit=100[&amp;since_product_no]
     * GET {mall}/admin/financials/dailysales?start_date&amp;end_date                                  (settlements)
     * </pre>
     * Dates are KST days, both ends inclusive: the window's first day to the day of its last instant; the records of those
     * days outside the window are left out of its page.
     */
    private PlannedCall planRecords(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        DataKind kind = request.kind();
        request.checkWindow(window, range(kind), ChronoUnit.NANOS);
        CallConfig call = lists.get(kind);
        String start = day(window.from());
        String end = day(window.to().minusNanos(1));
        String pathAndQuery = switch (kind) {
            case INQUIRIES, REVIEWS -> {
                int offset = cursor.map(Cafe24Adapter::boardOffset).orElse(0);
                if (offset > BOARD_MAX_OFFSET) {
                    throw new IllegalArgumentException("cursor " + offset + " is beyond Cafe24's largest board offset "
                            + BOARD_MAX_OFFSET + " (next() splits such a window)");
                }
                yield BOARDS_PATH + "/" + board(request.seller(), kind) + "/articles?shop_no=1&start_date=" + start + "&end_date=" + end
                        + "&limit=" + BOARD_PAGE + "&offset=" + offset;
            }
            case PRODUCTS -> PRODUCTS_PATH + "?shop_no=1&updated_start_date=" + start + "&updated_end_date=" + end + "&limit="
                    + PRODUCT_PAGE + cursor.map(c -> "&since_product_no=" + Cafe24Records.product(c)).orElse("");
            default -> {
                if (cursor.isPresent()) {
                    throw new IllegalArgumentException("cursor must be empty: Cafe24 answers a range of daily sales whole");
                }
                yield DAILY_SALES_PATH + "?start_date=" + start + "&end_date=" + end;
            }
        };
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(request.seller()) + pathAndQuery))
                .header("Accept", "application/json").GET().build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, request.seller()), new PlannedCall.Collect(request, window, cursor),
                http);
    }

    /** The KST day of an instant, as Cafe24's date parameters take it. */
    private static String day(Instant t) {
        return LocalDate.ofInstant(t, KST).toString();
    }

    /**
     * The board of {@code kind} of the seller's mall: its registered {@link #INQUIRY_BOARD_NO} or {@link #REVIEW_BOARD_NO},
     * else the default (6, 4). The credentials are read through the context's source (cached in a deployment); a seller
     * without registered credentials gets the defaults.
     *
     * @throws IllegalStateException when the credentials cannot be read now (the collection is retried)
     */
    private long board(Seller seller, DataKind kind) {
        String field = kind == DataKind.INQUIRIES ? INQUIRY_BOARD_NO : REVIEW_BOARD_NO;
        long fallback = kind == DataKind.INQUIRIES ? DEFAULT_INQUIRY_BOARD : DEFAULT_REVIEW_BOARD;
        Optional<String> registered;
        try {
            registered = context.credentials().credentials(market, seller.id()).find(field);
        } catch (CredentialsUnavailableException e) {
            if (e.isTransient()) {
                throw new IllegalStateException("the credentials of seller " + seller.id() + " of market " + market
                        + " cannot be read now (" + field + "): " + e.getMessage(), e);
            }
            registered = Optional.empty();
        }
        return registered.filter(v -> v.matches("[1-9][0-9]{0,8}")).map(Long::parseLong).orElse(fallback);
    }

    /** The offset a board cursor names: 0 to {@value #BOARD_MAX_OFFSET} plus a page. */
    private static int boardOffset(String cursor) {
        int max = BOARD_MAX_OFFSET + BOARD_PAGE;
        try {
            int offset = Integer.parseInt(cursor);
            if (offset >= 0 && offset <= max) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("cursor '" + cursor + "' must be the offset of a Cafe24 board page, 0 to " + max);
    }

    /**
     * The first half of {@code window} in whole KST days (the board list is asked by day): from its start to the start of
     * its middle day; empty when it touches fewer than two days.
     */
    static Optional<TimeWindow> firstDays(TimeWindow window) {
        LocalDate first = LocalDate.ofInstant(window.from(), KST);
        LocalDate last = LocalDate.ofInstant(window.to().minusNanos(1), KST);
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        if (days < 2) {
            return Optional.empty();
        }
        Instant cut = first.plusDays(days / 2).atStartOfDay(KST).toInstant();
        return Optional.of(new TimeWindow(window.from(), cut));
    }

    /** A page of a kind other than orders: its records, and the next cursor while pages are full. */
    private MarketAnswer recordPage(PlannedCall.Collect collect, Cafe24Answer answer) throws Malformed {
        JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
        DataKind kind = collect.request().kind();
        try {
            return switch (kind) {
                case INQUIRIES, REVIEWS -> {
                    JsonNode articles = Cafe24Records.articles(body);
                    if (articles.size() > BOARD_PAGE) {
                        throw new Malformed("articles has " + articles.size() + " articles, more than the limit of " + BOARD_PAGE, "");
                    }
                    long board = board(collect.request().seller(), kind);
                    List<io.marketgate.market.MarketRecord> records = Cafe24Records.boardRecords(kind, board, articles, collect.window());
                    Optional<String> next = articles.size() == BOARD_PAGE
                            ? Optional.of(Integer.toString(collect.cursor().map(Cafe24Adapter::boardOffset).orElse(0) + BOARD_PAGE))
                            : Optional.empty();
                    if (next.isPresent() && boardOffset(next.get()) > BOARD_MAX_OFFSET && firstDays(collect.window()).isEmpty()) {
                        yield new CallOutcome.Fatal("Cafe24 lists more than " + (BOARD_MAX_OFFSET + BOARD_PAGE) + " articles of board "
                                + board + " written within " + collect.window() + ", a window of one day: the articles beyond offset "
                                + BOARD_MAX_OFFSET + " cannot be listed");
                    }
                    yield new CallOutcome.Ok(new MarketData.RecordPage(kind, records, next));
                }
                case PRODUCTS -> {
                    JsonNode products = Cafe24Records.products(body);
                    if (products.size() > PRODUCT_PAGE) {
                        throw new Malformed("products has " + products.size() + " products, more than the limit of " + PRODUCT_PAGE, "");
                    }
                    List<io.marketgate.market.MarketRecord> all = Cafe24Records.productRecords(products);
                    Optional<String> next = products.size() == PRODUCT_PAGE
                            ? Optional.of(all.get(all.size() - 1).id()) : Optional.empty();
                    List<io.marketgate.market.MarketRecord> inWindow = all.stream()
                            .filter(r -> !r.updatedAt().isBefore(collect.window().from()) && r.updatedAt().isBefore(collect.window().to()))
                            .toList();
                    yield new CallOutcome.Ok(new MarketData.RecordPage(kind, inWindow, next));
                }
                default -> new CallOutcome.Ok(new MarketData.RecordPage(kind,
                        Cafe24Records.dailySales(body, LocalDate.ofInstant(context.clock().instant(), KST)), Optional.empty()));
            };
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage(), "");
        }
    }

    // ---- actions other than shipping

    /**
     * Cafe24's own limits of an action: an inquiry's or review's id is {@code {board_no}-{article_no}}, a product's its
     * {@code product_no}; a reply's text is an article's content (Cafe24 documents no length limit, so the common
     * {@link MarketAction#MAX_TEXT} holds).
     */
    @Override
    public void validate(MarketAction action) {
        Objects.requireNonNull(action, "action");
        switch (action) {
            case MarketAction.AnswerInquiry a -> Cafe24Records.article("inquiryId", a.inquiryId());
            case MarketAction.ReplyReview r -> Cafe24Records.article("reviewId", r.reviewId());
            case MarketAction.ChangePrice p -> {
                Cafe24Records.product(p.productId());
                if (p.price() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("price is " + p.price() + ", Cafe24 takes at most " + Integer.MAX_VALUE);
                }
            }
            case MarketAction.ChangeSaleStatus s -> Cafe24Records.product(s.productId());
            case MarketAction.ShipOrder ship -> checkShip(ship);
            default -> throw new IllegalArgumentException("action: " + market + " (cafe24) does not offer " + action.name());
        }
    }

    /** The call of an action after its lookup, or without one for the products' changes. */
    @Override
    public PlannedCall planAction(MarketAction action) {
        CallConfig call = actionCall(action);
        validate(action);
        return switch (action) {
            case MarketAction.AnswerInquiry a -> replyArticle(a, a.inquiryId(), a.text(), call);
            case MarketAction.ReplyReview r -> replyArticle(r, r.reviewId(), r.text(), call);
            case MarketAction.ChangePrice p -> updateProduct(p, p.productId(), "price", p.price() + ".00", call);
            case MarketAction.ChangeSaleStatus s -> updateProduct(s, s.productId(), "selling",
                    s.status() == io.marketgate.market.ProductStatus.ON_SALE ? "T" : "F", call);
            default -> throw new IllegalArgumentException("action: " + market + " (cafe24) does not offer " + action.name());
        };
    }

    private CallConfig actionCall(MarketAction action) {
        Objects.requireNonNull(action, "action");
        CallConfig call = actionCalls.get(action.name());
        if (call == null) {
            throw new IllegalArgumentException("action: " + market + " (cafe24) does not offer " + action.name()
                    + (AdapterType.CAFE24.actions().contains(action.name())
                            ? " (adapter.calls has no " + action.operation() + ")" : " (Cafe24 has no call for it)"));
        }
        return call;
    }

    /** The article an answer or a reply is for, read first: {@code GET …/boards/{board_no}/articles?shop_no=1&article_no=}. */
    private PlannedCall readArticle(MarketAction action, String id, CallConfig call) {
        long[] article = Cafe24Records.article(action instanceof MarketAction.AnswerInquiry ? "inquiryId" : "reviewId", id);
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(action.seller()) + BOARDS_PATH + "/" + article[0]
                        + "/articles?shop_no=1&article_no=" + article[1]))
                .header("Accept", "application/json").GET().build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    /**
     * The replies of the last two days (KST) on the article's board: a reply with the same text is the action done before
     * (a redelivery), any other the article answered by someone else.
     */
    private PlannedCall readReplies(MarketAction action, String id, CallConfig call) {
        long[] article = Cafe24Records.article(action instanceof MarketAction.AnswerInquiry ? "inquiryId" : "reviewId", id);
        LocalDate today = LocalDate.ofInstant(context.clock().instant(), KST);
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(action.seller()) + BOARDS_PATH + "/" + article[0]
                        + "/articles?shop_no=1&start_date=" + today.minusDays(1) + "&end_date=" + today + "&limit=" + BOARD_PAGE))
                .header("Accept", "application/json").GET().build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    /**
     * {@code POST {mall}/admin/boards/{board_no}/articles}
     * {@code {"shop_no":1,"requests":[{"writer","title","content","client_ip","reply_article_no","member_id"}]}}: a reply
     * article written as the mall ({@code member_id} = the mall id, so that Cafe24 shows the shop's name [D]).
     */
    private PlannedCall replyArticle(MarketAction action, String id, String text, CallConfig call) {
        long[] article = Cafe24Records.article(action instanceof MarketAction.AnswerInquiry ? "inquiryId" : "reviewId", id);
        String mall = mall(action.seller());
        ObjectNode body = Cafe24Answer.JSON.createObjectNode().put("shop_no", 1);
        ObjectNode request = body.putArray("requests").addObject()
                .put("writer", mall.length() > 100 ? mall.substring(0, 100) : mall)
                .put("title", REPLY_TITLE)
                .put("content", text)
                .put("client_ip", REPLY_CLIENT_IP)
                .put("reply_article_no", article[1]);
        if (mall.length() <= 20) {
            request.put("member_id", mall);
        }
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(action.seller()) + BOARDS_PATH + "/" + article[0] + "/articles"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    /** {@code PUT {mall}/admin/products/{product_no}} {@code {"shop_no":1,"request":{field: value}}}. */
    private PlannedCall updateProduct(MarketAction action, String productId, String field, String value, CallConfig call) {
        long no = Cafe24Records.product(productId);
        ObjectNode body = Cafe24Answer.JSON.createObjectNode().put("shop_no", 1);
        body.putObject("request").put(field, value);
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(action.seller()) + PRODUCTS_PATH + "/" + no))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    /** What the lookup of an answer or a reply found: the article answered already (its replies are read next). */
    private static final String ANSWERED = "answered";

    /** An answer's or a reply's article, read: its state decides the next call (or stands for the action). */
    private MarketAnswer articleRead(MarketAction action, long[] article, Cafe24Answer answer) throws Malformed {
        if (answer.status() == 404) {
            return noArticle(article, answer);
        }
        if (!answer.ok()) {
            return refused(answer);
        }
        JsonNode articles = articles(answer);
        Optional<JsonNode> found = Cafe24Records.find(articles, article[1]);
        if (found.isEmpty()) {
            return new CallOutcome.Fatal("Cafe24 has no article " + article[1] + " on board " + article[0],
                    CallOutcome.Cause.ACTION_REFUSED);
        }
        String deleted = found.get().path("deleted").asText("F");
        if (!deleted.equals("F")) {
            return new CallOutcome.Fatal("Cafe24's article " + article[1] + " on board " + article[0] + " was deleted (deleted: "
                    + deleted + ")", CallOutcome.Cause.ACTION_REFUSED);
        }
        boolean answered = found.get().path("reply_status").asText("N").equals("C");
        return new CallOutcome.Ok(new OrderPage(List.of(), answered ? Optional.of(ANSWERED) : Optional.empty()));
    }

    /** The board's recent replies, read because the article is answered: the same text is done, another refused. */
    private MarketAnswer repliesRead(MarketAction action, long[] article, String text, Cafe24Answer answer) throws Malformed {
        if (!answer.ok()) {
            return refused(answer);
        }
        JsonNode articles = articles(answer);
        for (JsonNode a : articles) {
            if (a.path("parent_article_no").asLong() == article[1] && a.path("reply_depth").asInt(0) > 0
                    && a.path("article_no").asLong() != article[1] && text.equals(a.path("content").asText(null))
                    && !"T".equals(a.path("deleted").asText("F"))) {
                return new CallOutcome.Ok(new MarketData.ActionDone(action.name(), true));
            }
        }
        return new CallOutcome.Fatal("Cafe24's article " + article[1] + " on board " + article[0] + " is answered already "
                + "(reply_status C) and none of the board's replies of the last two days has this text", CallOutcome.Cause.ACTION_REFUSED);
    }

    /** A 404 to a call on an article: Cafe24 has no such board or no such article on it, a final refusal. */
    private static MarketAnswer noArticle(long[] article, Cafe24Answer answer) {
        return new CallOutcome.Fatal("Cafe24 has no board " + article[0] + " or no article " + article[1] + " on it: "
                + answer.describe(), CallOutcome.Cause.ACTION_REFUSED);
    }

    /** The {@code articles} of an answer about a board's articles. */
    private static JsonNode articles(Cafe24Answer answer) throws Malformed {
        try {
            return Cafe24Records.articles(answer.object().orElse(null));
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage(), "");
        }
    }

    /** A reply article's answer: 201 with the created article, done. */
    private MarketAnswer replyCreated(MarketAction action, long[] article, Cafe24Answer answer) throws Malformed {
        if (answer.status() == 404) {
            return noArticle(article, answer);
        }
        if (!answer.ok()) {
            return refused(answer);
        }
        JsonNode articles = articles(answer);
        if (articles.isEmpty() || articles.get(0).path("article_no").asLong(0) < 1) {
            throw new Malformed("articles has no created article", "");
        }
        return new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
    }

    /** A product update's answer: 200 with the product, done; 404 (no such product, deleted) a final refusal. */
    private MarketAnswer productUpdated(MarketAction action, String productId, Cafe24Answer answer) throws Malformed {
        if (answer.status() == 404) {
            return new CallOutcome.Fatal("Cafe24 has no product " + productId + " (deleted?): " + answer.describe(),
                    CallOutcome.Cause.ACTION_REFUSED);
        }
        if (!answer.ok()) {
            return refused(answer);
        }
        JsonNode product = answer.object().map(b -> b.get("product")).orElse(null);
        if (product == null || !product.isObject()) {
            throw new Malformed("product is missing or not an object", "");
        }
        if (product.has("product_no") && !product.get("product_no").asText().equals(productId)) {
            throw new Malformed("product.product_no is not the product changed (" + productId + ")", product.toString());
        }
        return new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
    }

    // ---- authorization

    /**
     * Adds {@code Authorization: Bearer <token>} of the seller's mall connection (refreshed through {@code calls} when
     * due or refused: a token call drawn from the {@code token} budgets) and {@code X-Cafe24-Api-Version}. When no token
     * can be had, the outcome (reconnect required, the refresh's failure) stands for the call.
     */
    @Override
    public Optional<CallOutcome> authorize(PlannedCall call, HttpRequest.Builder request, AuthCalls calls)
            throws InterruptedException {
        if (call.purpose() instanceof PlannedCall.Authenticate || call.seller().isEmpty()) {
            return Optional.empty(); // a token call carries the app's Basic credentials itself
        }
        Seller seller = call.seller().get();
        MallConnections.Obtained obtained = context.connections().accessToken(market, seller.id(), refreshToken -> {
            Cafe24App app;
            try {
                app = app(seller);
            } catch (CredentialsUnavailableException e) {
                return e.isTransient() ? new CallOutcome.Retryable(e.getMessage()) : new CallOutcome.Fatal(e.getMessage());
            } catch (IllegalArgumentException e) {
                return new CallOutcome.Fatal("seller " + seller.id() + " of market " + market + ": " + e.getMessage());
            }
            return calls.execute(planRefresh(seller, app, refreshToken));
        });
        return switch (obtained) {
            case MallConnections.Obtained.Failed failed -> Optional.of(failed.outcome());
            case MallConnections.Obtained.Token token -> {
                request.setHeader("Authorization", "Bearer " + token.token().value());
                config.apiVersion().ifPresent(v -> request.setHeader("X-Cafe24-Api-Version", v));
                sentWith.put(call, new Sent(seller.id(), token.token()));
                yield Optional.empty();
            }
        };
    }

    /** Tells the connections that the market refused the token {@code call} was sent with: the next call refreshes. */
    @Override
    public void tokenRejected(PlannedCall call) {
        Sent sent = sentWith.remove(call);
        if (sent != null) {
            context.connections().refused(market, sent.sellerId(), sent.token());
        }
    }

    /** A token Cafe24 has just issued and then refused: the consent is gone (the app was removed from the mall). */
    @Override
    public CallOutcome.Cause freshTokenRefused() {
        return CallOutcome.Cause.RECONNECT_REQUIRED;
    }

    /** {@code POST {mall}/oauth/token}, Basic auth, {@code grant_type=refresh_token&refresh_token=…}. */
    PlannedCall planRefresh(Seller seller, Cafe24App app, CachedToken refreshToken) {
        return tokenCall(seller, app, REFRESH + mall(seller),
                "grant_type=refresh_token&refresh_token=" + encode(refreshToken.value()));
    }

    private PlannedCall tokenCall(Seller seller, Cafe24App app, String account, String form) {
        HttpRequest http = HttpRequest.newBuilder(URI.create(base(seller) + TOKEN_PATH))
                .header("Authorization", app.basic())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .timeout(TOKEN_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        return PlannedCall.of(market, tokenCall.name(), budgetsFor(tokenCall, seller), new PlannedCall.Authenticate(account), http);
    }

    // ---- consent

    @Override
    public Optional<ConsentFlow> consent() {
        return Optional.of(this);
    }

    /**
     * {@code {mall}/oauth/authorize?response_type=code&client_id&state&redirect_uri&scope=mall.read_order,…}: the page
     * where the mall's owner agrees to the app's scopes.
     */
    @Override
    public URI consentUrl(Seller seller, String state) {
        if (state == null || !STATE.matcher(state).matches()) {
            throw new IllegalArgumentException("state must be 8 to 256 letters, digits, '_', '.', '~' or '-'");
        }
        URI redirect = redirectUri();
        Cafe24App app = appForConsent(seller);
        return URI.create(base(seller) + AUTHORIZE_PATH + "?response_type=code&client_id=" + encode(app.clientId())
                + "&state=" + encode(state) + "&redirect_uri=" + encode(redirect.toString())
                + "&scope=" + encode(String.join(",", config.scopes())));
    }

    /** {@code POST {mall}/oauth/token}, Basic auth, {@code grant_type=authorization_code&code&redirect_uri}. */
    @Override
    public PlannedCall planExchange(Seller seller, String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("code must be 1 to 512 letters, digits, '_', '.', '~' or '-' (the code Cafe24 "
                    + "sent to the redirect URI)");
        }
        URI redirect = redirectUri();
        return tokenCall(seller, appForConsent(seller), EXCHANGE + mall(seller), "grant_type=authorization_code&code=" + encode(code)
                + "&redirect_uri=" + encode(redirect.toString()));
    }

    @Override
    public MallConnection connected(Seller seller, MarketData.TokenPair pair) {
        return context.connections().connect(market, seller.id(), ConnectionTokens.of(pair));
    }

    private URI redirectUri() {
        return config.redirectUri().orElseThrow(() -> new IllegalStateException("market " + market + " has no adapter.redirectUri: "
                + "the consent page sends the owner back there (the API's /v1/connections/callback, as registered with the app)"));
    }

    private Cafe24App appForConsent(Seller seller) {
        try {
            return app(seller);
        } catch (CredentialsUnavailableException | IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private Cafe24App app(Seller seller) {
        Cafe24App app = Cafe24App.of(context.credentials().credentials(market, seller.id()));
        if (!app.mallId().equals(mall(seller))) {
            throw new IllegalArgumentException("seller " + seller.id() + " registered the app of mall " + app.mallId()
                    + ", but the call is for mall " + mall(seller));
        }
        return app;
    }

    // ---- classification

    @Override
    public Optional<BucketLevel> bucketLevel(PlannedCall call, HttpResponse<String> response) {
        Optional<String> limit = response.headers().firstValue("X-Api-Call-Limit");
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = CALL_LIMIT.matcher(limit.get());
        if (!m.matches() || Long.parseLong(m.group(2)) < 1) {
            return Optional.empty();
        }
        Map<String, String> usage = new LinkedHashMap<>();
        for (String name : USAGE_HEADERS) {
            response.headers().firstValue(name).map(String::strip).filter(v -> !v.isEmpty()).ifPresent(v -> usage.put(name, v));
        }
        return Optional.of(new BucketLevel(bucketBudgets(call), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), usage));
    }

    @Override
    public MarketAnswer classify(PlannedCall call, HttpResponse<String> response) {
        Cafe24Answer answer = Cafe24Answer.of(response);
        try {
            if (answer.status() == 429) {
                return throttled(call, answer);
            }
            if (answer.status() >= 500 || answer.status() == 408) {
                return new CallOutcome.Retryable("Cafe24 failed the call for now: " + answer.describe());
            }
            if (call.purpose() instanceof PlannedCall.Authenticate auth) {
                return token(auth, answer);
            }
            return switch (call.purpose()) {
                case PlannedCall.Collect collect -> !answer.ok() ? refused(answer)
                        : collect.request().kind() == DataKind.ORDERS ? listPage(collect, answer) : recordPage(collect, answer);
                case PlannedCall.FetchOrder fetch -> fetched(fetch, answer);
                case PlannedCall.Act act -> acted(call, act, answer);
                case PlannedCall.Authenticate auth -> token(auth, answer);
            };
        } catch (Malformed e) {
            if (answer.ok() && answer.malformed()) {
                return malformedBody(call, answer);
            }
            return new CallOutcome.Fatal("Cafe24's answer to " + call.method() + " " + call.path() + " is not its protocol's ("
                    + e.getMessage() + ")" + (e.part.isEmpty() ? answer.detail() : answer.excerpt(e.part)));
        } catch (RuntimeException e) {
            if (answer.ok() && answer.malformed()) {
                return malformedBody(call, answer);
            }
            return new CallOutcome.Fatal("Cafe24's answer to " + call.method() + " " + call.path() + " could not be read ("
                    + answer.mask(e.toString()) + ")" + answer.detail());
        }
    }

    /**
     * A 2xx that the call needed a body of, whose body is not JSON at all (cut off, empty, a proxy's page): a fault of
     * the transport, retried after the hand-back's back-off; a market that keeps answering so ends in the DLQ with this
     * reason. Well-formed JSON that is not the protocol's stays final.
     */
    private static MarketAnswer malformedBody(PlannedCall call, Cafe24Answer answer) {
        return new CallOutcome.Retryable("HTTP " + answer.status() + " from Cafe24 with a malformed body (not JSON: cut off, "
                + "empty or a proxy's page) to " + call.method() + " " + call.path() + answer.detail());
    }

    @Override
    public String toString() {
        return "Cafe24Adapter[" + market + " at " + config.baseUrlTemplate() + "]";
    }

    /**
     * A 429: the mall's bucket is full (or its call quota used up). The mall's budgets cool down for the market's
     * {@code X-Cafe24-Call-Remain} seconds when it gives them, else for the time the bucket needs to drain to one free
     * place at 2 calls per second ({@code X-Api-Call-Limit}), at least half a second.
     */
    private MarketAnswer throttled(PlannedCall call, Cafe24Answer answer) {
        Optional<Duration> remain = answer.header("X-Cafe24-Call-Remain").flatMap(Cafe24Adapter::seconds);
        Optional<Duration> drain = answer.header("X-Api-Call-Limit").map(CALL_LIMIT::matcher).filter(Matcher::matches)
                .map(m -> Duration.ofMillis(Math.max(1, Long.parseLong(m.group(1)) - Long.parseLong(m.group(2)) + 1) * 500L));
        Optional<Duration> wait = remain.isPresent() ? remain : drain;
        List<String> shown = new ArrayList<>();
        for (String name : List.of("X-Api-Call-Limit", "X-Cafe24-Call-Usage", "X-Cafe24-Call-Remain", "X-Cafe24-Time-Remain")) {
            answer.header(name).ifPresent(v -> shown.add(name + "=" + v));
        }
        return new CallOutcome.Throttled(wait, mallBudgets(call), answer.describe()
                + (shown.isEmpty() ? "" : " (" + String.join(", ", shown) + ")"));
    }

    private static Optional<Duration> seconds(String text) {
        try {
            double s = Double.parseDouble(text);
            return s > 0 ? Optional.of(Duration.ofMillis((long) Math.ceil(s * 1000))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The call's budgets of scope mall (Cafe24's bucket is per mall); all of them when it has none. */
    /**
     * The call's budgets that model the mall's bucket and follow its level ({@code followsMarketLevel: true}, such as
     * 36 per 20 s); not a budget that only spreads the calls (10 per second). Empty when none is configured to.
     */
    private List<String> bucketBudgets(PlannedCall call) {
        return call.budgets().stream()
                .filter(b -> {
                    BudgetConfig budget = budgets.get(BudgetName.parse(b).budget());
                    return budget != null && budget.followsMarketLevel();
                })
                .toList();
    }

    private List<String> mallBudgets(PlannedCall call) {
        List<String> mall = call.budgets().stream()
                .filter(b -> {
                    BudgetConfig budget = budgets.get(BudgetName.parse(b).budget());
                    return budget != null && budget.scope() == BudgetScope.MALL;
                })
                .toList();
        return mall.isEmpty() ? call.budgets() : mall;
    }

    /** A 4xx (or 3xx) to a call made with a token. */
    private static MarketAnswer refused(Cafe24Answer answer) {
        return switch (answer.status()) {
            case 401 -> new CallOutcome.Fatal("Cafe24 refused the access token (expired or revoked): " + answer.describe(),
                    CallOutcome.Cause.TOKEN_REJECTED);
            case 403 -> new CallOutcome.Fatal("Cafe24 forbade the call (the connection lacks the scope, or the app was "
                    + "removed from the mall: its owner must consent again): " + answer.describe(), CallOutcome.Cause.RECONNECT_REQUIRED);
            case 400, 422 -> new CallOutcome.Fatal("Cafe24 refused the request: " + answer.describe());
            default -> new CallOutcome.Fatal("Cafe24 answered " + answer.describe());
        };
    }

    /**
     * The token endpoint's answer. 200: the pair (the access token renewed {@link #RENEW_BEFORE_EXPIRY} before its
     * expiry, the refresh token {@link #KEEP_ALIVE_MARGIN} before its own). 400 {@code invalid_grant} to a refresh: the
     * refresh token is expired, revoked or used: {@code RECONNECT_REQUIRED}. 401 {@code invalid_client}: the app's
     * credentials. Any other refusal: final.
     */
    private MarketAnswer token(PlannedCall.Authenticate auth, Cafe24Answer answer) throws Malformed {
        boolean refresh = auth.account().startsWith(REFRESH);
        if (answer.ok()) {
            JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
            Instant now = context.clock().instant();
            String mallId = auth.account().substring(auth.account().indexOf(':') + 1);
            JsonNode mall = body.get("mall_id");
            if (mall != null && mall.isTextual() && !mall.textValue().equals(mallId)) {
                throw new Malformed("mall_id '" + mall.textValue() + "' is not the mall asked for (" + mallId + ")", "");
            }
            Instant accessExpires = tokenTime(body, "expires_at");
            Instant refreshExpires = tokenTime(body, "refresh_token_expires_at");
            CachedToken access = new CachedToken(tokenValue(body, "access_token"), accessExpires,
                    max(now, accessExpires.minus(RENEW_BEFORE_EXPIRY)));
            CachedToken refreshToken = new CachedToken(tokenValue(body, "refresh_token"), refreshExpires,
                    max(now, refreshExpires.minus(KEEP_ALIVE_MARGIN)));
            return new CallOutcome.Ok(new MarketData.TokenPair(access, refreshToken));
        }
        String code = answer.code();
        if (answer.status() == 400 && code.equals("invalid_grant")) {
            return refresh
                    ? new CallOutcome.Fatal("Cafe24 refused the mall's refresh token (expired, revoked, or used already: the "
                            + "owner must consent again): " + answer.describe(), CallOutcome.Cause.RECONNECT_REQUIRED)
                    : new CallOutcome.Fatal("Cafe24 refused the consent's code (used, older than a minute, for another mall "
                            + "or redirect URI): " + answer.describe());
        }
        if (answer.status() == 401 || code.equals("invalid_client")) {
            return new CallOutcome.Fatal("Cafe24 refused the app's client id or secret: " + answer.describe(),
                    CallOutcome.Cause.CREDENTIALS_REJECTED);
        }
        return new CallOutcome.Fatal("Cafe24 answered the token request with " + answer.describe());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String tokenValue(JsonNode body, String field) throws Malformed {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new Malformed(field + " is missing or not a text", "");
        }
        return value.textValue();
    }

    /** A token time: {@code 2021-03-01T14:00:00.000} (KST, as Cafe24 writes them) or with an offset. */
    private static Instant tokenTime(JsonNode body, String field) throws Malformed {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new Malformed(field + " is missing or not a text", String.valueOf(value));
        }
        try {
            return OffsetDateTime.parse(value.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value.textValue()).toInstant(KST);
            } catch (DateTimeParseException again) {
                throw new Malformed(field + " must be a date-time such as 2021-03-01T14:00:00.000", value.toString());
            }
        }
    }

    /** A page of the list: the orders as listed, and the next offset when the page is full. */
    private MarketAnswer listPage(PlannedCall.Collect collect, Cafe24Answer answer) throws Malformed {
        JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
        JsonNode list = body.get("orders");
        if (list == null || !list.isArray()) {
            throw new Malformed("orders is missing or not a list", "");
        }
        if (list.size() > config.pageSize()) {
            throw new Malformed("orders has " + list.size() + " orders, more than the limit of " + config.pageSize() + " asked for", "");
        }
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            orders.add(order(list.get(i), "orders[" + i + "]"));
        }
        Optional<String> next = Optional.empty();
        if (list.size() == config.pageSize()) {
            int nextOffset = collect.cursor().map(Cafe24Adapter::offset).orElse(0) + config.pageSize();
            if (nextOffset > MAX_OFFSET && firstHalf(collect.window()).isEmpty()) {
                return new CallOutcome.Fatal("Cafe24 lists more than " + (MAX_OFFSET + config.pageSize()) + " orders paid within "
                        + collect.window() + ", a window too short to split: the orders beyond offset " + MAX_OFFSET
                        + " cannot be listed");
            }
            next = Optional.of(Integer.toString(nextOffset));
        }
        return new CallOutcome.Ok(new OrderPage(orders, next));
    }

    /** One order read again: a page of it, or an empty page when the mall has none (404). */
    private MarketAnswer fetched(PlannedCall.FetchOrder fetch, Cafe24Answer answer) throws Malformed {
        if (answer.status() == 404) {
            return new CallOutcome.Ok(new OrderPage(List.of(), Optional.empty()));
        }
        if (!answer.ok()) {
            return refused(answer);
        }
        Order order = single(answer);
        if (!order.orderId().equals(fetch.orderId())) {
            throw new Malformed("order.order_id '" + order.orderId() + "' is not the order asked for (" + fetch.orderId() + ")", "");
        }
        return new CallOutcome.Ok(new OrderPage(List.of(order), Optional.empty()));
    }

    /**
     * A shipment's answer: 201 (or 200) with the shipment, done; 409 (the same shipment exists), done already. Or the
     * order read again instead of a shipment ({@link #confirmShipped}): done when its items carry this tracking number.
     */
    private MarketAnswer acted(PlannedCall call, PlannedCall.Act act, Cafe24Answer answer) throws Malformed {
        switch (act.action()) {
            case MarketAction.AnswerInquiry a -> {
                return boardActed(call, a, Cafe24Records.article("inquiryId", a.inquiryId()), a.text(), answer);
            }
            case MarketAction.ReplyReview r -> {
                return boardActed(call, r, Cafe24Records.article("reviewId", r.reviewId()), r.text(), answer);
            }
            case MarketAction.ChangePrice p -> {
                return productUpdated(p, p.productId(), answer);
            }
            case MarketAction.ChangeSaleStatus s -> {
                return productUpdated(s, s.productId(), answer);
            }
            default -> { }
        }
        if (!(act.action() instanceof MarketAction.ShipOrder ship)) {
            throw new Malformed("no action " + act.action().name() + " is planned by this adapter", "");
        }
        if (call.method().equals("GET")) {
            if (answer.status() == 404) {
                return new CallOutcome.Fatal("Cafe24 has no order " + ship.orderId() + " in mall " + mall(ship.seller()));
            }
            if (!answer.ok()) {
                return refused(answer);
            }
            JsonNode order = answer.object().map(b -> b.get("order")).orElse(null);
            Order read = single(answer);
            List<String> tracking = new ArrayList<>();
            for (JsonNode item : order.path("items")) {
                tracking.add(item.path("tracking_no").asText(""));
            }
            if (!tracking.isEmpty() && tracking.stream().allMatch(ship.trackingNumber()::equals)) {
                return new CallOutcome.Ok(new MarketData.ActionDone(ship.name(), true));
            }
            return new CallOutcome.Fatal("Cafe24 order " + ship.orderId() + " cannot ship: its items are " + read.status()
                    + (tracking.stream().anyMatch(t -> !t.isEmpty()) ? ", shipped with another tracking number" : "")
                    + " (a shipment is made from " + new java.util.TreeSet<>(SHIPPABLE) + ")");
        }
        if (answer.status() == 409) {
            return new CallOutcome.Ok(new MarketData.ActionDone(ship.name(), true));
        }
        if (!answer.ok()) {
            if (answer.status() == 404) {
                return new CallOutcome.Fatal("Cafe24 has no order " + ship.orderId() + " in mall " + mall(ship.seller()) + ": "
                        + answer.describe());
            }
            return refused(answer);
        }
        JsonNode shipment = answer.object().map(b -> b.get("shipment")).orElse(null);
        if (shipment == null || !shipment.isObject()) {
            throw new Malformed("shipment is missing or not an object", "");
        }
        if (shipment.has("order_id") && !shipment.get("order_id").asText().equals(ship.orderId())) {
            throw new Malformed("shipment.order_id is not the order shipped (" + ship.orderId() + ")", shipment.toString());
        }
        return new CallOutcome.Ok(new MarketData.ActionDone(ship.name(), false));
    }

    /** An answer's or reply's calls: the article read, the board's replies read, or the reply created. */
    private MarketAnswer boardActed(PlannedCall call, MarketAction action, long[] article, String text, Cafe24Answer answer)
            throws Malformed {
        if (call.method().equals("POST")) {
            return replyCreated(action, article, answer);
        }
        return call.rawQuery() != null && call.rawQuery().contains("article_no=")
                ? articleRead(action, article, answer) : repliesRead(action, article, text, answer);
    }

    /** The {@code order} of a single order's answer. */
    private Order single(Cafe24Answer answer) throws Malformed {
        JsonNode body = answer.object().orElseThrow(() -> new Malformed("the body is not a JSON object", ""));
        JsonNode order = body.get("order");
        if (order == null || !order.isObject()) {
            throw new Malformed("order is missing or not an object", "");
        }
        return order(order, "order");
    }

    /**
     * One order: its id, its items' states (one, or several joined by ',' in item order), dated by its payment, with its
     * JSON.
     */
    private Order order(JsonNode node, String where) throws Malformed {
        if (node == null || !node.isObject()) {
            throw new Malformed(where + " is not an object", String.valueOf(node));
        }
        JsonNode id = node.get("order_id");
        if (id == null || !id.isTextual() || !MarketAction.ID.matcher(id.textValue()).matches()) {
            throw new Malformed(where + ".order_id must be an order id such as 20261121-0000013", node.toString());
        }
        JsonNode items = node.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new Malformed(where + ".items is missing or empty (the list asks for embed=items)", node.toString());
        }
        Set<String> statuses = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode status = items.get(i).get("order_status");
            if (status == null || !status.isTextual() || !ORDER_STATUSES.contains(status.textValue())) {
                throw new Malformed(where + ".items[" + i + "].order_status " + status + " is not one of Cafe24's order states",
                        items.get(i).toString());
            }
            statuses.add(status.textValue());
        }
        JsonNode paid = node.get("payment_date");
        JsonNode date = paid != null && paid.isTextual() ? paid : node.get("order_date");
        Instant at;
        try {
            at = OffsetDateTime.parse(date == null ? "" : date.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new Malformed(where + ".payment_date (or order_date) must be an ISO-8601 date-time with offset", node.toString());
        }
        return new Order(id.textValue(), String.join(",", statuses),
                io.marketgate.market.OrderStatus.ofLines(statuses.stream().map(Cafe24Adapter::commonStatus).toList()), at,
                node.toString());
    }

    /** The codes of the items of an order's JSON that can still ship. */
    private static List<String> shippableItems(String json) {
        List<String> codes = new ArrayList<>();
        try {
            for (JsonNode item : Cafe24Answer.JSON.readTree(json).path("items")) {
                if (SHIPPABLE.contains(item.path("order_status").asText()) && item.path("order_item_code").isTextual()) {
                    codes.add(item.get("order_item_code").textValue());
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of();
        }
        return codes;
    }

    /** A part of Cafe24's answer that is not its protocol's: what is wrong, and the part to quote ({@code ""}: the whole body). */
    private static final class Malformed extends Exception {
        final String part;

        Malformed(String what, String part) {
            super(what, null, false, false);
            this.part = part;
        }
    }

    // ---- internals

    private void check(CollectionRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request is missing");
        }
        if (!request.market().equals(market)) {
            throw new IllegalArgumentException("market: unknown market '" + request.market() + "' for the adapter of " + market);
        }
        if (request.kind() != DataKind.ORDERS && !lists.containsKey(request.kind())) {
            throw new IllegalArgumentException("kind: market " + market + " (cafe24) does not offer " + request.kind().configName()
                    + (AdapterType.CAFE24.kinds().contains(request.kind().configName())
                            ? " (adapter.calls has no " + request.kind().listOperation() + ")"
                            : " (Cafe24 has no list call of it)"));
        }
        base(request.seller());
    }

    /** The seller's mall: its {@code mallId} public field, else its id. */
    private static String mall(Seller seller) {
        return seller.mallId().orElse(seller.id());
    }

    /** The mall's base URL; throws {@link IllegalArgumentException} naming mallId when it cannot be a host name. */
    private String base(Seller seller) {
        return config.baseUrlFor(mall(seller)).toString();
    }

    /**
     * The offset a cursor of this adapter names: 0 to {@value #MAX_OFFSET} plus a page (the offset after the last page
     * Cafe24 serves, at which {@link #next} splits the window instead).
     */
    private static int offset(String cursor) {
        int max = MAX_OFFSET + AdapterType.CAFE24.maxPageSize();
        try {
            int offset = Integer.parseInt(cursor);
            if (offset >= 0 && offset <= max) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("cursor '" + cursor + "' must be the offset of a Cafe24 page, 0 to " + max);
    }

    private static Instant ceilSecond(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.SECONDS);
        return floor.equals(t) ? t : floor.plusSeconds(1);
    }

    private List<String> budgetsFor(CallConfig call, Seller seller) {
        return seller.budgetsOf(call, budgets);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
