package io.marketgate.market.cafe24;

import io.marketgate.market.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The app a seller registered for its mall: the mall id, and the app's client id and secret, with which the token
 * endpoint is called ({@code Authorization: Basic base64(client_id:client_secret)}). {@link #toString()} never shows
 * the secret.
 */
record Cafe24App(String mallId, String clientId, String clientSecret) {

    /**
     * The app of {@code credentials} (validated by {@link Cafe24Adapter#CREDENTIALS} at registration).
     *
     * @throws IllegalArgumentException naming the field when one is missing
     */
    static Cafe24App of(Credentials credentials) {
        return new Cafe24App(required(credentials, Cafe24Adapter.MALL_ID), required(credentials, Cafe24Adapter.CLIENT_ID),
                required(credentials, Cafe24Adapter.CLIENT_SECRET));
    }

    private static String required(Credentials credentials, String field) {
        return credentials.find(field).filter(v -> !v.isEmpty()).orElseThrow(() -> new IllegalArgumentException(
                "credentials." + field + " is missing (the seller's Cafe24 credentials are incomplete; register them again)"));
    }

    /** The token endpoint's {@code Authorization} value. */
    String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Cafe24App[mall " + mallId + ", client " + clientId + ", clientSecret=" + Credentials.MASK + "]";
    }
}
