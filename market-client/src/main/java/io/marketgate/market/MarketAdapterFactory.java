package io.marketgate.market;

import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.auth.CredentialSchema;

/**
 * Builds the adapters of one market protocol. Each protocol package ({@code io.marketgate.market.reference}, and one
 * per market protocol after it) has one implementation, listed in its jar's
 * {@code META-INF/services/io.marketgate.market.MarketAdapterFactory}; {@link MarketAdapters} finds them there, so a
 * new protocol is added by its own package and one line in that file, without a change to the client.
 *
 * <pre>{@code
 * public final class CoupangAdapterFactory implements MarketAdapterFactory {
 *     public AdapterType type() { return AdapterType.COUPANG; }
 *     public MarketAdapter create(MarketConfig market, AdapterContext context) {
 *         return CoupangAdapter.of(market, context);
 *     }
 * }
 * }</pre>
 *
 * <p>Implementations need a public no-argument constructor ({@link java.util.ServiceLoader}).
 */
public interface MarketAdapterFactory {

    /** The protocol, as {@code markets.<market>.adapter.type} of an environment file names it. */
    AdapterType type();

    /**
     * The adapter of {@code market}, whose adapter section is of {@link #type()}; secrets the section names are
     * resolved through the context's variables, sellers' credentials read through its credential source.
     *
     * @throws io.marketgate.config.ConfigException when a secret's environment variable is unset
     */
    MarketAdapter create(MarketConfig market, AdapterContext context);

    /**
     * The credential fields a seller of this protocol registers with; {@link CredentialSchema#NONE} when the
     * protocol's key is the environment's, not the seller's.
     */
    default CredentialSchema credentialSchema() {
        return CredentialSchema.NONE;
    }
}
