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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The refresh protocol of {@link MallConnections}: one refresh per version, a pair never lost, a failure that rotated nothing. */
class MallConnectionsTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private static ConnectionTokens pair(String access, String refresh) {
        return pair(access, refresh, T0);
    }

    /** A pair issued at {@code at}: 2 hours and 14 days, due 10 minutes and a day before. */
    private static ConnectionTokens pair(String access, String refresh, Instant at) {
        return new ConnectionTokens(new CachedToken(access, at.plus(Duration.ofHours(2)), at.plus(Duration.ofMinutes(110))),
                new CachedToken(refresh, at.plus(Duration.ofDays(14)), at.plus(Duration.ofDays(13))));
    }

    /** A market that rotates: each refresh token works once and yields the next pair; a reuse is invalid_grant. */
    private static final class RotatingMarket {
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger invalidGrants = new AtomicInteger();
        private String current = "R0";
        private final Instant issuedAt;

        RotatingMarket() {
            this(T0);
        }

        RotatingMarket(Instant issuedAt) {
            this.issuedAt = issuedAt;
        }

        synchronized CallOutcome refresh(CachedToken token) {
            if (!token.value().equals(current)) {
                invalidGrants.incrementAndGet();
                return new CallOutcome.Fatal("invalid_grant", CallOutcome.Cause.RECONNECT_REQUIRED);
            }
            int n = refreshes.incrementAndGet();
            current = "R" + n;
            ConnectionTokens next = pair("A" + n, current, issuedAt);
            return new CallOutcome.Ok(new MarketData.TokenPair(next.access(), next.refresh()));
        }
    }

    @Test
    void many_instances_that_saw_the_same_token_refused_refresh_it_once_and_all_use_the_new_one() throws Exception {
        // GIVEN 16 instances (each its own MallConnections) of one store, and a connection whose access token A0 was refused
        Instant now = Instant.now();
        InMemoryConnectionStore store = new InMemoryConnectionStore();
        store.connect("cafe24", "s-1", pair("A0", "R0", now), now);
        RotatingMarket market = new RotatingMarket(now);
        int n = 16;
        List<MallConnections> instances = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MallConnections c = new MallConnections(store, Clock.systemUTC());
            c.refused("cafe24", "s-1", pair("A0", "R0", now).access());
            instances.add(c);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<MallConnections.Obtained>> results = new ArrayList<>();

        // WHEN all ask for the token at once
        for (MallConnections c : instances) {
            results.add(pool.submit((Callable<MallConnections.Obtained>) () -> {
                go.await();
                return c.accessToken("cafe24", "s-1", market::refresh);
            }));
        }
        go.countDown();
        List<String> tokens = new ArrayList<>();
        for (Future<MallConnections.Obtained> r : results) {
            tokens.add(((MallConnections.Obtained.Token) r.get()).token().value());
        }
        pool.shutdown();

        // THEN the market saw one refresh and no reuse; every instance got A1; the store holds version 2
        assertThat(market.refreshes).hasValue(1);
        assertThat(market.invalidGrants).hasValue(0);
        assertThat(tokens).containsOnly("A1");
        assertThat(store.read("cafe24", "s-1").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void a_refreshed_pair_the_store_will_not_take_is_kept_and_written_at_the_next_use_without_a_second_refresh() throws Exception {
        // GIVEN a store that fails every write for a while
        InMemoryConnectionStore backing = new InMemoryConnectionStore();
        backing.connect("cafe24", "s-1", pair("A0", "R0"), T0);
        FailingWrites store = new FailingWrites(backing);
        RotatingMarket market = new RotatingMarket();
        // a lease barely longer than the write margin: the write is kept in memory after one failure
        MallConnections connections = new MallConnections(store, CLOCK, MallConnections.WRITE_MARGIN.plusMillis(50), Duration.ofSeconds(1));
        connections.refused("cafe24", "s-1", pair("A0", "R0").access());
        store.failing = true;

        // WHEN the token is needed while the store fails, and again once it works
        MallConnections.Obtained during = connections.accessToken("cafe24", "s-1", market::refresh);
        store.failing = false;
        MallConnections.Obtained after = connections.accessToken("cafe24", "s-1", market::refresh);

        // THEN the market refreshed once; the new pair was used at once and stored later
        assertThat(((MallConnections.Obtained.Token) during).token().value()).isEqualTo("A1");
        assertThat(((MallConnections.Obtained.Token) after).token().value()).isEqualTo("A1");
        assertThat(market.refreshes).hasValue(1);
        assertThat(backing.read("cafe24", "s-1").orElseThrow().tokens().orElseThrow().refresh().value()).isEqualTo("R1");
    }

    @Test
    void a_refresh_that_failed_for_now_rotates_nothing_ends_the_lease_and_the_same_refresh_token_works_after() throws Exception {
        InMemoryConnectionStore store = new InMemoryConnectionStore();
        store.connect("cafe24", "s-1", pair("A0", "R0"), T0);
        MallConnections connections = new MallConnections(store, CLOCK);
        connections.refused("cafe24", "s-1", pair("A0", "R0").access());
        RotatingMarket market = new RotatingMarket();

        MallConnections.Obtained failed = connections.accessToken("cafe24", "s-1", t -> new CallOutcome.Retryable("HTTP 503"));
        MallConnection between = store.read("cafe24", "s-1").orElseThrow();
        MallConnections.Obtained retried = connections.accessToken("cafe24", "s-1", market::refresh);

        assertThat(failed).isEqualTo(new MallConnections.Obtained.Failed(new CallOutcome.Retryable("HTTP 503")));
        assertThat(between.version()).isEqualTo(1);
        assertThat(between.lease()).isEmpty();
        assertThat(((MallConnections.Obtained.Token) retried).token().value()).isEqualTo("A1");
        assertThat(market.invalidGrants).hasValue(0);
    }

    @Test
    void a_pair_in_hand_is_stored_over_a_reconnect_mark_made_from_the_same_version() {
        // GIVEN another instance marked version 1 reconnect-required (its late refresh with R0 was refused)
        InMemoryConnectionStore store = new InMemoryConnectionStore();
        store.connect("cafe24", "s-1", pair("A0", "R0"), T0);
        store.markReconnectRequired("cafe24", "s-1", 1, "invalid_grant", T0);

        // WHEN the pair the market issued for version 1 is written
        boolean written = store.refreshed("cafe24", "s-1", 1, pair("A1", "R1"), T0);

        // THEN it holds: the pair is good; a write for an older version does not
        assertThat(written).isTrue();
        assertThat(store.read("cafe24", "s-1").orElseThrow().connected()).isTrue();
        assertThat(store.refreshed("cafe24", "s-1", 1, pair("A9", "R9"), T0)).isFalse();
    }

    @Test
    void a_refresh_refused_with_invalid_grant_marks_the_connection_and_says_so() throws Exception {
        InMemoryConnectionStore store = new InMemoryConnectionStore();
        store.connect("cafe24", "s-1", pair("A0", "R0"), T0);
        MallConnections connections = new MallConnections(store, CLOCK);
        connections.refused("cafe24", "s-1", pair("A0", "R0").access());

        MallConnections.Obtained refused = connections.accessToken("cafe24", "s-1",
                t -> new CallOutcome.Fatal("invalid_grant: revoked", CallOutcome.Cause.RECONNECT_REQUIRED));
        MallConnections.Obtained after = connections.accessToken("cafe24", "s-1", t -> {
            throw new AssertionError("a reconnect-required connection is not refreshed");
        });

        assertThat(refused).isInstanceOfSatisfying(MallConnections.Obtained.Failed.class,
                f -> assertThat(((CallOutcome.Fatal) f.outcome()).cause()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED));
        MallConnection marked = store.read("cafe24", "s-1").orElseThrow();
        assertThat(marked.status()).isEqualTo(MallConnection.Status.RECONNECT_REQUIRED);
        assertThat(marked.reason()).contains("invalid_grant: revoked");
        assertThat(after).isInstanceOfSatisfying(MallConnections.Obtained.Failed.class,
                f -> assertThat(((CallOutcome.Fatal) f.outcome()).reason()).contains("needs a new consent"));
    }

    /** A store whose refreshed() throws while {@code failing}. */
    private static final class FailingWrites implements ConnectionStore {
        private final ConnectionStore store;
        volatile boolean failing;

        FailingWrites(ConnectionStore store) {
            this.store = store;
        }

        @Override
        public Optional<MallConnection> read(String market, String sellerId) {
            return store.read(market, sellerId);
        }

        @Override
        public MallConnection connect(String market, String sellerId, ConnectionTokens tokens, Instant at) {
            return store.connect(market, sellerId, tokens, at);
        }

        @Override
        public boolean claim(String market, String sellerId, long version, String owner, Instant until, Instant now) {
            return store.claim(market, sellerId, version, owner, until, now);
        }

        @Override
        public boolean refreshed(String market, String sellerId, long version, ConnectionTokens tokens, Instant at) {
            if (failing) {
                throw new IllegalStateException("the store is down");
            }
            return store.refreshed(market, sellerId, version, tokens, at);
        }

        @Override
        public void release(String market, String sellerId, long version, String owner) {
            store.release(market, sellerId, version, owner);
        }

        @Override
        public boolean markReconnectRequired(String market, String sellerId, long version, String reason, Instant at) {
            return store.markReconnectRequired(market, sellerId, version, reason, at);
        }

        @Override
        public List<String> expiringBefore(String market, Instant before, int limit) {
            return store.expiringBefore(market, before, limit);
        }
    }
}
