package io.marketgate.marketsim;

/**
 * Whose calls one budget counts together. The scope key of an arrival decides which counter it draws from.
 *
 * <p>Markets in {@code markets.md}: Coupang counts per vendor (API key) across all endpoints
 * ({@link #API_KEY}); Naver per endpoint per app ({@link #API_KEY_ENDPOINT}); Cafe24 per mall
 * ({@link #SELLER}, the mall is the seller).
 */
public enum Scope {
    /** One counter for every call to the market. */
    MARKET,
    /** One counter per API key (vendor / app), across all endpoints the budget applies to. */
    API_KEY,
    /** One counter per API key and endpoint. */
    API_KEY_ENDPOINT,
    /** One counter per seller (mall, seller token), whichever key calls. */
    SELLER;

    /** The counter key of a call, or {@code null} when the call cannot be attributed (no valid API key). */
    public String key(String apiKey, Endpoint endpoint, String sellerId) {
        return switch (this) {
            case MARKET -> "*";
            case API_KEY -> apiKey;
            case API_KEY_ENDPOINT -> apiKey == null ? null : apiKey + " " + endpoint;
            case SELLER -> sellerId;
        };
    }
}
