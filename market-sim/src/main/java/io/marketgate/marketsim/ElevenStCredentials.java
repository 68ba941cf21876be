package io.marketgate.marketsim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What 11st issues a seller: the Open API key of its seller office (32 lowercase hex characters here, the length public
 * clients see), sent as the {@code openapikey} header and valid only from the IP addresses registered for it.
 */
public record ElevenStCredentials(String sellerId, String openApiKey) implements SellerCredentials {

    @Override
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sellerId", sellerId);
        m.put("openApiKey", openApiKey);
        return m;
    }

    @Override
    public String toString() {
        return "ElevenStCredentials[sellerId=" + sellerId + ", openApiKey=" + SellerCredentials.mask(openApiKey) + "]";
    }
}
