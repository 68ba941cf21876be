package io.marketgate.config.internal;

import io.marketgate.config.ApiCatalog;
import io.marketgate.config.ApiRoute;
import io.marketgate.config.canary.RouteState;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The rules of one route of a canary configuration, stated once: the loader reports them at the route's fields,
 * and {@link io.marketgate.config.canary.RouteConfig}'s constructor throws the same messages. Each method gives
 * the rule that is broken, or empty.
 */
public final class CanaryRules {

    /** The lowest share a canary may have, exclusive: at 0% the canary gets no traffic at all. */
    public static final double MIN_PERCENT_EXCLUSIVE = 0.0;
    /** The highest share a canary may have, exclusive: at 100% every request goes to the handler. */
    public static final double MAX_PERCENT_EXCLUSIVE = 100.0;

    private CanaryRules() {}

    /** Canary and migrated routes need a handler; a legacy route may name the handler that will serve it once migrated. */
    public static Optional<String> missingHandler(RouteState state, Optional<String> handler) {
        if (handler.isPresent() || state == RouteState.LEGACY) {
            return Optional.empty();
        }
        return Optional.of("missing; a " + state.configName() + " route needs the handler that serves it, one of "
                + Messages.list(ApiCatalog.handlers()));
    }

    /** The handler must be one of {@link ApiCatalog#handlers()} and serve {@code route}. */
    public static Optional<String> handler(ApiRoute route, String handler) {
        if (!ApiCatalog.handlers().contains(handler)) {
            return Optional.of("unknown handler '" + handler + "'; known handlers: " + Messages.list(ApiCatalog.handlers()));
        }
        if (!ApiCatalog.routes(handler).contains(route)) {
            return Optional.of("unknown route for handler " + handler + ": it does not serve " + route + " (it serves "
                    + String.join(", ", ApiCatalog.routes(handler).stream().map(ApiRoute::toString).toList())
                    + "); a route that only the legacy backend serves stays in state legacy without a handler");
        }
        return Optional.empty();
    }

    /** A canary route needs a percent strictly between 0 and 100; legacy and migrated routes have none. */
    public static Optional<String> percent(RouteState state, OptionalDouble percent) {
        if (state != RouteState.CANARY) {
            return percent.isPresent()
                    ? Optional.of("only a canary route has a percent; a " + state.configName() + " route gets "
                            + (state == RouteState.LEGACY ? "0%" : "100%") + " of the traffic on its handler, was " + format(percent.getAsDouble()))
                    : Optional.empty();
        }
        if (percent.isEmpty()) {
            return Optional.of("missing; a canary route needs the percent of the traffic its handler serves, > 0 and < 100");
        }
        double value = percent.getAsDouble();
        if (!(value > MIN_PERCENT_EXCLUSIVE)) {
            return Optional.of("must be > 0 (a canary at 0% serves nothing: use state legacy), was " + format(value));
        }
        if (!(value < MAX_PERCENT_EXCLUSIVE)) {
            return Optional.of("must be < 100 (a canary at 100% serves everything: use state migrated), was " + format(value));
        }
        return Optional.empty();
    }

    /** {@code 10.0} → {@code 10}, {@code 2.5} → {@code 2.5}. */
    public static String format(double percent) {
        return percent == Math.rint(percent) && !Double.isInfinite(percent) ? Long.toString((long) percent) : Double.toString(percent);
    }
}
