package io.marketgate.market;

import io.marketgate.market.auth.ConnectionStore;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.InMemoryConnectionStore;
import io.marketgate.market.auth.InMemoryTokenCache;
import io.marketgate.market.auth.MallConnections;
import io.marketgate.market.auth.SharedTokens;
import io.marketgate.market.auth.TokenCache;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * What an adapter may use besides its environment section: environment variables (for secrets an environment file
 * names), the sellers' credentials, the fleet's shared access tokens, the sellers' consent-granted connections, and the
 * clock that dates signatures and tokens.
 *
 * <pre>{@code
 * AdapterContext context = AdapterContext.of(System::getenv)
 *         .withCredentials(secretsManagerSource)
 *         .withTokens(valkeyTokenCache)
 *         .withConnections(dynamoConnectionStore);
 * MarketAdapter naver = MarketAdapters.forMarket(environment, "naver", context);
 * }</pre>
 *
 * @param variables environment variables, {@code System::getenv} in a deployment
 * @param credentials the sellers' credentials; default none (a protocol that needs them fails each call with a
 *     final "no credentials are registered" outcome)
 * @param tokens the fleet's access tokens; default a cache in this JVM
 * @param clock the clock that dates signatures and tokens; default UTC system time
 * @param connections the sellers' consent-granted connections (Cafe24's malls); default a store in this JVM
 */
public record AdapterContext(Function<String, String> variables, CredentialSource credentials, SharedTokens tokens, Clock clock,
        MallConnections connections) {

    public AdapterContext {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(connections, "connections");
    }

    /** A context whose connections are kept in this JVM. */
    public AdapterContext(Function<String, String> variables, CredentialSource credentials, SharedTokens tokens, Clock clock) {
        this(variables, credentials, tokens, clock, new MallConnections(new InMemoryConnectionStore(), clock));
    }

    /** A context with these variables, no credentials, tokens and connections kept in this JVM and the system clock. */
    public static AdapterContext of(Function<String, String> variables) {
        Clock clock = Clock.systemUTC();
        return new AdapterContext(variables, CredentialSource.NONE, new SharedTokens(new InMemoryTokenCache(clock), clock), clock);
    }

    public AdapterContext withCredentials(CredentialSource source) {
        return new AdapterContext(variables, source, tokens, clock, connections);
    }

    /** Shares tokens through {@code cache} (with the default lease and wait of {@link SharedTokens}). */
    public AdapterContext withTokens(TokenCache cache) {
        return new AdapterContext(variables, credentials, new SharedTokens(cache, clock), clock, connections);
    }

    public AdapterContext withTokens(SharedTokens shared) {
        return new AdapterContext(variables, credentials, shared, clock, connections);
    }

    /** Keeps the sellers' connections in {@code store} (with the default lease and wait of {@link MallConnections}). */
    public AdapterContext withConnections(ConnectionStore store) {
        return new AdapterContext(variables, credentials, tokens, clock, new MallConnections(store, clock));
    }

    public AdapterContext withConnections(MallConnections connections) {
        return new AdapterContext(variables, credentials, tokens, clock, connections);
    }

    /** This context with {@code clock}; the tokens' cache keeps its own clock, the connections' store its contents. */
    public AdapterContext withClock(Clock clock) {
        return new AdapterContext(variables, credentials, new SharedTokens(tokens.cache(), clock), clock,
                new MallConnections(connections.store(), clock));
    }
}
