package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Decision.DecidedBy;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's denial memory on a real server: what it repeats without a round trip, and what always goes to the
 * server. The memory's clock is a fake ticker; the server's windows are long enough (60 s) that real time does not
 * move them during a test.
 */
class DenialMemoryTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static ValkeyServer server;

    private final AtomicLong ticker = new AtomicLong(1_000_000_000L);
    private ValkeyLimiterStore store;

    private final Budget vendor = Budget.named("coupang/vendor").limit(10).window(Duration.ofSeconds(60)).build();

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private ValkeyLimiterStore store(Duration memory) {
        store = ValkeyLimiterStore.standalone(server.uri(), ValkeyStoreOptions.builder()
                .keyPrefix("dm" + PREFIXES.incrementAndGet())
                .denialMemory(memory)
                .ticker(ticker::get)
                .build());
        return store;
    }

    /** Fills MEDIUM's ceiling (8 of 10) and returns the store's own denial of the next MEDIUM call. */
    private Decision fillMediumAndGetDenied(ValkeyLimiterStore s) {
        for (int i = 0; i < 8; i++) {
            assertThat(s.decide(List.of(vendor), Priority.MEDIUM, 1).granted()).isTrue();
        }
        Decision denied = s.decide(List.of(vendor), Priority.MEDIUM, 1);
        assertThat(denied.reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
        assertThat(denied.decidedBy()).isEqualTo(DecidedBy.STORE);
        return denied;
    }

    @Test
    void repeats_a_ceiling_denial_without_a_round_trip_with_a_retry_after_that_counts_down() {
        // GIVEN MEDIUM's ceiling is full and the store has just said so
        ValkeyLimiterStore s = store(Duration.ofMillis(100));
        Decision first = fillMediumAndGetDenied(s);
        long scripts = s.decideScriptCalls();

        // WHEN the same call comes again 30 ms later (by the memory's clock)
        ticker.addAndGet(Duration.ofMillis(30).toNanos());
        Decision again = s.decide(List.of(vendor), Priority.MEDIUM, 1);

        // THEN it is denied from memory: no script call, same budget, and a retry-after 30 ms shorter
        assertThat(s.decideScriptCalls()).isEqualTo(scripts);
        assertThat(again.granted()).isFalse();
        assertThat(again.decidedBy()).isEqualTo(DecidedBy.REMEMBERED);
        assertThat(again.reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
        assertThat(again.blockingBudget()).isEqualTo("coupang/vendor");
        assertThat(again.retryAfter()).isEqualTo(first.retryAfter().minusMillis(30));
        assertThat(again.storeTimeMicros()).isEqualTo(first.storeTimeMicros() + 30_000L);
        // AND a larger cost is denied from memory too
        assertThat(s.decide(List.of(vendor), Priority.MEDIUM, 2).decidedBy()).isEqualTo(DecidedBy.REMEMBERED);
        assertThat(s.decideScriptCalls()).isEqualTo(scripts);
    }

    @Test
    void another_priority_goes_to_the_server_and_high_is_still_granted() {
        // GIVEN MEDIUM was just denied
        ValkeyLimiterStore s = store(Duration.ofMillis(100));
        fillMediumAndGetDenied(s);
        long scripts = s.decideScriptCalls();

        // WHEN HIGH calls
        Decision high = s.decide(List.of(vendor), Priority.HIGH, 1);

        // THEN the server decides and grants it (HIGH's ceiling is 10)
        assertThat(high.granted()).isTrue();
        assertThat(high.decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(s.decideScriptCalls()).isEqualTo(scripts + 1);
    }

    @Test
    void the_memory_ends_after_its_maximum_even_when_the_retry_after_is_longer() {
        // GIVEN a denial whose retry-after is close to the 60 s window, with a memory of 100 ms
        ValkeyLimiterStore s = store(Duration.ofMillis(100));
        Decision first = fillMediumAndGetDenied(s);
        assertThat(first.retryAfter()).isGreaterThan(Duration.ofSeconds(50));
        long scripts = s.decideScriptCalls();

        // WHEN the call comes again 100 ms later
        ticker.addAndGet(Duration.ofMillis(100).toNanos());
        Decision later = s.decide(List.of(vendor), Priority.MEDIUM, 1);

        // THEN the server is asked again (and still denies)
        assertThat(s.decideScriptCalls()).isEqualTo(scripts + 1);
        assertThat(later.decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(later.granted()).isFalse();
    }

    @Test
    void a_control_operation_through_this_store_applies_to_the_next_call_at_once() {
        // GIVEN MEDIUM was just denied and is remembered
        ValkeyLimiterStore s = store(Duration.ofSeconds(10));
        fillMediumAndGetDenied(s);
        assertThat(s.decide(List.of(vendor), Priority.MEDIUM, 1).decidedBy()).isEqualTo(DecidedBy.REMEMBERED);

        // WHEN an operator raises the limit through this store
        s.overrideLimit(vendor, 20, Duration.ofMinutes(1));

        // THEN the next MEDIUM call is decided by the server under the new limit, and granted
        Decision d = s.decide(List.of(vendor), Priority.MEDIUM, 1);
        assertThat(d.decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(d.granted()).isTrue();
    }

    @Test
    void an_override_or_pause_of_the_configured_budget_forgets_what_was_remembered_of_its_instances() {
        // GIVEN MEDIUM denied on vendor V1's instance, and remembered
        ValkeyLimiterStore s = store(Duration.ofSeconds(10));
        Budget v1 = vendor.forKey("V1");
        for (int i = 0; i < 8; i++) {
            assertThat(s.decide(List.of(v1), Priority.MEDIUM, 1).granted()).isTrue();
        }
        assertThat(s.decide(List.of(v1), Priority.MEDIUM, 1).decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(s.decide(List.of(v1), Priority.MEDIUM, 1).decidedBy()).isEqualTo(DecidedBy.REMEMBERED);

        // WHEN an operator raises the limit of the configured budget coupang/vendor through this store
        s.overrideLimit(vendor, 20, Duration.ofMinutes(1));

        // THEN V1's next MEDIUM call is decided by the server under the new limit, and granted
        Decision raised = s.decide(List.of(v1), Priority.MEDIUM, 1);
        assertThat(raised.decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(raised.granted()).isTrue();

        // AND WHEN MEDIUM's new ceiling (16) is full and remembered, and the configured budget's MEDIUM is paused
        for (int i = 0; i < 7; i++) {
            assertThat(s.decide(List.of(v1), Priority.MEDIUM, 1).granted()).isTrue();
        }
        assertThat(s.decide(List.of(v1), Priority.MEDIUM, 1).reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
        assertThat(s.decide(List.of(v1), Priority.MEDIUM, 1).decidedBy()).isEqualTo(DecidedBy.REMEMBERED);
        s.pause(vendor, Priority.MEDIUM, Duration.ofMinutes(1));

        // THEN the server answers that V1's MEDIUM is paused, not the remembered ceiling
        Decision paused = s.decide(List.of(v1), Priority.MEDIUM, 1);
        assertThat(paused.decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(paused.reason()).isEqualTo(Decision.Reason.PAUSED);
    }

    @Test
    void a_smaller_cost_and_pauses_are_not_answered_from_memory() {
        // GIVEN a cost-2 MEDIUM call denied with one unit of MEDIUM's room left
        ValkeyLimiterStore s = store(Duration.ofSeconds(10));
        for (int i = 0; i < 7; i++) {
            s.decide(List.of(vendor), Priority.MEDIUM, 1);
        }
        assertThat(s.decide(List.of(vendor), Priority.MEDIUM, 2).granted()).isFalse();

        // WHEN a cost-1 call follows, THEN the server grants it
        Decision one = s.decide(List.of(vendor), Priority.MEDIUM, 1);
        assertThat(one.decidedBy()).isEqualTo(DecidedBy.STORE);
        assertThat(one.granted()).isTrue();

        // AND a paused priority is asked of the server every time (a resume elsewhere applies at once)
        s.pause(vendor, Priority.LOW, Duration.ofMinutes(1));
        long scripts = s.decideScriptCalls();
        assertThat(s.decide(List.of(vendor), Priority.LOW, 1).reason()).isEqualTo(Decision.Reason.PAUSED);
        assertThat(s.decide(List.of(vendor), Priority.LOW, 1).reason()).isEqualTo(Decision.Reason.PAUSED);
        assertThat(s.decideScriptCalls()).isEqualTo(scripts + 2);
    }

    @Test
    void with_no_memory_every_denial_is_the_servers() {
        // GIVEN a store without denial memory and a full MEDIUM ceiling
        ValkeyLimiterStore s = store(Duration.ZERO);
        fillMediumAndGetDenied(s);
        long scripts = s.decideScriptCalls();

        // WHEN the call repeats, THEN each is a script call
        for (int i = 0; i < 3; i++) {
            assertThat(s.decide(List.of(vendor), Priority.MEDIUM, 1).decidedBy()).isEqualTo(DecidedBy.STORE);
        }
        assertThat(s.decideScriptCalls()).isEqualTo(scripts + 3);
    }

    @Test
    void rejects_a_negative_or_too_long_memory() {
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().denialMemory(Duration.ofMillis(-1)))
                .hasMessage("denialMemory is PT-0.001S, must be between 0 and 10 s");
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().denialMemory(Duration.ofSeconds(11)))
                .hasMessage("denialMemory is PT11S, must be between 0 and 10 s");
    }
}
