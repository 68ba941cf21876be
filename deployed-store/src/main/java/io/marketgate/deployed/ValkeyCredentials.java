package io.marketgate.deployed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The limiter cluster's RBAC user, as the CDK app keeps it in Secrets Manager: {@code {"username": …, "password": …}}.
 * The password is never shown: not by {@link #toString()}, not in an error.
 */
public record ValkeyCredentials(String username, String password) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ValkeyCredentials {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a Valkey user needs a name and a password");
        }
    }

    /**
     * Reads the secret {@code secretId} (a name or an ARN) once.
     *
     * @throws IllegalStateException naming the secret and what is wrong with it: unreadable, not JSON, a field missing
     */
    public static ValkeyCredentials fromSecret(String secretId, SecretsManagerClient secrets) {
        String value;
        try {
            value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read the Valkey user's secret " + secretId + " from Secrets Manager: "
                    + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalStateException("the secret " + secretId + " has no string value; expected {\"username\": …, \"password\": …}");
        }
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            // no cause and no excerpt: the parser's message would quote the secret's text
            throw new IllegalStateException("the secret " + secretId + " is not JSON; expected {\"username\": …, \"password\": …}");
        }
        return new ValkeyCredentials(field(json, "username", secretId), field(json, "password", secretId));
    }

    private static String field(JsonNode json, String name, String secretId) {
        JsonNode value = json == null ? null : json.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalStateException("the secret " + secretId + " has no text field '" + name + "'");
        }
        return value.textValue();
    }

    @Override
    public String toString() {
        return "ValkeyCredentials[username=" + username + ", password=***]";
    }
}
