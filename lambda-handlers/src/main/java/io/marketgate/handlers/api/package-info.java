/**
 * The HTTP API behind {@link io.marketgate.handlers.ApiHandler}: {@link io.marketgate.handlers.api.ApiRouter} finds the
 * route among {@link io.marketgate.config.ApiCatalog}'s, {@link io.marketgate.handlers.api.ApiService} checks size and
 * media type and calls the endpoint, {@link io.marketgate.handlers.api.JsonBody} reads bodies strictly, and every
 * rejection is a {@link io.marketgate.handlers.api.Problem} (RFC 9457) naming the field and the rule. Endpoints validate
 * the whole request before they write or send anything.
 *
 * <pre>{@code
 * ApiService api = new ApiService(ApiDependencies.fromVariables(System::getenv, true));
 * ApiResponse r = api.handle(new ApiRequest("POST", "/v1/collections", Map.of("Content-Type", "application/json"), body, id));
 * }</pre>
 */
package io.marketgate.handlers.api;
