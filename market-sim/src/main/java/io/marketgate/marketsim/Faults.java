package io.marketgate.marketsim;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults a market injects into admitted requests, drawn from a seeded random sequence. More can be scheduled
 * at run time with {@link SimulatedMarket#faults()}. A faulted request has already consumed its budgets, as a
 * real market's 5xx does.
 *
 * @param serverErrorRate fraction (0–1) of admitted requests answered with {@code serverErrorStatus}
 * @param slowRate        fraction (0–1) of admitted requests delayed by {@code slowDelay} before they are answered
 */
public record Faults(double serverErrorRate, int serverErrorStatus, double slowRate, Duration slowDelay, long seed) {

    public static final Faults NONE = new Faults(0, 503, 0, Duration.ZERO, 0);

    public Faults {
        if (!(serverErrorRate >= 0 && serverErrorRate <= 1) || !(slowRate >= 0 && slowRate <= 1)) {
            throw new IllegalArgumentException("faults: rates must be between 0 and 1, got serverErrorRate "
                    + serverErrorRate + ", slowRate " + slowRate);
        }
        if (serverErrorStatus < 500 || serverErrorStatus > 599) {
            throw new IllegalArgumentException("faults: serverErrorStatus is " + serverErrorStatus + ", must be 5xx");
        }
        Objects.requireNonNull(slowDelay, "slowDelay");
        if (slowDelay.isNegative()) {
            throw new IllegalArgumentException("faults: slowDelay must not be negative");
        }
    }

    public static Faults serverErrors(double rate, int status, long seed) {
        return new Faults(rate, status, 0, Duration.ZERO, seed);
    }

    public static Faults slow(double rate, Duration delay, long seed) {
        return new Faults(0, 503, rate, delay, seed);
    }
}
