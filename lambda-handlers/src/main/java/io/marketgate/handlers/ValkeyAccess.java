package io.marketgate.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where the limiter's Valkey is when the CDK app deployed it: {@value #CLUSTER} holds the cache's
 * {@code host:port} (ElastiCache's cluster-mode endpoint, TLS), {@value #SECRET} the ARN of the Secrets Manager
 * secret {@code {"username": …, "password": …}} of its RBAC user. The password never sits in an environment variable;
 * a function reads it once, at cold start.
 *
 * <pre>{@code
 * Optional<String> seed = ValkeyAccess.clusterUri(System::getenv, arn -> secrets.getSecretValue(b -> b.secretId(arn)).secretString());
 * // Optional[rediss://marketgate:…@dev-limiter-abc.serverless.apn2.cache.amazonaws.com:6379]
 * }</pre>
 */
public final class ValkeyAccess {

    /** The cache's {@code host:port}. */
    public static final String CLUSTER = "MARKETGATE_VALKEY_CLUSTER";
    /** The ARN of the secret with the RBAC user's {@code username} and {@code password}. */
    public static final String SECRET = "MARKETGATE_VALKEY_SECRET";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ValkeyAccess() {}

    /**
     * The TLS seed URI of the cluster with the user's credentials, or empty when {@value #CLUSTER} is not set.
     *
     * @param variables the process's environment variables
     * @param secretString reads a secret's string by its ARN (Secrets Manager's GetSecretValue)
     * @throws IllegalStateException when the cluster is set without its secret, or the secret lacks a field
     */
    public static Optional<String> clusterUri(Function<String, String> variables, UnaryOperator<String> secretString) {
        String cluster = variables.apply(CLUSTER);
        if (cluster == null || cluster.isBlank()) {
            return Optional.empty();
        }
        String secret = variables.apply(SECRET);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(CLUSTER + " is set but " + SECRET + " is not: Valkey requires its RBAC user");
        }
        JsonNode credentials;
        try {
            credentials = JSON.readTree(secretString.apply(secret));
        } catch (IOException e) {
            throw new UncheckedIOException("the secret " + secret + " is not JSON", e);
        }
        return Optional.of("rediss://" + field(credentials, "username", secret) + ":" + field(credentials, "password", secret)
                + "@" + cluster.strip());
    }

    private static String field(JsonNode credentials, String name, String secret) {
        JsonNode value = credentials.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalStateException("the secret " + secret + " has no text field '" + name + "'");
        }
        return URLEncoder.encode(value.textValue(), StandardCharsets.UTF_8);
    }
}
