package io.marketgate.market;

import java.time.Duration;
import java.time.Instant;

/**
 * A half-open time range {@code [from, to)} that one list call asks for: what changed at or after {@code from}
 * and before {@code to}. Adjacent windows share an end point and no instant, so every order falls into exactly one.
 */
public record TimeWindow(Instant from, Instant to) {

    public TimeWindow {
        if (from == null) {
            throw new IllegalArgumentException("from is missing");
        }
        if (to == null) {
            throw new IllegalArgumentException("to is missing");
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to (" + to + ") must be after from (" + from + ")");
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }
}
