package io.marketgate.handlers.sqs;

/**
 * The body of a message on a market's FIFO action queue. Sent with MessageGroupId {@link #messageGroupId()} (actions
 * on one order stay in order) and MessageDeduplicationId {@code idempotencyKey}.
 *
 * <pre>{@code
 * {"actionId":"a-1","idempotencyKey":"ship:coupang:A001:O-1","market":"coupang","sellerId":"A001",
 *  "type":"SHIP_ORDER","orderId":"O-1","carrier":"CJ","trackingNumber":"123456789"}
 * }</pre>
 *
 * @throws IllegalArgumentException naming the field when one is missing
 */
public record ActionMessage(String actionId, String idempotencyKey, String market, String sellerId, ActionType type,
        String orderId, String carrier, String trackingNumber) {

    /** The actions a message can ask for. */
    public enum ActionType {
        SHIP_ORDER
    }

    public ActionMessage {
        Messages.require("actionId", actionId);
        Messages.require("idempotencyKey", idempotencyKey);
        Messages.require("market", market);
        Messages.require("sellerId", sellerId);
        if (type == null) {
            throw new IllegalArgumentException("type is missing");
        }
        Messages.require("orderId", orderId);
    }

    /** {@code market:sellerId:orderId}: the FIFO group that keeps actions on one order in order. */
    public String messageGroupId() {
        return market + ":" + sellerId + ":" + orderId;
    }
}
