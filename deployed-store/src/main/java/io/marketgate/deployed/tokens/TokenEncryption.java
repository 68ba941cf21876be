package io.marketgate.deployed.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.market.auth.CachedToken;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Seals a shared access token for Valkey (or a seller's connection for the sellers table, as the
 * {@link io.marketgate.market.auth.TokenSealer} of {@code DynamoConnectionStore}) and opens it again: AES-256-GCM with a random 96-bit nonce per seal, the
 * sealing key's id in the clear, and the cache key as associated data, so that a blob copied under another key does
 * not open. Tokens are sealed with the current key and opened with it or any previous one, which lets a key rotate
 * without a moment in which the fleet cannot read what it stored.
 *
 * <pre>{@code
 * TokenEncryption deployed = TokenEncryption.fromSecret("prod-token-key", secretsManager);
 * TokenEncryption local = TokenEncryption.generated();
 * byte[] blob = deployed.seal("naver:app:SELF:-", token);
 * CachedToken again = deployed.open("naver:app:SELF:-", blob);
 * }</pre>
 *
 * <p>A blob: {@code 0x01} (the format), the key's 4-byte id, the 12-byte nonce, then the ciphertext with its 16-byte
 * tag. Sealed inside: expiresAt and renewAfter (epoch seconds, 8 bytes, and nanoseconds, 4 bytes, each), then the
 * token's value in UTF-8. Associated data: the blob's first 5 bytes, then the cache key in UTF-8.
 *
 * <p>The secret ({@link #fromSecret}) is JSON: {@code {"key": "<generated, at least 32 characters>"}}, and during a
 * rotation also {@code "previousKey"}, the key before. The CDK app generates {@code key}; a rotation without
 * {@code previousKey} costs each account one token fetch, its stored token being unreadable with the new key.
 */
public final class TokenEncryption implements io.marketgate.market.auth.TokenSealer {

    /** The blob format this class writes. */
    static final byte FORMAT = 1;
    static final int HEADER = 1 + 4;
    static final int NONCE = 12;
    static final int TAG_BITS = 128;
    private static final int TIMES = 2 * (8 + 4);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom NONCES = new SecureRandom();

    private final TokenKey current;
    private final List<TokenKey> keys;

    private TokenEncryption(TokenKey current, List<TokenKey> previous) {
        this.current = Objects.requireNonNull(current, "current");
        List<TokenKey> all = new ArrayList<>();
        all.add(current);
        previous.forEach(k -> all.add(Objects.requireNonNull(k, "previous key")));
        this.keys = List.copyOf(all);
    }

    /** Seals with {@code current}; opens what {@code current} or one of {@code previous} sealed. */
    public static TokenEncryption of(TokenKey current, TokenKey... previous) {
        return new TokenEncryption(current, List.of(previous));
    }

    /** A new random key: tokens that only this run can read (the local platform, tests). */
    public static TokenEncryption generated() {
        return of(TokenKey.generate());
    }

    /**
     * The key of the secret {@code secretId} (a name or an ARN), read once: {@code {"key": …}} and optionally
     * {@code "previousKey"}.
     *
     * @throws IllegalStateException naming the secret and what is wrong: unreadable, not JSON, a field missing or too
     *         short; never quoting the secret
     */
    public static TokenEncryption fromSecret(String secretId, SecretsManagerClient secrets) {
        String value;
        try {
            value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read the token key's secret " + secretId + " from Secrets Manager: "
                    + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalStateException("the secret " + secretId + " has no string value; expected {\"key\": …}");
        }
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            // no cause and no excerpt: the parser's message would quote the secret's text
            throw new IllegalStateException("the secret " + secretId + " is not JSON; expected {\"key\": …}");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalStateException("the secret " + secretId + " is not a JSON object; expected {\"key\": …}");
        }
        TokenKey current = key(json, "key", secretId);
        if (json.hasNonNull("previousKey")) {
            return of(current, key(json, "previousKey", secretId));
        }
        return of(current);
    }

    private static TokenKey key(JsonNode json, String field, String secretId) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalStateException("the secret " + secretId + " has no text field '" + field + "'");
        }
        try {
            return TokenKey.fromText(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret " + secretId + "'s field '" + field + "': " + e.getMessage());
        }
    }

    /** The key that seals. */
    public TokenKey current() {
        return current;
    }

    /** {@code token} sealed for {@code cacheKey}. */
    @Override
    public byte[] seal(String cacheKey, CachedToken token) {
        byte[] value = token.value().getBytes(StandardCharsets.UTF_8);
        ByteBuffer plain = ByteBuffer.allocate(TIMES + value.length);
        plain.putLong(token.expiresAt().getEpochSecond()).putInt(token.expiresAt().getNano());
        plain.putLong(token.renewAfter().getEpochSecond()).putInt(token.renewAfter().getNano());
        plain.put(value);

        byte[] blob = new byte[HEADER + NONCE + plain.capacity() + TAG_BITS / 8];
        blob[0] = FORMAT;
        System.arraycopy(current.id(), 0, blob, 1, 4);
        byte[] nonce = new byte[NONCE];
        NONCES.nextBytes(nonce);
        System.arraycopy(nonce, 0, blob, HEADER, NONCE);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.aes(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(blob, 0, HEADER);
            cipher.updateAAD(cacheKey.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(plain.array(), 0, plain.capacity(), blob, HEADER + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal a token: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(plain.array(), (byte) 0);
        }
        return blob;
    }

    /**
     * The token that {@code blob} holds for {@code cacheKey}.
     *
     * @throws UnreadableTokenException when it was sealed with a key not known here, for another cache key, was altered,
     *         or is no token blob; the message says which, without any of the content
     */
    @Override
    public CachedToken open(String cacheKey, byte[] blob) {
        if (blob.length < HEADER + NONCE + TAG_BITS / 8 + TIMES + 1) {
            throw new UnreadableTokenException("the stored token is " + blob.length + " bytes, too short for a sealed token");
        }
        if (blob[0] != FORMAT) {
            throw new UnreadableTokenException("the stored token has format " + blob[0] + ", this version reads " + FORMAT);
        }
        TokenKey key = keys.stream().filter(k -> k.hasId(blob, 1)).findFirst().orElseThrow(() -> new UnreadableTokenException(
                "the stored token was sealed with key " + HexFormat.of().formatHex(blob, 1, HEADER)
                        + ", which is not this instance's (" + keys.stream().map(TokenKey::idHex).toList() + ")"));
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, blob, HEADER, NONCE));
            cipher.updateAAD(blob, 0, HEADER);
            cipher.updateAAD(cacheKey.getBytes(StandardCharsets.UTF_8));
            plain = cipher.doFinal(blob, HEADER + NONCE, blob.length - HEADER - NONCE);
        } catch (AEADBadTagException e) {
            throw new UnreadableTokenException("the stored token does not authenticate with key " + key.idHex()
                    + ": altered, or sealed for another cache key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to open a token: " + e.getClass().getSimpleName(), e);
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(plain);
            Instant expiresAt = Instant.ofEpochSecond(in.getLong(), in.getInt());
            Instant renewAfter = Instant.ofEpochSecond(in.getLong(), in.getInt());
            String value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
            return new CachedToken(value, expiresAt, renewAfter);
        } catch (CharacterCodingException | DateTimeException | IllegalArgumentException e) {
            // authentic but not a token this class sealed: say what, never the content
            throw new UnreadableTokenException("the stored token authenticates but holds no valid token ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "TokenEncryption[AES-256-GCM, sealing key " + current.idHex() + ", opening " + keys.stream().map(TokenKey::idHex).toList() + "]";
    }
}
