package io.marketgate.market.cafe24;

import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapterFactory;
import io.marketgate.market.auth.CredentialSchema;

/**
 * The adapters of markets configured with {@code adapter.type: cafe24}, for {@link io.marketgate.market.MarketAdapters}
 * (listed in {@code META-INF/services}); a seller registers {@link Cafe24Adapter#CREDENTIALS} and connects its mall by
 * consent.
 */
public final class Cafe24AdapterFactory implements MarketAdapterFactory {

    @Override
    public AdapterType type() {
        return AdapterType.CAFE24;
    }

    @Override
    public MarketAdapter create(MarketConfig market, AdapterContext context) {
        return Cafe24Adapter.of(market, context);
    }

    /** mallId, clientId and clientSecret (secret); the connection comes from the mall owner's consent. */
    @Override
    public CredentialSchema credentialSchema() {
        return Cafe24Adapter.CREDENTIALS;
    }
}
