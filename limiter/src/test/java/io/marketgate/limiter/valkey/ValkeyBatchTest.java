package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.ManualClock;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One script call deciding a batch: each call exactly as if it had been its own call at the batch's server time,
 * which is what {@link InMemoryLimiterStore} decides for the same calls in the same order at that instant.
 */
class ValkeyBatchTest {

    private static final long WINDOW_MICROS = 1_000_000L;
    private static final Duration PAUSE = Duration.ofSeconds(10);
    private static ValkeyServer server;

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void a_batch_decides_each_call_in_order_exactly_as_the_in_memory_store_does_at_one_instant() {
        // GIVEN budget a of 10 (HIGH 10, MEDIUM 8, LOW 7) and budget b of 20 (20, 16, 14) in one market
        Budget a = Budget.named("m/a").limit(10).window(Duration.ofSeconds(1)).build();
        Budget b = Budget.named("m/b").limit(20).window(Duration.ofSeconds(1)).build();
        try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("batch").build())) {
            // AND in a's log: an expired LOW unit (1.5 s old), 2 HIGH units 600 ms old, 2 MEDIUM units 300 ms old
            // (also in b's log), and LOW paused on b for 10 s
            long t = ServerClock.nowMicros(server);
            String logA = "batch:{m}:a:log";
            String logB = "batch:{m}:b:log";
            server.command("ZADD", logA, Long.toString(t - 1_500_000L), "2:seed0:1");
            server.command("ZADD", logA, Long.toString(t - 600_000L), "0:seed1:1", Long.toString(t - 600_000L), "0:seed1:2");
            server.command("ZADD", logA, Long.toString(t - 300_000L), "1:seed2:1", Long.toString(t - 300_000L), "1:seed2:2");
            server.command("ZADD", logB, Long.toString(t - 300_000L), "1:seed2:1", Long.toString(t - 300_000L), "1:seed2:2");
            store.pause(b, Priority.LOW, PAUSE);
            long pausedAt = micros(store.status(b).pausedUntil().get(Priority.LOW)) - PAUSE.toNanos() / 1_000L;

            // WHEN 12 calls of mixed priorities, costs and budgets go in one batch
            List<ValkeyLimiterStore.BatchCall> calls = List.of(
                    call(Priority.LOW, 3, a),       // 1 granted: a 4 + 3 = 7 of LOW's 7
                    call(Priority.LOW, 1, a),       // 2 ceiling: the oldest unit in the window (600 ms old) frees it
                    call(Priority.MEDIUM, 2, a),    // 3 ceiling: the same unit
                    call(Priority.HIGH, 2, a),      // 4 granted: a 9 of 10
                    call(Priority.HIGH, 1, a, b),   // 5 granted on both: a 10, b 3
                    call(Priority.HIGH, 1, a),      // 6 ceiling: the oldest unit again
                    call(Priority.HIGH, 3, a),      // 7 ceiling: the 3rd oldest (300 ms old)
                    call(Priority.MEDIUM, 5, a),    // 8 ceiling: the 7th oldest, granted in this batch: a full window
                    call(Priority.LOW, 1, b, a),    // 9 paused on b (10 s) outlasts the ceiling on a
                    call(Priority.HIGH, 11, a),     // 10 ceiling: more than HIGH's capacity, a full window
                    call(Priority.MEDIUM, 13, b),   // 11 granted: b 3 + 13 = 16 of MEDIUM's 16
                    call(Priority.HIGH, 1, a, b));  // 12 ceiling on a, although b has room
            List<Decision> batch = store.decideBatch(calls);

            // THEN the batch was one script call at one server time
            assertThat(store.decideScriptCalls()).isEqualTo(1);
            long now = batch.get(0).storeTimeMicros();
            assertThat(batch).extracting(Decision::storeTimeMicros).containsOnly(now);

            // AND the in-memory store decides exactly the same, with the same history, at that instant
            InMemoryLimiterStore memory = replay(t, pausedAt, now, a, b, calls);
            List<Decision> expected = new ArrayList<>();
            for (ValkeyLimiterStore.BatchCall c : calls) {
                expected.add(memory.decide(c.budgets(), c.priority(), c.cost()));
            }
            assertThat(batch).containsExactlyElementsOf(expected);

            // AND, spelled out: which calls were granted, why the others were not, and when to retry
            assertThat(batch).extracting(Decision::granted)
                    .containsExactly(true, false, false, true, true, false, false, false, false, false, true, false);
            Duration oldest = Duration.ofNanos((t - 600_000L + WINDOW_MICROS - now) * 1_000L);
            Duration third = Duration.ofNanos((t - 300_000L + WINDOW_MICROS - now) * 1_000L);
            Duration window = Duration.ofSeconds(1);
            Duration paused = Duration.ofNanos((pausedAt + PAUSE.toNanos() / 1_000L - now) * 1_000L);
            assertThat(batch.get(1).retryAfter()).isEqualTo(oldest);
            assertThat(batch.get(2).retryAfter()).isEqualTo(oldest);
            assertThat(batch.get(5).retryAfter()).isEqualTo(oldest);
            assertThat(batch.get(6).retryAfter()).isEqualTo(third);
            assertThat(batch.get(7).retryAfter()).isEqualTo(window);
            assertThat(batch.get(8).reason()).isEqualTo(Decision.Reason.PAUSED);
            assertThat(batch.get(8).retryAfter()).isEqualTo(paused);
            assertThat(batch.get(8).blockingBudget()).isEqualTo("m/b");
            assertThat(batch.get(9).retryAfter()).isEqualTo(window);
            assertThat(batch.get(11).reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
            assertThat(batch.get(11).blockingBudget()).isEqualTo("m/a");
            assertThat(batch.get(0).remaining(Priority.HIGH)).isEqualTo(3);
            assertThat(batch.get(0).remaining(Priority.LOW)).isZero();
            assertThat(batch.get(10).remaining(Priority.HIGH)).isEqualTo(4);
            assertThat(batch.get(10).remaining(Priority.LOW)).isZero(); // paused

            // AND the logs hold exactly the granted units, all at the batch's time
            assertThat(server.command("ZCOUNT", logA, Long.toString(now), Long.toString(now))).isEqualTo(3L + 2 + 1);
            assertThat(server.command("ZCOUNT", logB, Long.toString(now), Long.toString(now))).isEqualTo(1L + 13);
            assertThat(store.status(a).totalUsage()).isEqualTo(10);
            assertThat(store.status(b).totalUsage()).isEqualTo(16);
        }
    }

    @Test
    void a_batch_on_one_budget_list_matches_single_calls() {
        // GIVEN a fresh budget of 10
        Budget c = Budget.named("n/c").limit(10).window(Duration.ofSeconds(1)).build();
        try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("batch2").build())) {
            List<ValkeyLimiterStore.BatchCall> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(call(Priority.values()[i % 3], 1 + i % 2, c));
            }

            // WHEN they go in one batch
            List<Decision> batch = store.decideBatch(calls);

            // THEN the in-memory store, at that instant, decides the same
            long now = batch.get(0).storeTimeMicros();
            InMemoryLimiterStore memory = new InMemoryLimiterStore(new ManualClock(instant(now)));
            for (int i = 0; i < calls.size(); i++) {
                ValkeyLimiterStore.BatchCall call = calls.get(i);
                assertThat(batch.get(i)).as("call %d", i + 1).isEqualTo(memory.decide(call.budgets(), call.priority(), call.cost()));
            }
            assertThat(batch).filteredOn(Decision::granted).hasSizeBetween(5, 10);
        }
    }

    @Test
    void instances_of_one_configured_budget_in_a_batch_all_obey_its_pause_and_override() {
        // GIVEN a per-vendor budget of 10 per minute overridden to 4 and with LOW paused on the configured budget,
        // and vendor V3 with an override of its own (6)
        Budget vendor = Budget.named("cv/vendor").limit(10).window(Duration.ofMinutes(1)).build();
        Budget orders = Budget.named("cv/orders").limit(100).window(Duration.ofMinutes(1)).build();
        Budget v1 = vendor.forKey("V1");
        Budget v2 = vendor.forKey("V2");
        Budget v3 = vendor.forKey("V3");
        try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("batch3").build())) {
            store.overrideLimit(vendor, 4, Duration.ofMinutes(5));
            store.pause(vendor, Priority.LOW, Duration.ofMinutes(5));
            store.overrideLimit(v3, 6, Duration.ofMinutes(5));

            // WHEN calls of three instances, alone and with a shared budget, go in one batch
            List<Decision> batch = store.decideBatch(List.of(
                    call(Priority.LOW, 1, v1),            // 1 paused by the configured budget
                    call(Priority.HIGH, 4, v1),           // 2 granted: V1 4 of its overridden 4
                    call(Priority.HIGH, 1, orders, v1),   // 3 ceiling on V1
                    call(Priority.HIGH, 4, orders, v2),   // 4 granted: V2 4 of 4
                    call(Priority.LOW, 1, orders, v2),    // 5 paused on V2
                    call(Priority.HIGH, 6, v3),           // 6 granted: V3 has its own 6
                    call(Priority.LOW, 1, orders)));      // 7 granted: the shared budget is not paused

            // THEN
            assertThat(batch).extracting(Decision::reason).containsExactly(Decision.Reason.PAUSED, Decision.Reason.GRANTED,
                    Decision.Reason.CEILING_REACHED, Decision.Reason.GRANTED, Decision.Reason.PAUSED, Decision.Reason.GRANTED,
                    Decision.Reason.GRANTED);
            assertThat(batch.get(2).blockingBudget()).isEqualTo("cv/vendor:V1");
            assertThat(batch.get(4).blockingBudget()).isEqualTo("cv/vendor:V2");
            assertThat(store.status(v2).effectiveLimit()).isEqualTo(4);
            assertThat(store.status(v3).effectiveLimit()).isEqualTo(6);
        }
    }

    @Test
    void a_batch_on_a_guarded_budget_decides_both_terms_exactly_as_the_in_memory_store_does() {
        // GIVEN budget g of 10 per second with a 300 ms guard (HIGH 10, MEDIUM 8, LOW 7) and an unguarded budget u of 20
        Budget g = Budget.named("q/g").limit(10).window(Duration.ofSeconds(1)).jitterGuard(Duration.ofMillis(300)).build();
        Budget u = Budget.named("q/u").limit(20).window(Duration.ofSeconds(1)).build();
        try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("batch3").build())) {
            // AND in g's log: 2 HIGH units 1.2 s old (out of the window, inside the counted window), 3 MEDIUM units
            // 500 ms old
            long t = ServerClock.nowMicros(server);
            String logG = "batch3:{q}:g:log";
            server.command("ZADD", logG, Long.toString(t - 1_200_000L), "0:seed1:1", Long.toString(t - 1_200_000L), "0:seed1:2");
            server.command("ZADD", logG, Long.toString(t - 500_000L), "1:seed2:1", Long.toString(t - 500_000L), "1:seed2:2",
                    Long.toString(t - 500_000L), "1:seed2:3");

            // WHEN calls of mixed priorities and costs go in one batch
            List<ValkeyLimiterStore.BatchCall> calls = List.of(
                    call(Priority.MEDIUM, 3, g),    // 1 granted: 3 + 3 ≤ 8 in the window, 5 + 3 ≤ 10 in the counted window
                    call(Priority.MEDIUM, 3, g),    // 2 both terms refuse it; its ceiling frees later (the units 500 ms old)
                    call(Priority.HIGH, 2, g),      // 3 granted: the counted window is full (10)
                    call(Priority.LOW, 1, g),       // 4 both refuse; the ceiling later
                    call(Priority.HIGH, 1, g),      // 5 only the limit refuses it: the HIGH units 1.2 s old; it holds 1
                    call(Priority.MEDIUM, 1, g),    // 6 both, with the hold counted
                    call(Priority.HIGH, 4, g),      // 7 the limit binds: the 4th oldest of the counted window
                    call(Priority.HIGH, 7, g),      // 8 both wait for units granted in this batch, the limit longer
                    call(Priority.LOW, 2, u),       // 9 granted on the unguarded budget
                    call(Priority.MEDIUM, 1, u, g)); // 10 refused on g, although u has room
            List<Decision> batch = store.decideBatch(calls);

            // THEN the batch was one script call at one server time
            assertThat(store.decideScriptCalls()).isEqualTo(1);
            long now = batch.get(0).storeTimeMicros();
            assertThat(batch).extracting(Decision::storeTimeMicros).containsOnly(now);

            // AND the in-memory store decides exactly the same, with the same history, at that instant
            ManualClock clock = new ManualClock(instant(t - 1_200_000L));
            InMemoryLimiterStore memory = new InMemoryLimiterStore(clock);
            assertThat(memory.decide(List.of(g), Priority.HIGH, 2).granted()).isTrue();
            clock.advance(Duration.ofMillis(700));
            assertThat(memory.decide(List.of(g), Priority.MEDIUM, 3).granted()).isTrue();
            clock.advance(Duration.ofNanos((now - (t - 500_000L)) * 1_000L));
            List<Decision> expected = new ArrayList<>();
            for (ValkeyLimiterStore.BatchCall c : calls) {
                expected.add(memory.decide(c.budgets(), c.priority(), c.cost()));
            }
            assertThat(batch).containsExactlyElementsOf(expected);

            // AND, spelled out: the grants, and each retry-after from the term that frees last
            assertThat(batch).extracting(Decision::granted)
                    .containsExactly(true, false, true, false, false, false, false, false, true, false);
            long ceiling = t - 500_000L + WINDOW_MICROS - now;        // the MEDIUM units 500 ms old leave the window
            long limit = t - 1_200_000L + WINDOW_MICROS + 300_000L - now; // the HIGH units 1.2 s old leave the counted window
            assertThat(micros(batch.get(1).retryAfter())).isEqualTo(ceiling);
            assertThat(micros(batch.get(3).retryAfter())).isEqualTo(ceiling);
            assertThat(micros(batch.get(4).retryAfter())).isEqualTo(limit);
            assertThat(micros(batch.get(5).retryAfter())).isEqualTo(ceiling);
            assertThat(micros(batch.get(6).retryAfter())).isEqualTo(ceiling + 300_000L);
            assertThat(micros(batch.get(7).retryAfter())).isEqualTo(WINDOW_MICROS + 300_000L);
            assertThat(batch.get(9).blockingBudget()).isEqualTo("q/g");
            assertThat(batch.get(2).remaining(Priority.HIGH)).isZero();
            assertThat(batch.get(0).remaining(Priority.MEDIUM)).isEqualTo(2);
            assertThat(store.status(g).totalUsage()).isEqualTo(3 + 3 + 2);
        }
    }

    private static ValkeyLimiterStore.BatchCall call(Priority p, int cost, Budget... budgets) {
        return new ValkeyLimiterStore.BatchCall(List.of(budgets), p, cost);
    }

    /** The in-memory store with the same history: the seeds at their times, the pause at its time, the clock at now. */
    private static InMemoryLimiterStore replay(long t, long pausedAt, long now, Budget a, Budget b,
            List<ValkeyLimiterStore.BatchCall> calls) {
        ManualClock clock = new ManualClock(instant(t - 1_500_000L));
        InMemoryLimiterStore memory = new InMemoryLimiterStore(clock);
        assertThat(memory.decide(List.of(a), Priority.LOW, 1).granted()).isTrue();
        clock.advance(Duration.ofNanos(900_000_000L));
        assertThat(memory.decide(List.of(a), Priority.HIGH, 2).granted()).isTrue();
        clock.advance(Duration.ofNanos(300_000_000L));
        assertThat(memory.decide(List.of(a, b), Priority.MEDIUM, 2).granted()).isTrue();
        clock.advance(Duration.ofNanos((pausedAt - (t - 300_000L)) * 1_000L));
        memory.pause(b, Priority.LOW, PAUSE);
        clock.advance(Duration.ofNanos((now - pausedAt) * 1_000L));
        return memory;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }

    private static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000L;
    }
}
