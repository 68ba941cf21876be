package io.marketgate.limiter;

import java.time.Duration;

/**
 * What a budget does when the market throttles it anyway (HTTP 429 or the market's own throttle code), as
 * reported through {@link PriorityLimiter#reportThrottled(String, Duration)}.
 *
 * <ol>
 *   <li>Cool-down: nothing is admitted on the budget until the market's Retry-After (or
 *       {@link #defaultCooldown()} when the market gave none) has passed.</li>
 *   <li>Reduction: the effective limit drops to {@code max(1, floor(effective × reductionFactor))}.</li>
 *   <li>Recovery: from the end of the cool-down, every {@link #stepInterval()} the effective limit rises by
 *       {@code max(1, floor(limit × stepFraction))} until it is back at the configured (or overridden) limit.</li>
 * </ol>
 *
 * <p>Defaults ({@link #DEFAULT}): cool-down 60 s when the market gives none (Coupang blocks for minutes),
 * reduction to 50%, recovery in steps of 10% of the limit every 10 s, so a budget is back at its full limit
 * 50 s after the cool-down ends.
 */
public record ThrottleRecovery(Duration defaultCooldown, double reductionFactor, double stepFraction, Duration stepInterval) {

    public static final ThrottleRecovery DEFAULT =
            new ThrottleRecovery(Duration.ofSeconds(60), 0.5, 0.1, Duration.ofSeconds(10));

    public ThrottleRecovery {
        if (defaultCooldown == null || defaultCooldown.isNegative() || defaultCooldown.isZero()) {
            throw new IllegalArgumentException("defaultCooldown is " + defaultCooldown + ", must be positive");
        }
        if (!(reductionFactor > 0.0 && reductionFactor <= 1.0)) {
            throw new IllegalArgumentException("reductionFactor is " + reductionFactor + ", must be in (0, 1]");
        }
        if (!(stepFraction > 0.0 && stepFraction <= 1.0)) {
            throw new IllegalArgumentException("stepFraction is " + stepFraction + ", must be in (0, 1]");
        }
        if (stepInterval == null || stepInterval.toNanos() < 1_000_000L) {
            throw new IllegalArgumentException("stepInterval is " + stepInterval + ", must be at least 1 ms");
        }
    }

    /** The reduction factor in parts per million. */
    public long reductionPpm() {
        return Math.round(reductionFactor * 1_000_000L);
    }

    /** How many calls the effective limit regains per step for a budget of {@code limit}: at least 1. */
    public long step(long limit) {
        return Math.max(1L, Math.round(stepFraction * 1_000_000L) * limit / 1_000_000L);
    }
}
