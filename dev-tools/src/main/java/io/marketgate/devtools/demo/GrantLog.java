package io.marketgate.devtools.demo;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every grant of one budget, by the store's timestamp, and the proof read from them: the most units any
 * sliding window (t − window, t] held, in total and for the priority groups the ceilings bound.
 */
final class GrantLog {
    private final Budget budget;
    private final List<long[]> grants = new ArrayList<>(); // {storeTimeMicros, priority ordinal, cost}

    GrantLog(Budget budget) {
        this.budget = budget;
    }

    synchronized void add(long storeTimeMicros, Priority p, int cost) {
        grants.add(new long[] {storeTimeMicros, p.ordinal(), cost});
    }

    synchronized long count(Priority p) {
        return grants.stream().filter(g -> g[1] == p.ordinal()).mapToLong(g -> g[2]).sum();
    }

    /** The most units granted to priorities at or below {@code lowest} … {@code LOW} in any sliding window. */
    synchronized long maxInWindow(Priority highestCounted) {
        long[][] sorted = grants.stream()
                .filter(g -> g[1] >= highestCounted.ordinal())
                .sorted((a, b) -> Long.compare(a[0], b[0]))
                .toArray(long[][]::new);
        long window = budget.windowMicros();
        long max = 0;
        long inWindow = 0;
        int first = 0;
        for (long[] g : sorted) {
            inWindow += g[2];
            while (sorted[first][0] <= g[0] - window) {
                inWindow -= sorted[first][2];
                first++;
            }
            max = Math.max(max, inWindow);
        }
        return max;
    }

    Budget budget() {
        return budget;
    }

    /** Whether every sliding window held at most the limit, and each priority group at most its ceiling. */
    boolean compliant() {
        return Arrays.stream(Priority.values()).allMatch(p -> maxInWindow(p) <= budget.capacity(p));
    }
}
