package io.marketgate.market.naver;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.RecordStatus;
import io.marketgate.market.SettlementStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Naver's records of the kinds other than orders, read from its answers into {@link MarketRecord}s with the kinds'
 * common statuses (the package documentation has the mapping). Each method throws {@link NaverAdapter.Malformed} for
 * a record that is not Naver's protocol.
 */
final class NaverRecords {

    /** The claim types that are claims of the common model (a buyer's or an administrator's cancel, a return, an exchange). */
    static final Set<String> CLAIM_TYPES = Set.of("CANCEL", "RETURN", "EXCHANGE", "ADMIN_CANCEL");
    /** Between a claim id's claim type and its product order id. */
    static final char CLAIM_ID_SEPARATOR = '.';

    private static final ZoneOffset KST = ZoneOffset.ofHours(9);

    private NaverRecords() {}

    /**
     * The common status of a {@code claimStatus} [D]: {@code *_REQUEST} requested; {@code CANCELING},
     * {@code COLLECTING}, {@code COLLECT_DONE}, {@code EXCHANGE_REDELIVERING}, {@code ADMIN_CANCELING} and the purchase
     * decision holdbacks in progress; {@code *_DONE} completed; {@code *_REJECT} rejected. Naver's {@code *_REJECT} is
     * "철회": the seller's rejection and the buyer's withdrawal alike, so a withdrawn claim shows as REJECTED.
     *
     * @throws IllegalArgumentException naming the code when Naver does not document it
     */
    static ClaimStatus claimStatus(String code) {
        return switch (code == null ? "" : code) {
            case "CANCEL_REQUEST", "RETURN_REQUEST", "EXCHANGE_REQUEST", "PURCHASE_DECISION_REQUEST" -> ClaimStatus.REQUESTED;
            case "CANCELING", "COLLECTING", "COLLECT_DONE", "EXCHANGE_REDELIVERING", "ADMIN_CANCELING",
                    "PURCHASE_DECISION_HOLDBACK", "PURCHASE_DECISION_HOLDBACK_RELEASE" -> ClaimStatus.IN_PROGRESS;
            case "CANCEL_DONE", "RETURN_DONE", "EXCHANGE_DONE", "ADMIN_CANCEL_DONE" -> ClaimStatus.COMPLETED;
            case "CANCEL_REJECT", "RETURN_REJECT", "EXCHANGE_REJECT", "ADMIN_CANCEL_REJECT" -> ClaimStatus.REJECTED;
            default -> throw new IllegalArgumentException("claimStatus '" + code + "' is not one of Naver's claim states");
        };
    }

    /**
     * The common status of a product's {@code statusType} [D]: {@code SALE} on sale; {@code OUTOFSTOCK} sold out;
     * {@code SUSPENSION}, {@code WAIT}, {@code UNADMISSION} and {@code REJECTION} not on sale but able to be;
     * {@code CLOSE}, {@code PROHIBITION} and {@code DELETE} ended.
     *
     * @throws IllegalArgumentException naming the code when Naver does not document it
     */
    static ProductStatus productStatus(String code) {
        return switch (code == null ? "" : code) {
            case "SALE" -> ProductStatus.ON_SALE;
            case "OUTOFSTOCK" -> ProductStatus.SOLD_OUT;
            case "SUSPENSION", "WAIT", "UNADMISSION", "REJECTION" -> ProductStatus.SUSPENDED;
            case "CLOSE", "PROHIBITION", "DELETE" -> ProductStatus.ENDED;
            default -> throw new IllegalArgumentException("statusType '" + code + "' is not one of Naver's product states");
        };
    }

    /** The claim id of a claim of {@code claimType} on {@code productOrderId}: {@code RETURN.2026110112345678}. */
    static String claimId(String claimType, String productOrderId) {
        return claimType + CLAIM_ID_SEPARATOR + productOrderId;
    }

    /**
     * One item of the last-changed list as a claim; empty when the item is no claim of the common model (no claim
     * type, or a purchase decision holdback).
     */
    static Optional<MarketRecord> claim(JsonNode item, String where) throws NaverAdapter.Malformed {
        JsonNode type = item.get("claimType");
        if (type == null || type.isNull() || !CLAIM_TYPES.contains(type.asText())) {
            return Optional.empty();
        }
        String productOrderId = text(item, "productOrderId", where);
        String status = text(item, "claimStatus", where);
        RecordStatus common;
        try {
            common = claimStatus(status);
        } catch (IllegalArgumentException e) {
            throw new NaverAdapter.Malformed(where + "." + e.getMessage(), item.toString());
        }
        Instant changed = time(item, "lastChangedDate", where);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("claimType", type.asText());
        JsonNode orderId = item.get("orderId");
        if (orderId != null && (orderId.isTextual() || orderId.isNumber())) {
            fields.put("orderId", orderId.asText());
        }
        return Optional.of(new MarketRecord(DataKind.CLAIMS, claimId(type.asText(), productOrderId), status, common, changed,
                changed, fields, item.toString()));
    }

