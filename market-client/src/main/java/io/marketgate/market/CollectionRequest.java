package io.marketgate.market;

import io.marketgate.limiter.Budget;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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

    /**
     * The request's range rounded out to whole {@code unit}s (its {@code from} down, its {@code to} up), as a market
     * whose times count only whole minutes asks for it; {@link ChronoUnit#NANOS}: the range itself.
     */
    public TimeWindow range(ChronoUnit unit) {
        return new TimeWindow(from.truncatedTo(unit), ceil(to, unit));
    }

    /**
     * Checks that {@code window} is one of this request's windows: of whole {@code unit}s within
     * {@link #range(ChronoUnit)}, and at most {@code longest} long.
     *
     * @throws IllegalArgumentException naming the window, the range and the rule
     */
    public void checkWindow(TimeWindow window, Duration longest, ChronoUnit unit) {
        TimeWindow range = range(unit);
        boolean whole = window != null && window.from().truncatedTo(unit).equals(window.from())
                && window.to().truncatedTo(unit).equals(window.to());
        if (!whole || window.from().isBefore(range.from()) || window.to().isAfter(range.to())
                || window.length().compareTo(longest) > 0) {
            String units = unit.toString().toLowerCase(java.util.Locale.ROOT);
            throw new IllegalArgumentException(unit == ChronoUnit.NANOS
                    ? "window " + window + " must lie within " + range() + " and be at most " + longest + " long"
                    : "window " + window + " must be whole " + units + " within " + range() + " (rounded out to whole "
                            + units + ") and be at most " + longest + " long");
        }
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(1, unit);
    }
}
