package io.marketgate.handlers.sqs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import java.time.Duration;

/**
 * The EventBridge Scheduler payload of the fan-out: collect {@code kind} of every active seller of {@code market}
 * for the last {@code lookback}, releasing the requests spread over {@code spreadOver}; or, with
 * {@code track: UNFINISHED}, re-collect each tracked unfinished order of the market once, spread over
 * {@code spreadOver}, giving up on those tracked for longer than {@code maxAge}.
 *
 * <pre>{@code
 * {"market":"coupang","kind":"ORDERS","lookback":"PT30M","spreadOver":"PT10M","priority":"LOW"}
 * {"market":"coupang","kind":"ORDERS","track":"UNFINISHED","maxAge":"P14D","spreadOver":"PT30M","priority":"LOW"}
 * }</pre>
 *
 * @throws IllegalArgumentException naming the field: missing, a lookback not positive, a negative spread, a track
 *     other than UNFINISHED, a tracking event without a positive maxAge or with a lookback, a kind other than ORDERS tracked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleEvent(String market, DataKind kind, Duration lookback, Duration spreadOver, Priority priority,
        String track, Duration maxAge) {

    /** The one {@code track} value: follow the unfinished orders. */
    public static final String UNFINISHED = "UNFINISHED";

    /** A collection of the last {@code lookback}. */
    public ScheduleEvent(String market, DataKind kind, Duration lookback, Duration spreadOver, Priority priority) {
        this(market, kind, lookback, spreadOver, priority, null, null);
    }

    /** A run of the tracking of unfinished orders. */
    public static ScheduleEvent tracking(String market, Duration maxAge, Duration spreadOver, Priority priority) {
        return new ScheduleEvent(market, DataKind.ORDERS, null, spreadOver, priority, UNFINISHED, maxAge);
    }

    public ScheduleEvent {
        Messages.require("market", market);
        if (kind == null) {
            throw new IllegalArgumentException("kind is missing");
        }
        if (track != null) {
            if (!UNFINISHED.equals(track)) {
                throw new IllegalArgumentException("track is '" + track + "', must be " + UNFINISHED);
            }
            if (kind != DataKind.ORDERS) {
                throw new IllegalArgumentException("kind is " + kind + ", but only ORDERS are tracked");
            }
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge is " + maxAge + ", must be a positive ISO-8601 duration such as P14D");
            }
            if (lookback != null) {
                throw new IllegalArgumentException("lookback is not taken with track: a tracking run re-collects each tracked order, not a range");
            }
        } else {
            if (maxAge != null) {
                throw new IllegalArgumentException("maxAge is taken only with track " + UNFINISHED);
            }
            if (lookback == null || lookback.isNegative() || lookback.isZero()) {
                throw new IllegalArgumentException("lookback is " + lookback + ", must be a positive ISO-8601 duration such as PT30M");
            }
        }
        if (spreadOver == null || spreadOver.isNegative()) {
            throw new IllegalArgumentException("spreadOver is " + spreadOver + ", must be zero or a positive ISO-8601 duration");
        }
        if (priority == null) {
            throw new IllegalArgumentException("priority is missing");
        }
    }

    /** Whether this event runs the tracking of unfinished orders rather than a collection of a range. */
    public boolean tracksUnfinished() {
        return track != null;
    }
}
