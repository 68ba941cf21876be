package io.marketgate.deployed;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.dynamodb.DynamoDbLimiterStore;
import io.marketgate.limiter.dynamodb.DynamoDbStoreOptions;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyTokenStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The limiter's store of a deployed environment, opened one way by the Lambda handlers and by the operator CLI:
 * for a {@link StoreLocation.Cluster}, a cluster client ({@code rediss://}, topology from the seed) as the RBAC user
 * whose credentials the secret holds; for a {@link StoreLocation.Standalone}, a client of its URL. Both with the
 * environment's key prefix ({@code limiter.keyPrefix}) and the handlers' store options, and the location's CA file
 * if it names one. For a {@link StoreLocation.Table}, a {@link DynamoDbLimiterStore} on that table with the same key
 * prefix (and the store's defaults otherwise), on a client with the SDK's default credentials and region.
 *
 * <pre>{@code
 * StoreLocation where = StoreLocation.fromVariables(System::getenv, Optional.empty()).orElseThrow();
 * DeployedStore deployed = DeployedStore.resolve(where, DeployedStore.options(env),
 *         () -> DeployedStore.secretsManager(Optional.empty()));
 * try (LimiterStore store = deployed.open()) { … }
 * }</pre>
 *
 * <p>The secret is read once, by {@link #resolve}; each {@link #open()} connects a new store with it.
 */
public final class DeployedStore {

    private final StoreLocation location;
    private final ValkeyStoreOptions options;
    private final String description;

    private DeployedStore(StoreLocation location, ValkeyStoreOptions options, String description) {
        this.location = location;
        this.options = options;
        this.description = description;
    }

    /**
     * The store options the handlers use in {@code env}: its key prefix, and the limiter's defaults for everything
     * else (command timeout, connect timeout, coalescing, denial memory). A caller may change what its own use needs
     * (the operator CLI waits longer for a command) on the builder.
     */
    public static ValkeyStoreOptions.Builder options(EnvironmentConfig env) {
        return ValkeyStoreOptions.builder().keyPrefix(env.limiter().keyPrefix());
    }

    /**
     * Opens the store at {@code location} with the handlers' options of {@code env}.
     *
     * @throws IllegalStateException naming the secret when it cannot be read or lacks a field
     * @throws io.marketgate.limiter.LimiterStoreUnavailableException naming the store when it cannot be reached
     */
    public static LimiterStore open(EnvironmentConfig env, StoreLocation location, SecretsManagerClient secrets) {
        Objects.requireNonNull(secrets, "secrets");
        return resolve(location, options(env), () -> secrets, false).open();
    }

    /**
     * Gets ready to open the store at {@code location}: reads the cluster user's secret through a client that
     * {@code secrets} makes for this one read (asked only for a cluster; closed after), and adds the user and the
     * location's CA file to {@code options} (from {@link #options(EnvironmentConfig)}); connects nothing yet.
     *
     * @throws IllegalStateException naming the secret when it cannot be read or lacks a field
     */
    public static DeployedStore resolve(StoreLocation location, ValkeyStoreOptions.Builder options,
            Supplier<SecretsManagerClient> secrets) {
        return resolve(location, options, secrets, true);
    }

    private static DeployedStore resolve(StoreLocation location, ValkeyStoreOptions.Builder options,
            Supplier<SecretsManagerClient> secrets, boolean closeClient) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(options, "options");
        location.trustedCertificates().ifPresent(options::trustedCertificates);
        if (location instanceof StoreLocation.Cluster cluster) {
            SecretsManagerClient client = secrets.get();
            ValkeyCredentials user;
            try {
                user = ValkeyCredentials.fromSecret(cluster.secretId(), client);
            } finally {
                if (closeClient) {
                    client.close();
                }
            }
            options.username(user.username()).password(user.password());
            return new DeployedStore(location, options.build(), location + " as user " + user.username());
        }
        return new DeployedStore(location, options.build(), location.toString());
    }

    /**
     * Connects a new store; the caller closes it.
     *
     * @throws io.marketgate.limiter.LimiterStoreUnavailableException naming the store (never the password) when it
     *         cannot be reached, the handshake fails or the user is refused
     */
    public LimiterStore open() {
        return switch (location) {
            case StoreLocation.Cluster c -> ValkeyLimiterStore.cluster(List.of("rediss://" + c.seed()), options);
            case StoreLocation.Standalone s -> ValkeyLimiterStore.standalone(s.url(), options);
            case StoreLocation.Table t -> {
                var client = DynamoDbLimiterStore.clientBuilder();
                t.region().map(Region::of).ifPresent(client::region);
                t.endpoint().ifPresent(client::endpointOverride);
                yield DynamoDbLimiterStore.create(client.build(), DynamoDbStoreOptions.table(t.name()).keyPrefix(options.keyPrefix()).build());
            }
        };
    }

    /**
     * Connects a new store of the fleet's shared access tokens, on the same Valkey, as the same user and under the same
     * key prefix as {@link #open()}'s; the caller closes it. See {@code io.marketgate.deployed.tokens.TokenCaches}. On a
     * {@link StoreLocation.Table} there is no Valkey: it fails with {@link LimiterStoreUnavailableException}, and the
     * token cache keeps each instance's tokens in memory.
     *
     * @throws io.marketgate.limiter.LimiterStoreUnavailableException naming the store (never the password) when it
     *         cannot be reached, the handshake fails or the user is refused
     */
    public ValkeyTokenStore openTokens() {
        return switch (location) {
            case StoreLocation.Cluster c -> ValkeyTokenStore.cluster(List.of("rediss://" + c.seed()), options);
            case StoreLocation.Standalone s -> ValkeyTokenStore.standalone(s.url(), options);
            // a dynamic-IP group's functions reach no Valkey: the token cache keeps each instance's tokens in memory
            case StoreLocation.Table t -> throw new LimiterStoreUnavailableException("the limiter's store is " + t
                    + ", and access tokens are shared only through Valkey, which a dynamic-IP group cannot reach", null);
        };
    }

    /** Where the store is. */
    public StoreLocation location() {
        return location;
    }

    /** Where the store is and as which user, for messages and logs: never a password. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * A Secrets Manager client for one read of a secret: the SDK's default credentials and endpoint settings
     * ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}), {@code region} if given, else the SDK's default region. The caller
     * closes it.
     */
    public static SecretsManagerClient secretsManager(Optional<Region> region) {
        var builder = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        region.ifPresent(builder::region);
        return builder.build();
    }
}
