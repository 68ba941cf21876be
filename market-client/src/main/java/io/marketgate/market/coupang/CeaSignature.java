package io.marketgate.market.coupang;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Coupang's {@code CEA} request signature, as pure functions: the signed-date of an instant, the signature of a
 * request, and the {@code Authorization} header that carries them.
 *
 * <pre>{@code
 * String date = CeaSignature.signedDate(clock.instant());                       // 260101T000000Z
 * String sig = CeaSignature.signature(secretKey, date, "GET", "/v2/providers/…/ordersheets", rawQuery);
 * request.setHeader("Authorization", CeaSignature.authorization(accessKey, date, sig));
 * }</pre>
 *
 * <p>The signed message is {@code signedDate + METHOD + path + query}: the path as the market sees it (no host, no
 * prefix of a base URL), the query exactly as it is sent (still percent-encoded, without {@code ?}, {@code ""} when
 * there is none); the body is not signed. The signature is the lowercase hex of HMAC-SHA256 keyed with the secret
 * key's UTF-8 bytes. Nothing here keeps or prints a key.
 */
public final class CeaSignature {

    /** The signed-date's form: {@code yyMMdd'T'HHmmss'Z'} in UTC, for example {@code 260101T000000Z}. */
    public static final DateTimeFormatter SIGNED_DATE = DateTimeFormatter.ofPattern("yyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final String HMAC = "HmacSHA256";

    private CeaSignature() {}

    /** The signed-date of {@code at}: UTC, to the second. */
    public static String signedDate(Instant at) {
        return SIGNED_DATE.format(Objects.requireNonNull(at, "at"));
    }

    /**
     * The lowercase hex HMAC-SHA256 of {@code signedDate + method + path + rawQuery}, keyed with {@code secretKey}.
     *
     * @param path the request's path as the market sees it, starting with {@code /}
     * @param rawQuery the query exactly as sent, without {@code ?}; {@code ""} when there is none
     */
    public static String signature(String secretKey, String signedDate, String method, String path, String rawQuery) {
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("secretKey is missing");
        }
        Objects.requireNonNull(signedDate, "signedDate");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rawQuery, "rawQuery");
        String message = signedDate + method + path + rawQuery;
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), HMAC));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // every Java runtime has HmacSHA256, and any non-empty key is valid for it; never the key in the message
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getClass().getSimpleName());
        }
    }

    /** {@code CEA algorithm=HmacSHA256, access-key={accessKey}, signed-date={signedDate}, signature={signature}}. */
    public static String authorization(String accessKey, String signedDate, String signature) {
        if (accessKey == null || accessKey.isEmpty()) {
            throw new IllegalArgumentException("accessKey is missing");
        }
        return "CEA algorithm=HmacSHA256, access-key=" + accessKey + ", signed-date=" + Objects.requireNonNull(signedDate, "signedDate")
                + ", signature=" + Objects.requireNonNull(signature, "signature");
    }
}
