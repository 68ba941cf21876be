package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.marketsim.Latency;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jitter guard against a real Valkey server and a simulated market whose network delay jitters: 16 callers keep a
 * budget of 5 calls per 250 ms full, each granted call sent at once. The delay from grant to arrival is half a
 * log-normal round trip (p50 20 ms, p99 60 ms, clamped at 240 ms) plus what the callers, the HTTP client and the
 * server's threads add on a loaded machine; the market counts the arrivals in its own sliding windows.
 *
 * <p>Without a guard, calls granted a window apart arrive closer than a window whenever the later one travels faster
 * (asserted: the market sees calls over its limit). A guard of 200 ms covers the whole clamped half round trip (120 ms)
 * and 80 ms of the callers' and the server's scheduling. What it cannot cover is a stall of the shared machine longer
 * than that (a caller or the server's thread not running for 300 ms): the run matches every arrival to its grant and
 * judges each market window over the limit by the delays of its calls. Asserted: no window is over the limit while
 * its calls' delays differ by at most the guard, which is the guard's promise; over-limit windows beyond it are counted
 * apart (0 or 1 per run on this machine under load, 40 to 50 without the guard). Throughput is printed by
 * {@code ./marketgate bench}, not asserted here.
 */
class JitterGuardTest {

    private static ValkeyServer valkey;

    private static final JitterRun.Settings SETTINGS = new JitterRun.Settings(16, 5, Duration.ofMillis(250),
            Latency.of(Duration.ofMillis(20), Duration.ofMillis(60)), JitterRun.Guard.none(), 150, 7);

    @BeforeAll
    static void startValkey() {
        valkey = new ValkeyServer().start();
    }

    @AfterAll
    static void stopValkey() {
        if (valkey != null) {
            valkey.close();
        }
    }

    @Test
    void without_a_guard_jitter_bunches_calls_over_the_market_s_limit() throws InterruptedException {
        // GIVEN the limiter's budget equal to the market's, without a guard
        // WHEN 16 callers are granted and send 150 calls over a jittery network
        JitterRun.Result r = JitterRun.run(valkey.uri(), SETTINGS.withGuard(JitterRun.Guard.none()));

        // THEN the market saw windows over its limit of 5
        assertThat(r.arrivals()).isGreaterThanOrEqualTo(150);
        assertThat(r.callsOverBudget()).as("%s", r).isPositive();
        assertThat(r.peak()).isGreaterThan(5);
    }

    @Test
    void with_a_guard_covering_the_jitter_the_market_never_sees_more_than_its_limit_in_a_window() throws InterruptedException {
        // GIVEN the same budget with a jitter guard of 200 ms
        // WHEN the same 150 calls are granted and sent over the same network
        JitterRun.Result r = JitterRun.run(valkey.uri(), SETTINGS.withGuard(JitterRun.Guard.fixed(Duration.ofMillis(200))));

        // THEN no market window held more than 5 while its calls' delays differed by at most the guard
        assertThat(r.arrivals()).isGreaterThanOrEqualTo(150);
        assertThat(r.guardUsed()).isEqualTo(Duration.ofMillis(200));
        assertThat(r.delays().overLimitWithinGuard()).as("%s", r).isZero();
        assertThat(r.callsOverBudget()).as("%s", r).isEqualTo(r.delays().overLimitBeyondGuard());
    }
}
