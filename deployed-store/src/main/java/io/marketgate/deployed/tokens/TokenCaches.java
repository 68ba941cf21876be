package io.marketgate.deployed.tokens;

import io.marketgate.deployed.DeployedStore;
import io.marketgate.deployed.StoreLocation;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.limiter.valkey.ValkeyTokenStore;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The fleet's shared access tokens where a deployment or a local run keeps them: on the limiter's Valkey (the
 * {@link DeployedStore}'s location, user and key prefix), sealed with the environment's token key.
 *
 * <pre>{@code
 * // a Lambda, next to its limiter store (HandlerDependencies)
 * DeployedStore deployed = DeployedStore.resolve(location, DeployedStore.options(env), secretsClient);
 * TokenCache tokens = TokenCaches.forStore(deployed, TokenCaches.encryption(System::getenv, location, secretsClient));
 * AdapterContext context = AdapterContext.of(System::getenv).withTokens(tokens);
 *
 * // the local platform: its own Valkey, a key generated for the run
 * TokenCache local = TokenCaches.standalone(valkey.uri(), options, TokenEncryption.generated());
 * }</pre>
 */
public final class TokenCaches {

    /**
     * The name or ARN of the Secrets Manager secret {@code {"key": …}} that seals the tokens, as the CDK app sets it on
     * every function that calls markets ({@code <env>-token-key}).
     */
    public static final String KEY_SECRET = "MARKETGATE_TOKEN_KEY_SECRET";

    private static final Logger log = LoggerFactory.getLogger(TokenCaches.class);

    private TokenCaches() {}

    /**
     * Tokens on {@code store}'s Valkey, sealed by {@code encryption}, timed by the system clock; connected when first
     * used (see {@link ValkeyTokenCache#connecting}). The caller closes it with the handler.
     */
    public static ValkeyTokenCache forStore(DeployedStore store, TokenEncryption encryption) {
        Objects.requireNonNull(store, "store");
        return ValkeyTokenCache.connecting(store.description(), store::openTokens, encryption, Clock.systemUTC());
    }

    /** Tokens on one server ({@code redis://host:port}) under {@code options}' key prefix, connected now. */
    public static ValkeyTokenCache standalone(String uri, ValkeyStoreOptions options, TokenEncryption encryption) {
        return ValkeyTokenCache.on(ValkeyTokenStore.standalone(uri, options), encryption, Clock.systemUTC());
    }

    /**
     * The token key the variables name: the secret {@value #KEY_SECRET} (read once, through a client that
     * {@code secrets} makes for this read and that is closed after); without it, for a standalone store only (a local
     * run), a key generated for this process, which is logged, because no other process can read the tokens it seals.
     *
     * @throws IllegalStateException when the store is the deployed cluster and {@value #KEY_SECRET} is not set, or
     *         naming the secret when it cannot be read or lacks its key
     */
    public static TokenEncryption encryption(Function<String, String> variables, StoreLocation location,
            Supplier<SecretsManagerClient> secrets) {
        String secretId = variables.apply(KEY_SECRET);
        if (secretId != null && !secretId.isBlank()) {
            try (SecretsManagerClient client = secrets.get()) {
                return TokenEncryption.fromSecret(secretId.strip(), client);
            }
        }
        if (location instanceof StoreLocation.Cluster) {
            throw new IllegalStateException(StoreLocation.CLUSTER + " is set but " + KEY_SECRET + " is not: the shared "
                    + "access tokens in the cluster are sealed with the environment's token key");
        }
        TokenEncryption generated = TokenEncryption.generated();
        log.info("{} is not set: access tokens in {} are sealed with key {}, generated for this process; other processes "
                + "cannot read them (each fetches its own)", KEY_SECRET, location, generated.current().idHex());
        return generated;
    }
}
