package io.marketgate.marketsim;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How long the network takes between a client and a simulated market: a log-normal delay fitted to its median
 * ({@code p50}) and 99th percentile ({@code p99}), plus, with probability {@code slowRate}, a slow answer's extra
 * {@code slow}. One delay is drawn per request from the market's seeded {@link SplittableRandom}.
 *
 * <p>The delay is network travel, so the market sees a request only after it: {@link #ingressNanos(long) half} of the
 * drawn delay (rounded down) passes before the request reaches the market's gateway (where it is stamped, counted
 * against the budgets and recorded as an {@link Arrival}), the rest after the answer is made, before it is written
 * back. Calls a client sends a window apart can therefore arrive closer together than a window: what a limiter that
 * decides on its own clock has to allow for (docs/limiter.md, the jitter guard).
 *
 * <pre>{@code
 * Latency wan = new Latency(Duration.ofMillis(80), Duration.ofMillis(300), 0.01, Duration.ofSeconds(2));
 * MarketConfig coupang = MarketPresets.coupang().apiKeys("v").sellers("A").latency(wan).build();
 * sim.market("coupang").latency(Latency.NONE);      // the network heals at run time
 * }</pre>
 *
 * <p>The delays sleep in real time (virtual threads), on the system clock and on a manual one alike. Draws of the
 * log-normal above {@link #MAX_OVER_P99} × {@code p99} are clamped to it, so that a wide fit cannot stall a run for
 * minutes; {@code p50} and {@code p99} describe the delay without the slow answers.
 *
 * @param p50      median delay of a request's round trip on the network; ≥ 0, and &gt; 0 when {@code p99} is &gt; 0
 * @param p99      99th percentile of that delay, ≥ {@code p50}; equal to it for a fixed delay
 * @param slowRate fraction (0–1) of requests that are slow answers
 * @param slow     what a slow answer adds to its drawn delay; ≥ 0
 */
public record Latency(Duration p50, Duration p99, double slowRate, Duration slow) {

    /** No delay: requests reach the market at once (the default). */
    public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);

    /** Draws of the log-normal are clamped to this multiple of {@code p99}. */
    public static final int MAX_OVER_P99 = 4;

    /** The standard normal's 99th percentile: p99 = p50 × e^(σ × Z99) for a log-normal. */
    private static final double Z99 = 2.3263478740408408;

    public Latency {
        Objects.requireNonNull(p50, "latency.p50");
        Objects.requireNonNull(p99, "latency.p99");
        Objects.requireNonNull(slow, "latency.slow");
        if (p50.isNegative()) {
            throw new IllegalArgumentException("latency.p50 is " + p50 + ", must be ≥ 0");
        }
        if (p99.compareTo(p50) < 0) {
            throw new IllegalArgumentException("latency.p99 is " + p99 + ", must be ≥ p50 (" + p50 + ")");
        }
        if (p50.isZero() && !p99.isZero()) {
            throw new IllegalArgumentException("latency.p50 is 0 while p99 is " + p99
                    + ": p50 must be > 0 when p99 is > 0 (a log-normal delay has no median of 0)");
        }
        if (!(slowRate >= 0 && slowRate <= 1)) {
            throw new IllegalArgumentException("latency.slowRate is " + slowRate + ", must be between 0 and 1");
        }
        if (slow.isNegative()) {
            throw new IllegalArgumentException("latency.slow is " + slow + ", must be ≥ 0");
        }
    }

    /** A fixed delay of {@code d} for every request. */
    public static Latency fixed(Duration d) {
        return new Latency(d, d, 0, Duration.ZERO);
    }

    /** A log-normal delay with this median and 99th percentile, no slow answers. */
    public static Latency of(Duration p50, Duration p99) {
        return new Latency(p50, p99, 0, Duration.ZERO);
    }

    /** This latency with {@code rate} (0–1) of the requests slower by {@code extra}. */
    public Latency withSlow(double rate, Duration extra) {
        return new Latency(p50, p99, rate, extra);
    }

    /** Whether every request's delay is zero. */
    public boolean none() {
        return p99.isZero() && (slowRate == 0 || slow.isZero());
    }

    /**
     * One request's delay in nanoseconds: e^(μ + σZ) with μ = ln p50 and σ = ln(p99 / p50) / z₀.₉₉, clamped to
     * {@link #MAX_OVER_P99} × p99, plus {@code slow} with probability {@code slowRate}. Draws from {@code random}
     * only what it needs (none for {@link #NONE}), so a fixed delay leaves the sequence untouched.
     */
    public long sampleNanos(SplittableRandom random) {
        long base;
        if (p99.equals(p50)) {
            base = p50.toNanos();
        } else {
            double sigma = Math.log((double) p99.toNanos() / p50.toNanos()) / Z99;
            double draw = p50.toNanos() * Math.exp(sigma * random.nextGaussian());
            base = (long) Math.min(draw, (double) MAX_OVER_P99 * p99.toNanos());
        }
        if (slowRate > 0 && !slow.isZero() && random.nextDouble() < slowRate) {
            base += slow.toNanos();
        }
        return base;
    }

    /** {@link #sampleNanos} as a duration. */
    public Duration sample(SplittableRandom random) {
        return Duration.ofNanos(sampleNanos(random));
    }

    /** The part of a drawn delay that passes before the request reaches the market: half, rounded down. */
    public static long ingressNanos(long delayNanos) {
        return delayNanos / 2;
    }

    /** The part that passes after the answer is made, before it is written: the rest. */
    public static long egressNanos(long delayNanos) {
        return delayNanos - ingressNanos(delayNanos);
    }

    /** As a scenario writes it: {@code p50 80ms, p99 300ms, 1% slow +2s}, or {@code none}. */
    @Override
    public String toString() {
        if (none()) {
            return "none";
        }
        String s = "p50 " + p50.toMillis() + "ms, p99 " + p99.toMillis() + "ms";
        return slowRate > 0 && !slow.isZero() ? s + ", " + (slowRate * 100) + "% slow +" + slow.toMillis() + "ms" : s;
    }
}
