package io.marketgate.deployed.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.limiter.valkey.ValkeyTokenStore;
import io.marketgate.market.auth.CachedToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** While Valkey cannot be reached, each instance keeps its own tokens in memory instead of failing its calls. */
class TokenCacheOutageTest {

    private static final String KEY = "naver:app:SELF:-";
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T01:00:00Z"), ZoneOffset.UTC);
    private final ValkeyStoreOptions options = ValkeyStoreOptions.builder().keyPrefix("mg-local").build();

    private CachedToken token(String value) {
        return new CachedToken(value, clock.instant().plus(Duration.ofHours(3)), clock.instant().plus(Duration.ofMinutes(150)));
    }

    @Test
    void when_valkey_goes_away_an_instance_serves_and_fetches_its_own_tokens() {
        // GIVEN two instances sharing a token on a server that then dies
        ValkeyServer server = new ValkeyServer().start();
        TokenEncryption fleetKey = TokenEncryption.generated();
        try (ValkeyTokenCache one = ValkeyTokenCache.on(ValkeyTokenStore.standalone(server.uri(), options), fleetKey, clock);
                ValkeyTokenCache two = ValkeyTokenCache.on(ValkeyTokenStore.standalone(server.uri(), options), fleetKey, clock)) {
            one.put(KEY, token("shared-before"));
            assertThat(two.get(KEY)).map(CachedToken::value).contains("shared-before");
            server.kill();

            // THEN the instance that stored it still has it, and the other may fetch its own and keep it
            assertThat(one.get(KEY)).map(CachedToken::value).contains("shared-before");
            assertThat(two.get(KEY)).isEmpty();
            assertThat(two.tryLease(KEY, Duration.ofSeconds(10))).isTrue();
            two.put(KEY, token("own"));
            assertThat(two.get(KEY)).map(CachedToken::value).contains("own");
            // and a refused token is forgotten locally
            two.invalidate(KEY, "own");
            assertThat(two.get(KEY)).isEmpty();
        } finally {
            server.close();
        }
    }

    @Test
    void a_store_that_cannot_be_reached_at_first_use_is_tried_again_only_after_a_pause() {
        // GIVEN a cache whose store cannot be opened
        AtomicInteger attempts = new AtomicInteger();
        ValkeyServer gone = new ValkeyServer().start();
        int deadPort = gone.port();
        gone.close();
        ValkeyTokenCache cache = ValkeyTokenCache.connecting("valkey redis://127.0.0.1:" + deadPort, () -> {
            attempts.incrementAndGet();
            return ValkeyTokenStore.standalone("redis://127.0.0.1:" + deadPort, options);
        }, TokenEncryption.generated(), clock);

        // WHEN it is used several times at once
        assertThat(cache.get(KEY)).isEmpty();
        assertThat(cache.tryLease(KEY, Duration.ofSeconds(10))).isTrue();
        cache.put(KEY, token("kept-in-memory"));

        // THEN it answered from memory, having tried to connect once
        assertThat(cache.get(KEY)).map(CachedToken::value).contains("kept-in-memory");
        assertThat(attempts).hasValue(1);
        cache.close();
    }
}
