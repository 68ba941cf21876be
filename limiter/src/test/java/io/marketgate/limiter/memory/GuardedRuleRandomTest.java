package io.marketgate.limiter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Ceilings;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.ManualClock;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jitter guard's two terms checked on every grant of long random runs (priorities, costs, waits, HIGH holds mixed),
 * on the in-memory store with a manual clock: each grant of priority {@code p} saw at most {@code capacity(p)} units
 * in the configured window ending at it, and at most {@code limit} in the counted window ending at it, so no interval
 * of {@code window + guard} ever holds more than the limit. And every retry-after of a ceiling or the guard is exact:
 * the same call asked a microsecond earlier is denied, at the retry-after granted.
 */
class GuardedRuleRandomTest {

    private static final List<Budget> BUDGETS = List.of(
            Budget.named("m/ten").limit(10).jitterGuard(Duration.ofMillis(285)).build(),
            Budget.named("m/two").limit(2).jitterGuard(Duration.ofMillis(300)).build(),
            Budget.named("m/odd").limit(7).window(Duration.ofMillis(500)).ceilings(new Ceilings(1.0, 0.6, 0.5))
                    .jitterGuard(Duration.ofMillis(120)).build());

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void every_grant_keeps_its_ceiling_on_the_window_and_the_limit_on_the_counted_window(long seed) {
        for (Budget budget : BUDGETS) {
            run(budget, new Random(seed));
        }
    }

    private static void run(Budget budget, Random random) {
        // GIVEN a store on a manual clock, and callers of every priority asking at random moments with costs 1 to 3
        ManualClock clock = ManualClock.atEpochSecond(1_800_000_000L);
        InMemoryLimiterStore store = new InMemoryLimiterStore(clock);
        long window = budget.windowMicros();
        long counted = budget.countedWindowMicros();
        List<long[]> grants = new ArrayList<>();   // {time µs, cost}
        int retried = 0;
        int granted = 0;
        for (int step = 0; step < 3_000; step++) {
            Priority p = Priority.values()[random.nextInt(3)];
            int cost = random.nextInt(10) < 8 ? 1 : 1 + random.nextInt(3);
            Decision d = store.decide(List.of(budget), p, cost);
            if (d.granted()) {
                granted++;
                // THEN the grant fits both terms, its own units included
                long t = d.storeTimeMicros();
                grants.add(new long[] {t, cost});
                assertThat(unitsIn(grants, t - window, t)).as("units in the window at a %s grant", p)
                        .isLessThanOrEqualTo(budget.capacity(p));
                assertThat(unitsIn(grants, t - counted, t)).as("units in the counted window").isLessThanOrEqualTo(budget.limit());
            } else if (d.reason() == Decision.Reason.CEILING_REACHED && cost <= budget.capacity(p) && random.nextInt(4) == 0) {
                // AND a denied call that comes back a microsecond before its retry-after is denied, at it granted
                long wait = d.retryAfter().toNanos() / 1_000L;
                assertThat(wait).isPositive();
                clock.advance(Duration.ofNanos((wait - 1) * 1_000L));
                assertThat(store.decide(List.of(budget), p, cost).granted()).as("%s of cost %d before its retry-after", p, cost)
                        .isFalse();
                clock.advance(Duration.ofNanos(1_000L));
                Decision again = store.decide(List.of(budget), p, cost);
                assertThat(again.granted()).as("%s of cost %d at its retry-after", p, cost).isTrue();
                grants.add(new long[] {again.storeTimeMicros(), cost});
                retried++;
                granted++;
            }
            clock.advance(Duration.ofNanos(random.nextInt(counted > 1_000_000 ? 120_000 : 60_000) * 1_000L));
        }
        // AND the runs did exercise the rule: grants, and retries at the retry-after
        assertThat(granted).isGreaterThan(100);
        assertThat(retried).isGreaterThan(10);
    }

    /** Cost units granted in {@code (from, to]}. */
    private static long unitsIn(List<long[]> grants, long from, long to) {
        long n = 0;
        for (long[] g : grants) {
            if (g[0] > from && g[0] <= to) {
                n += g[1];
            }
        }
        return n;
    }
}
