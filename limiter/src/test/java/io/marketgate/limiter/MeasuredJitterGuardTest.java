package io.marketgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.memory.InMemoryLimiterStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A measured guard follows the spread of the market's round trips; a fixed one ignores them. */
class MeasuredJitterGuardTest {

    private static PriorityLimiter limiter(Budget... budgets) {
        return PriorityLimiter.builder().budgets(List.of(budgets)).store(new InMemoryLimiterStore(java.time.Clock.systemUTC()))
                .maxJitter(Duration.ZERO).build();
    }

    @Test
    void the_guard_follows_p99_minus_p50_of_the_round_trips_once_enough_are_measured() {
        // GIVEN a measured budget (30 ms until measured) and a fixed one, on the same market
        try (PriorityLimiter l = limiter(
                Budget.named("m/auto").limit(10).jitterGuard(Duration.ofMillis(30)).measuredJitterGuard().build(),
                Budget.named("m/fixed").limit(10).jitterGuard(Duration.ofMillis(40)).build(),
                Budget.named("m/seller").limit(10).measuredJitterGuard().build())) {
            // WHEN fewer than MIN_SAMPLES round trips are known, THEN the configured guards apply
            for (int i = 0; i < RoundTrips.MIN_SAMPLES - 1; i++) {
                l.observeRoundTrip("m", Duration.ofMillis(80));
            }
            assertThat(l.jitterGuard("m/auto")).isEqualTo(Duration.ofMillis(30));

            // WHEN 200 round trips are measured, 1 in 100 of them 80 ms slower than the rest, and a few of another market
            for (int i = 0; i < 200; i++) {
                l.observeRoundTrip("m", Duration.ofMillis(i % 100 < 97 ? 80 : 161));
                l.observeRoundTrip("other", Duration.ofSeconds(5));
            }

            // THEN the measured guard is the spread p99 − p50 = 81 ms rounded up to 85 ms, on instances too; the fixed stays
            assertThat(l.jitterGuard("m/auto")).isEqualTo(Duration.ofMillis(85));
            assertThat(l.jitterGuard("m/seller:S1")).isEqualTo(Duration.ofMillis(85));
            assertThat(l.jitterGuard("m/fixed")).isEqualTo(Duration.ofMillis(40));
            assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/auto")).granted()).isTrue();
        }
    }

    @Test
    void a_listener_hears_the_guard_each_grant_was_decided_with_and_nothing_for_a_budget_without_one() {
        // GIVEN a listener and a measured budget beside one without a guard
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        LimiterListener listener = new LimiterListener() {
            @Override
            public void onGuarded(Call call, String budget, Duration jitterGuard) {
                heard.add(budget + "=" + jitterGuard.toMillis());
            }
        };
        try (PriorityLimiter l = PriorityLimiter.builder()
                .budgets(List.of(Budget.named("m/seller").limit(100).measuredJitterGuard().build(),
                        Budget.named("m/app").limit(100).build()))
                .store(new InMemoryLimiterStore(java.time.Clock.systemUTC())).maxJitter(Duration.ZERO).listener(listener).build()) {
            // WHEN a call is granted before any round trip is measured
            assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/seller:S1", "m/app")).granted()).isTrue();
            // THEN nothing is heard: its guard was zero
            assertThat(heard).isEmpty();

            // WHEN round trips spread by 40 ms are measured and a call is granted
            for (int i = 0; i < 100; i++) {
                l.observeRoundTrip("m", Duration.ofMillis(i % 100 < 90 ? 60 : 100));
            }
            assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/seller:S1", "m/app")).granted()).isTrue();
            // THEN the granted call is heard once, for the guarded budget's instance, with the guard it counted with
            assertThat(heard).containsExactly("m/seller:S1=40");
        }
    }

    @Test
    void round_trips_keep_only_the_latest_and_a_steady_network_needs_no_guard() {
        RoundTrips trips = new RoundTrips();
        for (int i = 0; i < RoundTrips.SAMPLES; i++) {
            trips.add(Duration.ofMillis(500));   // a slow past
        }
        for (int i = 0; i < RoundTrips.SAMPLES; i++) {
            trips.add(Duration.ofMillis(20));
        }
        assertThat(trips.guard()).isZero();
        assertThat(trips.measured()).isEqualTo(2 * RoundTrips.SAMPLES);
    }
}
