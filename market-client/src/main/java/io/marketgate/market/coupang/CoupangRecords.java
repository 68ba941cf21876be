package io.marketgate.market.coupang;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.SettlementStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Coupang's records of the kinds other than orders, read into {@link MarketRecord}s: return and cancel requests and
 * exchange requests (claims), online inquiries, seller products and revenue-history lines (settlements). Each method
 * throws {@link IllegalArgumentException} naming the field when the answer is not Coupang's shape; the adapter turns it
 * into a final outcome with an excerpt of the body.
 *
 * <p>Claim ids carry the API they belong to, because Coupang acts on returns and exchanges through different calls:
 * {@code return-50229613} and {@code cancel-50229614} (a {@code receiptId} of {@code returnRequests}),
 * {@code exchange-101268974} (an {@code exchangeId} of {@code exchangeRequests}).
 */
final class CoupangRecords {

    /** A claim id: {@code return-}, {@code cancel-} or {@code exchange-} and Coupang's number. */
    static final Pattern CLAIM_ID = Pattern.compile("(return|cancel|exchange)-([0-9]{1,19})");
    /** Coupang's numeric ids (inquiryId, vendorItemId, sellerProductId). */
    static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");

    /** {@code receiptStatus} of a return or cancel request [D CPM return-api]. */
    static final List<String> RETURN_STATUSES = List.of("RELEASE_STOP_UNCHECKED", "RETURNS_UNCHECKED", "VENDOR_WAREHOUSE_CONFIRM",
            "REQUEST_COUPANG_CHECK", "RETURNS_COMPLETED");
    /** {@code exchangeStatus} of an exchange request [D CPM exchange-api]. */
    static final List<String> EXCHANGE_STATUSES = List.of("RECEIPT", "PROGRESS", "SUCCESS", "REJECT", "CANCEL");
    /** {@code statusName} of a seller product [D CPD 360033644994]: under review, saved, awaiting approval, approved, partly approved, refused, deleted. */
    static final List<String> PRODUCT_STATUSES = List.of("심사중", "임시저장", "승인대기중", "승인완료", "부분승인완료", "승인반려", "상품삭제");

    private static final DateTimeFormatter T_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SPACE_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    private CoupangRecords() {}

    /** The common status of a return or cancel request's {@code receiptStatus}. */
    static ClaimStatus returnStatus(String receiptStatus) {
        return switch (receiptStatus) {
            case "RELEASE_STOP_UNCHECKED", "RETURNS_UNCHECKED" -> ClaimStatus.REQUESTED;
            case "VENDOR_WAREHOUSE_CONFIRM", "REQUEST_COUPANG_CHECK" -> ClaimStatus.IN_PROGRESS;
            case "RETURNS_COMPLETED" -> ClaimStatus.COMPLETED;
            default -> throw new IllegalArgumentException("receiptStatus '" + receiptStatus + "' is not one of " + RETURN_STATUSES);
        };
    }

    /** The common status of an exchange request's {@code exchangeStatus}. */
    static ClaimStatus exchangeStatus(String exchangeStatus) {
        return switch (exchangeStatus) {
            case "RECEIPT" -> ClaimStatus.REQUESTED;
            case "PROGRESS" -> ClaimStatus.IN_PROGRESS;
            case "SUCCESS" -> ClaimStatus.COMPLETED;
            case "REJECT" -> ClaimStatus.REJECTED;
            case "CANCEL" -> ClaimStatus.WITHDRAWN;
            default -> throw new IllegalArgumentException("exchangeStatus '" + exchangeStatus + "' is not one of " + EXCHANGE_STATUSES);
        };
    }

    /**
     * A return or cancel request of {@code returnRequests}: id {@code return-{receiptId}} (or {@code cancel-} when its
     * {@code receiptType} is CANCEL), dated by {@code modifiedAt} (else {@code createdAt}).
     */
    static MarketRecord returnRequest(JsonNode r, String where) {
        object(r, where);
        long receiptId = number(r, "receiptId", where);
        String type = text(r, "receiptType", where);
        String status = text(r, "receiptStatus", where);
        ClaimStatus common = returnStatus(status);
        Instant created = time(r, "createdAt", where, T_SECONDS);
        Instant modified = optionalText(r, "modifiedAt").isEmpty() ? created : time(r, "modifiedAt", where, T_SECONDS);
        Map<String, String> fields = new LinkedHashMap<>();
        String claimType = "CANCEL".equals(type) ? "CANCEL" : "RETURN";
        fields.put("claimType", claimType);
        fields.put("orderId", Long.toString(number(r, "orderId", where)));
        fields.put("reason", reason(optionalText(r, "cancelReasonCategory2"), optionalText(r, "reasonCodeText"), optionalText(r, "cancelReason")));
        fields.put("requestedAt", created.toString());
        String id = claimType.toLowerCase(java.util.Locale.ROOT) + "-" + receiptId;
        return new MarketRecord(DataKind.CLAIMS, id, status, common, modified, modified, fields, r.toString());
    }

