package io.marketgate.cli.ops;

import io.marketgate.config.BudgetConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.Budget;
import java.util.ArrayList;
import java.util.List;

/**
 * The budgets an operator command acts on: one named with {@code --budget}, or every budget of the market.
 *
 * <p>A budget of a per-instance scope (vendor, seller, mall) is one window and one control state per instance,
 * {@code coupang/vendor:<vendorId>}; the configured name itself carries no traffic, so acting on it would change
 * nothing a caller sees. Such budgets are therefore named with their instance ({@code --budget vendor:V123}), and
 * are listed as {@link #perInstance()} when a command covers the whole market.
 *
 * @param budgets     what the command reads or changes, as the limiter knows them
 * @param perInstance per-instance budgets of the market that the command does not cover without an instance key
 */
record BudgetSelection(List<Budget> budgets, List<BudgetConfig> perInstance) {

    /**
     * Resolves {@code --budget} of {@code market}: {@code vendor}, {@code coupang/vendor}, or with an instance
     * {@code vendor:V123}; null means every budget of the market.
     */
    static BudgetSelection of(MarketConfig market, String budget) {
        if (budget == null) {
            List<Budget> shared = new ArrayList<>();
            List<BudgetConfig> perInstance = new ArrayList<>();
            for (BudgetConfig b : market.budgets().values()) {
                if (b.scope().perInstance()) {
                    perInstance.add(b);
                } else {
                    shared.add(b.budget());
                }
            }
            return new BudgetSelection(shared, perInstance);
        }
        String name = budget.trim();
        int slash = name.indexOf('/');
        if (slash >= 0) {
            String marketPart = name.substring(0, slash);
            if (!marketPart.equals(market.name())) {
                throw new IllegalArgumentException("--budget " + budget + " belongs to market '" + marketPart
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
            throw new IllegalArgumentException("--budget: " + e.getMessage(), e);
        }
        if (colon < 0) {
            if (config.scope().perInstance()) {
                throw new IllegalArgumentException(perInstanceMessage(config));
            }
            return new BudgetSelection(List.of(config.budget()), List.of());
        }
        if (!config.scope().perInstance()) {
            throw new IllegalArgumentException("--budget " + budget + ": " + config.qualifiedName() + " is one budget for the whole fleet ("
                    + config.scope().configName() + " scope); name it without ':" + name.substring(colon + 1) + "'");
        }
        String key = name.substring(colon + 1);
        if (!Budget.KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("--budget " + budget + ": the instance key after ':' must be 1 to 128 letters, digits, '_', '.', '@' or '-'");
        }
        return new BudgetSelection(List.of(config.budget().forKey(key)), List.of());
    }

    /** Why a per-instance budget needs its instance key, and how to give it. */
    static String perInstanceMessage(BudgetConfig config) {
        return config.qualifiedName() + " is one budget per " + config.scope().configName()
                + ", each with its own window and control state: name the instance, --budget " + config.name() + ":<"
                + config.scope().configName() + "Id> (the collector keys it by the seller's " + config.scope().configName()
                + " id, by default the seller id)";
    }
}
