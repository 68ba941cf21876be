package io.marketgate.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One route of the public API, as API Gateway names it: an HTTP method and a resource path whose variable
 * segments are written {@code {name}}.
 *
 * <pre>{@code
 * ApiRoute route = ApiRoute.parse("POST /v1/collections");
 * route.method();   // "POST"
 * route.path();     // "/v1/collections"
 * }</pre>
 *
 * @param method upper-case HTTP method: GET, POST, PUT, PATCH or DELETE
 * @param path starts with '/', segments of letters, digits, '-', '_', '.' or one {@code {variable}}; no trailing '/'
 */
public record ApiRoute(String method, String path) {

    private static final Pattern METHOD = Pattern.compile("GET|POST|PUT|PATCH|DELETE");
    private static final Pattern PATH = Pattern.compile("(/([A-Za-z0-9._-]+|\\{[A-Za-z][A-Za-z0-9]*\\}))+");

    public ApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException("route method must be one of GET, POST, PUT, PATCH, DELETE (upper case), was '" + method + "'");
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("route path must start with '/' and have segments of letters, digits, '-', '_', '.'"
                    + " or one {variable}, without a trailing '/', was '" + path + "'");
        }
    }

    /** Reads {@code "METHOD /path"} (one space); the method may be in any case. */
    public static ApiRoute parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.trim().split(" +");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a route is written 'METHOD /path' (for example 'POST /v1/collections'), was '" + text + "'");
        }
        return new ApiRoute(parts[0].toUpperCase(Locale.ROOT), parts[1]);
    }

    /** {@code "METHOD /path"}, what {@link #parse} reads. */
    @Override
    public String toString() {
        return method + " " + path;
    }
}
