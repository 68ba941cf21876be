package io.marketgate.market;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The windows of at most {@code length}, each starting where the last ended, that cover {@code [start, end)}: the
     * last may be shorter. An adapter rounds {@code start} and {@code end} to what its market counts (whole minutes,
     * seconds) before.
     *
     * @param most how many windows one request may need at the most
     * @throws IllegalArgumentException naming from/to when the range needs more than {@code most} windows
     */
    public static List<TimeWindow> cover(Instant start, Instant end, Duration length, int most) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a window's length must be positive, is " + length);
        }
        long count = (Duration.between(start, end).toNanos() + length.toNanos() - 1) / length.toNanos();
        if (count > most) {
            throw new IllegalArgumentException("from/to: the range " + start + " to " + end + " needs more than " + most
                    + " calls of at most " + length + "; split the request");
        }
        List<TimeWindow> windows = new ArrayList<>((int) Math.max(count, 0));
        for (Instant from = start; from.isBefore(end); from = from.plus(length)) {
            Instant to = from.plus(length).isBefore(end) ? from.plus(length) : end;
            windows.add(new TimeWindow(from, to));
        }
        return windows;
    }
}
