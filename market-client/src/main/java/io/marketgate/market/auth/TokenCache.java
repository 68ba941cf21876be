package io.marketgate.market.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the fleet keeps market access tokens, so that thousands of instances share one token per account instead of
 * each fetching its own: Valkey in a deployed environment (encrypted, with the token's expiry), memory in a test or
 * an embedded run. Storage only; {@link SharedTokens} decides who fetches and when.
 *
 * <p>Keys are made by the adapter ({@code naver:app-id:SELLER:account-id}); implementations may hash them.
 */
public interface TokenCache {

    /** The token stored under {@code key}, if any (an implementation may drop it at its expiry). */
    Optional<CachedToken> get(String key);

    /**
     * Claims the right to fetch {@code key}'s token for at most {@code lease}: true for one caller of the whole fleet
     * at a time, until it {@link #put puts} a token, {@link #releaseLease releases} the lease, or the lease expires (a
     * fetcher that vanished blocks no one for longer).
     */
    boolean tryLease(String key, Duration lease);

    /** Stores {@code token} under {@code key} until its expiry and ends the lease. */
    void put(String key, CachedToken token);

    /** Ends the lease without a new token (the fetch failed). */
    void releaseLease(String key);

    /**
     * Forgets {@code key}'s token if it is still {@code value} (the market refused it); a newer token that another
     * instance stored meanwhile stays.
     */
    void invalidate(String key, String value);
}
