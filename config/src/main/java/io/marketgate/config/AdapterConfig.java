package io.marketgate.config;

/**
 * How the handlers talk to one market: the {@code adapter} section of a market. One record per protocol; the
 * handlers pick the adapter implementation by the record's type.
 *
 * <pre>{@code
 * // market-client finds the protocol package's MarketAdapterFactory by the record's type
 * MarketAdapter adapter = MarketAdapters.forMarket(environment, "coupang", System::getenv);
 * }</pre>
 */
public sealed interface AdapterConfig permits ReferenceRestConfig, MarketApiConfig {

    /** The protocol, as the file names it in {@code type}. */
    AdapterType type();

    /** By operation ({@link Operations}): the market's named call whose budgets the operation draws from. */
    java.util.Map<String, String> calls();
}
