package io.marketgate.limiter.valkey;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fleet's shared access tokens in the limiter's Valkey, as opaque bytes: a token per key that expires with the
 * token, and the lease that lets one instance of the fleet at a time fetch the next one. What the bytes are (an
 * encrypted token, in marketgate-deployed-store's {@code ValkeyTokenCache}) is the caller's business; this class knows
 * the keys, the commands and their atomicity.
 *
 * <pre>{@code
 * try (ValkeyTokenStore tokens = ValkeyTokenStore.cluster(List.of("rediss://my-cache…:6379"), options)) {
 *     byte[] holder = ValkeyTokenStore.newHolder();
 *     if (tokens.tryLease("naver:app:SELF:-", holder, Duration.ofSeconds(10))) {
 *         tokens.put("naver:app:SELF:-", blob, Duration.ofHours(3), holder);
 *     }
 * }
 * }</pre>
 *
 * <p>Keys, under the environment's key prefix (which the cluster user's ACL allows): {@code
 * <prefix>:{token:<sha256 of the key>}:value} and {@code …:lease}. The caller's key ({@code
 * naver:app-id:SELLER:account-id}) is hashed, so no account id shows in Valkey, any key fits, and the {@code {token:…}}
 * hash tag puts a token and its lease in one cluster slot, which an atomic {@link #put} needs.
 *
 * <p>{@link #get} is GET, {@link #tryLease} is {@code SET lease holder NX PX}; {@link #put} (SET with PX and the end of
 * the lease) and the compare-and-deletes ({@link #deleteIf}, {@link #releaseLease}) are {@code tokens.lua}, loaded
 * when the store opens and called by EVALSHA with a fallback to EVAL on NOSCRIPT, as the limiter's script is.
 *
 * <p>Every failure to get a reply is a {@link LimiterStoreUnavailableException} naming the store, never its
 * credentials nor a value. One thread-safe connection per store, re-established in the background as the limiter's.
 */
public final class ValkeyTokenStore implements AutoCloseable {

    private static final byte[] PUT = ascii("put");
    private static final byte[] DELETE_IF = ascii("delete-if");
    private static final SecureRandom HOLDERS = new SecureRandom();

    private final ValkeyConnection connection;
    private final String keyPrefix;

    private ValkeyTokenStore(ValkeyConnection connection, ValkeyStoreOptions options) {
        this.connection = connection;
        this.keyPrefix = options.keyPrefix();
    }

    /**
     * Tokens on one server, {@code redis://host:port} ({@code rediss://} for TLS), under {@code options}' key prefix;
     * the coalescing and denial-memory options do not apply.
     *
     * @throws IllegalArgumentException         when the URI is malformed
     * @throws LimiterStoreUnavailableException when the server cannot be reached
     */
    public static ValkeyTokenStore standalone(String uri, ValkeyStoreOptions options) {
        return new ValkeyTokenStore(ValkeyConnection.standalone(uri, options, ValkeyConnection.TOKENS), options);
    }

    /**
     * Tokens on a cluster, found through {@code seedUris}, under {@code options}' key prefix.
     *
     * @throws IllegalArgumentException         when no URI is given or one is malformed
     * @throws LimiterStoreUnavailableException when no seed can be reached
     */
    public static ValkeyTokenStore cluster(List<String> seedUris, ValkeyStoreOptions options) {
        return new ValkeyTokenStore(ValkeyConnection.cluster(seedUris, options, ValkeyConnection.TOKENS), options);
    }

    /** A new lease holder: 16 random bytes, unique to one {@link #tryLease} in the fleet. */
    public static byte[] newHolder() {
        byte[] holder = new byte[16];
        HOLDERS.nextBytes(holder);
        return holder;
    }

    /** The bytes stored under {@code key}, until their time to live runs out. */
    public Optional<byte[]> get(String key) {
        byte[] value = connection.call(c -> c.get(valueKey(key)));
        return Optional.ofNullable(value);
    }

    /**
     * Takes {@code key}'s lease for {@code holder} for at most {@code lease} ({@code SET NX PX}): true when no one held
     * it; false while anyone (this holder included) holds it.
     *
     * @throws IllegalArgumentException when {@code lease} is under 1 ms or {@code holder} is empty
     */
    public boolean tryLease(String key, byte[] holder, Duration lease) {
        long ms = positiveMillis(lease, "lease");
        byte[] h = requireHolder(holder);
        return "OK".equals(connection.call(c -> c.set(leaseKey(key), h, SetArgs.Builder.nx().px(ms))));
    }

    /**
     * Stores {@code value} under {@code key} for {@code ttl} (PX), and, in the same atomic step, ends {@code key}'s
     * lease if {@code holder} still holds it.
     *
     * @param holder the lease's holder, or empty to end no lease
     * @return whether the lease was ended
     * @throws IllegalArgumentException when {@code ttl} is under 1 ms or {@code value} is empty
     */
    public boolean put(String key, byte[] value, Duration ttl, byte[] holder) {
        Objects.requireNonNull(value, "value");
        if (value.length == 0) {
            throw new IllegalArgumentException("value is empty; a token store holds no empty values");
        }
        long ms = positiveMillis(ttl, "ttl");
        Objects.requireNonNull(holder, "holder");
        long ended = connection.<Long>run(ScriptOutputType.INTEGER, new byte[][] {valueKey(key), leaseKey(key)},
                new byte[][] {PUT, value, ascii(Long.toString(ms)), holder});
        return ended == 1L;
    }

    /** Ends {@code key}'s lease if {@code holder} still holds it; returns whether it did. */
    public boolean releaseLease(String key, byte[] holder) {
        return deleteIf(leaseKey(key), requireHolder(holder));
    }

    /**
     * Deletes {@code key}'s value if it is still exactly {@code expected} (compare-and-delete); a value stored since
     * stays. Returns whether it deleted.
     */
    public boolean deleteIf(String key, byte[] expected) {
        return deleteIf(valueKey(key), Objects.requireNonNull(expected, "expected"));
    }

    private boolean deleteIf(byte[] valkeyKey, byte[] expected) {
        long deleted = connection.<Long>run(ScriptOutputType.INTEGER, new byte[][] {valkeyKey}, new byte[][] {DELETE_IF, expected});
        return deleted == 1L;
    }

    /** The Valkey key of {@code key}'s value: {@code <prefix>:{token:<sha256 hex>}:value}. */
    public String valueKeyName(String key) {
        return slot(key) + ":value";
    }

    /** The Valkey key of {@code key}'s lease: {@code <prefix>:{token:<sha256 hex>}:lease}. */
    public String leaseKeyName(String key) {
        return slot(key) + ":lease";
    }

    private byte[] valueKey(String key) {
        return ascii(valueKeyName(key));
    }

    private byte[] leaseKey(String key) {
        return ascii(leaseKeyName(key));
    }

    private String slot(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key is missing; a token's key names its market, app and account");
        }
        return keyPrefix + ":{token:" + sha256Hex(key) + "}";
    }

    /** {@code valkey redis://host:port} or {@code valkey-cluster [redis://host:port, …]}; never credentials. */
    public String describe() {
        return connection.description();
    }

    /** Closes the connection and releases the client's threads. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "ValkeyTokenStore[" + describe() + ", prefix " + keyPrefix + "]";
    }

    private static long positiveMillis(Duration d, String name) {
        if (d == null || d.toMillis() < 1) {
            throw new IllegalArgumentException(name + " is " + d + ", must be at least 1 ms");
        }
        return d.toMillis();
    }

    private static byte[] requireHolder(byte[] holder) {
        if (holder == null || holder.length == 0) {
            throw new IllegalArgumentException("holder is empty; a lease needs a holder (ValkeyTokenStore.newHolder())");
        }
        return holder;
    }

    private static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
