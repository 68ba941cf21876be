package io.marketgate.marketsim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Coupang Wing issues a vendor: its vendor id ({@code A} and 8 digits, the seller id in every path), the
 * access key (a UUID) and the secret key (40 hex characters) of {@code Authorization: CEA …}.
 */
public record CoupangCredentials(String sellerId, String vendorId, String accessKey, String secretKey) implements SellerCredentials {

    @Override
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sellerId", sellerId);
        m.put("vendorId", vendorId);
        m.put("accessKey", accessKey);
        m.put("secretKey", secretKey);
        return m;
    }

    @Override
    public String toString() {
        return "CoupangCredentials[sellerId=" + sellerId + ", vendorId=" + vendorId + ", accessKey=" + accessKey
                + ", secretKey=" + SellerCredentials.mask(secretKey) + "]";
    }
}
