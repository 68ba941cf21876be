package io.marketgate.market.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Races between instances around the lease, on a fixed clock. */
class SharedTokensLeaseTest {

    private static final String KEY = "naver:app:SELF:-";
    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final AtomicInteger fetches = new AtomicInteger();

    private CallOutcome fetch(String value) {
        fetches.incrementAndGet();
        return new CallOutcome.Ok(new MarketData.Token(new CachedToken(value, NOW.plus(Duration.ofHours(3)),
                NOW.plus(Duration.ofMinutes(150)))));
    }

    @Test
    void a_token_another_instance_stored_between_the_read_and_the_lease_is_used_not_fetched_again() throws InterruptedException {
        // GIVEN a cache in which, just before this instance takes the lease, another instance stores a new token and
        // ends its own lease (the read before the lease saw none)
        InMemoryTokenCache memory = new InMemoryTokenCache(CLOCK);
        CachedToken theirs = new CachedToken("theirs", NOW.plus(Duration.ofHours(3)), NOW.plus(Duration.ofMinutes(150)));
        TokenCache racing = new Delegating(memory) {
            @Override
            public boolean tryLease(String key, Duration lease) {
                if (memory.get(key).isEmpty()) {
                    memory.put(key, theirs);
                }
                return super.tryLease(key, lease);
            }
        };
        SharedTokens tokens = new SharedTokens(racing, CLOCK);

        // WHEN this instance asks for the token
        SharedTokens.Obtained obtained = tokens.token(KEY, () -> fetch("mine"));

        // THEN it uses theirs, fetches nothing, and leaves the lease free
        assertThat(obtained).isEqualTo(new SharedTokens.Obtained.Token(theirs));
        assertThat(fetches).hasValue(0);
        assertThat(memory.tryLease(KEY, Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void a_missing_token_is_fetched_once_and_then_served_from_the_cache() throws InterruptedException {
        SharedTokens tokens = new SharedTokens(new InMemoryTokenCache(CLOCK), CLOCK);

        SharedTokens.Obtained first = tokens.token(KEY, () -> fetch("t1"));
        SharedTokens.Obtained second = tokens.token(KEY, () -> fetch("t2"));

        assertThat(first).isEqualTo(second);
        assertThat(fetches).hasValue(1);
    }

    /** A cache that passes everything to another one; tests override what they disturb. */
    private static class Delegating implements TokenCache {
        private final TokenCache inner;

        Delegating(TokenCache inner) {
            this.inner = inner;
        }

        @Override
        public Optional<CachedToken> get(String key) {
            return inner.get(key);
        }

        @Override
        public boolean tryLease(String key, Duration lease) {
            return inner.tryLease(key, lease);
        }

        @Override
        public void put(String key, CachedToken token) {
            inner.put(key, token);
        }

        @Override
        public void releaseLease(String key) {
            inner.releaseLease(key);
        }

        @Override
        public void invalidate(String key, String value) {
            inner.invalidate(key, value);
        }
    }
}
