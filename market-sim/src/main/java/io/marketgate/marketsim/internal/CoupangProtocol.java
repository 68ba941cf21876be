package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.marketsim.CoupangCredentials;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.SellerCredentials;
import io.marketgate.marketsim.Shipment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Coupang Wing's Open API as its gateway and the order APIs answer (market-protocols.md section 1).
 *
 * <p>The gateway's checks, in order: route (404/405) → {@code Authorization: CEA algorithm=HmacSHA256,
 * access-key=…, signed-date=…, signature=…} (spaces after the commas optional): no such header or no access key →
 * 401 {@code HMAC format is invalid.}; an unknown access key → 401 {@code Unknown error occurred, …}; a missing
 * field or a signed-date not {@code yyMMdd'T'HHmmss'Z'} → {@code HMAC format is invalid.}; a signed-date more than
 * five minutes from the market's clock → {@code Specified signature is expired.}; a signature other than the
 * lowercase hex HMAC-SHA256 of {@code signedDate + METHOD + path + query} (path after the market's prefix, query
 * exactly as sent) → {@code Invalid signature.}; a vendorId in the path that is not the key's →
 * {@code Request is not authorized.}. Then the engine's IP allow-list (403 {@code [FORBIDDEN] Not allowed IP}),
 * penalty block and budgets (429 {@code Too Many Requests}). Gateway refusals have the body
 * {@code {"code":"ERROR","message":…,"transactionId":…}}.
 */
public final class CoupangProtocol implements MarketProtocol {

    static final Duration SIGNATURE_WINDOW = Duration.ofMinutes(5);
    static final int MAX_PER_PAGE = 50;
    static final long MAX_DAYS = 31;
    static final Duration MAX_TIME_FRAME = Duration.ofHours(24);
    static final ZoneOffset KST = ZoneOffset.ofHours(9);
    static final Set<String> STATUSES = Set.of("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "NONE_TRACKING");

    private static final DateTimeFormatter SIGNED_DATE = DateTimeFormatter.ofPattern("uuMMdd'T'HHmmss'Z'")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SECOND_T = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter SECOND_T_STRICT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SECOND_SPACE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final Map<String, String> COURIERS = Map.of("CJGLS", "CJ 대한통운", "HANJIN", "한진택배", "HYUNDAI", "롯데택배",
            "EPOST", "우체국", "KDEXP", "경동택배", "ILYANG", "일양택배", "DIRECT", "업체직송");
    private static final String PREFIX = "v2/providers/openapi/apis/api/v4/vendors";
    private static final String SELLER_API = "v2/providers/seller_api/apis/api/v1/marketplace";
    private static final String REVENUE = "v2/providers/openapi/apis/api/v1/revenue-history";

    /**
     * @param vendorId the vendor the path names; null for the seller-product and revenue APIs, whose vendor is the
     *     key's (and their {@code vendorId} query parameter, when they take one)
     * @param shipmentBoxId the shipment box (order APIs) or the record's number (claims, inquiries, options)
     * @param rest the path after the vendor (or after the API's own prefix), for the record APIs
     */
    private record Route(Endpoint endpoint, String vendorId, String shipmentBoxId, String method, List<String> rest) {
        Route(Endpoint endpoint, String vendorId, String shipmentBoxId, String method) {
            this(endpoint, vendorId, shipmentBoxId, method, List.of());
        }
    }

    private record Context(Route route, CoupangCredentials vendor) {}

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;
    private final Map<String, CoupangCredentials> byAccessKey = new HashMap<>();
    /** Orders acknowledged (ACCEPT → INSTRUCT), by order id. */
    private final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Return requests approved after the warehouse confirmed them (VENDOR_WAREHOUSE_CONFIRM → RETURNS_COMPLETED). */
    private final Set<String> approved = java.util.concurrent.ConcurrentHashMap.newKeySet();

    CoupangProtocol(MarketConfig config, OrderBook orders, ShipmentLedger ledger, RecordBook records,
            List<SellerCredentials> credentials) {
        this.records = records;
        this.config = config;
        this.orders = orders;
        this.ledger = ledger;
        credentials.forEach(c -> byAccessKey.put(((CoupangCredentials) c).accessKey(), (CoupangCredentials) c));
    }

    // ---- gateway ----

    @Override
    public Call identify(SimRequest req, Stamp stamp) {
        Route route = route(req.segments());
        if (route.endpoint() == Endpoint.UNKNOWN) {
            return Call.rejected(Endpoint.UNKNOWN, null, false, null, gatewayError(404, "Not Found", stamp), Outcome.NOT_FOUND);
        }
        if (!route.method().equals(req.method())) {
            return Call.rejected(route.endpoint(), null, false, null,
                    gatewayError(405, "Method Not Allowed", stamp).header("Allow", route.method()), Outcome.METHOD_NOT_ALLOWED);
        }
        String header = req.header("Authorization");
        Map<String, String> fields = authorizationFields(header);
        String accessKey = fields == null ? null : fields.get("access-key");
        if (accessKey == null || accessKey.isEmpty()) {
            return unauthorized(route, accessKey, false, null, "HMAC format is invalid.", stamp);
        }
        CoupangCredentials vendor = byAccessKey.get(accessKey);
        if (vendor == null) {
            return unauthorized(route, accessKey, false, null,
                    "Unknown error occurred, please contact api-gateway channel for the details.", stamp);
        }
        String signedDate = fields.get("signed-date");
        String signature = fields.get("signature");
        if (!"HmacSHA256".equals(fields.get("algorithm")) || signedDate == null || signature == null) {
            return unauthorized(route, accessKey, false, vendor.sellerId(), "HMAC format is invalid.", stamp);
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(signedDate, SIGNED_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return unauthorized(route, accessKey, false, vendor.sellerId(), "HMAC format is invalid.", stamp);
        }
        long skew = Math.abs(signedAt.toEpochMilli() - stamp.millis());
        if (skew > SIGNATURE_WINDOW.toMillis()) {
            return unauthorized(route, accessKey, false, vendor.sellerId(), "Specified signature is expired.", stamp);
        }
        String message = signedDate + req.method() + req.marketPath() + (req.rawQuery() == null ? "" : req.rawQuery());
        if (!MessageDigest.isEqual(hmacHex(vendor.secretKey(), message).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.UTF_8))) {
            return unauthorized(route, accessKey, false, vendor.sellerId(), "Invalid signature.", stamp);
        }
        String named = route.vendorId() != null ? route.vendorId() : req.query().getOrDefault("vendorId", vendor.vendorId());
        if (!vendor.vendorId().equals(named)) {
            // the key is genuine, so the call counts against its vendor's budget
            return unauthorized(route, accessKey, true, vendor.sellerId(), "Request is not authorized.", stamp);
        }
        String box = route.endpoint() == Endpoint.CREATE_SHIPMENT ? firstBoxOf(req.body()) : route.shipmentBoxId();
        if (route.endpoint() == Endpoint.CONFIRM_CLAIM || route.endpoint() == Endpoint.REJECT_CLAIM
                || route.endpoint() == Endpoint.ANSWER_INQUIRY || route.endpoint() == Endpoint.CHANGE_PRICE
                || route.endpoint() == Endpoint.CHANGE_STOCK || route.endpoint() == Endpoint.CHANGE_SALE_STATUS) {
            box = route.shipmentBoxId(); // the record acted on, for the arrival record
        }
        return Call.admitted(route.endpoint(), accessKey, vendor.sellerId(), box, new Context(route, vendor));
    }

    /** The shipment box an invoice upload names first, for its arrival record; null when the body does not say. */
    private static String firstBoxOf(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode box = Json.MAPPER.readTree(body).path("orderSheetInvoiceApplyDtos")
                    .path(0).path("shipmentBoxId");
            return box.isNumber() || box.isTextual() ? box.asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null; // the endpoint answers the malformed body itself
        }
    }

