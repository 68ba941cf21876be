package io.marketgate.market.elevenst;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.marketgate.market.MarketRecord;
import io.marketgate.market.elevenst.ElevenStRecords.ClaimId;
import io.marketgate.market.elevenst.ElevenStRecords.InquiryId;
import io.marketgate.market.elevenst.ElevenStRecords.Malformed;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The adapter of a market configured with {@code adapter.type: 11st}: 11st's Open API (the order lists of each stage
 * by time range, the paid lines of one order, shipping a delivery), each call carrying the seller's own key in the
 * {@code openapikey} header, each answer EUC-KR XML. What it calls, and why each choice, is in the
 * {@linkplain io.marketgate.market.elevenst package documentation}.
 *
 * <pre>{@code
 * AdapterContext context = AdapterContext.of(System::getenv).withCredentials(secretsManagerSource);
 * MarketAdapter elevenSt = MarketAdapters.forMarket(environment, "11st", context);
 * client.execute(new MarketAction.ShipOrder(seller, "202001050486555-7-1420484760", "00034", "627614443992"), wait);
 * }</pre>
 *
 * <p>Budgets: each operation draws from the budgets of the market call the section maps it to ({@code listOrders},
 * {@code getOrder}, else {@code listOrders}' call for a read of one order, {@code shipOrder}); a per-instance budget is
 * keyed by the seller (11st counts per key, and each seller has its own). A throttle ({@code 004} in an HTTP 200
 * answer) cools down every budget of the call.
 *
 * <p>The key appears in no message and no {@code toString()}: an answer that echoes it is masked
 * ({@link Credentials#mask}) before it becomes an outcome's reason.
 */
public final class ElevenStAdapter implements MarketAdapter {

    /** The credential field of the seller's Open API key, sent in the {@code openapikey} header; secret. */
    public static final String OPEN_API_KEY = "openApiKey";

    /**
     * What an 11st seller registers: the Open API key of its seller office. Lenient enough for the 32-character keys 11st
     * issues today [O] and other lengths of the same alphabet.
     */
    public static final CredentialSchema CREDENTIALS = CredentialSchema.of(List.of(
            CredentialField.secret(OPEN_API_KEY, "[A-Za-z0-9]{16,64}",
                    "the Open API key 11st's seller office issued: 16 to 64 letters or digits (today 32)")));

    /** The header of the key, in lower case as 11st's guide writes it. */
    public static final String KEY_HEADER = "openapikey";

    /**
     * The stage lists a collection asks for, one call each per window, in the order an order line passes them:
     * paid (to acknowledge), acknowledged (to ship), shipping, delivered.
     */
    public static final List<String> WALKED_STAGES = List.of("complete", "packaging", "shipping", "dlvcompleted");

    /**
     * The order-line states ({@code ordPrdStat}) 11st's lists and public clients show [O]: 202 paid, 301 acknowledged
     * (preparing), 401 shipping, 501 delivered, 901 purchase confirmed, A01 returned, B01 cancelled. Any other value
     * fails the call rather than an order being stored with a state nobody reads.
     */
    public static final Map<String, String> STATES = states();

    /** The result code 11st throttles with, inside an HTTP 200 answer [O]. */
    public static final String THROTTLED = "004";
    /** The result code of a shipment of a delivery that is shipping already [O]: the action holds, it counts as done. */
    public static final String ALREADY_SHIPPING = "-3313";
    /** The result code of a key 11st does not know (or that is not approved for the seller order API) [O]. */
    public static final String UNKNOWN_KEY = "-997";
    /** The result code of a caller whose IP address is not registered for the key, in an HTTP 500 answer [O]. */
    public static final String IP_NOT_REGISTERED = "-500";
    /** 11st's words for a list that found nothing, with result code 0 [O]. */
    public static final String NO_RESULT = "조회된 결과가 없습니다";
    /** The delivery method of {@code reqdelivery}: 01, by courier. */
    public static final String BY_COURIER = "01";
    /** The result code of a server under maintenance (every Friday early morning [D]): it passes. */
    public static final String MAINTENANCE = "-1000";
    /** The result code of an acknowledgement of a line acknowledged already, or with nothing to acknowledge [D apiSeq 1634]. */
    public static final String ALREADY_ACKNOWLEDGED = "-3206";
    /** 11st's words for a cancellation approved already [D apiSeq 1640]; its result code is the generic -1. */
    public static final String ALREADY_CANCELLED = "이미 취소 완료된";
    /** The words of the claim lists' "nothing found" answer, with result code -1 [D apiSeq 1639, 1643, 1648]. */
    public static final String NO_CLAIMS = "해당 건이 없습니다";
    /** The Q&amp;A answer's success code, under {@code <ClientMessage>} [D apiSeq 1885]. */
    public static final String ANSWERED = "200";
    /** The longest range of one claim list call: 30 days [D apiSeq 1639, 1643, 1648]. */
    public static final Duration CLAIM_RANGE = Duration.ofDays(30);
    /** The longest range of one Q&amp;A list call: 7 days, both ends' days included [D apiSeq 1626]. */
    public static final Duration INQUIRY_RANGE = Duration.ofDays(7);
    /** The longest range of one settlement list call: 31 days, both ends' days included [D apiSeq 1281]. */
    public static final Duration SETTLEMENT_RANGE = Duration.ofDays(31);
    /** The refusal reason code of a return refused by the seller: 104, other [D apiSeq 1645]. */
    public static final String RETURN_REFUSAL_OTHER = "104";
    /** The refusal reason code of an exchange refused by the seller: 204, other [D apiSeq 1650]. */
    public static final String EXCHANGE_REFUSAL_OTHER = "204";
    /**
     * The longest refusal reason this adapter sends: 11st documents none, and the reason travels as a path segment,
     * percent-encoded (up to 9 bytes per Hangul syllable), which must stay well under the URL limits of proxies on the way.
     */
    public static final int MAX_REASON = 200;
    /** The kinds of data 11st lists besides orders, each by its own call. */
    public static final List<DataKind> RECORD_KINDS = List.of(DataKind.CLAIMS, DataKind.INQUIRIES, DataKind.SETTLEMENTS);

    /** 11st's time zone: every time it reads or writes is local Korean time. */
    public static final ZoneId KST = ZoneId.of("Asia/Seoul");
    /** The charset of 11st's answers [O], when an answer names none. */
    public static final Charset EUC_KR = Charset.forName("EUC-KR");
    /** The longest window list a request may be split into; more means a wrong range rather than a real backfill. */
    public static final int MAX_WINDOWS = 10_000;

    private static final DateTimeFormatter PATH_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmm").withZone(KST);
    private static final DateTimeFormatter PATH_DAY = DateTimeFormatter.ofPattern("uuuuMMdd").withZone(KST);
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    /** {@code ordNo-ordPrdSeq-dlvNo}: the order id of this market's {@link Order}s. */
    private static final Pattern LINE_ID = Pattern.compile("([0-9]{1,20})-([0-9]{1,6})-([0-9]{1,20})");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
    private static final Pattern CARRIER = Pattern.compile("[0-9]{5}");
    private static final Pattern INVOICE = Pattern.compile("[A-Za-z0-9]{1,15}");
    private static final List<String> LIST_ROOTS = List.of("orders");
    private static final List<String> REFUSAL_ROOTS = List.of("orders", "ResultOrder", "AuthMessage", "ClientMessage",
            "productQnas", "seStlDtlList", "seStlDtlLists");
    /** The order time fields, by preference: payment completed, ordered, acknowledged. */
    private static final List<String> TIME_FIELDS = List.of("ordStlEndDt", "ordDt", "plcodrCnfDt");

    private final String market;
    private final MarketApiConfig config;
    private final CallConfig listOrders;
    private final CallConfig getOrder;
    private final Optional<CallConfig> shipOrder;
    /** The list call of each kind other than orders that the section maps. */
    private final Map<DataKind, CallConfig> lists = new java.util.EnumMap<>(DataKind.class);
    /** The call of each action other than shipping that the section maps, by operation. */
    private final Map<String, CallConfig> actions = new LinkedHashMap<>();
    private final Map<String, BudgetConfig> budgets;
    private final CredentialSource credentials;
    private final Clock clock;
    private final Duration windowLength;
    /** The key each call in flight was sent with, to mask its answer; weak keys, so a call's entry dies with it. */
    private final Map<PlannedCall, Credentials> sentWith = Collections.synchronizedMap(new WeakHashMap<>());

    private ElevenStAdapter(MarketConfig market, MarketApiConfig config, AdapterContext context) {
        this.market = market.name();
        this.config = config;
        this.listOrders = market.call(config.requiredCall(MarketApiConfig.LIST_ORDERS));
        this.getOrder = market.call(config.call(MarketApiConfig.GET_ORDER).orElse(listOrders.name()));
        this.shipOrder = config.call(MarketApiConfig.SHIP_ORDER).map(market::call);
        for (DataKind kind : RECORD_KINDS) {
            config.call(kind.listOperation()).ifPresent(c -> lists.put(kind, market.call(c)));
        }
        for (String operation : List.of("acknowledgeOrder", "answerInquiry", "confirmClaim", "rejectClaim")) {
            config.call(operation).ifPresent(c -> actions.put(operation, market.call(c)));
        }
        this.budgets = market.budgets();
        this.credentials = context.credentials();
        this.clock = context.clock();
        // the path's times count whole minutes: the longest window is the configured maximum, cut to whole minutes
        this.windowLength = config.maxRangePerCall().truncatedTo(ChronoUnit.MINUTES);
        if (windowLength.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("markets." + this.market + ".adapter.maxRangePerCall is " + config.maxRangePerCall()
                    + ", must be at least 1m for type 11st (its times count whole minutes)");
        }
    }

    /**
     * The adapter of {@code market}, whose {@code adapter} section must be of type {@code 11st}; sellers' keys are read
     * through the context's credential source when a call is sent, ship dates taken from its clock.
     *
     * @throws IllegalArgumentException when the market has no 11st adapter section, or its maxRangePerCall is under a minute
     */
    public static ElevenStAdapter of(MarketConfig market, AdapterContext context) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(context, "context");
        return new ElevenStAdapter(market, market.apiAdapter(AdapterType.ELEVENST), context);
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
     * Whole-minute windows of at most {@code maxRangePerCall} (cut to whole minutes) that cover the request: its
     * {@code from} rounded down to the minute, its {@code to} up, because 11st's path times count minutes. Windows
     * share their ends and never overlap otherwise; a line at a shared minute that both windows list is the same
     * {@link Order} (one id), which the writer keeps once.
     */
    @Override
    public List<TimeWindow> windows(CollectionRequest request) {
        check(request);
        return switch (request.kind()) {
            case ORDERS -> cover(request.range(ChronoUnit.MINUTES), windowLength);
            case CLAIMS -> cover(request.range(ChronoUnit.MINUTES), CLAIM_RANGE);
            case INQUIRIES -> cover(koreanDays(request), INQUIRY_RANGE);
            default -> cover(koreanDays(request), SETTLEMENT_RANGE);
        };
    }

    private static List<TimeWindow> cover(TimeWindow range, Duration length) {
        return TimeWindow.cover(range.from(), range.to(), length, MAX_WINDOWS);
    }

    /** The request's range rounded out to whole days in Korea: the lists that take {@code yyyyMMdd} count Korean days. */
    private static TimeWindow koreanDays(CollectionRequest request) {
        Instant from = request.from().atZone(KST).toLocalDate().atStartOfDay(KST).toInstant();
        Instant toDay = request.to().atZone(KST).toLocalDate().atStartOfDay(KST).toInstant();
        return new TimeWindow(from, toDay.equals(request.to()) ? toDay : toDay.plus(Duration.ofDays(1)));
    }

    private static void checkDays(CollectionRequest request, TimeWindow window, Duration longest) {
        TimeWindow range = koreanDays(request);
        boolean whole = window != null && window.from().atZone(KST).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                && window.to().atZone(KST).toLocalTime().equals(java.time.LocalTime.MIDNIGHT);
        if (!whole || window.from().isBefore(range.from()) || window.to().isAfter(range.to())
                || window.length().compareTo(longest) > 0) {
            throw new IllegalArgumentException("window " + window + " must be whole days in Korea (from midnight KST to midnight"
                    + " KST) within " + range + " and be at most " + longest.toDays() + " days long");
        }
    }

    /**
     * {@code GET /ordservices/{stage}/{yyyyMMddHHmm}/{yyyyMMddHHmm}} of {@code window} in Korean time: the cursor is the
     * stage ({@code complete} when empty), and each page's next cursor the stage after it in {@link #WALKED_STAGES}.
     */
    @Override
    public PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        check(request);
        Objects.requireNonNull(cursor, "cursor");
        if (request.kind() != DataKind.ORDERS) {
            return planRecordPage(request, window, cursor);
        }
        request.checkWindow(window, windowLength, ChronoUnit.MINUTES);
        String stage = stage(cursor);
        String path = "/ordservices/" + stage + "/" + PATH_TIME.format(window.from()) + "/" + PATH_TIME.format(window.to());
        return PlannedCall.of(market, listOrders.name(), budgetsFor(listOrders, request.seller()),
                new PlannedCall.Collect(request, window, cursor), get(path));
    }

    /**
     * A page of a kind other than orders: claims {@code GET /claimservice/{cancelorders|returnorders|exchangeorders}/
     * {yyyyMMddHHmm}/{yyyyMMddHHmm}} (the cursor names the list, empty for {@code cancelorders}); inquiries
     * {@code GET /prodqnaservices/prodqnalist/{yyyyMMdd}/{yyyyMMdd}/00} (answered and unanswered); settlements
     * {@code GET /settlement/settlementList/{yyyyMMdd}/{yyyyMMdd}}. A day-counted list names the window's first and last
     * day (its end is the midnight after the last).
     */
    private PlannedCall planRecordPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        DataKind kind = request.kind();
        CallConfig call = lists.get(kind);
        String path;
        if (kind == DataKind.CLAIMS) {
            request.checkWindow(window, CLAIM_RANGE, ChronoUnit.MINUTES);
            String list = cursor.orElse(ElevenStRecords.CLAIM_LISTS.get(0));
            if (!ElevenStRecords.CLAIM_LISTS.contains(list)) {
                throw new IllegalArgumentException("cursor '" + list + "' must be one of 11st's claim lists " + ElevenStRecords.CLAIM_LISTS);
            }
            path = "/claimservice/" + list + "/" + PATH_TIME.format(window.from()) + "/" + PATH_TIME.format(window.to());
        } else {
            if (cursor.isPresent()) {
                throw new IllegalArgumentException("cursor '" + cursor.get() + "' must be empty: 11st answers a "
                        + kind.configName() + " window whole, without pages");
            }
            checkDays(request, window, kind == DataKind.INQUIRIES ? INQUIRY_RANGE : SETTLEMENT_RANGE);
            String days = PATH_DAY.format(window.from()) + "/" + PATH_DAY.format(window.to().minus(Duration.ofDays(1)));
            path = kind == DataKind.INQUIRIES ? "/prodqnaservices/prodqnalist/" + days + "/00" : "/settlement/settlementList/" + days;
        }
        return PlannedCall.of(market, call.name(), budgetsFor(call, request.seller()), new PlannedCall.Collect(request, window, cursor),
                get(path));
    }

    /**
     * Reads one order line again: {@code GET /ordservices/complete/{ordNo}} (the paid lines of the order, 11st's read of
     * one order) answered as a page of the line with the id's {@code ordPrdSeq} and {@code dlvNo}, empty when the line
     * is no longer paid-and-unacknowledged (11st then answers "no results") or not there.
     */
    @Override
    public PlannedCall planGetOrder(Seller seller, String orderId) {
        PlannedCall.FetchOrder fetch = new PlannedCall.FetchOrder(seller, orderId);
        LineId line = LineId.parse(orderId);
        return PlannedCall.of(market, getOrder.name(), budgetsFor(getOrder, seller), fetch,
                get("/ordservices/complete/" + line.ordNo()));
    }

    /** False: {@code /ordservices/complete/{ordNo}} lists an order's lines only while they are paid (202). */
    @Override
    public boolean followsOneOrder() {
        return false;
    }

    // ---- shipping

    /**
     * {@code GET /ordservices/reqdelivery/{sendDt}/01/{dlvEtprsCd}/{invcNo}/{dlvNo}}: ships the delivery of the order
     * line named by the action's order id, by courier ({@code 01}), with the action's carrier as 11st's delivery company
     * code and its tracking number as the invoice, dated now (Korean time). No lookup: the id carries the delivery
     * number, and 11st answers a delivery that is shipping already with its own code.
     *
     * @throws IllegalArgumentException naming the field: no {@code shipOrder} call, an order id that is not an 11st line
     *     id, a carrier that is not a five-digit delivery company code, a tracking number 11st does not take
     */
    @Override
    public PlannedCall planShipOrder(MarketAction.ShipOrder action) {
        Objects.requireNonNull(action, "action");
        CallConfig call = shipOrder.orElseThrow(() -> new IllegalArgumentException("action ship-order: market " + market
                + " does not ship through its adapter (adapter.calls has no " + MarketApiConfig.SHIP_ORDER + ")"));
        LineId line = LineId.parse(action.orderId());
        if (!CARRIER.matcher(action.carrier()).matches()) {
            throw new IllegalArgumentException("carrier '" + action.carrier() + "' must be an 11st delivery company code: 5 digits,"
                    + " such as 00034 (CJ대한통운), 00011 (한진택배), 00012 (롯데택배), 00007 (우체국택배), 00099 (other)");
        }
        if (!INVOICE.matcher(action.trackingNumber()).matches()) {
            throw new IllegalArgumentException("trackingNumber '" + action.trackingNumber() + "' must be 1 to 15 letters or digits"
                    + " (11st refuses longer invoice numbers; leave out '-' and spaces)");
        }
        String path = "/ordservices/reqdelivery/" + PATH_TIME.format(clock.instant()) + "/" + BY_COURIER + "/" + action.carrier()
                + "/" + action.trackingNumber() + "/" + line.dlvNo();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), get(path));
    }

    // ---- other actions

    /**
     * Checks an action against 11st's own rules, before anything is queued: its id must carry the numbers 11st's call
     * takes; an answer must be text 11st's EUC-KR (MS949) body can carry, in characters XML allows; a refusal reason at
     * most {@link #MAX_REASON} characters. 11st cannot confirm an exchange or refuse a cancellation without a shipment
     * (its calls take the carrier and invoice of the goods sent), which these actions do not carry.
     *
     * @throws IllegalArgumentException naming the field and the rule, or {@code action} when 11st does not offer it
     */
    @Override
    public void validate(MarketAction action) {
        Objects.requireNonNull(action, "action");
        switch (action) {
            case MarketAction.ShipOrder ship -> LineId.parse(ship.orderId());
            case MarketAction.AcknowledgeOrder ack -> LineId.parse(ack.orderId());
            case MarketAction.AnswerInquiry answer -> {
                InquiryId.parse(answer.inquiryId());
                checkAnswerText(answer.text());
            }
            case MarketAction.ConfirmClaim confirm -> {
                if (ClaimId.parse(confirm.claimId()).type().equals("exchange")) {
                    throw new IllegalArgumentException("claimId '" + confirm.claimId() + "': 11st approves an exchange only"
                            + " with the carrier and invoice of the goods sent in exchange (exchangereqconf), which confirm-claim"
                            + " does not carry; approve it in 11st's seller office");
                }
            }
            case MarketAction.RejectClaim reject -> {
                if (ClaimId.parse(reject.claimId()).type().equals("cancel")) {
                    throw new IllegalArgumentException("claimId '" + reject.claimId() + "': 11st refuses a cancellation only"
                            + " by shipping the order (cancelreqreject takes the carrier and invoice): ship the order instead");
                }
                int length = reject.reason().codePointCount(0, reject.reason().length());
                if (length > MAX_REASON) {
                    throw new IllegalArgumentException("reason is " + length + " characters long, at most " + MAX_REASON
                            + " for 11st (it travels in the call's path)");
                }
            }
            default -> throw new IllegalArgumentException("action: " + market + " (11st) does not offer " + action.name());
        }
    }

    /**
     * The call of an action other than shipping, each a documented 11st call:
     * <ul>
     *   <li>acknowledge-order: {@code GET /ordservices/reqpackaging/{ordNo}/{ordPrdSeq}/N/null/{dlvNo}} [D apiSeq 1634]
     *       (no add-on named: 11st acknowledges a line's add-ons with it);</li>
     *   <li>answer-inquiry: {@code PUT /prodqnaservices/prodqnaanswer/{brdInfoNo}/{prdNo}} with
     *       {@code <ProductQna><answerCont>text</answerCont></ProductQna>} in EUC-KR [D apiSeq 1885];</li>
     *   <li>confirm-claim: {@code GET /claimservice/cancelreqconf/{ordPrdCnSeq}/{ordNo}/{ordPrdSeq}} [D 1640] or
     *       {@code GET /claimservice/returnreqconf/{clmReqSeq}/{ordNo}/{ordPrdSeq}} [D 1644];</li>
     *   <li>reject-claim: {@code GET /claimservice/returnreqreject/{ordNo}/{ordPrdSeq}/{clmReqSeq}/104/{reason}} [D 1645] or
     *       {@code GET /claimservice/exchangereqreject/{ordNo}/{ordPrdSeq}/{clmReqSeq}/204/{reason}} [D 1650], the reason
     *       percent-encoded as UTF-8 (as public clients send it [O]).</li>
     * </ul>
     *
     * @throws IllegalArgumentException as {@link #validate}, or naming {@code action} when the section maps no call for it
     */
    @Override
    public PlannedCall planAction(MarketAction action) {
        validate(action);
        CallConfig call = actions.get(action.operation());
        if (call == null) {
            throw new IllegalArgumentException("action: market " + market + " does not offer " + action.name()
                    + " (its adapter.calls maps no " + action.operation() + ")");
        }
        HttpRequest request = switch (action) {
            case MarketAction.AcknowledgeOrder ack -> {
                LineId line = LineId.parse(ack.orderId());
                yield get("/ordservices/reqpackaging/" + line.ordNo() + "/" + line.ordPrdSeq() + "/N/null/" + line.dlvNo());
            }
            case MarketAction.AnswerInquiry answer -> {
                InquiryId id = InquiryId.parse(answer.inquiryId());
                yield put("/prodqnaservices/prodqnaanswer/" + id.brdInfoNo() + "/" + id.prdNo(), answerBody(answer.text()));
            }
            case MarketAction.ConfirmClaim confirm -> {
                ClaimId id = ClaimId.parse(confirm.claimId());
                yield get("/claimservice/" + id.type() + "reqconf/" + id.seq() + "/" + id.ordNo() + "/" + id.ordPrdSeq());
            }
            case MarketAction.RejectClaim reject -> {
                ClaimId id = ClaimId.parse(reject.claimId());
                String code = id.type().equals("return") ? RETURN_REFUSAL_OTHER : EXCHANGE_REFUSAL_OTHER;
                yield get("/claimservice/" + id.type() + "reqreject/" + id.ordNo() + "/" + id.ordPrdSeq() + "/" + id.seq() + "/"
                        + code + "/" + URLEncoder.encode(reject.reason().strip(), StandardCharsets.UTF_8).replace("+", "%20"));
            }
            default -> throw new IllegalArgumentException("action: " + market + " (11st) does not offer " + action.name());
        };
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), request);
    }

    /** The Q&amp;A answer's body, {@code <ProductQna><answerCont>…</answerCont></ProductQna>}, encoded as 11st reads it. */
    static byte[] answerBody(String text) {
        String xml = "<?xml version=\"1.0\" encoding=\"euc-kr\" standalone=\"yes\"?><ProductQna><answerCont>"
                + escapeXml(text) + "</answerCont></ProductQna>";
        return xml.getBytes(bodyCharset());
    }

    private static void checkAnswerText(String text) {
        java.nio.charset.CharsetEncoder encoder = bodyCharset().newEncoder();
        int offset = 0;
        while (offset < text.length()) {
            int c = text.codePointAt(offset);
            boolean xmlChar = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
            if (!xmlChar || !encoder.canEncode(new String(Character.toChars(c)))) {
                throw new IllegalArgumentException("text has '" + (xmlChar ? new String(Character.toChars(c)) : "U+" + Integer.toHexString(c))
                        + "' at character " + text.codePointCount(0, offset) + ", which 11st's EUC-KR answer body cannot carry"
                        + " (no emoji or rare symbols; Hangul, Latin, digits and common punctuation are fine)");
            }
            offset += Character.charCount(c);
        }
    }

    /** MS949, the superset of EUC-KR that 11st reads as EUC-KR [O], where the JVM has it. */
    private static Charset bodyCharset() {
        return Charset.isSupported("x-windows-949") ? Charset.forName("x-windows-949") : EUC_KR;
    }

    private static String escapeXml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    // ---- sending

    /** Adds {@code openapikey: <the seller's key>}; the key is in no path and no query. */
    @Override
    public Optional<CallOutcome> authorize(PlannedCall call, HttpRequest.Builder request, AuthCalls calls) {
        Optional<Seller> seller = call.seller();
        if (seller.isEmpty()) {
            return Optional.of(new CallOutcome.Fatal("11st has no token calls; " + call + " is made for no seller"));
        }
        Credentials keys;
        try {
            keys = credentials.credentials(market, seller.get().id());
        } catch (CredentialsUnavailableException e) {
            return Optional.of(e.isTransient() ? new CallOutcome.Retryable(e.getMessage()) : new CallOutcome.Fatal(e.getMessage()));
        }
        Optional<String> key = keys.find(OPEN_API_KEY);
        if (key.isEmpty()) {
            return Optional.of(new CallOutcome.Fatal("the credentials of seller " + seller.get().id() + " of market " + market
                    + " have no " + OPEN_API_KEY + " (fields: " + keys.fieldNames() + ")"));
        }
        request.setHeader(KEY_HEADER, key.get());
        sentWith.put(call, keys);
        return Optional.empty();
    }

    /**
     * 11st answers in EUC-KR: a body decodes with the charset its {@code Content-Type} names, else (none named) as
     * EUC-KR; either EUC-KR name decodes as MS949 where the JVM has it, the superset public clients fall back to [O]
     * for the rarer Hangul syllables outside EUC-KR.
     */
    @Override
    public Charset answerCharset(HttpHeaders headers) {
        Charset declared = MarketAdapter.declaredCharset(headers).orElse(EUC_KR);
        if (declared.equals(EUC_KR) && Charset.isSupported("x-windows-949")) {
            return Charset.forName("x-windows-949");
        }
        return declared;
    }

    // ---- answers

    @Override
    public MarketAnswer classify(PlannedCall call, HttpResponse<String> response) {
        ElevenStAnswer answer = ElevenStAnswer.of(response, sentWith.get(call));
        try {
            return classify(call, answer);
        } catch (Malformed e) {
            return new CallOutcome.Fatal("11st's answer to " + call.method() + " " + call.path() + " is not its protocol's ("
                    + answer.mask(e.getMessage()) + "); " + answer.describe());
        } catch (RuntimeException e) {
            return new CallOutcome.Fatal("11st's answer to " + call.method() + " " + call.path() + " could not be read ("
                    + answer.mask(e.toString()) + "); " + answer.describe());
        }
    }

    private MarketAnswer classify(PlannedCall call, ElevenStAnswer answer) throws Malformed {
        int status = answer.status();
        if (answer.code().filter(IP_NOT_REGISTERED::equals).isPresent()) {
            return new CallOutcome.Fatal("11st refused this host's IP address (not registered for the seller's key in the "
                    + "seller office's Open API settings): " + answer.message() + " (HTTP " + status + ")",
                    CallOutcome.Cause.IP_NOT_ALLOWED);
        }
        if (status != 200 && answer.root().filter("AuthMessage"::equals).isPresent()) {
            // the gateway's refusal (HTTP 500 with <AuthMessage>, as for an unregistered IP): not a failure that passes
            return keyRefused(answer) ? credentialsRejected("result code " + answer.code().orElse("?") + " " + answer.message())
                    : new CallOutcome.Fatal("11st's gateway refused " + call.method() + " " + call.path() + ": " + answer.describe());
        }
        if (status == 429) {
            return new CallOutcome.Throttled(Optional.empty(), call.budgets(), "11st throttled the call: " + answer.describe());
        }
        if (status >= 500 || status == 408) {
            return new CallOutcome.Retryable("11st failed the call for now: " + answer.describe());
        }
        if (status != 200) {
            return new CallOutcome.Fatal("11st refused " + call.method() + " " + call.path() + ": " + answer.describe());
        }
        // a body that is not XML at all (cut off, empty, a proxy's or a maintenance page) broke on its way or came from
        // in front of the API: nothing 11st decided, so it is retried after the hand-back's back-off, and a market that
        // keeps answering so ends in the DLQ with this reason. Well-formed XML that is not the protocol's stays final.
        if (answer.html()) {
            return new CallOutcome.Retryable("11st answered with a malformed body (a web page instead of its XML: a "
                    + "maintenance notice, a block page or a proxy's page): " + answer.describe());
        }
        if (answer.unreadable().isPresent()) {
            return new CallOutcome.Retryable("11st answered with a malformed body (" + answer.unreadable().get() + "): "
                    + answer.describe());
        }
        String root = answer.root().orElseThrow();
        Optional<String> code = answer.code();
        if (code.filter(MAINTENANCE::equals).isPresent()) {
            return new CallOutcome.Retryable("11st is under maintenance (result code " + MAINTENANCE + " " + answer.message() + ")");
        }
        boolean success = code.isEmpty() || isZero(code.get())
                || (root.equals("ClientMessage") && code.get().equals(ANSWERED));
        boolean noClaims = call.purpose() instanceof PlannedCall.Collect c && c.request().kind() == DataKind.CLAIMS
                && code.filter("-1"::equals).isPresent() && answer.message().contains(NO_CLAIMS);
        if (!success && !noClaims) {
            if (!REFUSAL_ROOTS.contains(root)) {
                throw new Malformed("an answer with result code " + code.get() + " has root <" + root + ">, not one of "
                        + REFUSAL_ROOTS);
            }
            return refused(call, code.get(), answer);
        }
        return switch (call.purpose()) {
            case PlannedCall.Collect collect when collect.request().kind() == DataKind.ORDERS -> listPage(collect, answer);
            case PlannedCall.Collect collect -> recordPage(collect, answer);
            case PlannedCall.FetchOrder fetch -> fetched(fetch, answer);
            case PlannedCall.Act act when act.action() instanceof MarketAction.ShipOrder -> shipped(act, answer);
            case PlannedCall.Act act -> acted(act, answer);
            case PlannedCall.Authenticate auth -> new CallOutcome.Fatal("11st has no token calls");
        };
    }

    /**
     * A page of a kind other than orders: the claims of one claim list (its next cursor the next list of
     * {@link ElevenStRecords#CLAIM_LISTS}), the Q&amp;As or the settlement rows of the window. An answer with no records
     * (result code 0, or a claim list's -1 "해당 건이 없습니다") is an empty page.
     */
    private MarketAnswer recordPage(PlannedCall.Collect collect, ElevenStAnswer answer) throws Malformed {
        DataKind kind = collect.request().kind();
        String root = answer.root().orElseThrow();
        List<MarketRecord> records;
        Optional<String> next = Optional.empty();
        switch (kind) {
            case CLAIMS -> {
                String list = collect.cursor().orElse(ElevenStRecords.CLAIM_LISTS.get(0));
                records = ElevenStRecords.claims(list, rows(answer, root, "orders", "order"));
                int i = ElevenStRecords.CLAIM_LISTS.indexOf(list);
                next = i + 1 < ElevenStRecords.CLAIM_LISTS.size() ? Optional.of(ElevenStRecords.CLAIM_LISTS.get(i + 1)) : Optional.empty();
            }
            case INQUIRIES -> records = ElevenStRecords.inquiries(rows(answer, root, "productQnas", "productQna"));
            default -> {
                List<JsonNode> rows;
                if (root.equals("seStlDtlList")) {
                    // one row is answered as the root itself [O]; no row as the root with totalCount only
                    rows = answer.text("ordNo").isPresent() ? List.of(answer.body()) : List.of();
                } else if (root.equals("orders")) {
                    rows = rows(answer, root, "orders", "order");
                } else {
                    rows = rows(answer, root, "seStlDtlLists", "seStlDtlList");
                }
                records = ElevenStRecords.settlements(rows, LocalDate.now(clock.withZone(KST)));
            }
        }
        return new CallOutcome.Ok(new MarketData.RecordPage(kind, records, next));
    }

    /** The rows of a list answer: root {@code expectedRoot}, its {@code row} children beside result_code and result_text. */
    private static List<JsonNode> rows(ElevenStAnswer answer, String root, String expectedRoot, String row) throws Malformed {
        if (!root.equals(expectedRoot)) {
            throw new Malformed("the list has root <" + root + ">, not <" + expectedRoot + ">");
        }
        List<String> other = answer.otherChildren(List.of(row, "result_code", "result_text", "totalCount"));
        if (!other.isEmpty()) {
            throw new Malformed("the list has elements other than " + row + ", result_code and result_text: " + other);
        }
        return answer.children(row);
    }

    /** The answer to an action other than shipping: {@code <ResultOrder>} with code 0, or {@code <ClientMessage>} with 200. */
    private MarketAnswer acted(PlannedCall.Act act, ElevenStAnswer answer) throws Malformed {
        String root = answer.root().orElseThrow();
        String expected = act.action() instanceof MarketAction.AnswerInquiry ? "ClientMessage" : "ResultOrder";
        if (!root.equals(expected) || answer.code().isEmpty()) {
            throw new Malformed("the answer to " + act.action().name() + " has root <" + root + ">" + (answer.code().isEmpty()
                    ? " without a result code" : "") + ", expected <" + expected + "> with a result code");
        }
        return new CallOutcome.Ok(new MarketData.ActionDone(act.action().name(), false));
    }

    /**
     * A result code other than 0 in an HTTP 200 answer. {@code 004}: over the key's call rate; every budget of the call
     * cools down for its configured default (11st gives no time; public clients pause five minutes). {@code -997}
     * (and 11st's older "인증키" answers): the key is not 11st's or not approved for the order API. {@code -3313} to a
     * shipment: the delivery is shipping already. Any other code is final, with 11st's text.
     */
    private MarketAnswer refused(PlannedCall call, String code, ElevenStAnswer answer) {
        String words = "result code " + code + (answer.message().isEmpty() ? "" : " " + answer.message());
        if (code.equals(THROTTLED)) {
            return new CallOutcome.Throttled(Optional.empty(), call.budgets(), "11st: over the key's call rate (" + words + ")");
        }
        if (code.equals(UNKNOWN_KEY) || keyRefused(answer)) {
            return credentialsRejected(words);
        }
        if (call.purpose() instanceof PlannedCall.Act act && code.equals(ALREADY_SHIPPING)) {
            return new CallOutcome.Ok(new MarketData.ActionDone(act.action().name(), true));
        }
        if (call.purpose() instanceof PlannedCall.Act act && !(act.action() instanceof MarketAction.ShipOrder)) {
            MarketAction action = act.action();
            boolean already = (action instanceof MarketAction.AcknowledgeOrder && code.equals(ALREADY_ACKNOWLEDGED))
                    || (action instanceof MarketAction.ConfirmClaim && answer.message().contains(ALREADY_CANCELLED));
            if (already) {
                return new CallOutcome.Ok(new MarketData.ActionDone(action.name(), true));
            }
            // every other refusal of an action is about the record: unknown, not in the state the call needs, cancelled
            return new CallOutcome.Fatal("11st refused " + action.name() + " of " + action.targetId() + ": " + words,
                    CallOutcome.Cause.ACTION_REFUSED);
        }
        String action = switch (call.purpose()) {
            case PlannedCall.Act act -> "did not ship delivery " + LineId.parse(((MarketAction.ShipOrder) act.action()).orderId()).dlvNo()
                    + " of order line " + ((MarketAction.ShipOrder) act.action()).orderId();
            default -> "refused " + call.method() + " " + call.path();
        };
        return new CallOutcome.Fatal("11st " + action + ": " + words);
    }

    /** Whether 11st's words are about the key: its older answers say "인증키" (authentication key). */
    private static boolean keyRefused(ElevenStAnswer answer) {
        String words = answer.message();
        // "OpenAPI Key 에 해당하는 유저가 없습니다" [D apiSeq 1634, 1644, 1885] as well as older "openapikey" answers
        return words.contains("인증키") || words.toLowerCase(Locale.ROOT).replace(" ", "").contains("openapikey");
    }

    private static CallOutcome.Fatal credentialsRejected(String words) {
        return new CallOutcome.Fatal("11st refused the seller's Open API key (unknown, revoked, or not approved for the "
                + "seller order API): " + words, CallOutcome.Cause.CREDENTIALS_REJECTED);
    }

    /** A stage list: its lines, and as cursor the next stage of the walk (empty after the last). */
    private MarketAnswer listPage(PlannedCall.Collect collect, ElevenStAnswer answer) throws Malformed {
        List<Order> orders = lines(answer);
        String stage = stage(collect.cursor());
        int i = WALKED_STAGES.indexOf(stage);
        Optional<String> next = i + 1 < WALKED_STAGES.size() ? Optional.of(WALKED_STAGES.get(i + 1)) : Optional.empty();
        return new CallOutcome.Ok(new OrderPage(orders, next));
    }

    /** The paid lines of one order: a page of the one the id names, or an empty page. */
    private MarketAnswer fetched(PlannedCall.FetchOrder fetch, ElevenStAnswer answer) throws Malformed {
        String id = LineId.parse(fetch.orderId()).toString();
        List<Order> found = lines(answer).stream().filter(o -> o.orderId().equals(id)).toList();
        return new CallOutcome.Ok(new OrderPage(found, Optional.empty()));
    }

    /** The answer to {@code reqdelivery}: result code 0 under {@code <ResultOrder>} is done. */
    private MarketAnswer shipped(PlannedCall.Act act, ElevenStAnswer answer) throws Malformed {
        String root = answer.root().orElseThrow();
        if (!root.equals("ResultOrder")) {
            throw new Malformed("the answer to a shipment has root <" + root + ">, not <ResultOrder>");
        }
        if (answer.code().isEmpty()) {
            throw new Malformed("the answer to a shipment has no result_code");
        }
        return new CallOutcome.Ok(new MarketData.ActionDone(act.action().name(), false));
    }

    /**
     * The order lines of a list answer: root {@code <orders>} (11st's {@code ns2:orders}), one {@code <order>} per line;
     * none with result code 0 and 11st's "no results" text, or without any child. Each line is checked: a missing or
     * malformed key, time or state fails the whole answer, naming the line and the field, so no line is dropped.
     */
    private static List<Order> lines(ElevenStAnswer answer) throws Malformed {
        String root = answer.root().orElseThrow();
        if (!LIST_ROOTS.contains(root)) {
            throw new Malformed("an order list has root <" + root + ">, not <ns2:orders>");
        }
        List<String> other = answer.otherChildren(List.of("order", "result_code", "result_text"));
        if (!other.isEmpty()) {
            throw new Malformed("an order list has elements other than order, result_code and result_text: " + other);
        }
        List<JsonNode> elements = answer.children("order");
        List<Order> orders = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            orders.add(line(elements.get(i), "order[" + i + "]"));
        }
        return orders;
    }

    /**
     * One {@code <order>} as an {@link Order}: id {@code ordNo-ordPrdSeq-dlvNo} (the line, and the delivery that ships
     * it), status {@code ordPrdStat}, updated at its payment ({@code ordStlEndDt}, else {@code ordDt}, else its
     * acknowledgement), Korean time; its JSON the line's elements as texts.
     */
    private static Order line(JsonNode element, String where) throws Malformed {
        if (element == null || !element.isObject()) {
            throw new Malformed(where + " must be an element with children, was " + describe(element));
        }
        ObjectNode line = ElevenStAnswer.flat(element);
        String ordNo = digits(line, "ordNo", where);
        String seq = digits(line, "ordPrdSeq", where);
        String dlvNo = digits(line, "dlvNo", where);
        String state = line.path("ordPrdStat").asText("");
        if (!STATES.containsKey(state)) {
            throw new Malformed(where + ".ordPrdStat must be one of 11st's order states " + STATES.keySet() + ", was "
                    + describe(line.get("ordPrdStat")));
        }
        Instant at = null;
        for (String field : TIME_FIELDS) {
            String text = line.path(field).asText("");
            if (!text.isEmpty() && !text.equals("null")) {
                try {
                    at = LocalDateTime.parse(text, LINE_TIME).atZone(KST).toInstant();
                } catch (DateTimeParseException e) {
                    throw new Malformed(where + "." + field + " must be yyyy-MM-dd HH:mm:ss (Korean time), was " + describe(line.get(field)));
                }
                break;
            }
        }
        if (at == null) {
            throw new Malformed(where + " has none of " + TIME_FIELDS + " (its payment, order or acknowledgement time)");
        }
        return new Order(new LineId(ordNo, seq, dlvNo).toString(), state, commonStatus(state), at, line.toString());
    }

    private static String digits(ObjectNode line, String field, String where) throws Malformed {
        String text = line.path(field).asText("");
        if (!DIGITS.matcher(text).matches()) {
            throw new Malformed(where + "." + field + " must be 1 to 20 digits, was " + describe(line.get(field)));
        }
        return text;
    }

    private static boolean isZero(String code) {
        return code.chars().allMatch(c -> c == '0');
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "absent";
        }
        String text = node.isValueNode() ? "'" + node.asText() + "'" : node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    @Override
    public String toString() {
        return "ElevenStAdapter[" + market + " at " + config.baseUrl() + "]";
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
            throw new IllegalArgumentException("kind: market " + market + " (11st) does not offer " + request.kind().configName()
                    + (RECORD_KINDS.contains(request.kind())
                            ? " (its adapter.calls maps no " + request.kind().listOperation() + ")"
                            : " (11st's Open API has no list of " + request.kind().configName() + " for sellers)"));
        }
    }

    /** The stage a cursor names; {@code complete} for the empty cursor of a window's first call. */
    private static String stage(Optional<String> cursor) {
        if (cursor.isEmpty()) {
            return WALKED_STAGES.get(0);
        }
        if (!WALKED_STAGES.contains(cursor.get())) {
            throw new IllegalArgumentException("cursor '" + cursor.get() + "' must be a stage of the walk " + WALKED_STAGES);
        }
        return cursor.get();
    }

    /** A GET of {@code path} under the base URL, as 11st's clients send it; the key is added when the call is sent. */
    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .header("Accept", "application/xml")
                .header("Content-Type", "text/xml; charset=euc-kr")
                .GET()
                .build();
    }

    /** A PUT of {@code body} (XML in EUC-KR) to {@code path} under the base URL; the key is added when the call is sent. */
    private HttpRequest put(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .header("Accept", "application/xml")
                .header("Content-Type", "text/xml; charset=euc-kr")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** The call's budgets, per-instance ones keyed by the seller. */
    private List<String> budgetsFor(CallConfig call, Seller seller) {
        return seller.budgetsOf(call, budgets);
    }

    /**
     * The common status of an {@code ordPrdStat} ({@link #STATES}): 202 paid, 301 preparing, 401 shipping, 501 delivered,
     * 901 confirmed, A01 returned, B01 cancelled.
     *
     * @throws IllegalArgumentException naming the code when it is not one of {@link #STATES}
     */
    public static io.marketgate.market.OrderStatus commonStatus(String code) {
        return switch (code == null ? "" : code) {
            case "202" -> io.marketgate.market.OrderStatus.PAID;
            case "301" -> io.marketgate.market.OrderStatus.PREPARING;
            case "401" -> io.marketgate.market.OrderStatus.SHIPPING;
            case "501" -> io.marketgate.market.OrderStatus.DELIVERED;
            case "901" -> io.marketgate.market.OrderStatus.CONFIRMED;
            case "A01" -> io.marketgate.market.OrderStatus.RETURNED;
            case "B01" -> io.marketgate.market.OrderStatus.CANCELLED;
            default -> throw new IllegalArgumentException("ordPrdStat '" + code + "' is not one of 11st's order states " + STATES.keySet());
        };
    }

    private static Map<String, String> states() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("202", "결제완료 (paid, to acknowledge)");
        m.put("301", "배송준비중 (acknowledged, to ship)");
        m.put("401", "배송중 (shipping)");
        m.put("501", "배송완료 (delivered)");
        m.put("901", "구매확정 (purchase confirmed)");
        m.put("A01", "반품완료 (returned)");
        m.put("B01", "취소완료 (cancelled)");
        return Collections.unmodifiableMap(m);
    }

    /**
     * An order line's id, {@code ordNo-ordPrdSeq-dlvNo}: the order, the line within it (the pair 11st's other line
     * calls take), and the delivery that ships it (the one thing {@code reqdelivery} takes).
     */
    record LineId(String ordNo, String ordPrdSeq, String dlvNo) {

        static LineId parse(String orderId) {
            Matcher m = orderId == null ? null : LINE_ID.matcher(orderId);
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("orderId '" + orderId + "' must be an 11st order line: ordNo-ordPrdSeq-dlvNo,"
                        + " digits each, such as 202001050486555-7-1420484760");
            }
            return new LineId(m.group(1), m.group(2), m.group(3));
        }

        @Override
        public String toString() {
            return ordNo + "-" + ordPrdSeq + "-" + dlvNo;
        }
    }
}
