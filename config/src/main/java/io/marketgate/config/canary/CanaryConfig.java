package io.marketgate.config.canary;

import io.marketgate.config.ApiRoute;
import io.marketgate.config.internal.CanaryRules;
import io.marketgate.limiter.Budget;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One environment's {@code canary-config/<env>.yaml}, as {@link CanaryConfigLoader} reads and validates it: the
 * routes of the public REST API ({@value #REST_API_SUFFIX} named after the environment), each served by the legacy
 * backend, by one of marketgate's handlers, or split between the two through the stage's canary.
 *
 * <pre>{@code
 * CanaryConfig dev = CanaryConfigLoader.load(Path.of("canary-config"), "dev");
 * dev.restApiName();                       // "dev-marketgate-api"
 * dev.canaryPercent();                     // OptionalDouble[10.0]: the one share of every canary route
 * dev.routes(RouteState.MIGRATED);         // the routes the api handler serves entirely
 * }</pre>
 *
 * @param environment the environment's name, equal to the file's base name
 * @param stage the REST API's stage that the canary belongs to ({@value #DEFAULT_STAGE} unless the file says otherwise)
 * @param legacyBaseUrl the legacy backend that API Gateway proxies legacy routes (and canary routes' base share) to
 * @param routes by route, in file order; at least one
 */
public record CanaryConfig(String environment, String stage, URI legacyBaseUrl, Map<ApiRoute, RouteConfig> routes) {

    /** The stage of every environment's REST API unless its file names another. */
    public static final String DEFAULT_STAGE = "live";
    /** The REST API of environment {@code env} is named {@code <env>-marketgate-api}. */
    public static final String REST_API_SUFFIX = "-marketgate-api";
    /**
     * The REST API that serves exactly the canary routes with the handlers ({@code <env>-marketgate-origin}, same
     * stage name): the CDK app's canary sends the canary's share of a canary route there through an HTTP proxy.
     */
    public static final String ORIGIN_API_SUFFIX = "-marketgate-origin";
    /**
     * The stage variable that picks a canary route's backend: on the stage, the legacy backend's host; in the
     * canary's stage variable overrides, the origin API's {@code <id>.execute-api.<region>.<domain>/<stage>}.
     */
    public static final String BACKEND_VARIABLE = "migrationBackend";
    /** API Gateway's rule for stage names: letters, digits, '-' and '_', at most 128. */
    public static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public CanaryConfig {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(legacyBaseUrl, "legacyBaseUrl");
        if (!Budget.NAME_PART.matcher(environment).matches()) {
            throw new IllegalArgumentException("environment name '" + environment + "' must be lower-case letters, digits, '-', '_' or '.'");
        }
        if (!STAGE_NAME.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage '" + stage + "' must be 1 to 128 letters, digits, '-' or '_'");
        }
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a canary configuration needs at least one route");
        }
        routes.forEach((route, config) -> {
            if (!route.equals(config.route())) {
                throw new IllegalArgumentException("route " + route + " is mapped to the configuration of " + config.route());
            }
        });
        Set<Double> percents = new LinkedHashSet<>();
        routes.values().forEach(r -> r.percent().ifPresent(percents::add));
        if (percents.size() > 1) {
            throw new IllegalArgumentException("canary routes have different percents " + percents
                    + "; API Gateway has one canary per stage, so every canary route gets the same share");
        }
    }

    /** {@code <env>-marketgate-api}, the name of the environment's REST API. */
    public static String restApiName(String environment) {
        return environment + REST_API_SUFFIX;
    }

    /** {@code <env>-marketgate-origin}, the name of the REST API behind the canary of environment {@code environment}. */
    public static String originApiName(String environment) {
        return environment + ORIGIN_API_SUFFIX;
    }

    /** {@code <env>-marketgate-api}, the name of this environment's REST API. */
    public String restApiName() {
        return restApiName(environment);
    }

    /** The share of the stage's traffic that its canary serves: the percent of every canary route, or empty when there is none. */
    public OptionalDouble canaryPercent() {
        return routes.values().stream().filter(r -> r.state() == RouteState.CANARY)
                .mapToDouble(r -> r.percent().getAsDouble()).findFirst();
    }

    /** The routes in {@code state}, in file order. */
    public List<RouteConfig> routes(RouteState state) {
        return routes.values().stream().filter(r -> r.state() == state).toList();
    }

    /** The configuration of {@code route}; throws {@link IllegalArgumentException} listing the configured routes when there is none. */
    public RouteConfig route(ApiRoute route) {
        RouteConfig config = routes.get(route);
        if (config == null) {
            throw new IllegalArgumentException("route " + route + " is not in the canary configuration of " + environment
                    + "; its routes: " + String.join(", ", routes.keySet().stream().map(ApiRoute::toString).toList()));
        }
        return config;
    }

    /** {@code 10%} or {@code none}: the canary share for messages. */
    public String describeCanaryPercent() {
        OptionalDouble percent = canaryPercent();
        return percent.isPresent() ? formatPercent(percent.getAsDouble()) + "%" : "none";
    }

    /** A percent as an operator writes it: {@code 10.0} → {@code 10}, {@code 2.5} → {@code 2.5}. */
    public static String formatPercent(double percent) {
        return CanaryRules.format(percent);
    }
}
