package io.marketgate.limiter;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the store holds for one budget right now, as operators read it ({@code marketgate limiter status}).
 *
 * @param budget           the budget's name
 * @param configuredLimit  the limit from configuration
 * @param effectiveLimit   the limit decisions use now: an override if one is active, reduced while recovering
 *                         from a throttle
 * @param usage            cost units admitted per priority in the last (configured) window: what the ceilings see; on a
 *                         budget with a jitter guard, older units may still count against the limit for up to the guard
 *                         ({@link Budget#countedWindow()})
 * @param overrideLimit    an operator's limit override, if one is active
 * @param overrideUntil    when that override expires
 * @param pausedUntil      priorities paused by an operator, each with its expiry
 * @param coolingDownUntil the end of a throttle cool-down, if one is under way
 * @param storeTime        the store's clock when this was read
 * @param marketUnits      units in the (configured) window that stand for the market's own level (other callers of the market, see
 *                         {@link LimiterStore#observeMarketLevel}), not for calls of this fleet; not in {@link #usage}
 */
public record BudgetStatus(
        String budget,
        long configuredLimit,
        long effectiveLimit,
        Map<Priority, Long> usage,
        Optional<Long> overrideLimit,
        Optional<Instant> overrideUntil,
        Map<Priority, Instant> pausedUntil,
        Optional<Instant> coolingDownUntil,
        Instant storeTime,
        long marketUnits) {

    /** A status without market units. */
    public BudgetStatus(String budget, long configuredLimit, long effectiveLimit, Map<Priority, Long> usage,
            Optional<Long> overrideLimit, Optional<Instant> overrideUntil, Map<Priority, Instant> pausedUntil,
            Optional<Instant> coolingDownUntil, Instant storeTime) {
        this(budget, configuredLimit, effectiveLimit, usage, overrideLimit, overrideUntil, pausedUntil, coolingDownUntil,
                storeTime, 0);
    }

    public BudgetStatus {
        EnumMap<Priority, Long> u = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            u.put(p, usage == null ? 0L : usage.getOrDefault(p, 0L));
        }
        usage = Collections.unmodifiableMap(u);
        EnumMap<Priority, Instant> paused = new EnumMap<>(Priority.class);
        if (pausedUntil != null) {
            paused.putAll(pausedUntil);
        }
        pausedUntil = Collections.unmodifiableMap(paused);
    }

    /** Cost units admitted in the last window, all priorities together (the market units not included). */
    public long totalUsage() {
        return usage.values().stream().mapToLong(Long::longValue).sum();
    }
}
