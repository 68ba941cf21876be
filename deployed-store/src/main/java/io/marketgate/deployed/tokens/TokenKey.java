package io.marketgate.deployed.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that encrypts the fleet's shared access tokens in Valkey: an AES-256 key and its 4-byte id, both derived
 * (HKDF-SHA256, RFC 5869) from key material: the text a Secrets Manager secret generated ({@link #fromText}), or random
 * bytes for one local run ({@link #generate}). The id goes into every stored token, so that a reader knows which key
 * sealed it: a new secret value is a new key with a new id, and tokens sealed with the old one are simply not found
 * (see {@link TokenEncryption}). {@link #toString()} shows the id only.
 *
 * <pre>{@code
 * TokenKey key = TokenKey.fromText(secretJson.get("key").textValue());
 * }</pre>
 */
public final class TokenKey {

    /** The fewest characters (or bytes) of key material: 32 random characters carry far over 128 bits. */
    public static final int MIN_MATERIAL = 32;

    private static final byte[] SALT = "marketgate token cache".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AES_INFO = "AES-256-GCM key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_INFO = "key id".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey aes;
    private final byte[] id;

    private TokenKey(byte[] material) {
        byte[] prk = hmac(SALT, material);
        this.aes = new SecretKeySpec(expand(prk, AES_INFO, 32), "AES");
        this.id = expand(prk, ID_INFO, 4);
        Arrays.fill(prk, (byte) 0);
    }

    /**
     * The key derived from {@code material}, a secret's generated text of at least {@value #MIN_MATERIAL} characters.
     *
     * @throws IllegalArgumentException when it is missing or shorter; the message never shows it
     */
    public static TokenKey fromText(String material) {
        if (material == null || material.length() < MIN_MATERIAL) {
            throw new IllegalArgumentException("the token key's material has " + (material == null ? 0 : material.length())
                    + " characters, must have at least " + MIN_MATERIAL + " (a generated secret)");
        }
        return new TokenKey(material.getBytes(StandardCharsets.UTF_8));
    }

    /** A new random key, for one run that shares tokens only with itself (the local platform, tests). */
    public static TokenKey generate() {
        byte[] material = new byte[MIN_MATERIAL];
        RANDOM.nextBytes(material);
        return new TokenKey(material);
    }

    /** The AES-256 key. */
    SecretKey aes() {
        return aes;
    }

    /** The id stored with each token this key seals: 4 bytes. */
    byte[] id() {
        return id.clone();
    }

    boolean hasId(byte[] blob, int offset) {
        return Arrays.equals(id, 0, id.length, blob, offset, offset + id.length);
    }

    /** The key's id in hex, for logs: it reveals nothing of the key. */
    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    @Override
    public String toString() {
        return "TokenKey[id=" + idHex() + "]";
    }

    /** HKDF-Expand for up to one block (32 bytes), which is all this class needs. */
    private static byte[] expand(byte[] prk, byte[] info, int length) {
        byte[] input = Arrays.copyOf(info, info.length + 1);
        input[info.length] = 1;
        return Arrays.copyOf(hmac(prk, input), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no HmacSHA256", e);
        }
    }
}