    /** Lowercase hex HMAC-SHA256 of {@code message} keyed with the UTF-8 bytes of {@code secretKey}. */
    static String hmacHex(String secretKey, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The {@code key=value} fields of a {@code CEA} header, or null when it is not one. */
    static Map<String, String> authorizationFields(String header) {
        if (header == null || !header.startsWith("CEA ")) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : header.substring(4).split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            fields.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return fields;
    }

    private static Route route(List<String> s) {
        String joined = String.join("/", s);
        if (joined.equals(REVENUE)) {
            return new Route(Endpoint.LIST_SETTLEMENTS, null, null, "GET");
        }
        if (joined.startsWith(SELLER_API + "/")) {
            List<String> rest = s.subList(SELLER_API.split("/").length, s.size());
            if (rest.equals(List.of("seller-products"))) {
                return new Route(Endpoint.LIST_PRODUCTS, null, null, "GET", rest);
            }
            if (rest.size() == 4 && rest.get(0).equals("vendor-items") && rest.get(2).equals("prices")) {
                return new Route(Endpoint.CHANGE_PRICE, null, rest.get(1), "PUT", rest);
            }
            if (rest.size() == 4 && rest.get(0).equals("vendor-items") && rest.get(2).equals("quantities")) {
                return new Route(Endpoint.CHANGE_STOCK, null, rest.get(1), "PUT", rest);
            }
            if (rest.size() == 4 && rest.get(0).equals("vendor-items") && rest.get(2).equals("sales")
                    && Set.of("resume", "stop").contains(rest.get(3))) {
                return new Route(Endpoint.CHANGE_SALE_STATUS, null, rest.get(1), "PUT", rest);
            }
            return new Route(Endpoint.UNKNOWN, null, null, null);
        }
        String[] prefix = PREFIX.split("/");
        if (s.size() < prefix.length + 2) {
            return new Route(Endpoint.UNKNOWN, null, null, null);
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!s.get(i).equals(prefix[i])) {
                return new Route(Endpoint.UNKNOWN, null, null, null);
            }
        }
        String vendorId = s.get(prefix.length);
        List<String> rest = s.subList(prefix.length + 1, s.size());
        if (rest.equals(List.of("ordersheets"))) {
            return new Route(Endpoint.LIST_ORDERS, vendorId, null, "GET");
        }
        if (rest.equals(List.of("ordersheets", "acknowledgement"))) {
            return new Route(Endpoint.ACKNOWLEDGE_ORDER, vendorId, null, "PUT", rest);
        }
        if (rest.equals(List.of("returnRequests")) || rest.equals(List.of("exchangeRequests"))) {
            return new Route(Endpoint.LIST_CLAIMS, vendorId, null, "GET", rest);
        }
        if (rest.size() == 2 && rest.get(0).equals("returnRequests")) {
            return new Route(Endpoint.LIST_CLAIMS, vendorId, rest.get(1), "GET", rest);
        }
        if (rest.size() == 3 && rest.get(0).equals("returnRequests")
                && Set.of("stoppedShipment", "receiveConfirmation", "approval").contains(rest.get(2))) {
            return new Route(Endpoint.CONFIRM_CLAIM, vendorId, rest.get(1), "PUT", rest);
        }
        if (rest.size() == 3 && rest.get(0).equals("exchangeRequests") && rest.get(2).equals("receiveConfirmation")) {
            return new Route(Endpoint.CONFIRM_CLAIM, vendorId, rest.get(1), "PUT", rest);
        }
        if (rest.size() == 3 && rest.get(0).equals("exchangeRequests") && rest.get(2).equals("rejection")) {
            return new Route(Endpoint.REJECT_CLAIM, vendorId, rest.get(1), "PUT", rest);
        }
        if (rest.equals(List.of("onlineInquiries"))) {
            return new Route(Endpoint.LIST_INQUIRIES, vendorId, null, "GET", rest);
        }
        if (rest.size() == 3 && rest.get(0).equals("onlineInquiries") && rest.get(2).equals("replies")) {
            return new Route(Endpoint.ANSWER_INQUIRY, vendorId, rest.get(1), "POST", rest);
        }
        if (rest.size() == 2 && rest.get(0).equals("ordersheets")) {
            return new Route(Endpoint.GET_ORDER, vendorId, rest.get(1), "GET");
        }
        if (rest.equals(List.of("orders", "invoices"))) {
            return new Route(Endpoint.CREATE_SHIPMENT, vendorId, null, "POST");
        }
        return new Route(Endpoint.UNKNOWN, null, null, null);
    }

    private Call unauthorized(Route route, String accessKey, boolean authenticated, String sellerId, String message, Stamp stamp) {
        return Call.rejected(route.endpoint(), accessKey, authenticated, sellerId, gatewayError(401, message, stamp),
                Outcome.UNAUTHORIZED);
    }

