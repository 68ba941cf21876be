package io.marketgate.sellers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.market.auth.Credentials;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * The sellers' credentials in AWS Secrets Manager: ONE secret per seller and market, named
 * {@code <env>/marketgate/sellers/<market>/<sellerId>}, whose value is the JSON object of every credential field, and
 * tagged with the market, the seller and the environment. The name's prefix per market is what IAM grants: a market's
 * collector and actions functions read {@code <env>/marketgate/sellers/<market>/*} and nothing else.
 *
 * <pre>{@code
 * SellerCredentialStore store = new SellerCredentialStore(secretsManager, "prod", SecretDeletion.DEFAULT);
 * SellerCredentialStore.Written w = store.put("coupang", "seller-1", credentials);
 * Optional<StoredCredentials> c = store.get("coupang", "seller-1", schema);
 * }</pre>
 *
 * <p>A put creates the secret, or gives an existing one a new current value (restoring it first when a removal had
 * scheduled its deletion), and returns what {@link #undo} needs to put things back as they were. Errors name the
 * secret and Secrets Manager's error, never a value.
 */
public final class SellerCredentialStore {

    private static final Logger log = LoggerFactory.getLogger(SellerCredentialStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "AWSCURRENT";
    /** What the parts of a name may be: Secrets Manager's name characters without '/', which separates them. */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_+=.@-]{1,128}");

    /** How a {@link #put} changed the store, for {@link #undo}. */
    public enum Change {
        /** The secret did not exist: undone by deleting it at once. */
        CREATED,
        /** The secret had a current value: undone by making that value current again. */
        REPLACED,
        /** The secret was scheduled for deletion and was restored: undone by the value before and a new deletion. */
        RESTORED
    }

    /**
     * What a {@link #put} did.
     *
     * @param secretName the secret
     * @param versionId the version of the new value
     * @param change how the store changed
     * @param replacedVersion the version that was current before, when there was one
     */
    public record Written(String secretName, String versionId, Change change, Optional<String> replacedVersion) {}

    /**
     * A deleted secret.
     *
     * @param secretName the secret
     * @param recoverableUntil until when {@code aws secretsmanager restore-secret} can bring it back; empty when it was
     *     deleted at once
     */
    public record Deleted(String secretName, Optional<Instant> recoverableUntil) {}

    private final SecretsManagerClient client;
    private final String environment;
    private final SecretDeletion deletion;

    public SellerCredentialStore(SecretsManagerClient client, String environment, SecretDeletion deletion) {
        this.client = Objects.requireNonNull(client, "client");
        this.environment = part("environment", environment);
        this.deletion = Objects.requireNonNull(deletion, "deletion");
    }

    /** {@code <env>/marketgate/sellers/<market>/}: the prefix of a market's secrets, for IAM policies. */
    public static String secretPrefix(String environment, String market) {
        return part("environment", environment) + "/marketgate/sellers/" + part("market", market) + "/";
    }

    /** {@code <env>/marketgate/sellers/<market>/<sellerId>}. */
    public static String secretName(String environment, String market, String sellerId) {
        return secretPrefix(environment, market) + part("sellerId", sellerId);
    }

    /** The secret of {@code sellerId} at {@code market} in this store's environment. */
    public String secretName(String market, String sellerId) {
        return secretName(environment, market, sellerId);
    }

    public SecretDeletion deletion() {
        return deletion;
    }

    /**
     * Makes {@code credentials} the current value of the seller's secret: creates the secret (tagged), or puts a new
     * value into the existing one, restoring it first when its deletion was scheduled.
     *
     * @throws SellerStoreException naming the secret when Secrets Manager fails or refuses; nothing is then changed
     */
    public Written put(String market, String sellerId, Credentials credentials) {
        String name = secretName(market, sellerId);
        String value = json(credentials);
        Optional<DescribeSecretResponse> existing = describe(name);
        try {
            if (existing.isEmpty()) {
                String version = client.createSecret(b -> b.name(name).secretString(value)
                        .description("marketgate credentials of seller " + sellerId + " at " + market)
                        .tags(tag("marketgate:environment", environment), tag("marketgate:market", market),
                                tag("marketgate:seller", sellerId))).versionId();
                log.info("created the secret {}", name);
                return new Written(name, version, Change.CREATED, Optional.empty());
            }
            Optional<String> current = currentVersion(existing.get());
            boolean scheduled = existing.get().deletedDate() != null;
            if (scheduled) {
                client.restoreSecret(b -> b.secretId(name));
                log.info("restored the secret {}, whose deletion was scheduled", name);
            }
            String version = client.putSecretValue(b -> b.secretId(name).secretString(value)).versionId();
            log.info("put a new value into the secret {}", name);
            return new Written(name, version, scheduled ? Change.RESTORED : Change.REPLACED, current);
        } catch (SdkException e) {
            throw failed("writing the secret " + name, e);
        }
    }

    /**
     * Puts the store back as it was before {@code written}'s put: deletes a created secret at once, makes the value
     * before current again, and schedules a restored secret's deletion anew.
     *
     * @throws SellerStoreException naming the secret when Secrets Manager fails
     */
    public void undo(Written written) {
        String name = written.secretName();
        try {
            switch (written.change()) {
                case CREATED -> client.deleteSecret(b -> b.secretId(name).forceDeleteWithoutRecovery(true));
                case REPLACED, RESTORED -> {
                    if (written.replacedVersion().isPresent()) {
                        client.updateSecretVersionStage(b -> b.secretId(name).versionStage(CURRENT)
                                .moveToVersionId(written.replacedVersion().get()).removeFromVersionId(written.versionId()));
                    }
                    if (written.change() == Change.RESTORED) {
                        deleteSecret(name);
                    }
                }
            }
            log.info("undid the {} of the secret {}", written.change().name().toLowerCase(java.util.Locale.ROOT), name);
        } catch (SdkException e) {
            throw failed("undoing the " + written.change().name().toLowerCase(java.util.Locale.ROOT) + " of the secret " + name, e);
        }
    }

    /**
     * The seller's current credentials, checked against {@code schema}; empty when none are stored (no secret, or its
     * deletion is scheduled).
     *
     * @throws SellerStoreException when Secrets Manager fails, or the secret does not hold credentials of the schema
     *     (the message names the field, not the value)
     */
    public Optional<StoredCredentials> get(String market, String sellerId, CredentialSchema schema) {
        String name = secretName(market, sellerId);
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(b -> b.secretId(name));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (InvalidRequestException e) {
            // scheduled for deletion: removed as far as the platform is concerned
            return Optional.empty();
        } catch (SdkException e) {
            throw failed("reading the secret " + name, e);
        }
        Map<String, String> fields;
        try {
            fields = JSON.readValue(response.secretString() == null ? "" : response.secretString(), new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            // the parser's message quotes the text it stumbled on: never passed on
            throw new SellerStoreException("the secret " + name + " is not a JSON object of text fields");
        }
        if (fields == null) {
            throw new SellerStoreException("the secret " + name + " is not a JSON object of text fields");
        }
        try {
            return Optional.of(new StoredCredentials(schema.validate(fields), response.versionId()));
        } catch (IllegalArgumentException e) {
            throw new SellerStoreException("the secret " + name + " does not hold credentials of market " + market + ": "
                    + Redaction.withoutValues(e.getMessage(), fields.values()));
        }
    }

    /**
     * Deletes the seller's secret as {@link #deletion()} says; empty when there was none (or its deletion was scheduled
     * already: then it stays scheduled).
     *
     * @throws SellerStoreException naming the secret when Secrets Manager fails
     */
    public Optional<Deleted> delete(String market, String sellerId) {
        String name = secretName(market, sellerId);
        Optional<DescribeSecretResponse> existing = describe(name);
        if (existing.isEmpty() || existing.get().deletedDate() != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(deleteSecret(name));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failed("deleting the secret " + name, e);
        }
    }

    private Deleted deleteSecret(String name) {
        if (deletion.recoveryWindow().isPresent()) {
            Instant until = client.deleteSecret(b -> b.secretId(name)
                    .recoveryWindowInDays(deletion.recoveryWindow().get().toDays())).deletionDate();
            log.info("scheduled the deletion of the secret {} for {}", name, until);
            return new Deleted(name, Optional.ofNullable(until));
        }
        client.deleteSecret(b -> b.secretId(name).forceDeleteWithoutRecovery(true));
        log.info("deleted the secret {}", name);
        return new Deleted(name, Optional.empty());
    }

    private Optional<DescribeSecretResponse> describe(String name) {
        try {
            return Optional.of(client.describeSecret(b -> b.secretId(name)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failed("describing the secret " + name, e);
        }
    }

    private static Optional<String> currentVersion(DescribeSecretResponse secret) {
        if (!secret.hasVersionIdsToStages()) {
            return Optional.empty();
        }
        return secret.versionIdsToStages().entrySet().stream().filter(e -> e.getValue().contains(CURRENT))
                .map(Map.Entry::getKey).findFirst();
    }

    private static String json(Credentials credentials) {
        try {
            return JSON.writeValueAsString(credentials.allFields());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the credentials' fields could not be written as JSON", e);
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static SellerStoreException failed(String what, SdkException e) {
        String detail = e instanceof SecretsManagerException sm && sm.awsErrorDetails() != null
                ? sm.awsErrorDetails().errorCode() + ": " + sm.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new SellerStoreException(what + " failed (" + detail + ")", e);
    }

    private static String part(String what, String value) {
        if (value == null || !PART.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' cannot be part of a secret's name: 1 to 128 letters, "
                    + "digits, '_', '+', '=', '.', '@' or '-'");
        }
        return value;
    }
}
