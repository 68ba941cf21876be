package io.marketgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BudgetJitterGuardTest {

    @Test
    void a_budget_counts_its_grants_for_the_window_and_the_guard_and_its_instances_keep_the_guard() {
        Budget vendor = Budget.named("coupang/vendor").limit(10).jitterGuard(Duration.ofMillis(150)).build();

        assertThat(vendor.countedWindow()).isEqualTo(Duration.ofMillis(1150));
        assertThat(vendor.countedWindowMicros()).isEqualTo(1_150_000);
        assertThat(vendor.windowMicros()).isEqualTo(1_000_000);
        assertThat(vendor.forKey("V1").jitterGuard()).isEqualTo(Duration.ofMillis(150));
        assertThat(vendor.withJitterGuard(Duration.ofMillis(150))).isSameAs(vendor);
        assertThat(vendor.withJitterGuard(Duration.ZERO)).isNotEqualTo(vendor)
                .isEqualTo(Budget.named("coupang/vendor").limit(10).build());
        assertThat(Budget.named("coupang/vendor").limit(10).build().jitterGuard()).isZero();
    }

    @Test
    void a_bad_guard_is_refused_naming_the_budget_and_the_rule() {
        assertThatThrownBy(() -> Budget.named("m/b").limit(1).ceilings(new Ceilings(1, 1, 1))
                .jitterGuard(Duration.ofMillis(-1)).build())
                .hasMessage("budget m/b: jitterGuard is PT-0.001S, must be between 0 and 1 min in whole microseconds");
        assertThatThrownBy(() -> Budget.named("m/b").limit(1).ceilings(new Ceilings(1, 1, 1))
                .jitterGuard(Duration.ofMinutes(2)).build())
                .hasMessageContaining("jitterGuard is PT2M, must be between 0 and 1 min");
        assertThatThrownBy(() -> Budget.named("m/b").limit(1).ceilings(new Ceilings(1, 1, 1))
                .jitterGuard(Duration.ofNanos(1500)).build())
                .hasMessageContaining("whole microseconds");
        assertThatThrownBy(() -> Budget.named("m/b").limit(1).ceilings(new Ceilings(1, 1, 1)).window(Budget.MAX_WINDOW)
                .jitterGuard(Duration.ofSeconds(1)).build())
                .hasMessageContaining("+ jitterGuard PT1S must be ≤ 24 h");
    }
}
