package io.marketgate.handlers.sqs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.Seller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The body of a message on a market's FIFO action queue: one action of any {@link ActionType}, with the fields of its
 * type only (the others absent). Sent with MessageGroupId {@link #messageGroupId()} (actions on one record stay in
 * order) and a MessageDeduplicationId made from {@code idempotencyKey}.
 *
 * <pre>{@code
 * {"actionId":"a-1","idempotencyKey":"shop:ship-1","market":"coupang","sellerId":"A001",
 *  "type":"SHIP_ORDER","orderId":"O-1","carrier":"CJ","trackingNumber":"123456789"}
 * {"actionId":"a-2","idempotencyKey":"shop:answer-7","market":"coupang","sellerId":"A001",
 *  "type":"ANSWER_INQUIRY","inquiryId":"Q-7","text":"It ships tomorrow."}
 * }</pre>
 *
 * Messages written before the other actions existed (SHIP_ORDER with its three fields) read as they are.
 *
 * @throws IllegalArgumentException naming the field when one its type needs is missing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionMessage(String actionId, String idempotencyKey, String market, String sellerId, ActionType type,
        String orderId, String carrier, String trackingNumber, String inquiryId, String reviewId, String productId,
        String claimId, String text, Long price, Integer stock, String status, String reason) {

    /** The longest MessageGroupId SQS takes. */
    static final int MAX_GROUP_ID = 128;

    /**
     * The actions a message (and {@code POST /v1/actions}) can ask for, by the names requests use; each is the
     * {@link MarketAction} of {@link #actionName()}, acting on a record of {@link #target()} named by {@link #idField()}.
     */
    public enum ActionType {
        SHIP_ORDER("ship-order", DataKind.ORDERS, "orderId", List.of("carrier", "trackingNumber")),
        ACKNOWLEDGE_ORDER("acknowledge-order", DataKind.ORDERS, "orderId", List.of()),
        ANSWER_INQUIRY("answer-inquiry", DataKind.INQUIRIES, "inquiryId", List.of("text")),
        REPLY_REVIEW("reply-review", DataKind.REVIEWS, "reviewId", List.of("text")),
        CHANGE_PRICE("change-price", DataKind.PRODUCTS, "productId", List.of("price")),
        CHANGE_STOCK("change-stock", DataKind.PRODUCTS, "productId", List.of("stock")),
        CHANGE_SALE_STATUS("change-sale-status", DataKind.PRODUCTS, "productId", List.of("status")),
        CONFIRM_CLAIM("confirm-claim", DataKind.CLAIMS, "claimId", List.of()),
        REJECT_CLAIM("reject-claim", DataKind.CLAIMS, "claimId", List.of("reason"));

        private final String actionName;
        private final DataKind target;
        private final String idField;
        private final List<String> valueFields;

        ActionType(String actionName, DataKind target, String idField, List<String> valueFields) {
            this.actionName = actionName;
            this.target = target;
            this.idField = idField;
            this.valueFields = valueFields;
        }

        /** The action's {@link MarketAction#name()}: {@code answer-inquiry}. */
        public String actionName() {
            return actionName;
        }

        /** The kind of record the action acts on. */
        public DataKind target() {
            return target;
        }

        /** The request field that names the record: {@code orderId}, {@code inquiryId}, … */
        public String idField() {
            return idField;
        }

        /** The fields besides the id that the action needs: {@code text}, {@code price}, … */
        public List<String> valueFields() {
            return valueFields;
        }

        /** The id field and the value fields. */
        public List<String> fields() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(idField), valueFields.stream()).toList();
        }

        /** The type of {@code action}. */
        public static ActionType of(MarketAction action) {
            for (ActionType t : values()) {
                if (t.actionName.equals(action.name())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("no action type for " + action.name());
        }
    }

    @JsonCreator
    public ActionMessage {
        Messages.require("actionId", actionId);
        Messages.require("idempotencyKey", idempotencyKey);
        Messages.require("market", market);
        Messages.require("sellerId", sellerId);
        if (type == null) {
            throw new IllegalArgumentException("type is missing");
        }
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("orderId", orderId);
        values.put("carrier", carrier);
        values.put("trackingNumber", trackingNumber);
        values.put("inquiryId", inquiryId);
        values.put("reviewId", reviewId);
        values.put("productId", productId);
        values.put("claimId", claimId);
        values.put("text", text);
        values.put("price", price);
        values.put("stock", stock);
        values.put("status", status);
        values.put("reason", reason);
        for (String field : type.fields()) {
            Object v = values.get(field);
            if (v == null || (v instanceof String s && s.isBlank())) {
                throw new IllegalArgumentException(field + " is missing (a " + type + " needs " + String.join(", ", type.fields()) + ")");
            }
        }
    }

    /** A SHIP_ORDER message, as they were before the other actions. */
    public ActionMessage(String actionId, String idempotencyKey, String market, String sellerId, ActionType type,
            String orderId, String carrier, String trackingNumber) {
        this(actionId, idempotencyKey, market, sellerId, type, orderId, carrier, trackingNumber, null, null, null, null,
                null, null, null, null, null);
    }

    /** The message of {@code action}, for {@code market}. */
    public static ActionMessage of(String actionId, String idempotencyKey, String market, MarketAction action) {
        String seller = action.seller().id();
        return switch (action) {
            case MarketAction.ShipOrder a -> new ActionMessage(actionId, idempotencyKey, market, seller, ActionType.SHIP_ORDER,
                    a.orderId(), a.carrier(), a.trackingNumber());
            case MarketAction.AcknowledgeOrder a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.ACKNOWLEDGE_ORDER, a.orderId(), null, null, null, null, null, null, null, null, null, null, null);
            case MarketAction.AnswerInquiry a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.ANSWER_INQUIRY, null, null, null, a.inquiryId(), null, null, null, a.text(), null, null, null, null);
            case MarketAction.ReplyReview a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.REPLY_REVIEW, null, null, null, null, a.reviewId(), null, null, a.text(), null, null, null, null);
            case MarketAction.ChangePrice a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.CHANGE_PRICE, null, null, null, null, null, a.productId(), null, null, a.price(), null, null, null);
            case MarketAction.ChangeStock a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.CHANGE_STOCK, null, null, null, null, null, a.productId(), null, null, null, a.stock(), null, null);
            case MarketAction.ChangeSaleStatus a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.CHANGE_SALE_STATUS, null, null, null, null, null, a.productId(), null, null, null, null,
                    a.status().name(), null);
            case MarketAction.ConfirmClaim a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.CONFIRM_CLAIM, null, null, null, null, null, null, a.claimId(), null, null, null, null, null);
            case MarketAction.RejectClaim a -> new ActionMessage(actionId, idempotencyKey, market, seller,
                    ActionType.REJECT_CLAIM, null, null, null, null, null, null, a.claimId(), null, null, null, null, a.reason());
        };
    }

    /**
     * The market action this message asks for, on behalf of {@code seller} (the seller as the registry knows it).
     *
     * @throws IllegalArgumentException naming the field when a value breaks the action's rules
     */
    public MarketAction action(Seller seller) {
        return switch (type) {
            case SHIP_ORDER -> new MarketAction.ShipOrder(seller, orderId, carrier, trackingNumber);
            case ACKNOWLEDGE_ORDER -> new MarketAction.AcknowledgeOrder(seller, orderId);
            case ANSWER_INQUIRY -> new MarketAction.AnswerInquiry(seller, inquiryId, text);
            case REPLY_REVIEW -> new MarketAction.ReplyReview(seller, reviewId, text);
            case CHANGE_PRICE -> new MarketAction.ChangePrice(seller, productId, price);
            case CHANGE_STOCK -> new MarketAction.ChangeStock(seller, productId, stock);
            case CHANGE_SALE_STATUS -> new MarketAction.ChangeSaleStatus(seller, productId, saleStatus());
            case CONFIRM_CLAIM -> new MarketAction.ConfirmClaim(seller, claimId);
            case REJECT_CLAIM -> new MarketAction.RejectClaim(seller, claimId, reason);
        };
    }

    private ProductStatus saleStatus() {
        try {
            return ProductStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status is " + status + ", must be ON_SALE or SUSPENDED");
        }
    }

    /** The id of the record the action acts on (the value of {@link ActionType#idField()}). */
    @JsonIgnore
    public String targetId() {
        return switch (type.target()) {
            case ORDERS -> orderId;
            case INQUIRIES -> inquiryId;
            case REVIEWS -> reviewId;
            case PRODUCTS -> productId;
            case CLAIMS -> claimId;
            case SETTLEMENTS -> throw new IllegalStateException("no action acts on a settlement");
        };
    }

    /**
     * The FIFO group that keeps actions on one record in order: {@code market:sellerId:orderId} for an order (as
     * before the other actions, so that messages already queued share their order's group), and
     * {@code market:sellerId:<kind>:<id>} for the others ({@code coupang:A001:inquiries:Q-7}). One longer than SQS's
     * 128 characters is {@code market:} and the SHA-256 of the whole, the same for every action on the record.
     */
    public String messageGroupId() {
        String group = type.target() == DataKind.ORDERS ? market + ":" + sellerId + ":" + orderId
                : market + ":" + sellerId + ":" + type.target().configName() + ":" + targetId();
        return group.length() <= MAX_GROUP_ID ? group : market + ":" + sha256(group);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
