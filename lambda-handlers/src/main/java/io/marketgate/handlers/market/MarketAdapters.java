package io.marketgate.handlers.market;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.config.ReferenceRestConfig;
import java.util.function.Function;

/** Builds the adapter an environment file configures for a market. */
public final class MarketAdapters {
    private MarketAdapters() {}

    /**
     * The adapter of {@code market} in {@code environment}, its secrets resolved through {@code variables}
     * ({@code System::getenv}).
     *
     * @throws IllegalArgumentException naming the market when it is unknown or has no adapter section
     * @throws io.marketgate.config.ConfigException when a secret's environment variable is unset
     */
    public static MarketAdapter forMarket(EnvironmentConfig environment, String market, Function<String, String> variables) {
        MarketConfig config = environment.market(market);
        return switch (config.adapter().orElseThrow(() -> new IllegalArgumentException("market " + market
                + " of environment " + environment.name() + " has no adapter section"))) {
            case ReferenceRestConfig rest -> ReferenceRestAdapter.of(config, variables);
        };
    }
}
