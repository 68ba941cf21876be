package io.marketgate.devtools.chaos;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The chaos suite's table as text: one line per scenario, then the dead letters' reasons and the promises not kept. */
final class ChaosTable {
    private ChaosTable() {}

    static String render(List<ChaosRow> rows, double suiteSeconds) {
        StringBuilder sb = new StringBuilder();
        String format = "%-22s %7s %7s %6s %5s %5s %7s %11s %9s %9s%n";
        sb.append(String.format(Locale.ROOT, format, "scenario", "calls", "over", "429s", "lost", "dup", "dead", "HIGH done",
                "HIGH p99", "dur÷min"));
        for (ChaosRow r : rows) {
            sb.append(String.format(Locale.ROOT, format, r.scenario(), r.calls(), r.overBudget(), r.refused429(), r.lost(),
                    r.duplicates(), r.deadLetters(), r.highDone() + "/" + r.highAsked(), r.highWaitP99Ms() + " ms",
                    r.durationRatio() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.durationRatio())));
        }
        sb.append(String.format(Locale.ROOT, "%d scenarios in %.0f s (over: calls over the markets' budgets at the market; "
                + "429s: refusals as over a limit received; dup: orders written twice + actions asked again after done)%n",
                rows.size(), suiteSeconds));
        for (ChaosRow r : rows) {
            for (Map.Entry<String, Long> e : r.deadLetterReasons().entrySet()) {
                sb.append(String.format(Locale.ROOT, "dead letters  %s: %d × %s%n", r.scenario(), e.getValue(), e.getKey()));
            }
        }
        for (ChaosRow r : rows) {
            for (ChaosRow.Verdict v : r.verdicts()) {
                if (v.status() != ChaosRow.Status.KEPT) {
                    sb.append(String.format(Locale.ROOT, "%-6s %s: %s: %s%n", v.status(), r.scenario(), v.promise(), v.detail()));
                }
            }
        }
        long broken = rows.stream().mapToLong(r -> r.broken().size()).sum();
        sb.append(broken == 0 ? "every promise kept, or not kept only where docs/reliability.md says the design cannot\n"
                : broken + " promises BROKEN\n");
        return sb.toString();
    }
}
