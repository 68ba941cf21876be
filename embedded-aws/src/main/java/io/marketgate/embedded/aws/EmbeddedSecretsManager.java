package io.marketgate.embedded.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A Secrets Manager-compatible server inside this JVM, on a free loopback port, in memory: the AWS JSON 1.1 protocol
 * ({@code X-Amz-Target: secretsmanager.<Operation>}) of {@code CreateSecret}, {@code GetSecretValue},
 * {@code PutSecretValue}, {@code DescribeSecret}, {@code DeleteSecret} and {@code ListSecrets}, with Secrets Manager's
 * error types ({@code ResourceNotFoundException}, {@code ResourceExistsException}, {@code InvalidParameterException},
 * {@code InvalidRequestException}), so that the SDK's own client works against it. A secret is found by its name or
 * its ARN; only the current version is kept; a deleted secret is gone at once (no recovery window). It checks no
 * signature. For tests and the local runtime: no open-source Secrets Manager server is published on the registries
 * this project uses.
 *
 * <pre>{@code
 * try (EmbeddedSecretsManager server = EmbeddedSecretsManager.start(); SecretsManagerClient secrets = server.client()) {
 *     String arn = secrets.createSecret(b -> b.name("dev-limiter-valkey").secretString("{…}")).arn();
 * }
 * }</pre>
 */
public final class EmbeddedSecretsManager implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "secretsmanager.";
    private static final String ACCOUNT = "000000000000";
    private static final String SUFFIX_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** By name, in creation order. */
    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    private static final class Secret {
        final String name;
        final String arn;
        final String description;
        final Instant created;
        String versionId;
        String secretString;
        Instant changed;

        Secret(String name, String arn, String description, Instant created) {
            this.name = name;
            this.arn = arn;
            this.description = description;
            this.created = created;
        }
    }

    /** A request the server refuses, as Secrets Manager's error type and message. */
    private static final class Refused extends RuntimeException {
        final String type;

        Refused(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private EmbeddedSecretsManager(HttpServer server, ExecutorService executor, Clock clock) {
        this.server = server;
        this.executor = executor;
        this.clock = clock;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Starts a server on a free loopback port. */
    public static EmbeddedSecretsManager start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "embedded-secrets-manager");
                t.setDaemon(true);
                return t;
            });
            EmbeddedSecretsManager instance = new EmbeddedSecretsManager(server, executor, Clock.systemUTC());
            server.createContext("/", instance::handle);
            server.setExecutor(executor);
            server.start();
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded Secrets Manager", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint an SDK client overrides its own with. */
    public URI endpoint() {
        return endpoint;
    }

    /** A new client of this server (the dummy credentials and region of {@link LocalAws}); the caller closes it. */
    public SecretsManagerClient client() {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
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
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                    throw new Refused("UnknownOperationException", "expected a POST with X-Amz-Target: secretsmanager.<Operation>");
                }
                JsonNode request = readRequest(in);
                body = operation(target.substring(TARGET_PREFIX.length()), request);
                status = 200;
            } catch (Refused e) {
                status = 400;
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
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Refused("SerializationException", "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** One operation, under the server's lock: the store is a plain map. */
    private synchronized ObjectNode operation(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateSecret" -> create(request);
            case "GetSecretValue" -> getValue(request);
            case "PutSecretValue" -> putValue(request);
            case "DescribeSecret" -> describe(request);
            case "DeleteSecret" -> delete(request);
            case "ListSecrets" -> list();
            default -> throw new Refused("UnknownOperationException", "the operation " + operation + " is not supported here");
        };
    }

    private ObjectNode create(JsonNode request) {
        String name = required(request, "Name");
        if (!name.matches("[A-Za-z0-9/_+=.@-]{1,512}")) {
            throw new Refused("InvalidParameterException", "Name '" + name + "' must be 1..512 of letters, digits and /_+=.@-");
        }
        if (secrets.containsKey(name)) {
            throw new Refused("ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
        }
        if (request.hasNonNull("SecretBinary")) {
            throw new Refused("InvalidRequestException", "SecretBinary is not supported here; use SecretString");
        }
        Instant now = clock.instant();
        Secret secret = new Secret(name, "arn:aws:secretsmanager:" + LocalAws.REGION.id() + ":" + ACCOUNT + ":secret:" + name + "-"
                + suffix(), text(request, "Description"), now);
        secrets.put(name, secret);
        ObjectNode response = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
        if (request.hasNonNull("SecretString")) {
            store(secret, request.get("SecretString").asText(), text(request, "ClientRequestToken"));
            response.put("VersionId", secret.versionId);
        }
        return response;
    }

    private ObjectNode getValue(JsonNode request) {
        Secret secret = find(request);
        String versionId = text(request, "VersionId");
        String stage = text(request, "VersionStage");
        if (secret.versionId == null || (versionId != null && !versionId.equals(secret.versionId))
                || (stage != null && !stage.equals("AWSCURRENT"))) {
            throw new Refused("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for "
                    + (versionId != null ? "VersionId: " + versionId : "staging label: " + (stage != null ? stage : "AWSCURRENT")));
        }
        ObjectNode response = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name)
                .put("VersionId", secret.versionId).put("SecretString", secret.secretString)
                .put("CreatedDate", seconds(secret.changed));
        response.putArray("VersionStages").add("AWSCURRENT");
        return response;
    }

    private ObjectNode putValue(JsonNode request) {
        Secret secret = find(request);
        store(secret, required(request, "SecretString"), text(request, "ClientRequestToken"));
        ObjectNode response = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("VersionId", secret.versionId);
        response.putArray("VersionStages").add("AWSCURRENT");
        return response;
    }

    private ObjectNode describe(JsonNode request) {
        return summary(find(request));
    }

    private ObjectNode delete(JsonNode request) {
        Secret secret = find(request);
        secrets.remove(secret.name);
        return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("DeletionDate", seconds(clock.instant()));
    }

    private ObjectNode list() {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("SecretList");
        secrets.values().forEach(s -> list.add(summary(s)));
        return response;
    }

    private static ObjectNode summary(Secret secret) {
        ObjectNode node = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name)
                .put("CreatedDate", seconds(secret.created));
        if (secret.description != null) {
            node.put("Description", secret.description);
        }
        if (secret.changed != null) {
            node.put("LastChangedDate", seconds(secret.changed));
            node.putObject("VersionIdsToStages").putArray(secret.versionId).add("AWSCURRENT");
        }
        return node;
    }

    private void store(Secret secret, String value, String clientRequestToken) {
        secret.secretString = value;
        secret.versionId = clientRequestToken != null ? clientRequestToken : UUID.randomUUID().toString();
        secret.changed = clock.instant();
    }

    /** The secret of the request's {@code SecretId}, by name or by ARN. */
    private Secret find(JsonNode request) {
        String id = required(request, "SecretId");
        Secret byName = secrets.get(id);
        if (byName != null) {
            return byName;
        }
        return secrets.values().stream().filter(s -> s.arn.equals(id)).findFirst()
                .orElseThrow(() -> new Refused("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
    }

    private static String required(JsonNode request, String field) {
        String value = text(request, field);
        if (value == null || value.isEmpty()) {
            throw new Refused("InvalidParameterException", "the parameter " + field + " is missing");
        }
        return value;
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Secrets Manager's timestamps are epoch seconds with a fraction. */
    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    /** The six characters Secrets Manager appends to a secret's name in its ARN. */
    private String suffix() {
        StringBuilder s = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            s.append(SUFFIX_CHARACTERS.charAt(random.nextInt(SUFFIX_CHARACTERS.length())));
        }
        return s.toString();
    }
}
