package io.marketgate.config;

/**
 * What a market counts a limit against. The scope documents where a number comes from and whom it is shared
 * with; the limiter itself only sees the budget's name, limit and window.
 */
public enum BudgetScope implements ConfigName {
    /** One vendor (seller account) across all of the market's APIs, for example Coupang's 10 rps per vendorId. */
    VENDOR("vendor"),
    /** One API endpoint (operation) of our application, counted over all of our sellers, for example Naver's ~2 rps per API per app. */
    ENDPOINT("endpoint"),
    /** Our registered application as a whole, across all endpoints and sellers. */
    APP("app"),
    /** One seller's token or authorization, for example Naver's per-seller quota for agencies. */
    SELLER("seller"),
    /** One shop on a hosted-mall platform, for example Cafe24's leaky bucket per mall. */
    MALL("mall"),
    /** One API key issued by the market, all calls made with it, for example 11st's ~1 rps per key. */
    API_KEY("api-key");

    private final String configName;

    BudgetScope(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    /**
     * Whether the market counts this scope separately for each vendor, seller or mall: such a budget is one
     * limiter budget per instance, named {@code market/name:key} (for example {@code cafe24/mall:shop42}), each
     * with the configured limit. {@code endpoint}, {@code app} and {@code api-key} budgets are one budget for
     * the whole fleet.
     */
    public boolean perInstance() {
        return this == VENDOR || this == SELLER || this == MALL;
    }
}
