package io.marketgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.limiter.memory.InMemoryLimiterStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The limiter's own behaviour over any store: blocking acquire, deadlines, jitter, interruption, listeners. */
class PriorityLimiterTest {

    private final ManualClock clock = ManualClock.atEpochSecond(1_800_000_000L);
    private final List<Duration> sleeps = new ArrayList<>();

    private PriorityLimiter.Builder builder(Budget... budgets) {
        return PriorityLimiter.builder()
                .budgets(List.of(budgets))
                .store(new InMemoryLimiterStore(clock))
                .clock(clock)
                .sleeper(d -> {
                    sleeps.add(d);
                    clock.advance(d);
                });
    }

    private static Budget budget(long limit) {
        return Budget.named("m/orders").limit(limit).build();
    }

    @Test
    void acquire_waits_the_retry_after_plus_bounded_jitter_and_returns_the_grant() throws InterruptedException {
        // GIVEN a full budget of 2, filled 300 ms apart
        PriorityLimiter l = builder(budget(2)).maxJitter(Duration.ofMillis(20)).build();
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        clock.advance(Duration.ofMillis(300));
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));

        // WHEN a caller blocks for up to 2 s
        Decision d = l.acquire(Call.of(Priority.HIGH, "m/orders"), Duration.ofSeconds(2));

        // THEN it slept once, for the 700 ms until the first grant expires plus at most 20 ms of jitter
        assertThat(d.granted()).isTrue();
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(700), Duration.ofMillis(720));
    }

    @Test
    void acquire_returns_the_denial_at_once_when_the_wait_would_pass_the_deadline() throws InterruptedException {
        // GIVEN a full budget whose first unit frees in 1 s
        PriorityLimiter l = builder(budget(2)).build();
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));

        // WHEN the caller may wait only 200 ms
        Decision d = l.acquire(Call.of(Priority.HIGH, "m/orders"), Duration.ofMillis(200));

        // THEN it gets the denial without sleeping, with the full retry-after to hand its message back with
        assertThat(d.granted()).isFalse();
        assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void acquire_with_zero_wait_is_a_try() throws InterruptedException {
        PriorityLimiter l = builder(budget(2)).build();

        assertThat(l.acquire(Call.of(Priority.HIGH, "m/orders"), Duration.ZERO).granted()).isTrue();
        assertThat(l.acquire(Call.of(Priority.HIGH, "m/orders"), Duration.ZERO).granted()).isTrue();
        assertThat(l.acquire(Call.of(Priority.HIGH, "m/orders"), Duration.ZERO).granted()).isFalse();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void an_interrupted_acquire_throws_and_consumes_nothing() throws Exception {
        // GIVEN a full budget and a limiter that really sleeps
        PriorityLimiter l = PriorityLimiter.builder().budget(Budget.named("m/orders").limit(2).window(Duration.ofSeconds(30)).build())
                .build();
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            started.countDown();
            try {
                l.acquire(Call.of(Priority.HIGH, "m/orders"), Duration.ofMinutes(1));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });

        // WHEN the waiting thread is interrupted
        waiter.start();
        started.await();
        waiter.interrupt();
        waiter.join(5_000);

        // THEN it ends with InterruptedException and the budget holds only the first grant
        assertThat(waiter.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(l.control().status("m/orders").totalUsage()).isEqualTo(2);
    }

    @Test
    void the_listener_sees_grants_denials_and_waits() throws InterruptedException {
        List<String> events = new ArrayList<>();
        PriorityLimiter l = builder(budget(2)).maxJitter(Duration.ZERO).listener(new LimiterListener() {
            @Override
            public void onGranted(Call call, Decision decision) {
                events.add("granted " + call.priority());
            }

            @Override
            public void onDenied(Call call, Decision decision) {
                events.add("denied " + decision.reason());
            }

            @Override
            public void onWaited(Call call, Duration waited, Decision outcome) {
                events.add("waited " + waited.toMillis() + " ms, granted=" + outcome.granted());
            }
        }).build();

        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        l.acquire(Call.of(Priority.HIGH, "m/orders"), Duration.ofSeconds(5));

        assertThat(events).containsExactly(
                "granted HIGH", "granted HIGH", "denied CEILING_REACHED", "granted HIGH", "waited 1000 ms, granted=true");
    }

    @Test
    void a_failing_listener_does_not_fail_the_call() {
        PriorityLimiter l = builder(budget(2)).listener(new LimiterListener() {
            @Override
            public void onGranted(Call call, Decision decision) {
                throw new IllegalStateException("metrics backend down");
            }
        }).build();

        assertThat(l.tryAcquire(Call.of(Priority.HIGH, "m/orders")).granted()).isTrue();
    }

    @Test
    void orThrow_names_the_blocking_budget() {
        PriorityLimiter l = builder(budget(2)).build();
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));
        l.tryAcquire(Call.of(Priority.HIGH, "m/orders"));

        assertThatThrownBy(() -> l.tryAcquire(Call.of(Priority.HIGH, "m/orders")).orThrow())
                .isInstanceOf(BudgetExhaustedException.class)
                .hasMessage("budget m/orders is full for this priority; retry after 1000 ms")
                .extracting(e -> ((BudgetExhaustedException) e).budget()).isEqualTo("m/orders");
    }

    @Test
    void a_limiter_rejects_duplicate_and_missing_budgets() {
        assertThatThrownBy(() -> PriorityLimiter.builder().build()).hasMessageContaining("at least one budget");
        assertThatThrownBy(() -> PriorityLimiter.builder().budget(budget(2)).budget(budget(3)).build())
                .hasMessageContaining("budget m/orders is configured twice");
    }

    @Test
    void budgets_validate_their_settings() {
        assertThatThrownBy(() -> Budget.named("m/orders").limit(0).build()).hasMessageContaining("limit is 0, must be > 0");
        assertThatThrownBy(() -> Budget.named("M/orders")).hasMessageContaining("must be market/name");
        assertThatThrownBy(() -> Budget.named("m/orders").limit(1).build())
                .hasMessageContaining("admits no call at all");
        assertThatThrownBy(() -> Budget.named("m/orders").limit(5).window(Duration.ofNanos(500)).build())
                .hasMessageContaining("window is PT0.0000005S");
        assertThatThrownBy(() -> new Ceilings(1.0, 0.8, 0.9)).hasMessageContaining("must not rise as priority falls");
        assertThatThrownBy(() -> new Ceilings(1.2, 0.8, 0.7)).hasMessageContaining("ceiling for high is 1.2, must be in (0, 1]");
        assertThatThrownBy(() -> new Ceilings(1.0, 0.8, 0.0)).hasMessageContaining("ceiling for low is 0.0");
        assertThatThrownBy(() -> Priority.parse("urgent")).hasMessage("priority 'urgent' is not one of HIGH, MEDIUM, LOW");
    }
}
