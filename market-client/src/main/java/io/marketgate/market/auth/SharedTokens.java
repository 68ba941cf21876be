package io.marketgate.market.auth;

import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One access token per account for the whole fleet: served from the {@link TokenCache} while valid; fetched by one
 * instance at a time (a lease in the cache) when missing or due for renewal, while the others keep using the old
 * one or, when there is none, wait for the fetcher's; refetched once when the market refuses it
 * ({@link #refused}).
 *
 * <pre>{@code
 * SharedTokens tokens = new SharedTokens(cache, Clock.systemUTC());
 * SharedTokens.Obtained t = tokens.token("naver:app:SELF:-", () -> client.execute(tokenCall));
 * }</pre>
 */
public final class SharedTokens {

    /** How long one instance may hold the right to fetch before another may try. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    /** How long an instance without any valid token waits for another instance's fetch. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(50);

    /** Fetches a token from the market: a call through the limiter whose {@link CallOutcome.Ok} carries {@link MarketData.Token}. */
    @FunctionalInterface
    public interface Fetcher {
        CallOutcome fetch() throws InterruptedException;
    }

    /** A token, or why there is none. */
    public sealed interface Obtained {
        /** A token to send. */
        record Token(CachedToken token) implements Obtained {}

        /** No token: the fetch's outcome (deferred, throttled, refused, failed) stands for the call that needed it. */
        record Failed(CallOutcome outcome) implements Obtained {}
    }

    private final TokenCache cache;
    private final Clock clock;
    private final Duration lease;
    private final Duration wait;

    public SharedTokens(TokenCache cache, Clock clock) {
        this(cache, clock, DEFAULT_LEASE, DEFAULT_WAIT);
    }

    public SharedTokens(TokenCache cache, Clock clock, Duration lease, Duration wait) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /** The cache behind these tokens. */
    public TokenCache cache() {
        return cache;
    }

    /** The token of {@code key}: cached, renewed by this instance when due and it wins the lease, or fetched. */
    public Obtained token(String key, Fetcher fetcher) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Instant now = clock.instant();
            Optional<CachedToken> cached = cache.get(key).filter(t -> t.validAt(now));
            if (cached.isPresent() && !cached.get().dueAt(now)) {
                return new Obtained.Token(cached.get());
            }
            if (cache.tryLease(key, lease)) {
                // another instance may have stored a new token between the read above and this lease (ending its own
                // lease): read again, so that a renewal costs the fleet one fetch, not one per instance that read early
                Instant leased = clock.instant();
                Optional<CachedToken> current = cache.get(key).filter(t -> t.validAt(leased));
                if (current.isPresent() && !current.get().dueAt(leased)) {
                    cache.releaseLease(key);
                    return new Obtained.Token(current.get());
                }
                return fetch(key, fetcher, current);
            }
            if (cached.isPresent()) {
                return new Obtained.Token(cached.get()); // another instance renews it; this one is still good
            }
            if (!clock.instant().isBefore(deadline)) {
                return new Obtained.Failed(new CallOutcome.Retryable("another instance is fetching the access token of "
                        + key + " and has not stored it within " + wait));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The market refused {@code token} (expired or revoked): forget it unless another instance already replaced it. */
    public void refused(String key, CachedToken token) {
        cache.invalidate(key, token.value());
    }

    private Obtained fetch(String key, Fetcher fetcher, Optional<CachedToken> stillValid) throws InterruptedException {
        CallOutcome outcome;
        try {
            outcome = fetcher.fetch();
        } catch (InterruptedException | RuntimeException e) {
            cache.releaseLease(key);
            throw e;
        }
        if (outcome instanceof CallOutcome.Ok(MarketData.Token issued)) {
            CachedToken token = issued.token();
            cache.put(key, token);
            return new Obtained.Token(token);
        }
        cache.releaseLease(key);
        if (stillValid.isPresent() && !(outcome instanceof CallOutcome.Fatal)) {
            return new Obtained.Token(stillValid.get()); // renewal failed for now; the old token still works
        }
        return new Obtained.Failed(outcome);
    }
}
