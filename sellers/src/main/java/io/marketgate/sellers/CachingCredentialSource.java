package io.marketgate.sellers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.Credentials;
import io.marketgate.market.auth.CredentialsUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The {@link CredentialSource} the handlers give the adapters: the sellers' credentials from their secrets, kept in a
 * cache for a time to live ({@link #DEFAULT_TTL}) so that a market call costs no Secrets Manager call, and read again
 * at once when the sellers table says that newer credentials were registered ({@link #expectVersion}).
 *
 * <pre>{@code
 * CachingCredentialSource source = CachingCredentialSource.builder(CachingCredentialSource.loader(store, schemas))
 *         .ttl(Duration.ofMinutes(5)).build();
 * MarketAdapters.forMarket(env, "coupang", AdapterContext.of(System::getenv).withCredentials(source));
 * }</pre>
 *
 * <p>A seller without credentials fails with {@link CredentialsUnavailableException#missing} (not cached: registering
 * them takes effect at the next call); a store that cannot be read with {@link CredentialsUnavailableException#unreachable}.
 */
public final class CachingCredentialSource implements CredentialSource {

    /** How long credentials are kept by default. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** How many sellers' credentials are kept by default (a market's sellers in one instance, with room). */
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    /** Reads a seller's credentials from where they are stored; empty when none are. */
    @FunctionalInterface
    public interface Loader {
        Optional<StoredCredentials> load(String market, String sellerId);
    }

    private record Key(String market, String sellerId) {}

    private final Loader loader;
    private final Cache<Key, StoredCredentials> cache;
    private final Duration ttl;

    private CachingCredentialSource(Builder b) {
        this.loader = b.loader;
        this.ttl = b.ttl;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(b.ttl)
                .maximumSize(b.maximumSize)
                .ticker(b.nanoTime::getAsLong)
                .executor(Runnable::run)
                .build();
    }

    /** A source over {@code loader}; see the builder's setters for the defaults. */
    public static Builder builder(Loader loader) {
        return new Builder(loader);
    }

    /** The loader of {@code store}, each market's credentials checked against its schema. */
    public static Loader loader(SellerCredentialStore store, Function<String, CredentialSchema> schemas) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(schemas, "schemas");
        return (market, sellerId) -> store.get(market, sellerId, schemas.apply(market));
    }

    /** A source with no credentials at all (no secret store is configured): every seller's are missing. */
    public static CachingCredentialSource none() {
        return builder((market, sellerId) -> Optional.empty()).build();
    }

    @Override
    public Credentials credentials(String market, String sellerId) {
        return stored(market, sellerId).credentials();
    }

    /** The credentials and their version (from the cache while fresh). */
    public StoredCredentials stored(String market, String sellerId) {
        StoredCredentials stored;
        try {
            stored = cache.get(new Key(market, sellerId), k -> loader.load(market, sellerId).orElse(null));
        } catch (CredentialsUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw CredentialsUnavailableException.unreachable(market, sellerId, e);
        }
        if (stored == null) {
            throw CredentialsUnavailableException.missing(market, sellerId);
        }
        return stored;
    }

    /**
     * Drops the seller's cached credentials unless they are of {@code version}, the version the sellers table names: a
     * collector calls it with the row it read for the request, so that credentials registered anew are used at once
     * rather than after the time to live. An empty version (the market has no per-seller credentials) changes nothing.
     */
    public void expectVersion(String market, String sellerId, Optional<String> version) {
        if (version.isEmpty()) {
            return;
        }
        Key key = new Key(market, sellerId);
        StoredCredentials cached = cache.getIfPresent(key);
        if (cached != null && !cached.versionId().equals(version.get())) {
            cache.invalidate(key);
        }
    }

    /** The version of the seller's credentials in the cache now (what its last call used), if cached. */
    public Optional<String> versionInUse(String market, String sellerId) {
        return Optional.ofNullable(cache.getIfPresent(new Key(market, sellerId))).map(StoredCredentials::versionId);
    }

    /** Forgets the seller's credentials: the next call reads them again. */
    public void invalidate(String market, String sellerId) {
        cache.invalidate(new Key(market, sellerId));
    }

    /**
     * {@code text} with the seller's cached secret values masked ({@link Credentials#mask}); unchanged when none are
     * cached. The handlers pass every market's reason through it before logging or storing it, beside the adapters' own
     * masking.
     */
    public String mask(String market, String sellerId, String text) {
        StoredCredentials cached = cache.getIfPresent(new Key(market, sellerId));
        return cached == null ? text : cached.credentials().mask(text);
    }

    public Duration ttl() {
        return ttl;
    }

    @Override
    public String toString() {
        return "CachingCredentialSource[ttl=" + ttl + ", cached=" + cache.estimatedSize() + "]";
    }

    /** Settings; each setter documents its default. */
    public static final class Builder {
        private final Loader loader;
        private Duration ttl = DEFAULT_TTL;
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(Loader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
        }

        /** How long credentials are used before they are read again; default {@link #DEFAULT_TTL}, must be positive. */
        public Builder ttl(Duration ttl) {
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl is " + ttl + ", must be positive");
            }
            this.ttl = ttl;
            return this;
        }

        /** How many sellers' credentials are kept at most; default {@link #DEFAULT_MAXIMUM_SIZE}. */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize is " + maximumSize + ", must be ≥ 1");
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** The time source of expiry, in nanoseconds; default {@link System#nanoTime()}. Tests pass a fake one. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        public CachingCredentialSource build() {
            return new CachingCredentialSource(this);
        }
    }
}
