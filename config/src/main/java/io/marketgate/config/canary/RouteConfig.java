package io.marketgate.config.canary;

import io.marketgate.config.ApiRoute;
import io.marketgate.config.internal.CanaryRules;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One route of {@code canary-config/<env>.yaml}: who serves it now and which handler serves it once migrated.
 * The constructor enforces the same rules as {@link CanaryConfigLoader} (which reports them with the file's
 * path instead).
 *
 * <pre>{@code
 * RouteConfig get = RouteConfig.canary(ApiCatalog.GET_COLLECTION, "api", 10);
 * RouteConfig orders = RouteConfig.legacy(ApiRoute.parse("GET /v1/orders"));
 * }</pre>
 *
 * @param route the method and path, as API Gateway names it
 * @param state who serves the route
 * @param handler the handler ({@link io.marketgate.config.ApiCatalog#handlers()}) that serves the route in state
 *     canary or migrated, and that serves it; a legacy route may name the handler it will move to, or none
 * @param percent for a canary route only: the share of the traffic, {@code > 0} and {@code < 100}, that the
 *     stage's canary (and so the handler) serves
 */
public record RouteConfig(ApiRoute route, RouteState state, Optional<String> handler, OptionalDouble percent) {

    public RouteConfig {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(percent, "percent");
        Optional<String> broken = CanaryRules.missingHandler(state, handler)
                .map(rule -> "handler: " + rule)
                .or(() -> handler.flatMap(h -> CanaryRules.handler(route, h)).map(rule -> "handler: " + rule))
                .or(() -> CanaryRules.percent(state, percent).map(rule -> "percent: " + rule));
        broken.ifPresent(rule -> {
            throw new IllegalArgumentException(route + ": " + rule);
        });
    }

    /** A route that only the legacy backend serves. */
    public static RouteConfig legacy(ApiRoute route) {
        return new RouteConfig(route, RouteState.LEGACY, Optional.empty(), OptionalDouble.empty());
    }

    /** A route whose handler serves {@code percent} of its traffic through the stage's canary. */
    public static RouteConfig canary(ApiRoute route, String handler, double percent) {
        return new RouteConfig(route, RouteState.CANARY, Optional.of(handler), OptionalDouble.of(percent));
    }

    /** A route that its handler serves entirely. */
    public static RouteConfig migrated(ApiRoute route, String handler) {
        return new RouteConfig(route, RouteState.MIGRATED, Optional.of(handler), OptionalDouble.empty());
    }

    /** {@code canary 10%}, {@code migrated}, {@code legacy}. */
    public String describeState() {
        return state == RouteState.CANARY
                ? state.configName() + " " + CanaryRules.format(percent.getAsDouble()) + "%"
                : state.configName();
    }
}
