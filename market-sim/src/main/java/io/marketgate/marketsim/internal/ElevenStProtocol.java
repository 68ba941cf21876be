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

    /** The claim request lists, by path, with the claim type they list and their error codes' prefix [D 1639, 1643, 1648]. */
    static final Map<String, String[]> CLAIM_LISTS = Map.of("cancelorders", new String[] {"CANCEL", "-28"},
            "returnorders", new String[] {"RETURN", "-29"}, "exchangeorders", new String[] {"EXCHANGE", "-29"});
    static final String NO_CLAIMS = "해당 건이 없습니다.";
    private static final DateTimeFormatter PATH_DAY = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SLASHED_DAY = DateTimeFormatter.ofPattern("uuuu/MM/dd");

    private record Route(Endpoint endpoint, List<String> params) {}

    private record Context(Route route, ElevenStCredentials seller) {}

    private final MarketConfig config;

    /** The market's records of the kinds other than orders, and the state its actions change. */

    private final RecordBook records;
    private final OrderBook orders;
    private final ShipmentLedger ledger;
    private final Map<String, ElevenStCredentials> byKey = new HashMap<>();
    /** The order lines acknowledged through {@code reqpackaging} (seller/ordNo): a paid line reads 301 from then on. */
    private final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ElevenStProtocol(MarketConfig config, OrderBook orders, ShipmentLedger ledger, RecordBook records,
            List<SellerCredentials> credentials) {
        this.records = records;
        this.config = config;
        this.orders = orders;
        this.ledger = ledger;
        credentials.forEach(c -> byKey.put(((ElevenStCredentials) c).openApiKey(), (ElevenStCredentials) c));
    }

    /** A product Q&amp;A is named by its {@code brdInfoNo} and the product's {@code prdNo} ({@code brdInfoClfNo}). */
    @Override
    public String clientRecordId(RecordBook.SimRecord record) {
        return record.kind() == RecordBook.Kind.INQUIRIES ? record.id() + "-" + record.attrs().get("productId") : record.id();
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
        String method = route.endpoint() == Endpoint.ANSWER_INQUIRY ? "PUT" : "GET";
        if (!req.method().equals(method)) {
            return Call.rejected(route.endpoint(), null, false, null,
                    result(405, "ResultOrder", "-405", req.method() + " 방식은 지원하지 않습니다. " + method + "으로 호출하십시오.")
                            .header("Allow", method), Outcome.METHOD_NOT_ALLOWED);
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
            case ACKNOWLEDGE_ORDER -> route.params().get(0);
            case ANSWER_INQUIRY -> route.params().get(0);
            case CONFIRM_CLAIM -> route.params().get(1);
            case REJECT_CLAIM -> route.params().get(3);
            default -> null;
        };
    }

    /** The line as it is now: a paid line acknowledged through {@code reqpackaging} is 301. */
    private Order effective(Order o) {
        return o.status().equals("202") && acknowledged.contains(o.sellerId() + "/" + o.orderId())
                ? new Order(o.orderId(), o.sellerId(), "301", o.orderedAt(), o.updatedAt(), o.totalPrice(), o.itemCount())
                : o;
    }

    private static Route route(List<String> s) {
        if (s.size() < 3 || !s.get(0).equals("rest")) {
            return new Route(Endpoint.UNKNOWN, List.of());
        }
        List<String> rest = s.subList(2, s.size());
        String service = rest.get(0);
        switch (s.get(1)) {
            case "ordservices" -> { }
            case "claimservice" -> {
                if (CLAIM_LISTS.containsKey(service) && rest.size() == 3) {
                    return new Route(Endpoint.LIST_CLAIMS, List.copyOf(rest));
                }
                if ((service.equals("cancelreqconf") || service.equals("returnreqconf")) && rest.size() == 4
                        || service.equals("exchangereqconf") && rest.size() == 6) {
                    return new Route(Endpoint.CONFIRM_CLAIM, List.copyOf(rest));
                }
                if ((service.equals("returnreqreject") || service.equals("exchangereqreject")) && rest.size() == 6) {
                    return new Route(Endpoint.REJECT_CLAIM, List.copyOf(rest));
                }
                return new Route(Endpoint.UNKNOWN, List.of());
            }
            case "prodqnaservices" -> {
                if (service.equals("prodqnalist") && rest.size() == 4) {
                    return new Route(Endpoint.LIST_INQUIRIES, List.copyOf(rest.subList(1, 4)));
                }
                if (service.equals("prodqnaanswer") && rest.size() == 3) {
                    return new Route(Endpoint.ANSWER_INQUIRY, List.copyOf(rest.subList(1, 3)));
                }
                return new Route(Endpoint.UNKNOWN, List.of());
            }
            case "settlement" -> {
                if (service.equals("settlementList") && rest.size() == 3) {
                    return new Route(Endpoint.LIST_SETTLEMENTS, List.copyOf(rest.subList(1, 3)));
                }
                return new Route(Endpoint.UNKNOWN, List.of());
            }
            default -> {
                return new Route(Endpoint.UNKNOWN, List.of());
            }
        }
        if (service.equals("reqpackaging") && rest.size() == 6) {
            return new Route(Endpoint.ACKNOWLEDGE_ORDER, List.copyOf(rest.subList(1, 6)));
        }
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
            case LIST_CLAIMS -> claims(ctx);
            case LIST_INQUIRIES -> inquiries(ctx);
            case LIST_SETTLEMENTS -> settlements(ctx, stamp);
            case ACKNOWLEDGE_ORDER -> acknowledge(ctx);
            case ANSWER_INQUIRY -> answer(ctx, req);
            case CONFIRM_CLAIM, REJECT_CLAIM -> decide(ctx);
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
                o -> state.equals(effective(o).status())).stream().map(this::effective).toList();
        return new Served(orderList(lines), Outcome.OK);
    }

    /** The paid, unacknowledged lines of one order number: the line while it is 202 and not shipped, else none. */
    private Served paidLines(Context ctx) {
        String ordNo = ctx.route().params().get(0);
        if (!DIGITS.matcher(ordNo).matches()) {
            return refused("orders", "주문번호 '" + ordNo + "'의 형식이 올바르지 않습니다.");
        }
        String seller = ctx.seller().sellerId();
        List<Order> paid = orders.find(seller, ordNo).map(this::effective)
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
        Order o = effective(line.get());
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

    // ---- claims, Q&A, settlements

    /**
     * A claim request list: the seller's claims of the list's type requested in {@code [from, to)} (minutes, Korean time,
     * at most 30 days), in 11st's codes; a cancellation rejected or withdrawn is not in it (11st lists withdrawn ones
     * apart). Nothing found: result code -1 "해당 건이 없습니다." as 11st documents it.
     */
    private Served claims(Context ctx) {
        List<String> p = ctx.route().params();
        String[] list = CLAIM_LISTS.get(p.get(0));
        Optional<Instant> from = pathTime(p.get(1));
        Optional<Instant> to = pathTime(p.get(2));
        if (from.isEmpty()) {
            return listRefused("ns2:orders", list[1] + "007", "start_dt의 조회 기간의 포멧('YYYYMMDDHH24')이 올바르지 않습니다.");
        }
        if (to.isEmpty()) {
            return listRefused("ns2:orders", list[1] + "006", "end_dt의 조회 기간의 포멧('YYYYMMDDHH24')이 올바르지 않습니다.");
        }
        if (!to.get().isAfter(from.get()) || Duration.between(from.get(), to.get()).compareTo(Duration.ofDays(30)) > 0) {
            return listRefused("ns2:orders", list[1] + "008", "조회기간은 최대 30(한달)일 단위로 가능합니다.");
        }
        List<RecordBook.SimRecord> found = records.between(ctx.seller().sellerId(), RecordBook.Kind.CLAIMS, from.get(), to.get())
                .stream().filter(r -> r.attrs().get("claimType").equals(list[0]) && claimState(r) != null).toList();
        if (found.isEmpty()) {
            return new Served(result(200, "ns2:orders", "-1", NO_CLAIMS), Outcome.OK);
        }
        StringBuilder xml = new StringBuilder(declaration()).append("<ns2:orders xmlns:ns2=\"").append(NAMESPACE).append("\">");
        for (RecordBook.SimRecord r : found) {
            boolean cancel = list[0].equals("CANCEL");
            xml.append("<ns2:order>");
            if (cancel) {
                element(xml, "createDt", kst(r.createdAt()));
                element(xml, "dlvNo", "5" + r.attrs().get("orderId").substring(1));
                element(xml, "ordCnDtlsRsn", r.attrs().get("reason"));
                element(xml, "ordCnMnbdCd", "01");
                element(xml, "ordCnQty", "1");
                element(xml, "ordCnRsnCd", "14");
                element(xml, "ordCnStatCd", claimState(r));
                element(xml, "ordNo", r.attrs().get("orderId"));
                element(xml, "ordPrdCnSeq", r.id());
                element(xml, "ordPrdSeq", "1");
            } else {
                element(xml, "clmReqCont", r.attrs().get("reason"));
                element(xml, "clmReqQty", "1");
                element(xml, "clmReqRsn", list[0].equals("RETURN") ? "101" : "206");
                element(xml, "clmReqSeq", r.id());
                element(xml, "clmStat", claimState(r));
                element(xml, "optName", "1개");
                element(xml, "ordNo", r.attrs().get("orderId"));
                element(xml, "ordPrdSeq", "1");
                element(xml, "reqDt", kst(r.createdAt()));
                element(xml, "twMthd", "06");
            }
            element(xml, "prdNo", "2" + r.id().substring(1, 10));
            xml.append("</ns2:order>");
        }
        xml.append("</ns2:orders>");
        return new Served(SimResponse.bytes(200, CONTENT_TYPE, xml.toString().getBytes(CHARSET)), Outcome.OK);
    }

    /**
     * A claim's state in its list's codes: cancellations {@code ordCnStatCd} 01 requested, 02 cancelled (an approval
     * cancels at once); returns and exchanges {@code clmStat}. Null: not in the request list.
     */
    static String claimState(RecordBook.SimRecord r) {
        return switch (r.attrs().get("claimType")) {
            case "CANCEL" -> switch (r.state()) {
                case "REQUESTED" -> "01";
                case "IN_PROGRESS", "COMPLETED" -> "02";
                default -> null;
            };
            case "RETURN" -> switch (r.state()) {
                case "REQUESTED" -> "105";
                case "IN_PROGRESS", "COMPLETED" -> "106";   // 11st's return approval completes the return
                case "REJECTED" -> "107";
                default -> "108";
            };
            default -> switch (r.state()) {
                case "REQUESTED" -> "201";
                case "IN_PROGRESS" -> "212";
                case "COMPLETED" -> "221";
                case "REJECTED" -> "232";
                default -> "233";
            };
        };
    }

    /**
     * The product Q&amp;As asked on the days {@code [start, end]} (Korean days, at most 7 of them) in answer state
     * {@code 00} (all), {@code 01} (answered) or {@code 02} (unanswered); refused with result code 500 as 11st does.
     */
    private Served inquiries(Context ctx) {
        List<String> p = ctx.route().params();
        Optional<Instant[]> days = days(p.get(0), p.get(1));
        if (days.isEmpty()) {
            return listRefused("ns2:productQnas", "500", "검색기간(" + p.get(0) + " ~ " + p.get(1) + ")의 형식이 올바르지 않습니다. (YYYYMMDD)");
        }
        if (Duration.between(days.get()[0], days.get()[1]).compareTo(Duration.ofDays(7)) > 0) {
            return listRefused("ns2:productQnas", "500", "최대 조회기간은 7일 입니다.");
        }
        String status = p.get(2);
        if (!Set.of("00", "01", "02").contains(status)) {
            return listRefused("ns2:productQnas", "500", "처리여부 '" + status + "'가 올바르지 않습니다. (00 전체, 01 답변완료, 02 미답변)");
        }
        List<RecordBook.SimRecord> found = records.between(ctx.seller().sellerId(), RecordBook.Kind.INQUIRIES, days.get()[0],
                days.get()[1]).stream().filter(r -> status.equals("00") || status.equals("01") == r.state().equals("ANSWERED"))
                .toList();
        StringBuilder xml = new StringBuilder(declaration()).append("<ns2:productQnas xmlns:ns2=\"").append(NAMESPACE).append("\">");
        if (found.isEmpty()) {
            element(xml, "ns2:result_code", "0");
            element(xml, "ns2:result_text", NO_RESULT);
        }
        for (RecordBook.SimRecord r : found) {
            boolean answered = r.state().equals("ANSWERED");
            xml.append("<ns2:productQna>");
            element(xml, "answerCont", answered ? r.attrs().get("answer") : "");
            element(xml, "answerDt", answered ? r.updatedAt().atOffset(KST).format(SLASHED_DAY) : "");
            element(xml, "answerYn", answered ? "Y" : "N");
            element(xml, "brdInfoClfNo", r.attrs().get("productId"));
            element(xml, "brdInfoCont", r.attrs().get("question"));
            element(xml, "brdInfoNo", r.id());
            element(xml, "brdInfoSbjct", r.attrs().get("title"));
            element(xml, "buyYn", "N");
            element(xml, "createDt", kst(r.createdAt()) + ".0");
            element(xml, "dispYn", "Y");
            element(xml, "memID", "sim****");
            element(xml, "memNM", "김**");
            element(xml, "prdNm", "시뮬레이션 상품 " + r.attrs().get("productId"));
            element(xml, "qnaDtlsCd", "01");
            element(xml, "qnaDtlsCdNm", "상품");
            xml.append("</ns2:productQna>");
        }
        xml.append("</ns2:productQnas>");
        return new Served(SimResponse.bytes(200, CONTENT_TYPE, xml.toString().getBytes(CHARSET)), Outcome.OK);
    }

    /**
     * The settlement rows of purchases confirmed on the days {@code [start, end]} (at most 31): one row answered as the
     * root {@code <ns2:seStlDtlList>} itself, several as {@code <ns2:seStlDtlList>} rows under {@code <ns2:seStlDtlLists>}
     * (as public clients read them [O]); none as {@code <ns2:orders>} with result code 0. A SETTLED row's remittance day
     * has passed at the market's clock, a SCHEDULED one's is two days ahead.
     */
    private Served settlements(Context ctx, Stamp stamp) {
        List<String> p = ctx.route().params();
        Optional<Instant[]> days = days(p.get(0), p.get(1));
        if (days.isEmpty()) {
            return listRefused("ns2:orders", "-1", "검색기간(" + p.get(0) + " ~ " + p.get(1) + ")의 형식이 올바르지 않습니다. (YYYYMMDD)");
        }
        if (Duration.between(days.get()[0], days.get()[1]).compareTo(Duration.ofDays(31)) > 0) {
            return listRefused("ns2:orders", "2", "최대 31일까지만 조회가능합니다.");
        }
        List<RecordBook.SimRecord> found = records.between(ctx.seller().sellerId(), RecordBook.Kind.SETTLEMENTS, days.get()[0],
                days.get()[1]);
        if (found.isEmpty()) {
            return new Served(result(200, "ns2:orders", "0", NO_RESULT), Outcome.OK);
        }
        java.time.LocalDate today = Instant.ofEpochMilli(stamp.millis()).atOffset(KST).toLocalDate();
        StringBuilder xml = new StringBuilder(declaration());
        boolean one = found.size() == 1;
        if (!one) {
            xml.append("<ns2:seStlDtlLists xmlns:ns2=\"").append(NAMESPACE).append("\">");
        }
        for (RecordBook.SimRecord r : found) {
            java.time.LocalDate confirmed = r.createdAt().atOffset(KST).toLocalDate();
            java.time.LocalDate remit = r.state().equals("SETTLED") ? confirmed : today.plusDays(2);
            xml.append("<ns2:seStlDtlList").append(one ? " xmlns:ns2=\"" + NAMESPACE + "\"" : "").append('>');
            element(xml, "clmReqSeq", "");
            element(xml, "ordNo", r.id());
            element(xml, "ordPrdSeq", "1");
            element(xml, "ordQty", "1");
            element(xml, "ordStlEndDt", confirmed.minusDays(3).format(PATH_DAY));
            element(xml, "pocnfrmDt", confirmed.format(PATH_DAY));
            element(xml, "prdNm", "시뮬레이션 상품");
            element(xml, "selFee", Long.toString(Long.parseLong(r.attrs().get("amount")) / 10));
            element(xml, "selPrcAmt", r.attrs().get("amount"));
            element(xml, "stlAmt", Long.toString(Long.parseLong(r.attrs().get("amount")) * 9 / 10));
            element(xml, "stlDy", confirmed.plusDays(1).format(SLASHED_DAY));
            element(xml, "stlPlnDy", remit.format(SLASHED_DAY));
            if (one) {
                element(xml, "totalCount", "1");
            }
            xml.append("</ns2:seStlDtlList>");
        }
        if (!one) {
            element(xml, "totalCount", Integer.toString(found.size()));
            xml.append("</ns2:seStlDtlLists>");
        }
        return new Served(SimResponse.bytes(200, CONTENT_TYPE, xml.toString().getBytes(CHARSET)), Outcome.OK);
    }

    /** {@code [start day 00:00, end day + 1 00:00)} in Korea of two {@code yyyyMMdd}s, when both parse and end ≥ start. */
    private static Optional<Instant[]> days(String start, String end) {
        try {
            java.time.LocalDate from = java.time.LocalDate.parse(start, PATH_DAY);
            java.time.LocalDate to = java.time.LocalDate.parse(end, PATH_DAY);
            if (start.length() != 8 || end.length() != 8 || to.isBefore(from)) {
                return Optional.empty();
            }
            return Optional.of(new Instant[] {from.atStartOfDay().toInstant(KST), to.plusDays(1).atStartOfDay().toInstant(KST)});
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    // ---- actions on orders, Q&A and claims

    /**
     * {@code reqpackaging}: a paid line (202) of the key's seller is acknowledged once (it reads 301 from then on); again,
     * or a line past 202, is {@code -3206}; a cancelled line {@code -3211} [D apiSeq 1634]. Without an add-on the path
     * must say {@code N/null}.
     */
    private Served acknowledge(Context ctx) {
        List<String> p = ctx.route().params();
        String seller = ctx.seller().sellerId();
        if (!Set.of("Y", "N").contains(p.get(2)) || p.get(2).equals("N") && !p.get(3).equals("null")) {
            return refused("ResultOrder", "추가 구성 상품 여부 '" + p.get(2) + "'/번호 '" + p.get(3) + "'가 올바르지 않습니다. (N/null: 추가구성상품 없음)");
        }
        Optional<Order> line = DIGITS.matcher(p.get(0)).matches() ? orders.find(seller, p.get(0)) : Optional.empty();
        if (line.isEmpty() || !p.get(1).equals(Integer.toString(ordPrdSeq(line.get()))) || !p.get(4).equals(dlvNo(line.get()))) {
            return refused("ResultOrder", "주문 번호를 알 수 없습니다. (" + p.get(0) + "/" + p.get(1) + "/" + p.get(4) + ")");
        }
        Order o = effective(line.get());
        if (o.status().equals("B01")) {
            return new Served(result(200, "ResultOrder", "-3211", "주문취소된 주문건입니다."), Outcome.BAD_REQUEST);
        }
        if (!o.status().equals("202") || !acknowledged.add(seller + "/" + o.orderId())) {
            return new Served(result(200, "ResultOrder", "-3206", "이미 발주 처리 되었거나 , 발주 처리할 건이 없습니다."), Outcome.DUPLICATE);
        }
        return new Served(result(200, "ResultOrder", "0", "전체 1건이 정상적으로 발주처리가 되었습니다."), Outcome.OK);
    }

    /**
     * {@code prodqnaanswer}: the body must be {@code <ProductQna><answerCont>…</answerCont></ProductQna>}; the answer goes
     * through the market's records: a new answer or the same one again is 200 (11st updates the answer [D apiSeq 1885]);
     * a different answer to an answered question is refused with 500, as the market's records keep the first.
     */
    private Served answer(Context ctx, SimRequest req) {
        List<String> p = ctx.route().params();
        String body = new String(req.body() == null ? new byte[0] : req.body(), CHARSET);
        java.util.regex.Matcher m = ANSWER_BODY.matcher(body);
        if (!m.matches() || m.group(1).isBlank()) {
            return new Served(clientMessage(p, "500", "상품 Qna 글 번호 :" + p.get(0) + "의 답변 업데이트 실패. MSG : 요청 본문은"
                    + " <ProductQna><answerCont>답변내용</answerCont></ProductQna> 이어야 합니다."), Outcome.BAD_REQUEST);
        }
        String text = unescape(m.group(1));
        String seller = ctx.seller().sellerId();
        Optional<RecordBook.SimRecord> qna = records.find(seller, p.get(0)).filter(r -> r.kind() == RecordBook.Kind.INQUIRIES
                && r.attrs().get("productId").equals(p.get(1)));
        if (qna.isEmpty()) {
            return new Served(clientMessage(p, "500", "상품 Qna 글 번호 :" + p.get(0) + "의 답변 업데이트 실패. MSG : 상품 QnA 정보를 찾을 수 없습니다."),
                    Outcome.NOT_FOUND);
        }
        RecordBook.Outcome outcome = records.answer(seller, p.get(0), text);
        return switch (outcome.applied()) {
            case DONE, ALREADY -> new Served(clientMessage(p, "200", "상품 Qna 글 번호 : " + p.get(0) + "의 성공적으로 수정되었습니다."
                    + " 업데이트 된 내용 :" + text), outcome.applied() == RecordBook.Applied.DONE ? Outcome.OK : Outcome.DUPLICATE);
            default -> new Served(clientMessage(p, "500", "상품 Qna 글 번호 :" + p.get(0) + "의 답변 업데이트 실패. MSG : 이미 답변이 등록된 문의입니다."),
                    Outcome.BAD_REQUEST);
        };
    }

    private static final Pattern ANSWER_BODY = Pattern.compile(
            "\\s*(?:<\\?xml[^>]*\\?>)?\\s*<ProductQna>\\s*<answerCont>(.*)</answerCont>\\s*</ProductQna>\\s*", Pattern.DOTALL);

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    private static SimResponse clientMessage(List<String> p, String code, String message) {
        StringBuilder xml = new StringBuilder(declaration()).append("<ClientMessage>");
        element(xml, "brdInfoNo", p.get(0));
        element(xml, "message", message);
        element(xml, "productNo", p.get(1));
        element(xml, "resultCode", code);
        xml.append("</ClientMessage>");
        return SimResponse.bytes(200, CONTENT_TYPE, xml.toString().getBytes(CHARSET));
    }

    /**
     * The claim decisions, through the market's records: {@code cancelreqconf}, {@code returnreqconf},
     * {@code exchangereqconf} (with the carrier and invoice of the goods sent) approve; {@code returnreqreject} and
     * {@code exchangereqreject} (reason codes 101-104, 201-204) refuse. A cancellation approved again is -1 "이미 취소
     * 완료된 신청건 입니다." [D 1640]; any other decision on a claim not requested is 11st's "not in the requested state"
     * answer of the call [D 1644, 1645, 1650].
     */
    private Served decide(Context ctx) {
        List<String> p = ctx.route().params();
        String service = p.get(0);
        boolean approve = service.endsWith("reqconf");
        String type = service.startsWith("cancel") ? "CANCEL" : service.startsWith("return") ? "RETURN" : "EXCHANGE";
        String seq = approve ? p.get(1) : p.get(3);
        String ordNo = approve ? p.get(2) : p.get(1);
        String reason = null;
        if (!approve) {
            Set<String> codes = type.equals("RETURN") ? Set.of("101", "102", "103", "104") : Set.of("201", "202", "203", "204");
            if (!codes.contains(p.get(4)) || p.get(5).isBlank()) {
                return refused("ResultOrder", "거부 사유코드 '" + p.get(4) + "' 또는 사유가 올바르지 않습니다. (" + new java.util.TreeSet<>(codes) + ")");
            }
            reason = p.get(5);
        } else if (type.equals("EXCHANGE") && (!CARRIER.matcher(p.get(4)).matches() || !INVOICE.matcher(p.get(5)).matches())) {
            return refused("ResultOrder", "택배사 코드 '" + p.get(4) + "' 또는 송장번호 '" + p.get(5) + "'가 올바르지 않습니다.");
        }
        String seller = ctx.seller().sellerId();
        Optional<RecordBook.SimRecord> claim = records.find(seller, seq).filter(r -> r.kind() == RecordBook.Kind.CLAIMS
                && r.attrs().get("claimType").equals(type) && r.attrs().get("orderId").equals(ordNo));
        String prefix = switch (type + approve) {
            case "CANCELtrue" -> "-2200";
            case "RETURNtrue" -> "-2400";
            case "RETURNfalse" -> "-2500";
            default -> "-2600";
        };
        if (claim.isEmpty()) {
            return new Served(result(200, "ResultOrder", prefix + "4", "클레임 번호를 알 수 없습니다."), Outcome.NOT_FOUND);
        }
        RecordBook.Outcome outcome = records.decideClaim(seller, seq, approve, reason);
        return switch (outcome.applied()) {
            case DONE -> new Served(result(200, "ResultOrder", "0", type.equals("CANCEL") ? "전체 1건이 정상적으로 취소처리가 되었습니다."
                    : "정상 처리되었습니다."), Outcome.OK);
            case ALREADY -> type.equals("CANCEL")
                    ? new Served(result(200, "ResultOrder", "-1", "이미 취소 완료된 신청건 입니다."), Outcome.DUPLICATE)
                    : new Served(notRequested(type, approve), Outcome.DUPLICATE);
            default -> new Served(type.equals("CANCEL") ? result(200, "ResultOrder", "-1", "취소 신청 상태가 아닙니다. ("
                    + outcome.reason() + ")") : notRequested(type, approve), Outcome.BAD_REQUEST);
        };
    }

    private static SimResponse notRequested(String type, boolean approve) {
        return switch (type + approve) {
            case "RETURNtrue" -> result(200, "ResultOrder", "-24006", "반품 신청또는 접수 상태가 아니어서 반품을 완료 할 수 없습니다.");
            case "RETURNfalse" -> result(200, "ResultOrder", "-1", "반품 신청상태가 아니어서 반품거부를 할 수 없습니다.");
            case "EXCHANGEtrue" -> result(200, "ResultOrder", "-1", "교환신청 상태가 아니어서 교환승인을 할 수 없습니다.");
            default -> result(200, "ResultOrder", "-26006", "교환신청 상태가 아니어서 교환접수거부를 할 수 없습니다.");
        };
    }

    private static Served listRefused(String root, String code, String text) {
        return new Served(result(200, root, code, text), Outcome.BAD_REQUEST);
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
