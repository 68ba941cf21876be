package io.marketgate.market;

import java.net.http.HttpRequest;

/**
 * For the protocol packages' tests only: the HTTP request of a planned call, which production code outside this
 * package cannot read ({@link PlannedCall} keeps it for {@link MarketClient}, so that nothing reaches a market
 * around the limiter). Lives in the test sources, so it is in no jar.
 */
public final class PlannedRequests {
    private PlannedRequests() {}

    /** The request {@code call} would send, credentials included. */
    public static HttpRequest of(PlannedCall call) {
        return call.request();
    }
}
