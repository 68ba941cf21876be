package io.marketgate.market;

import io.marketgate.config.AdapterConfig;
import io.marketgate.config.AdapterType;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.MarketConfig;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import io.marketgate.market.auth.CredentialSchema;
import java.util.function.Function;

/**
 * Builds the adapter an environment file configures for a market, by the {@code adapter.type} of its section: the
 * {@link MarketAdapterFactory} of that protocol, found once with {@link ServiceLoader} (each protocol package lists
 * its factory in {@code META-INF/services}).
 *
 * <pre>{@code
 * MarketAdapter coupang = MarketAdapters.forMarket(environment, "coupang", System::getenv);
 * }</pre>
 */
public final class MarketAdapters {

    private static final Map<AdapterType, MarketAdapterFactory> FACTORIES =
            byType(ServiceLoader.load(MarketAdapterFactory.class, MarketAdapters.class.getClassLoader()));

    private MarketAdapters() {}

    /**
     * The adapter of {@code market} in {@code environment}, its secrets resolved through {@code variables}
     * ({@code System::getenv}).
     *
     * @throws IllegalArgumentException naming the market when it is unknown or has no adapter section
     * @throws IllegalStateException naming the type when no factory of the section's protocol is on the classpath
     * @throws io.marketgate.config.ConfigException when a secret's environment variable is unset
     */
    public static MarketAdapter forMarket(EnvironmentConfig environment, String market, Function<String, String> variables) {
        return forMarket(environment, market, AdapterContext.of(variables));
    }

    /**
     * The adapter of {@code market} in {@code environment}, with the sellers' credentials and the fleet's tokens of
     * {@code context}.
     *
     * @throws IllegalArgumentException naming the market when it is unknown or has no adapter section
     * @throws IllegalStateException naming the type when no factory of the section's protocol is on the classpath
     */
    public static MarketAdapter forMarket(EnvironmentConfig environment, String market, AdapterContext context) {
        return factory(environment, market).create(environment.market(market), context);
    }

    /**
     * The credential fields a seller of {@code market} registers with (the schema of its adapter's protocol).
     *
     * @throws IllegalArgumentException naming the market when it is unknown or has no adapter section
     */
    public static CredentialSchema credentialSchema(EnvironmentConfig environment, String market) {
        return factory(environment, market).credentialSchema();
    }

    private static MarketAdapterFactory factory(EnvironmentConfig environment, String market) {
        MarketConfig config = environment.market(market);
        AdapterConfig adapter = config.adapter().orElseThrow(() -> new IllegalArgumentException("market " + market
                + " of environment " + environment.name() + " has no adapter section"));
        MarketAdapterFactory factory = FACTORIES.get(adapter.type());
        if (factory == null) {
            throw new IllegalStateException("market " + market + " of environment " + environment.name()
                    + ": no adapter of type " + adapter.type().configName() + " is on the classpath (the types present: "
                    + FACTORIES.keySet().stream().map(AdapterType::configName).toList() + ")");
        }
        return factory;
    }

    /** The protocols whose factories are on the classpath. */
    public static Set<AdapterType> types() {
        return Collections.unmodifiableSet(FACTORIES.keySet());
    }

    /**
     * The factories by type.
     *
     * @throws IllegalStateException naming both classes when two factories claim one type
     */
    static Map<AdapterType, MarketAdapterFactory> byType(Iterable<MarketAdapterFactory> factories) {
        Map<AdapterType, MarketAdapterFactory> byType = new EnumMap<>(AdapterType.class);
        for (MarketAdapterFactory factory : factories) {
            MarketAdapterFactory other = byType.putIfAbsent(factory.type(), factory);
            if (other != null) {
                throw new IllegalStateException("two market adapter factories for type " + factory.type().configName()
                        + ": " + other.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return byType;
    }
}
