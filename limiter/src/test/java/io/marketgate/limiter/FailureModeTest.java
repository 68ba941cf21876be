package io.marketgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Decision.DecidedBy;
import io.marketgate.limiter.Decision.Reason;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Failure modes and the circuit breaker, over a store whose outage the test switches on and off. (The same
 * promises against a real redis-server that is killed and restarted are in ValkeyFailureTest.)
 */
class FailureModeTest {

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger storeCalls = new AtomicInteger();

    /** The in-memory store behind a switch: while down, every call fails as an unreachable server's would. */
    private LimiterStore switchedStore() {
        InMemoryLimiterStore real = InMemoryLimiterStore.create();
        return new LimiterStore() {
            private void check() {
                storeCalls.incrementAndGet();
                if (down.get()) {
                    throw new LimiterStoreUnavailableException("store switched off by the test", null);
                }
            }

            @Override
            public Decision decide(List<Budget> budgets, Priority priority, int cost) {
                check();
                return real.decide(budgets, priority, cost);
            }

            @Override
            public void reportThrottled(Budget budget, Duration cooldown) {
                check();
                real.reportThrottled(budget, cooldown);
            }

            @Override
            public long observeMarketLevel(Budget budget, long marketUsed, long marketCapacity, long grantMicros) {
                check();
                return real.observeMarketLevel(budget, marketUsed, marketCapacity, grantMicros);
            }

            @Override
            public void overrideLimit(Budget budget, long limit, Duration ttl) {
                check();
                real.overrideLimit(budget, limit, ttl);
            }

            @Override
            public void clearOverride(Budget budget) {
                check();
                real.clearOverride(budget);
            }

            @Override
            public void pause(Budget budget, Priority priority, Duration ttl) {
                check();
                real.pause(budget, priority, ttl);
            }

            @Override
            public void resume(Budget budget, Priority priority) {
                check();
                real.resume(budget, priority);
            }

            @Override
            public BudgetStatus status(Budget budget) {
                check();
                return real.status(budget);
            }

            @Override
            public String describe() {
                return "switched";
            }
        };
    }

    private PriorityLimiter limiter(FailureMode mode, long limit) {
        return PriorityLimiter.builder()
                .budget(Budget.named("m/orders").limit(limit).window(Duration.ofSeconds(1)).build())
                .store(switchedStore())
                .failureMode(mode)
                .breakerMinimumCalls(4)
                .breakerOpenDuration(Duration.ofMillis(300))
                .build();
    }

    @Test
    void fail_closed_denies_every_call_while_the_store_is_down() {
        PriorityLimiter l = limiter(FailureMode.failClosed(), 100);
        down.set(true);

        Decision d = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));

        assertThat(d.granted()).isFalse();
        assertThat(d.reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
        assertThat(d.decidedBy()).isEqualTo(DecidedBy.NONE);
        assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(300));
        assertThat(d.blockingBudget()).isEqualTo("m/orders");
    }

    @Test
    void the_breaker_stops_calling_a_dead_store_then_tries_again_and_recovers() throws InterruptedException {
        // GIVEN the store goes down
        PriorityLimiter l = limiter(FailureMode.failClosed(), 100);
        down.set(true);

        // WHEN 100 calls come in
        for (int i = 0; i < 100; i++) {
            l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        }

        // THEN the store saw only the calls that opened the breaker
        assertThat(storeCalls.get()).isEqualTo(4);

        // WHEN the store is back and the breaker's open time has passed
        down.set(false);
        Thread.sleep(350);

        // THEN one trial call closes the breaker and the store decides again
        Decision d = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        assertThat(d.granted()).isTrue();
        assertThat(d.decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/orders")).decidedBy()).isEqualTo(DecidedBy.STORE);
    }

    @Test
    void local_fallback_grants_the_instance_its_share_of_the_limit() {
        // GIVEN a budget of 100 shared by a fleet of 10, and the store down
        PriorityLimiter l = limiter(FailureMode.localFallback(10), 100);
        down.set(true);

        // WHEN this instance asks 50 times within a window
        int granted = 0;
        Decision last = null;
        for (int i = 0; i < 50; i++) {
            last = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
            granted += last.granted() ? 1 : 0;
        }

        // THEN it got 100 / 10, decided locally, and LOW's ceiling still holds within that share
        assertThat(granted).isEqualTo(10);
        assertThat(last.decidedBy()).isEqualTo(DecidedBy.LOCAL_FALLBACK);
        assertThat(last.reason()).isEqualTo(Reason.CEILING_REACHED);
    }

    @Test
    void local_fallback_keeps_the_ceilings() {
        PriorityLimiter l = limiter(FailureMode.localFallback(2), 20);
        down.set(true);

        int low = 0;
        for (int i = 0; i < 50; i++) {
            low += l.tryAcquire(Call.of(Priority.LOW, "m/orders")).granted() ? 1 : 0;
        }

        assertThat(low).isEqualTo(7); // floor(0.7 × 20 / 2)
    }

    @Test
    void a_throttle_reported_while_the_store_is_down_is_kept_locally_and_does_not_throw() {
        PriorityLimiter l = limiter(FailureMode.localFallback(2), 20);
        down.set(true);

        l.reportThrottled("m/orders", Duration.ofSeconds(30));

        Decision d = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        assertThat(d.reason()).isEqualTo(Reason.COOLING_DOWN);
        assertThat(d.decidedBy()).isEqualTo(DecidedBy.LOCAL_FALLBACK);
    }

    @Test
    void a_market_level_the_store_cannot_take_is_lost_without_failing_the_caller() {
        // GIVEN a grant, then the store goes down
        PriorityLimiter l = limiter(FailureMode.failClosed(), 20);
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        down.set(true);

        // WHEN the market's full bucket is observed
        long added = l.observeMarketLevel("m/orders", 40, 40, grant);

        // THEN nothing is added and nothing is thrown; once the store is back the budget is as it was
        assertThat(added).isZero();
        down.set(false);
        assertThat(l.control().status("m/orders").marketUnits()).isZero();
    }

    @Test
    void a_market_level_is_not_sent_to_a_store_the_breaker_has_given_up_on() {
        // GIVEN a grant, then the store goes down and the breaker opens
        PriorityLimiter l = limiter(FailureMode.failClosed(), 20);
        Decision grant = l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        down.set(true);
        for (int i = 0; i < 10; i++) {
            l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        }
        int before = storeCalls.get();

        // WHEN the market's level is observed
        long added = l.observeMarketLevel("m/orders", 40, 40, grant);

        // THEN the store was not asked
        assertThat(added).isZero();
        assertThat(storeCalls.get()).isEqualTo(before);
    }
}
