package io.marketgate.marketsim;

import java.util.List;
import java.util.stream.Collectors;

/** The verdict of {@link ComplianceChecker} for one market: one line per budget. */
public record ComplianceReport(String market, List<BudgetCompliance> budgets) {

    public ComplianceReport {
        budgets = List.copyOf(budgets);
    }

    /** Calls over budget, summed over every budget. Zero is what a compliant client proves. */
    public long callsOverBudget() {
        return budgets.stream().mapToLong(BudgetCompliance::callsOverBudget).sum();
    }

    public long callsOverBudget(String budgetName) {
        return budget(budgetName).callsOverBudget();
    }

    public BudgetCompliance budget(String budgetName) {
        return budgets.stream().filter(b -> b.name().equals(budgetName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("market " + market + " has no budget '" + budgetName + "'"));
    }

    public boolean compliant() {
        return callsOverBudget() == 0;
    }

    @Override
    public String toString() {
        return market + ": " + budgets.stream()
                .map(b -> b.name() + " " + b.callsOverBudget() + " over of " + b.callsCounted() + " (peak " + b.peak()
                        + "/" + b.budget().limit() + (b.worstKey() == null ? "" : ", worst key " + b.worstKey()) + ")")
                .collect(Collectors.joining("; "));
    }
}
