package io.marketgate.market;

import io.marketgate.limiter.Priority;
import java.time.Duration;

/**
 * Observes every market call of a {@link MarketClient}, for metrics (calls per market, call and outcome) and logs.
 * Runs on the caller's thread and must be quick; an exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface MarketCallListener {

    /**
     * {@code call} at {@code priority} ended with {@code outcome} after {@code elapsed} (limiter wait and HTTP
     * round trip together). Use {@link PlannedCall#market()}, {@link PlannedCall#callName()} and
     * {@link CallOutcome#kind()} as metric dimensions.
     */
    void onOutcome(PlannedCall call, Priority priority, CallOutcome outcome, Duration elapsed);

    /**
     * The market's answer to {@code call} reported how full its own bucket is ({@link MarketAdapter#bucketLevel});
     * called before {@link #onOutcome}, for every answer that carries it. Default: nothing.
     */
    default void onBucketLevel(PlannedCall call, BucketLevel level) {}

    MarketCallListener NONE = (call, priority, outcome, elapsed) -> {};
}
