package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.ElevenStCredentials;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.SellerCredentials;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * 11st's Open API as its gateway and the order APIs answer (market-protocols.md section 4).
 *
 * <p>Paths under {@code /rest}, every parameter a path segment, {@code GET} only: the stage lists
 * {@code /ordservices/{complete|packaging|shipping|dlvcompleted|completed}/{yyyyMMddHHmm}/{yyyyMMddHHmm}}, one order's
 * paid lines {@code /ordservices/complete/{ordNo}} and shipping {@code /ordservices/reqdelivery/{sendDt}/{dlvMthdCd}/
 * {dlvEtprsCd}/{invcNo}/{dlvNo}}; other paths 404, other methods 405. The gateway's checks, in order: the
 * {@code openapikey} header names a seller's key (missing or unknown: HTTP 200 {@code -997} "등록된 API 정보가 존재하지
 * 않습니다", the answer a public client shows for a key 11st does not know [O]) → the engine's IP allow-list (HTTP 500
 * {@code <AuthMessage><resultCode>-500</resultCode><resultMessage>[ip]인증된 IP가 아닙니다. …} [O]) → penalty block and
 * budgets (HTTP 200 result code {@code 004} [O]). Every answer is XML encoded as MS949 (EUC-KR's superset) and labelled
 * {@code text/xml;charset=EUC-KR}, as 11st's are [O]; line fields are those public clients read [O].
 */
public final class ElevenStProtocol implements MarketProtocol {

    static final ZoneOffset KST = ZoneOffset.ofHours(9);
    static final String NAMESPACE = "http://skt.tmall.business.openapi.spring.service.client.domain/";
    static final String NO_RESULT = "조회된 결과가 없습니다.";
    static final String UNKNOWN_KEY = "-997";
    static final String THROTTLED = "004";
    static final String ALREADY_SHIPPING = "-3313";
    /** The simulator's code for a refused parameter or state; 11st's own codes for these are not documented. */
    static final String REFUSED = "-1";
    /** The order stages each list serves, by the ordPrdStat of its lines. */
    static final Map<String, String> STAGES = Map.of("complete", "202", "packaging", "301", "shipping", "401",
            "dlvcompleted", "501", "completed", "901");
    /** 11st's delivery methods: 01 courier, 02 mail, 03 direct, 04 quick, 05 none needed. */
    static final Set<String> DELIVERY_METHODS = Set.of("01", "02", "03", "04", "05");
    private static final Map<String, String> COURIERS = Map.of("00034", "CJ대한통운", "00011", "한진택배", "00012", "롯데택배",
            "00007", "우체국택배", "00002", "로젠택배", "00099", "기타");
    private static final Charset CHARSET = Charset.isSupported("x-windows-949") ? Charset.forName("x-windows-949")
            : Charset.forName("EUC-KR");
    private static final String CONTENT_TYPE = "text/xml;charset=EUC-KR";
    private static final DateTimeFormatter PATH_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmm").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
    private static final Pattern CARRIER = Pattern.compile("[0-9]{5}");
    private static final Pattern INVOICE = Pattern.compile("[A-Za-z0-9]{1,15}");

    private record Route(Endpoint endpoint, List<String> params) {}

    private record Context(Route route, ElevenStCredentials seller) {}

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;
    private final Map<String, ElevenStCredentials> byKey = new HashMap<>();

    ElevenStProtocol(MarketConfig config, OrderBook orders, ShipmentLedger ledger, RecordBook records,
            List<SellerCredentials> credentials) {
        this.records = records;
        this.config = config;
        this.orders = orders;
        this.ledger = ledger;
        credentials.forEach(c -> byKey.put(((ElevenStCredentials) c).openApiKey(), (ElevenStCredentials) c));
    }

    // ---- ids

    /** The line id a client names a simulated order by: {@code ordNo-ordPrdSeq-dlvNo}. */
    public static String lineId(Order o) {
        return o.orderId() + "-" + ordPrdSeq(o) + "-" + dlvNo(o);
    }

    /** The line's sequence in its order, 1 to 3 (one line per simulated order, not always the first). */
    static int ordPrdSeq(Order o) {
        return 1 + (int) Math.floorMod(OrderBook.fnv64(o.orderId() + "/seq"), 3L);
    }

    /** The delivery number: the ordNo with the digit 5 in place of its protocol digit 4 (one delivery per line). */
    static String dlvNo(Order o) {
        return "5" + o.orderId().substring(1);
    }

    private static String ordNoOfDelivery(String dlvNo) {
        return dlvNo.length() == 15 && dlvNo.startsWith("5") ? "4" + dlvNo.substring(1) : "";
    }

    // ---- gateway

    @Override
    public Call identify(SimRequest req, Stamp stamp) {
        Route route = route(req.segments());
        if (route.endpoint() == Endpoint.UNKNOWN) {
            return Call.rejected(Endpoint.UNKNOWN, null, false, null,
                    result(404, "ResultOrder", "-404", "요청하신 API를 찾을 수 없습니다: " + req.marketPath()), Outcome.NOT_FOUND);
        }
        if (!req.method().equals("GET")) {
            return Call.rejected(route.endpoint(), null, false, null,
                    result(405, "ResultOrder", "-405", req.method() + " 방식은 지원하지 않습니다. GET으로 호출하십시오.")
                            .header("Allow", "GET"), Outcome.METHOD_NOT_ALLOWED);
        }
        String key = req.header("openapikey");
        ElevenStCredentials seller = key == null ? null : byKey.get(key);
        if (seller == null) {
            return Call.rejected(route.endpoint(), key, false, null,
                    result(200, "ResultOrder", UNKNOWN_KEY, "등록된 API 정보가 존재하지 않습니다"), Outcome.UNAUTHORIZED);
        }
        return Call.admitted(route.endpoint(), key, seller.sellerId(), arrivalOrderId(route, seller), new Context(route, seller));
    }

    /** The order an arrival names: the ordNo of a read, the line of a shipment's delivery (else the dlvNo as sent). */
    private String arrivalOrderId(Route route, ElevenStCredentials seller) {
        return switch (route.endpoint()) {
            case GET_ORDER -> route.params().get(0);
            case CREATE_SHIPMENT -> {
                String dlvNo = route.params().get(4);
                yield orders.find(seller.sellerId(), ordNoOfDelivery(dlvNo)).map(ElevenStProtocol::lineId).orElse(dlvNo);
            }
            default -> null;
        };
    }

    private static Route route(List<String> s) {
        if (s.size() < 3 || !s.get(0).equals("rest") || !s.get(1).equals("ordservices")) {
            return new Route(Endpoint.UNKNOWN, List.of());
        }
        List<String> rest = s.subList(2, s.size());
        String service = rest.get(0);
        if (STAGES.containsKey(service) && rest.size() == 3) {
            return new Route(Endpoint.LIST_ORDERS, List.of(service, rest.get(1), rest.get(2)));
        }
        if (service.equals("complete") && rest.size() == 2) {
            return new Route(Endpoint.GET_ORDER, List.of(rest.get(1)));
        }
        if (service.equals("reqdelivery") && rest.size() == 6) {
            return new Route(Endpoint.CREATE_SHIPMENT, List.copyOf(rest.subList(1, 6)));
        }
        return new Route(Endpoint.UNKNOWN, List.of());
    }

    @Override
    public SimResponse ipNotAllowed(Call call, String source, Stamp stamp) {
        return result(500, "AuthMessage", "-500", "[" + source + "]인증된 IP가 아닙니다. 등록된 IP 정보를 확인하십시오.");
    }

    @Override
    public SimResponse throttled(Call call, Throttling throttling, Stamp stamp) {
        return result(200, "ResultOrder", THROTTLED, "허용된 호출량을 초과하였습니다. 잠시 후 다시 시도하십시오.");
    }

    @Override
    public SimResponse serverError(Call call, int status, Stamp stamp) {
        String page = "<html><head><title>" + status + "</title></head><body><h1>일시적인 오류입니다</h1>"
                + "<p>잠시 후 다시 시도해 주십시오.</p></body></html>";
        return SimResponse.bytes(status, "text/html;charset=EUC-KR", page.getBytes(CHARSET));
    }

    // ---- order APIs

    @Override
    public Served serve(SimRequest req, Call call, Stamp stamp) {
        Context ctx = (Context) call.context();
        return switch (call.endpoint()) {
            case LIST_ORDERS -> list(ctx);
            case GET_ORDER -> paidLines(ctx);
            default -> ship(ctx, stamp);
        };
    }

    /** A stage's lines paid in {@code [from, to)}: the window's minutes in Korean time, at most the market's range. */
    private Served list(Context ctx) {
        List<String> p = ctx.route().params();
        String state = STAGES.get(p.get(0));
        Optional<Instant> from = pathTime(p.get(1));
        Optional<Instant> to = pathTime(p.get(2));
        if (from.isEmpty() || to.isEmpty()) {
            return refused("orders", (from.isEmpty() ? "검색 시작일시 '" + p.get(1) : "검색 종료일시 '" + p.get(2))
                    + "'의 형식이 올바르지 않습니다. (yyyyMMddHHmm)");
        }
        if (!to.get().isAfter(from.get())) {
            return refused("orders", "검색 종료일시(" + p.get(2) + ")는 시작일시(" + p.get(1) + ") 이후여야 합니다.");
        }
        if (Duration.between(from.get(), to.get()).compareTo(config.maxRange()) > 0) {
            return refused("orders", "조회 기간은 최대 " + config.maxRange().toDays() + "일입니다. (" + p.get(1) + " ~ " + p.get(2) + ")");
        }
        List<Order> lines = orders.page(ctx.seller().sellerId(), from.get(), to.get(), null, Integer.MAX_VALUE,
                o -> state.equals(o.status()));
        return new Served(orderList(lines), Outcome.OK);
    }

    /** The paid, unacknowledged lines of one order number: the line while it is 202 and not shipped, else none. */
    private Served paidLines(Context ctx) {
        String ordNo = ctx.route().params().get(0);
        if (!DIGITS.matcher(ordNo).matches()) {
            return refused("orders", "주문번호 '" + ordNo + "'의 형식이 올바르지 않습니다.");
        }
        String seller = ctx.seller().sellerId();
        List<Order> paid = orders.find(seller, ordNo)
                .filter(o -> o.status().equals("202") && ledger.find(seller, o.orderId()).isEmpty())
                .map(List::of).orElse(List.of());
        return new Served(orderList(paid), Outcome.OK);
    }

    /**
     * {@code reqdelivery}: a delivery of the key's seller, acknowledged (301) and not shipped, is shipped once. A delivery
     * shipped already (by this API, or seeded as 401/501) gets {@code -3313} [O]; a line still 202 must be acknowledged
     * first; a tracking number the seller used for another delivery gets "이미 사용된 송장번호 입니다." [O].
     */
    private Served ship(Context ctx, Stamp stamp) {
        List<String> p = ctx.route().params();
        String sendDt = p.get(0);
        String method = p.get(1);
        String carrier = p.get(2);
        String invoice = p.get(3);
        String dlvNo = p.get(4);
        if (pathTime(sendDt).isEmpty()) {
            return refused("ResultOrder", "발송일시 '" + sendDt + "'의 형식이 올바르지 않습니다. (yyyyMMddHHmm)");
        }
        if (!DELIVERY_METHODS.contains(method)) {
            return refused("ResultOrder", "배송방법 코드 '" + method + "'가 올바르지 않습니다. (01 택배, 02 우편, 03 직접전달, 04 퀵서비스, 05 배송필요없음)");
        }
        if (!CARRIER.matcher(carrier).matches()) {
            return refused("ResultOrder", "택배사 코드 '" + carrier + "'가 올바르지 않습니다. (5자리)");
        }
        if (!INVOICE.matcher(invoice).matches()) {
            return refused("ResultOrder", "송장번호 '" + invoice + "'가 올바르지 않습니다. (영문, 숫자 15자 이내)");
        }
        String seller = ctx.seller().sellerId();
        Optional<Order> line = DIGITS.matcher(dlvNo).matches() ? orders.find(seller, ordNoOfDelivery(dlvNo)) : Optional.empty();
        if (line.isEmpty()) {
            return refused("ResultOrder", "배송번호 '" + dlvNo + "'에 해당하는 주문이 없습니다.");
        }
        Order o = line.get();
        if (ledger.find(seller, o.orderId()).isPresent() || o.status().equals("401") || o.status().equals("501")) {
            return new Served(result(200, "ResultOrder", ALREADY_SHIPPING, "이미 배송중 상태입니다. (배송번호 " + dlvNo + ")"),
                    Outcome.DUPLICATE);
        }
        if (o.status().equals("202")) {
            return refused("ResultOrder", "발주확인 처리되지 않은 주문입니다. 발주확인 후 발송처리 하십시오. (배송번호 " + dlvNo + ")");
        }
        if (!o.status().equals("301")) {
            return refused("ResultOrder", "발송처리 할 수 없는 주문상태입니다. (" + o.status() + ")");
        }
        if (ledger.trackingNumberUsed(seller, invoice)) {
            return refused("ResultOrder", "이미 사용된 송장번호 입니다.");
        }
        if (ledger.record(seller, o.orderId(), carrier, invoice, stamp.nanos()).isEmpty()) {
            // shipped by a concurrent request between the check and now
            return new Served(result(200, "ResultOrder", ALREADY_SHIPPING, "이미 배송중 상태입니다. (배송번호 " + dlvNo + ")"),
                    Outcome.DUPLICATE);
        }
        return new Served(result(200, "ResultOrder", "0", "정상 처리되었습니다."), Outcome.CREATED);
    }

    private static Served refused(String root, String text) {
        return new Served(result(200, "orders".equals(root) ? "ns2:orders" : root, REFUSED, text), Outcome.BAD_REQUEST);
    }

    // ---- rendering

    /** {@code <ns2:orders>} with one {@code <ns2:order>} per line, or 11st's "no results" shape. */
    private SimResponse orderList(List<Order> lines) {
        StringBuilder xml = new StringBuilder(declaration())
                .append("<ns2:orders xmlns:ns2=\"").append(NAMESPACE).append("\">");
        if (lines.isEmpty()) {
            xml.append("<ns2:result_code>0</ns2:result_code><ns2:result_text>").append(NO_RESULT).append("</ns2:result_text>");
        }
        lines.forEach(o -> line(xml, o));
        xml.append("</ns2:orders>");
        return SimResponse.bytes(200, CONTENT_TYPE, xml.toString().getBytes(CHARSET));
    }

    private void line(StringBuilder xml, Order o) {
        SplittableRandom r = new SplittableRandom(OrderBook.fnv64(o.orderId()));
        String state = o.status();
        boolean acknowledged = !state.equals("202");
        boolean shipped = state.equals("401") || state.equals("501");
        long prdNo = 2_000_000_000L + Math.floorMod(OrderBook.fnv64(o.orderId() + "/prd"), 900_000_000L);
        long price = o.totalPrice() / o.itemCount();
        String name = SimulatedPeople.name(r);
        xml.append("<ns2:order>");
        element(xml, "addPrdNo", "0");
        element(xml, "addPrdYn", "N");
        element(xml, "bndlDlvSeq", "0");
        element(xml, "bndlDlvYN", "N");
        element(xml, "dlvCst", o.totalPrice() >= 30_000 ? "0" : "2500");
        element(xml, "dlvEtprsCd", shipped ? "00034" : "");
        element(xml, "dlvMthdCd", shipped ? "01" : "null");
        element(xml, "dlvNo", dlvNo(o));
        if (state.equals("501")) {
            element(xml, "dlvEndDt", kst(o.updatedAt().plus(Duration.ofDays(2))));
        }
        element(xml, "invcNo", shipped ? "34" + String.format("%010d", Math.floorMod(OrderBook.fnv64(o.orderId() + "/invoice"),
                10_000_000_000L)) : "");
        element(xml, "memID", "sim****");
        element(xml, "ordAmt", Long.toString(o.totalPrice()));
        element(xml, "ordDlvReqCont", "문 앞에 놓아 주세요");
        element(xml, "ordDt", kst(o.orderedAt()));
        element(xml, "ordNm", name);
        element(xml, "ordNo", o.orderId());
        element(xml, "ordPayAmt", Long.toString(o.totalPrice()));
        element(xml, "ordPrdSeq", Integer.toString(ordPrdSeq(o)));
        element(xml, "ordPrdStat", state);
        element(xml, "ordPrtblTel", "010-****-" + String.format("%04d", r.nextInt(10_000)));
        element(xml, "ordQty", Integer.toString(o.itemCount()));
        element(xml, "ordStlEndDt", kst(o.updatedAt()));
        if (acknowledged) {
            element(xml, "plcodrCnfDt", kst(o.updatedAt().plus(Duration.ofHours(2))));
        }
        // 똠 is outside EUC-KR's 2,350 syllables: only MS949, which 11st labels EUC-KR, encodes it
        element(xml, "prdNm", "시뮬레이션 상품 " + prdNo + " 똠얌꿍 소스");
        element(xml, "prdNo", Long.toString(prdNo));
        element(xml, "rcvrBaseAddr", SimulatedPeople.address(r));
        element(xml, "rcvrDtlsAddr", (1 + r.nextInt(20)) + "동 *호");
        element(xml, "rcvrMailNo", String.format("%05d", r.nextInt(100_000)));
        element(xml, "rcvrNm", name);
        element(xml, "rcvrPrtblNo", "010-****-" + String.format("%04d", r.nextInt(10_000)));
        element(xml, "selPrc", Long.toString(price));
        element(xml, "sellerPrdCd", "SKU-" + prdNo);
        element(xml, "slctPrdOptNm", "옵션:기본-" + o.itemCount() + "개");
        if (shipped) {
            element(xml, "sndEndDt", kst(o.updatedAt().plus(Duration.ofHours(20))));
        }
        xml.append("</ns2:order>");
    }

    /**
     * {@code <root><result_code>code</result_code><result_text>text</result_text></root>} ({@code resultCode} and
     * {@code resultMessage} under {@code AuthMessage}, {@code ns2:} under {@code ns2:orders}), encoded as 11st does.
     */
    static SimResponse result(int status, String root, String code, String text) {
        StringBuilder xml = new StringBuilder(declaration());
        boolean auth = root.equals("AuthMessage");
        String prefix = root.startsWith("ns2:") ? "ns2:" : "";
        xml.append('<').append(root);
        if (!prefix.isEmpty()) {
            xml.append(" xmlns:ns2=\"").append(NAMESPACE).append('"');
        }
        xml.append('>');
        element(xml, prefix + (auth ? "resultCode" : "result_code"), code);
        element(xml, prefix + (auth ? "resultMessage" : "result_text"), text);
        xml.append("</").append(root).append('>');
        return SimResponse.bytes(status, CONTENT_TYPE, xml.toString().getBytes(CHARSET));
    }

    private static String declaration() {
        return "<?xml version=\"1.0\" encoding=\"EUC-KR\" standalone=\"yes\"?>";
    }

    private static void element(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String kst(Instant t) {
        return t.atOffset(KST).format(LINE_TIME);
    }

    private static Optional<Instant> pathTime(String s) {
        if (s.length() != 12) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(s, PATH_TIME).toInstant(KST));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
