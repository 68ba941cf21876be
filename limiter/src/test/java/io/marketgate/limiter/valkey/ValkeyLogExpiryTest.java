package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The expiry of a budget's log, which {@code limiter.lua} writes once per cell of 256 ms instead of on every grant: the
 * key must never expire while an entry is inside its window, and the log keeps no more than its window and one cell.
 */
class ValkeyLogExpiryTest {

    private static final long WINDOW_MICROS = 1_000_000L;
    private static final long CELL_MICROS = 256_000L;
    private static final Duration WINDOW = Duration.ofNanos(WINDOW_MICROS * 1_000L);
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
    void single_decisions_keep_the_log_alive_past_the_window_of_its_newest_entry() throws InterruptedException {
        Budget b = Budget.named("e/single").limit(1_000_000).window(WINDOW).build();
        try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("exp1").coalesce(false).build())) {
            grantForAWhile("exp1:{e}:single:log", 1,
                    () -> assertThat(store.decide(List.of(b), Priority.HIGH, 1).granted()).isTrue());
        }
    }

    @Test
    void batches_keep_the_log_alive_past_the_window_of_its_newest_entry() throws InterruptedException {
        Budget b = Budget.named("e/batch").limit(1_000_000).window(WINDOW).build();
        Budget other = Budget.named("e/other").limit(1_000_000).window(WINDOW).build();
        try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("exp2").build())) {
            List<ValkeyLimiterStore.BatchCall> calls = new ArrayList<>();
            calls.add(new ValkeyLimiterStore.BatchCall(List.of(b), Priority.MEDIUM, 1));
            calls.add(new ValkeyLimiterStore.BatchCall(List.of(other, b), Priority.LOW, 2));
            calls.add(new ValkeyLimiterStore.BatchCall(List.of(b), Priority.HIGH, 1));
            grantForAWhile("exp2:{e}:batch:log", 2,
                    () -> assertThat(store.decideBatch(calls)).allSatisfy(d -> assertThat(d.granted()).isTrue()));
        }
    }

    @Test
    void instances_that_grant_on_one_budget_each_keep_its_log_alive() throws InterruptedException {
        // GIVEN two instances of the fleet (stores) deciding on one budget, one call at a time and in batches
        Budget b = Budget.named("e/fleet").limit(1_000_000).window(WINDOW).build();
        try (ValkeyLimiterStore one = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("exp3").coalesce(false).build());
                ValkeyLimiterStore two = ValkeyLimiterStore.standalone(server.uri(),
                        ValkeyStoreOptions.builder().keyPrefix("exp3").build())) {
            List<ValkeyLimiterStore.BatchCall> calls = List.of(new ValkeyLimiterStore.BatchCall(List.of(b), Priority.LOW, 1),
                    new ValkeyLimiterStore.BatchCall(List.of(b), Priority.HIGH, 1));
            // WHEN they grant in turns, irregularly THEN the log never expires early, whichever wrote its expiry last
            grantForAWhile("exp3:{e}:fleet:log", 2, () -> {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    assertThat(one.decide(List.of(b), Priority.MEDIUM, 1).granted()).isTrue();
                } else {
                    assertThat(two.decideBatch(calls)).allSatisfy(d -> assertThat(d.granted()).isTrue());
                }
            });
        }
    }

    @Test
    void a_log_deleted_within_a_cell_gets_an_expiry_again_from_the_next_grant() {
        // GIVEN a store that has just written a log's expiry
        Budget b = Budget.named("e/gone").limit(1_000).window(WINDOW).build();
        String log = "exp4:{e}:gone:log";
        try (ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("exp4").build())) {
            assertThat(store.decide(List.of(b), Priority.HIGH, 1).granted()).isTrue();
            assertThat((Long) server.command("PTTL", log)).isPositive();

            // WHEN the key is deleted and the store grants again at once, within the same cell
            server.command("DEL", log);
            assertThat(store.decide(List.of(b), Priority.HIGH, 1).granted()).isTrue();

            // THEN the new log expires on its own, as after a first grant
            assertThat((Long) server.command("PTTL", log)).isBetween(WINDOW_MICROS / 1_000L + 700L, WINDOW_MICROS / 1_000L + 1_000L);
        }
    }

    /**
     * Grants on the log's budget every few ms for 1.6 s (longer than the window and several cells) and checks after
     * each: the key expires at least 0.7 s and at most 1 s after the window of its newest entry ends, and the log holds
     * no entry older than its window and two cells; and at the end, that the expiry was written about once per cell on
     * each of the {@code logs} that the grants write, never on every grant.
     */
    private static void grantForAWhile(String log, int logs, Runnable grant) throws InterruptedException {
        server.command("CONFIG", "RESETSTAT");
        long start = ServerClock.nowMicros(server);
        int grants = 0;
        while (ServerClock.nowMicros(server) - start < 1_600_000L) {
            grant.run();
            grants++;
            long newest = score(server.command("ZRANGE", log, "-1", "-1", "WITHSCORES"));
            long oldest = score(server.command("ZRANGE", log, "0", "0", "WITHSCORES"));
            long expiresAtMicros = (Long) server.command("PEXPIRETIME", log) * 1_000L;
            assertThat(expiresAtMicros - (newest + WINDOW_MICROS)).as("expiry after the newest entry's window, µs")
                    .isBetween(700_000L, 1_000_000L);
            assertThat(newest - oldest).as("span of the log, µs").isLessThan(WINDOW_MICROS + 2 * CELL_MICROS);
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 12));
        }
        long cells = (ServerClock.nowMicros(server) - start) / CELL_MICROS + 2;
        assertThat(grants).isGreaterThan((int) (2 * cells));
        assertThat(commandCalls("pexpireat")).isPositive().isLessThanOrEqualTo(cells * logs);
        assertThat(commandCalls("pexpire")).isZero();
    }

    private static long score(Object zrangeWithScores) {
        return Long.parseLong((String) ((List<?>) zrangeWithScores).get(1));
    }

    /** How often the server ran {@code command} since the last CONFIG RESETSTAT, scripts' calls included. */
    private static long commandCalls(String command) {
        String stats = (String) server.command("INFO", "commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String calls = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }
}
