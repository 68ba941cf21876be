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
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
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

    /** 11st's time zone: every time it reads or writes is local Korean time. */
    public static final ZoneId KST = ZoneId.of("Asia/Seoul");
    /** The charset of 11st's answers [O], when an answer names none. */
    public static final Charset EUC_KR = Charset.forName("EUC-KR");
    /** The longest window list a request may be split into; more means a wrong range rather than a real backfill. */
    public static final int MAX_WINDOWS = 10_000;

    private static final DateTimeFormatter PATH_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmm").withZone(KST);
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    /** {@code ordNo-ordPrdSeq-dlvNo}: the order id of this market's {@link Order}s. */
    private static final Pattern LINE_ID = Pattern.compile("([0-9]{1,20})-([0-9]{1,6})-([0-9]{1,20})");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
    private static final Pattern CARRIER = Pattern.compile("[0-9]{5}");
    private static final Pattern INVOICE = Pattern.compile("[A-Za-z0-9]{1,15}");
    private static final List<String> LIST_ROOTS = List.of("orders");
    private static final List<String> REFUSAL_ROOTS = List.of("orders", "ResultOrder", "AuthMessage");
    /** The order time fields, by preference: payment completed, ordered, acknowledged. */
    private static final List<String> TIME_FIELDS = List.of("ordStlEndDt", "ordDt", "plcodrCnfDt");

    private final String market;
    private final MarketApiConfig config;
    private final CallConfig listOrders;
    private final CallConfig getOrder;
    private final Optional<CallConfig> shipOrder;
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
        TimeWindow range = request.range(ChronoUnit.MINUTES);
        return TimeWindow.cover(range.from(), range.to(), windowLength, MAX_WINDOWS);
    }

    /**
     * {@code GET /ordservices/{stage}/{yyyyMMddHHmm}/{yyyyMMddHHmm}} of {@code window} in Korean time: the cursor is the
     * stage ({@code complete} when empty), and each page's next cursor the stage after it in {@link #WALKED_STAGES}.
     */
    @Override
    public PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        check(request);
        Objects.requireNonNull(cursor, "cursor");
        request.checkWindow(window, windowLength, ChronoUnit.MINUTES);
        String stage = stage(cursor);
        String path = "/ordservices/" + stage + "/" + PATH_TIME.format(window.from()) + "/" + PATH_TIME.format(window.to());
        return PlannedCall.of(market, listOrders.name(), budgetsFor(listOrders, request.seller()),
                new PlannedCall.Collect(request, window, cursor), get(path));
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
        if (answer.html()) {
            return new CallOutcome.Fatal("11st answered a web page instead of its XML (a maintenance notice or a block page): "
                    + answer.describe());
        }
        if (answer.unreadable().isPresent()) {
            return new CallOutcome.Fatal("11st's answer is " + answer.unreadable().get() + ": " + answer.describe());
        }
        String root = answer.root().orElseThrow();
        Optional<String> code = answer.code();
        if (code.isPresent() && !isZero(code.get())) {
            if (!REFUSAL_ROOTS.contains(root)) {
                throw new Malformed("an answer with result code " + code.get() + " has root <" + root + ">, not one of "
                        + REFUSAL_ROOTS);
            }
            return refused(call, code.get(), answer);
        }
        return switch (call.purpose()) {
            case PlannedCall.Collect collect -> listPage(collect, answer);
            case PlannedCall.FetchOrder fetch -> fetched(fetch, answer);
            case PlannedCall.Act act -> shipped(act, answer);
            case PlannedCall.Authenticate auth -> new CallOutcome.Fatal("11st has no token calls");
        };
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
        return words.contains("인증키") || words.toLowerCase(Locale.ROOT).contains("openapikey");
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
        if (request.kind() != DataKind.ORDERS) {
            throw new IllegalArgumentException("kind: market " + market + " (11st) collects ORDERS only, not " + request.kind());
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

    /** A body that is not the protocol's; its message names the field and what was wrong. */
    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
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
