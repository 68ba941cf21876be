package io.marketgate.market.naver;

import io.marketgate.market.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Whose token a call needs: a seller's registered application ({@code clientId}, {@code clientSecret}) and the token
 * type it asks for ({@code SELF}, or {@code SELLER} with the seller's {@code accountId}). {@link #toString()} never
 * shows the secret.
 */
record NaverAccount(String clientId, String clientSecret, String type, Optional<String> accountId) {

    static final String SELF = "SELF";
    static final String SELLER = "SELLER";

    /**
     * The account of {@code credentials} (validated by {@link NaverAdapter#CREDENTIALS} at registration, checked again
     * here: a token request that breaks Naver's rules costs the application a day at 1 call per hour).
     *
     * @throws IllegalArgumentException naming the field when a field is missing or the type and account id disagree
     */
    static NaverAccount of(Credentials credentials) {
        String clientId = required(credentials, NaverAdapter.CLIENT_ID);
        String secret = required(credentials, NaverAdapter.CLIENT_SECRET);
        String type = required(credentials, NaverAdapter.TYPE);
        Optional<String> accountId = credentials.find(NaverAdapter.ACCOUNT_ID).filter(a -> !a.isEmpty());
        NaverAdapter.checkTypeAndAccount(type, accountId.orElse(null));
        return new NaverAccount(clientId, secret, type, accountId);
    }

    private static String required(Credentials credentials, String field) {
        return credentials.find(field).filter(v -> !v.isEmpty()).orElseThrow(() -> new IllegalArgumentException(
                "credentials." + field + " is missing (the seller's Naver credentials are incomplete; register them again)"));
    }

    /**
     * The key of this account's token in the fleet's cache: {@code market:clientId:type:accountId} ({@code -} for a
     * SELF token), which Naver issues one token per; no secret in it.
     */
    String tokenKey(String market) {
        return market + ":" + account();
    }

    /** Whose token, as {@link io.marketgate.market.PlannedCall.Authenticate} names it: {@code clientId:type:accountId}. */
    String account() {
        return clientId + ":" + type + ":" + accountId.orElse("-");
    }

    /**
     * Naver's {@code client_secret_sign}: the standard Base64 of {@code bcrypt(clientId + "_" + timestamp)} with the
     * client secret as the salt.
     */
    String sign(long timestampMillis) {
        return sign(clientId, timestampMillis, clientSecret);
    }

    static String sign(String clientId, long timestampMillis, String clientSecret) {
        String hashed = BCrypt.hashpw(clientId + "_" + timestampMillis, clientSecret);
        return Base64.getEncoder().encodeToString(hashed.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "NaverAccount[" + account() + ", clientSecret=" + Credentials.MASK + "]";
    }
}
