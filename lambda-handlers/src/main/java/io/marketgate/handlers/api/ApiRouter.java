package io.marketgate.handlers.api;

import io.marketgate.config.ApiCatalog;
import io.marketgate.config.ApiRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds the route of a request among {@link ApiCatalog#routes(String) ApiCatalog.routes("api")}, the one list the CDK
 * app and the canary configuration read too, and extracts its path parameters. A path no route has is 404; a path
 * that only other methods serve is 405 with {@code Allow}.
 *
 * <pre>{@code
 * ApiRouter.Match m = router.match("GET", "/v1/jobs/j-1");   // route GET /v1/jobs/{id}, parameters {id=j-1}
 * }</pre>
 */
public final class ApiRouter {

    /** A request's route and its path parameters by name. */
    public record Match(ApiRoute route, Map<String, String> parameters) {
        public String parameter(String name) {
            return parameters.get(name);
        }
    }

    /** The routes' methods not allowed on a path: the 405's {@code Allow}. */
    public static final class MethodNotAllowed extends RuntimeException {
        private final String allow;

        MethodNotAllowed(String allow, String detail) {
            super(detail, null, false, false);
            this.allow = allow;
        }

        public String allow() {
            return allow;
        }
    }

    private final List<ApiRoute> routes;

    public ApiRouter() {
        this(ApiCatalog.routes(ApiCatalog.API_HANDLER));
    }

    public ApiRouter(List<ApiRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    /**
     * The route of {@code method} on {@code path}.
     *
     * @throws Problem.ProblemException 404 when no route has the path
     * @throws MethodNotAllowed when routes have the path but not the method
     */
    public Match match(String method, String path) {
        List<String> segments = segments(path);
        TreeSet<String> allowed = new TreeSet<>();
        Match best = null;
        for (ApiRoute route : routes) {
            Map<String, String> parameters = parameters(segments(route.path()), segments);
            if (parameters == null) {
                continue;
            }
            // a literal segment wins over a parameter, as in API Gateway: /v1/sellers/{m}/{s}/connect before …/{kind}
            if (route.method().equals(method) && (best == null || parameters.size() < best.parameters().size())) {
                best = new Match(route, parameters);
            }
            allowed.add(route.method());
        }
        if (best != null) {
            return best;
        }
        if (!allowed.isEmpty()) {
            String allow = String.join(", ", allowed);
            throw new MethodNotAllowed(allow, "method: " + method + " is not allowed on " + JsonBody.abbreviate(path) + "; allowed: " + allow);
        }
        throw Problem.notFound("path", "path: no endpoint at " + JsonBody.abbreviate(path) + "; the endpoints are "
                + routes.stream().map(ApiRoute::toString).toList()).exception();
    }

    private static Map<String, String> parameters(List<String> template, List<String> actual) {
        if (template.size() != actual.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String a = actual.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (a.isEmpty()) {
                    return null;
                }
                parameters.put(t.substring(1, t.length() - 1), a);
            } else if (!t.equals(a)) {
                return null;
            }
        }
        return parameters;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (String s : p.split("/", -1)) {
            segments.add(s);
        }
        return segments;
    }
}
