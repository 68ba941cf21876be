package io.marketgate.marketsim;

import java.util.LinkedHashMap;
import java.util.Map;

/** The reference protocol's {@code X-Api-Key} (the market's first configured key, shared by its sellers). */
public record ReferenceCredentials(String sellerId, String apiKey) implements SellerCredentials {

    @Override
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sellerId", sellerId);
        m.put("apiKey", apiKey);
        return m;
    }

    @Override
    public String toString() {
        return "ReferenceCredentials[sellerId=" + sellerId + ", apiKey=" + SellerCredentials.mask(apiKey) + "]";
    }
}
