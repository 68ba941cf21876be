package io.marketgate.devtools.demo;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.FailureMode;
import java.util.List;

/** A market as the demo drives it: its budgets and the budget sets its calls draw from. */
public record DemoMarket(String name, List<Budget> budgets, List<List<String>> calls, FailureMode failureMode) {
    public DemoMarket {
        budgets = List.copyOf(budgets);
        calls = calls.stream().map(List::copyOf).toList();
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("market " + name + " has no calls to drive");
        }
    }
}
