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
    private static final DateTimeFormatter SECOND_SPACE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final Map<String, String> COURIERS = Map.of("CJGLS", "CJ 대한통운", "HANJIN", "한진택배", "HYUNDAI", "롯데택배",
            "EPOST", "우체국", "KDEXP", "경동택배", "ILYANG", "일양택배", "DIRECT", "업체직송");
    private static final String PREFIX = "v2/providers/openapi/apis/api/v4/vendors";

    private record Route(Endpoint endpoint, String vendorId, String shipmentBoxId, String method) {}

    private record Context(Route route, CoupangCredentials vendor) {}

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;
    private final Map<String, CoupangCredentials> byAccessKey = new HashMap<>();

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
        if (!vendor.vendorId().equals(route.vendorId())) {
            // the key is genuine, so the call counts against its vendor's budget
            return unauthorized(route, accessKey, true, vendor.sellerId(), "Request is not authorized.", stamp);
        }
        String box = route.endpoint() == Endpoint.CREATE_SHIPMENT ? firstBoxOf(req.body()) : route.shipmentBoxId();
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
            default -> uploadInvoices(req, ctx, stamp);
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
            orders.page(seller, from, to, null, Integer.MAX_VALUE, o -> status.equals(o.status()))
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
        List<Order> page = orders.page(seller, from, to, after, maxPerPage + 1, o -> status.equals(o.status()));
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
                String current = shipped.isPresent() ? "DEPARTURE" : order.get().status();
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
        String status = shipped.isPresent() ? "DEPARTURE" : o.status();
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
