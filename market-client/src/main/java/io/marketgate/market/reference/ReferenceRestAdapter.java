package io.marketgate.market.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.CallConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.config.ReferenceRestConfig;
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
import io.marketgate.market.RecordStatus;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The adapter of a market that speaks the project's reference REST protocol (described in this package's
 * documentation), configured by its market's {@code adapter} section ({@link ReferenceRestConfig}).
 *
 * <p>Budgets: each operation draws from the budgets of the market call the section maps it to; budgets of a
 * per-instance scope (vendor, seller, mall) are keyed by the seller ({@link Seller#instanceKey}). A throttle (429 or a
 * configured code in a 200 body) names every budget of the call: the protocol does not say which limit was hit, so
 * all of them cool down.
 *
 * <p>It offers every kind ({@link #windows}, {@link #planPage}: orders as {@code OrderPage}s, the others as
 * {@code RecordPage}s) and every action ({@link #planAction}), each as far as the section's {@code calls} maps its
 * operation.
 *
 * <pre>{@code
 * MarketAdapter coupang = ReferenceRestAdapter.of(environment.market("coupang"), System::getenv);
 * PlannedCall answer = coupang.plan(new MarketAction.AnswerInquiry(seller, "61234500001000", "Yes, it is."));
 * }</pre>
 *
 * <p>The API key is sent as {@code X-Api-Key} and appears in no message and no {@code toString()}; a body excerpt in
 * a failure reason has it replaced by {@code ****} should a market echo it.
 */
public final class ReferenceRestAdapter implements MarketAdapter {

    /** The header that carries the API key. */
    public static final String API_KEY_HEADER = "X-Api-Key";
    /** The longest answer, reply or rejection reason the protocol takes, in characters (Unicode code points). */
    public static final int MAX_TEXT = 1000;
    /** The longest window list a request may be split into; more means a wrong range rather than a real backfill. */
    public static final int MAX_WINDOWS = 10_000;

    /** Strict: a body with anything after its JSON value (garbage, a second value) is not JSON. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int EXCERPT = 300;

    private final String market;
    private final MarketConfig marketConfig;
    private final ReferenceRestConfig config;
    private final String apiKey;
    private final CallConfig listOrders;
    private final Optional<CallConfig> shipOrder;
    private final CallConfig getOrder;
    /** The market's call of every operation the section maps ({@link ReferenceRestConfig#OPERATIONS}). */
    private final Map<String, CallConfig> operations;
    private final Map<String, BudgetConfig> budgets;
    private final Clock clock;

    private ReferenceRestAdapter(MarketConfig market, ReferenceRestConfig config, String apiKey, Clock clock) {
        this.market = market.name();
        this.marketConfig = market;
        this.config = config;
        this.apiKey = apiKey;
        this.listOrders = market.call(config.listOrdersCall());
        this.shipOrder = config.shipOrderCall().map(market::call);
        this.getOrder = market.call(config.getOrderCall());
        Map<String, CallConfig> mapped = new java.util.LinkedHashMap<>();
        config.calls().forEach((operation, call) -> mapped.put(operation, market.call(call)));
        this.operations = Map.copyOf(mapped);
        this.budgets = market.budgets();
        this.clock = clock;
    }

    /**
     * The adapter of {@code market}, whose {@code adapter} section must be {@code reference-rest}; the API key is
     * resolved now through {@code environment} ({@code System::getenv}).
     *
     * @throws IllegalArgumentException when the market has no reference-rest adapter section
     * @throws io.marketgate.config.ConfigException naming file, path and variable when the key's variable is unset
     */
    public static ReferenceRestAdapter of(MarketConfig market, Function<String, String> environment) {
        return of(market, environment, Clock.systemUTC());
    }

    /** Like {@link #of(MarketConfig, Function)}, with the clock that turns an HTTP-date Retry-After into a duration. */
    public static ReferenceRestAdapter of(MarketConfig market, Function<String, String> environment, Clock clock) {
        Objects.requireNonNull(market, "market");
        if (!(market.adapter().orElse(null) instanceof ReferenceRestConfig config)) {
            throw new IllegalArgumentException("market " + market.name() + " has no adapter of type reference-rest"
                    + market.adapter().map(a -> " (its adapter is " + a.type().configName() + ")").orElse(" (no adapter section)"));
        }
        return new ReferenceRestAdapter(market, config, config.apiKey().resolve(environment), Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String market() {
        return market;
    }

    @Override
    public Duration requestTimeout() {
        return config.requestTimeout();
    }

    @Override
    public List<TimeWindow> windows(CollectionRequest request) {
        check(request);
        return TimeWindow.cover(request.from(), request.to(), config.maxRangePerCall(), MAX_WINDOWS);
    }

    @Override
    public PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
        check(request);
        Objects.requireNonNull(cursor, "cursor");
        request.checkWindow(window, config.maxRangePerCall(), ChronoUnit.NANOS);
        StringBuilder query = new StringBuilder()
                .append("from=").append(encode(window.from().toString()))
                .append("&to=").append(encode(window.to().toString()))
                .append("&size=").append(config.pageSize());
        cursor.ifPresent(c -> query.append("&cursor=").append(encode(c)));
        URI uri = URI.create(config.baseUrl() + "/v1/sellers/" + request.seller().id() + "/" + request.kind().configName()
                + "?" + query);
        HttpRequest http = authorized(uri).header("Accept", "application/json").GET().build();
        CallConfig list = request.kind() == DataKind.ORDERS ? listOrders : operations.get(request.kind().listOperation());
        return PlannedCall.of(market, list.name(), budgetsFor(list, request.seller()),
                new PlannedCall.Collect(request, window, cursor), http);
    }

    @Override
    public PlannedCall planGetOrder(Seller seller, String orderId) {
        PlannedCall.FetchOrder fetch = new PlannedCall.FetchOrder(seller, orderId);
        URI uri = URI.create(config.baseUrl() + "/v1/sellers/" + seller.id() + "/orders/" + orderId);
        HttpRequest http = authorized(uri).header("Accept", "application/json").GET().build();
        return PlannedCall.of(market, getOrder.name(), budgetsFor(getOrder, seller), fetch, http);
    }

    @Override
    public PlannedCall planShipOrder(MarketAction.ShipOrder action) {
        Objects.requireNonNull(action, "action");
        CallConfig call = shipOrder.orElseThrow(() -> new IllegalArgumentException("action ship-order: market " + market
                + " does not ship through its adapter (adapter.calls has no " + ReferenceRestConfig.SHIP_ORDER + ")"));
        String body = JSON.createObjectNode()
                .put("carrier", action.carrier())
                .put("trackingNumber", action.trackingNumber())
                .toString();
        URI uri = URI.create(config.baseUrl() + "/v1/sellers/" + action.seller().id() + "/orders/" + action.orderId() + "/shipments");
        HttpRequest http = authorized(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http);
    }

    /**
     * The call of an action other than shipping, drawing from the call its operation is mapped to
     * ({@code adapter.calls.answerInquiry}, …); the path and body of each are in this package's documentation.
     *
     * @throws IllegalArgumentException naming {@code action} when the market's section does not map the action's
     *     operation, or naming the field over the protocol's limit ({@link #validate})
     */
    @Override
    public PlannedCall planAction(MarketAction action) {
        Objects.requireNonNull(action, "action");
        if (action instanceof MarketAction.ShipOrder ship) {
            return planShipOrder(ship);
        }
        validate(action);
        CallConfig call = operations.get(action.operation());
        if (call == null) {
            throw new IllegalArgumentException("action: " + marketConfig.actionRefusal(action.name())
                    .orElse(market + " does not offer " + action.name()));
        }
        String seller = "/v1/sellers/" + action.seller().id();
        return switch (action) {
            case MarketAction.AcknowledgeOrder a -> act(a, call, "POST", seller + "/orders/" + a.orderId() + "/acknowledge", null);
            case MarketAction.AnswerInquiry a -> act(a, call, "POST", seller + "/inquiries/" + a.inquiryId() + "/answer",
                    JSON.createObjectNode().put("text", a.text()).toString());
            case MarketAction.ReplyReview r -> act(r, call, "POST", seller + "/reviews/" + r.reviewId() + "/reply",
                    JSON.createObjectNode().put("text", r.text()).toString());
            case MarketAction.ChangePrice p -> act(p, call, "PUT", seller + "/products/" + p.productId() + "/price",
                    JSON.createObjectNode().put("price", p.price()).toString());
            case MarketAction.ChangeStock st -> act(st, call, "PUT", seller + "/products/" + st.productId() + "/stock",
                    JSON.createObjectNode().put("stock", st.stock()).toString());
            case MarketAction.ChangeSaleStatus st -> act(st, call, "PUT", seller + "/products/" + st.productId() + "/sale-status",
                    JSON.createObjectNode().put("status", st.status().name()).toString());
            case MarketAction.ConfirmClaim c -> act(c, call, "POST", seller + "/claims/" + c.claimId() + "/confirm", null);
            case MarketAction.RejectClaim r -> act(r, call, "POST", seller + "/claims/" + r.claimId() + "/reject",
                    JSON.createObjectNode().put("reason", r.reason()).toString());
            case MarketAction.ShipOrder ship -> planShipOrder(ship);
        };
    }

    /**
     * The protocol's own limit: an answer, a reply or a rejection reason of at most {@value #MAX_TEXT} characters
     * (Unicode code points); longer is refused by the market with 400.
     */
    @Override
    public void validate(MarketAction action) {
        switch (action) {
            case MarketAction.AnswerInquiry a -> checkText("text", a.text());
            case MarketAction.ReplyReview r -> checkText("text", r.text());
            case MarketAction.RejectClaim r -> checkText("reason", r.reason());
            default -> { }
        }
    }

    private void checkText(String field, String text) {
        int length = text.codePointCount(0, text.length());
        if (length > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is " + length + " characters long; " + market
                    + " (reference-rest) takes at most " + MAX_TEXT);
        }
    }

    private PlannedCall act(MarketAction action, CallConfig call, String method, String path, String body) {
        HttpRequest.Builder http = authorized(URI.create(config.baseUrl() + path)).header("Accept", "application/json");
        if (body == null) {
            http.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            http.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return PlannedCall.of(market, call.name(), budgetsFor(call, action.seller()), new PlannedCall.Act(action), http.build());
    }

    @Override
    public MarketAnswer classify(PlannedCall call, HttpResponse<String> response) {
        int status = response.statusCode();
        Optional<JsonNode> body = parse(response.body());
        if (status == 429) {
            return new CallOutcome.Throttled(retryAfter(response), call.budgets(), "HTTP 429" + detail(response.body()));
        }
        if (status >= 200 && status < 300) {
            if (body.isEmpty() && !(call.purpose() instanceof PlannedCall.Act)) {
                // a page or an order is needed and the body is not JSON at all (cut off, empty, a proxy's page): it broke
                // on its way, so nothing the market decided; retried after the hand-back's back-off, and a market that
                // keeps answering so ends in the DLQ with this reason. Well-formed JSON that is not the protocol's is final.
                return new CallOutcome.Retryable("HTTP " + status + " from market " + market + " with a malformed body (not "
                        + "JSON: cut off, empty or a proxy's page)" + detail(response.body()));
            }
            Optional<String> code = body.map(b -> b.get("code")).filter(c -> !c.isNull()).map(JsonNode::asText);
            if (code.isPresent()) {
                String message = body.map(b -> b.path("message").asText("")).orElse("");
                if (config.throttleCodes().contains(code.get())) {
                    return new CallOutcome.Throttled(retryAfter(response), call.budgets(),
                            "code " + code.get() + " in an HTTP " + status + " body" + detail(message));
                }
                return new CallOutcome.Fatal("market error code " + code.get() + " in an HTTP " + status + " body" + detail(message));
            }
            return switch (call.purpose()) {
                case PlannedCall.Collect collect -> collect.request().kind() == DataKind.ORDERS
                        ? orderPage(body, response.body()) : recordPage(collect.request().kind(), body, response.body());
                case PlannedCall.FetchOrder fetch -> orderPage(body, response.body());
                case PlannedCall.Act act -> new CallOutcome.Ok(new MarketData.ActionDone(act.action().name(), false));
                case PlannedCall.Authenticate auth -> new CallOutcome.Fatal("the reference protocol has no token calls");
            };
        }
        if (call.purpose() instanceof PlannedCall.Act act) {
            Optional<MarketAnswer> answer = actionAnswer(act.action(), status, body);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        String detail = detail(response.body());
        return switch (status) {
            case 401 -> new CallOutcome.Fatal("HTTP 401: the market rejected the API key (bad or expired credentials)" + detail,
                    CallOutcome.Cause.CREDENTIALS_REJECTED);
            case 403 -> new CallOutcome.Fatal("HTTP 403: forbidden, for example this IP address is not on the market's "
                    + "allow-list or the key has no access to this seller" + detail,
                    body.map(b -> b.path("code").asText("")).filter("IP_NOT_ALLOWED"::equals).isPresent()
                            ? CallOutcome.Cause.IP_NOT_ALLOWED : CallOutcome.Cause.OTHER);
            case 408 -> new CallOutcome.Retryable("HTTP 408: the market timed out waiting for the request" + detail);
            default -> status >= 500
                    ? new CallOutcome.Retryable("HTTP " + status + ": server error" + detail)
                    : new CallOutcome.Fatal("HTTP " + status + detail);
        };
    }

    @Override
    public String toString() {
        return "ReferenceRestAdapter[" + market + " at " + config.baseUrl() + "]";
    }

    // ---- internals

    /**
     * What an action's answer means beyond the answers every call shares: 409 done before (a redelivered or repeated
     * action has its effect, so it is done); 422 {@code REFUSED} and 404 {@code <RECORD>_NOT_FOUND} refused for good for
     * the record's sake. Empty for any other answer.
     */
    private Optional<MarketAnswer> actionAnswer(MarketAction action, int status, Optional<JsonNode> body) {
        String code = body.map(b -> b.path("code").asText("")).orElse("");
        String record = action.target().singular() + " " + action.targetId() + " of seller " + action.seller().id();
        if (status == 409) {
            return Optional.of(new CallOutcome.Ok(new MarketData.ActionDone(action.name(), true)));
        }
        if (status == 422 && code.equals("REFUSED")) {
            String reason = body.map(b -> b.path("reason").asText("")).filter(r -> !r.isBlank()).orElse("no reason given");
            return Optional.of(new CallOutcome.Fatal(market + " refused " + action.name() + " of " + record + ": "
                    + mask(reason), CallOutcome.Cause.ACTION_REFUSED));
        }
        if (status == 404 && code.equals(action.target().singular().toUpperCase(java.util.Locale.ROOT) + "_NOT_FOUND")) {
            return Optional.of(new CallOutcome.Fatal(market + " refused " + action.name() + ": no such " + record,
                    CallOutcome.Cause.ACTION_REFUSED));
        }
        return Optional.empty();
    }

    private void check(CollectionRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request is missing");
        }
        if (!request.market().equals(market)) {
            throw new IllegalArgumentException("market: unknown market '" + request.market() + "' for the adapter of " + market);
        }
        if (request.kind() != DataKind.ORDERS && !operations.containsKey(request.kind().listOperation())) {
            throw new IllegalArgumentException("kind: " + marketConfig.kindRefusal(request.kind().configName())
                    .orElse(market + " does not offer " + request.kind().configName()));
        }
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header(API_KEY_HEADER, apiKey);
    }

    /** The call's budgets, per-instance ones keyed by the seller. */
    private List<String> budgetsFor(CallConfig call, Seller seller) {
        return seller.budgetsOf(call, budgets);
    }

    /**
     * The statuses the reference protocol documents: the common model's names ({@link io.marketgate.market.OrderStatus})
     * and the order-sheet names its simulated markets answer: {@code ACCEPT} paid, {@code INSTRUCT} preparing,
     * {@code DEPARTURE} and {@code DELIVERING} shipping, {@code FINAL_DELIVERY} delivered, {@code CANCELLED} cancelled.
     */
    public static final List<String> STATUSES = java.util.stream.Stream.concat(
            java.util.Arrays.stream(io.marketgate.market.OrderStatus.values()).map(Enum::name),
            java.util.stream.Stream.of("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY")).toList();

    /** The common status of one of {@link #STATUSES}; empty for any other. */
    public static Optional<io.marketgate.market.OrderStatus> commonStatus(String status) {
        return Optional.ofNullable(switch (status == null ? "" : status) {
            case "ACCEPT" -> io.marketgate.market.OrderStatus.PAID;
            case "INSTRUCT" -> io.marketgate.market.OrderStatus.PREPARING;
            case "DEPARTURE", "DELIVERING" -> io.marketgate.market.OrderStatus.SHIPPING;
            case "FINAL_DELIVERY" -> io.marketgate.market.OrderStatus.DELIVERED;
            default -> java.util.Arrays.stream(io.marketgate.market.OrderStatus.values())
                    .filter(s -> s.name().equals(status)).findFirst().orElse(null);
        });
    }

    private MarketAnswer orderPage(Optional<JsonNode> parsed, String raw) {
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            return new CallOutcome.Fatal("the body is not a JSON object" + detail(raw));
        }
        JsonNode body = parsed.get();
        JsonNode orders = body.get("orders");
        if (orders == null || !orders.isArray()) {
            return new CallOutcome.Fatal("the body has no 'orders' list" + detail(raw));
        }
        List<Order> page = new ArrayList<>(orders.size());
        for (int i = 0; i < orders.size(); i++) {
            JsonNode o = orders.get(i);
            Optional<Instant> updatedAt = instant(o.path("updatedAt").asText(""));
            if (!o.path("orderId").isTextual() || !o.path("status").isTextual() || updatedAt.isEmpty()) {
                return new CallOutcome.Fatal("orders[" + i + "] needs a text orderId and status and an ISO-8601 updatedAt"
                        + detail(o.toString()));
            }
            String status = o.get("status").textValue();
            Optional<io.marketgate.market.OrderStatus> common = commonStatus(status);
            if (common.isEmpty()) {
                return new CallOutcome.Fatal("orders[" + i + "].status '" + status + "' is not one of the protocol's statuses "
                        + STATUSES + detail(o.toString()));
            }
            page.add(new Order(o.get("orderId").textValue(), status, common.get(), updatedAt.get(), o.toString()));
        }
        JsonNode next = body.get("nextCursor");
        if (next != null && !next.isNull() && !next.isTextual()) {
            return new CallOutcome.Fatal("nextCursor must be a text or null" + detail(next.toString()));
        }
        Optional<String> cursor = next == null || next.isNull() || next.textValue().isEmpty()
                ? Optional.empty() : Optional.of(next.textValue());
        return new CallOutcome.Ok(new OrderPage(page, cursor));
    }

    /**
     * The field that carries the id of a record of {@code kind} in the protocol's answers (and that an action on it names
     * in its path): {@code claimId}, {@code inquiryId}, {@code reviewId}, {@code productId}, {@code settlementId}.
     */
    public static String idField(DataKind kind) {
        return switch (kind) {
            case ORDERS -> "orderId";
            case CLAIMS -> "claimId";
            case INQUIRIES -> "inquiryId";
            case REVIEWS -> "reviewId";
            case PRODUCTS -> "productId";
            case SETTLEMENTS -> "settlementId";
        };
    }

    /**
     * A page of records of {@code kind}: each needs a text id ({@link #idField}) an action can name, one of the kind's
     * common statuses, and an ISO-8601 {@code updatedAt} (its last change, so also its {@code changedAt}); the kind's
     * common fields are taken where the record has them as plain values.
     */
    private MarketAnswer recordPage(DataKind kind, Optional<JsonNode> parsed, String raw) {
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            return new CallOutcome.Fatal("the body is not a JSON object" + detail(raw));
        }
        JsonNode body = parsed.get();
        String name = kind.configName();
        JsonNode list = body.get(name);
        if (list == null || !list.isArray()) {
            return new CallOutcome.Fatal("the body has no '" + name + "' list" + detail(raw));
        }
        String idField = idField(kind);
        List<MarketRecord> page = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            Optional<Instant> updatedAt = instant(r.path("updatedAt").asText(""));
            if (!r.path(idField).isTextual() || !r.path("status").isTextual() || updatedAt.isEmpty()) {
                return new CallOutcome.Fatal(name + "[" + i + "] needs a text " + idField + " and status and an ISO-8601 updatedAt"
                        + detail(r.toString()));
            }
            String id = r.get(idField).textValue();
            if (!MarketAction.ID.matcher(id).matches()) {
                return new CallOutcome.Fatal(name + "[" + i + "]." + idField + " '" + id + "' is not an id an action can name"
                        + " (letters, digits, '_', '.', '@' or '-', at most 128)" + detail(r.toString()));
            }
            String status = r.get("status").textValue();
            Optional<RecordStatus> common = kind.statuses().stream().filter(st -> st.name().equals(status)).findFirst();
            if (common.isEmpty()) {
                return new CallOutcome.Fatal(name + "[" + i + "].status '" + status + "' is not one of the protocol's statuses of "
                        + name + " " + kind.statuses() + detail(r.toString()));
            }
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            for (String field : kind.fields()) {
                JsonNode value = r.get(field);
                if (value != null && value.isValueNode() && !value.isNull()) {
                    fields.put(field, value.asText());
                }
            }
            page.add(new MarketRecord(kind, id, status, common.get(), updatedAt.get(), updatedAt.get(), fields, r.toString()));
        }
        Optional<Optional<String>> cursor = nextCursor(body);
        if (cursor.isEmpty()) {
            return new CallOutcome.Fatal("nextCursor must be a text or null" + detail(body.get("nextCursor").toString()));
        }
        return new CallOutcome.Ok(new MarketData.RecordPage(kind, page, cursor.get()));
    }

    /** The page's {@code nextCursor}: empty inside when absent, null or empty; empty outside when it is not a text. */
    private static Optional<Optional<String>> nextCursor(JsonNode body) {
        JsonNode next = body.get("nextCursor");
        if (next != null && !next.isNull() && !next.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(next == null || next.isNull() || next.textValue().isEmpty()
                ? Optional.empty() : Optional.of(next.textValue()));
    }

    /** Retry-After in seconds, or as an HTTP-date; empty when absent or unreadable. */
    private Optional<Duration> retryAfter(HttpResponse<String> response) {
        Optional<String> header = response.headers().firstValue("Retry-After").map(String::strip);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.get());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(header.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
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

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** ": <excerpt>" of what the market said, with the API key masked; empty for an empty body. */
    private String detail(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        return ": " + mask(text.strip());
    }

    /** {@code text} with the API key masked, cut to an excerpt. */
    private String mask(String text) {
        String excerpt = text.replace(apiKey, "****");
        return excerpt.length() > EXCERPT ? excerpt.substring(0, EXCERPT) + "…" : excerpt;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
