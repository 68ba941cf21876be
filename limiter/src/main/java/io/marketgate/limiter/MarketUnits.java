package io.marketgate.limiter;

/**
 * The arithmetic of {@link LimiterStore#observeMarketLevel}, written once for the Java stores ({@code limiter.lua} writes
 * the same steps): how many market units a budget lacks, and when each of them leaves the window.
 *
 * <p>A market's bucket counts every caller of the market (Cafe24's per mall: other apps installed on the mall too), so
 * it can be fuller than the budget believes. The store then adds market units, entries of their own kind that no
 * caller's grant is mistaken for, so that HIGH's room in the budget is the market's room; lower priorities keep their
 * reserve below it, as always. The k-th unit leaves the configured window {@code k × window / limit} after the
 * observation: room comes back at the budget's own rate, which for a budget modelling a bucket is at most the bucket's
 * drain. Every unit is stamped inside the configured window, so it counts in both terms of a guarded budget's rule (the
 * ceilings' window and the limit's counted window, which it leaves a guard later).
 */
public final class MarketUnits {

    private static final long PPM = 1_000_000L;

    private MarketUnits() {}

    /**
     * The market units to add: HIGH's capacity at {@code effectiveLimit}, less the units the market has counted
     * ({@code seen}: the budget's grants up to the observed call's grant and the market units already in the window),
     * less the market's room; never negative. The market's room is {@code marketCapacity − marketUsed} less the slack
     * the budget's configured limit keeps below the market's capacity ({@code marketCapacity − limit} when positive:
     * Cafe24's 36 of 40), at least 0: the slack is there for calls that reach the market in another order than they
     * were granted, so following the market must not spend it.
     */
    public static long missing(Budget budget, long effectiveLimit, long seen, long marketUsed, long marketCapacity) {
        long capacity = budget.ceilings().ppm(Priority.HIGH) * effectiveLimit / PPM;
        long slack = Math.max(0, marketCapacity - budget.limit());
        long marketRoom = Math.max(0, marketCapacity - marketUsed - slack);
        return Math.max(0, capacity - seen - marketRoom);
    }

    /**
     * The time stamp (µs) of the {@code k}-th market unit (1-based) added at {@code nowMicros}: {@code now − window +
     * floor(k × window / limit)} with the configured window, so that it leaves that window {@code k × window / limit}
     * after now (and a guarded budget's counted window a guard later); at most now.
     */
    public static long stamp(Budget budget, long nowMicros, long k) {
        long window = budget.windowMicros();
        if (k >= budget.limit()) {
            return nowMicros;
        }
        long offset;
        try {
            offset = Math.multiplyExact(k, window) / budget.limit();
        } catch (ArithmeticException e) {
            offset = java.math.BigInteger.valueOf(k).multiply(java.math.BigInteger.valueOf(window))
                    .divide(java.math.BigInteger.valueOf(budget.limit())).longValueExact();
        }
        return nowMicros - window + offset;
    }
}
