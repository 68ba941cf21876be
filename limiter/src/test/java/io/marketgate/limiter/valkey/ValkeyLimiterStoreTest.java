package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.ThrottleRecovery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract suite cannot see: the keys, their expiry, the script cache, the connection. */
class ValkeyLimiterStoreTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static ValkeyServer server;

    private String prefix;
    private ValkeyLimiterStore store;

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void openStore() {
        prefix = "t" + PREFIXES.incrementAndGet();
        store = ValkeyLimiterStore.standalone(server.uri(), ValkeyStoreOptions.builder().keyPrefix(prefix).build());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Budget budget(String name, long limit) {
        return Budget.named(name).limit(limit).build();
    }

    private long pttl(String key) {
        return (Long) server.command("PTTL", key);
    }

    @Test
    void a_grant_is_one_log_member_per_cost_unit_scored_with_the_exact_store_time() {
        // GIVEN a budget
        Budget b = budget("coupang/vendor", 10);

        // WHEN a call of cost 3 is granted
        Decision d = store.decide(List.of(b), Priority.MEDIUM, 3);

        // THEN the log holds 3 members at exactly the decision's µs timestamp (no precision lost in Lua)
        assertThat(d.granted()).isTrue();
        String log = prefix + ":{coupang}:vendor:log";
        assertThat(server.command("ZCARD", log)).isEqualTo(3L);
        List<?> withScores = (List<?>) server.command("ZRANGE", log, "0", "-1", "WITHSCORES");
        for (int i = 1; i < withScores.size(); i += 2) {
            assertThat(Long.parseLong((String) withScores.get(i))).isEqualTo(d.storeTimeMicros());
        }
        // AND the store time is the server's clock, not ours
        long serverNow = ServerClock.nowMicros(server);
        assertThat(d.storeTimeMicros()).isLessThanOrEqualTo(serverNow).isGreaterThan(serverNow - 5_000_000L);
    }

    @Test
    void a_lone_call_reports_the_room_of_every_priority_whichever_form_the_script_replies_in() {
        // GIVEN a budget of 10: HIGH 10, MEDIUM 8, LOW 7
        Budget b = budget("gmarket/orders", 10);

        // WHEN a call is granted under the configured limit with nothing paused (the script replies with text and
        // the store computes the room from the configured capacities)
        Decision plain = store.decide(List.of(b), Priority.MEDIUM, 1);
        // THEN the room is each capacity minus the 1 unit used
        assertThat(room(plain)).containsExactly(9L, 7L, 6L);

        // WHEN LOW is paused (the script replies in full)
        store.pause(b, Priority.LOW, Duration.ofSeconds(30));
        Decision paused = store.decide(List.of(b), Priority.HIGH, 1);
        // THEN LOW has no room while paused
        assertThat(paused.granted()).isTrue();
        assertThat(room(paused)).containsExactly(8L, 6L, 0L);
        store.resume(b, Priority.LOW);

        // WHEN the limit is overridden to 20: HIGH 20, MEDIUM 16, LOW 14
        store.overrideLimit(b, 20, Duration.ofSeconds(30));
        Decision overridden = store.decide(List.of(b), Priority.LOW, 1);
        // THEN the room is the override's capacities minus the 3 units used
        assertThat(room(overridden)).containsExactly(17L, 13L, 11L);
        store.clearOverride(b);

        // WHEN HIGH goes on past MEDIUM's and LOW's capacities under the configured limit again
        Decision last = null;
        for (int i = 0; i < 6; i++) {
            last = store.decide(List.of(b), Priority.HIGH, 1);
        }
        // THEN 9 of 10 are used: room for 1 more HIGH, none below it (never negative)
        assertThat(last.granted()).isTrue();
        assertThat(room(last)).containsExactly(1L, 0L, 0L);
    }

    @Test
    void the_script_replies_to_a_plain_lone_grant_with_text_and_to_anything_else_in_full() throws Exception {
        String script;
        try (var in = ValkeyLimiterStore.class.getResourceAsStream("limiter.lua")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String log = prefix + ":{m}:b:log";
        String ctl = prefix + ":{m}:b:ctl";
        // 'one': KEYS log, ctl; ARGV member, limit 10, window 1 s, ceilings 100/80/70 %, step interval 1 s, step 1,
        // no jitter guard, expiry cell 0
        String[] one = {"EVAL", script, "2", log, ctl, "one", null, "10", "1000000", "1000000", "800000", "700000",
                "1000000", "1", "0", "0"};

        // WHEN a MEDIUM call is granted under the configured limit with nothing paused
        one[6] = "1:first";
        Object plain = server.command(one);
        // THEN the reply is "<now> <units in the window>", now the log member's score
        assertThat(plain).isInstanceOf(String.class);
        String[] parts = ((String) plain).split(" ");
        assertThat(parts).hasSize(2);
        assertThat(parts[1]).isEqualTo("1");
        assertThat(server.command("ZSCORE", log, "1:first")).isEqualTo(parts[0]);

        // WHEN LOW is paused and a MEDIUM call is granted
        server.command("HSET", ctl, "p2", Long.toString(ServerClock.nowMicros(server) + 60_000_000L));
        one[6] = "1:second";
        Object full = server.command(one);
        // THEN the reply is decide's for one call: now, granted, no retry, no blocking budget, room 8, 6, 0
        assertThat(full).isInstanceOf(List.class);
        List<Object> values = new java.util.ArrayList<>((List<?>) full);
        assertThat(values).hasSize(7);
        assertThat(values.subList(1, 7)).containsExactly(0L, 0L, 0L, 8L, 6L, 0L);
        assertThat(server.command("ZSCORE", log, "1:second")).isEqualTo(values.get(0).toString());
    }

    private static List<Long> room(Decision d) {
        return List.of(d.remaining(Priority.HIGH), d.remaining(Priority.MEDIUM), d.remaining(Priority.LOW));
    }

    @Test
    void a_large_cost_is_written_in_batches() {
        Budget b = budget("naver/products", 5_000);

        Decision d = store.decide(List.of(b), Priority.LOW, 2_500);

        assertThat(d.granted()).isTrue();
        assertThat(server.command("ZCARD", prefix + ":{naver}:products:log")).isEqualTo(2_500L);
        assertThat(store.status(b).usage().get(Priority.LOW)).isEqualTo(2_500L);
    }

    @Test
    void the_log_expires_one_window_and_a_margin_after_the_last_grant() {
        // GIVEN a budget with a 5 s window
        Budget b = Budget.named("cafe24/mall").limit(40).window(Duration.ofSeconds(5)).build();

        // WHEN a call is granted
        store.decide(List.of(b), Priority.HIGH, 1);

        // THEN the log key expires by itself after the window (plus 1 s margin), and no ctl key was created
        assertThat(pttl(prefix + ":{cafe24}:mall:log")).isBetween(5_500L, 6_000L);
        assertThat(server.command("EXISTS", prefix + ":{cafe24}:mall:ctl")).isEqualTo(0L);
    }

    @Test
    void the_ctl_key_lives_until_its_latest_pause_or_override_ends() {
        Budget b = budget("coupang/vendor", 10);
        String ctl = prefix + ":{coupang}:vendor:ctl";

        store.pause(b, Priority.LOW, Duration.ofSeconds(30));
        assertThat(pttl(ctl)).isBetween(30_000L, 31_100L);

        store.overrideLimit(b, 5, Duration.ofSeconds(120));
        assertThat(pttl(ctl)).isBetween(120_000L, 121_100L);

        // WHEN the override is cleared THEN the pause decides the expiry again
        store.clearOverride(b);
        assertThat(pttl(ctl)).isBetween(29_000L, 31_100L);

        // WHEN the last pause ends THEN nothing is left to keep
        store.resume(b, Priority.LOW);
        assertThat(server.command("EXISTS", ctl)).isEqualTo(0L);
    }

    @Test
    void after_a_throttle_the_ctl_key_lives_until_the_limit_has_fully_recovered() {
        // GIVEN limit 10 halved to 5, regaining 1 per second after a 2 s cool-down: full again after 2 + 5 s
        Budget b = Budget.named("coupang/vendor").limit(10)
                .recovery(new ThrottleRecovery(Duration.ofSeconds(60), 0.5, 0.1, Duration.ofSeconds(1))).build();

        // WHEN the market throttles
        store.reportThrottled(b, Duration.ofSeconds(2));

        // THEN the throttle state is kept for the whole recovery (and a margin), not just the cool-down
        assertThat(pttl(prefix + ":{coupang}:vendor:ctl")).isBetween(7_000L, 8_100L);
    }

    @Test
    @SuppressWarnings("unchecked") // a RESP array reply
    void all_keys_of_a_market_share_one_hash_tag() {
        // GIVEN a call on two budgets of one market
        store.decide(List.of(budget("coupang/vendor", 10), budget("coupang/ordersheets", 10)), Priority.HIGH, 1);
        store.pause(budget("coupang/ordersheets", 10), Priority.LOW, Duration.ofMinutes(1));

        // THEN every key carries {coupang} as its only braces: one cluster slot for the market
        List<Object> keys = (List<Object>) server.command("KEYS", prefix + ":*");
        assertThat(keys).containsExactlyInAnyOrder(
                prefix + ":{coupang}:vendor:log", prefix + ":{coupang}:ordersheets:log", prefix + ":{coupang}:ordersheets:ctl");
    }

    @Test
    @SuppressWarnings("unchecked") // a RESP array reply
    void a_flushed_script_cache_is_refilled_by_the_next_call() {
        // GIVEN a store that has loaded its script, and a server that has forgotten it
        Budget b = budget("coupang/vendor", 10);
        assertThat(store.decide(List.of(b), Priority.HIGH, 1).granted()).isTrue();
        server.command("SCRIPT", "FLUSH");

        // WHEN the store decides again
        Decision d = store.decide(List.of(b), Priority.HIGH, 1);

        // THEN the call succeeds through EVAL, which also puts the script back for EVALSHA
        assertThat(d.granted()).isTrue();
        assertThat(d.remaining(Priority.HIGH)).isEqualTo(8);
        List<Object> exists = (List<Object>) server.command("SCRIPT", "EXISTS", scriptSha());
        assertThat(exists).containsExactly(1L);
    }

    @Test
    void describes_itself_by_its_uri_without_credentials() {
        assertThat(store.describe()).isEqualTo("valkey redis://127.0.0.1:" + server.port());
    }

    @Test
    void an_unreachable_server_fails_at_once_naming_the_uri() {
        // GIVEN a server that is gone
        try (ValkeyServer gone = new ValkeyServer().start()) {
            String uri = gone.uri();
            gone.kill();

            // WHEN a store is opened on it THEN it fails within the connect timeout and says where it looked
            long start = System.nanoTime();
            assertThatThrownBy(() -> ValkeyLimiterStore.standalone(uri))
                    .isInstanceOf(LimiterStoreUnavailableException.class)
                    .hasMessageContaining(uri);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void a_store_whose_server_died_rejects_calls_at_once() {
        // GIVEN a store connected to a server that then dies
        try (ValkeyServer dying = new ValkeyServer().start();
                ValkeyLimiterStore s = ValkeyLimiterStore.standalone(dying.uri())) {
            Budget b = budget("coupang/vendor", 10);
            assertThat(s.decide(List.of(b), Priority.HIGH, 1).granted()).isTrue();
            dying.kill();

            // WHEN it is asked to decide THEN it fails with the store's URI, without waiting for a reconnect
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> s.decide(List.of(b), Priority.HIGH, 1))
                        .isInstanceOf(LimiterStoreUnavailableException.class)
                        .hasMessageContaining(dying.uri());
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isLessThanOrEqualTo(ValkeyStoreOptions.DEFAULT_COMMAND_TIMEOUT.plusMillis(100));
            }
        }
    }

    @Test
    void a_malformed_uri_is_rejected_before_connecting() {
        assertThatThrownBy(() -> ValkeyLimiterStore.standalone("http://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://host:port");
        assertThatThrownBy(() -> ValkeyLimiterStore.cluster(List.of(), ValkeyStoreOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one seed");
    }

    private static String scriptSha() {
        try (var in = ValkeyLimiterStore.class.getResourceAsStream("limiter.lua")) {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(in.readAllBytes()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
