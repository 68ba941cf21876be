package io.marketgate.embedded.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side of an embedded AWS JSON 1.1 service ({@code POST} with {@code X-Amz-Target: <prefix><Operation>},
 * {@code application/x-amz-json-1.1}) on a free loopback port, served by one daemon thread: it reads the request's
 * JSON object, hands the operation's name and request to the service, and answers its JSON, or the error of a
 * {@link Refused} as AWS answers one ({@code __type}, {@code message}, {@code x-amzn-ErrorType}). The services
 * ({@link EmbeddedEventBridge}, {@link EmbeddedSecretsManager}) keep only their operations.
 */
final class AwsJsonServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service's operations: the answer to one request, or a {@link Refused}. */
    @FunctionalInterface
    interface Operations {
        ObjectNode answer(String operation, JsonNode request);
    }

    /** A request the service refuses, as the service's error type, message and HTTP status (400 unless told). */
    static final class Refused extends RuntimeException {
        final String type;
        final int status;

        Refused(String type, String message) {
            this(400, type, message);
        }

        Refused(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    private final String targetPrefix;
    private final Operations operations;

    private AwsJsonServer(HttpServer server, ExecutorService executor, String targetPrefix, Operations operations) {
        this.server = server;
        this.executor = executor;
        this.targetPrefix = targetPrefix;
        this.operations = operations;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @param targetPrefix the {@code X-Amz-Target} before the operation's name, e.g. {@code AWSEvents.}
     * @param threadName the name of the thread that serves the requests
     * @param service the service's name in the error of a failed start
     */
    static AwsJsonServer start(String targetPrefix, String threadName, String service, Operations operations) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            AwsJsonServer instance = new AwsJsonServer(server, executor, targetPrefix, operations);
            server.createContext("/", instance::handle);
            server.setExecutor(executor);
            server.start();
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded " + service, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint an SDK client overrides its own with. */
    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status;
        ObjectNode body;
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(targetPrefix)) {
                    throw new Refused("UnknownOperationException", "expected a POST with X-Amz-Target: " + targetPrefix
                            + "<Operation>");
                }
                JsonNode request = readRequest(in);
                body = operations.answer(target.substring(targetPrefix.length()), request);
                status = 200;
            } catch (Refused e) {
                status = e.status;
                body = JSON.createObjectNode().put("__type", e.type).put("message", e.getMessage());
                exchange.getResponseHeaders().add("x-amzn-ErrorType", e.type);
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static JsonNode readRequest(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new Refused("SerializationException", "the request body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new Refused("SerializationException", "the request body is not JSON: " + e.getOriginalMessage());
        }
    }
}
