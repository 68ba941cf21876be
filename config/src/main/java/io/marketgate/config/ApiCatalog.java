package io.marketgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routes that marketgate's own handlers serve, by handler name: the one list that the API handler's router,
 * {@code canary-config/<env>.yaml}'s validation and the CDK app's API Gateway wiring all read, so that they cannot
 * disagree. Routes not in this catalog can only be served by the legacy backend.
 *
 * <pre>{@code
 * ApiCatalog.handlers();                                  // [api]
 * ApiCatalog.routes("api").contains(ApiCatalog.CREATE_COLLECTION);
 * ApiCatalog.handlerOf(ApiRoute.parse("GET /v1/jobs/{id}"));   // Optional[api]
 * }</pre>
 */
public final class ApiCatalog {

    /** The name of the API function's handler in canary configurations and the CDK app. */
    public static final String API_HANDLER = "api";

    public static final ApiRoute CREATE_COLLECTION = new ApiRoute("POST", "/v1/collections");
    public static final ApiRoute GET_COLLECTION = new ApiRoute("GET", "/v1/collections/{id}");
    public static final ApiRoute RECOLLECT_ORDER = new ApiRoute("POST", "/v1/markets/{market}/orders/{orderId}/collect");
    public static final ApiRoute CREATE_ACTION = new ApiRoute("POST", "/v1/actions");
    /** An action's status and outcome (ACCEPTED, IN_PROGRESS, RETRYING, DONE or FAILED with the refusal's reason). */
    public static final ApiRoute GET_ACTION = new ApiRoute("GET", "/v1/actions/{actionId}");
    public static final ApiRoute CREATE_EXPORT = new ApiRoute("POST", "/v1/exports");
    public static final ApiRoute GET_JOB = new ApiRoute("GET", "/v1/jobs/{id}");
    /** Registers a seller with its credentials (the secret ones go to Secrets Manager only). */
    public static final ApiRoute CREATE_SELLER = new ApiRoute("POST", "/v1/sellers");
    /** A market's sellers ({@code ?market=}) with their status. */
    public static final ApiRoute LIST_SELLERS = new ApiRoute("GET", "/v1/sellers");
    public static final ApiRoute GET_SELLER = new ApiRoute("GET", "/v1/sellers/{market}/{sellerId}");
    public static final ApiRoute DELETE_SELLER = new ApiRoute("DELETE", "/v1/sellers/{market}/{sellerId}");
    /** A seller of a market whose sellers connect by consent (Cafe24): the consent page to send its owner to, with a state. */
    public static final ApiRoute CONNECT_SELLER = new ApiRoute("GET", "/v1/sellers/{market}/{sellerId}/connect");
    /** Where the market sends the owner back after consent ({@code code}, {@code state}): the connection is stored. */
    public static final ApiRoute CONNECTION_CALLBACK = new ApiRoute("GET", "/v1/connections/callback");
    /** A seller's stored data of one kind, paged ({@code /connect} beside it is the literal route, which wins). */
    public static final ApiRoute LIST_STORED = new ApiRoute("GET", "/v1/sellers/{market}/{sellerId}/{kind}");
    /** One stored order ({@code ?refresh=true} re-collects it first). */
    public static final ApiRoute GET_ORDER = new ApiRoute("GET", "/v1/orders/{market}/{sellerId}/{orderId}");

    /**
     * The routes a market calls through its user's browser (the consent's callback): they carry neither IAM
     * credentials nor an API key, so API Gateway must let them through unauthenticated; what binds them is the single-use
     * {@code state} they carry.
     */
    public static final Set<ApiRoute> PUBLIC_ROUTES = Set.of(CONNECTION_CALLBACK);

    private static final Map<String, List<ApiRoute>> ROUTES_BY_HANDLER;

    static {
        Map<String, List<ApiRoute>> routes = new LinkedHashMap<>();
        routes.put(API_HANDLER, List.of(CREATE_COLLECTION, GET_COLLECTION, RECOLLECT_ORDER, CREATE_ACTION, GET_ACTION, CREATE_EXPORT, GET_JOB,
                CREATE_SELLER, LIST_SELLERS, GET_SELLER, DELETE_SELLER, CONNECT_SELLER, CONNECTION_CALLBACK, LIST_STORED, GET_ORDER));
        ROUTES_BY_HANDLER = Collections.unmodifiableMap(routes);
    }

    private ApiCatalog() {
    }

    /** The handlers' names, in a stable order. */
    public static Set<String> handlers() {
        return ROUTES_BY_HANDLER.keySet();
    }

    /** The routes {@code handler} serves; throws {@link IllegalArgumentException} naming the known handlers when there is none. */
    public static List<ApiRoute> routes(String handler) {
        List<ApiRoute> routes = ROUTES_BY_HANDLER.get(handler);
        if (routes == null) {
            throw new IllegalArgumentException("unknown handler '" + handler + "'; known handlers: " + handlers());
        }
        return routes;
    }

    /** The handler that serves {@code route}, or empty when only the legacy backend can. */
    public static Optional<String> handlerOf(ApiRoute route) {
        return ROUTES_BY_HANDLER.entrySet().stream()
                .filter(e -> e.getValue().contains(route))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
