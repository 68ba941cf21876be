package io.marketgate.config.canary;

import io.marketgate.config.ConfigName;

/**
 * Who serves one route of the public API, as {@code canary-config/<env>.yaml} spells it in {@code state:}.
 *
 * <pre>{@code
 * RouteState.CANARY.configName();   // "canary"
 * }</pre>
 */
public enum RouteState implements ConfigName {
    /** The legacy backend serves every request; API Gateway proxies the route to {@code legacy.baseUrl}. */
    LEGACY("legacy"),
    /**
     * The route's handler serves the stage's canary share of the requests ({@code percent}), the legacy backend
     * the rest: the stage's base deployment proxies to legacy, its canary deployment integrates the handler.
     */
    CANARY("canary"),
    /** The route's handler serves every request. */
    MIGRATED("migrated");

    private final String configName;

    RouteState(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
