package io.marketgate.config;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Ceilings;
import io.marketgate.limiter.ThrottleRecovery;
import java.time.Duration;
import java.util.Objects;

/**
 * One budget of a market as configured: the limiter's {@link Budget} (named {@code market/budget}, already
 * validated by the limiter) and the scope the market counts it against.
 */
public record BudgetConfig(Budget budget, BudgetScope scope) {

    public BudgetConfig {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(scope, "scope");
    }

    /** The qualified name, {@code market/budget}, as calls and the limiter name it. */
    public String qualifiedName() {
        return budget.name();
    }

    /** The name inside its market, the key under {@code budgets:}. */
    public String name() {
        return budget.shortName();
    }

    public String market() {
        return budget.market();
    }

    public long limit() {
        return budget.limit();
    }

    public Duration window() {
        return budget.window();
    }

    public Ceilings ceilings() {
        return budget.ceilings();
    }

    public ThrottleRecovery recovery() {
        return budget.recovery();
    }
}
