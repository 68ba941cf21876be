package io.marketgate.config;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Ceilings;
import io.marketgate.limiter.ThrottleRecovery;
import java.time.Duration;
import java.util.Objects;

/**
 * One budget of a market as configured: the limiter's {@link Budget} (named {@code market/budget}, already
 * validated by the limiter), the scope the market counts it against, and whether it follows the level of the market's
 * own bucket ({@code followsMarketLevel: true}: the adapter reports the level the market gives on every answer, Cafe24's
 * {@code X-Api-Call-Limit}, for this budget, and the limiter lowers the budget's room to the market's; see
 * {@code docs/limiter.md}, "Market feedback"). Only a budget whose limit and window model the market's bucket should
 * follow it, not one that spreads calls over a shorter window.
 */
public record BudgetConfig(Budget budget, BudgetScope scope, boolean followsMarketLevel) {

    public BudgetConfig {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(scope, "scope");
    }

    /** A budget that does not follow the market's level. */
    public BudgetConfig(Budget budget, BudgetScope scope) {
        this(budget, scope, false);
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
