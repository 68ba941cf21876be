package io.marketgate.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marketgate.config.ApiCatalog;
import io.marketgate.config.ApiRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The local API Gateway: a real HTTP server on loopback that turns each request into an
 * {@link APIGatewayProxyRequestEvent} as a REST proxy integration builds it (method, path, resource and path
 * parameters of the matching {@link ApiCatalog} route, headers single and multi-valued, query parameters, body, a
 * request id), hands it to a handler, and writes the handler's {@link APIGatewayProxyResponseEvent} back, so that
 * {@code curl} works against the real handler code.
 *
 * <p>Like API Gateway it refuses bodies over 10 MB itself (413), before the handler sees them.
 *
 * <pre>{@code
 * try (LocalHttpFront front = LocalHttpFront.start(0, event -> handler.handleRequest(event, null))) {
 *     URI api = front.uri();   // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class LocalHttpFront implements AutoCloseable {

    /** API Gateway's payload limit for REST APIs. */
    public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler;
    private final List<ApiRoute> routes = ApiCatalog.routes(ApiCatalog.API_HANDLER);

    private LocalHttpFront(HttpServer server, ExecutorService executor,
            Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
    }

    /** Listens on 127.0.0.1:{@code port} (0: a free port) and serves every request with {@code handler}. */
    public static LocalHttpFront start(int port, Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("the local API cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "local-api");
            t.setDaemon(true);
            return t;
        });
        LocalHttpFront front = new LocalHttpFront(server, executor, handler);
        server.createContext("/", front::serve);
        server.setExecutor(executor);
        server.start();
        return front;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                respond(exchange, 413, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"Request Too Long\"}");
                return;
            }
            APIGatewayProxyResponseEvent response;
            try {
                response = handler.apply(toEvent(exchange, body));
            } catch (RuntimeException e) {
                // what API Gateway answers when the integration fails
                respond(exchange, 502, Map.of("Content-Type", "application/json"), "{\"message\": \"Internal server error\"}");
                return;
            }
            Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
            respond(exchange, response.getStatusCode() == null ? 200 : response.getStatusCode(), headers,
                    response.getBody() == null ? "" : response.getBody());
        }
    }

    APIGatewayProxyRequestEvent toEvent(HttpExchange exchange, byte[] body) {
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multi = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multi.put(name, new ArrayList<>(values));
        });
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String requestId = UUID.randomUUID().toString();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(requestId).withHttpMethod(exchange.getRequestMethod()).withPath(path).withStage("local");
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(exchange.getRequestMethod())
                .withPath(path)
                .withHeaders(headers)
                .withMultiValueHeaders(multi)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8))
                .withIsBase64Encoded(false)
                .withRequestContext(context);
        for (ApiRoute route : routes) {
            Map<String, String> parameters = match(route.path(), path);
            if (parameters != null) {
                event.withResource(route.path()).withPathParameters(parameters.isEmpty() ? null : parameters);
                context.withResourcePath(route.path());
                break;
            }
        }
        return event;
    }

    /** The path parameters when {@code path} has the template's shape, else null. */
    private static Map<String, String> match(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}") && !p[i].isEmpty()) {
                parameters.put(t[i].substring(1, t[i].length() - 1), URLDecoder.decode(p[i], StandardCharsets.UTF_8));
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return parameters;
    }

    /** The body, or null when it is over {@link #MAX_PAYLOAD_BYTES}. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        return body.length > MAX_PAYLOAD_BYTES ? null : body;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
