package io.marketgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.limiter.Decision.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LimiterStore} must do, run against each one by supplying a factory (the in-memory store,
 * a standalone Valkey/Redis server, a Redis Cluster). A new store is done when it passes this suite.
 *
 * <p>Time: {@link #advance(Duration)} moves the store's clock forward. A manual clock moves exactly; a real
 * server's clock is waited for. Exact-moment checks ("a retry at that very microsecond is granted") run only
 * where {@link #exactClock()} is true; everywhere else the retry-after is checked against the store's own
 * timestamps, which is just as exact.
 */
public abstract class LimiterStoreContract {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final List<PriorityLimiter> opened = new ArrayList<>();

    /** A new, empty store that shares nothing with stores made before. */
    protected abstract LimiterStore createStore();

    /** Moves the store's clock forward by at least {@code d} (exactly {@code d} when {@link #exactClock()}). */
    protected abstract void advance(Duration d) throws InterruptedException;

    /** Whether {@link #advance(Duration)} is exact. */
    protected abstract boolean exactClock();

    @AfterEach
    void closeLimiters() {
        opened.forEach(PriorityLimiter::close);
    }

    protected PriorityLimiter limiter(Budget... budgets) {
        PriorityLimiter l = PriorityLimiter.builder()
                .budgets(List.of(budgets))
                .store(createStore())
                .maxJitter(Duration.ZERO)
                .build();
        opened.add(l);
        return l;
    }

    private static Budget budget(String name, long limit) {
        return Budget.named(name).limit(limit).window(WINDOW).build();
    }

    private static int grantsUntilDenied(PriorityLimiter l, Call call, int max) {
        for (int i = 0; i < max; i++) {
            if (!l.tryAcquire(call).granted()) {
                return i;
            }
        }
        return max;
    }

    // ---- the ceilings

    @Test
    void ceilings_are_exact_at_100_80_and_70_percent() {
        // GIVEN three budgets of limit 10, one per priority
        PriorityLimiter l = limiter(budget("m/high", 10), budget("m/medium", 10), budget("m/low", 10));

        // WHEN each priority alone fills its own budget
        int high = grantsUntilDenied(l, Call.of(Priority.HIGH, "m/high"), 50);
        int medium = grantsUntilDenied(l, Call.of(Priority.MEDIUM, "m/medium"), 50);
        int low = grantsUntilDenied(l, Call.of(Priority.LOW, "m/low"), 50);

        // THEN each stops exactly at floor(ceiling × limit)
        assertThat(high).isEqualTo(10);
        assertThat(medium).isEqualTo(8);
        assertThat(low).isEqualTo(7);
    }

    @Test
    void ceilings_floor_the_share_of_a_limit_that_does_not_divide() {
        // GIVEN limit 3: floor(0.8 × 3) = 2, floor(0.7 × 3) = 2
        PriorityLimiter l = limiter(budget("m/a", 3), budget("m/b", 3));

        assertThat(grantsUntilDenied(l, Call.of(Priority.MEDIUM, "m/a"), 10)).isEqualTo(2);
        assertThat(grantsUntilDenied(l, Call.of(Priority.LOW, "m/b"), 10)).isEqualTo(2);
    }

    @Test
    void low_alone_saturating_never_takes_more_than_70_percent() {
        // GIVEN a budget of 20
        PriorityLimiter l = limiter(budget("m/orders", 20));

        // WHEN LOW asks 200 times within one window
        int granted = 0;
        Decision last = null;
        for (int i = 0; i < 200; i++) {
            last = l.tryAcquire(Call.of(Priority.LOW, "m/orders"));
            granted += last.granted() ? 1 : 0;
        }

        // THEN it got exactly 14, and the store says so
        assertThat(granted).isEqualTo(14);
        assertThat(last.reason()).isEqualTo(Reason.CEILING_REACHED);
        assertThat(last.blockingBudget()).isEqualTo("m/orders");
        BudgetStatus s = l.control().status("m/orders");
        assertThat(s.usage().get(Priority.LOW)).isEqualTo(14);
        assertThat(s.totalUsage()).isEqualTo(14);
    }

    @Test
    void grants_high_when_low_and_medium_have_filled_their_shares() {
        // GIVEN LOW and MEDIUM saturating a budget of 10
        PriorityLimiter l = limiter(budget("m/orders", 10));
        int low = grantsUntilDenied(l, Call.of(Priority.LOW, "m/orders"), 50);
        int medium = grantsUntilDenied(l, Call.of(Priority.MEDIUM, "m/orders"), 50);

        // WHEN HIGH asks
        int high = grantsUntilDenied(l, Call.of(Priority.HIGH, "m/orders"), 50);

        // THEN LOW took 7, MEDIUM the 8th, and HIGH still got the last 2 — never more than the limit
        assertThat(low).isEqualTo(7);
        assertThat(medium).isEqualTo(1);
        assertThat(high).isEqualTo(2);
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "m/orders")).granted()).isFalse();
        assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders")).granted()).isFalse();
    }

    @Test
    void medium_is_denied_while_high_still_has_room() {
        // GIVEN 8 HIGH grants in a budget of 10
        PriorityLimiter l = limiter(budget("m/orders", 10));
        for (int i = 0; i < 8; i++) {
            assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/orders")).granted()).isTrue();
        }

        // WHEN MEDIUM and HIGH ask
        Decision medium = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders"));
        Decision high = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));

        // THEN the usage of every priority counts against MEDIUM's ceiling, and HIGH keeps its 20%
        assertThat(medium.granted()).isFalse();
        assertThat(medium.reason()).isEqualTo(Reason.CEILING_REACHED);
        assertThat(high.granted()).isTrue();
    }

    @Test
    void a_call_costs_its_cost_in_units() {
        PriorityLimiter l = limiter(budget("m/bulk", 10));

        assertThat(l.tryAcquire(Call.of(Priority.LOW, "m/bulk").withCost(4)).granted()).isTrue();
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "m/bulk").withCost(4)).granted()).isFalse();
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "m/bulk").withCost(3)).granted()).isTrue();
        assertThat(l.control().status("m/bulk").usage().get(Priority.LOW)).isEqualTo(7);
    }

    @Test
    void a_decision_reports_the_room_left_per_priority() {
        PriorityLimiter l = limiter(budget("m/orders", 10));

        Decision d = null;
        for (int i = 0; i < 3; i++) {
            d = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        }

        assertThat(d.granted()).isTrue();
        assertThat(d.remaining(Priority.HIGH)).isEqualTo(7);
        assertThat(d.remaining(Priority.MEDIUM)).isEqualTo(5);
        assertThat(d.remaining(Priority.LOW)).isEqualTo(4);
        assertThat(d.decidedBy()).isEqualTo(Decision.DecidedBy.STORE);
        assertThat(d.retryAfter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void a_denied_call_reports_the_room_it_did_not_take() {
        // GIVEN budget a with 4 units of room and budget b with 2
        PriorityLimiter l = limiter(budget("rm/a", 10), budget("rm/b", 10));
        for (int i = 0; i < 6; i++) {
            l.tryAcquire(Call.of(Priority.HIGH, "rm/a"));
        }
        for (int i = 0; i < 8; i++) {
            l.tryAcquire(Call.of(Priority.HIGH, "rm/b"));
        }

        // WHEN a call of cost 3 on both is denied by b
        Decision d = l.tryAcquire(Call.of(Priority.HIGH, "rm/a", "rm/b").withCost(3));

        // THEN the room reported is what is left now: 2 on b, the least of both
        assertThat(d.granted()).isFalse();
        assertThat(d.blockingBudget()).isEqualTo("rm/b");
        assertThat(d.remaining(Priority.HIGH)).isEqualTo(2);
        assertThat(d.remaining(Priority.MEDIUM)).isZero();
    }

    // ---- several budgets in one call

    @Test
    void a_multi_budget_call_is_all_or_nothing() {
        // GIVEN a vendor budget of 10 and an endpoint budget of 2, drawn together
        PriorityLimiter l = limiter(budget("cp/vendor", 10), budget("cp/ordersheets", 2));
        Call both = Call.of(Priority.HIGH, "cp/vendor", "cp/ordersheets");

        // WHEN the endpoint budget runs out
        assertThat(l.tryAcquire(both).granted()).isTrue();
        assertThat(l.tryAcquire(both).granted()).isTrue();
        Decision denied = l.tryAcquire(both);
        Decision deniedAgain = l.tryAcquire(both);

        // THEN the denial names the endpoint budget and consumed nothing on the vendor budget
        assertThat(denied.granted()).isFalse();
        assertThat(denied.blockingBudget()).isEqualTo("cp/ordersheets");
        assertThat(deniedAgain.granted()).isFalse();
        assertThat(l.control().status("cp/vendor").totalUsage()).isEqualTo(2);
        assertThat(l.control().status("cp/ordersheets").totalUsage()).isEqualTo(2);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "cp/vendor"), 50)).isEqualTo(8);
    }

    @Test
    void a_multi_budget_denial_waits_for_the_budget_that_frees_last() throws InterruptedException {
        // GIVEN budget a filled first, budget b filled 200 ms later
        PriorityLimiter l = limiter(budget("mm/a", 2), budget("mm/b", 2));
        Decision a1 = l.tryAcquire(Call.of(Priority.HIGH, "mm/a"));
        l.tryAcquire(Call.of(Priority.HIGH, "mm/a"));
        advance(Duration.ofMillis(200));
        Decision b1 = l.tryAcquire(Call.of(Priority.HIGH, "mm/b"));
        l.tryAcquire(Call.of(Priority.HIGH, "mm/b"));

        // WHEN a call needs both
        Decision d = l.tryAcquire(Call.of(Priority.HIGH, "mm/a", "mm/b"));

        // THEN it is blocked by b, until b's oldest grant leaves the window
        assertThat(d.granted()).isFalse();
        assertThat(d.blockingBudget()).isEqualTo("mm/b");
        assertThat(micros(d.retryAfter())).isEqualTo(b1.storeTimeMicros() + micros(WINDOW) - d.storeTimeMicros());
        assertThat(b1.storeTimeMicros()).isGreaterThan(a1.storeTimeMicros());
    }

    @Test
    void each_seller_s_instance_of_a_per_seller_budget_has_its_own_window() {
        // GIVEN an app-wide endpoint budget of 10 and a per-seller budget of 3
        PriorityLimiter l = limiter(budget("nv/dispatch", 10), budget("nv/seller", 3));

        // WHEN seller s-1 fills its own instance
        int s1 = grantsUntilDenied(l, Call.of(Priority.HIGH, "nv/dispatch", "nv/seller:s-1"), 20);
        Decision blocked = l.tryAcquire(Call.of(Priority.HIGH, "nv/dispatch", "nv/seller:s-1"));

        // THEN s-1 is blocked by its instance, while s-2 still draws from the shared endpoint budget
        assertThat(s1).isEqualTo(3);
        assertThat(blocked.blockingBudget()).isEqualTo("nv/seller:s-1");
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "nv/dispatch", "nv/seller:s-2"), 20)).isEqualTo(3);
        assertThat(l.control().status("nv/dispatch").totalUsage()).isEqualTo(6);
        assertThat(l.control().status("nv/seller:s-2").totalUsage()).isEqualTo(3);
        assertThat(l.control().status("nv/seller:s-3").totalUsage()).isZero();
    }

    @Test
    void an_operator_can_pause_one_seller_s_instance() {
        PriorityLimiter l = limiter(budget("nv/seller", 5));
        l.control().pause("nv/seller:s-1", Priority.LOW, Duration.ofMinutes(5));

        assertThat(l.tryAcquire(Call.of(Priority.LOW, "nv/seller:s-1")).reason()).isEqualTo(Reason.PAUSED);
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "nv/seller:s-2")).granted()).isTrue();
    }

    @Test
    void a_pause_of_the_configured_budget_pauses_every_instance_until_it_is_resumed() {
        // GIVEN a per-vendor budget; vendor V1 has used its instance
        PriorityLimiter l = limiter(budget("cp/vendor", 10), budget("cp/orders", 20));
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V1")).granted()).isTrue();

        // WHEN LOW is paused on the configured budget cp/vendor
        l.control().pause("cp/vendor", Priority.LOW, Duration.ofMinutes(15));

        // THEN LOW is paused on every instance, alone or with a shared budget, and the instances' status says so
        Decision v1 = l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V1"));
        assertThat(v1.reason()).isEqualTo(Reason.PAUSED);
        assertThat(v1.retryAfter()).isGreaterThan(Duration.ofMinutes(14)).isLessThanOrEqualTo(Duration.ofMinutes(15));
        assertThat(v1.remaining(Priority.LOW)).isZero();
        Decision v2 = l.tryAcquire(Call.of(Priority.LOW, "cp/orders", "cp/vendor:V2"));
        assertThat(v2.reason()).isEqualTo(Reason.PAUSED);
        assertThat(v2.blockingBudget()).isEqualTo("cp/vendor:V2");
        assertThat(l.control().status("cp/vendor:V2").pausedUntil()).containsOnlyKeys(Priority.LOW);
        assertThat(l.control().status("cp/vendor").pausedUntil()).containsOnlyKeys(Priority.LOW);
        // AND the other priorities and the shared budget alone go on
        assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "cp/vendor:V1")).granted()).isTrue();
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/orders")).granted()).isTrue();

        // WHEN it is resumed THEN every instance admits LOW again
        l.control().resume("cp/vendor", Priority.LOW);
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V1")).granted()).isTrue();
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/orders", "cp/vendor:V2")).granted()).isTrue();
        assertThat(l.control().status("cp/vendor:V2").pausedUntil()).isEmpty();
    }

    @Test
    void a_pause_of_the_configured_budget_ends_for_every_instance_when_it_expires() throws InterruptedException {
        // GIVEN LOW paused for 300 ms on the configured per-vendor budget
        PriorityLimiter l = limiter(budget("cp/vendor", 10));
        l.control().pause("cp/vendor", Priority.LOW, Duration.ofMillis(300));

        // THEN an instance is denied with the pause's remaining time
        Decision paused = l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V1"));
        assertThat(paused.reason()).isEqualTo(Reason.PAUSED);
        assertThat(paused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300));

        // WHEN that time has passed THEN every instance admits LOW again
        advance(paused.retryAfter());
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V1")).granted()).isTrue();
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V2")).granted()).isTrue();
        assertThat(l.control().status("cp/vendor:V1").pausedUntil()).isEmpty();
    }

    @Test
    void a_pause_of_one_instance_stays_its_own_while_the_configured_budget_is_not_paused() {
        PriorityLimiter l = limiter(budget("cp/vendor", 10));
        l.control().pause("cp/vendor:V1", Priority.LOW, Duration.ofMinutes(5));

        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V1")).reason()).isEqualTo(Reason.PAUSED);
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "cp/vendor:V2")).granted()).isTrue();
        assertThat(l.control().status("cp/vendor").pausedUntil()).isEmpty();
    }

    @Test
    void a_limit_override_of_the_configured_budget_applies_to_every_instance_unless_the_instance_has_its_own() {
        // GIVEN a per-vendor budget of 10 per minute (no grant leaves the window during the test), overridden to 2
        // on the configured budget, and to 4 on vendor V3 alone
        PriorityLimiter l = limiter(Budget.named("cp/vendor").limit(10).window(Duration.ofMinutes(1)).build(), budget("cp/orders", 100));
        l.control().overrideLimit("cp/vendor", 2, Duration.ofMinutes(30));
        l.control().overrideLimit("cp/vendor:V3", 4, Duration.ofMinutes(30));

        // THEN each instance without an override of its own gets 2, alone or with a shared budget; V3 gets its 4
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "cp/vendor:V1"), 20)).isEqualTo(2);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "cp/orders", "cp/vendor:V2"), 20)).isEqualTo(2);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "cp/vendor:V3"), 20)).isEqualTo(4);
        BudgetStatus v1 = l.control().status("cp/vendor:V1");
        assertThat(v1.effectiveLimit()).isEqualTo(2);
        assertThat(v1.overrideLimit()).contains(2L);
        assertThat(v1.overrideUntil()).isPresent();
        assertThat(l.control().status("cp/vendor:V3").overrideLimit()).contains(4L);
        // AND the shared budget keeps its own limit
        assertThat(l.control().status("cp/orders").effectiveLimit()).isEqualTo(100);

        // WHEN the configured budget's override is cleared THEN the configured limit is back for V1, V3 keeps its own
        l.control().clearOverride("cp/vendor");
        assertThat(l.control().status("cp/vendor:V1").effectiveLimit()).isEqualTo(10);
        assertThat(l.control().status("cp/vendor:V1").overrideLimit()).isEmpty();
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "cp/vendor:V1"), 20)).isEqualTo(8);
        assertThat(l.control().status("cp/vendor:V3").effectiveLimit()).isEqualTo(4);
    }

    @Test
    void a_cool_down_of_one_instance_is_not_shared_with_the_configured_budget_s_other_instances() {
        PriorityLimiter l = limiter(budget("cp/vendor", 10));
        l.reportThrottled("cp/vendor:V1", Duration.ofMinutes(1));

        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "cp/vendor:V1")).reason()).isEqualTo(Reason.COOLING_DOWN);
        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "cp/vendor:V2")).granted()).isTrue();
        assertThat(l.control().status("cp/vendor:V2").effectiveLimit()).isEqualTo(10);
    }

    // ---- retry-after

    @Test
    void retry_after_is_exactly_when_the_oldest_grant_leaves_the_window() throws InterruptedException {
        // GIVEN a budget of 3 filled by grants spread over time
        PriorityLimiter l = limiter(budget("m/orders", 3));
        Call high = Call.of(Priority.HIGH, "m/orders");
        Decision first = l.tryAcquire(high);
        advance(Duration.ofMillis(100));
        l.tryAcquire(high);
        advance(Duration.ofMillis(100));
        l.tryAcquire(high);

        // WHEN the next call is denied
        Decision denied = l.tryAcquire(high);

        // THEN its retry-after ends exactly when the first grant leaves the window (first + window − now)
        assertThat(denied.granted()).isFalse();
        assertThat(micros(denied.retryAfter()))
                .isEqualTo(first.storeTimeMicros() + micros(WINDOW) - denied.storeTimeMicros());

        // AND a retry at that moment is granted (one microsecond earlier is not)
        if (exactClock()) {
            advance(denied.retryAfter().minusNanos(1_000));
            assertThat(l.tryAcquire(high).granted()).isFalse();
            advance(Duration.ofNanos(1_000));
        } else {
            advance(denied.retryAfter());
        }
        Decision retried = l.tryAcquire(high);
        assertThat(retried.granted()).isTrue();
        assertThat(retried.storeTimeMicros()).isGreaterThanOrEqualTo(first.storeTimeMicros() + micros(WINDOW));
    }

    // ---- the jitter guard

    @Test
    void a_jitter_guard_keeps_a_grant_counted_for_the_window_and_the_guard() throws InterruptedException {
        // GIVEN a budget of 2 per second with a jitter guard of 300 ms, filled
        Duration guard = Duration.ofMillis(300);
        PriorityLimiter l = limiter(Budget.named("m/orders").limit(2).window(WINDOW).jitterGuard(guard).build());
        Call high = Call.of(Priority.HIGH, "m/orders");
        Decision first = l.tryAcquire(high);
        assertThat(l.tryAcquire(high).granted()).isTrue();

        // WHEN a whole window has passed: without the guard the first grant would have left
        advance(WINDOW);
        Decision denied = l.tryAcquire(high);

        // THEN it still counts, until window + guard after it, and a retry then is granted
        assertThat(denied.granted()).isFalse();
        assertThat(micros(denied.retryAfter()))
                .isEqualTo(first.storeTimeMicros() + micros(WINDOW) + micros(guard) - denied.storeTimeMicros());
        if (exactClock()) {
            advance(denied.retryAfter().minusNanos(1_000));
            assertThat(l.tryAcquire(high).granted()).isFalse();
            advance(Duration.ofNanos(1_000));
        } else {
            advance(denied.retryAfter());
        }
        Decision retried = l.tryAcquire(high);
        assertThat(retried.granted()).isTrue();
        assertThat(retried.storeTimeMicros()).isGreaterThanOrEqualTo(first.storeTimeMicros() + micros(WINDOW) + micros(guard));
    }

    @Test
    void a_call_on_two_budgets_obeys_each_budget_s_own_guard() throws InterruptedException {
        // GIVEN two budgets of 1 per second, one without a guard and one with 500 ms, and a call on both granted
        PriorityLimiter l = limiter(Budget.named("m/plain").limit(1).window(WINDOW).ceilings(new Ceilings(1, 1, 1)).build(),
                Budget.named("m/guarded").limit(1).window(WINDOW).ceilings(new Ceilings(1, 1, 1))
                        .jitterGuard(Duration.ofMillis(500)).build());
        Decision both = l.tryAcquire(Call.of(Priority.MEDIUM, "m/plain", "m/guarded"));
        assertThat(both.granted()).isTrue();

        // WHEN a window has passed
        advance(WINDOW);

        // THEN the plain budget has room again, the guarded one not, and the call on both waits for the guarded one
        Decision again = l.tryAcquire(Call.of(Priority.MEDIUM, "m/plain", "m/guarded"));
        assertThat(again.granted()).isFalse();
        assertThat(again.blockingBudget()).isEqualTo("m/guarded");
        assertThat(micros(again.retryAfter()))
                .isEqualTo(both.storeTimeMicros() + micros(WINDOW) + 500_000 - again.storeTimeMicros());
        assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/plain")).granted()).isTrue();
    }

    @Test
    void with_a_guard_medium_below_half_the_limit_keeps_its_ceiling_per_window() throws InterruptedException {
        // GIVEN a budget of 2 per second with a 300 ms guard: MEDIUM's ceiling is 1 per window, and 2 per 1.3 s allow it
        Duration guard = Duration.ofMillis(300);
        PriorityLimiter l = limiter(Budget.named("m/orders").limit(2).window(WINDOW).jitterGuard(guard).build());
        Call medium = Call.of(Priority.MEDIUM, "m/orders");
        Decision first = l.tryAcquire(medium);
        assertThat(first.granted()).isTrue();
        assertThat(first.remaining(Priority.HIGH)).isEqualTo(1);
        assertThat(first.remaining(Priority.MEDIUM)).isZero();

        // WHEN MEDIUM asks again at once, and again at its retry-after
        Decision denied = l.tryAcquire(medium);
        assertThat(denied.granted()).isFalse();
        // THEN it waits one window, not window + guard: the ceiling's term is on the configured window
        assertThat(micros(denied.retryAfter())).isEqualTo(first.storeTimeMicros() + micros(WINDOW) - denied.storeTimeMicros());
        if (exactClock()) {
            advance(denied.retryAfter().minusNanos(1_000));
            assertThat(l.tryAcquire(medium).granted()).isFalse();
            advance(Duration.ofNanos(1_000));
        } else {
            advance(denied.retryAfter());
        }
        Decision second = l.tryAcquire(medium);
        assertThat(second.granted()).isTrue();
        assertThat(second.storeTimeMicros() - first.storeTimeMicros()).isLessThan(micros(WINDOW) + micros(guard));
        // AND the first grant still counts for the limit until window + guard after it: no room for HIGH either
        assertThat(second.remaining(Priority.HIGH)).isZero();
        assertThat(second.remaining(Priority.MEDIUM)).isZero();
        Decision high = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        assertThat(high.granted()).isFalse();
        assertThat(micros(high.retryAfter()))
                .isEqualTo(first.storeTimeMicros() + micros(WINDOW) + micros(guard) - high.storeTimeMicros());
    }

    @Test
    void with_a_guard_high_is_held_to_the_limit_per_window_and_guard() throws InterruptedException {
        // GIVEN a budget of 2 per second with a 300 ms guard, and HIGH asking every 100 ms for 2.6 s
        Duration guard = Duration.ofMillis(300);
        PriorityLimiter l = limiter(Budget.named("m/orders").limit(2).window(WINDOW).jitterGuard(guard).build());
        List<Long> grants = new ArrayList<>();
        for (int step = 0; step <= 26; step++) {
            Decision d = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
            if (d.granted()) {
                grants.add(d.storeTimeMicros());
            }
            Decision again = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
            if (again.granted()) {
                grants.add(again.storeTimeMicros());
            }
            advance(Duration.ofMillis(100));
        }

        // THEN no interval of window + guard holds more than the limit, and HIGH got it in every such interval: the
        // 2 at once, again 1.3 s later (the oldest left the counted window), and again 1.3 s after that
        assertThat(mostInAnyInterval(grants, micros(WINDOW) + micros(guard))).isEqualTo(2);
        assertThat(grants).hasSize(6);
    }

    @Test
    void with_a_guard_high_filling_the_limit_keeps_medium_out_until_the_counted_window_allows() throws InterruptedException {
        // GIVEN a budget of 2 per second with a 300 ms guard (MEDIUM's ceiling 1), filled by HIGH
        Duration guard = Duration.ofMillis(300);
        long counted = micros(WINDOW) + micros(guard);
        PriorityLimiter l = limiter(Budget.named("m/orders").limit(2).window(WINDOW).jitterGuard(guard).build());
        List<Long> grants = new ArrayList<>();
        Decision h1 = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        Decision h2 = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        assertThat(h1.granted()).isTrue();
        assertThat(h2.granted()).isTrue();
        grants.add(h1.storeTimeMicros());
        grants.add(h2.storeTimeMicros());

        // WHEN a window has passed: MEDIUM's ceiling has room, the limit on the counted window has none
        advance(WINDOW);
        Decision medium = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders"));

        // THEN MEDIUM is denied until the oldest grant has left the counted window, and granted when it comes back then
        assertThat(medium.granted()).isFalse();
        assertThat(medium.reason()).isEqualTo(Reason.CEILING_REACHED);
        assertThat(micros(medium.retryAfter())).isEqualTo(h1.storeTimeMicros() + counted - medium.storeTimeMicros());
        if (exactClock()) {
            advance(medium.retryAfter().minusNanos(1_000));
            assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders")).granted()).isFalse();
            advance(Duration.ofNanos(1_000));
        } else {
            advance(medium.retryAfter());
        }
        Decision retried = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders"));
        assertThat(retried.granted()).isTrue();
        grants.add(retried.storeTimeMicros());

        // AND whatever both priorities ask every 100 ms for the next 2 s, no interval of window + guard holds more than
        // the limit, and MEDIUM never more than its ceiling in a window
        List<Long> mediumGrants = new ArrayList<>(List.of(retried.storeTimeMicros()));
        for (int step = 0; step < 20; step++) {
            Decision m = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders"));
            if (m.granted()) {
                grants.add(m.storeTimeMicros());
                mediumGrants.add(m.storeTimeMicros());
            }
            Decision h = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
            if (h.granted()) {
                grants.add(h.storeTimeMicros());
            }
            advance(Duration.ofMillis(100));
        }
        assertThat(mostInAnyInterval(grants, counted)).isLessThanOrEqualTo(2);
        assertThat(mostInAnyInterval(mediumGrants, micros(WINDOW))).isEqualTo(1);
        assertThat(grants.size()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void with_a_guard_a_retry_after_waits_for_both_terms_and_a_caller_that_waits_it_is_granted() throws InterruptedException {
        // GIVEN a budget of 10 per second with a 300 ms guard: 2 HIGH grants, then 400 ms later 6 MEDIUM (its ceiling of 8
        // is full) and 2 HIGH
        Duration guard = Duration.ofMillis(300);
        long window = micros(WINDOW);
        long counted = window + micros(guard);
        Budget budget = Budget.named("m/orders").limit(10).window(WINDOW).jitterGuard(guard).build();
        PriorityLimiter l = limiter(budget);
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Decision d = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
            assertThat(d.granted()).isTrue();
            grants.add(d.storeTimeMicros());
        }
        advance(Duration.ofMillis(400));
        for (int i = 0; i < 8; i++) {
            Decision d = l.tryAcquire(Call.of(i < 6 ? Priority.MEDIUM : Priority.HIGH, "m/orders"));
            assertThat(d.granted()).isTrue();
            grants.add(d.storeTimeMicros());
        }

        // WHEN 1.1 s after the HIGH grants MEDIUM asks (its ceiling full for another 300 ms, the limit for 200 ms)
        advance(Duration.ofMillis(700));
        Decision medium = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders"));
        // THEN it is told the later of the two: when its own oldest unit leaves the configured window
        assertThat(medium.granted()).isFalse();
        assertThat(micros(medium.retryAfter()))
                .isEqualTo(firstFit(grants, medium.storeTimeMicros(), 8, 10, window, counted) - medium.storeTimeMicros());

        // WHEN HIGH asks (its ceiling is the limit: only the counted window's term)
        Decision high = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        // THEN it is told when the oldest HIGH grant leaves the counted window, and granted when it comes back then
        assertThat(high.granted()).isFalse();
        assertThat(micros(high.retryAfter()))
                .isEqualTo(firstFit(grants, high.storeTimeMicros(), 10, 10, window, counted) - high.storeTimeMicros());
        advance(high.retryAfter());
        Decision highRetried = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        assertThat(highRetried.granted()).isTrue();
        grants.add(highRetried.storeTimeMicros());

        // AND MEDIUM, asking again, is told when both terms allow it (its ceiling now binds), and granted then
        Decision mediumAgain = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders"));
        assertThat(mediumAgain.granted()).isFalse();
        assertThat(micros(mediumAgain.retryAfter()))
                .isEqualTo(firstFit(grants, mediumAgain.storeTimeMicros(), 8, 10, window, counted) - mediumAgain.storeTimeMicros());
        advance(mediumAgain.retryAfter());
        Decision mediumRetried = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders"));
        assertThat(mediumRetried.granted()).isTrue();
        grants.add(mediumRetried.storeTimeMicros());
        assertThat(mostInAnyInterval(grants, counted)).isLessThanOrEqualTo(10);
    }

    @Test
    void with_a_guard_calls_of_cost_2_obey_both_terms_and_status_shows_the_configured_window() throws InterruptedException {
        // GIVEN a budget of 4 per second with a 300 ms guard (MEDIUM's ceiling 3) and a HIGH call of cost 2
        Duration guard = Duration.ofMillis(300);
        PriorityLimiter l = limiter(Budget.named("m/orders").limit(4).window(WINDOW).jitterGuard(guard).build());
        Decision high = l.tryAcquire(Call.of(Priority.HIGH, "m/orders").withCost(2));
        assertThat(high.granted()).isTrue();

        // WHEN a window has passed
        advance(WINDOW);

        // THEN status shows the configured window's usage (the HIGH units count against the limit a guard longer)
        assertThat(l.control().status("m/orders").totalUsage()).isZero();
        // AND MEDIUM's 2 fit both terms (0 + 2 ≤ 3 in the window, 2 + 2 ≤ 4 in the counted window), leaving no room
        Decision medium = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders").withCost(2));
        assertThat(medium.granted()).isTrue();
        assertThat(medium.remaining(Priority.HIGH)).isZero();
        assertThat(medium.remaining(Priority.MEDIUM)).isZero();
        BudgetStatus s = l.control().status("m/orders");
        assertThat(s.usage().get(Priority.MEDIUM)).isEqualTo(2);
        assertThat(s.usage().get(Priority.HIGH)).isZero();

        // AND another MEDIUM 2 waits for its ceiling (its own units leave the window a window later), while HIGH's 2 wait
        // only for the limit (the HIGH units leave the counted window window + guard after their grant)
        Decision medium2 = l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders").withCost(2));
        assertThat(medium2.granted()).isFalse();
        assertThat(micros(medium2.retryAfter())).isEqualTo(medium.storeTimeMicros() + micros(WINDOW) - medium2.storeTimeMicros());
        Decision high2 = l.tryAcquire(Call.of(Priority.HIGH, "m/orders").withCost(2));
        assertThat(high2.granted()).isFalse();
        long highFits = high.storeTimeMicros() + micros(WINDOW) + micros(guard);
        assertThat(micros(high2.retryAfter())).isEqualTo(highFits - high2.storeTimeMicros());
        advance(high2.retryAfter());
        Decision high3 = l.tryAcquire(Call.of(Priority.HIGH, "m/orders").withCost(2));
        assertThat(high3.granted()).isTrue();
        assertThat(high3.storeTimeMicros()).isGreaterThanOrEqualTo(highFits);
    }

    /** The most grants (µs) in any interval {@code (t − span, t]}. */
    private static int mostInAnyInterval(List<Long> grants, long span) {
        int most = 0;
        for (long t : grants) {
            int in = 0;
            for (long u : grants) {
                if (u > t - span && u <= t) {
                    in++;
                }
            }
            most = Math.max(most, in);
        }
        return most;
    }

    /**
     * The rule worked out by brute force over the grants (cost 1 each, all at or before {@code now}): the first moment
     * at or after {@code now} at which one more unit fits both terms, {@code capacity} in the configured window and
     * {@code limit} in the counted window; a unit leaves a window when its stamp + the window has come.
     */
    private static long firstFit(List<Long> grants, long now, long capacity, long limit, long window, long counted) {
        List<Long> moments = new ArrayList<>(List.of(now));
        for (long t : grants) {
            moments.add(t + window);
            moments.add(t + counted);
        }
        moments.sort(null);
        for (long at : moments) {
            if (at < now) {
                continue;
            }
            long inWindow = grants.stream().filter(t -> t > at - window).count();
            long inCounted = grants.stream().filter(t -> t > at - counted).count();
            if (inWindow + 1 <= capacity && inCounted + 1 <= limit) {
                return at;
            }
        }
        throw new AssertionError("never fits");
    }

    @Test
    void retry_after_of_a_lower_priority_waits_until_enough_units_leave_its_ceiling() throws InterruptedException {
        // GIVEN 10 HIGH grants in a budget of 10, in two groups 100 ms apart
        PriorityLimiter l = limiter(budget("m/orders", 10));
        List<Decision> grants = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            grants.add(l.tryAcquire(Call.of(Priority.HIGH, "m/orders")));
        }
        advance(Duration.ofMillis(100));
        for (int i = 0; i < 5; i++) {
            grants.add(l.tryAcquire(Call.of(Priority.HIGH, "m/orders")));
        }
        assertThat(grants).allMatch(Decision::granted);

        // WHEN LOW asks (it needs usage ≤ 6 to fit one more under floor(0.7 × 10) = 7)
        Decision low = l.tryAcquire(Call.of(Priority.LOW, "m/orders"));

        // THEN it must wait until the 4th oldest unit has left: 10 + 1 − 7 = 4
        assertThat(low.granted()).isFalse();
        assertThat(micros(low.retryAfter()))
                .isEqualTo(grants.get(3).storeTimeMicros() + micros(WINDOW) - low.storeTimeMicros());
        advance(low.retryAfter());
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "m/orders")).granted()).isTrue();
    }

    @Test
    void the_window_slides_and_frees_the_whole_budget() throws InterruptedException {
        PriorityLimiter l = limiter(budget("m/orders", 5));
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/orders"), 20)).isEqualTo(5);

        advance(WINDOW);

        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/orders"), 20)).isEqualTo(5);
    }

    @Test
    void a_denial_consumes_nothing() throws InterruptedException {
        // GIVEN a full budget
        PriorityLimiter l = limiter(budget("m/orders", 2));
        Call high = Call.of(Priority.HIGH, "m/orders");
        Decision first = l.tryAcquire(high);
        l.tryAcquire(high);

        // WHEN denied calls keep coming
        Decision d1 = l.tryAcquire(high);
        advance(Duration.ofMillis(50));
        Decision d2 = l.tryAcquire(high);

        // THEN the retry-after still points at the first grant's expiry
        long expiry = first.storeTimeMicros() + micros(WINDOW);
        assertThat(d1.storeTimeMicros() + micros(d1.retryAfter())).isEqualTo(expiry);
        assertThat(d2.storeTimeMicros() + micros(d2.retryAfter())).isEqualTo(expiry);
        assertThat(l.control().status("m/orders").totalUsage()).isEqualTo(2);
    }

    // ---- a waiting HIGH call holds the next free room (HighHold)

    /** A budget of one call per window with no priority shares (11st's pace): only a hold keeps its slot for HIGH. */
    private static Budget onePerWindow(String name) {
        return Budget.named(name).limit(1).window(WINDOW).ceilings(new Ceilings(1.0, 1.0, 1.0)).build();
    }

    @Test
    void a_waiting_high_call_gets_the_next_slot_of_a_limit_1_budget_before_medium() throws InterruptedException {
        // GIVEN a budget of 1 per window taken by MEDIUM
        PriorityLimiter l = limiter(onePerWindow("m/pace"));
        Call medium = Call.of(Priority.MEDIUM, "m/pace");
        Call high = Call.of(Priority.HIGH, "m/pace");
        Decision taken = l.tryAcquire(medium);
        assertThat(taken.granted()).isTrue();

        // WHEN HIGH is denied, told exactly when the slot frees
        Decision waiting = l.tryAcquire(high);
        assertThat(waiting.granted()).isFalse();
        assertThat(waiting.reason()).isEqualTo(Reason.CEILING_REACHED);
        assertThat(micros(waiting.retryAfter())).isEqualTo(taken.storeTimeMicros() + micros(WINDOW) - waiting.storeTimeMicros());

        // THEN MEDIUM is told to come back when the hold ends, not when the slot frees
        long holdEnd = waiting.storeTimeMicros() + micros(waiting.retryAfter()) + HighHold.MARGIN_MICROS;
        Decision before = l.tryAcquire(medium);
        assertThat(before.granted()).isFalse();
        assertThat(before.storeTimeMicros() + micros(before.retryAfter())).isEqualTo(holdEnd);

        // AND at the moment the slot frees MEDIUM asks first and is refused, and HIGH coming back is granted
        advance(waiting.retryAfter());
        Decision raced = l.tryAcquire(medium);
        assertThat(raced.granted()).isFalse();
        assertThat(raced.reason()).isEqualTo(Reason.CEILING_REACHED);
        assertThat(raced.blockingBudget()).isEqualTo("m/pace");
        assertThat(raced.storeTimeMicros() + micros(raced.retryAfter())).isEqualTo(holdEnd);
        assertThat(raced.remaining(Priority.MEDIUM)).isZero();
        assertThat(raced.remaining(Priority.HIGH)).isEqualTo(1);
        Decision granted = l.tryAcquire(high);
        assertThat(granted.granted()).isTrue();

        // AND MEDIUM has the slot after HIGH's unit has left
        Decision after = l.tryAcquire(medium);
        assertThat(after.granted()).isFalse();
        advance(Duration.ofNanos((granted.storeTimeMicros() + micros(WINDOW) - after.storeTimeMicros()) * 1_000L));
        assertThat(l.tryAcquire(medium).granted()).isTrue();
    }

    @Test
    void a_hold_expires_when_its_waiter_never_comes_back() throws InterruptedException {
        // GIVEN a HIGH call denied on a full budget of 1 per window, which then vanishes
        PriorityLimiter l = limiter(onePerWindow("m/pace"));
        Call low = Call.of(Priority.LOW, "m/pace");
        assertThat(l.tryAcquire(low).granted()).isTrue();
        Decision waiting = l.tryAcquire(Call.of(Priority.HIGH, "m/pace"));
        assertThat(waiting.granted()).isFalse();
        Duration holdLeft = waiting.retryAfter().plusNanos(HighHold.MARGIN_MICROS * 1_000L);

        // WHEN LOW asks after the slot has freed, during the hold, then when the hold has ended
        if (exactClock()) {
            advance(holdLeft.minusNanos(1_000));
            assertThat(l.tryAcquire(low).granted()).isFalse();
            advance(Duration.ofNanos(1_000));
        } else {
            advance(holdLeft);
        }

        // THEN the hold has ended by itself and LOW is admitted
        Decision late = l.tryAcquire(low);
        assertThat(late.granted()).isTrue();
        assertThat(late.storeTimeMicros()).isGreaterThanOrEqualTo(waiting.storeTimeMicros() + micros(holdLeft));
    }

    @Test
    void several_high_waiters_take_the_next_slots_one_after_the_other_before_medium() throws InterruptedException {
        // GIVEN a full budget of 1 per window and two HIGH calls waiting for it: one hold for both
        PriorityLimiter l = limiter(onePerWindow("m/pace"));
        Call medium = Call.of(Priority.MEDIUM, "m/pace");
        Call high = Call.of(Priority.HIGH, "m/pace");
        assertThat(l.tryAcquire(medium).granted()).isTrue();
        Decision first = l.tryAcquire(high);
        Decision second = l.tryAcquire(high);
        assertThat(first.granted()).isFalse();
        assertThat(second.granted()).isFalse();

        // WHEN both come back at their retry-after with MEDIUM asking before each of them
        advance(second.retryAfter());
        assertThat(l.tryAcquire(medium).granted()).isFalse();
        Decision firstIn = l.tryAcquire(high);
        Decision secondAgain = l.tryAcquire(high);
        assertThat(firstIn.granted()).isTrue();
        assertThat(secondAgain.granted()).isFalse();
        // the second waiter's denial held the budget again, up to the next slot and its margin
        assertThat(secondAgain.storeTimeMicros() + micros(secondAgain.retryAfter()))
                .isEqualTo(firstIn.storeTimeMicros() + micros(WINDOW));
        advance(secondAgain.retryAfter());
        assertThat(l.tryAcquire(medium).granted()).isFalse();

        // THEN each HIGH call got a slot before MEDIUM, and MEDIUM gets the slot after them
        Decision secondIn = l.tryAcquire(high);
        assertThat(secondIn.granted()).isTrue();
        Decision mediumNext = l.tryAcquire(medium);
        assertThat(mediumNext.granted()).isFalse();
        advance(Duration.ofNanos((secondIn.storeTimeMicros() + micros(WINDOW) - mediumNext.storeTimeMicros()) * 1_000L));
        assertThat(l.tryAcquire(medium).granted()).isTrue();
    }

    @Test
    void a_hold_keeps_the_held_units_from_medium_and_low_but_never_from_high() throws InterruptedException {
        // GIVEN a budget of 10 full of HIGH grants: five 10 ms apart, then five more 100 ms later
        PriorityLimiter l = limiter(budget("m/orders", 10));
        Call high = Call.of(Priority.HIGH, "m/orders");
        Call medium = Call.of(Priority.MEDIUM, "m/orders");
        List<Decision> grants = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            grants.add(l.tryAcquire(high));
            advance(Duration.ofMillis(10));
        }
        advance(Duration.ofMillis(100));
        for (int i = 0; i < 5; i++) {
            grants.add(l.tryAcquire(high));
        }
        assertThat(grants).allMatch(Decision::granted);

        // WHEN a HIGH call of cost 2 is denied (until 2 units have left) and holds 2 units
        Decision waiting = l.tryAcquire(high.withCost(2));
        assertThat(waiting.granted()).isFalse();
        assertThat(waiting.storeTimeMicros() + micros(waiting.retryAfter()))
                .isEqualTo(grants.get(1).storeTimeMicros() + micros(WINDOW));

        // THEN MEDIUM (8 of 10) must wait until 10 + 2 held + 1 − 8 = 5 units have left, not 3
        Decision denied = l.tryAcquire(medium);
        assertThat(denied.granted()).isFalse();
        assertThat(denied.storeTimeMicros() + micros(denied.retryAfter()))
                .isEqualTo(grants.get(4).storeTimeMicros() + micros(WINDOW));

        // AND then MEDIUM fits with the 2 held units counted as taken: none left for MEDIUM, HIGH's room untouched
        advance(denied.retryAfter());
        Decision granted = l.tryAcquire(medium);
        assertThat(granted.granted()).isTrue();
        assertThat(granted.remaining(Priority.MEDIUM)).isZero();
        assertThat(granted.remaining(Priority.LOW)).isZero();
        assertThat(granted.remaining(Priority.HIGH)).isEqualTo(4);
        assertThat(l.tryAcquire(medium).granted()).isFalse();
        assertThat(l.tryAcquire(high.withCost(2)).granted()).isTrue();
    }

    @Test
    void a_high_call_denied_by_a_pause_holds_nothing() throws InterruptedException {
        // GIVEN two budgets of 1 per window taken by MEDIUM, and HIGH paused on the second
        PriorityLimiter l = limiter(onePerWindow("m/pace"), onePerWindow("m/other"));
        l.control().pause("m/other", Priority.HIGH, Duration.ofMinutes(1));
        Decision taken = l.tryAcquire(Call.of(Priority.MEDIUM, "m/pace"));
        assertThat(taken.granted()).isTrue();

        // WHEN HIGH asks for both: full on the first, paused on the second
        Decision paused = l.tryAcquire(Call.of(Priority.HIGH, "m/pace", "m/other"));
        assertThat(paused.reason()).isEqualTo(Reason.PAUSED);

        // THEN no hold keeps MEDIUM off the first once its slot frees
        advance(Duration.ofNanos((taken.storeTimeMicros() + micros(WINDOW) - paused.storeTimeMicros()) * 1_000L));
        assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/pace")).granted()).isTrue();
    }

    // ---- market feedback (observeMarketLevel)

    @Test
    void a_fuller_market_lowers_the_room_of_every_priority_to_the_market_s_room() {
        // GIVEN a budget of 10 with one grant, which the market answered saying its bucket holds 8 of 10
        PriorityLimiter l = limiter(budget("m/mall", 10));
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));

        // WHEN that level is observed
        long added = l.observeMarketLevel("m/mall", 8, 10, grant);

        // THEN market units fill the budget to the market's level: 10 − 1 − (10 − 8) = 7
        assertThat(added).isEqualTo(7);
        BudgetStatus s = l.control().status("m/mall");
        assertThat(s.marketUnits()).isEqualTo(7);
        assertThat(s.totalUsage()).isEqualTo(1);
        // AND HIGH has exactly the market's room of 2; MEDIUM (8) and LOW (7) keep their reserve below it, so none
        assertThat(grantsUntilDenied(l, Call.of(Priority.LOW, "m/mall"), 10)).isZero();
        assertThat(grantsUntilDenied(l, Call.of(Priority.MEDIUM, "m/mall"), 10)).isZero();
        Decision first = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));
        assertThat(first.granted()).isTrue();
        assertThat(first.remaining()).containsEntry(Priority.HIGH, 1L).containsEntry(Priority.MEDIUM, 0L)
                .containsEntry(Priority.LOW, 0L);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/mall"), 10)).isEqualTo(1);
    }

    @Test
    void room_comes_back_one_unit_per_window_over_limit_as_the_market_units_leave() throws InterruptedException {
        // GIVEN a budget of 10 per second with one grant, and the market's bucket full on its answer
        PriorityLimiter l = limiter(budget("m/mall", 10));
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));
        assertThat(l.observeMarketLevel("m/mall", 10, 10, grant)).isEqualTo(9);

        // WHEN each priority asks, HIGH last (a waiting HIGH call would hold a unit from MEDIUM and LOW)
        Decision medium = l.tryAcquire(Call.of(Priority.MEDIUM, "m/mall"));
        Decision low = l.tryAcquire(Call.of(Priority.LOW, "m/mall"));
        Decision high = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));

        // THEN each waits for the market units it needs to leave, one per 100 ms (window / limit): HIGH for the 1st,
        // MEDIUM for the 3rd (10 + 1 − 8), LOW for the 4th (10 + 1 − 7), not for a whole window
        assertThat(List.of(high, medium, low)).noneMatch(Decision::granted);
        long highAt = high.storeTimeMicros() + micros(high.retryAfter());
        assertThat(medium.storeTimeMicros() + micros(medium.retryAfter()) - highAt).isEqualTo(200_000L);
        assertThat(low.storeTimeMicros() + micros(low.retryAfter()) - highAt).isEqualTo(300_000L);
        assertThat(high.retryAfter()).isLessThanOrEqualTo(Duration.ofMillis(100));

        // AND once the first has left, HIGH is granted (one microsecond earlier it is not)
        if (exactClock()) {
            advance(high.retryAfter().minusNanos(1_000));
            assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/mall")).granted()).isFalse();
            advance(Duration.ofNanos(1_000));
        } else {
            advance(high.retryAfter());
        }
        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/mall")).granted()).isTrue();
    }

    @Test
    void the_slack_a_limit_keeps_below_the_market_s_capacity_is_kept_when_following_it() {
        // GIVEN a budget of 10 per window for a market bucket of 12 (2 calls of slack), with one grant
        PriorityLimiter l = limiter(budget("m/mall", 10));
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));

        // WHEN the market says 8 of 12: a room of 4, of which the slack keeps 2
        long added = l.observeMarketLevel("m/mall", 8, 12, grant);

        // THEN HIGH has 2: 10 − 1 − 2 = 7 units added
        assertThat(added).isEqualTo(7);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/mall"), 20)).isEqualTo(2);
    }

    @Test
    void an_emptier_market_never_adds_room() {
        // GIVEN a budget of 10 with 6 grants
        PriorityLimiter l = limiter(budget("m/mall", 10));
        Decision last = null;
        for (int i = 0; i < 6; i++) {
            last = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));
        }

        // WHEN the market says its bucket is empty
        long added = l.observeMarketLevel("m/mall", 0, 40, last);

        // THEN nothing changes: HIGH still has exactly 4
        assertThat(added).isZero();
        assertThat(l.control().status("m/mall").marketUnits()).isZero();
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/mall"), 20)).isEqualTo(4);
    }

    @Test
    void calls_granted_after_the_observed_one_keep_their_room_taken_on_top() throws InterruptedException {
        // GIVEN a budget of 10 and three grants; the market has answered only the first, and counted 4 other calls
        PriorityLimiter l = limiter(budget("m/mall", 10));
        Decision answered = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));
        advance(Duration.ofMillis(1));
        l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));
        l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));

        // WHEN the market's 5 of 10 is observed on the first call's answer
        long added = l.observeMarketLevel("m/mall", 5, 10, answered);

        // THEN the market's room of 5 is the budget's, less the two calls still on their way: 10 − 1 − 5 = 4 units added
        assertThat(added).isEqualTo(4);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/mall"), 20)).isEqualTo(3);
    }

    @Test
    void observing_the_same_level_again_adds_nothing_more() {
        // GIVEN a level observed once
        PriorityLimiter l = limiter(budget("m/mall", 10));
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));
        assertThat(l.observeMarketLevel("m/mall", 8, 10, grant)).isEqualTo(7);

        // WHEN another instance observes the same level on the same answer
        long again = l.observeMarketLevel("m/mall", 8, 10, grant);

        // THEN the market units are already there
        assertThat(again).isZero();
        assertThat(l.control().status("m/mall").marketUnits()).isEqualTo(7);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/mall"), 20)).isEqualTo(2);
    }

    @Test
    void concurrent_observations_of_one_level_add_the_market_units_once() throws Exception {
        // GIVEN one grant on a budget of 20
        PriorityLimiter l = limiter(budget("m/mall", 20));
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/mall"));

        // WHEN 8 threads observe the market's 15 of 20 at once
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<Long>> added = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                added.add(pool.submit(() -> {
                    start.await();
                    return l.observeMarketLevel("m/mall", 15, 20, grant);
                }));
            }
            long total = 0;
            for (java.util.concurrent.Future<Long> f : added) {
                total += f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }

            // THEN together they added 20 − 1 − 5 = 14, once
            assertThat(total).isEqualTo(14);
        } finally {
            pool.shutdownNow();
        }
        assertThat(l.control().status("m/mall").marketUnits()).isEqualTo(14);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/mall"), 30)).isEqualTo(5);
    }

    @Test
    void a_market_level_of_one_instance_leaves_the_other_instances_alone() {
        // GIVEN two malls' instances of a per-mall budget
        PriorityLimiter l = limiter(budget("m/mall", 10));
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/mall:shop1"));

        // WHEN shop1's bucket is full
        assertThat(l.observeMarketLevel("m/mall:shop1", 10, 10, grant)).isEqualTo(9);

        // THEN shop1 has no room, shop2 all of its own
        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/mall:shop1")).granted()).isFalse();
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/mall:shop2"), 20)).isEqualTo(10);
    }

    // ---- live control

    @Test
    void a_limit_override_applies_until_it_expires() throws InterruptedException {
        // GIVEN a budget of 10 overridden to 2 for 300 ms
        PriorityLimiter l = limiter(budget("m/orders", 10));
        l.control().overrideLimit("m/orders", 2, Duration.ofMillis(300));

        // THEN HIGH gets 2, and the status shows the override
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/orders"), 20)).isEqualTo(2);
        BudgetStatus s = l.control().status("m/orders");
        assertThat(s.effectiveLimit()).isEqualTo(2);
        assertThat(s.overrideLimit()).contains(2L);
        assertThat(s.overrideUntil()).isPresent();

        // WHEN the override expires THEN the configured limit is back
        advance(Duration.ofMillis(300));
        assertThat(l.control().status("m/orders").overrideLimit()).isEmpty();
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/orders"), 20)).isEqualTo(8);
    }

    @Test
    void a_limit_override_can_raise_the_limit_and_be_cleared() {
        PriorityLimiter l = limiter(budget("m/orders", 10));
        l.control().overrideLimit("m/orders", 20, Duration.ofMinutes(5));

        assertThat(grantsUntilDenied(l, Call.of(Priority.LOW, "m/orders"), 50)).isEqualTo(14);

        l.control().clearOverride("m/orders");
        assertThat(l.control().status("m/orders").effectiveLimit()).isEqualTo(10);
        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/orders")).granted()).isFalse();
    }

    @Test
    void a_paused_priority_is_denied_until_the_pause_expires_while_others_go_on() throws InterruptedException {
        // GIVEN LOW paused for 300 ms
        PriorityLimiter l = limiter(budget("m/orders", 10));
        l.control().pause("m/orders", Priority.LOW, Duration.ofMillis(300));

        // THEN LOW is denied as paused, with the pause's remaining time, and HIGH and MEDIUM are not
        Decision low = l.tryAcquire(Call.of(Priority.LOW, "m/orders"));
        assertThat(low.granted()).isFalse();
        assertThat(low.reason()).isEqualTo(Reason.PAUSED);
        assertThat(low.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300));
        assertThat(low.remaining(Priority.LOW)).isZero();
        assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders")).granted()).isTrue();
        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/orders")).granted()).isTrue();
        assertThat(l.control().status("m/orders").pausedUntil()).containsOnlyKeys(Priority.LOW);

        // WHEN the pause expires THEN LOW is admitted again
        advance(low.retryAfter());
        assertThat(l.tryAcquire(Call.of(Priority.LOW, "m/orders")).granted()).isTrue();
        assertThat(l.control().status("m/orders").pausedUntil()).isEmpty();
    }

    @Test
    void resume_ends_a_pause_at_once() {
        PriorityLimiter l = limiter(budget("m/orders", 10));
        l.control().pause("m/orders", Priority.MEDIUM, Duration.ofMinutes(15));
        assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders")).reason()).isEqualTo(Reason.PAUSED);

        l.control().resume("m/orders", Priority.MEDIUM);

        assertThat(l.tryAcquire(Call.of(Priority.MEDIUM, "m/orders")).granted()).isTrue();
    }

    // ---- market feedback

    @Test
    void a_throttle_cools_the_budget_down_then_lowers_and_recovers_its_limit() throws InterruptedException {
        // GIVEN a budget of 10 recovering 10% (1 call) per second after halving
        Budget b = Budget.named("m/orders").limit(10).window(WINDOW)
                .recovery(new ThrottleRecovery(Duration.ofSeconds(60), 0.5, 0.1, Duration.ofSeconds(1)))
                .build();
        PriorityLimiter l = limiter(b);

        // WHEN the market throttles with Retry-After 300 ms
        l.reportThrottled("m/orders", Duration.ofMillis(300));

        // THEN nothing is admitted during the cool-down, not even HIGH
        Decision cooling = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        assertThat(cooling.granted()).isFalse();
        assertThat(cooling.reason()).isEqualTo(Reason.COOLING_DOWN);
        assertThat(cooling.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300));
        assertThat(l.control().status("m/orders").coolingDownUntil()).isPresent();

        // AND after it, the limit is halved (5), then regains one call per step
        advance(cooling.retryAfter());
        assertThat(l.control().status("m/orders").effectiveLimit()).isEqualTo(5);
        assertThat(grantsUntilDenied(l, Call.of(Priority.HIGH, "m/orders"), 20)).isEqualTo(5);
        advance(Duration.ofSeconds(1));
        BudgetStatus recovering = l.control().status("m/orders");
        assertThat(recovering.effectiveLimit()).isEqualTo(6);
        assertThat(recovering.coolingDownUntil()).isEmpty();
    }

    @Test
    void once_recovered_to_the_configured_limit_an_override_applies_in_full() throws InterruptedException {
        // GIVEN a budget of 10, throttled to 5, recovering 1 per 200 ms
        Budget b = Budget.named("m/orders").limit(10).window(WINDOW)
                .recovery(new ThrottleRecovery(Duration.ofSeconds(60), 0.5, 0.1, Duration.ofMillis(200)))
                .build();
        PriorityLimiter l = limiter(b);
        l.reportThrottled("m/orders", Duration.ofMillis(100));

        // WHEN it has recovered (5 steps) and an operator raises the limit to 20
        advance(Duration.ofMillis(100 + 5 * 200 + 50));
        l.control().overrideLimit("m/orders", 20, Duration.ofMinutes(5));

        // THEN the override applies at once, not capped by a finished recovery
        assertThat(l.control().status("m/orders").effectiveLimit()).isEqualTo(20);
    }

    @Test
    void a_burst_of_throttles_lowers_the_limit_once() throws InterruptedException {
        // GIVEN calls in flight that all come back 429
        PriorityLimiter l = limiter(budget("m/orders", 10));
        for (int i = 0; i < 5; i++) {
            l.reportThrottled("m/orders", Duration.ofMillis(200));
        }

        // THEN the limit is halved once, not five times
        advance(Duration.ofMillis(200));
        assertThat(l.control().status("m/orders").effectiveLimit()).isEqualTo(5);
    }

    // ---- bad arguments

    @Test
    void an_unknown_budget_is_rejected_with_the_known_ones() {
        PriorityLimiter l = limiter(budget("m/orders", 10));

        assertThatThrownBy(() -> l.tryAcquire(Call.of(Priority.HIGH, "m/ordres")))
                .isInstanceOf(UnknownBudgetException.class)
                .hasMessageContaining("'m/ordres'")
                .hasMessageContaining("m/orders");
        assertThatThrownBy(() -> l.control().pause("x/y", Priority.LOW, Duration.ofMinutes(1)))
                .isInstanceOf(UnknownBudgetException.class);
    }

    @Test
    void bad_arguments_are_rejected_with_a_clear_message_and_consume_nothing() {
        PriorityLimiter l = limiter(budget("m/orders", 10), budget("m/other", 10));

        assertThatThrownBy(() -> l.tryAcquire(Call.of(Priority.LOW, "m/orders").withCost(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cost 8 exceeds LOW's capacity of budget m/orders (7 per window)");
        assertThatThrownBy(() -> l.tryAcquire(Call.of(Priority.HIGH, "m/orders", "m/missing")))
                .isInstanceOf(UnknownBudgetException.class);
        assertThatThrownBy(() -> Call.of(Priority.HIGH, "m/orders", "n/orders"))
                .hasMessageContaining("one market only");
        assertThatThrownBy(() -> Call.of(Priority.HIGH, "m/orders").withCost(0))
                .hasMessageContaining("cost is 0, must be ≥ 1");
        assertThatThrownBy(() -> Call.of(null, "m/orders")).hasMessageContaining("priority");
        assertThatThrownBy(() -> Call.of(Priority.HIGH, "orders")).hasMessageContaining("must be market/name");
        assertThatThrownBy(() -> Call.of(Priority.HIGH, "m/orders:bad key")).hasMessageContaining("the key after ':'");
        assertThatThrownBy(() -> l.tryAcquire(Call.of(Priority.HIGH, "m/nothing:s-1")))
                .isInstanceOf(UnknownBudgetException.class)
                .hasMessageContaining("'m/nothing:s-1'");
        assertThatThrownBy(() -> l.control().overrideLimit("m/orders", 0, Duration.ofMinutes(1)))
                .hasMessageContaining("must be in 1..1000000000");
        assertThatThrownBy(() -> l.control().pause("m/orders", Priority.LOW, Duration.ofMinutes(-1)))
                .hasMessageContaining("ttl is PT-1M, must be positive");
        assertThatThrownBy(() -> l.control().pause("m/orders", Priority.LOW, Duration.ofDays(8)))
                .hasMessageContaining("at most 7 days");
        assertThatThrownBy(() -> l.acquire(Call.of(Priority.LOW, "m/orders"), Duration.ofSeconds(-1)))
                .hasMessageContaining("maxWait");
        Decision denial = Decision.denied(Reason.CEILING_REACHED, Duration.ofSeconds(1), "m/orders", java.util.Map.of(), 1L,
                Decision.DecidedBy.STORE);
        assertThatThrownBy(() -> l.observeMarketLevel("m/orders", 41, 0, null)).hasMessageContaining("capacity is 0, must be ≥ 1");
        assertThatThrownBy(() -> l.observeMarketLevel("m/orders", -1, 40, null)).hasMessageContaining("used is -1, must be ≥ 0");
        assertThatThrownBy(() -> l.observeMarketLevel("m/orders", 40, 40, denial))
                .hasMessageContaining("grant is a denial (CEILING_REACHED)");
        assertThatThrownBy(() -> l.observeMarketLevel("m/missing", 40, 40, denial)).isInstanceOf(UnknownBudgetException.class);

        // nothing was consumed, paused or overridden by any of them
        BudgetStatus s = l.control().status("m/orders");
        assertThat(s.totalUsage()).isZero();
        assertThat(s.pausedUntil()).isEmpty();
        assertThat(s.overrideLimit()).isEmpty();
        assertThat(l.control().status("m/other").totalUsage()).isZero();
    }

    protected static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }
}
