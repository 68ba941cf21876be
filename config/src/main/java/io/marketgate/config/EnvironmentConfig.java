package io.marketgate.config;

import io.marketgate.config.internal.Messages;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One environment ({@code environments/<name>.yaml}), as {@link EnvironmentLoader} reads and validates it.
 *
 * <pre>{@code
 * EnvironmentConfig dev = EnvironmentLoader.load(Path.of("environments"), "dev");
 * List<Budget> all = dev.budgets();                       // coupang/vendor, naver/…, …
 * Call ship = dev.market("coupang").call("ship-order").toCall(Priority.HIGH);
 * }</pre>
 *
 * @param name the environment's name, equal to its file's base name
 * @param aws account and region, each possibly left to the CLI's default
 * @param limiter settings shared by every market's limiter
 * @param markets by name, in file order
 * @param api the HTTP API's limits ({@code api:}; {@link ApiConfig#DEFAULTS} when absent)
 * @param infrastructure what the CDK app deploys ({@code infrastructure:}); empty in a file that only runs locally
 */
public record EnvironmentConfig(String name, AwsConfig aws, LimiterConfig limiter, Map<String, MarketConfig> markets,
        ApiConfig api, Optional<InfrastructureConfig> infrastructure) {

    public EnvironmentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aws, "aws");
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(infrastructure, "infrastructure");
        markets = Collections.unmodifiableMap(new LinkedHashMap<>(markets));
    }

    /** An environment with the API's default limits and without an {@code infrastructure:} section. */
    public EnvironmentConfig(String name, AwsConfig aws, LimiterConfig limiter, Map<String, MarketConfig> markets) {
        this(name, aws, limiter, markets, ApiConfig.DEFAULTS, Optional.empty());
    }

    /** The market named {@code marketName}; throws {@link IllegalArgumentException} listing the configured markets when there is none. */
    public MarketConfig market(String marketName) {
        MarketConfig market = markets.get(marketName);
        if (market == null) {
            throw new IllegalArgumentException(Messages.unknownMarket(name, marketName, markets.keySet()));
        }
        return market;
    }

    /** Every budget of every market as the limiter takes them, named {@code market/budget}, in file order. */
    public List<Budget> budgets() {
        return markets.values().stream().flatMap(m -> m.limiterBudgets().stream()).toList();
    }

    /** The budget with the qualified name {@code market/budget}; throws {@link IllegalArgumentException} naming what exists when there is none. */
    public BudgetConfig budget(String qualifiedName) {
        BudgetName name;
        try {
            name = BudgetName.parse(qualifiedName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Messages.unqualifiedBudget(qualifiedName), e);
        }
        if (name.isInstance()) {
            throw new IllegalArgumentException(Messages.instanceNotConfigured(qualifiedName, name.configured().toString()));
        }
        return market(name.market()).budget(name.budget());
    }
}
