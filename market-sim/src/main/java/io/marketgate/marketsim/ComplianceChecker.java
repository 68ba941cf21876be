package io.marketgate.marketsim;

import io.marketgate.marketsim.internal.LeakyBucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a client by the arrivals a market recorded: for each budget and scope key, how many calls arrived when
 * the budget was already full. The server admits only what fits, but a client is judged by what it <em>sent</em>:
 * every arrival with a valid API key on an endpoint the budget covers counts, whatever the market answered
 * (throttled, penalised, forbidden by the IP allow-list, a bad request or a 5xx). A leaky bucket fills only with
 * the calls that fit, as the market's own does.
 *
 * <pre>{@code
 * ComplianceReport report = ComplianceChecker.check(market.config(), market.arrivals());
 * assertThat(report.callsOverBudget()).isZero();
 * }</pre>
 */
public final class ComplianceChecker {

    private ComplianceChecker() {}

    public static ComplianceReport check(MarketConfig market, List<Arrival> arrivals) {
        return check(market.name(), market.budgets(), arrivals);
    }

    /** Checks the arrivals of {@code market} (others are ignored) against {@code budgets}. */
    public static ComplianceReport check(String market, List<MarketBudget> budgets, List<Arrival> arrivals) {
        List<Arrival> sorted = arrivals.stream()
                .filter(a -> a.market().equals(market) && a.authenticated() && a.endpoint() != Endpoint.UNKNOWN)
                .sorted(Comparator.comparingLong(Arrival::epochNanos).thenComparingLong(Arrival::sequence))
                .toList();
        List<BudgetCompliance> out = new ArrayList<>();
        for (MarketBudget b : budgets) {
            Map<String, List<Long>> byKey = new HashMap<>();
            for (Arrival a : sorted) {
                if (b.appliesTo(a.endpoint())) {
                    String key = b.scope().key(a.apiKey(), a.endpoint(), a.sellerId());
                    if (key != null) {
                        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(a.epochNanos());
                    }
                }
            }
            long counted = 0;
            long over = 0;
            long peak = 0;
            String worstKey = null;
            long worst = 0;
            for (Map.Entry<String, List<Long>> e : byKey.entrySet()) {
                long[] result = b.kind() == MarketBudget.Kind.SLIDING_WINDOW
                        ? sliding(e.getValue(), b.limit(), b.windowNanos())
                        : leaky(e.getValue(), b.limit(), b.windowNanos());
                counted += e.getValue().size();
                over += result[0];
                peak = Math.max(peak, result[1]);
                if (result[0] > worst || (result[0] == worst && result[0] > 0 && e.getKey().compareTo(worstKey) < 0)) {
                    worst = result[0];
                    worstKey = e.getKey();
                }
            }
            out.add(new BudgetCompliance(b, counted, over, peak, worstKey));
        }
        return new ComplianceReport(market, out);
    }

    /** {over, peak}: arrivals beyond the limit-th in the window {@code (t − window, t]} ending at each of them. */
    private static long[] sliding(List<Long> times, long limit, long windowNanos) {
        long over = 0;
        long peak = 0;
        int start = 0;
        for (int i = 0; i < times.size(); i++) {
            long t = times.get(i);
            while (times.get(start) <= t - windowNanos) {
                start++;
            }
            long inWindow = i - start + 1;
            peak = Math.max(peak, inWindow);
            if (inWindow > limit) {
                over++;
            }
        }
        return new long[] {over, peak};
    }

    private static long[] leaky(List<Long> times, long limit, long windowNanos) {
        LeakyBucket bucket = new LeakyBucket(limit, windowNanos);
        long over = 0;
        long peak = 0;
        for (long t : times) {
            if (bucket.waitNanos(t) > 0) {
                over++;
            } else {
                bucket.add(t);
            }
            peak = Math.max(peak, bucket.calls(t));
        }
        return new long[] {over, peak};
    }
}
