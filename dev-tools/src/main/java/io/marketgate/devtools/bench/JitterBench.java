package io.marketgate.devtools.bench;

import io.marketgate.local.JitterRun;
import io.marketgate.marketsim.Latency;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The jitter guard's cost and effect, measured side by side in one run of {@code marketgate bench}: the same callers,
 * budget and jittery simulated market ({@link JitterRun}) without a guard, with the guard measured from the round trips
 * (the environment files' default, {@code jitterGuard: auto}) and with a fixed guard covering the network's spread.
 * Grants per second are printed with their ratio to the run without a guard; the market's verdict (arrivals over its
 * limit in a sliding window) beside them.
 */
final class JitterBench {

    /** Coupang's 10 calls per second per vendor, over a network of 80 ms median and 300 ms p99 round trips. */
    static final long LIMIT = 10;
    static final Duration WINDOW = Duration.ofSeconds(1);
    static final Latency LATENCY = Latency.of(Duration.ofMillis(80), Duration.ofMillis(300));
    static final int CALLERS = 16;
    /** Half the clamped network delay (4 × p99 / 2 = 600 ms) would be the only sure bound; 300 ms covers to about p99.99. */
    static final Duration FIXED_GUARD = Duration.ofMillis(300);

    private final int grants;

    JitterBench(int grants) {
        this.grants = grants;
    }

    /** Runs the three side by side and prints them; returns them as JSON for {@code --json-file}. */
    String run(String valkeyUri, PrintWriter out) {
        JitterRun.Settings base = new JitterRun.Settings(CALLERS, LIMIT, WINDOW, LATENCY, JitterRun.Guard.none(), grants, 42);
        out.println();
        out.printf(Locale.ROOT, "jitter guard: %d callers through this limiter (Valkey) keep a budget of %d per %s full, each grant"
                        + " sent at once to a simulated market with the same limit; network %s (half before the market counts"
                        + " a call); %d grants per row%n",
                CALLERS, LIMIT, io.marketgate.config.Durations.format(WINDOW), LATENCY, grants);
        out.flush();
        List<JitterRun.Result> results = new ArrayList<>();
        for (JitterRun.Guard g : List.of(JitterRun.Guard.none(), JitterRun.Guard.auto(), JitterRun.Guard.fixed(FIXED_GUARD))) {
            try {
                results.add(JitterRun.run(valkeyUri, base.withGuard(g)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted during the jitter guard's run", e);
            } catch (RuntimeException e) {
                throw new BenchException("the jitter guard's run failed: " + e.getMessage(), e);
            }
        }
        double plain = results.get(0).grantsPerSecond();
        out.printf(Locale.ROOT, "  %-16s %10s %8s %8s %22s %10s %10s %10s %10s%n", "guard", "grants/s", "× none", "expected",
                "over limit (beyond/in)", "peak", "delay p50", "delay p99", "spread");
        for (JitterRun.Result r : results) {
            String name = r.settings().guard().measured() ? "auto (" + r.guardUsed().toMillis() + " ms)" : r.settings().guard().toString();
            double expected = (double) WINDOW.toNanos() / WINDOW.plus(r.guardUsed()).toNanos();
            out.printf(Locale.ROOT, "  %-16s %10.2f %8.2f %8.2f %10d (%d/%d) %10s %10s %10s %10s%n", name, r.grantsPerSecond(),
                    plain == 0 ? 0 : r.grantsPerSecond() / plain, expected, r.callsOverBudget(), r.delays().overLimitBeyondGuard(),
                    r.delays().overLimitWithinGuard(), r.peak() + "/" + LIMIT, ms(r.delays().p50()), ms(r.delays().p99()),
                    ms(r.delays().spread()));
        }
        JitterRun.Result fixed = results.get(2);
        out.printf(Locale.ROOT, "  target: with the %d ms guard no market window over the limit while its calls' delays differ by at"
                        + " most the guard: %s (%d within, %d beyond it: stalls longer than the guard)%n",
                FIXED_GUARD.toMillis(), fixed.delays().overLimitWithinGuard() == 0 ? "met" : "MISSED",
                fixed.delays().overLimitWithinGuard(), fixed.delays().overLimitBeyondGuard());
        out.println("  \"expected\" is window / (window + guard), the most a full budget can grant; \"over limit\": arrivals beyond"
                + " the limit in the market's window ending at them, split by whether that window's calls' delays differed by more"
                + " than the guard (which no guard of that size can prevent) or not; delays: grant (store clock) to arrival"
                + " (market clock)");
        out.flush();
        return json(results);
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static String json(List<JitterRun.Result> results) {
        List<String> rows = new ArrayList<>();
        double plain = results.get(0).grantsPerSecond();
        for (JitterRun.Result r : results) {
            rows.add("{\"guard\":" + Json.string(r.settings().guard().toString()) + ",\"guardMillis\":" + r.guardUsed().toMillis()
                    + ",\"grantsPerSecond\":" + String.format(Locale.ROOT, "%.3f", r.grantsPerSecond())
                    + ",\"ratioToNone\":" + String.format(Locale.ROOT, "%.3f", plain == 0 ? 0 : r.grantsPerSecond() / plain)
                    + ",\"grants\":" + r.grants() + ",\"arrivals\":" + r.arrivals() + ",\"callsOverBudget\":" + r.callsOverBudget()
                    + ",\"overLimitBeyondGuard\":" + r.delays().overLimitBeyondGuard()
                    + ",\"overLimitWithinGuard\":" + r.delays().overLimitWithinGuard() + ",\"peak\":" + r.peak()
                    + ",\"delayP50Micros\":" + r.delays().p50().toNanos() / 1000 + ",\"delayP99Micros\":" + r.delays().p99().toNanos() / 1000
                    + "}");
        }
        return "{\"limit\":" + LIMIT + ",\"windowMillis\":" + WINDOW.toMillis() + ",\"latency\":" + Json.string(LATENCY.toString())
                + ",\"callers\":" + CALLERS + ",\"rows\":[" + String.join(",", rows) + "]}";
    }
}
