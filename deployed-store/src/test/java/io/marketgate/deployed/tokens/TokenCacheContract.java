package io.marketgate.deployed.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.valkey.ValkeyTokenStore;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketData;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.SharedTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ValkeyTokenCache} must do on any Valkey deployment the platform runs: each subclass supplies real
 * servers (a standalone one; a TLS cluster with the limiter's ACL user). Every cache of a test is its own connection,
 * as every Lambda instance is.
 */
abstract class TokenCacheContract {

    /** The token key's material, as the CDK app's generated secret holds it: the whole fleet reads the same. */
    static final String SECRET_TEXT = "Zq3o9v1kWc7TmRb2XyA5hN8dLs4PjUe6fGi0KtQ";
    private static final AtomicInteger KEYS = new AtomicInteger();

    /** A new connection to the store under test, under its key prefix. */
    protected abstract ValkeyTokenStore connect();

    /** The server that holds {@code valkeyKey}, to inspect it (PTTL) as an operator would. */
    protected abstract ValkeyServer serverOf(String valkeyKey);

    protected final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T01:00:00Z"));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private ValkeyTokenStore raw;
    /** A key of its own for each test, so that tests share servers without sharing tokens. */
    protected final String key = "naver:app-" + KEYS.incrementAndGet() + ":SELF:-";

    @AfterEach
    void closeConnections() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    /** An instance of the fleet: its own connection, the fleet's key, the test's clock. */
    protected ValkeyTokenCache instance() {
        return instance(TokenEncryption.of(TokenKey.fromText(SECRET_TEXT)));
    }

    protected ValkeyTokenCache instance(TokenEncryption encryption) {
        ValkeyTokenCache cache = ValkeyTokenCache.on(connect(), encryption, clock);
        opened.add(cache);
        return cache;
    }

    /** The test's own connection to the bytes the caches store, as an operator (or an attacker) sees them. */
    protected ValkeyTokenStore rawStore() {
        if (raw == null) {
            raw = connect();
            opened.add(raw);
        }
        return raw;
    }

    private CachedToken token(String value, Duration life) {
        Instant now = clock.instant();
        return new CachedToken(value, now.plus(life), now.plus(life).minus(Duration.ofMinutes(30)));
    }

    // ---- get, put, expiry

    @Test
    void a_token_one_instance_puts_is_read_by_another_with_its_times() {
        CachedToken token = token("access-token-1", Duration.ofHours(3));

        instance().put(key, token);

        assertThat(instance().get(key)).contains(token);
        assertThat(instance().get("naver:another-app:SELF:-")).isEmpty();
    }

    @Test
    void the_token_lives_in_valkey_as_long_as_it_is_valid_by_the_putters_clock() {
        // GIVEN a token that expires 3 hours from the putter's clock
        ValkeyTokenStore raw = rawStore();
        instance().put(key, token("access-token-1", Duration.ofHours(3)));

        // THEN Valkey keeps it 3 hours (PX), not longer and barely shorter
        long pttl = (Long) serverOf(raw.valueKeyName(key)).command("PTTL", raw.valueKeyName(key));
        assertThat(pttl).isBetween(Duration.ofHours(3).minusSeconds(5).toMillis(), Duration.ofHours(3).toMillis());
    }

    @Test
    void a_token_gone_from_valkey_at_its_expiry_is_absent() throws InterruptedException {
        // GIVEN a token with a second left
        ValkeyTokenCache cache = instance();
        cache.put(key, new CachedToken("short-lived", clock.instant().plusSeconds(1), clock.instant()));
        assertThat(cache.get(key)).isPresent();

        // WHEN the server's clock passes its expiry
        ServerClock.advance(serverOf(rawStore().valueKeyName(key)), Duration.ofSeconds(1));

        // THEN it is gone
        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void a_token_expired_by_the_clock_is_not_stored_and_its_lease_ends() {
        ValkeyTokenCache cache = instance();
        assertThat(cache.tryLease(key, Duration.ofSeconds(10))).isTrue();

        cache.put(key, new CachedToken("stale", clock.instant().minusSeconds(1), clock.instant().minusSeconds(2)));

        assertThat(instance().get(key)).isEmpty();
        assertThat(instance().tryLease(key, Duration.ofSeconds(10))).isTrue();
    }

    // ---- the lease

    @Test
    void of_many_instances_racing_for_the_lease_exactly_one_wins() throws Exception {
        // GIVEN 20 instances, each on its own connection
        List<ValkeyTokenCache> fleet = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fleet.add(instance());
        }

        // WHEN all ask for the lease at once, each on its own thread
        List<Boolean> won = everyone(fleet, c -> c.tryLease(key, Duration.ofSeconds(10)));

        // THEN one got it
        assertThat(won).filteredOn(w -> w).hasSize(1);
    }

    @Test
    void the_lease_expires_so_a_vanished_fetcher_blocks_no_one_longer() throws InterruptedException {
        // GIVEN an instance that took a 2-second lease and vanished
        ValkeyTokenCache vanished = instance();
        ValkeyTokenCache other = instance();
        String leaseKey = rawStore().leaseKeyName(key);
        assertThat(vanished.tryLease(key, Duration.ofSeconds(2))).isTrue();
        assertThat(other.tryLease(key, Duration.ofSeconds(10))).isFalse();
        assertThat((Long) serverOf(leaseKey).command("PTTL", leaseKey)).isBetween(1L, 2_000L);

        // WHEN the server's clock passes the lease
        ServerClock.advance(serverOf(leaseKey), Duration.ofSeconds(2));

        // THEN another may fetch
        assertThat(other.tryLease(key, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void put_and_release_end_the_lease() {
        ValkeyTokenCache fetcher = instance();
        ValkeyTokenCache other = instance();

        assertThat(fetcher.tryLease(key, Duration.ofSeconds(10))).isTrue();
        fetcher.put(key, token("t1", Duration.ofHours(3)));
        assertThat(other.tryLease(key, Duration.ofSeconds(10))).isTrue();
        other.releaseLease(key);
        assertThat(fetcher.tryLease(key, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void a_fetcher_whose_lease_expired_does_not_end_the_lease_another_took_since() throws InterruptedException {
        // GIVEN a slow fetcher whose lease expired, and another instance that took the lease since
        ValkeyTokenCache slow = instance();
        ValkeyTokenCache next = instance();
        ValkeyTokenCache third = instance();
        assertThat(slow.tryLease(key, Duration.ofMillis(20))).isTrue();
        ServerClock.advance(serverOf(rawStore().leaseKeyName(key)), Duration.ofMillis(21));
        assertThat(next.tryLease(key, Duration.ofSeconds(10))).isTrue();

        // WHEN the slow one stores its token at last
        slow.put(key, token("late", Duration.ofHours(3)));

        // THEN its token is stored, and the other's lease still holds
        assertThat(third.get(key)).map(CachedToken::value).contains("late");
        assertThat(third.tryLease(key, Duration.ofSeconds(10))).isFalse();
    }

    // ---- invalidate

    @Test
    void invalidate_removes_the_refused_token() {
        ValkeyTokenCache cache = instance();
        cache.put(key, token("refused", Duration.ofHours(3)));

        instance().invalidate(key, "refused");

        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void invalidate_of_an_older_token_leaves_the_newer_one() {
        // GIVEN an instance that still sends the old token, and a newer one stored by another instance
        ValkeyTokenCache renewer = instance();
        renewer.put(key, token("old", Duration.ofHours(3)));
        renewer.put(key, token("new", Duration.ofHours(3)));

        // WHEN the market refuses the old one
        instance().invalidate(key, "old");

        // THEN the new one stays
        assertThat(instance().get(key)).map(CachedToken::value).contains("new");
    }

    // ---- encryption

    @Test
    void valkey_holds_the_token_encrypted() {
        // GIVEN a token stored
        String value = "AAAAObviousAccessTokenValue0123456789";
        instance().put(key, token(value, Duration.ofHours(3)));

        // WHEN its stored bytes are read
        byte[] stored = rawStore().get(key).orElseThrow();
        String asServed = String.valueOf(serverOf(rawStore().valueKeyName(key)).command("GET", rawStore().valueKeyName(key)));

        // THEN neither the value nor the cache key is in them
        assertThat(indexOf(stored, value.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(asServed).doesNotContain(value).doesNotContain("naver:");
        assertThat(rawStore().valueKeyName(key)).doesNotContain("naver").doesNotContain("app-");
    }

    @Test
    void a_tampered_token_is_absent_and_is_then_replaced() {
        // GIVEN a stored token with one bit of its ciphertext flipped
        ValkeyTokenStore raw = rawStore();
        instance().put(key, token("genuine", Duration.ofHours(3)));
        byte[] blob = raw.get(key).orElseThrow();
        blob[blob.length - 20] ^= 1;
        raw.put(key, blob, Duration.ofHours(1), new byte[0]);

        // THEN it reads as absent, and the next fetcher may lease and store anew
        ValkeyTokenCache cache = instance();
        assertThat(cache.get(key)).isEmpty();
        assertThat(cache.tryLease(key, Duration.ofSeconds(10))).isTrue();
        cache.put(key, token("fresh", Duration.ofHours(3)));
        assertThat(instance().get(key)).map(CachedToken::value).contains("fresh");
    }

    @Test
    void a_token_sealed_with_another_key_is_absent() {
        instance(TokenEncryption.generated()).put(key, token("from-another-environment", Duration.ofHours(3)));

        assertThat(instance().get(key)).isEmpty();
    }

    @Test
    void a_token_moved_under_another_cache_key_is_absent() {
        // GIVEN one account's token copied under another account's key
        ValkeyTokenStore raw = rawStore();
        instance().put(key, token("account-a", Duration.ofHours(3)));
        String otherAccount = key.replace(":-", ":B");
        raw.put(otherAccount, raw.get(key).orElseThrow(), Duration.ofHours(1), new byte[0]);

        // THEN it does not open there
        assertThat(instance().get(otherAccount)).isEmpty();
    }

    @Test
    void a_token_sealed_with_the_previous_key_is_read_during_a_rotation() {
        TokenKey previous = TokenKey.fromText(SECRET_TEXT);
        instance(TokenEncryption.of(previous)).put(key, token("before-rotation", Duration.ofHours(3)));

        TokenEncryption rotated = TokenEncryption.of(TokenKey.generate(), previous);

        assertThat(instance(rotated).get(key)).map(CachedToken::value).contains("before-rotation");
    }

    // ---- the fleet

    @Test
    void a_fleet_of_50_instances_fetches_once_per_renewal_and_once_after_a_refusal() throws Exception {
        // GIVEN 50 instances, each with its own connection and its own SharedTokens, asking through the same clock;
        // a fetch returns a 3-hour token to renew after 2.5 hours, as Naver's
        AtomicInteger fetches = new AtomicInteger();
        SharedTokens.Fetcher fetcher = () -> {
            int n = fetches.incrementAndGet();
            Instant now = clock.instant();
            return new CallOutcome.Ok(new MarketData.Token(new CachedToken("token-" + n, now.plus(Duration.ofHours(3)),
                    now.plus(Duration.ofMinutes(150)))));
        };
        List<SharedTokens> fleet = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fleet.add(new SharedTokens(instance(), clock));
        }

        // WHEN all ask at once for a token none has
        List<String> first = everyone(fleet, t -> value(t.token(key, fetcher)));
        // THEN one fetched it, and all use it
        assertThat(fetches).hasValue(1);
        assertThat(first).containsOnly("token-1");

        for (int renewal = 2; renewal <= 4; renewal++) {
            // WHEN the token is due for renewal (still valid) and all ask at once, twice
            clock.set(clock.instant().plus(Duration.ofMinutes(150)).plusSeconds(1));
            List<String> during = everyone(fleet, t -> value(t.token(key, fetcher)));
            List<String> after = everyone(fleet, t -> value(t.token(key, fetcher)));
            // THEN one fetched the next token; the others used the old one meanwhile, and all use the new one after
            assertThat(fetches).as("fetches after renewal " + renewal).hasValue(renewal);
            assertThat(during).containsAnyOf("token-" + renewal).isSubsetOf("token-" + (renewal - 1), "token-" + renewal);
            assertThat(after).containsOnly("token-" + renewal);
        }

        // WHEN the market refuses the current token, every instance reports it, and all ask again at once
        CachedToken refused = ((SharedTokens.Obtained.Token) fleet.get(0).token(key, fetcher)).token();
        everyone(fleet, t -> {
            t.refused(key, refused);
            return null;
        });
        List<String> refetched = everyone(fleet, t -> value(t.token(key, fetcher)));

        // THEN exactly one fetched a new token, which all use
        assertThat(fetches).hasValue(5);
        assertThat(refetched).containsOnly("token-5");
    }

    private static String value(SharedTokens.Obtained obtained) {
        assertThat(obtained).isInstanceOf(SharedTokens.Obtained.Token.class);
        return ((SharedTokens.Obtained.Token) obtained).token().value();
    }

    /** Runs {@code action} on every member of {@code fleet}, each on its own thread, all released at once. */
    static <M, T> List<T> everyone(List<M> fleet, ThrowingFunction<M, T> action) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(fleet.size());
        try {
            CountDownLatch ready = new CountDownLatch(fleet.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> results = new ArrayList<>();
            for (M member : fleet) {
                Callable<T> call = () -> {
                    ready.countDown();
                    go.await();
                    return action.apply(member);
                };
                results.add(threads.submit(call));
            }
            ready.await();
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : results) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            threads.shutdownNow();
        }
    }

    @FunctionalInterface
    interface ThrowingFunction<A, B> {
        B apply(A a) throws Exception;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** A clock the test sets; shared by every instance of a test. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now;

        ManualClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock is UTC");
        }
    }

    /** Reads a real server's clock (TIME) and waits for it: the tests' only way to let store time pass. */
    static final class ServerClock {
        private ServerClock() {}

        static long nowMicros(ValkeyServer server) {
            List<?> t = (List<?>) server.command("TIME");
            return Long.parseLong((String) t.get(0)) * 1_000_000L + Long.parseLong((String) t.get(1));
        }

        /** Sleeps until the server's clock has passed its reading at the call plus {@code d}. */
        static void advance(ValkeyServer server, Duration d) throws InterruptedException {
            long target = nowMicros(server) + d.toNanos() / 1_000L;
            long left;
            while ((left = target - nowMicros(server)) >= 0) {
                Thread.sleep(left / 1_000L, (int) (left % 1_000L) * 1_000 + 1);
            }
        }
    }
}
