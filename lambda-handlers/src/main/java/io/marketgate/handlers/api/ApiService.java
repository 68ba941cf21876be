package io.marketgate.handlers.api;

import io.marketgate.config.ApiCatalog;
import io.marketgate.config.ApiRoute;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's logic behind {@link io.marketgate.handlers.ApiHandler} and the local HTTP front: checks what every request
 * must satisfy (size, media type, route), hands it to its endpoint, and turns every rejection into a problem document.
 * A rejected request has enqueued nothing and written nothing: endpoints validate the whole request first.
 *
 * <pre>{@code
 * ApiService api = new ApiService(apiDependencies);
 * ApiResponse r = api.handle(new ApiRequest("GET", "/v1/jobs/j-1", Map.of(), null, "req-1"));
 * }</pre>
 */
public final class ApiService {

    private static final Logger log = LoggerFactory.getLogger(ApiService.class);

    private final ApiRouter router = new ApiRouter();
    private final int maxBodyBytes;
    private final CollectionsApi collections;
    private final ActionsApi actions;
    private final JobsApi jobs;
    private final SellersApi sellers;
    private final ConnectionsApi connections;
    private final OrdersApi orders;

    public ApiService(ApiDependencies deps) {
        this.maxBodyBytes = deps.handlers().environment().api().maxBodyBytes();
        this.collections = new CollectionsApi(deps.handlers(), deps.ids());
        this.actions = new ActionsApi(deps.handlers(), deps.ids());
        this.jobs = new JobsApi(deps);
        this.sellers = new SellersApi(deps.handlers());
        this.connections = new ConnectionsApi(deps.handlers());
        this.orders = new OrdersApi(deps.handlers(), collections);
    }

    /** Answers {@code request}; never throws. */
    public ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (Problem.ProblemException e) {
            Problem p = e.problem();
            log.info("{} {} rejected: {} {}", request.method(), JsonBody.abbreviate(request.path()), p.status(), p.detail());
            return ApiResponse.problem(p);
        } catch (ApiRouter.MethodNotAllowed e) {
            return ApiResponse.problem(new Problem(405, "method", "method-not-allowed", e.getMessage())).withHeader("Allow", e.allow());
        } catch (IllegalArgumentException e) {
            // a rule of the domain objects (a seller id, a range the adapter cannot split): the request's fault
            return ApiResponse.problem(Problem.unprocessable(null, "invalid", JsonBody.abbreviate(String.valueOf(e.getMessage()))));
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.method(), JsonBody.abbreviate(request.path()), e);
            return ApiResponse.problem(new Problem(500, null, "internal", "the request failed on our side; request id "
                    + request.requestId()));
        }
    }

    private ApiResponse route(ApiRequest request) {
        if (request.body() != null && request.body().getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
            throw new Problem(413, "body", "max-size", "body: larger than " + maxBodyBytes + " bytes").exception();
        }
        ApiRouter.Match match = router.match(request.method(), request.path());
        ApiRoute route = match.route();
        if (route.method().equals("POST")) {
            String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            boolean hasBody = request.body() != null && !request.body().isEmpty();
            if (hasBody && !(type.equals("application/json") || type.startsWith("application/json;"))) {
                throw new Problem(415, "Content-Type", "media-type", "Content-Type: must be application/json, was '"
                        + JsonBody.abbreviate(type) + "'").exception();
            }
        }
        if (route.equals(ApiCatalog.CREATE_COLLECTION)) {
            return collections.create(request);
        }
        if (route.equals(ApiCatalog.GET_COLLECTION)) {
            return collections.get(match.parameter("id"));
        }
        if (route.equals(ApiCatalog.RECOLLECT_ORDER)) {
            return collections.recollect(request, match.parameter("market"), match.parameter("orderId"));
        }
        if (route.equals(ApiCatalog.CREATE_ACTION)) {
            return actions.create(request);
        }
        if (route.equals(ApiCatalog.GET_ACTION)) {
            return actions.get(match.parameter("actionId"));
        }
        if (route.equals(ApiCatalog.CREATE_EXPORT)) {
            return jobs.createExport(request);
        }
        if (route.equals(ApiCatalog.GET_JOB)) {
            return jobs.get(match.parameter("id"));
        }
        if (route.equals(ApiCatalog.CREATE_SELLER)) {
            return sellers.create(request);
        }
        if (route.equals(ApiCatalog.LIST_SELLERS)) {
            return sellers.list(request);
        }
        if (route.equals(ApiCatalog.GET_SELLER)) {
            return sellers.get(match.parameter("market"), match.parameter("sellerId"));
        }
        if (route.equals(ApiCatalog.DELETE_SELLER)) {
            return sellers.delete(match.parameter("market"), match.parameter("sellerId"));
        }
        if (route.equals(ApiCatalog.CONNECT_SELLER)) {
            return connections.connect(match.parameter("market"), match.parameter("sellerId"));
        }
        if (route.equals(ApiCatalog.CONNECTION_CALLBACK)) {
            try {
                return connections.callback(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Problem(503, null, "interrupted", "the callback was interrupted; start the consent again").exception();
            }
        }
        if (route.equals(ApiCatalog.LIST_STORED)) {
            return orders.list(request, match.parameter("market"), match.parameter("sellerId"), match.parameter("kind"));
        }
        if (route.equals(ApiCatalog.GET_ORDER)) {
            try {
                return orders.get(request, match.parameter("market"), match.parameter("sellerId"), match.parameter("orderId"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Problem(503, null, "interrupted", "the refresh was interrupted; read the order again").exception();
            }
        }
        throw new IllegalStateException("route " + route + " of the catalog has no endpoint");
    }
}
