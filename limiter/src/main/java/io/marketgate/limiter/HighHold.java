package io.marketgate.limiter;

import java.util.function.LongUnaryOperator;

/**
 * The arithmetic of a waiting HIGH call's hold, written once for the Java stores ({@code limiter.lua} writes the same
 * steps).
 *
 * <p>A HIGH call denied because a budget's ceiling is full <em>holds</em> the next free room of the budgets that refused
 * it: until its retry-after plus {@link #MARGIN_MICROS}, MEDIUM and LOW see the held cost as taken
 * ({@code used + held + cost ≤ floor(ceiling × limit)}), so the room that frees first is left for the waiting HIGH call
 * when it comes back at its retry-after. HIGH itself never sees a hold: a HIGH call is granted whenever room allows, and
 * a HIGH grant on a budget ends the budget's hold (the waiter, or another HIGH call that took the room; a waiter still
 * waiting is denied at its retry and holds again). One hold per budget: a second HIGH call denied while a hold is active
 * extends it to the later end and the larger cost. A hold is written in the same atomic step as the decision that
 * makes it (the script, the lock, the conditional write), and it expires by itself, so a waiter that never comes back
 * (a Lambda that ended) keeps the room from MEDIUM and LOW at most {@link #MARGIN_MICROS} after it freed.
 *
 * <p>No hold is made for a call that cannot fit at all (its cost above HIGH's capacity under a throttled limit), nor
 * for a denial by a pause or a cool-down, which keep every priority out anyway. See {@code docs/limiter.md}, "The rule".
 */
public final class HighHold {

    /**
     * How long a hold outlives its waiter's retry-after: the waiter sleeps the retry-after plus up to 20 ms of jitter
     * ({@link PriorityLimiter#acquire}) and one round trip; the rest is for a loaded machine's late wake-up.
     */
    public static final long MARGIN_MICROS = 250_000L;

    private HighHold() {}

    /** The end of a hold made at {@code now} by a HIGH call told to retry after {@code retryMicros}, extending {@code activeUntil}. */
    public static long until(long now, long retryMicros, long activeUntil) {
        return Math.max(activeUntil, now + retryMicros + MARGIN_MICROS);
    }

    /** The cost a hold keeps: the larger of the new waiter's and the active hold's ({@code activeCost}, 0 for none). */
    public static long cost(long callCost, long activeCost) {
        return Math.max(callCost, activeCost);
    }

    /**
     * When a MEDIUM or LOW call refused by its ceiling first fits, if nothing else happens: the earlier of the moment
     * enough logged units have left with the hold still counted and the moment the hold has ended and enough units have
     * left without it. {@code n = used + held + cost − cap > 0} is the count of units that must leave while the hold
     * stands; {@code unitExpiry} gives the moment the k-th oldest of the {@code used} units leaves the window (1-based).
     * When the hold is consumed instead (the waiter's grant adds its unit), the call is refused again at that moment and
     * told the next one: it never comes back too early.
     *
     * @return the moment in µs; with no hold ({@code held = 0}) exactly the {@code n}-th unit's expiry
     */
    public static long fitsAt(long now, long used, long held, long holdUntil, long n, LongUnaryOperator unitExpiry) {
        return fitsAt(now, held, holdUntil, n, used, unitExpiry, 0, 0, unitExpiry);
    }

    /**
     * When a call refused on a budget with a jitter guard first fits, if nothing else happens: both terms of the rule
     * must hold, the ceiling on the configured window ({@code n = usedInWindow + held + cost − cap} units of it must
     * leave; {@code windowExpiry(k)}: when its k-th oldest unit leaves it) and the market's limit on the counted window
     * ({@code m = usedInCountedWindow + held + cost − limit} units must leave; {@code countedExpiry(k)} likewise). A
     * term with nothing to leave ({@code n ≤ 0} or {@code m ≤ 0}) holds now. As in
     * {@link #fitsAt(long, long, long, long, long, LongUnaryOperator)}: the earlier of the moment both hold with the
     * hold still counted and the moment the hold has ended and both hold without it.
     *
     * @return the moment in µs ({@link Long#MAX_VALUE} when the call never fits while the hold stands and the hold
     *         does not end, which a call able to fit at all never meets)
     */
    public static long fitsAt(long now, long held, long holdUntil, long n, long usedInWindow, LongUnaryOperator windowExpiry,
            long m, long usedInCountedWindow, LongUnaryOperator countedExpiry) {
        long withHold = Math.max(leaves(now, n, usedInWindow, windowExpiry), leaves(now, m, usedInCountedWindow, countedExpiry));
        if (held == 0) {
            return withHold;
        }
        long afterHold = Math.max(holdUntil, Math.max(leaves(now, n - held, usedInWindow, windowExpiry),
                leaves(now, m - held, usedInCountedWindow, countedExpiry)));
        return Math.min(withHold, afterHold);
    }

    /** When {@code k} of the {@code used} units have left: now for none, never for more than there are. */
    private static long leaves(long now, long k, long used, LongUnaryOperator expiry) {
        return k <= 0 ? now : k <= used ? expiry.applyAsLong(k) : Long.MAX_VALUE;
    }
}
