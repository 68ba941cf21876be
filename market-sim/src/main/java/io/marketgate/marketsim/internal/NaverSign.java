package io.marketgate.marketsim.internal;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.Radix64Encoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Naver's {@code client_secret_sign}: {@code Base64(bcrypt(client_id + "_" + timestamp, salt = client_secret))}.
 * The client secret is a bcrypt salt ({@code $2a$10$} and 22 characters); standard and URL-safe Base64 are both
 * accepted, with or without padding (Naver's Java sample encodes URL-safe, its Python and Node samples standard).
 */
final class NaverSign {

    private static final Pattern SECRET = Pattern.compile("\\$2a\\$(\\d{2})\\$([./A-Za-z0-9]{22})");

    private NaverSign() {}

    /** The bcrypt string {@code $2a$…} of a sign computed with {@code clientSecret}, or null for a malformed secret. */
    static byte[] bcrypt(String clientId, String timestamp, String clientSecret) {
        Matcher m = SECRET.matcher(clientSecret);
        if (!m.matches()) {
            return null;
        }
        int cost = Integer.parseInt(m.group(1));
        byte[] salt = new Radix64Encoder.Default().decode(m.group(2).getBytes(StandardCharsets.US_ASCII));
        return BCrypt.with(BCrypt.Version.VERSION_2A).hash(cost, salt, (clientId + "_" + timestamp).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code sign} is the sign of {@code clientId} and {@code timestamp} under {@code clientSecret}. */
    static boolean matches(String clientId, String timestamp, String clientSecret, String sign) {
        byte[] expected = bcrypt(clientId, timestamp, clientSecret);
        byte[] provided = decode(sign);
        return expected != null && provided != null && MessageDigest.isEqual(expected, provided);
    }

    private static byte[] decode(String sign) {
        try {
            return sign.indexOf('-') >= 0 || sign.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(sign) : Base64.getDecoder().decode(sign);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
