package io.marketgate.market.coupang;

import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapterFactory;
import io.marketgate.market.auth.CredentialSchema;

/**
 * The adapters of markets configured with {@code adapter.type: coupang}, for {@link io.marketgate.market.MarketAdapters}
 * (listed in {@code META-INF/services}). A seller registers {@link CoupangAdapter#CREDENTIALS}: its vendor id and the
 * key pair WING issued.
 */
public final class CoupangAdapterFactory implements MarketAdapterFactory {

    @Override
    public AdapterType type() {
        return AdapterType.COUPANG;
    }

    @Override
    public MarketAdapter create(MarketConfig market, AdapterContext context) {
        return CoupangAdapter.of(market, context);
    }

    @Override
    public CredentialSchema credentialSchema() {
        return CoupangAdapter.CREDENTIALS;
    }
}