    private SimResponse gatewayError(int status, String message, Stamp stamp) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", "ERROR").put("message", message)
                .put("transactionId", transactionId(stamp));
        return SimResponse.of(status, body).header("Content-Type", "application/json;charset=UTF-8");
    }

    private String transactionId(Stamp stamp) {
        return new UUID(OrderBook.mix(config.seed() ^ stamp.sequence()), OrderBook.mix(stamp.sequence())).toString();
    }

    @Override
    public SimResponse ipNotAllowed(Call call, String source, Stamp stamp) {
        return gatewayError(403, "[FORBIDDEN] Not allowed IP", stamp);
    }

    @Override
    public SimResponse throttled(Call call, Throttling throttling, Stamp stamp) {
        return gatewayError(429, "Too Many Requests", stamp);
    }

    @Override
    public SimResponse serverError(Call call, int status, Stamp stamp) {
        String message = switch (status) {
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Internal Server Error";
        };
        return gatewayError(status, message, stamp);
    }

    // ---- order APIs ----

    @Override
    public Served serve(SimRequest req, Call call, Stamp stamp) {
        Context ctx = (Context) call.context();
        return switch (call.endpoint()) {
            case LIST_ORDERS -> listOrderSheets(req, ctx);
            case GET_ORDER -> getOrderSheet(ctx);
            case CREATE_SHIPMENT -> uploadInvoices(req, ctx, stamp);
            case ACKNOWLEDGE_ORDER -> acknowledge(req, ctx);
            case LIST_CLAIMS -> ctx.route().rest().get(0).equals("exchangeRequests") ? listExchanges(req, ctx)
                    : ctx.route().shipmentBoxId() != null ? getReturn(ctx) : listReturns(req, ctx);
            case CONFIRM_CLAIM -> ctx.route().rest().get(0).equals("exchangeRequests") ? decideExchange(req, ctx, true)
                    : confirmReturn(req, ctx);
            case REJECT_CLAIM -> decideExchange(req, ctx, false);
            case LIST_INQUIRIES -> listInquiries(req, ctx);
            case ANSWER_INQUIRY -> answerInquiry(req, ctx);
            case LIST_PRODUCTS -> listProducts(req, ctx, stamp);
            case CHANGE_PRICE, CHANGE_STOCK, CHANGE_SALE_STATUS -> changeOption(req, ctx);
            case LIST_SETTLEMENTS -> revenueHistory(req, ctx, stamp);
            default -> new Served(gatewayError(404, "Not Found", stamp), Outcome.NOT_FOUND);
        };
    }

    private static Served validation(String error) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 400).put("message", "[code: VALIDATION , error : " + error + "]");
        return new Served(SimResponse.of(400, body).header("Content-Type", "application/json;charset=UTF-8"), Outcome.BAD_REQUEST);
    }

    private static Served ok(ObjectNode body) {
        return new Served(SimResponse.of(200, body).header("Content-Type", "application/json;charset=UTF-8"), Outcome.OK);
    }

    private Served listOrderSheets(SimRequest req, Context ctx) {
        Map<String, String> q = req.query();
        String status = q.get("status");
        if (status == null || status.isEmpty()) {
            return validation("status is required: one of " + STATUSES.stream().sorted().toList());
        }
        if (!STATUSES.contains(status)) {
            return validation("status '" + status + "' is not one of " + STATUSES.stream().sorted().toList()
                    + " (one status per call)");
        }
        boolean timeFrame = "timeFrame".equals(q.get("searchType"));
        String fromText = q.get("createdAtFrom");
        String toText = q.get("createdAtTo");
        if (fromText == null || toText == null) {
            return validation((fromText == null ? "createdAtFrom" : "createdAtTo") + " is required ("
                    + (timeFrame ? "yyyy-MM-ddTHH:mm" : "yyyy-MM-dd") + ", KST)");
        }
        String seller = ctx.vendor().sellerId();
        Instant from;
        Instant to;
        if (timeFrame) {
            Optional<LocalDateTime> f = minute(fromText);
            Optional<LocalDateTime> t = minute(toText);
            if (f.isEmpty() || t.isEmpty()) {
                return validation((f.isEmpty() ? "createdAtFrom '" + fromText : "createdAtTo '" + toText)
                        + "' is not yyyy-MM-ddTHH:mm (searchType=timeFrame)");
            }
            from = f.get().toInstant(KST);
            to = t.get().toInstant(KST);
            if (!to.isAfter(from)) {
                return validation("createdAtTo (" + toText + ") must be after createdAtFrom (" + fromText + ")");
            }
            if (Duration.between(from, to).compareTo(MAX_TIME_FRAME) > 0) {
                return validation("createdAtFrom and createdAtTo may be at most 24 hours apart with searchType=timeFrame");
            }
            ObjectNode body = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
            ArrayNode data = body.putArray("data");
            orders.page(seller, from, to, null, Integer.MAX_VALUE, o -> status.equals(effective(o)))
                    .forEach(o -> data.add(sheet(o, Optional.empty())));
            body.put("nextToken", "");
            return ok(body);
        }
        Optional<LocalDate> f = day(fromText);
        Optional<LocalDate> t = day(toText);
        if (f.isEmpty() || t.isEmpty()) {
            return validation((f.isEmpty() ? "createdAtFrom '" + fromText : "createdAtTo '" + toText) + "' is not yyyy-MM-dd");
        }
        if (t.get().isBefore(f.get())) {
            return validation("createdAtTo (" + toText + ") must not be before createdAtFrom (" + fromText + ")");
        }
        if (ChronoUnit.DAYS.between(f.get(), t.get()) > MAX_DAYS) {
            return validation("createdAtFrom and createdAtTo may be at most " + MAX_DAYS + " days apart");
        }
        from = f.get().atStartOfDay().toInstant(KST);
        to = t.get().plusDays(1).atStartOfDay().toInstant(KST);
        int maxPerPage = MAX_PER_PAGE;
        if (q.containsKey("maxPerPage")) {
            try {
                maxPerPage = Integer.parseInt(q.get("maxPerPage"));
            } catch (NumberFormatException e) {
                maxPerPage = -1;
            }
            if (maxPerPage < 1 || maxPerPage > MAX_PER_PAGE) {
                return validation("maxPerPage must be a whole number from 1 to " + MAX_PER_PAGE + ", got '" + q.get("maxPerPage") + "'");
            }
        }
        OrderBook.CursorKey after = null;
        String nextToken = q.get("nextToken");
        if (nextToken != null && !nextToken.isEmpty()) {
            Optional<Order> last = orders.find(seller, orderIdOfBox(nextToken));
            if (last.isEmpty()) {
                return validation("nextToken '" + nextToken + "' was not issued for vendor " + ctx.vendor().vendorId());
            }
            after = OrderBook.CursorKey.after(last.get());
        }
        List<Order> page = orders.page(seller, from, to, after, maxPerPage + 1, o -> status.equals(effective(o)));
        boolean more = page.size() > maxPerPage;
        List<Order> shown = more ? page.subList(0, maxPerPage) : page;
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
        ArrayNode data = body.putArray("data");
        shown.forEach(o -> data.add(sheet(o, Optional.empty())));
        body.put("nextToken", more ? shipmentBoxId(shown.get(shown.size() - 1)) : "");
        return ok(body);
    }

    private Served getOrderSheet(Context ctx) {
        String seller = ctx.vendor().sellerId();
        Optional<Order> order = orders.find(seller, orderIdOfBox(ctx.route().shipmentBoxId()));
        if (order.isEmpty()) {
            ObjectNode body = Json.MAPPER.createObjectNode().put("code", 404)
                    .put("message", "shipmentBoxId " + ctx.route().shipmentBoxId() + " is not an ordersheet of vendor "
                            + ctx.vendor().vendorId());
            return new Served(SimResponse.of(404, body).header("Content-Type", "application/json;charset=UTF-8"), Outcome.NOT_FOUND);
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
        body.set("data", sheet(order.get(), ledger.find(seller, order.get().orderId())));
        return ok(body);
    }

    private Served uploadInvoices(SimRequest req, Context ctx, Stamp stamp) {
        JsonNode body;
        try {
            body = req.body().length == 0 ? null : Json.MAPPER.readTree(req.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return validation("the body must be a JSON object {vendorId, orderSheetInvoiceApplyDtos:[…]}");
        }
        JsonNode vendorId = body.get("vendorId");
        if (vendorId == null || !vendorId.isTextual() || !vendorId.asText().equals(ctx.vendor().vendorId())) {
            return validation("vendorId must be the path's vendorId " + ctx.vendor().vendorId());
        }
        JsonNode dtos = body.get("orderSheetInvoiceApplyDtos");
        if (dtos == null || !dtos.isArray() || dtos.isEmpty()) {
            return validation("orderSheetInvoiceApplyDtos is required and must be a non-empty array");
        }
        Map<Long, List<JsonNode>> boxes = new LinkedHashMap<>();
        for (int i = 0; i < dtos.size(); i++) {
            JsonNode dto = dtos.get(i);
            String at = "orderSheetInvoiceApplyDtos[" + i + "].";
            for (String field : List.of("shipmentBoxId", "orderId", "vendorItemId")) {
                if (dto.get(field) == null || !dto.get(field).canConvertToLong() || !dto.get(field).isIntegralNumber()) {
                    return validation(at + field + " is required and must be a number");
                }
            }
            for (String field : List.of("deliveryCompanyCode", "invoiceNumber")) {
                if (dto.get(field) == null || !dto.get(field).isTextual() || dto.get(field).asText().isBlank()) {
                    return validation(at + field + " is required and must be a non-blank string");
                }
            }
            for (String field : List.of("splitShipping", "preSplitShipped")) {
                if (dto.get(field) == null || !(dto.get(field).isBoolean() || dto.get(field).isTextual())) {
                    return validation(at + field + " is required (true or false)");
                }
            }
            boxes.computeIfAbsent(dto.get("shipmentBoxId").asLong(), k -> new ArrayList<>()).add(dto);
        }
        String seller = ctx.vendor().sellerId();
        ObjectNode out = Json.MAPPER.createObjectNode().put("code", "200").put("message", "OK");
        ObjectNode data = out.putObject("data");
        ArrayNode results = Json.MAPPER.createArrayNode();
        int succeeded = 0;
        int alreadyShipped = 0;
        for (Map.Entry<Long, List<JsonNode>> box : boxes.entrySet()) {
            long boxId = box.getKey();
            JsonNode first = box.getValue().get(0);
            Optional<Order> order = orders.find(seller, orderIdOfBox(Long.toString(boxId)));
            String code;
            String message = null;
            if (order.isEmpty() || box.getValue().stream().anyMatch(d -> !Long.toString(d.get("orderId").asLong()).equals(order.get().orderId()))) {
                code = "NOT_FOUND_SHIPMENT_BOX";
                message = "shipmentBoxId (" + boxId + ") is not an ordersheet of vendor " + ctx.vendor().vendorId()
                        + " with orderId " + first.get("orderId").asLong();
            } else if (box.getValue().stream().anyMatch(d -> !vendorItemIds(order.get()).contains(d.get("vendorItemId").asLong()))) {
                code = "NOT_FOUND_VENDOR_ITEM";
                message = "vendorItemId is not an item of shipmentBoxId (" + boxId + "): " + vendorItemIds(order.get());
            } else {
                Optional<Shipment> shipped = ledger.find(seller, order.get().orderId());
                String current = shipped.isPresent() ? "DEPARTURE" : effective(order.get());
                String tracking = first.get("invoiceNumber").asText();
                if (!current.equals("INSTRUCT")) {
                    code = "INVALID_STATUS";
                    message = "shipmentBoxId (" + boxId + ")'s status [" + current + "] is not suitable for applyInvoice. "
                            + "Only INSTRUCT status shipment can be called with applyInvoice";
                    if (shipped.isPresent()) {
                        alreadyShipped++;
                    }
                } else if (ledger.trackingNumberUsed(seller, tracking)) {
                    code = "NOT_ALLOW_INVOICE_NUMBER_RE_UPLOAD";
                    message = "invoiceNumber " + tracking + " is already registered for another shipment";
                } else if (ledger.record(seller, order.get().orderId(), first.get("deliveryCompanyCode").asText(), tracking,
                        stamp.nanos()).isPresent()) {
                    code = "OK";
                    succeeded++;
                } else {
                    // shipped by a concurrent request between the check and now
                    code = "INVALID_STATUS";
                    message = "shipmentBoxId (" + boxId + ")'s status [DEPARTURE] is not suitable for applyInvoice. "
                            + "Only INSTRUCT status shipment can be called with applyInvoice";
                    alreadyShipped++;
                }
            }
            ObjectNode r = results.addObject().put("shipmentBoxId", boxId).put("succeed", code.equals("OK")).put("resultCode", code)
                    .put("retryRequired", false);
            if (message == null) {
                r.putNull("resultMessage");
            } else {
                r.put("resultMessage", message);
            }
        }
        int total = boxes.size();
        data.put("responseCode", succeeded == total ? 0 : succeeded == 0 ? 99 : 1);
        data.put("responseMessage", succeeded == total ? "SUCCESS" : succeeded == 0 ? "FAILED" : "PARTIAL_ERROR");
        data.set("responseList", results);
        Outcome outcome = succeeded > 0 ? Outcome.CREATED : alreadyShipped == total ? Outcome.DUPLICATE : Outcome.OK;
        return new Served(SimResponse.of(200, out).header("Content-Type", "application/json;charset=UTF-8"), outcome);
    }

    @Override
    public void reset() {
        acknowledged.clear();
        approved.clear();
    }

    /** An order's status now: a generated ACCEPT order that was acknowledged is INSTRUCT. */
    private String effective(Order o) {
        return o.status().equals("ACCEPT") && acknowledged.contains(o.orderId()) ? "INSTRUCT" : o.status();
    }

    // ---- acknowledgement (ACCEPT → INSTRUCT) ----

    private Served acknowledge(SimRequest req, Context ctx) {
        Optional<JsonNode> body = jsonBody(req);
        if (body.isEmpty() || !body.get().isObject()) {
            return validation("the body must be a JSON object {vendorId, shipmentBoxIds:[…]}");
        }
        if (!ctx.vendor().vendorId().equals(body.get().path("vendorId").asText(null))) {
            return validation("vendorId must be the path's vendorId " + ctx.vendor().vendorId());
        }
        JsonNode boxes = body.get().get("shipmentBoxIds");
        if (boxes == null || !boxes.isArray() || boxes.isEmpty() || boxes.size() > MAX_PER_PAGE) {
            return validation("shipmentBoxIds is required: 1 to " + MAX_PER_PAGE + " shipment box numbers");
        }
        String seller = ctx.vendor().sellerId();
        ObjectNode out = Json.MAPPER.createObjectNode().put("code", "200").put("message", "OK");
        ObjectNode data = out.putObject("data");
        data.put("responseKey", OrderBook.mix(boxes.toString().hashCode()));
        ArrayNode results = Json.MAPPER.createArrayNode();
        int succeeded = 0;
        for (JsonNode box : boxes) {
            if (!box.canConvertToLong() || !box.isIntegralNumber()) {
                return validation("shipmentBoxIds must be numbers, got " + box);
            }
            Optional<Order> order = orders.find(seller, orderIdOfBox(box.asText()));
            ObjectNode r = results.addObject().put("shipmentBoxId", box.asLong());
            if (order.isEmpty()) {
                r.put("succeed", false).put("resultCode", "NOT_FOUND_SHIPMENT_BOX").put("retryRequired", false)
                        .put("resultMessage", "shipmentBoxId (" + box.asText() + ") is not found.");
            } else if (effective(order.get()).equals("ACCEPT") && ledger.find(seller, order.get().orderId()).isEmpty()) {
                acknowledged.add(order.get().orderId());
                succeeded++;
                r.put("succeed", true).put("resultCode", "OK").put("retryRequired", false).put("resultMessage", "request succeeded.");
            } else {
                // Coupang's documented answer for a box not in ACCEPT (or with a refund under way)
                r.put("succeed", false).put("resultCode", "FAIL").put("retryRequired", false)
                        .put("resultMessage", "배송상태를 변경할 수 없습니다. 주문내역을 확인해주세요.");
            }
        }
        int total = boxes.size();
        data.put("responseCode", succeeded == total ? 0 : succeeded == 0 ? 99 : 1);
        data.put("responseMessage", "apply instructStatus result - " + (succeeded == total ? "All succeeded." : succeeded == 0
                ? "All Failed." : "Partial errors."));
        data.set("responseList", results);
        return new Served(SimResponse.of(200, out).header("Content-Type", "application/json;charset=UTF-8"),
                succeeded > 0 ? Outcome.OK : Outcome.DUPLICATE);
    }

    // ---- claims: return/cancel requests and exchange requests ----

    /** The return-API status filters and the receipt statuses each shows (UC: received, and confirmed at the warehouse). */
    private static final Map<String, Set<String>> RETURN_FILTERS = Map.of("RU", Set.of("RELEASE_STOP_UNCHECKED"),
            "UC", Set.of("RETURNS_UNCHECKED", "VENDOR_WAREHOUSE_CONFIRM"), "CC", Set.of("RETURNS_COMPLETED"),
            "PR", Set.of("REQUEST_COUPANG_CHECK"));

    /**
     * How a claim of the book is rendered: an exchange when it is one (and every rejected or withdrawn claim, since
     * Coupang rejects and withdraws only exchanges through its API), a cancel or a return request otherwise.
     */
    private static String claimApi(RecordBook.SimRecord r) {
        String type = r.attrs().getOrDefault("claimType", "RETURN");
        return type.equals("EXCHANGE") || r.state().equals("REJECTED") || r.state().equals("WITHDRAWN") ? "EXCHANGE" : type;
    }

    private String receiptStatus(RecordBook.SimRecord r) {
        return switch (r.state()) {
            case "REQUESTED" -> claimApi(r).equals("CANCEL") ? "RELEASE_STOP_UNCHECKED" : "RETURNS_UNCHECKED";
            case "IN_PROGRESS" -> approved.contains(r.id()) ? "RETURNS_COMPLETED" : "VENDOR_WAREHOUSE_CONFIRM";
            default -> "RETURNS_COMPLETED";
        };
    }

    private static String exchangeStatus(RecordBook.SimRecord r) {
        return switch (r.state()) {
            case "REQUESTED" -> "RECEIPT";
            case "IN_PROGRESS" -> "PROGRESS";
            case "COMPLETED" -> "SUCCESS";
            case "REJECTED" -> "REJECT";
            default -> "CANCEL";
        };
    }

    private Served listReturns(SimRequest req, Context ctx) {
        Map<String, String> q = req.query();
        if (!"timeFrame".equals(q.get("searchType"))) {
            return validation("searchType=timeFrame is required (this simulator serves the minute search)");
        }
        for (String unsupported : List.of("nextToken", "maxPerPage", "orderId")) {
            if (q.containsKey(unsupported)) {
                return validation(unsupported + " is not supported with searchType=timeFrame");
            }
        }
        String status = q.get("status");
        boolean cancels = "CANCEL".equals(q.get("cancelType"));
        if (q.containsKey("cancelType") && !cancels && !"RETURN".equals(q.get("cancelType"))) {
            return validation("cancelType '" + q.get("cancelType") + "' must be RETURN or CANCEL");
        }
        if (cancels && status != null) {
            return validation("status must be left out with cancelType=CANCEL");
        }
        if (!cancels && (status == null || !RETURN_FILTERS.containsKey(status))) {
            return validation("status is required (one of " + RETURN_FILTERS.keySet().stream().sorted().toList() + ") unless cancelType=CANCEL");
        }
        Optional<Instant[]> range = minuteRange(q, Duration.ofDays(MAX_DAYS));
        if (range.isEmpty()) {
            return rangeError(q, "yyyy-MM-ddTHH:mm", MAX_DAYS + " days");
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
        ArrayNode data = body.putArray("data");
        for (RecordBook.SimRecord r : records.between(ctx.vendor().sellerId(), RecordBook.Kind.CLAIMS, range.get()[0], range.get()[1])) {
            String api = claimApi(r);
            if (cancels ? api.equals("CANCEL") : api.equals("RETURN") && RETURN_FILTERS.get(status).contains(receiptStatus(r))) {
                data.add(returnRequest(r));
            }
        }
        return ok(body);
    }

    /** A minute range {createdAtFrom, createdAtTo} of at most {@code longest}, or empty when it is not one. */
    private static Optional<Instant[]> minuteRange(Map<String, String> q, Duration longest) {
        Optional<LocalDateTime> f = q.get("createdAtFrom") == null ? Optional.empty() : minute(q.get("createdAtFrom"));
        Optional<LocalDateTime> t = q.get("createdAtTo") == null ? Optional.empty() : minute(q.get("createdAtTo"));
        if (f.isEmpty() || t.isEmpty()) {
            return Optional.empty();
        }
        Instant from = f.get().toInstant(KST);
        Instant to = t.get().toInstant(KST);
        return to.isAfter(from) && Duration.between(from, to).compareTo(longest) <= 0 ? Optional.of(new Instant[] {from, to}) : Optional.empty();
    }

    private static Served rangeError(Map<String, String> q, String format, String longest) {
        return validation("createdAtFrom and createdAtTo are required (" + format + ", KST), createdAtTo after createdAtFrom and at most "
                + longest + " after it; got '" + q.get("createdAtFrom") + "' and '" + q.get("createdAtTo") + "'");
    }

    private ObjectNode returnRequest(RecordBook.SimRecord r) {
        String api = claimApi(r);
        long orderId = Long.parseLong(r.attrs().get("orderId"));
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("receiptId", Long.parseLong(r.id()))
                .put("orderId", orderId)
                .put("paymentId", orderId + 1)
                .put("receiptType", api)
                .put("receiptStatus", receiptStatus(r))
                .put("createdAt", kst(r.createdAt(), SECOND_T))
                .put("modifiedAt", kst(r.updatedAt(), SECOND_T))
                .put("requesterName", "김*현")
                .put("requesterPhoneNumber", "0503-****-1234")
                .putNull("requesterRealPhoneNumber")
                .put("cancelReasonCategory1", "고객변심")
                .put("cancelReasonCategory2", "단순변심(사유없음)")
                .put("cancelReason", r.attrs().getOrDefault("reason", ""))
                .put("cancelCountSum", 1)
                .put("returnDeliveryId", orderId % 100_000_000L)
                .put("returnDeliveryType", "연동택배")
                .put("releaseStopStatus", api.equals("CANCEL") ? "미처리" : "비대상")
                .put("enclosePrice", 0)
                .put("faultByType", "CUSTOMER")
                .put("preRefund", false)
                .put("completeConfirmType", receiptStatus(r).equals("RETURNS_COMPLETED") ? "VENDOR_CONFIRM" : "UNDEFINED")
                .put("completeConfirmDate", receiptStatus(r).equals("RETURNS_COMPLETED") ? kst(r.updatedAt(), SECOND_T) : "");
        n.putArray("returnItems").addObject()
                .put("vendorItemId", 3_000_000_000L + orderId % 1_000_000_000L)
                .put("vendorItemName", "시뮬레이션 상품")
                .put("purchaseCount", 1)
                .put("cancelCount", 1)
                .put("shipmentBoxId", orderId % 1_000_000_000L)
                .put("sellerProductId", 80_000_000L + orderId % 10_000_000L)
                .put("sellerProductName", "시뮬레이션 상품");
        n.putArray("returnDeliveryDtos").addObject().put("deliveryCompanyCode", "CJGLS").put("deliveryInvoiceNo", "");
        n.put("reasonCode", "CHANGEMIND").put("reasonCodeText", "필요 없어짐 (단순 변심)");
        return n;
    }

    /** The return request of a path's receiptId, when it is one of the vendor's. */
    private Optional<RecordBook.SimRecord> returnOf(Context ctx) {
        return records.find(ctx.vendor().sellerId(), ctx.route().shipmentBoxId())
                .filter(r -> r.kind() == RecordBook.Kind.CLAIMS && !claimApi(r).equals("EXCHANGE"));
    }

    private Served getReturn(Context ctx) {
        Optional<RecordBook.SimRecord> r = returnOf(ctx);
        if (r.isEmpty()) {
            return noHistory(ctx);
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", "200").put("message", "OK");
        body.putArray("data").add(returnRequest(r.get()));
        return ok(body);
    }

    private Served noHistory(Context ctx) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 400)
                .put("message", "There is no history of receiptId " + ctx.route().shipmentBoxId() + " for vendor " + ctx.vendor().vendorId());
        return new Served(SimResponse.of(400, body).header("Content-Type", "application/json;charset=UTF-8"), Outcome.NOT_FOUND);
    }

    private static Served refusal(String message) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 400).put("message", message);
        return new Served(SimResponse.of(400, body).header("Content-Type", "application/json;charset=UTF-8"), Outcome.BAD_REQUEST);
    }

    /**
     * {@code stoppedShipment} (RELEASE_STOP_UNCHECKED), {@code receiveConfirmation} (RETURNS_UNCHECKED) and
     * {@code approval} (VENDOR_WAREHOUSE_CONFIRM): each only in its status, with Coupang's 400 otherwise.
     */
    private Served confirmReturn(SimRequest req, Context ctx) {
        Optional<JsonNode> body = jsonBody(req);
        String step = ctx.route().rest().get(2);
        if (body.isEmpty() || !body.get().isObject()) {
            return validation("the body must be a JSON object {vendorId, receiptId" + (step.equals("receiveConfirmation") ? "" : ", cancelCount") + "}");
        }
        JsonNode b = body.get();
        if (!ctx.vendor().vendorId().equals(b.path("vendorId").asText(null))) {
            return validation("vendorId must be the path's vendorId " + ctx.vendor().vendorId());
        }
        if (!b.path("receiptId").isIntegralNumber() || !b.get("receiptId").asText().equals(ctx.route().shipmentBoxId())) {
            return validation("receiptId must be the path's receiptId " + ctx.route().shipmentBoxId() + " as a number");
        }
        if (!step.equals("receiveConfirmation") && !b.path("cancelCount").isIntegralNumber()) {
            return validation("cancelCount is required and must be a number");
        }
        Optional<RecordBook.SimRecord> r = returnOf(ctx);
        if (r.isEmpty()) {
            return noHistory(ctx);
        }
        String status = receiptStatus(r.get());
        String expected = switch (step) {
            case "stoppedShipment" -> "RELEASE_STOP_UNCHECKED";
            case "receiveConfirmation" -> "RETURNS_UNCHECKED";
            default -> "VENDOR_WAREHOUSE_CONFIRM";
        };
        if (!status.equals(expected)) {
            return refusal(status.equals("RETURNS_COMPLETED") ? "Product is already returned. (receiptId " + r.get().id() + ")"
                    : "receiptId " + r.get().id() + " is " + status + ": " + step + " takes " + expected);
        }
        if (!step.equals("receiveConfirmation") && b.get("cancelCount").asLong() != 1) {
            return validation("cancelCount " + b.get("cancelCount").asLong() + " is not the request's cancelCountSum 1");
        }
        if (step.equals("approval")) {
            approved.add(r.get().id());
        } else {
            RecordBook.Outcome outcome = records.decideClaim(ctx.vendor().sellerId(), r.get().id(), true, null);
            if (outcome.applied() == RecordBook.Applied.REFUSED) {
                return refusal(outcome.reason());
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
        out.putObject("data").put("resultCode", "SUCCESS").put("resultMessage", step + " succeeded");
        return new Served(SimResponse.of(200, out).header("Content-Type", "application/json;charset=UTF-8"), Outcome.OK);
    }

    private Served listExchanges(SimRequest req, Context ctx) {
        Map<String, String> q = req.query();
        Optional<Instant[]> range = secondRange(q);
        if (range.isEmpty()) {
            return rangeError(q, "yyyy-MM-ddTHH:mm:ss", "7 days");
        }
        String status = q.get("status");
        if (status != null && !List.of("RECEIPT", "PROGRESS", "SUCCESS", "REJECT", "CANCEL").contains(status)) {
            return validation("status '" + status + "' must be one of RECEIPT, PROGRESS, SUCCESS, REJECT, CANCEL");
        }
        int maxPerPage = 10;
        if (q.containsKey("maxPerPage")) {
            try {
                maxPerPage = Integer.parseInt(q.get("maxPerPage"));
            } catch (NumberFormatException e) {
                maxPerPage = -1;
            }
            if (maxPerPage < 1 || maxPerPage > MAX_PER_PAGE) {
                return validation("maxPerPage must be a whole number from 1 to " + MAX_PER_PAGE + ", got '" + q.get("maxPerPage") + "'");
            }
        }
        List<RecordBook.SimRecord> all = records.between(ctx.vendor().sellerId(), RecordBook.Kind.CLAIMS, range.get()[0], range.get()[1])
                .stream().filter(r -> claimApi(r).equals("EXCHANGE") && (status == null || exchangeStatus(r).equals(status))).toList();
        int start = 0;
        String token = q.get("nextToken");
        if (token != null && !token.isEmpty()) {
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(token)) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                return validation("nextToken '" + token + "' was not issued for this search");
            }
        }
        List<RecordBook.SimRecord> shown = all.subList(start, Math.min(all.size(), start + maxPerPage));
        boolean more = start + shown.size() < all.size();
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
        ArrayNode data = body.putArray("data");
        shown.forEach(r -> data.add(exchange(r, ctx.vendor().vendorId())));
        body.put("nextToken", more ? shown.get(shown.size() - 1).id() : "");
        return ok(body);
    }

    private static Optional<Instant[]> secondRange(Map<String, String> q) {
        try {
            Instant from = LocalDateTime.parse(q.getOrDefault("createdAtFrom", ""), SECOND_T_STRICT).toInstant(KST);
            Instant to = LocalDateTime.parse(q.getOrDefault("createdAtTo", ""), SECOND_T_STRICT).toInstant(KST);
            return to.isAfter(from) && Duration.between(from, to).compareTo(Duration.ofDays(7)) <= 0
                    ? Optional.of(new Instant[] {from, to}) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode exchange(RecordBook.SimRecord r, String vendorId) {
        long orderId = Long.parseLong(r.attrs().get("orderId"));
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("exchangeId", Long.parseLong(r.id()))
                .put("orderId", orderId)
                .put("vendorId", vendorId)
                .put("orderDeliveryStatusCode", "FINAL_DELIVERY")
                .put("exchangeStatus", exchangeStatus(r))
                .put("referType", "WEB_MOBILE")
                .put("faultType", "VENDOR")
                .put("exchangeAmount", 0)
                .putNull("reason")
                .put("reasonCode", "DIFFERENTOPT")
                .put("reasonCodeText", "색상/ 사이즈가 기대와 다름")
                .put("reasonEtcDetail", r.attrs().getOrDefault("reason", ""));
        if (r.state().equals("REJECTED")) {
            n.put("cancelReason", r.attrs().getOrDefault("reason", "SOLDOUT"));
        } else {
            n.putNull("cancelReason");
        }
        n.put("createdByType", "CUSTOMER").put("createdAt", kst(r.createdAt(), SECOND_T))
                .put("modifiedByType", "VENDOR").put("modifiedAt", kst(r.updatedAt(), SECOND_T));
        n.putArray("exchangeItemDtoV1s").addObject().put("exchangeItemId", orderId % 10_000_000L)
                .put("orderItemId", 3_000_000_000L + orderId % 1_000_000_000L).put("quantity", 1)
                .put("originalShipmentBoxId", orderId % 1_000_000_000L);
        n.put("exchangeStatusLabel", exchangeStatus(r)).put("rejectable", r.state().equals("REQUESTED"));
        return n;
    }

    /**
     * An exchange's receive confirmation ({@code approve}) or rejection: Coupang answers
     * {@code data.resultCode} SUCCESS or FAIL with its message; the same decision again is a success (counted as a
     * repeat by the record book).
     */
    private Served decideExchange(SimRequest req, Context ctx, boolean approve) {
        Optional<JsonNode> body = jsonBody(req);
        if (body.isEmpty() || !body.get().isObject()) {
            return validation("the body must be a JSON object {exchangeId, vendorId" + (approve ? "" : ", exchangeRejectCode") + "}");
        }
        JsonNode b = body.get();
        if (!ctx.vendor().vendorId().equals(b.path("vendorId").asText(null))) {
            return validation("vendorId must be the path's vendorId " + ctx.vendor().vendorId());
        }
        if (!b.path("exchangeId").isIntegralNumber() || !b.get("exchangeId").asText().equals(ctx.route().shipmentBoxId())) {
            return validation("exchangeId must be the path's exchangeId " + ctx.route().shipmentBoxId() + " as a number");
        }
        String code = b.path("exchangeRejectCode").asText("");
        if (!approve && !List.of("SOLDOUT", "WITHDRAW").contains(code)) {
            return validation("exchangeRejectCode must be SOLDOUT or WITHDRAW, got '" + code + "'");
        }
        Optional<RecordBook.SimRecord> r = records.find(ctx.vendor().sellerId(), ctx.route().shipmentBoxId())
                .filter(x -> x.kind() == RecordBook.Kind.CLAIMS && claimApi(x).equals("EXCHANGE"));
        if (r.isEmpty()) {
            return refusal("exchangeId " + ctx.route().shipmentBoxId() + " is not an exchange request of vendor " + ctx.vendor().vendorId());
        }
        RecordBook.Outcome outcome = records.decideClaim(ctx.vendor().sellerId(), r.get().id(), approve, approve ? null : code);
        ObjectNode out = Json.MAPPER.createObjectNode().put("code", "200").put("message", "SUCCESS");
        ObjectNode data = out.putObject("data");
        boolean refused = outcome.applied() == RecordBook.Applied.REFUSED;
        data.put("resultCode", refused ? "FAIL" : "SUCCESS").put("resultMessage", refused ? outcome.reason() : "요청 처리완료");
        Outcome counted = refused ? Outcome.BAD_REQUEST : outcome.applied() == RecordBook.Applied.ALREADY ? Outcome.DUPLICATE : Outcome.OK;
        return new Served(SimResponse.of(200, out).header("Content-Type", "application/json;charset=UTF-8"), counted);
    }

    // ---- online inquiries ----

    private Served listInquiries(SimRequest req, Context ctx) {
        Map<String, String> q = req.query();
        if (!ctx.vendor().vendorId().equals(q.get("vendorId"))) {
            return validation("vendorId is required and must be the path's vendorId " + ctx.vendor().vendorId());
        }
        String answered = q.get("answeredType");
        if (answered == null || !List.of("ALL", "ANSWERED", "NOANSWER").contains(answered)) {
            return validation("answeredType is required: ALL, ANSWERED or NOANSWER");
        }
        Optional<LocalDate> start = q.get("inquiryStartAt") == null ? Optional.empty() : day(q.get("inquiryStartAt"));
        Optional<LocalDate> end = q.get("inquiryEndAt") == null ? Optional.empty() : day(q.get("inquiryEndAt"));
        if (start.isEmpty() || end.isEmpty() || end.get().isBefore(start.get()) || ChronoUnit.DAYS.between(start.get(), end.get()) > 7) {
            return validation("inquiryStartAt and inquiryEndAt are required (yyyy-MM-dd), inquiryEndAt - inquiryStartAt <= 7 days; got '"
                    + q.get("inquiryStartAt") + "' and '" + q.get("inquiryEndAt") + "'");
        }
        Optional<Integer> pageNum = whole(q.get("pageNum"), 1, Integer.MAX_VALUE, 1);
        Optional<Integer> pageSize = whole(q.get("pageSize"), 1, MAX_PER_PAGE, 10);
        if (pageNum.isEmpty() || pageSize.isEmpty()) {
            return validation("pageNum must be a whole number from 1 and pageSize from 1 to " + MAX_PER_PAGE + "; got '"
                    + q.get("pageNum") + "' and '" + q.get("pageSize") + "'");
        }
        List<RecordBook.SimRecord> all = records.between(ctx.vendor().sellerId(), RecordBook.Kind.INQUIRIES,
                        start.get().atStartOfDay().toInstant(KST), end.get().plusDays(1).atStartOfDay().toInstant(KST))
                .stream().filter(r -> answered.equals("ALL") || answered.equals("ANSWERED") == r.state().equals("ANSWERED")).toList();
        int size = pageSize.get();
        int totalPages = Math.max(1, (all.size() + size - 1) / size);
        int from = Math.min(all.size(), (pageNum.get() - 1) * size);
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
        ObjectNode data = body.putObject("data");
        ArrayNode content = data.putArray("content");
        for (RecordBook.SimRecord r : all.subList(from, Math.min(all.size(), from + size))) {
            ObjectNode n = content.addObject()
                    .put("inquiryId", Long.parseLong(r.id()))
                    .put("productId", 30_000_000L + Long.parseLong(r.attrs().get("productId")) % 10_000_000L)
                    .put("sellerProductId", Long.parseLong(r.attrs().get("productId")))
                    .put("vendorItemId", Long.parseLong(r.attrs().get("productId")))
                    .put("content", r.attrs().get("question"))
                    .put("inquiryAt", kst(r.createdAt(), SECOND_SPACE));
            n.putNull("orderIds");
            n.put("buyerEmail", "si*****@ex");
            ArrayNode comments = n.putArray("commentDtoList");
            if (r.state().equals("ANSWERED")) {
                comments.addObject().put("inquiryCommentId", Long.parseLong(r.id()) % 100_000_000L).put("inquiryId", Long.parseLong(r.id()))
                        .put("content", r.attrs().get("answer")).put("inquiryCommentAt", kst(r.updatedAt(), SECOND_SPACE));
            }
        }
        data.putObject("pagination").put("currentPage", pageNum.get()).put("totalPages", totalPages)
                .put("totalElements", all.size()).put("countPerPage", size);
        return ok(body);
    }

    /**
     * An answer: {@code {content, vendorId, replyBy}} all required; the first answer, or the same answer again, is
     * {@code 200 OK}; another answer to an answered inquiry is refused (400) with the reason.
     */
    private Served answerInquiry(SimRequest req, Context ctx) {
        Optional<JsonNode> body = jsonBody(req);
        if (body.isEmpty() || !body.get().isObject()) {
            return validation("Could not read JSON: the body must be a JSON object {content, vendorId, replyBy}");
        }
        JsonNode b = body.get();
        if (!b.path("content").isTextual() || b.get("content").asText().isBlank()) {
            return validation("content is required: the answer's text");
        }
        if (!ctx.vendor().vendorId().equals(b.path("vendorId").asText(null))) {
            return validation("vendorId must be the path's vendorId " + ctx.vendor().vendorId());
        }
        if (!b.path("replyBy").isTextual() || !b.get("replyBy").asText().matches("[A-Za-z0-9._@-]{1,64}")) {
            return refusal("The value of replyBy (Responder Seller Portal (WING) ID) is incorrect. Please enter the correct wing ID or vendorId.");
        }
        RecordBook.Outcome outcome = records.answer(ctx.vendor().sellerId(), ctx.route().shipmentBoxId(), b.get("content").asText());
        return switch (outcome.applied()) {
            case DONE, ALREADY -> new Served(SimResponse.of(200, Json.MAPPER.createObjectNode().put("code", "200").put("message", "OK"))
                    .header("Content-Type", "application/json;charset=UTF-8"),
                    outcome.applied() == RecordBook.Applied.DONE ? Outcome.CREATED : Outcome.DUPLICATE);
            case REFUSED -> refusal(outcome.reason());
            case NOT_FOUND -> refusal("inquiryId " + ctx.route().shipmentBoxId() + " is not an inquiry of vendor " + ctx.vendor().vendorId());
        };
    }

    // ---- seller products and their options ----

    /** How far back the simulated catalogue reaches: products created in the 30 days before now. */
    static final Duration CATALOGUE = Duration.ofDays(30);
    static final int MAX_PRODUCT_PAGE = 100;

    private Served listProducts(SimRequest req, Context ctx, Stamp stamp) {
        Map<String, String> q = req.query();
        if (!q.containsKey("vendorId")) {
            return validation("vendorId is required");
        }
        Optional<Integer> page = whole(q.get("nextToken") == null || q.get("nextToken").isEmpty() ? null : q.get("nextToken"), 1, Integer.MAX_VALUE, 1);
        Optional<Integer> size = whole(q.get("maxPerPage"), 1, MAX_PRODUCT_PAGE, 10);
        if (page.isEmpty() || size.isEmpty()) {
            return validation("nextToken must be a page the market issued and maxPerPage from 1 to " + MAX_PRODUCT_PAGE + "; got '"
                    + q.get("nextToken") + "' and '" + q.get("maxPerPage") + "'");
        }
        Instant now = Instant.ofEpochMilli(stamp.millis());
        List<RecordBook.SimRecord> all = records.between(ctx.vendor().sellerId(), RecordBook.Kind.PRODUCTS, now.minus(CATALOGUE), now);
        int from = Math.min(all.size(), (page.get() - 1) * size.get());
        int to = Math.min(all.size(), from + size.get());
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", "SUCCESS").put("message", "");
        body.put("nextToken", to < all.size() ? Integer.toString(page.get() + 1) : "");
        ArrayNode data = body.putArray("data");
        for (RecordBook.SimRecord r : all.subList(from, to)) {
            long id = Long.parseLong(r.id());
            data.addObject()
                    .put("sellerProductId", id)
                    .put("sellerProductName", r.attrs().get("name"))
                    .put("displayCategoryCode", 77413)
                    .put("categoryId", 2102)
                    .put("productId", 30_000_000L + id % 10_000_000L)
                    .put("vendorId", ctx.vendor().vendorId())
                    .put("saleStartedAt", kst(r.createdAt(), SECOND_T))
                    .put("saleEndedAt", "2099-12-31T00:00:00")
                    .put("brand", "상세설명별도참조")
                    .put("statusName", r.state().equals("ENDED") ? "상품삭제" : "승인완료")
                    .put("createdAt", kst(r.createdAt(), SECOND_T));
        }
        return ok(body);
    }

    /**
     * An option's price ({@code prices/{price}}: steps of 10 won, within -50 %/+100 % of the current price unless
     * {@code forceSalePriceUpdate=true}), stock ({@code quantities/{quantity}}) or sale status ({@code sales/resume},
     * {@code sales/stop}). The simulator's option ids are its product ids (one option per product).
     */
    private Served changeOption(SimRequest req, Context ctx) {
        List<String> rest = ctx.route().rest();
        String seller = ctx.vendor().sellerId();
        String item = ctx.route().shipmentBoxId();
        Optional<RecordBook.SimRecord> product = records.find(seller, item).filter(r -> r.kind() == RecordBook.Kind.PRODUCTS);
        if (product.isEmpty()) {
            return productError("옵션ID[" + item + "]를 찾을 수 없습니다. (option " + item + " is not an option of vendor " + ctx.vendor().vendorId() + ")");
        }
        String field;
        String value;
        switch (rest.get(2)) {
            case "prices" -> {
                Optional<Integer> price = whole(rest.get(3), 10, 1_000_000_000, 0);
                if (price.isEmpty() || price.get() % 10 != 0) {
                    return productError("가격변경에 실패했습니다. [price " + rest.get(3) + ": Min unit of input is 10 won]");
                }
                long current = Long.parseLong(product.get().attrs().get("price"));
                boolean force = "true".equals(req.query().get("forceSalePriceUpdate"));
                if (!force && (price.get() < current / 2 || price.get() > current * 2)) {
                    return productError("가격변경에 실패했습니다. [옵션ID[" + item + "] : 판매가 변경이 불가능합니다. 변경전 판매가의 최대 50% 인하/최대 100%인상까지 변경가능합니다.]");
                }
                field = "price";
                value = Integer.toString(price.get());
            }
            case "quantities" -> {
                Optional<Integer> stock = whole(rest.get(3), 0, 99_999_999, 0);
                if (stock.isEmpty()) {
                    return productError("재고변경에 실패했습니다. [quantity " + rest.get(3) + " must be a whole number from 0]");
                }
                field = "stock";
                value = Integer.toString(stock.get());
            }
            default -> {
                field = "state";
                value = rest.get(3).equals("resume") ? "ON_SALE" : "SUSPENDED";
            }
        }
        RecordBook.Outcome outcome = records.changeProduct(seller, item, field, value);
        if (outcome.applied() == RecordBook.Applied.REFUSED) {
            return productError(outcome.reason());
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("code", "SUCCESS").put("message", switch (field) {
            case "price" -> "가격 변경을 완료했습니다.";
            case "stock" -> "재고 변경을 완료했습니다.";
            default -> "판매 상태 변경을 완료했습니다.";
        });
        out.putNull("data");
        return new Served(SimResponse.of(200, out).header("Content-Type", "application/json;charset=UTF-8"),
                outcome.applied() == RecordBook.Applied.ALREADY ? Outcome.DUPLICATE : Outcome.OK);
    }

    private static Served productError(String message) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", "ERROR").put("message", message);
        return new Served(SimResponse.of(400, body).header("Content-Type", "application/json;charset=UTF-8"), Outcome.BAD_REQUEST);
    }

    // ---- revenue history ----

    private Served revenueHistory(SimRequest req, Context ctx, Stamp stamp) {
        Map<String, String> q = req.query();
        if (!q.containsKey("vendorId")) {
            return validation("vendorId is required");
        }
        Optional<LocalDate> from = q.get("recognitionDateFrom") == null ? Optional.empty() : day(q.get("recognitionDateFrom"));
        Optional<LocalDate> to = q.get("recognitionDateTo") == null ? Optional.empty() : day(q.get("recognitionDateTo"));
        if (from.isEmpty() || to.isEmpty() || to.get().isBefore(from.get()) || ChronoUnit.DAYS.between(from.get(), to.get()) >= MAX_DAYS) {
            return validation("recognitionDateFrom and recognitionDateTo are required (yyyy-MM-dd), at most 31 days; got '"
                    + q.get("recognitionDateFrom") + "' and '" + q.get("recognitionDateTo") + "'");
        }
        if (!q.containsKey("token")) {
            return validation("token is required (empty on the first page: 'token=')");
        }
        Optional<Integer> size = whole(q.get("maxPerPage") == null || q.get("maxPerPage").isEmpty() ? null : q.get("maxPerPage"), 1, MAX_PER_PAGE, MAX_PER_PAGE);
        Optional<Integer> start = whole(q.get("token").isEmpty() ? null : q.get("token"), 0, Integer.MAX_VALUE, 0);
        if (size.isEmpty() || start.isEmpty()) {
            return validation("maxPerPage must be from 1 to " + MAX_PER_PAGE + " and token one the market issued; got '"
                    + q.get("maxPerPage") + "' and '" + q.get("token") + "'");
        }
        List<RecordBook.SimRecord> all = records.between(ctx.vendor().sellerId(), RecordBook.Kind.SETTLEMENTS,
                from.get().atStartOfDay().toInstant(KST), to.get().plusDays(1).atStartOfDay().toInstant(KST));
        int first = Math.min(all.size(), start.get());
        int last = Math.min(all.size(), first + size.get());
        LocalDate today = Instant.ofEpochMilli(stamp.millis()).atOffset(KST).toLocalDate();
        ObjectNode body = Json.MAPPER.createObjectNode().put("code", 200).put("message", "OK");
        ArrayNode data = body.putArray("data");
        for (RecordBook.SimRecord r : all.subList(first, last)) {
            LocalDate recognized = r.createdAt().atOffset(KST).toLocalDate();
            long amount = Long.parseLong(r.attrs().get("amount"));
            ObjectNode n = data.addObject().put("orderId", Long.parseLong(r.id())).put("saleType", "SALE")
                    .put("saleDate", recognized.minusDays(8).toString()).put("recognitionDate", recognized.toString())
                    .put("settlementDate", (r.state().equals("SETTLED") ? recognized : today.plusDays(7)).toString())
                    .put("finalSettlementDate", (r.state().equals("SETTLED") ? recognized : today.plusDays(7)).toString());
            n.putObject("deliveryFee").put("amount", 0).put("fee", 0).put("feeVat", 0).put("feeRatio", 3).putNull("settlementAmount");
            long fee = amount / 10;
            n.putArray("items").addObject().put("taxType", "TAX").put("productId", 30_000_000L + Long.parseLong(r.id()) % 10_000_000L)
                    .put("productName", "시뮬레이션 상품").put("vendorItemId", 3_000_000_000L + Long.parseLong(r.id()) % 1_000_000_000L)
                    .put("salePrice", amount + fee).put("quantity", 1).put("saleAmount", amount + fee)
                    .put("serviceFee", fee).put("serviceFeeVat", 0).put("settlementAmount", amount);
        }
        boolean more = last < all.size();
        body.put("hasNext", more).put("nextToken", more ? Integer.toString(last) : "");
        return ok(body);
    }

    private static Optional<JsonNode> jsonBody(SimRequest req) {
        try {
            return req.body().length == 0 ? Optional.empty() : Optional.ofNullable(Json.MAPPER.readTree(req.body()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A whole number from {@code min} to {@code max}; {@code absent} when the text is null; empty when it is not one. */
    private static Optional<Integer> whole(String text, int min, int max, int absent) {
        if (text == null) {
            return Optional.of(absent);
        }
        try {
            int v = Integer.parseInt(text);
            return v >= min && v <= max ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ---- rendering ----

    /** A shipmentBoxId is the orderId with the protocol digit 6 instead of 1 (one box per order in the simulator). */
    public static String shipmentBoxId(Order o) {
        return "6" + o.orderId().substring(1);
    }

    private static String orderIdOfBox(String shipmentBoxId) {
        return shipmentBoxId != null && shipmentBoxId.length() == 15 && shipmentBoxId.startsWith("6")
                ? "1" + shipmentBoxId.substring(1) : "";
    }

    /** One line per item up to two: the second line has one unit, the first the rest. */
    private static List<Long> vendorItemIds(Order o) {
        long base = 3_000_000_000L + Math.floorMod(OrderBook.fnv64(o.orderId()), 900_000_000L) * 10;
        return o.itemCount() >= 3 ? List.of(base, base + 1) : List.of(base);
    }

    private ObjectNode sheet(Order o, Optional<Shipment> shipped) {
        SplittableRandom r = new SplittableRandom(OrderBook.fnv64(o.orderId()));
        String status = shipped.isPresent() ? "DEPARTURE" : effective(o);
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("shipmentBoxId", Long.parseLong(shipmentBoxId(o)))
                .put("orderId", Long.parseLong(o.orderId()))
                .put("orderedAt", kst(o.orderedAt(), SECOND_T));
        String name = SimulatedPeople.name(r);
        String phone = "0503-**-" + String.format("%04d", r.nextInt(10_000));
        n.putObject("orderer").put("name", name).put("email", "si*****@ex").put("safeNumber", phone);
        n.put("paidAt", kst(o.updatedAt(), SECOND_T))
                .put("status", status)
                .put("shippingPrice", o.totalPrice() >= 30_000 ? 0 : 2500)
                .putNull("remotePrice")
                .put("remoteArea", false)
                .put("parcelPrintMessage", "문 앞")
                .put("splitShipping", false)
                .put("ableSplitShipping", false);
        n.putObject("receiver").put("name", name).put("safeNumber", phone).put("addr1", SimulatedPeople.address(r))
                .put("addr2", (1 + r.nextInt(20)) + "동 *호").put("postCode", String.format("%05d", r.nextInt(100_000)));
        ArrayNode items = n.putArray("orderItems");
        List<Long> ids = vendorItemIds(o);
        long remaining = o.totalPrice();
        for (int i = 0; i < ids.size(); i++) {
            int count = ids.size() == 1 ? o.itemCount() : i == 0 ? o.itemCount() - 1 : 1;
            long price = i == ids.size() - 1 ? remaining : o.totalPrice() * count / o.itemCount();
            remaining -= price;
            long sellerProductId = 80_000_000L + Math.floorMod(ids.get(i), 10_000_000L);
            items.addObject()
                    .put("vendorItemPackageId", 0)
                    .put("vendorItemPackageName", "시뮬레이션 상품 " + sellerProductId)
                    .put("productId", 30_000_000L + Math.floorMod(ids.get(i), 10_000_000L))
                    .put("vendorItemId", ids.get(i))
                    .put("vendorItemName", "시뮬레이션 상품 " + sellerProductId + ", 옵션 " + (i + 1))
                    .put("shippingCount", count)
                    .put("salesPrice", price / count)
                    .put("orderPrice", price)
                    .putNull("discountPrice")
                    .put("externalVendorSkuCode", "SKU-" + ids.get(i))
                    .put("sellerProductId", sellerProductId)
                    .put("sellerProductName", "시뮬레이션 상품 " + sellerProductId)
                    .put("sellerProductItemName", "옵션 " + (i + 1))
                    .put("firstSellerProductItemName", "옵션 " + (i + 1))
                    .put("cancelCount", 0)
                    .put("holdCountForCancel", 0)
                    .put("estimatedShippingDate", o.updatedAt().plus(Duration.ofDays(2)).atOffset(KST).toLocalDate().toString())
                    .put("plannedShippingDate", "")
                    .put("invoiceNumberUploadDate", shipped.map(s -> kst(s.createdAt(), SECOND_T)).orElse(""))
                    .put("canceled", false);
        }
        boolean seededShipped = Set.of("DEPARTURE", "DELIVERING", "FINAL_DELIVERY").contains(o.status());
        if (shipped.isPresent()) {
            n.put("deliveryCompanyName", COURIERS.getOrDefault(shipped.get().carrier(), shipped.get().carrier()))
                    .put("invoiceNumber", shipped.get().trackingNumber())
                    .put("inTrasitDateTime", kst(shipped.get().createdAt(), SECOND_SPACE))
                    .put("deliveredDate", "");
        } else if (seededShipped) {
            Instant departed = o.updatedAt().plus(Duration.ofHours(20));
            n.put("deliveryCompanyName", "CJ 대한통운")
                    .put("invoiceNumber", "34" + String.format("%010d", Math.floorMod(OrderBook.fnv64(o.orderId() + "/invoice"), 10_000_000_000L)))
                    .put("inTrasitDateTime", kst(departed, SECOND_SPACE))
                    .put("deliveredDate", o.status().equals("FINAL_DELIVERY") ? kst(departed.plus(Duration.ofDays(1)), SECOND_SPACE) : "");
        } else {
            n.put("deliveryCompanyName", "").put("invoiceNumber", "").put("inTrasitDateTime", "").put("deliveredDate", "");
        }
        n.put("refer", "안드로이드앱");
        return n;
    }

    private static String kst(Instant t, DateTimeFormatter f) {
        return t.atOffset(KST).format(f);
    }

    private static Optional<LocalDate> day(String s) {
        try {
            return Optional.of(LocalDate.parse(s, DAY));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDateTime> minute(String s) {
        try {
            return Optional.of(LocalDateTime.parse(s, MINUTE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