    /** An exchange request of {@code exchangeRequests}: id {@code exchange-{exchangeId}}. */
    static MarketRecord exchangeRequest(JsonNode r, String where) {
        object(r, where);
        long exchangeId = number(r, "exchangeId", where);
        String status = text(r, "exchangeStatus", where);
        ClaimStatus common = exchangeStatus(status);
        Instant created = time(r, "createdAt", where, T_SECONDS);
        Instant modified = optionalText(r, "modifiedAt").isEmpty() ? created : time(r, "modifiedAt", where, T_SECONDS);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("claimType", "EXCHANGE");
        fields.put("orderId", Long.toString(number(r, "orderId", where)));
        fields.put("reason", reason(optionalText(r, "reasonCodeText"), optionalText(r, "reasonEtcDetail"), optionalText(r, "cancelReason")));
        fields.put("requestedAt", created.toString());
        return new MarketRecord(DataKind.CLAIMS, "exchange-" + exchangeId, status, common, modified, modified, fields, r.toString());
    }

    /**
     * An online inquiry of {@code onlineInquiries}: id the {@code inquiryId}; answered when {@code commentDtoList} has
     * a reply (its status is Coupang's {@code answeredType} word, ANSWERED or NOANSWER), the last reply being the
     * answer; {@code productId} is the {@code vendorItemId}, the option Coupang's price and stock calls take.
     */
    static MarketRecord inquiry(JsonNode r, String where) {
        object(r, where);
        long inquiryId = number(r, "inquiryId", where);
        Instant asked = time(r, "inquiryAt", where, SPACE_SECONDS);
        JsonNode comments = r.path("commentDtoList");
        if (!comments.isMissingNode() && !comments.isNull() && !comments.isArray()) {
            throw new IllegalArgumentException(where + ".commentDtoList must be a list");
        }
        Instant updated = asked;
        String answer = null;
        for (int i = 0; i < comments.size(); i++) {
            JsonNode c = comments.get(i);
            answer = optionalText(c, "content");
            if (!optionalText(c, "inquiryCommentAt").isEmpty()) {
                Instant at = time(c, "inquiryCommentAt", where + ".commentDtoList[" + i + "]", SPACE_SECONDS);
                updated = at.isAfter(updated) ? at : updated;
            }
        }
        boolean answered = comments.size() > 0;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("question", optionalText(r, "content"));
        fields.put("answer", answer);
        JsonNode item = r.get("vendorItemId");
        fields.put("productId", item != null && item.isIntegralNumber() ? item.asText() : null);
        JsonNode orders = r.path("orderIds");
        fields.put("orderId", orders.isArray() && orders.size() > 0 ? orders.get(0).asText() : null);
        fields.put("askedAt", asked.toString());
        return new MarketRecord(DataKind.INQUIRIES, Long.toString(inquiryId), answered ? "ANSWERED" : "NOANSWER",
                answered ? InquiryStatus.ANSWERED : InquiryStatus.UNANSWERED, updated, null, fields, r.toString());
    }

