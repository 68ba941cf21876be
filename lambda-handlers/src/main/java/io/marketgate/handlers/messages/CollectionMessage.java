package io.marketgate.handlers.messages;

import io.marketgate.handlers.market.DataKind;
import io.marketgate.limiter.Priority;
import java.time.Instant;

/**
 * The body of a message on a market's collection queue: collect {@code kind} of {@code sellerId} on {@code market}
 * changed in {@code [from, to)} at {@code priority}. {@code requestId} keys the request's status record.
 *
 * <pre>{@code
 * {"requestId":"r-1","market":"coupang","sellerId":"A001","kind":"ORDERS",
 *  "from":"2026-11-22T00:00:00Z","to":"2026-11-22T01:00:00Z","priority":"MEDIUM"}
 * }</pre>
 *
 * @throws IllegalArgumentException naming the field when one is missing or {@code to} is not after {@code from}
 */
public record CollectionMessage(String requestId, String market, String sellerId, DataKind kind, Instant from,
        Instant to, Priority priority) {

    public CollectionMessage {
        Messages.require("requestId", requestId);
        Messages.require("market", market);
        Messages.require("sellerId", sellerId);
        if (kind == null) {
            throw new IllegalArgumentException("kind is missing");
        }
        if (from == null || to == null) {
            throw new IllegalArgumentException((from == null ? "from" : "to") + " is missing");
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to (" + to + ") must be after from (" + from + ")");
        }
        if (priority == null) {
            throw new IllegalArgumentException("priority is missing");
        }
    }
}
