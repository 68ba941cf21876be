package io.marketgate.market.auth;

import io.marketgate.market.CallOutcome;
import io.marketgate.market.MarketData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sellers' consent-granted connections for the whole fleet (Cafe24's malls): the access token of a seller, served
 * from this instance's cache while it is good, else read from the {@link ConnectionStore}; refreshed by exactly one
 * instance at a time when it is due, refused by the market, or its refresh token is near its end.
 *
 * <p>A market that rotates refresh tokens (the one sent dies as the new pair is issued) forgives no mistake: a second
 * refresh with the old token is refused ({@code invalid_grant}) and the seller must consent again. So a refresh is:
 * <ol>
 *   <li>a conditional <b>claim</b> of the version read (a lease of {@link #DEFAULT_LEASE}): one instance wins, the
 *       others keep using the current access token while it works, else wait up to {@link #DEFAULT_WAIT} for the
 *       winner's pair;</li>
 *   <li>the token call with the stored refresh token ({@link Refresher}, a call drawn from the limiter);</li>
 *   <li>a conditional <b>write</b> of the new pair over the version refreshed. A write that fails (the store did not
 *       answer) is retried while the lease lasts, and after that kept in this instance and written at its next use:
 *       the refresh is <em>never</em> repeated with the old token. The write also holds over a reconnect-required mark
 *       made from the same version (another instance's refresh, after this one's lease ran out, was refused because
 *       this one had used the token: the pair in hand is good).</li>
 * </ol>
 * A refresh the market refused with {@code invalid_grant} (expired, revoked, or used) is read again before it is
 * believed (another instance may have stored a pair meanwhile), then marks the connection reconnect-required: a final
 * {@link CallOutcome.Cause#RECONNECT_REQUIRED}. A refresh that failed otherwise (5xx, a timeout, the limiter's deferral)
 * ends the lease, keeps the connection as it was and stands for the call unless the current access token still works.
 * A timeout is the one case the client cannot judge: the market may have rotated the token and the answer been lost;
 * token calls therefore get a long timeout of their own (the adapter's), and a refusal after one says so in its log.
 *
 * <pre>{@code
 * MallConnections connections = new MallConnections(new DynamoConnectionStore(dynamoDb, table, sealer), Clock.systemUTC());
 * MallConnections.Obtained t = connections.accessToken("cafe24", "seller-1", refresh -> client.execute(refreshCall(refresh)));
 * }</pre>
 */
public final class MallConnections {

    private static final Logger log = LoggerFactory.getLogger(MallConnections.class);

    /**
     * How long a claim to refresh holds: far longer than a token call may take (its timeout and the limiter's wait),
     * so that a refresh in flight is never claimed by a second instance.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
    /**
     * How long before its end a refresh token is renewed: by any call that needs the connection, and by the scheduler's
     * keep-alive for a seller nobody collected ({@link ConnectionStore#expiringBefore}). A market's adapter makes its
     * refresh tokens due this long before they expire.
     */
    public static final Duration KEEP_ALIVE_MARGIN = Duration.ofDays(1);
    /** How long a call whose access token no longer works waits for another instance's refresh. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    /** How much of the lease is kept free of write retries, so that the write lands while the lease still holds. */
    static final Duration WRITE_MARGIN = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** Calls the market's token endpoint with a refresh token: a call through the limiter whose Ok carries {@link MarketData.TokenPair}. */
    @FunctionalInterface
    public interface Refresher {
        CallOutcome refresh(CachedToken refreshToken) throws InterruptedException;
    }

    /** An access token, or why there is none. */
    public sealed interface Obtained {
        /** A token to send. */
        record Token(CachedToken token) implements Obtained {}

        /** No token: the outcome (reconnect required, the refresh's failure) stands for the call that needed it. */
        record Failed(CallOutcome outcome) implements Obtained {}
    }

    /** A refreshed pair this instance could not store yet. */
    private record Pending(long version, ConnectionTokens tokens) {}

    private final ConnectionStore store;
    private final Clock clock;
    private final Duration lease;
    private final Duration wait;
    private final String owner = "instance-" + UUID.randomUUID();
    private final Map<String, MallConnection> cache = new ConcurrentHashMap<>();
    private final Map<String, String> refusedAccess = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public MallConnections(ConnectionStore store, Clock clock) {
        this(store, clock, DEFAULT_LEASE, DEFAULT_WAIT);
    }

    /**
     * @param lease how long a claim to refresh holds (longer than {@link #WRITE_MARGIN} and than a token call takes)
     * @param wait how long a call without a working token waits for another instance's refresh
     */
    public MallConnections(ConnectionStore store, Clock clock, Duration lease, Duration wait) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.wait = Objects.requireNonNull(wait, "wait");
        if (lease.compareTo(WRITE_MARGIN) <= 0) {
            throw new IllegalArgumentException("lease is " + lease + ", must be longer than " + WRITE_MARGIN);
        }
    }

    /** The store behind these connections. */
    public ConnectionStore store() {
        return store;
    }

    /** The seller's connection as stored now, if any. */
    public Optional<MallConnection> connection(String market, String sellerId) {
        return store.read(market, sellerId);
    }

    /** Stores a new consent's tokens as the seller's connection (replacing any) and uses them from now on. */
    public MallConnection connect(String market, String sellerId, ConnectionTokens tokens) {
        String key = key(market, sellerId);
        MallConnection stored = store.connect(market, sellerId, tokens, clock.instant());
        pending.remove(key);
        refusedAccess.remove(key);
        cache.put(key, stored);
        return stored;
    }

    /** The market refused {@code access} (expired early, revoked): the next call refreshes unless another instance did. */
    public void refused(String market, String sellerId, CachedToken access) {
        refusedAccess.put(key(market, sellerId), access.value());
    }

    /**
     * The seller's access token: cached while it works and is not due; else read, and refreshed through
     * {@code refresher} by this instance when it wins the claim.
     */
    public Obtained accessToken(String market, String sellerId, Refresher refresher) throws InterruptedException {
        String key = key(market, sellerId);
        flushPending(market, sellerId);
        Instant now = clock.instant();
        Pending unwritten = pending.get(key);
        if (unwritten != null && usable(key, unwritten.tokens(), now) && !due(unwritten.tokens(), now)) {
            return new Obtained.Token(unwritten.tokens().access());
        }
        MallConnection cached = cache.get(key);
        if (cached != null && cached.connected() && usable(key, cached.tokens().orElseThrow(), now)
                && !due(cached.tokens().orElseThrow(), now)) {
            return new Obtained.Token(cached.tokens().orElseThrow().access());
        }
        Instant deadline = now.plus(wait);
        while (true) {
            now = clock.instant();
            Optional<MallConnection> read;
            try {
                read = store.read(market, sellerId);
            } catch (RuntimeException e) {
                return stillUsable(key, now).orElseGet(() -> new Obtained.Failed(new CallOutcome.Retryable("the connection of seller "
                        + sellerId + " of " + market + " could not be read: " + e.getClass().getSimpleName())));
            }
            if (read.isEmpty()) {
                cache.remove(key);
                return new Obtained.Failed(new CallOutcome.Fatal("seller " + sellerId + " of " + market + " has not connected its "
                        + "mall: its owner must consent (GET /v1/sellers/" + market + "/" + sellerId + "/connect)",
                        CallOutcome.Cause.RECONNECT_REQUIRED));
            }
            MallConnection c = read.get();
            if (!c.connected()) {
                cache.remove(key);
                return new Obtained.Failed(new CallOutcome.Fatal(reconnectReason(c), CallOutcome.Cause.RECONNECT_REQUIRED));
            }
            cache.put(key, c);
            ConnectionTokens tokens = c.tokens().orElseThrow();
            boolean usable = usable(key, tokens, now);
            if (usable && !due(tokens, now)) {
                return new Obtained.Token(tokens.access());
            }
            if (!tokens.refresh().validAt(now)) {
                return expired(c, now);
            }
            Instant at = now;
            if (c.lease().filter(l -> l.heldAt(at)).isPresent()) {
                if (usable) {
                    return new Obtained.Token(tokens.access()); // another instance renews it; this one still works
                }
                if (!clock.instant().isBefore(deadline)) {
                    return new Obtained.Failed(new CallOutcome.Retryable("another instance is refreshing the connection of seller "
                            + sellerId + " of " + market + " and has not stored it within " + wait));
                }
                Thread.sleep(POLL.toMillis());
                continue;
            }
            Instant until = now.plus(lease);
            boolean claimed;
            try {
                claimed = store.claim(market, sellerId, c.version(), owner, until, now);
            } catch (RuntimeException e) {
                if (usable) {
                    return new Obtained.Token(tokens.access());
                }
                return new Obtained.Failed(new CallOutcome.Retryable("the refresh of seller " + sellerId + "'s connection could "
                        + "not be claimed: " + e.getClass().getSimpleName()));
            }
            if (claimed) {
                return refresh(c, until, refresher, usable);
            }
            // another instance claimed it or stored a new pair between the read and the claim: read again
        }
    }

    /** The cached or pending access token when it still works at {@code now}. */
    private Optional<Obtained> stillUsable(String key, Instant now) {
        Pending p = pending.get(key);
        if (p != null && usable(key, p.tokens(), now)) {
            return Optional.of(new Obtained.Token(p.tokens().access()));
        }
        MallConnection c = cache.get(key);
        if (c != null && c.connected() && usable(key, c.tokens().orElseThrow(), now)) {
            return Optional.of(new Obtained.Token(c.tokens().orElseThrow().access()));
        }
        return Optional.empty();
    }

    private Obtained refresh(MallConnection c, Instant leaseUntil, Refresher refresher, boolean currentUsable)
            throws InterruptedException {
        String market = c.market();
        String sellerId = c.sellerId();
        ConnectionTokens current = c.tokens().orElseThrow();
        CallOutcome outcome;
        try {
            outcome = refresher.refresh(current.refresh());
        } catch (InterruptedException | RuntimeException e) {
            releaseQuietly(c);
            throw e;
        }
        if (outcome instanceof CallOutcome.Ok(MarketData.TokenPair pair)) {
            ConnectionTokens fresh = ConnectionTokens.of(pair);
            write(c, fresh, leaseUntil);
            refusedAccess.remove(key(market, sellerId));
            log.info("refreshed the connection of seller {} of {} (version {}); its refresh token now expires at {}", sellerId,
                    market, c.version() + 1, fresh.refresh().expiresAt());
            return new Obtained.Token(fresh.access());
        }
        if (outcome instanceof CallOutcome.Fatal fatal && fatal.cause() == CallOutcome.Cause.RECONNECT_REQUIRED) {
            Optional<MallConnection> again = readQuietly(market, sellerId);
            if (again.isPresent() && again.get().connected() && again.get().version() > c.version()) {
                // another instance stored a pair meanwhile (this one's refresh token was already used): use it
                cache.put(key(market, sellerId), again.get());
                return new Obtained.Token(again.get().tokens().orElseThrow().access());
            }
            try {
                store.markReconnectRequired(market, sellerId, c.version(), fatal.reason(), clock.instant());
            } catch (RuntimeException e) {
                log.warn("could not mark the connection of seller {} of {} reconnect-required: {}", sellerId, market, e.toString());
            }
            cache.remove(key(market, sellerId));
            log.error("the connection of seller {} of {} needs a new consent: {}", sellerId, market, fatal.reason());
            return new Obtained.Failed(fatal);
        }
        releaseQuietly(c);
        if (outcome instanceof CallOutcome.Retryable r && (r.reason().contains("timed out") || r.reason().contains("timeout"))) {
            log.warn("the refresh of seller {} of {}'s connection got no answer: the market may have rotated its refresh "
                    + "token without this instance learning the new one; the next refresh will tell ({})", sellerId, market, outcome);
        }
        if (currentUsable && !(outcome instanceof CallOutcome.Fatal)) {
            return new Obtained.Token(current.access()); // renewal failed for now; the current token still works
        }
        return new Obtained.Failed(outcome);
    }

    /**
     * Stores the refreshed pair: retried while the lease leaves {@link #WRITE_MARGIN}, then kept here and written at the
     * next use. The refresh is never repeated: the old refresh token is dead.
     */
    private void write(MallConnection c, ConnectionTokens fresh, Instant leaseUntil) throws InterruptedException {
        String key = key(c.market(), c.sellerId());
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            Instant at = clock.instant();
            try {
                if (store.refreshed(c.market(), c.sellerId(), c.version(), fresh, at)) {
                    cache.put(key, new MallConnection(c.market(), c.sellerId(), c.version() + 1, MallConnection.Status.CONNECTED,
                            Optional.of(fresh), Optional.empty(), Optional.empty(), Optional.empty(), at));
                    pending.remove(key);
                } else {
                    // a new consent replaced the connection meanwhile: it wins, and its tokens are as good as these
                    log.warn("the connection of seller {} of {} changed while it was refreshed (a new consent); the refreshed "
                            + "pair is not stored", c.sellerId(), c.market());
                    cache.remove(key);
                    pending.remove(key);
                }
                return;
            } catch (RuntimeException e) {
                if (!at.plus(backoff).isBefore(leaseUntil.minus(WRITE_MARGIN))) {
                    pending.put(key, new Pending(c.version(), fresh));
                    log.error("the refreshed connection of seller {} of {} could not be stored ({}); kept in this instance and "
                            + "written at its next use; the refresh is not repeated", c.sellerId(), c.market(), e.toString());
                    return;
                }
                log.warn("storing the refreshed connection of seller {} of {} failed ({}); again in {}", c.sellerId(), c.market(),
                        e.toString(), backoff);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Writes a pair this instance refreshed and could not store, if any. */
    private void flushPending(String market, String sellerId) {
        String key = key(market, sellerId);
        Pending p = pending.get(key);
        if (p == null) {
            return;
        }
        Instant at = clock.instant();
        try {
            if (store.refreshed(market, sellerId, p.version(), p.tokens(), at)) {
                cache.put(key, new MallConnection(market, sellerId, p.version() + 1, MallConnection.Status.CONNECTED,
                        Optional.of(p.tokens()), Optional.empty(), Optional.empty(), Optional.empty(), at));
                log.info("stored the connection of seller {} of {} refreshed earlier", sellerId, market);
            } else {
                log.warn("the connection of seller {} of {} changed before the pair refreshed earlier could be stored (a new "
                        + "consent); that pair is dropped", sellerId, market);
                cache.remove(key);
            }
            pending.remove(key);
        } catch (RuntimeException e) {
            log.warn("the connection of seller {} of {} refreshed earlier is still not stored: {}", sellerId, market, e.toString());
        }
    }

    private Obtained expired(MallConnection c, Instant now) {
        String reason = "the refresh token of seller " + c.sellerId() + " of " + c.market() + " expired at "
                + c.tokens().orElseThrow().refresh().expiresAt() + " (the mall was not refreshed in time): its owner must consent again";
        try {
            store.markReconnectRequired(c.market(), c.sellerId(), c.version(), reason, now);
        } catch (RuntimeException e) {
            log.warn("could not mark the connection of seller {} of {} reconnect-required: {}", c.sellerId(), c.market(), e.toString());
        }
        cache.remove(key(c.market(), c.sellerId()));
        return new Obtained.Failed(new CallOutcome.Fatal(reason, CallOutcome.Cause.RECONNECT_REQUIRED));
    }

    private static String reconnectReason(MallConnection c) {
        return "the connection of seller " + c.sellerId() + " of " + c.market() + " needs a new consent"
                + c.reason().map(r -> " (" + r + ")").orElse("") + " since " + c.updatedAt()
                + "; its owner must consent again (GET /v1/sellers/" + c.market() + "/" + c.sellerId() + "/connect)";
    }

    private boolean usable(String key, ConnectionTokens tokens, Instant now) {
        return tokens.access().validAt(now) && !tokens.access().value().equals(refusedAccess.get(key));
    }

    /** Whether the pair should be refreshed now: the access token is due, or the refresh token is near its end. */
    private static boolean due(ConnectionTokens tokens, Instant now) {
        return tokens.access().dueAt(now) || tokens.refresh().dueAt(now);
    }

    private Optional<MallConnection> readQuietly(String market, String sellerId) {
        try {
            return store.read(market, sellerId);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void releaseQuietly(MallConnection c) {
        try {
            store.release(c.market(), c.sellerId(), c.version(), owner);
        } catch (RuntimeException e) {
            log.warn("could not end the refresh lease of seller {} of {} (it ends by itself within {}): {}", c.sellerId(),
                    c.market(), lease, e.toString());
        }
    }

    private static String key(String market, String sellerId) {
        return market + "/" + sellerId;
    }

    @Override
    public String toString() {
        return "MallConnections[" + store + ", lease " + lease + "]";
    }
}
