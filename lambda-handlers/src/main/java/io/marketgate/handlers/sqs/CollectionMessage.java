package io.marketgate.handlers.sqs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import java.time.Instant;

/**
 * The body of a message on a market's collection queue: collect {@code kind} of {@code sellerId} on {@code market}
 * changed in {@code [from, to)} at {@code priority}, or, with {@code orderId}, read that one order again (a
 * re-collection, without a range). {@code requestId} keys the request's status record.
 *
 * <pre>{@code
 * {"requestId":"r-1","market":"coupang","sellerId":"A001","kind":"ORDERS",
 *  "from":"2026-11-22T00:00:00Z","to":"2026-11-22T01:00:00Z","priority":"MEDIUM"}
 * {"requestId":"r-2","market":"coupang","sellerId":"A001","kind":"ORDERS","orderId":"O-1","priority":"LOW"}
 * }</pre>
 *
 * @throws IllegalArgumentException naming the field when one is missing or {@code to} is not after {@code from}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CollectionMessage(String requestId, String market, String sellerId, DataKind kind, Instant from,
        Instant to, Priority priority, String orderId) {

    /** A collection of a range. */
    public CollectionMessage(String requestId, String market, String sellerId, DataKind kind, Instant from, Instant to,
            Priority priority) {
        this(requestId, market, sellerId, kind, from, to, priority, null);
    }

    /** A re-collection of one order. */
    public static CollectionMessage ofOrder(String requestId, String market, String sellerId, String orderId, Priority priority) {
        Messages.require("orderId", orderId);
        return new CollectionMessage(requestId, market, sellerId, DataKind.ORDERS, null, null, priority, orderId);
    }

    public CollectionMessage {
        Messages.require("requestId", requestId);
        Messages.require("market", market);
        Messages.require("sellerId", sellerId);
        if (kind == null) {
            throw new IllegalArgumentException("kind is missing");
        }
        if (orderId != null && orderId.isBlank()) {
            throw new IllegalArgumentException("orderId is blank");
        }
        boolean oneOrder = orderId != null && from == null && to == null;
        if (!oneOrder && (from == null || to == null)) {
            throw new IllegalArgumentException((from == null ? "from" : "to") + " is missing");
        }
        if (!oneOrder && !to.isAfter(from)) {
            throw new IllegalArgumentException("to (" + to + ") must be after from (" + from + ")");
        }
        if (priority == null) {
            throw new IllegalArgumentException("priority is missing");
        }
    }
}
