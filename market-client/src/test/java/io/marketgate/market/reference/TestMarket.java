package io.marketgate.market.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small market on loopback that speaks the reference REST protocol (for these tests only; the full simulated markets
 * live in their own module): orders per seller, cursor pagination, the maximum range per call, shipments with 409 on
 * a repeat, and scripted answers (a 429, a throttle code, a hang) for the next requests.
 */
public final class TestMarket implements AutoCloseable {

    public static final String API_KEY = "test-key-7f3a9c";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the market saw it. */
    public record Seen(String method, String path, Map<String, String> query, String apiKey, String body) {}

    private record Scripted(int status, String body, Map<String, String> headers, boolean hang) {}

    private record StoredOrder(String sellerId, String orderId, Instant updatedAt) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<StoredOrder> orders = new CopyOnWriteArrayList<>();
    private final Queue<Scripted> scripted = new ConcurrentLinkedQueue<>();
    private final Set<String> shipped = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Duration maxRange;

    private TestMarket(Duration maxRange) throws IOException {
        this.maxRange = maxRange;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A market that accepts ranges of up to {@code maxRange} per call. */
    public static TestMarket start(Duration maxRange) throws IOException {
        return new TestMarket(maxRange);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/shop";
    }

    public void addOrder(String sellerId, String orderId, Instant updatedAt) {
        orders.add(new StoredOrder(sellerId, orderId, updatedAt));
    }

    /** The next request gets this answer instead of the protocol's; {@code headers} as name, value, name, value. */
    public void respondNext(int status, String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        scripted.add(new Scripted(status, body, h, false));
    }

    /** The next request gets no answer until the market is closed. */
    public void hangNext() {
        scripted.add(new Scripted(0, "", Map.of(), true));
    }

    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            seen.add(new Seen(exchange.getRequestMethod(), path, query, exchange.getRequestHeaders().getFirst("X-Api-Key"), body));
            Scripted next = scripted.poll();
            if (next != null) {
                if (next.hang()) {
                    release.await(30, TimeUnit.SECONDS);
                    return;
                }
                next.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, next.status(), next.body());
                return;
            }
            if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
                send(exchange, 401, "{\"code\":\"UNAUTHORIZED\",\"message\":\"unknown API key\"}");
                return;
            }
            String[] parts = path.split("/"); // "", shop, v1, sellers, {id}, orders[, {orderId}, shipments]
            if (parts.length == 6 && exchange.getRequestMethod().equals("GET") && parts[5].equals("orders")) {
                list(exchange, parts[4], query);
            } else if (parts.length == 8 && exchange.getRequestMethod().equals("POST") && parts[7].equals("shipments")) {
                JsonCheck shipment = JsonCheck.of(body);
                if (!shipment.hasText("carrier") || !shipment.hasText("trackingNumber")) {
                    send(exchange, 400, "{\"message\":\"carrier and trackingNumber are required\"}");
                } else {
                    send(exchange, shipped.add(parts[4] + "/" + parts[6]) ? 201 : 409, "{}");
                }
            } else {
                send(exchange, 404, "{\"message\":\"no route\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void list(HttpExchange exchange, String sellerId, Map<String, String> q) throws IOException {
        Instant from;
        Instant to;
        try {
            from = Instant.parse(q.getOrDefault("from", ""));
            to = Instant.parse(q.getOrDefault("to", ""));
        } catch (DateTimeParseException e) {
            send(exchange, 400, "{\"message\":\"from and to must be ISO-8601\"}");
            return;
        }
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(maxRange) > 0) {
            send(exchange, 400, "{\"message\":\"range must be positive and at most " + maxRange + "\"}");
            return;
        }
        int size = Integer.parseInt(q.getOrDefault("size", "50"));
        String cursor = q.get("cursor");
        int offset = cursor == null ? 0 : Integer.parseInt(cursor.substring("at:".length()));
        List<StoredOrder> matching = new ArrayList<>(orders.stream()
                .filter(o -> o.sellerId().equals(sellerId) && !o.updatedAt().isBefore(from) && o.updatedAt().isBefore(to))
                .sorted(Comparator.comparing(StoredOrder::updatedAt).thenComparing(StoredOrder::orderId))
                .toList());
        ObjectNode response = JSON.createObjectNode();
        ArrayNode page = response.putArray("orders");
        for (StoredOrder o : matching.subList(Math.min(offset, matching.size()), Math.min(offset + size, matching.size()))) {
            page.addObject().put("orderId", o.orderId()).put("status", "PAID").put("updatedAt", o.updatedAt().toString())
                    .put("buyer", "b-" + o.orderId());
        }
        if (offset + size < matching.size()) {
            response.put("nextCursor", "at:" + (offset + size)); // ':' checks that the client encodes the cursor
        } else {
            response.putNull("nextCursor");
        }
        send(exchange, 200, response.toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private record JsonCheck(com.fasterxml.jackson.databind.JsonNode node) {
        static JsonCheck of(String body) {
            try {
                return new JsonCheck(JSON.readTree(body));
            } catch (IOException e) {
                return new JsonCheck(JSON.createObjectNode());
            }
        }

        boolean hasText(String field) {
            return node != null && node.path(field).isTextual() && !node.path(field).textValue().isBlank();
        }
    }
}
