package io.marketgate.limiter;

import java.util.EnumMap;
import java.util.Map;

/**
 * The share of a budget's effective limit that each priority may fill, as fractions in (0, 1].
 *
 * <p>A call of priority {@code p} is admitted only while {@code used + cost <= floor(ceiling(p) × limit)}, so
 * with the {@link #DEFAULT} LOW alone never takes more than 70% of a window, MEDIUM and LOW together never more
 * than 80%, and at least 20% of every window stays free for HIGH. Ceilings must not rise as priority falls.
 *
 * <p>Fractions are kept as parts per million so that the JVM and the Valkey script compute the same integer
 * caps: {@code floor(ppm × limit / 1_000_000)}.
 */
public record Ceilings(double high, double medium, double low) {

    /** HIGH 100%, MEDIUM 80%, LOW 70%. */
    public static final Ceilings DEFAULT = new Ceilings(1.0, 0.8, 0.7);

    private static final long PPM = 1_000_000L;

    public Ceilings {
        check("high", high);
        check("medium", medium);
        check("low", low);
        if (medium > high || low > medium) {
            throw new IllegalArgumentException(
                    "ceilings must not rise as priority falls: high " + high + " ≥ medium " + medium + " ≥ low " + low
                            + " does not hold");
        }
    }

    private static void check(String name, double value) {
        if (!(value > 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("ceiling for " + name + " is " + value + ", must be in (0, 1]");
        }
    }

    /** The ceiling of {@code priority} as a fraction. */
    public double of(Priority priority) {
        return switch (priority) {
            case HIGH -> high;
            case MEDIUM -> medium;
            case LOW -> low;
        };
    }

    /** The ceiling of {@code priority} in parts per million, rounded to the nearest part. */
    public long ppm(Priority priority) {
        return Math.round(of(priority) * PPM);
    }

    /** {@code floor(ceiling(priority) × limit)}: how many cost units {@code priority} may hold in one window. */
    public long capacity(Priority priority, long limit) {
        return ppm(priority) * limit / PPM;
    }

    /** The capacity of every priority at {@code limit}. */
    public Map<Priority, Long> capacities(long limit) {
        Map<Priority, Long> caps = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            caps.put(p, capacity(p, limit));
        }
        return caps;
    }
}
