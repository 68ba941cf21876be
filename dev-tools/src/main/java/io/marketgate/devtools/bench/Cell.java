package io.marketgate.devtools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The measured figures of one implementation at one caller count, summed over the measured slices (rounds):
 * decisions, grants, measured time, the latency histogram in nanoseconds, and the Redis commands the server
 * executed meanwhile, and each slice's own decisions per second, in the order of the rounds (for ratios paired by
 * round). Warm-up slices are not part of it.
 */
final class Cell {

    private final String implementation;
    private final int callers;
    private final Histogram latencyNanos = new Histogram(3);
    private final Map<String, Long> commands = new TreeMap<>();
    private final List<Double> roundOps = new ArrayList<>();
    private long decisions;
    private long grants;
    private long measuredNanos;

    Cell(String implementation, int callers) {
        this.implementation = implementation;
        this.callers = callers;
    }

    /** Adds one measured slice. {@code latencies} holds one value per decision, in nanoseconds. */
    void add(Histogram latencies, long grantsInSlice, long sliceNanos, Map<String, Long> commandsInSlice) {
        latencyNanos.add(latencies);
        decisions += latencies.getTotalCount();
        grants += grantsInSlice;
        measuredNanos += sliceNanos;
        roundOps.add(sliceNanos == 0 ? 0 : latencies.getTotalCount() * 1e9 / sliceNanos);
        commandsInSlice.forEach((name, calls) -> commands.merge(name, calls, Long::sum));
    }

    String implementation() {
        return implementation;
    }

    int callers() {
        return callers;
    }

    long decisions() {
        return decisions;
    }

    long measuredNanos() {
        return measuredNanos;
    }

    double opsPerSecond() {
        return measuredNanos == 0 ? 0 : decisions * 1e9 / measuredNanos;
    }

    /** Decisions per second of each measured slice, in the order they were added (one per round). */
    List<Double> roundOpsPerSecond() {
        return Collections.unmodifiableList(roundOps);
    }

    double p50Micros() {
        return percentileMicros(50);
    }

    double p99Micros() {
        return percentileMicros(99);
    }

    double percentileMicros(double percentile) {
        return decisions == 0 ? 0 : latencyNanos.getValueAtPercentile(percentile) / 1_000.0;
    }

    /** The share of decisions that were grants, 0 to 1. */
    double grantShare() {
        return decisions == 0 ? 0 : (double) grants / decisions;
    }

    /** Redis commands per decision, by command name (lower case), as counted by the server; empty if unknown. */
    Map<String, Double> commandsPerDecision() {
        Map<String, Double> perDecision = new TreeMap<>();
        if (decisions > 0) {
            commands.forEach((name, calls) -> perDecision.put(name, (double) calls / decisions));
        }
        return Collections.unmodifiableMap(perDecision);
    }

    /** All Redis commands per decision; NaN when the server's counts are unknown. */
    double totalCommandsPerDecision() {
        if (commands.isEmpty() || decisions == 0) {
            return Double.NaN;
        }
        return commands.values().stream().mapToLong(Long::longValue).sum() / (double) decisions;
    }
}
