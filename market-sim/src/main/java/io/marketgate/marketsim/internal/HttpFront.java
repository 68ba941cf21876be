package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's one handler: {@code /{market}/…} goes to that market's engine. Routing by the first path segment
 * here, rather than one {@code HttpServer} context per market, because contexts match by string prefix
 * ({@code /coupang} would also catch {@code /coupangx}).
 */
public final class HttpFront implements HttpHandler {

    /** Bodies larger than this are refused: no market request needs more. */
    private static final int MAX_BODY = 64 * 1024;

    private final Map<String, MarketEngine> markets;

    public HttpFront(Map<String, MarketEngine> markets) {
        this.markets = Map.copyOf(markets);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            List<String> segments = new ArrayList<>();
            for (String s : rawPath.split("/")) {
                if (!s.isEmpty()) {
                    segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
            MarketEngine market = segments.isEmpty() ? null : markets.get(segments.get(0));
            if (market == null) {
                ObjectNode body = Json.error("NOT_FOUND", "market", "no market at " + rawPath + "; markets: "
                        + markets.keySet().stream().sorted().toList());
                write(exchange, new SimResponse(404, Map.of(), body));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            String marketPath = afterFirstSegment(rawPath);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            SimRequest req = new SimRequest(
                    exchange.getRequestMethod(),
                    rawPath,
                    marketPath,
                    segments.subList(1, segments.size()),
                    query(exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestURI().getRawQuery(),
                    headers,
                    exchange.getRemoteAddress().getAddress().getHostAddress(),
                    body);
            SimResponse response;
            try {
                response = market.handle(req);
            } catch (RuntimeException e) {
                // a simulator bug must be loud in the test that hit it, not a dropped connection
                response = new SimResponse(500, Map.of(), Json.error("SIMULATOR_BUG", null, e.toString()));
            }
            write(exchange, response);
        }
    }

    /** The raw path after its first non-empty segment (the market's name): what the real market's gateway sees. */
    private static String afterFirstSegment(String rawPath) {
        int start = 0;
        while (start < rawPath.length() && rawPath.charAt(start) == '/') {
            start++;
        }
        int end = rawPath.indexOf('/', start);
        return end < 0 ? "" : rawPath.substring(end);
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? new byte[0] : bytes;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(name, value);
        }
        return q;
    }

    private static void write(HttpExchange exchange, SimResponse response) throws IOException {
        if (response.body() == null && response.bytes() == null) {
            // a redirect (Cafe24's consent page): headers only
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = response.bytes() != null ? response.bytes() : Json.MAPPER.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
