package io.marketgate.cli.ops;

import io.marketgate.cli.UsageException;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetName;
import java.util.List;

/**
 * The budgets an operator command acts on: one named with {@code --budget}, or every budget of the market.
 *
 * <p>A budget of a per-instance scope (vendor, seller, mall) is one window per instance,
 * {@code coupang/vendor:<vendorId>}. Its configured budget ({@code --budget vendor}) carries no traffic of its own,
 * but every instance obeys its pauses and limit override: pausing it pauses every vendor of the market. One instance
 * is named with its key ({@code --budget vendor:V123}), for its usage or for a change to that vendor alone.
 */
final class BudgetSelection {
    private BudgetSelection() {}

    /**
     * Resolves {@code --budget} of {@code market}: {@code vendor}, {@code coupang/vendor}, or with an instance
     * {@code vendor:V123}; null means every configured budget of the market.
     */
    static List<Budget> of(MarketConfig market, String budget) {
        if (budget == null) {
            return market.budgets().values().stream().map(BudgetConfig::budget).toList();
        }
        BudgetName name = parse(market, budget.trim(), budget);
        if (!name.market().equals(market.name())) {
            throw new UsageException("--budget " + budget + " belongs to market '" + name.market()
                    + "', not to --market " + market.name());
        }
        BudgetConfig config;
        try {
            config = market.budget(name.budget());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--budget: " + e.getMessage(), e);
        }
        if (name.instance().isEmpty()) {
            return List.of(config.budget());
        }
        String key = name.instance().get();
        if (!config.scope().perInstance()) {
            throw new UsageException("--budget " + budget + ": " + config.qualifiedName() + " is one budget for the whole fleet ("
                    + config.scope().configName() + " scope); name it without ':" + key + "'");
        }
        return List.of(config.budget().forKey(key));
    }

    /** {@code text} as a budget name, the market's own when it names none ({@code vendor}, {@code vendor:V123}). */
    private static BudgetName parse(MarketConfig market, String text, String option) {
        try {
            return BudgetName.parse(text);
        } catch (IllegalArgumentException withoutMarket) {
            try {
                return BudgetName.parse(market.name() + "/" + text);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--budget " + option + ": " + e.getMessage(), e);
            }
        }
    }

    /** The configured per-instance budget {@code budget} is, if it is one (not an instance, not a fleet-wide budget). */
    static java.util.Optional<BudgetConfig> perInstance(MarketConfig market, Budget budget) {
        if (budget.key().isPresent()) {
            return java.util.Optional.empty();
        }
        BudgetConfig config = market.budget(budget.shortName());
        return config.scope().perInstance() ? java.util.Optional.of(config) : java.util.Optional.empty();
    }
}
