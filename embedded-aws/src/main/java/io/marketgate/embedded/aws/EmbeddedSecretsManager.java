package io.marketgate.embedded.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.embedded.aws.AwsJsonServer.Refused;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A Secrets Manager-compatible server inside this JVM, on a free loopback port, in memory: the AWS JSON 1.1 protocol
 * ({@code X-Amz-Target: secretsmanager.<Operation>}) of {@code CreateSecret} (with tags), {@code GetSecretValue},
 * {@code PutSecretValue}, {@code DescribeSecret}, {@code UpdateSecretVersionStage}, {@code TagResource},
 * {@code DeleteSecret}, {@code RestoreSecret} and {@code ListSecrets}, with Secrets Manager's error types
 * ({@code ResourceNotFoundException}, {@code ResourceExistsException}, {@code InvalidParameterException},
 * {@code InvalidRequestException}), so that the SDK's own client works against it. A secret is found by its name or
 * its ARN. Versions carry the staging labels as Secrets Manager moves them: a new value becomes {@code AWSCURRENT} and
 * the one before {@code AWSPREVIOUS}; older versions are dropped. {@code DeleteSecret} schedules the deletion after its
 * recovery window (7 to 30 days, 30 by default) as Secrets Manager does: until {@code RestoreSecret}, the secret's value
 * cannot be read or written and its name cannot be created again; only {@code ForceDeleteWithoutRecovery} removes it
 * at once. Scheduled deletions are never carried out (a server lives for a test or a local run). It checks no
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
    private static final String CURRENT = "AWSCURRENT";
    private static final String PREVIOUS = "AWSPREVIOUS";
    private static final int DEFAULT_RECOVERY_DAYS = 30;

    private final AwsJsonServer server;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** By name, in creation order. */
    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    private static final class Version {
        final String id;
        final String secretString;
        final Instant created;
        final Set<String> stages = new LinkedHashSet<>();

        Version(String id, String secretString, Instant created) {
            this.id = id;
            this.secretString = secretString;
            this.created = created;
        }
    }

    private static final class Secret {
        final String name;
        final String arn;
        final String description;
        final Instant created;
        /** By version id, oldest first. */
        final Map<String, Version> versions = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        Instant changed;
        /** When a scheduled deletion takes effect; null while the secret is not scheduled for deletion. */
        Instant deletionDate;

        Secret(String name, String arn, String description, Instant created) {
            this.name = name;
            this.arn = arn;
            this.description = description;
            this.created = created;
        }

        Version withStage(String stage) {
            return versions.values().stream().filter(v -> v.stages.contains(stage)).findFirst().orElse(null);
        }
    }

    private EmbeddedSecretsManager(Clock clock) {
        this.clock = clock;
        this.server = AwsJsonServer.start(TARGET_PREFIX, "embedded-secrets-manager", "Secrets Manager", this::operation);
    }

    /** Starts a server on a free loopback port. */
    public static EmbeddedSecretsManager start() {
        return new EmbeddedSecretsManager(Clock.systemUTC());
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint an SDK client overrides its own with. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** A new client of this server (the dummy credentials and region of {@link LocalAws}); the caller closes it. */
    public SecretsManagerClient client() {
        return SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(LocalAws.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Override
    public void close() {
        server.close();
    }

    /** One operation, under the server's lock: the store is a plain map. */
    private synchronized ObjectNode operation(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateSecret" -> create(request);
            case "GetSecretValue" -> getValue(request);
            case "PutSecretValue" -> putValue(request);
            case "DescribeSecret" -> describe(request);
            case "UpdateSecretVersionStage" -> updateStage(request);
            case "TagResource" -> tag(request);
            case "DeleteSecret" -> delete(request);
            case "RestoreSecret" -> restore(request);
            case "ListSecrets" -> list(request);
            default -> throw new Refused("UnknownOperationException", "the operation " + operation + " is not supported here");
        };
    }

    private ObjectNode create(JsonNode request) {
        String name = required(request, "Name");
        if (!name.matches("[A-Za-z0-9/_+=.@-]{1,512}")) {
            throw new Refused("InvalidParameterException", "Name '" + name + "' must be 1..512 of letters, digits and /_+=.@-");
        }
        Secret existing = secrets.get(name);
        if (existing != null && existing.deletionDate != null) {
            throw new Refused("InvalidRequestException", "You can't create this secret because a secret with this name is "
                    + "already scheduled for deletion.");
        }
        if (existing != null) {
            throw new Refused("ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
        }
        if (request.hasNonNull("SecretBinary")) {
            throw new Refused("InvalidRequestException", "SecretBinary is not supported here; use SecretString");
        }
        Map<String, String> tags = tags(request);
        Instant now = clock.instant();
        Secret secret = new Secret(name, "arn:aws:secretsmanager:" + LocalAws.REGION.id() + ":" + ACCOUNT + ":secret:" + name + "-"
                + suffix(), text(request, "Description"), now);
        secret.tags.putAll(tags);
        secrets.put(name, secret);
        ObjectNode response = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
        if (request.hasNonNull("SecretString")) {
            Version v = store(secret, request.get("SecretString").asText(), text(request, "ClientRequestToken"));
            response.put("VersionId", v.id);
        }
        return response;
    }

    private ObjectNode getValue(JsonNode request) {
        Secret secret = find(request);
        refuseIfDeleted(secret);
        String versionId = text(request, "VersionId");
        String stage = text(request, "VersionStage");
        Version version = versionId != null ? secret.versions.get(versionId) : secret.withStage(stage != null ? stage : CURRENT);
        if (version == null || (stage != null && !version.stages.contains(stage))) {
            throw new Refused("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for "
                    + (versionId != null ? "VersionId: " + versionId : "staging label: " + (stage != null ? stage : CURRENT)));
        }
        ObjectNode response = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name)
                .put("VersionId", version.id).put("SecretString", version.secretString)
                .put("CreatedDate", seconds(version.created));
        ArrayNode stages = response.putArray("VersionStages");
        version.stages.forEach(stages::add);
        return response;
    }

    private ObjectNode putValue(JsonNode request) {
        Secret secret = find(request);
        refuseIfDeleted(secret);
        Version v = store(secret, required(request, "SecretString"), text(request, "ClientRequestToken"));
        ObjectNode response = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("VersionId", v.id);
        ArrayNode stages = response.putArray("VersionStages");
        v.stages.forEach(stages::add);
        return response;
    }

    private ObjectNode describe(JsonNode request) {
        return summary(find(request));
    }

    /**
     * Moves a staging label to {@code MoveToVersionId}, from {@code RemoveFromVersionId} (which must hold it when another
     * version does); moving {@code AWSCURRENT} gives {@code AWSPREVIOUS} to the version that had it, as Secrets Manager does.
     */
    private ObjectNode updateStage(JsonNode request) {
        Secret secret = find(request);
        refuseIfDeleted(secret);
        String stage = required(request, "VersionStage");
        String moveTo = text(request, "MoveToVersionId");
        String removeFrom = text(request, "RemoveFromVersionId");
        Version holder = secret.withStage(stage);
        if (holder != null && !holder.id.equals(moveTo) && !holder.id.equals(removeFrom)) {
            throw new Refused("InvalidParameterException", "The parameter RemoveFromVersionId must name the version " + holder.id
                    + ", which has the staging label " + stage + ".");
        }
        if (moveTo != null && !secret.versions.containsKey(moveTo)) {
            throw new Refused("ResourceNotFoundException", "Secrets Manager can't find the specified secret version " + moveTo + ".");
        }
        if (removeFrom != null) {
            Version from = secret.versions.get(removeFrom);
            if (from == null || !from.stages.contains(stage)) {
                throw new Refused("InvalidParameterException", "The version " + removeFrom + " does not have the staging label " + stage + ".");
            }
            from.stages.remove(stage);
        }
        if (moveTo != null) {
            if (stage.equals(CURRENT) && holder != null && !holder.id.equals(moveTo)) {
                Version previous = secret.withStage(PREVIOUS);
                if (previous != null) {
                    previous.stages.remove(PREVIOUS);
                }
                holder.stages.add(PREVIOUS);
            }
            secret.versions.get(moveTo).stages.add(stage);
        }
        dropUnlabelled(secret);
        secret.changed = clock.instant();
        return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
    }

    private ObjectNode tag(JsonNode request) {
        Secret secret = find(request);
        secret.tags.putAll(tags(request));
        return JSON.createObjectNode();
    }

    private ObjectNode delete(JsonNode request) {
        boolean force = request.path("ForceDeleteWithoutRecovery").asBoolean(false);
        JsonNode window = request.get("RecoveryWindowInDays");
        if (force && window != null && !window.isNull()) {
            throw new Refused("InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        if (force) {
            // forcing the deletion of a secret that does not exist is no error
            String id = required(request, "SecretId");
            Secret secret = lookup(id);
            if (secret != null) {
                secrets.remove(secret.name);
            }
            String name = secret != null ? secret.name : id;
            ObjectNode response = JSON.createObjectNode().put("Name", name).put("DeletionDate", seconds(clock.instant()));
            if (secret != null) {
                response.put("ARN", secret.arn);
            }
            return response;
        }
        long days = window == null || window.isNull() ? DEFAULT_RECOVERY_DAYS : window.asLong();
        if (days < 7 || days > 30) {
            throw new Refused("InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        Secret secret = find(request);
        if (secret.deletionDate != null) {
            throw new Refused("InvalidRequestException", "You can't perform this operation on the secret because it was already "
                    + "scheduled for deletion.");
        }
        secret.deletionDate = clock.instant().plus(Duration.ofDays(days));
        return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("DeletionDate", seconds(secret.deletionDate));
    }

    private ObjectNode restore(JsonNode request) {
        Secret secret = find(request);
        secret.deletionDate = null;
        return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
    }

    private ObjectNode list(JsonNode request) {
        boolean planned = request.path("IncludePlannedDeletion").asBoolean(false);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("SecretList");
        secrets.values().stream().filter(s -> planned || s.deletionDate == null).forEach(s -> list.add(summary(s)));
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
        }
        if (secret.deletionDate != null) {
            node.put("DeletedDate", seconds(secret.deletionDate));
        }
        if (!secret.tags.isEmpty()) {
            ArrayNode tags = node.putArray("Tags");
            secret.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
        }
        if (!secret.versions.isEmpty()) {
            ObjectNode stages = node.putObject("VersionIdsToStages");
            secret.versions.values().forEach(v -> {
                ArrayNode labels = stages.putArray(v.id);
                v.stages.forEach(labels::add);
            });
        }
        return node;
    }

    /** A new version with {@code AWSCURRENT}; the version that had it becomes {@code AWSPREVIOUS}. */
    private Version store(Secret secret, String value, String clientRequestToken) {
        String id = clientRequestToken != null ? clientRequestToken : UUID.randomUUID().toString();
        Version same = secret.versions.get(id);
        if (same != null) {
            // a repeated request (the SDK's retry with the same token) is one version, as Secrets Manager makes it
            if (!same.secretString.equals(value)) {
                throw new Refused("ResourceExistsException", "A version with this ClientRequestToken already exists with another value.");
            }
            return same;
        }
        Version version = new Version(id, value, clock.instant());
        Version current = secret.withStage(CURRENT);
        if (current != null) {
            Version previous = secret.withStage(PREVIOUS);
            if (previous != null) {
                previous.stages.remove(PREVIOUS);
            }
            current.stages.remove(CURRENT);
            current.stages.add(PREVIOUS);
        }
        version.stages.add(CURRENT);
        secret.versions.put(id, version);
        dropUnlabelled(secret);
        secret.changed = version.created;
        return version;
    }

    /** Versions without a staging label are deprecated; Secrets Manager removes them in the background. */
    private static void dropUnlabelled(Secret secret) {
        secret.versions.values().removeIf(v -> v.stages.isEmpty());
    }

    private static void refuseIfDeleted(Secret secret) {
        if (secret.deletionDate != null) {
            throw new Refused("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");
        }
    }

    private static Map<String, String> tags(JsonNode request) {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode list = request.get("Tags");
        if (list == null || list.isNull()) {
            return tags;
        }
        if (!list.isArray()) {
            throw new Refused("InvalidParameterException", "Tags must be a list of {Key, Value}");
        }
        for (JsonNode tag : list) {
            String key = text(tag, "Key");
            if (key == null || key.isEmpty()) {
                throw new Refused("InvalidParameterException", "a tag's Key is missing");
            }
            tags.put(key, text(tag, "Value") == null ? "" : text(tag, "Value"));
        }
        return tags;
    }

    /** The secret of the request's {@code SecretId}, by name or by ARN. */
    private Secret find(JsonNode request) {
        Secret secret = lookup(required(request, "SecretId"));
        if (secret == null) {
            throw new Refused("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        return secret;
    }

    private Secret lookup(String id) {
        Secret byName = secrets.get(id);
        if (byName != null) {
            return byName;
        }
        return secrets.values().stream().filter(s -> s.arn.equals(id)).findFirst().orElse(null);
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
