package io.marketgate.limiter.internal;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;

/**
 * Scales a fleet budget down to one instance's share while the shared store is unreachable: the instance may
 * make at most {@code limit / fleetSize} calls per window on average, and still at least one call of the
 * lowest priority per (longer) window. The scaled budget keeps the fleet budget's fixed jitter guard and obeys the same
 * two terms as any guarded budget: its ceilings on its own (scaled) window, its limit on that window plus the guard.
 */
public final class LocalFallbackBudgets {
    private LocalFallbackBudgets() {}

    public static Budget scale(Budget b, int fleetSize) {
        long minimum = 1;
        while (b.ceilings().capacity(Priority.LOW, minimum) < 1) {
            minimum++;
        }
        long perInstance = b.limit() / fleetSize;
        long limit;
        long windows;
        if (perInstance >= minimum) {
            limit = perInstance;
            windows = 1;
        } else {
            // limit' / (k × window) ≤ limit / (fleet × window)  ⇔  k ≥ limit' × fleet / limit
            limit = minimum;
            windows = ceilDiv(minimum * fleetSize, b.limit());
        }
        return Budget.named(b.name()).limit(limit)
                .window(b.window().multipliedBy(windows))
                .ceilings(b.ceilings())
                .recovery(b.recovery())
                .jitterGuard(b.jitterGuard())
                .build();   // a fixed guard: the local fallback decides without the store and measures nothing
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
