package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.marketgate.handlers.api.ApiDependencies;
import io.marketgate.handlers.api.ApiRequest;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.api.ApiService;
import io.marketgate.handlers.observability.RecordContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The Lambda entry point of the HTTP API ({@code io.marketgate.handlers.ApiHandler::handleRequest}) behind an API
 * Gateway REST proxy integration: turns the proxy event into an {@link ApiRequest}, lets {@link ApiService} answer it,
 * and maps the answer back. The routes are {@link io.marketgate.config.ApiCatalog#routes ApiCatalog.routes("api")}.
 *
 * <p>Environment variables: those of {@link HandlerDependencies#fromEnvironment()} ({@code MARKETGATE_ENV} or
 * {@code MARKETGATE_CONFIG}, {@code MARKETGATE_TABLE_ORDERS|REQUESTS|SELLERS|IDEMPOTENCY},
 * {@code MARKETGATE_QUEUE_<MARKET>_COLLECT|ACTIONS}; {@code MARKETGATE_VALKEY_URL} is not used by the API) and
 * {@code MARKETGATE_JOBS_TABLE}, {@code MARKETGATE_EXPORT_BUCKET}, {@code MARKETGATE_JOB_WORKER_FUNCTION} (see
 * {@link ApiDependencies#fromVariables}).
 */
public final class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, org.crac.Resource {

    private final SnapshotLifecycle<ServiceParts<ApiService>> parts;

    /**
     * The real Lambda's: {@link ApiDependencies#fromVariables} of the process's environment, made again after each
     * SnapStart restore (the hooks are registered: {@link SnapshotLifecycle}).
     */
    public ApiHandler() {
        this(() -> ApiDependencies.fromVariables(System::getenv, true));
        parts.register();
    }

    public ApiHandler(ApiDependencies deps) {
        this.parts = SnapshotLifecycle.of("api", () -> ServiceParts.borrowing(new ApiService(deps)),
                ServiceParts::prime, ServiceParts::connect);
        parts.get();
    }

    /** With dependencies that {@code dependencies} makes now and again after each restore, closed before a checkpoint. */
    public ApiHandler(java.util.function.Supplier<ApiDependencies> dependencies) {
        this.parts = SnapshotLifecycle.of("api", () -> {
            ApiDependencies deps = dependencies.get();
            return new ServiceParts<>(new ApiService(deps), deps);
        }, ServiceParts::prime, ServiceParts::connect);
        parts.get();
    }

    /** Primes, then closes and drops the dependencies (see {@link SnapshotLifecycle#beforeCheckpoint}). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) throws Exception {
        parts.beforeCheckpoint(context);
    }

    /** Makes the dependencies again (see {@link SnapshotLifecycle#afterRestore}). */
    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        parts.afterRestore(context);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = event.getRequestContext() != null && event.getRequestContext().getRequestId() != null
                ? event.getRequestContext().getRequestId()
                : context != null ? context.getAwsRequestId() : "";
        try (RecordContext ctx = RecordContext.forMessage(null)) {
            ctx.put("requestId", requestId).put("route", event.getHttpMethod() + " " + event.getPath());
            ApiResponse response = parts.get().service().handle(toRequest(event, requestId));
            return new APIGatewayProxyResponseEvent().withStatusCode(response.status())
                    .withHeaders(new HashMap<>(response.headers())).withBody(response.body()).withIsBase64Encoded(false);
        }
    }

    /** The proxy event as the service sees it; a base64-encoded body is decoded as UTF-8. */
    public static ApiRequest toRequest(APIGatewayProxyRequestEvent event, String requestId) {
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        String body = event.getBody();
        if (body != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                body = "\u0000not base64";
            }
        }
        return new ApiRequest(event.getHttpMethod(), event.getPath(), headers, body, requestId,
                event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters());
    }
}
