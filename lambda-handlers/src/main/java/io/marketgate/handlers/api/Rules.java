package io.marketgate.handlers.api;

import io.marketgate.config.EnvironmentConfig;

/** The rules several endpoints share, stated once. */
final class Rules {
    private Rules() {}

    /** What ids (sellers, orders, owners, jobs, requests) may be: {@link io.marketgate.limiter.Budget#KEY}. */
    static final String ID = "1 to 128 letters, digits, '_', '.', '@' or '-'";
    /** What a market name may be: {@link io.marketgate.limiter.Budget#NAME_PART}. */
    static final String MARKET_NAME = "a market name such as coupang";

    /** 422 naming {@code market} unless the environment has it. */
    static void knownMarket(EnvironmentConfig environment, String market) {
        if (!environment.markets().containsKey(market)) {
            throw Problem.unprocessable("market", "known-market", "market: unknown market '" + market + "'; markets: "
                    + String.join(", ", environment.markets().keySet())).exception();
        }
    }
}
