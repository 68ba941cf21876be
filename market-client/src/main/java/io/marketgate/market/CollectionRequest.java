package io.marketgate.market;

import io.marketgate.limiter.Budget;
import java.time.Instant;

/**
 * One collection request as the scheduler or the API creates it: collect {@code kind} of {@code seller} on
 * {@code market} that changed in {@code [from, to)}. An adapter plans it into calls, one time window at a time.
 *
 * <pre>{@code
 * var request = new CollectionRequest("coupang", Seller.of("A00012345"), DataKind.ORDERS,
 *         Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-03T12:00:00Z"));
 * }</pre>
 */
public record CollectionRequest(String market, Seller seller, DataKind kind, Instant from, Instant to) {

    /**
     * Checks the request.
     *
     * @throws IllegalArgumentException naming the field: a missing value, a bad market name, {@code to} not after {@code from}
     */
    public CollectionRequest {
        if (market == null || !Budget.NAME_PART.matcher(market).matches()) {
            throw new IllegalArgumentException("market '" + market + "' must be a market name such as coupang");
        }
        if (seller == null) {
            throw new IllegalArgumentException("seller is missing");
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind is missing");
        }
        new TimeWindow(from, to); // states the range's rules once
    }

    /** The whole range as one window. */
    public TimeWindow range() {
        return new TimeWindow(from, to);
    }
}
