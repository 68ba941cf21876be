package io.marketgate.handlers.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as the API sees it, whether it came from API Gateway or the local HTTP front.
 *
 * @param method upper-case HTTP method
 * @param path the request path without query ({@code /v1/jobs/j-1})
 * @param headers by name; looked up case-insensitively
 * @param body the body as text, or null when there is none
 * @param requestId the id API Gateway (or the local front) gave the request, for logs
 * @param query the query string's parameters, decoded ({@code market=coupang}); empty when there are none
 */
public record ApiRequest(String method, String path, Map<String, String> headers, String body, String requestId,
        Map<String, String> query) {

    /** A request without query parameters. */
    public ApiRequest(String method, String path, Map<String, String> headers, String body, String requestId) {
        this(method, path, headers, body, requestId, Map.of());
    }

    public ApiRequest {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
        }
        headers = java.util.Collections.unmodifiableMap(copy);
        requestId = requestId == null ? "" : requestId;
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        if (query != null) {
            query.forEach((k, v) -> {
                if (k != null && v != null) {
                    parameters.put(k, v);
                }
            });
        }
        query = java.util.Collections.unmodifiableMap(parameters);
    }

    /** The query parameter's value. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The header's value, case-insensitively. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
