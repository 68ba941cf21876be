package io.marketgate.marketsim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a simulated Cafe24 market issues for one seller's mall: the mall id (the host's first label at Cafe24, a path
 * segment here), the app's client id and secret (one app, installed on every mall of the market), and the connection
 * the mall's owner granted when the market started: an access token (2 h) and a refresh token (14 days) with their
 * expiries. A client that starts from these skips the consent flow; the refresh token rotates on first use like any
 * other.
 */
public record Cafe24Credentials(String sellerId, String mallId, String clientId, String clientSecret, String accessToken,
        Instant accessTokenExpiresAt, String refreshToken, Instant refreshTokenExpiresAt) implements SellerCredentials {

    @Override
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sellerId", sellerId);
        m.put("mallId", mallId);
        m.put("clientId", clientId);
        m.put("clientSecret", clientSecret);
        m.put("accessToken", accessToken);
        m.put("accessTokenExpiresAt", accessTokenExpiresAt.toString());
        m.put("refreshToken", refreshToken);
        m.put("refreshTokenExpiresAt", refreshTokenExpiresAt.toString());
        return m;
    }

    /** The fields a seller registers with the platform: the mall and the app; the tokens are its connection. */
    public Map<String, String> registrationFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mallId", mallId);
        m.put("clientId", clientId);
        m.put("clientSecret", clientSecret);
        return m;
    }

    @Override
    public String toString() {
        return "Cafe24Credentials[sellerId=" + sellerId + ", mallId=" + mallId + ", clientId=" + clientId + ", clientSecret="
                + SellerCredentials.mask(clientSecret) + ", accessToken=" + SellerCredentials.mask(accessToken)
                + ", refreshToken=" + SellerCredentials.mask(refreshToken) + "]";
    }
}
