package io.marketgate.market.naver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Naver's endpoints on loopback answering what a test scripts, for classification tests (the simulated market in
 * market-sim plays the whole protocol): each API ({@code token}, {@code last-changed-statuses}, {@code query},
 * {@code dispatch}) answers its scripted answers in order, then its default: a new 3-hour token, an empty list, an
 * empty query, a 404.
 */
final class ScriptedNaver implements AutoCloseable {

    /** One request as the market saw it. */
    record Seen(String method, String api, String rawQuery, String contentType, String authorization, String body) {}

    private record Answer(int status, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Answer>> scripted = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();

    private ScriptedNaver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static ScriptedNaver start() throws IOException {
        return new ScriptedNaver();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/naver/external";
    }

    /** The next request to {@code api} gets this answer; {@code headers} as name, value, name, value. */
    ScriptedNaver answer(String api, int status, String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        scripted.computeIfAbsent(api, a -> new ConcurrentLinkedQueue<>()).add(new Answer(status, body, h));
        return this;
    }

    List<Seen> requests() {
        return List.copyOf(seen);
    }

    List<Seen> requests(String api) {
        return seen.stream().filter(s -> s.api().equals(api)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String api = path.substring(path.lastIndexOf('/') + 1);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), api, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"), body));
            Queue<Answer> queue = scripted.get(api);
            Answer next = queue == null ? null : queue.poll();
            if (next == null) {
                next = switch (api) {
                    case "token" -> new Answer(200, "{\"access_token\":\"tok-" + tokens.incrementAndGet()
                            + "\",\"expires_in\":10800,\"token_type\":\"Bearer\"}", Map.of());
                    case "last-changed-statuses" -> new Answer(200, "{\"timestamp\":\"2026-11-01T09:00:00.000+09:00\","
                            + "\"traceId\":\"t-1\",\"data\":{\"lastChangeStatuses\":[],\"count\":0}}", Map.of());
                    case "query" -> new Answer(200, "{\"timestamp\":\"2026-11-01T09:00:00.000+09:00\",\"traceId\":\"t-2\",\"data\":[]}", Map.of());
                    default -> new Answer(404, "{\"code\":\"GW.NOT_FOUND\",\"message\":\"no such API\"}", Map.of());
                };
            }
            next.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] bytes = next.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", next.body().startsWith("<") ? "text/html" : "application/json");
            exchange.sendResponseHeaders(next.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
