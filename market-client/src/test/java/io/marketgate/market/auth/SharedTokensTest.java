package io.marketgate.market.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One token per key for every caller: fetched once, renewed once when due, refetched once after a refusal. */
class SharedTokensTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final String KEY = "naver:app-1:SELF:-";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryTokenCache cache = new InMemoryTokenCache(clock);
    private final SharedTokens tokens = new SharedTokens(cache, clock);
    private final AtomicInteger fetches = new AtomicInteger();

    private SharedTokens.Fetcher issuing(String prefix) {
        return () -> {
            int n = fetches.incrementAndGet();
            Instant now = clock.instant();
            Instant expires = now.plus(Duration.ofHours(3));
            return new CallOutcome.Ok(new MarketData.Token(new CachedToken(prefix + n, expires, expires.minus(Duration.ofMinutes(30)))));
        };
    }

    @Test
    void callers_share_the_cached_token_until_it_is_due_and_then_one_of_them_renews_it() throws Exception {
        // GIVEN a token fetched at T0
        assertThat(value(tokens.token(KEY, issuing("t")))).isEqualTo("t1");

        // WHEN asked again before it is due, and after it is due
        clock.set(T0.plus(Duration.ofHours(2)));
        String beforeDue = value(tokens.token(KEY, issuing("t")));
        clock.set(T0.plus(Duration.ofMinutes(151)));
        String afterDue = value(tokens.token(KEY, issuing("t")));
        String next = value(tokens.token(KEY, issuing("t")));

        // THEN
        assertThat(beforeDue).isEqualTo("t1");
        assertThat(afterDue).isEqualTo("t2");
        assertThat(next).isEqualTo("t2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void many_callers_without_a_token_cause_one_fetch_and_all_get_its_token() throws Exception {
        // GIVEN a fetch that takes a while, and 16 callers at once
        CountDownLatch started = new CountDownLatch(1);
        SharedTokens.Fetcher slow = () -> {
            started.countDown();
            Thread.sleep(200);
            return issuing("t").fetch();
        };
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> value(tokens.token(KEY, slow))));
            }

            // THEN
            for (Future<String> r : results) {
                assertThat(r.get()).isEqualTo("t1");
            }
            assertThat(fetches).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_refused_token_is_fetched_again_once_but_a_newer_one_is_not_thrown_away() throws Exception {
        // GIVEN t1, refused by the market
        CachedToken t1 = ((SharedTokens.Obtained.Token) tokens.token(KEY, issuing("t"))).token();
        tokens.refused(KEY, t1);

        // WHEN the next caller asks, then a late refusal of t1 arrives
        String second = value(tokens.token(KEY, issuing("t")));
        tokens.refused(KEY, t1);
        String third = value(tokens.token(KEY, issuing("t")));

        // THEN one refetch; t2 survives the late refusal of t1
        assertThat(second).isEqualTo("t2");
        assertThat(third).isEqualTo("t2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void a_refused_fetch_stands_for_the_call_and_frees_the_lease_for_the_next_caller() throws Exception {
        // GIVEN the market rejects the credentials once
        SharedTokens.Fetcher rejected = () -> new CallOutcome.Fatal("bad sign", CallOutcome.Cause.CREDENTIALS_REJECTED);

        // WHEN
        SharedTokens.Obtained first = tokens.token(KEY, rejected);
        String next = value(tokens.token(KEY, issuing("t")));

        // THEN
        assertThat(first).isEqualTo(new SharedTokens.Obtained.Failed(
                new CallOutcome.Fatal("bad sign", CallOutcome.Cause.CREDENTIALS_REJECTED)));
        assertThat(next).isEqualTo("t1");
    }

    @Test
    void a_renewal_that_fails_for_now_keeps_serving_the_still_valid_token() throws Exception {
        // GIVEN t1 is due but valid, and the renewal is throttled
        tokens.token(KEY, issuing("t"));
        clock.set(T0.plus(Duration.ofMinutes(160)));

        // WHEN
        String served = value(tokens.token(KEY, () -> new CallOutcome.Throttled(java.util.Optional.empty(), List.of(), "429")));

        // THEN
        assertThat(served).isEqualTo("t1");
    }

    @Test
    void a_cached_token_never_prints_its_value() throws Exception {
        CachedToken t = ((SharedTokens.Obtained.Token) tokens.token(KEY, issuing("secret-token-"))).token();

        assertThat(t.toString()).doesNotContain("secret-token-").contains(Credentials.MASK);
        assertThat(new MarketData.Token(t).toString()).doesNotContain("secret-token-");
    }

    private static String value(SharedTokens.Obtained obtained) {
        assertThat(obtained).isInstanceOf(SharedTokens.Obtained.Token.class);
        return ((SharedTokens.Obtained.Token) obtained).token().value();
    }

    /** A clock a test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
