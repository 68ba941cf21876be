package io.marketgate.limiter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Budget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalFallbackBudgetsTest {

    @Test
    void divides_the_limit_by_the_fleet_when_it_is_large_enough() {
        Budget b = LocalFallbackBudgets.scale(Budget.named("m/a").limit(100).build(), 10);

        assertThat(b.limit()).isEqualTo(10);
        assertThat(b.window()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void stretches_the_window_when_the_fleet_outnumbers_the_limit() {
        // GIVEN Naver's 2 calls per second shared by 10 instances: 0.2 per instance per second
        Budget b = LocalFallbackBudgets.scale(Budget.named("naver/orders").limit(2).build(), 10);

        // THEN each instance gets 2 calls (the least with room for LOW at 70%) per 10 s: 0.2 per second
        assertThat(b.limit()).isEqualTo(2);
        assertThat(b.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat((double) b.limit() / b.window().toSeconds()).isLessThanOrEqualTo(2.0 / 10);
    }

    @Test
    void never_lets_the_fleet_exceed_the_rate_for_any_fleet_size() {
        for (long limit : new long[] {2, 3, 7, 10, 40, 1000}) {
            for (int fleet = 1; fleet <= 64; fleet++) {
                Budget b = LocalFallbackBudgets.scale(Budget.named("m/a").limit(limit).build(), fleet);
                double fleetRate = fleet * (double) b.limit() / (b.window().toNanos() / 1e9);
                assertThat(fleetRate).as("limit %d, fleet %d", limit, fleet).isLessThanOrEqualTo(limit + 1e-9);
                assertThat(b.capacity(io.marketgate.limiter.Priority.LOW)).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