    /** One product question of {@code GET /v1/contents/qnas}. */
    static MarketRecord inquiry(JsonNode content, String where) throws NaverAdapter.Malformed {
        JsonNode id = content.get("questionId");
        if (id == null || !id.isIntegralNumber()) {
            throw new NaverAdapter.Malformed(where + ".questionId must be a number", content.toString());
        }
        JsonNode answered = content.get("answered");
        if (answered == null || !answered.isBoolean()) {
            throw new NaverAdapter.Malformed(where + ".answered must be true or false", content.toString());
        }
        Instant asked = time(content, "createDate", where);
        Map<String, String> fields = new LinkedHashMap<>();
        optionalText(content, "question").ifPresent(v -> fields.put("question", v));
        optionalText(content, "answer").ifPresent(v -> fields.put("answer", v));
        JsonNode product = content.get("productId");
        if (product != null && (product.isNumber() || product.isTextual())) {
            fields.put("productId", product.asText());
        }
        fields.put("askedAt", asked.toString());
        InquiryStatus status = answered.booleanValue() ? InquiryStatus.ANSWERED : InquiryStatus.UNANSWERED;
        return new MarketRecord(DataKind.INQUIRIES, id.asText(), status.name(), status, asked, fields, content.toString());
    }

    /**
     * One origin product of {@code POST /v1/products/search}: its smartstore channel product (the first channel
     * product when it has none) gives the name, state, price and stock.
     */
    static MarketRecord product(JsonNode content, String where) throws NaverAdapter.Malformed {
        JsonNode id = content.get("originProductNo");
        if (id == null || !id.isIntegralNumber()) {
            throw new NaverAdapter.Malformed(where + ".originProductNo must be a number", content.toString());
        }
        JsonNode channels = content.get("channelProducts");
        if (channels == null || !channels.isArray() || channels.isEmpty()) {
            throw new NaverAdapter.Malformed(where + ".channelProducts must be a non-empty list", content.toString());
        }
        JsonNode channel = channels.get(0);
        for (JsonNode c : channels) {
            if ("STOREFARM".equals(c.path("channelServiceType").asText())) {
                channel = c;
                break;
            }
        }
        String at = where + ".channelProducts[]";
        String status = text(channel, "statusType", at);
        ProductStatus common;
        try {
            common = productStatus(status);
        } catch (IllegalArgumentException e) {
            throw new NaverAdapter.Malformed(at + "." + e.getMessage(), channel.toString());
        }
        Instant modified = channel.hasNonNull("modifiedDate") ? time(channel, "modifiedDate", at) : time(channel, "regDate", at);
        Map<String, String> fields = new LinkedHashMap<>();
        optionalText(channel, "name").ifPresent(v -> fields.put("name", v));
        JsonNode price = channel.get("salePrice");
        if (price != null && price.isIntegralNumber()) {
            fields.put("price", price.asText());
        }
        JsonNode stock = channel.get("stockQuantity");
        if (stock != null && stock.isIntegralNumber()) {
            fields.put("stock", stock.asText());
        }
        return new MarketRecord(DataKind.PRODUCTS, id.asText(), status, common, modified, modified, fields, content.toString());
    }

    /**
     * One daily settlement of {@code GET /v1/pay-settle/settle/daily}, whose id is its basis dates
     * ({@code 2026-11-01_2026-11-01}): SETTLED once it has a {@code settleCompleteDate}, else SCHEDULED; dated by its
     * basis start date (00:00 KST).
     */
    static MarketRecord settlement(JsonNode element, String where) throws NaverAdapter.Malformed {
        LocalDate start = date(element, "settleBasisStartDate", where);
        LocalDate end = element.hasNonNull("settleBasisEndDate") ? date(element, "settleBasisEndDate", where) : start;
        Optional<LocalDate> completed = element.hasNonNull("settleCompleteDate")
                ? Optional.of(date(element, "settleCompleteDate", where)) : Optional.empty();
        SettlementStatus status = completed.isPresent() ? SettlementStatus.SETTLED : SettlementStatus.SCHEDULED;
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode amount = element.get("settleAmount");
        if (amount != null && amount.isNumber()) {
            fields.put("amount", amount.decimalValue().stripTrailingZeros().toPlainString());
        }
        Optional<LocalDate> settleDate = completed.isPresent() ? completed
                : element.hasNonNull("settleExpectDate") ? Optional.of(date(element, "settleExpectDate", where)) : Optional.empty();
        settleDate.ifPresent(d -> fields.put("settleDate", d.toString()));
        return new MarketRecord(DataKind.SETTLEMENTS, start + "_" + end, status.name(), status,
                start.atStartOfDay(KST).toInstant(), fields, element.toString());
    }

    // ---- reading fields

    static String text(JsonNode node, String field, String where) throws NaverAdapter.Malformed {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !(value.isTextual() || value.isNumber()) || value.asText().isBlank()) {
            throw new NaverAdapter.Malformed(where + "." + field + " must be a non-empty text", String.valueOf(node));
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isEmpty() ? Optional.of(value.textValue()) : Optional.empty();
    }

    static Instant time(JsonNode node, String field, String where) throws NaverAdapter.Malformed {
        String text = text(node, field, where);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new NaverAdapter.Malformed(where + "." + field + " must be an ISO-8601 date-time with offset", node.toString());
        }
    }

    private static LocalDate date(JsonNode node, String field, String where) throws NaverAdapter.Malformed {
        String text = text(node, field, where);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new NaverAdapter.Malformed(where + "." + field + " must be a date yyyy-MM-dd", node.toString());
        }
    }

    /** The list {@code node.field}, or an empty one when it is absent or null. */
    static List<JsonNode> list(JsonNode node, String field) throws NaverAdapter.Malformed {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new NaverAdapter.Malformed(field + " is not a list", value.toString());
        }
        List<JsonNode> out = new java.util.ArrayList<>();
        value.forEach(out::add);
        return out;
    }
}
