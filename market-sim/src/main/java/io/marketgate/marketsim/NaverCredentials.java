package io.marketgate.marketsim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Naver Commerce issues: an application's client id and secret (a bcrypt salt, {@code $2a$10$} and 22
 * characters), the token type to ask for ({@code SELF} for an own-store app, {@code SELLER} for a solution app), and
 * for {@code SELLER} the seller's {@code account_id}.
 */
public record NaverCredentials(String sellerId, String clientId, String clientSecret, String type, String accountId)
        implements SellerCredentials {

    @Override
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sellerId", sellerId);
        m.put("clientId", clientId);
        m.put("clientSecret", clientSecret);
        m.put("type", type);
        if (accountId != null) {
            m.put("accountId", accountId);
        }
        return m;
    }

    @Override
    public String toString() {
        return "NaverCredentials[sellerId=" + sellerId + ", clientId=" + clientId + ", clientSecret="
                + SellerCredentials.mask(clientSecret) + ", type=" + type + ", accountId=" + accountId + "]";
    }
}
