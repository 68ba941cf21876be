package io.marketgate.market.coupang;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.config.AdapterType;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.CallConfig;
import io.marketgate.config.MarketApiConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CallOutcome.MarketAnswer;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import io.marketgate.market.auth.CredentialField;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.Credentials;
import io.marketgate.market.auth.CredentialsUnavailableException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * The adapter of a market configured with {@code adapter.type: coupang}: Coupang Wing's Open API (order sheets by
 * time frame and status, one order sheet, invoice upload), each call signed with the seller's own keys. What it
 * calls, and why each choice, is in the {@linkplain io.marketgate.market.coupang package documentation}.
 *
 * <pre>{@code
 * AdapterContext context = AdapterContext.of(System::getenv).withCredentials(secretsManagerSource);
 * MarketAdapter coupang = MarketAdapters.forMarket(environment, "coupang", context);
 * Seller seller = Seller.of("seller-1").withVendorId("A00012345");   // budgets coupang/vendor:A00012345
 * }</pre>
 *
 * <p>Budgets: each operation draws from the budgets of the market call the section maps it to ({@code listOrders},
 * {@code getOrder}, else {@code listOrders}' call for a read of one sheet, {@code shipOrder}); a per-instance budget
 * is keyed by the seller ({@code coupang/vendor:A00012345}). A 429 cools down every budget of the call: Coupang's
 * limit is per vendor over all its APIs.
 *
 * <p>The access key and the secret key appear in no message and no {@code toString()}: the secret never leaves this
 * JVM, and an answer that echoes a key is masked ({@link Credentials#mask}) before it becomes an outcome's reason.
 */
public final class CoupangAdapter implements MarketAdapter {

    /** The credential field of the market's vendor id ({@code A00012345}); not secret. */
    public static final String VENDOR_ID = "vendorId";
    /** The credential field of the access key, sent in the {@code Authorization} header; secret. */
    public static final String ACCESS_KEY = "accessKey";
    /** The credential field of the secret key, which only signs; secret. */
    public static final String SECRET_KEY = "secretKey";
    /**
     * The optional credential field of the seller's WING user id, sent as {@code replyBy} with an inquiry's answer
     * (Coupang: "Seller portal (WING) ID of the person who answers"); without it the vendor id is sent, which Coupang's
     * refusal message names as the other accepted value ("enter the correct wing ID or vendorId"). Not secret.
     */
    public static final String WING_USER_ID = "wingUserId";

    /**
     * What a Coupang seller registers: the vendor id and the key pair WING issues for it. Lenient enough for the keys
     * Coupang issues today (a UUID access key, 40 hex digits of secret) and for other forms of the same alphabet.
     */
    public static final CredentialSchema CREDENTIALS = CredentialSchema.of(List.of(
            CredentialField.id(VENDOR_ID, "[A-Z][0-9]{6,12}",
                    "the vendor id WING shows: a capital letter and 6 to 12 digits, such as A00012345"),
            CredentialField.secret(ACCESS_KEY, "[A-Za-z0-9-]{8,64}",
                    "the access key WING issued: 8 to 64 letters, digits or '-' (today a UUID)"),
            CredentialField.secret(SECRET_KEY, "[\\x21-\\x7E]{8,256}",
                    "the secret key WING issued: 8 to 256 printable ASCII characters without spaces (today 40 hex digits)"),
            CredentialField.id(WING_USER_ID, "[A-Za-z0-9._@-]{1,64}",
                    "the WING user id that answers inquiries (replyBy): 1 to 64 letters, digits, '.', '_', '@' or '-'").optional()));

    /** The path of every vendor API, before the vendor id. */
    public static final String VENDOR_PATH = "/v2/providers/openapi/apis/api/v4/vendors/";

    /** The statuses a collection asks for, one call each per window, in the order an order passes them. */
    public static final List<String> WALKED_STATUSES = List.of("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY");
    /** Every status an order sheet may have [D]: the walked ones and {@code NONE_TRACKING} (direct delivery, untracked). */
    public static final List<String> STATUSES = List.of("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "NONE_TRACKING");
    /**
     * The common status of an order sheet's {@code status} [D]: {@code ACCEPT} paid (to acknowledge), {@code INSTRUCT}
     * preparing, {@code DEPARTURE} and {@code DELIVERING} shipping, {@code FINAL_DELIVERY} delivered (final),
     * {@code NONE_TRACKING} shipping by the vendor without tracking (Coupang reports no delivery for it, so it is followed
     * until the tracking's maximum age). A cancelled order is a claim ({@code returnRequests}), not a sheet status.
     *
     * @throws IllegalArgumentException naming the code when it is not one of {@link #STATUSES}
     */
    public static io.marketgate.market.OrderStatus commonStatus(String code) {
        return switch (code == null ? "" : code) {
            case "ACCEPT" -> io.marketgate.market.OrderStatus.PAID;
            case "INSTRUCT" -> io.marketgate.market.OrderStatus.PREPARING;
            case "DEPARTURE", "DELIVERING", "NONE_TRACKING" -> io.marketgate.market.OrderStatus.SHIPPING;
            case "FINAL_DELIVERY" -> io.marketgate.market.OrderStatus.DELIVERED;
            default -> throw new IllegalArgumentException("status '" + code + "' is not one of Coupang's order sheet statuses " + STATUSES);
        };
    }

    /** The longest window of a claims list: the exchange list's 7 days (returns allow 31) [D CPD 360033919613]. */
    public static final Duration CLAIMS_RANGE = Duration.ofDays(7);
    /** The longest window of the online inquiries list, in whole Korean days [D CPD 360033400754]. */
    public static final int INQUIRY_DAYS = 7;
    /** The longest window of the revenue history, in whole Korean days [D CPM settlement-api]. */
    public static final int SETTLEMENT_DAYS = 31;
    /** The largest page of online inquiries ({@code pageSize}) [D]. */
    public static final int INQUIRY_PAGE = 50;
    /** The largest page of the revenue history ({@code maxPerPage}) [D]. */
    public static final int SETTLEMENT_PAGE = 50;
    /** The largest page of seller products ({@code maxPerPage}) [D]. */
    public static final int PRODUCT_PAGE = 100;
    /** Coupang takes prices in steps of 10 won ("Min unit of input is 10 won") [D CPD 360034156273]. */
    public static final long PRICE_UNIT = 10;
    /** The path of the seller-product APIs (products, options' price, stock and sale status). */
    public static final String SELLER_API_PATH = "/v2/providers/seller_api/apis/api/v1/marketplace";
    /** The path of the revenue history. */
    public static final String REVENUE_PATH = "/v2/providers/openapi/apis/api/v1/revenue-history";
    /** Coupang's only exchange rejection codes (exchangeRejectCode) [D CPM exchange-api]. */
    public static final List<String> EXCHANGE_REJECT_CODES = List.of("SOLDOUT", "WITHDRAW");

    /** The statuses of a box that has left with an invoice. */
    static final List<String> SHIPPED = List.of("DEPARTURE", "DELIVERING", "FINAL_DELIVERY");

    /** Coupang's time zone: every time it reads or writes is local Korean time. */
    public static final ZoneId KST = ZoneId.of("Asia/Seoul");
    /** The longest window list a request may be split into; more means a wrong range rather than a real backfill. */
    public static final int MAX_WINDOWS = 10_000;
    /** The longest gateway timeout asked for with {@code X-EXTENDED-TIMEOUT}: the value of Coupang's own example. */
    public static final Duration MAX_EXTENDED_TIMEOUT = Duration.ofSeconds(90);

    private static final DateTimeFormatter TIME_FRAME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm").withZone(KST);
    private static final DateTimeFormatter SHEET_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern SHIPMENT_BOX_ID = Pattern.compile("[0-9]{1,19}");
    private static final Pattern CARRIER = Pattern.compile("[A-Z0-9_]{2,30}");
    private static final Pattern TRACKING_NUMBER = Pattern.compile("[A-Za-z0-9-]{1,50}");
    private static final String NOT_SUITABLE = "is not suitable for applyInvoice";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** For judging an answer's body: anything after its JSON value (garbage, a second value) makes it malformed. */
    private static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int EXCERPT = 300;

    private final String market;
    private final MarketConfig marketConfig;
    private final MarketApiConfig config;
    private final CallConfig listOrders;
    private final CallConfig getOrder;
    private final Optional<CallConfig> shipOrder;
    private final Map<String, BudgetConfig> budgets;
    private final CredentialSource credentials;
    private final Clock clock;
    private final String basePath;
    private final Duration windowLength;
    /** The credentials each call in flight was signed with, to mask its answer; weak keys, so a call's entry dies with it. */
    private final Map<PlannedCall, Credentials> signedWith = Collections.synchronizedMap(new WeakHashMap<>());
    /** The reads of a return request planned as an action's lookup (answered as a page, not judged as the action). */
    private final Map<PlannedCall, Boolean> lookups = Collections.synchronizedMap(new WeakHashMap<>());

    private CoupangAdapter(MarketConfig market, MarketApiConfig config, AdapterContext context) {
        this.market = market.name();
        this.marketConfig = market;
        this.config = config;
        this.listOrders = market.call(config.requiredCall(MarketApiConfig.LIST_ORDERS));
        this.getOrder = market.call(config.call(MarketApiConfig.GET_ORDER).orElse(listOrders.name()));
        this.shipOrder = config.call(MarketApiConfig.SHIP_ORDER).map(market::call);
        this.budgets = market.budgets();
        this.credentials = context.credentials();
        this.clock = context.clock();
        String path = config.baseUrl().getRawPath();
        this.basePath = path == null ? "" : path;
        // the time frame counts whole minutes: the longest window is the configured maximum, cut to whole minutes
        this.windowLength = config.maxRangePerCall().truncatedTo(ChronoUnit.MINUTES);
        if (windowLength.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("markets." + this.market + ".adapter.maxRangePerCall is " + config.maxRangePerCall()
                    + ", must be at least 1m for type coupang (a time frame counts whole minutes)");
        }
    }

    /**
     * The adapter of {@code market}, whose {@code adapter} section must be of type {@code coupang}; sellers'
     * credentials are read through the context's credential source when a call is sent, dated by its clock.
     *
     * @throws IllegalArgumentException when the market has no coupang adapter section, or its maxRangePerCall is under a minute
     */
    public static CoupangAdapter of(MarketConfig market, AdapterContext context) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(context, "context");
        return new CoupangAdapter(market, market.apiAdapter(AdapterType.COUPANG), context);
    }

    @Override
    public String market() {
        return market;
    }

    @Override
    public Duration requestTimeout() {
        return config.requestTimeout();
    }

    // ---- collection

    /**
     * Whole-minute windows of at most {@code maxRangePerCall} (cut to whole minutes) that cover the request: from its
     * {@code from} rounded down to the minute to its {@code to} rounded up, because the market's time frame counts
     * minutes. The first and last windows may so reach up to a minute beyond the request (orders the writer already
     * has or will have: it keeps one per id); windows never overlap each other.
     */
    @Override
    public List<TimeWindow> windows(CollectionRequest request) {
        check(request);
        return switch (request.kind()) {
            case ORDERS -> {
                TimeWindow range = request.range(ChronoUnit.MINUTES);
                yield TimeWindow.cover(range.from(), range.to(), windowLength, MAX_WINDOWS);
            }
            case CLAIMS -> {
                TimeWindow range = request.range(ChronoUnit.MINUTES);
                yield TimeWindow.cover(range.from(), range.to(), CLAIMS_RANGE, MAX_WINDOWS);
            }
            case INQUIRIES -> dayWindows(request, INQUIRY_DAYS);
            case SETTLEMENTS -> dayWindows(request, SETTLEMENT_DAYS);
            // the product list is the catalogue as it is now, without a time range: one window, the request's
            case PRODUCTS -> List.of(request.range());
            case REVIEWS -> throw notOffered(request.kind());
        };
    }

    /**
     * The order sheets created in {@code window} with one status: the status (and the market's {@code nextToken},
     * if it gave one) is the cursor: {@code STATUS} or {@code STATUS:nextToken}, {@code ACCEPT} when the cursor is empty.
     */
    @Override
    public PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        check(request);
        Objects.requireNonNull(cursor, "cursor");
        if (request.kind() != DataKind.ORDERS) {
            return planRecordPage(request, window, cursor);
        }
        request.checkWindow(window, windowLength, ChronoUnit.MINUTES);
        WalkPosition position = WalkPosition.parse(cursor);
        StringBuilder query = new StringBuilder()
                .append("createdAtFrom=").append(TIME_FRAME.format(window.from()))
                .append("&createdAtTo=").append(TIME_FRAME.format(window.to()))
                .append("&maxPerPage=").append(config.pageSize());
        position.nextToken().ifPresent(token -> query.append("&nextToken=").append(URLEncoder.encode(token, StandardCharsets.UTF_8)));
        query.append("&searchType=timeFrame&status=").append(position.status());
        Seller seller = request.seller();
        HttpRequest http = request(vendorPath(seller) + "/ordersheets?" + query).GET().build();
        return PlannedCall.of(market, listOrders.name(), budgetsFor(listOrders, seller), new PlannedCall.Collect(request, window, cursor), http);
    }

    /** Reads one order sheet by its {@code shipmentBoxId} (the order id of this market's {@link Order}s). */
    @Override
    public PlannedCall planGetOrder(Seller seller, String orderId) {
        PlannedCall.FetchOrder fetch = new PlannedCall.FetchOrder(seller, orderId);
        checkShipmentBoxId(orderId);
        return readSheet(seller, orderId, fetch);
    }

    // ---- shipping

    /**
     * The invoice upload needs the order's id and its items' vendorItemIds, which a ship action does not carry: its
     * lookup reads the order sheet of the action's shipment box.
     */
    @Override
    public Optional<PlannedCall> planLookup(MarketAction action) {
        return switch (action) {
            case MarketAction.ShipOrder ship -> {
                checkShip(ship);
                yield Optional.of(readSheet(ship.seller(), ship.orderId(), new PlannedCall.FetchOrder(ship.seller(), ship.orderId())));
            }
            case MarketAction.AcknowledgeOrder ack -> {
                callFor(ack);
                checkShipmentBoxId(ack.orderId());
                yield Optional.of(readSheet(ack.seller(), ack.orderId(), new PlannedCall.FetchOrder(ack.seller(), ack.orderId())));
            }
            case MarketAction.ConfirmClaim confirm when !isExchange(confirm.claimId()) -> {
                CallConfig call = callFor(confirm);
                validate(confirm);
                PlannedCall read = readReturn(confirm, call);
                lookups.put(read, Boolean.TRUE);
                yield Optional.of(read);
            }
            default -> Optional.empty();
        };
    }

    /**
     * The invoice upload of the looked-up sheet when its box is {@code INSTRUCT} (the only status Coupang takes an
     * invoice in): one DTO per order item. Otherwise — shipped already, not yet acknowledged, no items — sending the
     * upload would only earn a refusal (and Coupang blocks callers after bursts of failed calls), so the action's call
     * reads the sheet again and {@link #classify} judges it: shipped with this invoice is done, anything else final.
     */
    @Override
    public PlannedCall plan(MarketAction action, OrderPage lookedUp) {
        Objects.requireNonNull(lookedUp, "lookedUp");
        return switch (action) {
            case MarketAction.ShipOrder ship -> {
                CallConfig call = checkShip(ship);
                Optional<JsonNode> sheet = lookedUp.orders().stream().filter(o -> o.orderId().equals(ship.orderId()))
                        .findFirst().flatMap(o -> parse(o.json()));
                yield sheet.filter(s -> "INSTRUCT".equals(s.path("status").asText()) && !vendorItemIds(s).isEmpty())
                        .map(s -> uploadInvoice(ship, call, s))
                        .orElseGet(() -> confirmShipped(ship));
            }
            case MarketAction.AcknowledgeOrder ack -> {
                CallConfig call = callFor(ack);
                boolean accept = lookedUp.orders().stream().anyMatch(o -> o.orderId().equals(ack.orderId()) && "ACCEPT".equals(o.status()));
                yield accept ? acknowledge(ack, call) : readSheet(ack.seller(), ack.orderId(), new PlannedCall.Act(ack));
            }
            default -> plan(action);
        };
    }

    /**
     * After a return request's lookup: the confirmation its {@code receiptStatus} asks for
     * ({@code RELEASE_STOP_UNCHECKED} → {@code stoppedShipment}, {@code RETURNS_UNCHECKED} → {@code receiveConfirmation},
     * {@code VENDOR_WAREHOUSE_CONFIRM} → {@code approval}); any other status is judged by reading the request again
     * (completed: done already; with Coupang for a check: refused).
     */
    @Override
    public PlannedCall plan(MarketAction action, MarketData.Page lookedUp) {
        Objects.requireNonNull(lookedUp, "lookedUp");
        if (action instanceof MarketAction.ConfirmClaim confirm && lookedUp instanceof MarketData.RecordPage page) {
            CallConfig call = callFor(confirm);
            Optional<MarketRecord> claim = page.records().stream().filter(r -> r.id().equals(confirm.claimId())).findFirst();
            String step = claim.map(r -> switch (r.status()) {
                case "RELEASE_STOP_UNCHECKED" -> "stoppedShipment";
                case "RETURNS_UNCHECKED" -> "receiveConfirmation";
                case "VENDOR_WAREHOUSE_CONFIRM" -> "approval";
                default -> "";
            }).orElse("");
            if (step.isEmpty()) {
                return readReturn(confirm, call);
            }
            long receiptId = claimNumber(confirm.claimId());
            ObjectNode body = JSON.createObjectNode().put("vendorId", vendorId(confirm.seller())).put("receiptId", receiptId);
            if (!step.equals("receiveConfirmation")) {
                body.put("cancelCount", cancelCount(claim.get()));
            }
            return put(confirm, call, vendorPath(confirm.seller()) + "/returnRequests/" + receiptId + "/" + step, body);
        }
        return MarketAdapter.super.plan(action, lookedUp);
    }

    /**
     * Without its lookup the invoice cannot be built: the action's call alone reads the shipment box's sheet and counts
     * the action as done only when the box has left with this invoice already. {@link io.marketgate.market.MarketClient#execute(MarketAction, Duration)}
     * reads the sheet first ({@link #planLookup}) and uploads the invoice ({@link #plan(MarketAction, OrderPage)}).
     *
     * @throws IllegalArgumentException naming the field: no {@code shipOrder} call, an order id that is not a
     *     shipmentBoxId, a carrier or tracking number Coupang does not take
     */
    @Override
    public PlannedCall planShipOrder(MarketAction.ShipOrder action) {
        checkShip(action);
        return confirmShipped(action);
    }

    // ---- the other actions

    /**
     * The call of an action other than shipping. Planned alone (without its lookup), acknowledging an order and
     * confirming a return request read the record again and count as done only when it shows the effect already
     * ({@link MarketClient#execute(MarketAction, Duration)} reads first and then acts).
     *
     * @throws IllegalArgumentException naming {@code action} when the market does not offer it, or the field Coupang's
     *     rules refuse ({@link #validate})
     */
    @Override
    public PlannedCall planAction(MarketAction action) {
        Objects.requireNonNull(action, "action");
        CallConfig call = callFor(action);
        validate(action);
        String vendorId = vendorId(action.seller());
        return switch (action) {
            case MarketAction.AcknowledgeOrder ack -> readSheet(ack.seller(), ack.orderId(), new PlannedCall.Act(ack));
            case MarketAction.AnswerInquiry answer -> post(answer, call,
                    vendorPath(answer.seller()) + "/onlineInquiries/" + answer.inquiryId() + "/replies", replyBody(answer, vendorId));
            case MarketAction.ChangePrice price -> put(price, call,
                    SELLER_API_PATH + "/vendor-items/" + price.productId() + "/prices/" + price.price(), null);
            case MarketAction.ChangeStock stock -> put(stock, call,
                    SELLER_API_PATH + "/vendor-items/" + stock.productId() + "/quantities/" + stock.stock(), null);
            case MarketAction.ChangeSaleStatus sale -> put(sale, call, SELLER_API_PATH + "/vendor-items/" + sale.productId()
                    + (sale.status() == io.marketgate.market.ProductStatus.ON_SALE ? "/sales/resume" : "/sales/stop"), null);
            case MarketAction.ConfirmClaim confirm when isExchange(confirm.claimId()) -> {
                long exchangeId = claimNumber(confirm.claimId());
                yield put(confirm, call, vendorPath(confirm.seller()) + "/exchangeRequests/" + exchangeId + "/receiveConfirmation",
                        JSON.createObjectNode().put("exchangeId", exchangeId).put("vendorId", vendorId));
            }
            case MarketAction.ConfirmClaim confirm -> readReturn(confirm, call);
            case MarketAction.RejectClaim reject -> {
                long exchangeId = claimNumber(reject.claimId());
                yield put(reject, call, vendorPath(reject.seller()) + "/exchangeRequests/" + exchangeId + "/rejection",
                        JSON.createObjectNode().put("exchangeId", exchangeId).put("vendorId", vendorId)
                                .put("exchangeRejectCode", reject.reason().strip()));
            }
            default -> throw new IllegalArgumentException("action: " + market + " (coupang) does not offer " + action.name());
        };
    }

    /**
     * Coupang's own rules for an action, before anything is queued: a shipment box, an inquiry, an option
     * ({@code vendorItemId}) are numbers; a price is a multiple of {@value #PRICE_UNIT} won; a claim id is
     * {@code return-}, {@code cancel-} or {@code exchange-} and Coupang's number; only an exchange can be rejected, and
     * only for one of Coupang's codes {@link #EXCHANGE_REJECT_CODES}.
     */
    @Override
    public void validate(MarketAction action) {
        Objects.requireNonNull(action, "action");
        switch (action) {
            case MarketAction.ShipOrder ship -> checkShip(ship);
            case MarketAction.AcknowledgeOrder ack -> checkShipmentBoxId(ack.orderId());
            case MarketAction.AnswerInquiry answer -> number("inquiryId", answer.inquiryId(), "a Coupang inquiryId");
            case MarketAction.ChangePrice price -> {
                option(price.productId());
                if (price.price() % PRICE_UNIT != 0) {
                    throw new IllegalArgumentException("price is " + price.price() + ", must be a multiple of " + PRICE_UNIT
                            + " won: Coupang takes prices in steps of 10 won");
                }
            }
            case MarketAction.ChangeStock stock -> option(stock.productId());
            case MarketAction.ChangeSaleStatus sale -> option(sale.productId());
            case MarketAction.ConfirmClaim confirm -> claimNumber(confirm.claimId());
            case MarketAction.RejectClaim reject -> {
                claimNumber(reject.claimId());
                if (!isExchange(reject.claimId())) {
                    throw new IllegalArgumentException("claimId '" + reject.claimId() + "': Coupang rejects only exchange requests "
                            + "(exchange-…); a return or cancel request has no rejection call");
                }
                if (!EXCHANGE_REJECT_CODES.contains(reject.reason().strip())) {
                    throw new IllegalArgumentException("reason '" + reject.reason() + "' must be one of Coupang's exchange rejection codes "
                            + EXCHANGE_REJECT_CODES + " (SOLDOUT: the item is sold out; WITHDRAW: the buyer withdrew the request)");
                }
            }
            case MarketAction.ReplyReview reply -> throw new IllegalArgumentException("action: " + market + " (coupang) does not offer "
                    + reply.name() + ": Coupang has no review API");
        }
    }

    // ---- sending

    /**
     * Signs the call with the seller's keys: {@code Authorization: CEA …} over the signed-date of the context's clock,
     * the method, the path as the market sees it (after the base URL's own path) and the query as sent.
     */
    @Override
    public Optional<CallOutcome> authorize(PlannedCall call, HttpRequest.Builder request, AuthCalls calls) {
        Optional<Seller> seller = call.seller();
        if (seller.isEmpty()) {
            return Optional.of(new CallOutcome.Fatal("Coupang has no token calls; " + call + " is made for no seller"));
        }
        Credentials keys;
        try {
            keys = credentials.credentials(market, seller.get().id());
        } catch (CredentialsUnavailableException e) {
            return Optional.of(e.isTransient() ? new CallOutcome.Retryable(e.getMessage()) : new CallOutcome.Fatal(e.getMessage()));
        }
        String vendorId = vendorId(seller.get());
        Optional<String> registered = keys.find(VENDOR_ID);
        if (registered.isPresent() && !registered.get().equals(vendorId)) {
            return Optional.of(new CallOutcome.Fatal("seller " + seller.get().id() + " registered the keys of vendor " + registered.get()
                    + ", but the call is for vendor " + vendorId + " (the seller's vendorId, else its id): the market would refuse the signature"));
        }
        Optional<String> accessKey = keys.find(ACCESS_KEY);
        Optional<String> secretKey = keys.find(SECRET_KEY);
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            return Optional.of(new CallOutcome.Fatal("the credentials of seller " + seller.get().id() + " of market " + market
                    + " have no " + (accessKey.isEmpty() ? ACCESS_KEY : SECRET_KEY) + " (fields: " + keys.fieldNames() + ")"));
        }
        String signedDate = CeaSignature.signedDate(clock.instant());
        String signature = CeaSignature.signature(secretKey.get(), signedDate, call.method(), signedPath(call), call.rawQuery());
        request.setHeader("Authorization", CeaSignature.authorization(accessKey.get(), signedDate, signature));
        if (call.purpose() instanceof PlannedCall.Act(MarketAction.AnswerInquiry answer)) {
            // replyBy is the seller's WING user id when registered; the body is not signed, so it may change here
            request.POST(HttpRequest.BodyPublishers.ofString(
                    replyBody(answer, keys.find(WING_USER_ID).orElse(vendorId)).toString(), StandardCharsets.UTF_8));
        }
        signedWith.put(call, keys);
        return Optional.empty();
    }

    /** The path a signature covers: the request's path after the base URL's own path ({@code /coupang} of a simulator). */
    String signedPath(PlannedCall call) {
        String path = call.path();
        if (!path.startsWith(basePath)) {
            throw new IllegalArgumentException("call " + call + " is not under this adapter's base URL " + config.baseUrl());
        }
        return path.substring(basePath.length());
    }

    // ---- answers

    @Override
    public MarketAnswer classify(PlannedCall call, HttpResponse<String> response) {
        Credentials keys = signedWith.get(call);
        Excerpt words = new Excerpt(keys);
        int status = response.statusCode();
        String raw = response.body() == null ? "" : response.body();
        Optional<JsonNode> body = parse(raw);
        String message = body.map(b -> b.path("message").asText("")).orElse(raw);
        if (status == 429) {
            // no Retry-After from Coupang: every budget of the call cools down for its configured default
            return new CallOutcome.Throttled(Optional.empty(), call.budgets(),
                    "HTTP 429: Coupang blocks a vendor calling more than its limit (10 calls/s over all APIs)" + words.of(raw));
        }
        if (status >= 200 && status < 300) {
            if (!wellFormed(raw)) {
                // cut off, empty, or a proxy's page: the transport failed, not the market's judgement; the next attempt
                // (after the hand-back's back-off) asks again, and a market that keeps answering so ends in the DLQ
                return new CallOutcome.Retryable("HTTP " + status + " from Coupang with a malformed body (not JSON: cut off, "
                        + "empty or a proxy's page)" + words.of(raw));
            }
            if (!body.get().isObject()) {
                return new CallOutcome.Fatal("HTTP " + status + " with a body that is not Coupang's JSON" + words.of(raw));
            }
            JsonNode code = body.get().get("code");
            // the order and claim APIs answer 200 or "200", the seller-product APIs "SUCCESS"
            boolean ok = code != null && (code.isIntegralNumber() && code.asInt() == 200
                    || code.isTextual() && (code.textValue().equals("200") || code.textValue().equals("SUCCESS")));
            if (!ok) {
                return new CallOutcome.Fatal("HTTP " + status + " with code " + code + " (not 200)" + words.of(raw));
            }
            try {
                return switch (call.purpose()) {
                    case PlannedCall.Collect collect when collect.request().kind() != DataKind.ORDERS -> recordPage(collect, body.get());
                    case PlannedCall.Collect collect -> listPage(collect, body.get());
                    case PlannedCall.FetchOrder fetch -> new CallOutcome.Ok(new OrderPage(sheets(body.get()), Optional.empty()));
                    case PlannedCall.Act act when lookups.containsKey(call) -> new CallOutcome.Ok(new MarketData.RecordPage(DataKind.CLAIMS,
                            List.of(CoupangRecords.returnRequest(one(body.get()), "data")), Optional.empty()));
                    case PlannedCall.Act act when act.action() instanceof MarketAction.ShipOrder && call.method().equals("POST") ->
                            invoiceResult(act, body.get().get("data"), words);
                    case PlannedCall.Act act when act.action() instanceof MarketAction.ShipOrder -> shippedAlready(act, body.get());
                    case PlannedCall.Act act when call.method().equals("GET") -> judgedByRead(act.action(), body.get());
                    case PlannedCall.Act act -> actionResult(act.action(), body.get(), words);
                    case PlannedCall.Authenticate auth -> new CallOutcome.Fatal("Coupang has no token calls");
                };
            } catch (Malformed e) {
                return new CallOutcome.Fatal("HTTP " + status + " with a body that is not Coupang's: " + words.mask(e.getMessage()) + words.of(raw));
            } catch (IllegalArgumentException e) {
                return new CallOutcome.Fatal("HTTP " + status + " with a body that is not Coupang's: " + words.mask(e.getMessage()) + words.of(raw));
            }
        }
        return switch (status) {
            case 401 -> message.contains("Specified signature is expired")
                    ? new CallOutcome.Retryable("HTTP 401: Coupang found the signed-date too far from its clock (it allows about five "
                            + "minutes): check this host's clock; the next attempt signs anew" + words.of(raw))
                    : new CallOutcome.Fatal("HTTP 401: Coupang rejected the seller's keys (a wrong secret key signs an invalid "
                            + "signature; an unknown access key gets \"Unknown error\")" + words.of(raw), CallOutcome.Cause.CREDENTIALS_REJECTED);
            case 403 -> forbidden(raw, words);
            case 408 -> new CallOutcome.Retryable("HTTP 408: the market timed out waiting for the request" + words.of(raw));
            case 400 -> call.purpose() instanceof PlannedCall.Act act && !(act.action() instanceof MarketAction.ShipOrder)
                    ? refusedAction(act.action(), message, words, raw)
                    : new CallOutcome.Fatal("HTTP 400: Coupang refused the request" + words.of(raw));
            case 404 -> new CallOutcome.Fatal("HTTP 404: no such resource at Coupang (" + call.method() + " " + call.path() + ")" + words.of(raw));
            default -> status >= 500
                    ? new CallOutcome.Retryable("HTTP " + status + ": server error (504: the gateway's timeout)" + words.of(raw))
                    : new CallOutcome.Fatal("HTTP " + status + words.of(raw));
        };
    }

    @Override
    public String toString() {
        return "CoupangAdapter[" + market + " at " + config.baseUrl() + "]";
    }

    // ---- internals: planning

    private void check(CollectionRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request is missing");
        }
        if (!request.market().equals(market)) {
            throw new IllegalArgumentException("market: unknown market '" + request.market() + "' for the adapter of " + market);
        }
        if (request.kind() != DataKind.ORDERS && !marketConfig.offersKind(request.kind().configName())) {
            throw notOffered(request.kind());
        }
    }

    private IllegalArgumentException notOffered(DataKind kind) {
        return new IllegalArgumentException("kind: market " + market + " (coupang) does not offer " + kind.configName()
                + (kind == DataKind.REVIEWS ? " (Coupang has no review API)"
                        : " (adapter.calls has no " + kind.listOperation() + ")"));
    }

    private CallConfig checkShip(MarketAction.ShipOrder action) {
        Objects.requireNonNull(action, "action");
        CallConfig call = shipOrder.orElseThrow(() -> new IllegalArgumentException("action ship-order: market " + market
                + " does not ship through its adapter (adapter.calls has no " + MarketApiConfig.SHIP_ORDER + ")"));
        checkShipmentBoxId(action.orderId());
        if (!CARRIER.matcher(action.carrier()).matches()) {
            throw new IllegalArgumentException("carrier '" + action.carrier() + "' must be a Coupang delivery company code: 2 to 30 "
                    + "capital letters, digits or '_', such as CJGLS, HANJIN, EPOST, HYUNDAI");
        }
        if (!TRACKING_NUMBER.matcher(action.trackingNumber()).matches()) {
            throw new IllegalArgumentException("trackingNumber '" + action.trackingNumber() + "' must be 1 to 50 letters, digits or '-'");
        }
        return call;
    }

    private static void checkShipmentBoxId(String orderId) {
        if (orderId == null || !SHIPMENT_BOX_ID.matcher(orderId).matches()) {
            throw new IllegalArgumentException("orderId '" + orderId + "' must be a Coupang shipmentBoxId: 1 to 19 digits");
        }
    }

    // ---- internals: other kinds

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(KST);
    private static final DateTimeFormatter EXCHANGE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(KST);
    /** The steps of a claims window, one list call each: return requests by status, then cancels, then exchanges. */
    static final List<String> CLAIM_STEPS = List.of("RU", "UC", "PR", "CC", "CANCEL", "EXCHANGE");

    /**
     * Windows of whole Korean days of at most {@code days}, covering the request rounded out to Korean midnights: the
     * inquiry and revenue lists take dates ({@code yyyy-MM-dd}), both ends included.
     */
    private static List<TimeWindow> dayWindows(CollectionRequest request, int days) {
        TimeWindow range = kstDays(request);
        return TimeWindow.cover(range.from(), range.to(), Duration.ofDays(days), MAX_WINDOWS);
    }

    private static TimeWindow kstDays(CollectionRequest request) {
        Instant from = request.from().atZone(KST).toLocalDate().atStartOfDay(KST).toInstant();
        java.time.ZonedDateTime end = request.to().atZone(KST);
        java.time.LocalDate endDay = end.toLocalDate();
        Instant to = (end.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? endDay : endDay.plusDays(1)).atStartOfDay(KST).toInstant();
        return new TimeWindow(from, to);
    }

    private static void checkDayWindow(CollectionRequest request, TimeWindow window, int days) {
        TimeWindow range = kstDays(request);
        boolean whole = window != null && window.from().atZone(KST).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                && window.to().atZone(KST).toLocalTime().equals(java.time.LocalTime.MIDNIGHT);
        if (!whole || window.from().isBefore(range.from()) || window.to().isAfter(range.to())
                || window.length().compareTo(Duration.ofDays(days)) > 0) {
            throw new IllegalArgumentException("window " + window + " must be whole Korean days within " + range
                    + " and at most " + days + " days long");
        }
    }

    /** The call of one page of a kind other than orders; the cursor's form is the kind's (see the package documentation). */
    private PlannedCall planRecordPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        DataKind kind = request.kind();
        CallConfig call = marketConfig.call(config.requiredCall(kind.listOperation()));
        Seller seller = request.seller();
        String path = switch (kind) {
            case CLAIMS -> {
                request.checkWindow(window, CLAIMS_RANGE, ChronoUnit.MINUTES);
                String step = cursor.map(c -> c.startsWith("EXCHANGE:") ? "EXCHANGE" : c).orElse(CLAIM_STEPS.get(0));
                if (!CLAIM_STEPS.contains(step) || cursor.filter(c -> c.equals("EXCHANGE:")).isPresent()) {
                    throw new IllegalArgumentException("cursor '" + cursor.orElse("") + "' must be one of " + CLAIM_STEPS
                            + ", EXCHANGE optionally followed by ':' and the market's nextToken");
                }
                if (step.equals("EXCHANGE")) {
                    StringBuilder q = new StringBuilder("/exchangeRequests?createdAtFrom=").append(EXCHANGE_TIME.format(window.from()))
                            .append("&createdAtTo=").append(EXCHANGE_TIME.format(window.to()));
                    cursor.filter(c -> c.startsWith("EXCHANGE:"))
                            .ifPresent(c -> q.append("&nextToken=").append(URLEncoder.encode(c.substring("EXCHANGE:".length()), StandardCharsets.UTF_8)));
                    yield vendorPath(seller) + q;
                }
                String frame = "/returnRequests?createdAtFrom=" + TIME_FRAME.format(window.from()) + "&createdAtTo="
                        + TIME_FRAME.format(window.to()) + "&searchType=timeFrame";
                yield vendorPath(seller) + frame + (step.equals("CANCEL") ? "&cancelType=CANCEL" : "&status=" + step);
            }
            case INQUIRIES -> {
                checkDayWindow(request, window, INQUIRY_DAYS);
                int pageNum = pageNumber(cursor);
                yield vendorPath(seller) + "/onlineInquiries?vendorId=" + vendorId(seller) + "&inquiryStartAt=" + DAY.format(window.from())
                        + "&inquiryEndAt=" + DAY.format(window.to().minus(Duration.ofDays(1))) + "&answeredType=ALL&pageNum=" + pageNum
                        + "&pageSize=" + Math.min(config.pageSize(), INQUIRY_PAGE);
            }
            case SETTLEMENTS -> {
                checkDayWindow(request, window, SETTLEMENT_DAYS);
                yield REVENUE_PATH + "?vendorId=" + vendorId(seller) + "&recognitionDateFrom=" + DAY.format(window.from())
                        + "&recognitionDateTo=" + DAY.format(window.to().minus(Duration.ofDays(1)))
                        + "&token=" + cursor.map(t -> URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse("")
                        + "&maxPerPage=" + Math.min(config.pageSize(), SETTLEMENT_PAGE);
            }
            case PRODUCTS -> {
                if (!request.range().equals(window)) {
                    throw new IllegalArgumentException("window " + window + " must be the request's range " + request.range()
                            + ": the product list has no time range");
                }
                yield SELLER_API_PATH + "/seller-products?vendorId=" + vendorId(seller)
                        + cursor.map(t -> "&nextToken=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse("")
                        + "&maxPerPage=" + Math.min(config.pageSize(), PRODUCT_PAGE);
            }
            default -> throw notOffered(kind);
        };
        HttpRequest http = request(path).GET().build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, seller), new PlannedCall.Collect(request, window, cursor), http);
    }

    private static int pageNumber(Optional<String> cursor) {
        if (cursor.isEmpty()) {
            return 1;
        }
        String c = cursor.get();
        if (!c.matches("[1-9][0-9]{0,5}")) {
            throw new IllegalArgumentException("cursor '" + c + "' must be the page number to read (pageNum)");
        }
        return Integer.parseInt(c);
    }

    /** A page of a kind other than orders, with the cursor of the next page or step; empty after the window's last. */
    private MarketAnswer recordPage(PlannedCall.Collect collect, JsonNode body) throws Malformed {
        DataKind kind = collect.request().kind();
        List<MarketRecord> records = new ArrayList<>();
        Optional<String> next;
        switch (kind) {
            case CLAIMS -> {
                String step = collect.cursor().map(c -> c.startsWith("EXCHANGE:") ? "EXCHANGE" : c).orElse(CLAIM_STEPS.get(0));
                JsonNode data = list(body.get("data"), "data");
                for (int i = 0; i < data.size(); i++) {
                    records.add(step.equals("EXCHANGE") ? CoupangRecords.exchangeRequest(data.get(i), "data[" + i + "]")
                            : CoupangRecords.returnRequest(data.get(i), "data[" + i + "]"));
                }
                Optional<String> token = step.equals("EXCHANGE") ? nextToken(body.get("nextToken")) : Optional.empty();
                if (token.isPresent()) {
                    if (collect.cursor().equals(Optional.of("EXCHANGE:" + token.get()))) {
                        throw new Malformed("nextToken '" + token.get() + "' repeats the token of this page");
                    }
                    next = Optional.of("EXCHANGE:" + token.get());
                } else {
                    int i = CLAIM_STEPS.indexOf(step);
                    next = i + 1 < CLAIM_STEPS.size() ? Optional.of(CLAIM_STEPS.get(i + 1)) : Optional.empty();
                }
            }
            case INQUIRIES -> {
                JsonNode data = body.get("data");
                if (data == null || !data.isObject()) {
                    throw new Malformed("'data' must be an object {content, pagination}");
                }
                JsonNode content = list(data.get("content"), "data.content");
                for (int i = 0; i < content.size(); i++) {
                    records.add(CoupangRecords.inquiry(content.get(i), "data.content[" + i + "]"));
                }
                JsonNode paging = data.path("pagination");
                if (!paging.path("currentPage").isIntegralNumber() || !paging.path("totalPages").isIntegralNumber()) {
                    throw new Malformed("data.pagination must have numeric currentPage and totalPages");
                }
                int current = paging.get("currentPage").asInt();
                if (current != pageNumber(collect.cursor())) {
                    throw new Malformed("data.pagination.currentPage is " + current + ", not the page asked for " + pageNumber(collect.cursor()));
                }
                next = current < paging.get("totalPages").asInt() && !content.isEmpty()
                        ? Optional.of(Integer.toString(current + 1)) : Optional.empty();
            }
            case SETTLEMENTS -> {
                JsonNode data = list(body.get("data"), "data");
                java.time.LocalDate today = clock.instant().atZone(KST).toLocalDate();
                for (int i = 0; i < data.size(); i++) {
                    records.add(CoupangRecords.settlement(data.get(i), "data[" + i + "]", today));
                }
                Optional<String> token = nextToken(body.get("nextToken"));
                boolean more = body.path("hasNext").asBoolean(token.isPresent());
                if (more && token.isEmpty()) {
                    throw new Malformed("hasNext is true without a nextToken");
                }
                if (more && token.equals(collect.cursor())) {
                    throw new Malformed("nextToken '" + token.get() + "' repeats the token of this page");
                }
                next = more ? token : Optional.empty();
            }
            case PRODUCTS -> {
                JsonNode data = list(body.get("data"), "data");
                for (int i = 0; i < data.size(); i++) {
                    records.add(CoupangRecords.product(data.get(i), "data[" + i + "]", clock.instant()));
                }
                Optional<String> token = nextToken(body.get("nextToken"));
                if (token.isPresent() && token.equals(collect.cursor())) {
                    throw new Malformed("nextToken '" + token.get() + "' repeats the token of this page");
                }
                next = token;
            }
            default -> throw new Malformed("kind " + kind.configName() + " is not listed by Coupang");
        }
        return new CallOutcome.Ok(new MarketData.RecordPage(kind, records, next));
    }

    private static JsonNode list(JsonNode node, String where) throws Malformed {
        if (node == null || !node.isArray()) {
            throw new Malformed("'" + where + "' must be a list");
        }
        return node;
    }

    /** The one record of a read: {@code data} itself, or a list of one. */
    private static JsonNode one(JsonNode body) throws Malformed {
        JsonNode data = body.get("data");
        JsonNode record = data != null && data.isArray() && data.size() == 1 ? data.get(0) : data;
        if (record == null || !record.isObject()) {
            throw new Malformed("'data' must be the record read");
        }
        return record;
    }

    // ---- internals: the other actions

    /** The call the section maps the action's operation to; IAE naming {@code action} when it maps none. */
    private CallConfig callFor(MarketAction action) {
        if (!AdapterType.COUPANG.actions().contains(action.name())) {
            throw new IllegalArgumentException("action: " + market + " (coupang) does not offer " + action.name()
                    + (action instanceof MarketAction.ReplyReview ? ": Coupang has no review API" : ""));
        }
        return config.call(action.operation()).map(marketConfig::call).orElseThrow(() -> new IllegalArgumentException(
                "action: market " + market + " does not offer " + action.name() + " (adapter.calls has no " + action.operation() + ")"));
    }

    static boolean isExchange(String claimId) {
        return claimId != null && claimId.startsWith("exchange-");
    }

    /** Coupang's number in a claim id ({@code return-50229613} → 50229613); IAE naming {@code claimId} for another form. */
    static long claimNumber(String claimId) {
        java.util.regex.Matcher m = claimId == null ? null : CoupangRecords.CLAIM_ID.matcher(claimId);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("claimId '" + claimId + "' must be a Coupang claim id: return-, cancel- or exchange- "
                    + "and Coupang's receiptId or exchangeId, such as return-50229613");
        }
        return Long.parseLong(m.group(2));
    }

    private static void number(String field, String value, String what) {
        if (value == null || !CoupangRecords.NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value + "' must be " + what + ": 1 to 19 digits");
        }
    }

    /** A product action's productId is Coupang's option id: price, stock and sale status are per option. */
    private static void option(String productId) {
        number("productId", productId, "a Coupang option id (vendorItemId; price, stock and sale status are set per option)");
    }

    /** GET the return request of a claim ({@code returnRequests/{receiptId}}), from the action's call's budgets. */
    private PlannedCall readReturn(MarketAction.ConfirmClaim confirm, CallConfig call) {
        HttpRequest http = request(vendorPath(confirm.seller()) + "/returnRequests/" + claimNumber(confirm.claimId())).GET().build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, confirm.seller()), new PlannedCall.Act(confirm), http);
    }

    /** The request's quantity ({@code cancelCountSum}, else the sum of its items' {@code cancelCount}). */
    private static long cancelCount(MarketRecord claim) {
        JsonNode r = parse(claim.json()).orElseThrow(() -> new IllegalArgumentException("claim " + claim.id() + " has no JSON"));
        if (r.path("cancelCountSum").isIntegralNumber()) {
            return r.get("cancelCountSum").asLong();
        }
        long sum = 0;
        for (JsonNode item : r.path("returnItems")) {
            sum += item.path("cancelCount").asLong(0);
        }
        return sum;
    }

    private ObjectNode replyBody(MarketAction.AnswerInquiry answer, String replyBy) {
        return JSON.createObjectNode().put("content", answer.text()).put("vendorId", vendorId(answer.seller())).put("replyBy", replyBy);
    }

    private PlannedCall acknowledge(MarketAction.AcknowledgeOrder ack, CallConfig call) {
        ObjectNode body = JSON.createObjectNode().put("vendorId", vendorId(ack.seller()));
        body.putArray("shipmentBoxIds").add(Long.parseLong(ack.orderId()));
        return put(ack, call, vendorPath(ack.seller()) + "/ordersheets/acknowledgement", body);
    }

    private PlannedCall put(MarketAction action, CallConfig call, String path, ObjectNode body) {
        HttpRequest http = request(path).PUT(body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    private PlannedCall post(MarketAction action, CallConfig call, String path, ObjectNode body) {
        HttpRequest http = request(path).POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    /**
     * The answer to an action's call that changes something: acknowledgement by its result list; a claim decision by
     * {@code data.resultCode} (FAIL is Coupang's refusal, with its message); the rest by the code checked already.
     */
    private static MarketAnswer actionResult(MarketAction action, JsonNode body, Excerpt words) throws Malformed {
        JsonNode data = body.get("data");
        if (action instanceof MarketAction.AcknowledgeOrder ack) {
            if (data == null || !data.isObject() || !data.path("responseCode").isIntegralNumber()) {
                throw new Malformed("'data' must be an acknowledgement result with a numeric responseCode");
            }
            for (JsonNode item : data.path("responseList")) {
                if (!item.path("succeed").asBoolean(false)) {
                    String said = "shipment box " + item.path("shipmentBoxId").asText("?") + ": " + item.path("resultCode").asText("")
                            + " " + item.path("resultMessage").asText("");
                    return item.path("retryRequired").asBoolean(false)
                            ? new CallOutcome.Retryable("Coupang asks to retry the acknowledgement (" + words.mask(said) + ")")
                            : new CallOutcome.Fatal("Coupang refused to acknowledge the order (" + words.mask(said) + ")",
                                    CallOutcome.Cause.ACTION_REFUSED);
                }
            }
            if (data.get("responseCode").asInt() != 0) {
                return new CallOutcome.Fatal("Coupang refused to acknowledge the order: responseCode " + data.get("responseCode").asInt()
                        + " " + words.mask(data.path("responseMessage").asText("")), CallOutcome.Cause.ACTION_REFUSED);
            }
            return new CallOutcome.Ok(new MarketData.ActionDone(ack.name(), false));
        }
        if (data != null && data.isObject() && "FAIL".equals(data.path("resultCode").asText())) {
            return new CallOutcome.Fatal("Coupang refused " + action.name() + " of " + action.targetId() + ": "
                    + words.mask(data.path("resultMessage").asText("")), CallOutcome.Cause.ACTION_REFUSED);
        }
        return new CallOutcome.Ok(new MarketData.ActionDone(action.name(), false));
    }

    /** An action's call that read its record again, because its lookup found nothing to send: done, or final. */
    private static MarketAnswer judgedByRead(MarketAction action, JsonNode body) throws Malformed {
        return switch (action) {
            case MarketAction.AcknowledgeOrder ack -> {
                JsonNode data = body.get("data");
                JsonNode sheet = data != null && data.isArray() && data.size() == 1 ? data.get(0) : data;
                String status = order(sheet, "data").status();
                yield status.equals("ACCEPT")
                        ? new CallOutcome.Retryable("shipment box " + ack.orderId() + " is still ACCEPT: acknowledge it through "
                                + "MarketClient.execute(action), which reads the sheet first")
                        : new CallOutcome.Ok(new MarketData.ActionDone(ack.name(), true));
            }
            case MarketAction.ConfirmClaim confirm -> {
                MarketRecord claim = CoupangRecords.returnRequest(one(body), "data");
                yield switch (claim.status()) {
                    case "RETURNS_COMPLETED" -> new CallOutcome.Ok(new MarketData.ActionDone(confirm.name(), true));
                    case "REQUEST_COUPANG_CHECK" -> new CallOutcome.Fatal("claim " + confirm.claimId()
                            + " is REQUEST_COUPANG_CHECK: it waits for Coupang's check and takes no confirmation", CallOutcome.Cause.ACTION_REFUSED);
                    default -> new CallOutcome.Retryable("claim " + confirm.claimId() + " is " + claim.status()
                            + ": confirm it through MarketClient.execute(action), which reads the request first");
                };
            }
            default -> new CallOutcome.Fatal("action " + action.name() + " is not judged by a read");
        };
    }

    /**
     * A 400 to an action other than shipping: Coupang's refusal of it for the record's sake (already returned, the
     * price outside Coupang's change range, the inquiry not to be answered) is final with its message; a refused
     * {@code replyBy} is the seller's registration, and a {@code VALIDATION} error the request's form.
     */
    private static MarketAnswer refusedAction(MarketAction action, String message, Excerpt words, String raw) {
        if (message.contains("replyBy")) {
            return new CallOutcome.Fatal("HTTP 400: Coupang refused replyBy: register the seller's WING user id as credential field "
                    + WING_USER_ID + words.of(raw));
        }
        if (message.startsWith("[code: VALIDATION")) {
            return new CallOutcome.Fatal("HTTP 400: Coupang refused the request's form" + words.of(raw));
        }
        return new CallOutcome.Fatal("Coupang refused " + action.name() + " of " + action.targetId() + ": " + words.mask(message),
                CallOutcome.Cause.ACTION_REFUSED);
    }

    /** GET the sheet of {@code shipmentBoxId}, from the getOrder call's budgets. */
    private PlannedCall readSheet(Seller seller, String shipmentBoxId, PlannedCall.Purpose purpose) {
        HttpRequest http = request(vendorPath(seller) + "/ordersheets/" + shipmentBoxId).GET().build();
        return PlannedCall.of(market, getOrder.name(), budgetsFor(getOrder, seller), purpose, http);
    }

    /** The action's call when no invoice is to be uploaded: the sheet read again, judged by {@link #shippedAlready}. */
    private PlannedCall confirmShipped(MarketAction.ShipOrder ship) {
        return readSheet(ship.seller(), ship.orderId(), new PlannedCall.Act(ship));
    }

    private PlannedCall uploadInvoice(MarketAction.ShipOrder ship, CallConfig call, JsonNode sheet) {
        String vendorId = vendorId(ship.seller());
        ObjectNode body = JSON.createObjectNode().put("vendorId", vendorId);
        ArrayNode dtos = body.putArray("orderSheetInvoiceApplyDtos");
        for (long vendorItemId : vendorItemIds(sheet)) {
            dtos.addObject()
                    .put("shipmentBoxId", Long.parseLong(ship.orderId()))
                    .put("orderId", sheet.get("orderId").asLong())
                    .put("vendorItemId", vendorItemId)
                    .put("deliveryCompanyCode", ship.carrier())
                    .put("invoiceNumber", ship.trackingNumber())
                    .put("splitShipping", false)
                    .put("preSplitShipped", false)
                    .put("estimatedShippingDate", "");
        }
        HttpRequest http = request(vendorPath(ship.seller()) + "/orders/invoices")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, ship.seller()), new PlannedCall.Act(ship), http);
    }

    /** The distinct vendorItemIds of the sheet's items, in order; empty when it has none or they are not numbers. */
    private static List<Long> vendorItemIds(JsonNode sheet) {
        List<Long> ids = new ArrayList<>();
        if (!sheet.path("orderId").isIntegralNumber()) {
            return ids;
        }
        for (JsonNode item : sheet.path("orderItems")) {
            JsonNode id = item.get("vendorItemId");
            if (id == null || !id.isIntegralNumber()) {
                return List.of();
            }
            if (!ids.contains(id.asLong())) {
                ids.add(id.asLong());
            }
        }
        return ids;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("X-EXTENDED-TIMEOUT", Long.toString(extendedTimeout().toMillis()));
    }

    /** How long the gateway may take (its default is 3 s, then 504): the request timeout, at most {@link #MAX_EXTENDED_TIMEOUT}. */
    Duration extendedTimeout() {
        return config.requestTimeout().compareTo(MAX_EXTENDED_TIMEOUT) > 0 ? MAX_EXTENDED_TIMEOUT : config.requestTimeout();
    }

    private static String vendorPath(Seller seller) {
        return VENDOR_PATH + vendorId(seller);
    }

    /** The vendor id of the paths: the seller's vendorId (the sellers table keeps the registered one), else its id. */
    static String vendorId(Seller seller) {
        return seller.vendorId().orElse(seller.id());
    }

    /** The call's budgets, per-instance ones keyed by the seller. */
    private List<String> budgetsFor(CallConfig call, Seller seller) {
        return seller.budgetsOf(call, budgets);
    }

    // ---- internals: answers

    /** A page of the walk: the sheets, and as cursor where the walk goes on in this window (empty: the window is done). */
    private static MarketAnswer listPage(PlannedCall.Collect collect, JsonNode body) throws Malformed {
        JsonNode data = body.get("data");
        if (data == null || !data.isArray()) {
            throw new Malformed("'data' must be a list of order sheets");
        }
        List<Order> orders = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            orders.add(order(data.get(i), "data[" + i + "]"));
        }
        WalkPosition here = WalkPosition.parse(collect.cursor());
        Optional<String> token = nextToken(body.get("nextToken"));
        if (token.isPresent() && token.equals(here.nextToken())) {
            throw new Malformed("nextToken '" + token.get() + "' repeats the token of this page");
        }
        Optional<WalkPosition> next = token.isPresent()
                ? Optional.of(new WalkPosition(here.status(), token))
                : here.nextStatus().map(s -> new WalkPosition(s, Optional.empty()));
        return new CallOutcome.Ok(new OrderPage(orders, next.map(WalkPosition::toString)));
    }

    private static Optional<String> nextToken(JsonNode token) throws Malformed {
        if (token == null || token.isNull()) {
            return Optional.empty();
        }
        if (token.isTextual()) {
            return token.textValue().isEmpty() ? Optional.empty() : Optional.of(token.textValue());
        }
        if (token.isIntegralNumber()) {
            return Optional.of(token.asText());
        }
        throw new Malformed("nextToken must be a text, was " + token.getNodeType());
    }

    /** The sheets of a read of one shipment box: {@code data} is the sheet (or a list of them). */
    private static List<Order> sheets(JsonNode body) throws Malformed {
        JsonNode data = body.get("data");
        if (data == null || data.isNull()) {
            throw new Malformed("no order sheet in 'data'");
        }
        if (data.isArray()) {
            List<Order> orders = new ArrayList<>(data.size());
            for (int i = 0; i < data.size(); i++) {
                orders.add(order(data.get(i), "data[" + i + "]"));
            }
            return orders;
        }
        return List.of(order(data, "data"));
    }

    /**
     * One order sheet as an {@link Order}: the shipment box is the order (its id is what Coupang acknowledges, ships
     * and reports a status for); updated at its payment (else order) time, Korean local time.
     */
    private static Order order(JsonNode sheet, String where) throws Malformed {
        if (sheet == null || !sheet.isObject()) {
            throw new Malformed(where + " must be an order sheet object");
        }
        JsonNode box = sheet.get("shipmentBoxId");
        if (box == null || !box.isIntegralNumber() || box.asLong() <= 0) {
            throw new Malformed(where + ".shipmentBoxId must be a positive whole number, was " + describe(box));
        }
        JsonNode orderId = sheet.get("orderId");
        if (orderId == null || !orderId.isIntegralNumber()) {
            throw new Malformed(where + ".orderId must be a whole number, was " + describe(orderId));
        }
        JsonNode status = sheet.get("status");
        if (status == null || !status.isTextual() || !STATUSES.contains(status.textValue())) {
            throw new Malformed(where + ".status must be one of " + STATUSES + ", was " + describe(status));
        }
        JsonNode items = sheet.get("orderItems");
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                throw new Malformed(where + ".orderItems must be a list, was " + describe(items));
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode id = items.get(i).get("vendorItemId");
                if (id == null || !id.isIntegralNumber()) {
                    throw new Malformed(where + ".orderItems[" + i + "].vendorItemId must be a whole number, was " + describe(id));
                }
            }
        }
        String field = hasText(sheet, "paidAt") ? "paidAt" : "orderedAt";
        if (!hasText(sheet, field)) {
            throw new Malformed(where + " has neither paidAt nor orderedAt");
        }
        Instant at;
        try {
            at = LocalDateTime.parse(sheet.get(field).textValue(), SHEET_TIME).atZone(KST).toInstant();
        } catch (DateTimeParseException e) {
            throw new Malformed(where + "." + field + " must be yyyy-MM-dd'T'HH:mm:ss (Korean time), was " + describe(sheet.get(field)));
        }
        return new Order(box.asText(), status.textValue(), commonStatus(status.textValue()), at, sheet.toString());
    }

    /**
     * The answer to an invoice upload, planned only for a box the lookup found in {@code INSTRUCT}: done when Coupang
     * says so; a box that left INSTRUCT meanwhile (shipped by an earlier attempt whose answer was lost, or by hand) is
     * retried, and the next attempt's lookup judges the sheet; {@code retryRequired} is retried; the rest is final
     * ({@code NOT_ALLOW_INVOICE_NUMBER_RE_UPLOAD} among them: the tracking number is already on another box, which
     * Coupang allows only for the same orderer and receiver).
     */
    private static MarketAnswer invoiceResult(PlannedCall.Act act, JsonNode data, Excerpt words) throws Malformed {
        if (data == null || !data.isObject() || !data.path("responseCode").isIntegralNumber()) {
            throw new Malformed("'data' must be an invoice result with a numeric responseCode");
        }
        int responseCode = data.get("responseCode").asInt();
        JsonNode list = data.path("responseList");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            throw new Malformed("data.responseList must be a list, was " + describe(list));
        }
        for (JsonNode item : list) {
            if (item.path("succeed").asBoolean(false)) {
                continue;
            }
            String code = item.path("resultCode").asText("");
            String text = item.path("resultMessage").asText("");
            String said = "shipment box " + item.path("shipmentBoxId").asText("?") + ": " + code + " " + text;
            if (text.contains(NOT_SUITABLE) || code.equals("INVALID_STATUS")) {
                return new CallOutcome.Retryable("the box left INSTRUCT between reading its sheet and uploading the invoice ("
                        + words.mask(said) + "); the next attempt reads it again and counts the action as done if the box left with this invoice");
            }
            if (item.path("retryRequired").asBoolean(false)) {
                return new CallOutcome.Retryable("Coupang asks to retry the invoice upload (" + words.mask(said) + ")");
            }
            return new CallOutcome.Fatal("Coupang refused the invoice (" + words.mask(said) + ")");
        }
        if (responseCode != 0) {
            return new CallOutcome.Fatal("Coupang refused the invoice: responseCode " + responseCode + " "
                    + words.mask(data.path("responseMessage").asText("")));
        }
        return new CallOutcome.Ok(new MarketData.ActionDone(act.action().name(), false));
    }

    /**
     * The sheet read as a ship action's call (no invoice was uploaded): done when the box has left with this invoice,
     * otherwise final with what the sheet shows.
     */
    private static MarketAnswer shippedAlready(PlannedCall.Act act, JsonNode body) throws Malformed {
        MarketAction.ShipOrder ship = (MarketAction.ShipOrder) act.action();
        JsonNode data = body.get("data");
        JsonNode sheet = data != null && data.isArray() && data.size() == 1 ? data.get(0) : data;
        order(sheet, "data"); // the same checks as any sheet
        String status = sheet.get("status").textValue();
        String invoice = sheet.path("invoiceNumber").asText("");
        String box = "shipment box " + ship.orderId();
        if (SHIPPED.contains(status)) {
            if (invoice.equals(ship.trackingNumber())) {
                return new CallOutcome.Ok(new MarketData.ActionDone(ship.name(), true));
            }
            return new CallOutcome.Fatal(box + " is " + status + " already, with invoice '" + invoice + "' of "
                    + sheet.path("deliveryCompanyName").asText("?") + ", not '" + ship.trackingNumber()
                    + "': a different invoice is corrected with Coupang's updateInvoices, not uploaded again");
        }
        return new CallOutcome.Fatal(switch (status) {
            case "ACCEPT" -> box + " is ACCEPT (paid, not yet acknowledged): Coupang takes an invoice only in INSTRUCT; acknowledge the order first";
            case "INSTRUCT" -> vendorItemIds(sheet).isEmpty()
                    ? box + " is INSTRUCT but its sheet lists no order items to put on the invoice"
                    : box + " is INSTRUCT and has not left: the invoice needs the sheet's ids, so ship through "
                            + "MarketClient.execute(action), which reads the sheet first";
            default -> box + " is " + status + ": Coupang takes an invoice only in INSTRUCT";
        });
    }

    private MarketAnswer forbidden(String raw, Excerpt words) {
        if (raw.contains("Not allowed IP")) {
            return new CallOutcome.Fatal("HTTP 403: Coupang does not allow this IP address; register the egress IPs in WING "
                    + "(the change applies within 30 minutes)" + words.of(raw), CallOutcome.Cause.IP_NOT_ALLOWED);
        }
        String lower = raw.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("<html") || lower.contains("access denied")) {
            // Coupang's notice: a temporary block after many failed calls per second; it passes, so it is not final
            return new CallOutcome.Retryable("HTTP 403 Access Denied: Coupang's edge blocks a caller for a while after a burst "
                    + "of failed calls; retried after a back-off" + words.of(raw));
        }
        return new CallOutcome.Fatal("HTTP 403: Coupang forbids the call" + words.of(raw));
    }

    private static boolean hasText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isEmpty();
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "absent";
        }
        String text = node.toString();
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 60 ? text.substring(0, 60) + "…" : text);
    }

    private static Optional<JsonNode> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code body} is one JSON value and nothing else (strictly: trailing text is not JSON). A body that is not
     * is malformed on its way (cut off, empty, a proxy's page), whatever the market meant to answer.
     */
    private static boolean wellFormed(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            return STRICT_JSON.readTree(body) != null;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** A body that is not the protocol's; its message names the field and what was wrong. */
    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Excerpts of what the market said, with the keys of the call masked. */
    private record Excerpt(Credentials keys) {
        String mask(String text) {
            return keys == null ? text : keys.mask(text);
        }

        /** ": <excerpt>", whitespace folded, at most {@link #EXCERPT} characters; empty for an empty body. */
        String of(String text) {
            if (text == null || text.isBlank()) {
                return "";
            }
            String folded = mask(text.strip()).replaceAll("\\s+", " ");
            return ": " + (folded.length() > EXCERPT ? folded.substring(0, EXCERPT) + "…" : folded);
        }
    }

    /**
     * Where the status walk of one window stands, as a collection cursor: {@code STATUS} for the first page of a status,
     * {@code STATUS:nextToken} for a further page the market announced. Empty (the window's first call) is
     * {@code ACCEPT}. A checkpoint of it resumes exactly there.
     */
    record WalkPosition(String status, Optional<String> nextToken) {

        static WalkPosition parse(Optional<String> cursor) {
            if (cursor.isEmpty()) {
                return new WalkPosition(WALKED_STATUSES.get(0), Optional.empty());
            }
            String text = cursor.get();
            int colon = text.indexOf(':');
            String status = colon < 0 ? text : text.substring(0, colon);
            Optional<String> token = colon < 0 ? Optional.empty() : Optional.of(text.substring(colon + 1));
            if (!WALKED_STATUSES.contains(status) || token.filter(String::isEmpty).isPresent()) {
                throw new IllegalArgumentException("cursor '" + text + "' must be a status of the walk " + WALKED_STATUSES
                        + ", optionally followed by ':' and the market's nextToken");
            }
            return new WalkPosition(status, token);
        }

        /** The status after this one in the walk; empty after the last. */
        Optional<String> nextStatus() {
            int i = WALKED_STATUSES.indexOf(status);
            return i + 1 < WALKED_STATUSES.size() ? Optional.of(WALKED_STATUSES.get(i + 1)) : Optional.empty();
        }

        @Override
        public String toString() {
            return status + nextToken.map(t -> ":" + t).orElse("");
        }
    }
}
