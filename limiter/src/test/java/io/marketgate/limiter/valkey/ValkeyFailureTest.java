package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.FailureMode;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server dies mid-run (SIGKILL) and comes back empty on the same port, while a limiter keeps deciding: the
 * failure mode decides during the outage, every call stays fast, and the shared store decides again soon after
 * the restart (breaker half-open then closed; the script reloaded through the NOSCRIPT fallback).
 */
class ValkeyFailureTest {

    private static final Duration COMMAND_TIMEOUT = ValkeyStoreOptions.DEFAULT_COMMAND_TIMEOUT;
    private static final Duration BREAKER_OPEN = Duration.ofSeconds(2);
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    private static final Duration PAUSE_BETWEEN_CALLS = Duration.ofMillis(5);
    private static final long LIMIT = 50;
    private static final int FLEET = 5;
    private static final Call CALL = Call.of(Priority.HIGH, "coupang/vendor");

    private ValkeyServer server;
    private PriorityLimiter limiter;
    /** Whether the current call reached the store (and failed), as opposed to being stopped by the open breaker. */
    private final ThreadLocal<Boolean> storeTried = ThreadLocal.withInitial(() -> false);

    /** One call of the outage: what it got, how long it took, whether it reached the store. */
    private record Timed(Decision decision, Duration took, boolean reachedStore) {}

    @BeforeEach
    void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterEach
    void stop() {
        if (limiter != null) {
            limiter.close();
        }
        server.close();
    }

    private PriorityLimiter limiter(FailureMode mode) {
        Budget budget = Budget.named("coupang/vendor").limit(LIMIT).window(Duration.ofSeconds(1)).build();
        return PriorityLimiter.builder()
                .budget(budget)
                .store(ValkeyLimiterStore.standalone(server.uri(),
                        ValkeyStoreOptions.builder().commandTimeout(COMMAND_TIMEOUT)
                                // every call asks the server, so that each one shows which side decided it
                                .denialMemory(Duration.ZERO).build()))
                .failureMode(mode)
                .breakerOpenDuration(BREAKER_OPEN)
                .listener(new LimiterListener() {
                    @Override
                    public void onStoreFailure(Throwable cause) {
                        storeTried.set(true);
                    }
                })
                .build();
    }

    @Test
    void fail_closed_denies_fast_during_an_outage_and_the_store_decides_again_after_restart() throws Exception {
        // GIVEN a fail-closed limiter deciding through the store
        limiter = limiter(FailureMode.failClosed());
        assertThat(callFor(Duration.ofMillis(300))).extracting(t -> t.decision().decidedBy())
                .containsOnly(Decision.DecidedBy.STORE);

        // WHEN the server dies and calls go on
        server.kill();
        List<Timed> outage = callFor(OUTAGE);

        // THEN every call is denied as STORE_UNAVAILABLE, by no store, quickly
        assertThat(outage).allSatisfy(t -> {
            assertThat(t.decision().reason()).isEqualTo(Decision.Reason.STORE_UNAVAILABLE);
            assertThat(t.decision().decidedBy()).isEqualTo(Decision.DecidedBy.NONE);
        });
        assertFast(outage);

        // WHEN the server comes back (empty, without the script) THEN the store decides again within a few seconds
        assertStoreDecidesAgainAfterRestart();
    }

    @Test
    void local_fallback_holds_each_instance_to_its_share_during_an_outage_and_the_store_decides_again_after_restart()
            throws Exception {
        // GIVEN a limiter that falls back to limit / fleet = 50 / 5 = 10 per window
        limiter = limiter(FailureMode.localFallback(FLEET));
        assertThat(callFor(Duration.ofMillis(300))).extracting(t -> t.decision().decidedBy())
                .containsOnly(Decision.DecidedBy.STORE);

        // WHEN the server dies and calls go on
        server.kill();
        List<Timed> outage = callFor(OUTAGE);

        // THEN every call is decided locally, quickly, and no sliding window holds more than 10 local grants
        assertThat(outage).allSatisfy(t -> assertThat(t.decision().decidedBy()).isEqualTo(Decision.DecidedBy.LOCAL_FALLBACK));
        assertFast(outage);
        List<Long> granted = outage.stream().filter(t -> t.decision().granted()).map(t -> t.decision().storeTimeMicros()).toList();
        assertThat(granted).isNotEmpty();
        long share = LIMIT / FLEET;
        for (long end : granted) {
            long inWindow = granted.stream().filter(t -> t > end - 1_000_000L && t <= end).count();
            assertThat(inWindow).as("local grants in the window ending at %d", end).isLessThanOrEqualTo(share);
        }
        // (3 s of calls every 5 ms would take far more than 10 per window if nothing held them)
        assertThat(granted.size()).isLessThanOrEqualTo((int) (share * (OUTAGE.toSeconds() + 1)));

        assertStoreDecidesAgainAfterRestart();
    }

    private void assertFast(List<Timed> outage) {
        List<Timed> stopped = outage.stream().filter(t -> !t.reachedStore()).toList();
        List<Timed> tried = outage.stream().filter(Timed::reachedStore).toList();
        // a call that reaches the dead store fails within the command timeout (REJECT_COMMANDS: usually at once);
        // the slack is for a thread that the scheduler of a loaded 2-core CI machine leaves waiting
        assertThat(tried).allSatisfy(t -> assertThat(t.took()).isLessThanOrEqualTo(COMMAND_TIMEOUT.plusMillis(250)));
        // the breaker opened: most calls never reached the store, and those cost no round trip at all:
        // 99% of them under 10 ms, and none near a round trip's timeout (milliseconds, not seconds)
        assertThat(stopped.size()).isGreaterThan(tried.size() * 10);
        List<Duration> took = stopped.stream().map(Timed::took).sorted().toList();
        assertThat(took.get((int) Math.floor(took.size() * 0.99) - 1)).isLessThan(Duration.ofMillis(10));
        assertThat(took.get(took.size() - 1)).isLessThan(Duration.ofMillis(100));
    }

    private void assertStoreDecidesAgainAfterRestart() throws InterruptedException {
        server.start();
        long restarted = System.nanoTime();
        Decision d;
        do {
            d = limiter.tryAcquire(CALL);
            Thread.sleep(PAUSE_BETWEEN_CALLS.toMillis());
        } while (d.decidedBy() != Decision.DecidedBy.STORE && System.nanoTime() - restarted < Duration.ofSeconds(10).toNanos());
        Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);

        // the breaker's open time, plus a reconnect (at most 500 ms apart), plus slack
        assertThat(d.decidedBy()).isEqualTo(Decision.DecidedBy.STORE);
        assertThat(recovery).isLessThan(BREAKER_OPEN.plusSeconds(2));
        assertThat(d.granted()).isTrue();
        assertThat(limiter.control().status("coupang/vendor").totalUsage()).isEqualTo(1);
    }

    private List<Timed> callFor(Duration duration) throws InterruptedException {
        List<Timed> calls = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            storeTried.set(false);
            long start = System.nanoTime();
            Decision d = limiter.tryAcquire(CALL);
            calls.add(new Timed(d, Duration.ofNanos(System.nanoTime() - start), storeTried.get()));
            Thread.sleep(PAUSE_BETWEEN_CALLS.toMillis());
        }
        return calls;
    }
}
