package io.marketgate.market.naver;

import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapterFactory;
import io.marketgate.market.auth.CredentialSchema;

/**
 * The adapters of markets configured with {@code adapter.type: naver}, for {@link io.marketgate.market.MarketAdapters}
 * (listed in {@code META-INF/services}); a seller registers {@link NaverAdapter#CREDENTIALS}.
 */
public final class NaverAdapterFactory implements MarketAdapterFactory {

    @Override
    public AdapterType type() {
        return AdapterType.NAVER;
    }

    @Override
    public MarketAdapter create(MarketConfig market, AdapterContext context) {
        return NaverAdapter.of(market, context);
    }

    /** clientId, clientSecret (secret, a bcrypt salt), type (SELF or SELLER) and accountId (with SELLER only). */
    @Override
    public CredentialSchema credentialSchema() {
        return NaverAdapter.CREDENTIALS;
    }
}
