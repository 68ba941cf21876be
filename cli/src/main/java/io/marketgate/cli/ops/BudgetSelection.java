package io.marketgate.cli.ops;

import io.marketgate.cli.UsageException;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.Budget;
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
        String name = budget.trim();
        int slash = name.indexOf('/');
        int firstColon = name.indexOf(':');
        // a '/' after the ':' is part of an instance key (and refused below), not a market
        if (slash >= 0 && (firstColon < 0 || slash < firstColon)) {
            String marketPart = name.substring(0, slash);
            if (!marketPart.equals(market.name())) {
                throw new UsageException("--budget " + budget + " belongs to market '" + marketPart
                        + "', not to --market " + market.name());
            }
            name = name.substring(slash + 1);
        }
        int colon = name.indexOf(':');
        String shortName = colon < 0 ? name : name.substring(0, colon);
        BudgetConfig config;
        try {
            config = market.budget(shortName);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--budget: " + e.getMessage(), e);
        }
        if (colon < 0) {
            return List.of(config.budget());
        }
        if (!config.scope().perInstance()) {
            throw new UsageException("--budget " + budget + ": " + config.qualifiedName() + " is one budget for the whole fleet ("
                    + config.scope().configName() + " scope); name it without ':" + name.substring(colon + 1) + "'");
        }
        String key = name.substring(colon + 1);
        if (!Budget.KEY.matcher(key).matches()) {
            throw new UsageException("--budget " + budget + ": the instance key after ':' must be 1 to 128 letters, digits, '_', '.', '@' or '-'");
        }
        return List.of(config.budget().forKey(key));
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
