package io.marketgate.limiter;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One market call: the budgets it draws from (all of one market), its priority and its cost (default 1).
 * A call is admitted on all of its budgets or on none. A per-seller or per-mall budget is named with its
 * instance key: {@code naver/seller:s-1042}.
 *
 * <pre>{@code
 * Call listOrders = Call.of(Priority.MEDIUM, "coupang/vendor", "coupang/ordersheets");
 * Call bulkEdit = Call.of(Priority.LOW, "naver/products").withCost(5);
 * }</pre>
 */
public record Call(List<String> budgets, Priority priority, int cost) {

    public Call {
        Objects.requireNonNull(priority, "priority is missing");
        if (budgets == null || budgets.isEmpty()) {
            throw new IllegalArgumentException("a call must name at least one budget");
        }
        budgets = List.copyOf(budgets);
        Set<String> seen = new HashSet<>();
        String market = null;
        for (String name : budgets) {
            BudgetName parsed = BudgetName.parse(name);
            if (!seen.add(name)) {
                throw new IllegalArgumentException("a call names budget " + name + " twice");
            }
            String m = parsed.market();
            if (market == null) {
                market = m;
            } else if (!market.equals(m)) {
                throw new IllegalArgumentException("a call draws from budgets of one market only, but names "
                        + budgets.get(0) + " and " + name);
            }
        }
        if (cost < 1) {
            throw new IllegalArgumentException("cost is " + cost + ", must be ≥ 1");
        }
    }

    /** A call of cost 1 on {@code budgets}. */
    public static Call of(Priority priority, String... budgets) {
        return new Call(List.of(budgets), priority, 1);
    }

    /** This call with another cost (≥ 1). */
    public Call withCost(int cost) {
        return new Call(budgets, priority, cost);
    }

    /** The market all of this call's budgets belong to. */
    public String market() {
        return BudgetName.parse(budgets.get(0)).market();
    }
}
