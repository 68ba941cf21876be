package io.marketgate.config.internal;

import static io.marketgate.config.internal.Presence.OPTIONAL;
import static io.marketgate.config.internal.Presence.REQUIRED;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.ApiRoute;
import io.marketgate.config.canary.CanaryConfig;
import io.marketgate.config.canary.RouteConfig;
import io.marketgate.config.canary.RouteState;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Walks the YAML tree of one {@code canary-config/<env>.yaml} and reports every problem with its path. A route's
 * path is written with its key in quotes, as in the file: {@code routes."GET /v1/orders".percent}. The rules of a
 * single route are {@link CanaryRules}'; the rules between routes (one canary percent per stage, no route twice,
 * one path variable per position) are checked here.
 */
public final class CanaryReader {

    /** The keys of a canary configuration's top mapping. */
    public static final List<String> TOP_KEYS = List.of("environment", "stage", "legacy", "routes");
    static final List<String> LEGACY_KEYS = List.of("baseUrl");
    static final List<String> ROUTE_KEYS = List.of("state", "percent", "handler");

    private final Problems problems;

    private CanaryReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * Reads the tree of one file; returns the configuration when no problem was found (counting those already in
     * {@code problems}), else empty with every problem added to {@code problems}.
     *
     * @param expectedName the file's base name, which {@code environment:} must equal
     */
    public static Optional<CanaryConfig> read(JsonNode root, String expectedName, Problems problems) {
        Optional<CanaryConfig> config = new CanaryReader(problems).canary(root, expectedName);
        return problems.isEmpty() ? config : Optional.empty();
    }

    private Optional<CanaryConfig> canary(JsonNode root, String expectedName) {
        Optional<Mapping> top = Mapping.of(root, "", TOP_KEYS, problems);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        Mapping file = top.get();
        int before = problems.count();
        Optional<String> name = file.environmentName("environment", expectedName);
        String stage = file.text("stage", OPTIONAL).orElse(CanaryConfig.DEFAULT_STAGE);
        if (!CanaryConfig.STAGE_NAME.matcher(stage).matches()) {
            file.problem("stage", "must be an API Gateway stage name: 1 to 128 letters, digits, '-' or '_', was '" + stage + "'");
        }
        Optional<URI> legacy = file.mapping("legacy", REQUIRED, LEGACY_KEYS)
                .flatMap(section -> section.httpUrl("baseUrl", REQUIRED, "https://legacy.example.com"));
        Map<ApiRoute, RouteConfig> routes = routes(file);
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new CanaryConfig(name.orElseThrow(), stage, legacy.orElseThrow(), routes));
    }

    private Map<ApiRoute, RouteConfig> routes(Mapping file) {
        Map<ApiRoute, RouteConfig> routes = new LinkedHashMap<>();
        Optional<Map<String, JsonNode>> entries = file.entries("routes", REQUIRED, "routes by 'METHOD /path'");
        entries.filter(Map::isEmpty).ifPresent(e -> file.problem("routes",
                "must list at least one route: API Gateway cannot deploy a REST API without methods"));
        Map<ApiRoute, String> keyOf = new HashMap<>();
        Map<String, Variable> variableAt = new HashMap<>();
        FirstCanary firstCanary = null;
        for (Map.Entry<String, JsonNode> entry : entries.orElse(Map.of()).entrySet()) {
            String key = entry.getKey();
            String path = routePath(key);
            Optional<ApiRoute> parsed = parseRoute(key, path);
            if (parsed.isEmpty()) {
                continue;
            }
            ApiRoute route = parsed.get();
            String earlier = keyOf.putIfAbsent(route, key);
            if (earlier != null) {
                problems.add(path, "the same route as \"" + earlier + "\"; each route is listed once (methods are compared in upper case)");
                continue;
            }
            checkPathVariables(route, path, variableAt);
            Optional<RouteConfig> config = route(route, entry.getValue(), path);
            if (config.isEmpty()) {
                continue;
            }
            RouteConfig r = config.get();
            if (r.state() == RouteState.CANARY) {
                String percent = CanaryRules.format(r.percent().getAsDouble());
                if (firstCanary == null) {
                    firstCanary = new FirstCanary(key, percent);
                } else if (!firstCanary.percent().equals(percent)) {
                    problems.add(Values.child(path, "percent"), "must equal the percent of the other canary routes ("
                            + firstCanary.percent() + " at \"" + firstCanary.key() + "\"): API Gateway has one canary per stage, "
                            + "so every canary route gets the same share of the traffic, was " + percent);
                    continue;
                }
            }
            routes.put(route, r);
        }
        return routes;
    }

    private Optional<ApiRoute> parseRoute(String key, String path) {
        try {
            return Optional.of(ApiRoute.parse(key));
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * API Gateway builds one resource tree for all methods: under one parent, a variable segment has one name, so
     * {@code /v1/collections/{id}} and {@code /v1/collections/{name}} cannot both exist.
     */
    private void checkPathVariables(ApiRoute route, String path, Map<String, Variable> variableAt) {
        String[] segments = route.path().substring(1).split("/");
        for (int i = 0; i < segments.length; i++) {
            if (!segments[i].startsWith("{")) {
                continue;
            }
            String parent = "/" + String.join("/", Arrays.copyOfRange(segments, 0, i));
            Variable known = variableAt.putIfAbsent(parent, new Variable(segments[i], route));
            if (known != null && !known.segment().equals(segments[i])) {
                problems.add(path, "path variable " + segments[i] + " under " + parent + " differs from " + known.segment() + " of "
                        + known.route() + "; API Gateway allows one variable name per position under the same parent resource");
            }
        }
    }

    private Optional<RouteConfig> route(ApiRoute route, JsonNode node, String path) {
        Optional<Mapping> section = Mapping.of(node, path, ROUTE_KEYS, problems);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Mapping mapping = section.get();
        int before = problems.count();
        Optional<RouteState> state = mapping.choice("state", RouteState.class, REQUIRED);
        Optional<String> handler = mapping.text("handler", OPTIONAL);
        Optional<Double> percentValue = mapping.number("percent", OPTIONAL);
        OptionalDouble percent = percentValue.map(OptionalDouble::of).orElse(OptionalDouble.empty());
        handler.flatMap(h -> CanaryRules.handler(route, h)).ifPresent(rule -> mapping.problem("handler", rule));
        state.ifPresent(s -> {
            CanaryRules.missingHandler(s, handler).ifPresent(rule -> mapping.problem("handler", rule));
            // a percent that is not a number was reported already; don't also call it missing
            if (percentValue.isPresent() || mapping.value("percent", OPTIONAL, Values.NUMBER).isEmpty()) {
                CanaryRules.percent(s, percent).ifPresent(rule -> mapping.problem("percent", rule));
            }
        });
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new RouteConfig(route, state.orElseThrow(), handler, percent));
    }

    /** The first canary route met, whose percent every other canary route must have. */
    private record FirstCanary(String key, String percent) {}

    /** The variable segment ({@code {id}}) that a route first put at one position of the resource tree. */
    private record Variable(String segment, ApiRoute route) {}

    /** {@code routes."GET /v1/orders"}: the key in quotes, as the file writes it, since it holds spaces and dots. */
    static String routePath(String key) {
        return "routes.\"" + key + "\"";
    }
}
