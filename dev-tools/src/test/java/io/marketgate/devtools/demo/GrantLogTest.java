package io.marketgate.devtools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import org.junit.jupiter.api.Test;

class GrantLogTest {

    private final GrantLog log = new GrantLog(Budget.named("m/a").limit(10).build()); // 1 s window

    @Test
    void counts_the_fullest_sliding_window_not_calendar_seconds() {
        // GIVEN 5 grants at the end of one second and 5 at the start of the next: 10 within 200 ms
        for (int i = 0; i < 5; i++) {
            log.add(900_000 + i, Priority.HIGH, 1);
            log.add(1_100_000 + i, Priority.HIGH, 1);
        }

        assertThat(log.maxInWindow(Priority.HIGH)).isEqualTo(10);
        assertThat(log.compliant()).isTrue();
    }

    @Test
    void a_grant_exactly_one_window_later_is_in_a_new_window() {
        log.add(0, Priority.LOW, 7);
        log.add(1_000_000, Priority.LOW, 7);

        assertThat(log.maxInWindow(Priority.LOW)).isEqualTo(7);
        assertThat(log.compliant()).isTrue();
    }

    @Test
    void finds_a_priority_over_its_ceiling_even_when_the_total_is_within_the_limit() {
        // GIVEN 8 LOW units in one window: within the limit of 10, over LOW's 7
        for (int i = 0; i < 8; i++) {
            log.add(i * 1_000L, Priority.LOW, 1);
        }

        assertThat(log.maxInWindow(Priority.HIGH)).isEqualTo(8);
        assertThat(log.maxInWindow(Priority.LOW)).isEqualTo(8);
        assertThat(log.compliant()).isFalse();
    }

    @Test
    void medium_and_low_together_are_held_to_medium_s_ceiling() {
        for (int i = 0; i < 5; i++) {
            log.add(i, Priority.LOW, 1);
            log.add(10 + i, Priority.MEDIUM, 1);
        }

        assertThat(log.maxInWindow(Priority.MEDIUM)).isEqualTo(10);
        assertThat(log.compliant()).isFalse();
        assertThat(log.count(Priority.MEDIUM)).isEqualTo(5);
    }
}
