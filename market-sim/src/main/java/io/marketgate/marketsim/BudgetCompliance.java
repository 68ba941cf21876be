package io.marketgate.marketsim;

/**
 * How one budget fared over a run.
 *
 * @param callsCounted    arrivals the budget counts (valid API key, an endpoint the budget applies to)
 * @param callsOverBudget arrivals that found the budget already full: for a sliding window, the arrivals that were
 *                        beyond the {@code limit}-th in the window ending at them; for a leaky bucket, those that
 *                        would have overflowed it
 * @param peak            the most calls seen in one window (sliding) or in the bucket (leaky)
 * @param worstKey        the scope key with the most calls over budget, or null when there are none
 */
public record BudgetCompliance(MarketBudget budget, long callsCounted, long callsOverBudget, long peak, String worstKey) {

    public String name() {
        return budget.name();
    }
}
