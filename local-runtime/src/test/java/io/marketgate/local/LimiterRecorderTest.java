package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the report's guarded minimum is computed from: the jitter guard each grant of a budget counted with. */
class LimiterRecorderTest {

    @Test
    void the_mean_guard_of_a_budget_averages_its_grants_instances_included_and_grants_without_a_guard_count_as_zero() {
        // GIVEN a recorder listening to a limiter with a guarded per-seller budget and an unguarded shared one
        LimiterRecorder recorder = new LimiterRecorder();
        try (PriorityLimiter limiter = PriorityLimiter.builder()
                .budgets(List.of(Budget.named("m/seller").limit(100).jitterGuard(Duration.ofMillis(120)).build(),
                        Budget.named("m/app").limit(100).build()))
                .store(new InMemoryLimiterStore(Clock.systemUTC())).maxJitter(Duration.ZERO).listener(recorder).build()) {
            // WHEN three calls are granted on two sellers' instances and the shared budget, one on the shared budget alone
            assertThat(limiter.tryAcquire(Call.of(Priority.MEDIUM, "m/seller:S1", "m/app")).granted()).isTrue();
            assertThat(limiter.tryAcquire(Call.of(Priority.MEDIUM, "m/seller:S2", "m/app")).granted()).isTrue();
            assertThat(limiter.tryAcquire(Call.of(Priority.HIGH, "m/seller:S1", "m/app")).granted()).isTrue();
            assertThat(limiter.tryAcquire(Call.of(Priority.LOW, "m/app")).granted()).isTrue();
        }

        // THEN the configured per-seller budget counted every grant for its window + 120 ms, the shared one for its window
        assertThat(recorder.meanJitterGuard("m/seller")).isEqualTo(Duration.ofMillis(120));
        assertThat(recorder.meanJitterGuard("m/app")).isZero();
        assertThat(recorder.meanJitterGuard("m/unused")).isZero();
    }
}
