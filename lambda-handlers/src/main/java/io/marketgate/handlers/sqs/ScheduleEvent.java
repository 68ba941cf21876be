package io.marketgate.handlers.sqs;

import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import java.time.Duration;

/**
 * The EventBridge Scheduler payload of the fan-out: collect {@code kind} of every active seller of {@code market}
 * for the last {@code lookback}, releasing the requests spread over {@code spreadOver}.
 *
 * <pre>{@code
 * {"market":"coupang","kind":"ORDERS","lookback":"PT30M","spreadOver":"PT10M","priority":"LOW"}
 * }</pre>
 *
 * @throws IllegalArgumentException naming the field: missing, a lookback not positive, a negative spread
 */
public record ScheduleEvent(String market, DataKind kind, Duration lookback, Duration spreadOver, Priority priority) {

    public ScheduleEvent {
        Messages.require("market", market);
        if (kind == null) {
            throw new IllegalArgumentException("kind is missing");
        }
        if (lookback == null || lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("lookback is " + lookback + ", must be a positive ISO-8601 duration such as PT30M");
        }
        if (spreadOver == null || spreadOver.isNegative()) {
            throw new IllegalArgumentException("spreadOver is " + spreadOver + ", must be zero or a positive ISO-8601 duration");
        }
        if (priority == null) {
            throw new IllegalArgumentException("priority is missing");
        }
    }
}
