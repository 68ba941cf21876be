package io.marketgate.market.elevenst;

import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapterFactory;
import io.marketgate.market.auth.CredentialSchema;

/**
 * The adapters of markets configured with {@code adapter.type: 11st}, for {@link io.marketgate.market.MarketAdapters}
 * (listed in {@code META-INF/services}). A seller registers {@link ElevenStAdapter#CREDENTIALS}: the Open API key of its
 * seller office.
 */
public final class ElevenStAdapterFactory implements MarketAdapterFactory {

    @Override
    public AdapterType type() {
        return AdapterType.ELEVENST;
    }

    @Override
    public MarketAdapter create(MarketConfig market, AdapterContext context) {
        return ElevenStAdapter.of(market, context);
    }

    @Override
    public CredentialSchema credentialSchema() {
        return ElevenStAdapter.CREDENTIALS;
    }
}
