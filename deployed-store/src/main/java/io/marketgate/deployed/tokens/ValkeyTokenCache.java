package io.marketgate.deployed.tokens;

import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.valkey.ValkeyTokenStore;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.InMemoryTokenCache;
import io.marketgate.market.auth.TokenCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's shared access tokens in the limiter's Valkey ({@link ValkeyTokenStore}), sealed by
 * {@link TokenEncryption}: what {@link io.marketgate.market.auth.SharedTokens} uses in a deployment, so that thousands
 * of Lambda instances share one token per account and one of them at a time fetches the next.
 *
 * <pre>{@code
 * TokenCache tokens = TokenCaches.forStore(deployedStore, TokenEncryption.fromSecret(secretId, secretsManager));
 * AdapterContext context = AdapterContext.of(System::getenv).withTokens(tokens);
 * }</pre>
 *
 * <ul>
 *   <li>{@link #get}: the stored blob, opened; one that does not open (another key, altered, moved) is absent, and
 *       logged without its content, so the next caller fetches and overwrites it.</li>
 *   <li>{@link #tryLease}: {@code SET lease holder NX PX}, the holder random per lease and remembered here, so that
 *       {@link #put} and {@link #releaseLease} end only this instance's lease, not one another instance took after
 *       this one's expired.</li>
 *   <li>{@link #put}: sealed, stored with PX = the time left until the token's expiry by this cache's clock, and
 *       this instance's lease ended, in one script; a token already expired is not stored.</li>
 *   <li>{@link #invalidate}: the stored blob is read, and deleted only if it is still the same bytes (compare-and-
 *       delete in a script) and holds the refused value; a newer token stays.</li>
 * </ul>
 *
 * <p>While Valkey cannot be reached (or the first connection fails: it is opened on first use, then again at most
 * every {@link #RECONNECT_AFTER}), each operation falls back to a cache in this instance's memory, which {@link #put}
 * always fills: each instance then fetches and keeps its own token, as the limiter then limits per instance. The
 * outage and the recovery are logged once each. Thread-safe.
 */
public final class ValkeyTokenCache implements TokenCache, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ValkeyTokenCache.class);

    /** How long after a failed first connection the next is tried (meanwhile the memory fallback serves). */
    public static final Duration RECONNECT_AFTER = Duration.ofSeconds(5);

    private final String description;
    private final Supplier<ValkeyTokenStore> opener;
    private final TokenEncryption encryption;
    private final Clock clock;
    private final InMemoryTokenCache local;
    /** The holder of each lease this instance took and has not ended. */
    private final ConcurrentMap<String, byte[]> holders = new ConcurrentHashMap<>();
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final Object opening = new Object();
    private volatile ValkeyTokenStore store;
    private volatile boolean closed;
    private Instant nextAttempt = Instant.MIN;

    private ValkeyTokenCache(String description, Supplier<ValkeyTokenStore> opener, ValkeyTokenStore store,
            TokenEncryption encryption, Clock clock) {
        this.description = Objects.requireNonNull(description, "description");
        this.opener = opener;
        this.store = store;
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.local = new InMemoryTokenCache(clock);
    }

    /** A cache on an open {@code store}, which it closes when it is closed. */
    public static ValkeyTokenCache on(ValkeyTokenStore store, TokenEncryption encryption, Clock clock) {
        Objects.requireNonNull(store, "store");
        return new ValkeyTokenCache(store.describe(), () -> store, store, encryption, clock);
    }

    /**
     * A cache that opens its store with {@code opener} when first used (a cold start connects nothing a market
     * without tokens does not need); a failed attempt is retried at most every {@link #RECONNECT_AFTER}.
     *
     * @param description where the store is, for logs (never a password)
     */
    public static ValkeyTokenCache connecting(String description, Supplier<ValkeyTokenStore> opener,
            TokenEncryption encryption, Clock clock) {
        return new ValkeyTokenCache(description, Objects.requireNonNull(opener, "opener"), null, encryption, clock);
    }

    @Override
    public Optional<CachedToken> get(String key) {
        return valkey("read", s -> s.get(key).flatMap(blob -> open(key, blob)), () -> local.get(key));
    }

    @Override
    public boolean tryLease(String key, Duration lease) {
        byte[] holder = ValkeyTokenStore.newHolder();
        return valkey("lease", s -> {
            boolean taken = s.tryLease(key, holder, lease);
            if (taken) {
                holders.put(key, holder);
            }
            return taken;
        }, () -> local.tryLease(key, lease));
    }

    @Override
    public void put(String key, CachedToken token) {
        Objects.requireNonNull(token, "token");
        local.put(key, token);
        byte[] holder = holders.remove(key);
        Duration ttl = Duration.between(clock.instant(), token.expiresAt());
        if (ttl.toMillis() < 1) {
            log.warn("the access token of {} has expired by {} (at {}) and is not stored", key, clock.instant(), token.expiresAt());
            if (holder != null) {
                valkey("lease end", s -> s.releaseLease(key, holder), () -> false);
            }
            return;
        }
        byte[] blob = encryption.seal(key, token);
        valkey("store", s -> s.put(key, blob, ttl, holder != null ? holder : new byte[0]), () -> false);
    }

    @Override
    public void releaseLease(String key) {
        local.releaseLease(key);
        byte[] holder = holders.remove(key);
        if (holder != null) {
            valkey("lease end", s -> s.releaseLease(key, holder), () -> false);
        }
    }

    @Override
    public void invalidate(String key, String value) {
        local.invalidate(key, value);
        valkey("invalidation", s -> {
            Optional<byte[]> blob = s.get(key);
            if (blob.isPresent() && open(key, blob.get()).filter(t -> sameValue(t.value(), value)).isPresent()) {
                return s.deleteIf(key, blob.get());
            }
            return false;
        }, () -> false);
    }

    /** The store's description and the sealing key's id; never a key or a token. */
    @Override
    public String toString() {
        return "ValkeyTokenCache[" + description + ", " + encryption + "]";
    }

    /** Closes the store, if it was opened. */
    @Override
    public void close() {
        synchronized (opening) {
            closed = true;
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }

    private Optional<CachedToken> open(String key, byte[] blob) {
        try {
            return Optional.of(encryption.open(key, blob));
        } catch (UnreadableTokenException e) {
            log.warn("the shared access token of {} in {} is treated as absent: {}", key, description, e.getMessage());
            return Optional.empty();
        }
    }

    /** Runs {@code operation} on the store; while it cannot be reached, {@code fallback} answers instead. */
    private <T> T valkey(String what, Function<ValkeyTokenStore, T> operation, Supplier<T> fallback) {
        T result;
        try {
            result = operation.apply(store());
        } catch (LimiterStoreUnavailableException e) {
            if (degraded.compareAndSet(false, true)) {
                log.warn("shared access tokens: the {} failed ({}); until {} answers again each instance keeps its own "
                        + "tokens in memory", what, e.getMessage(), description);
            }
            return fallback.get();
        }
        if (degraded.compareAndSet(true, false)) {
            log.info("shared access tokens: {} answers again; the fleet shares its tokens", description);
        }
        return result;
    }

    private ValkeyTokenStore store() {
        ValkeyTokenStore s = store;
        if (s != null) {
            return s;
        }
        synchronized (opening) {
            if (closed) {
                throw new IllegalStateException("the token cache on " + description + " is closed");
            }
            if (store == null) {
                Instant now = clock.instant();
                if (now.isBefore(nextAttempt)) {
                    throw new LimiterStoreUnavailableException("the token store " + description + " could not be reached; "
                            + "the next attempt is at " + nextAttempt, null);
                }
                try {
                    store = opener.get();
                } catch (LimiterStoreUnavailableException e) {
                    nextAttempt = now.plus(RECONNECT_AFTER);
                    throw e;
                }
            }
            return store;
        }
    }

    private static boolean sameValue(String stored, String refused) {
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), refused.getBytes(StandardCharsets.UTF_8));
    }
}
