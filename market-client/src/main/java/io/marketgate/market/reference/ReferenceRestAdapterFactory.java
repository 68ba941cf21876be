package io.marketgate.market.reference;

import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapterFactory;

/**
 * The adapters of markets configured with {@code adapter.type: reference-rest}, for
 * {@link io.marketgate.market.MarketAdapters} (listed in {@code META-INF/services}).
 */
public final class ReferenceRestAdapterFactory implements MarketAdapterFactory {

    @Override
    public AdapterType type() {
        return AdapterType.REFERENCE_REST;
    }

    @Override
    public MarketAdapter create(MarketConfig market, AdapterContext context) {
        return ReferenceRestAdapter.of(market, context.variables(), context.clock());
    }
}