    /**
     * A seller product of {@code seller-products}: id the {@code sellerProductId}, status its {@code statusName}:
     * approved (승인완료, 부분승인완료) is on sale until its {@code saleEndedAt}, deleted (상품삭제) or past its sale end is
     * ended, the rest (under review, saved, awaiting approval, refused) is not on sale. The list gives no price or stock
     * (they are per option: {@code vendor-items/{vendorItemId}/inventories}).
     */
    static MarketRecord product(JsonNode r, String where, Instant now) {
        object(r, where);
        long id = number(r, "sellerProductId", where);
        String status = text(r, "statusName", where);
        if (!PRODUCT_STATUSES.contains(status)) {
            throw new IllegalArgumentException(where + ".statusName '" + status + "' is not one of " + PRODUCT_STATUSES);
        }
        Instant ends = optionalText(r, "saleEndedAt").isEmpty() ? null : time(r, "saleEndedAt", where, T_SECONDS);
        ProductStatus common = switch (status) {
            case "상품삭제" -> ProductStatus.ENDED;
            case "승인완료", "부분승인완료" -> ends != null && !ends.isAfter(now) ? ProductStatus.ENDED : ProductStatus.ON_SALE;
            default -> ProductStatus.SUSPENDED;
        };
        Instant created = optionalText(r, "createdAt").isEmpty() ? now : time(r, "createdAt", where, T_SECONDS);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", optionalText(r, "sellerProductName"));
        return new MarketRecord(DataKind.PRODUCTS, Long.toString(id), status, common, created, null, fields, r.toString());
    }

    /**
     * A line of {@code revenue-history}: one order's sale or refund recognized on a day. Id
     * {@code {orderId}-{saleType}-{recognitionDate}} (an order may have a sale and refunds); the amount is the sum of its
     * items' and its delivery fee's {@code settlementAmount} (null counts 0); settled once its {@code settlementDate}
     * (the payment day) has come in Korea.
     */
    static MarketRecord settlement(JsonNode r, String where, LocalDate today) {
        object(r, where);
        long orderId = number(r, "orderId", where);
        String saleType = text(r, "saleType", where);
        LocalDate recognized = day(r, "recognitionDate", where);
        LocalDate settles = day(r, "settlementDate", where);
        long amount = 0;
        JsonNode items = r.path("items");
        if (!items.isArray()) {
            throw new IllegalArgumentException(where + ".items must be a list");
        }
        for (int i = 0; i < items.size(); i++) {
            amount += amount(items.get(i).get("settlementAmount"), where + ".items[" + i + "].settlementAmount");
        }
        amount += amount(r.path("deliveryFee").get("settlementAmount"), where + ".deliveryFee.settlementAmount");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("amount", Long.toString(amount));
        fields.put("settleDate", settles.toString());
        fields.put("orderId", Long.toString(orderId));
        boolean settled = !settles.isAfter(today);
        Instant at = recognized.atStartOfDay(CoupangAdapter.KST).toInstant();
        return new MarketRecord(DataKind.SETTLEMENTS, orderId + "-" + saleType + "-" + recognized, settled ? "SETTLED" : "SCHEDULED",
                settled ? SettlementStatus.SETTLED : SettlementStatus.SCHEDULED, at, null, fields, r.toString());
    }


    private static long amount(JsonNode n, String where) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return 0;
        }
        if (!n.isIntegralNumber()) {
            throw new IllegalArgumentException(where + " must be a whole number of won");
        }
        return n.asLong();
    }

    private static String reason(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                b.append(b.isEmpty() ? "" : " / ").append(p.strip());
            }
        }
        return b.isEmpty() ? null : b.toString();
    }

    private static void object(JsonNode r, String where) {
        if (r == null || !r.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
    }

    private static long number(JsonNode r, String field, String where) {
        JsonNode n = r.get(field);
        if (n != null && n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n != null && n.isTextual() && NUMBER.matcher(n.textValue()).matches()) {
            return Long.parseLong(n.textValue());
        }
        throw new IllegalArgumentException(where + "." + field + " must be a whole number, was " + (n == null ? "absent" : n.toString()));
    }

    private static String text(JsonNode r, String field, String where) {
        JsonNode n = r.get(field);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw new IllegalArgumentException(where + "." + field + " must be a non-empty text, was " + (n == null ? "absent" : n.toString()));
        }
        return n.textValue();
    }

    private static String optionalText(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || n.isNull() ? "" : n.asText("");
    }

    private static Instant time(JsonNode r, String field, String where, DateTimeFormatter format) {
        String text = text(r, field, where);
        try {
            return LocalDateTime.parse(text, format).atZone(CoupangAdapter.KST).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + field + " '" + text + "' is not Korean time "
                    + (format == SPACE_SECONDS ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss"));
        }
    }

    private static LocalDate day(JsonNode r, String field, String where) {
        String text = text(r, field, where);
        try {
            return LocalDate.parse(text, DAY);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + field + " '" + text + "' is not yyyy-MM-dd");
        }
    }
}
