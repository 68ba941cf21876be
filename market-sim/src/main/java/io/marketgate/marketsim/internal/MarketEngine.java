package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Latency;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.SellerCredentials;
import io.marketgate.marketsim.Shipment;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.TokenRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated market: the gateway machinery every protocol shares (IP allow-list, penalty, budgets, faults, the
 * arrival record) around a {@link MarketProtocol} that routes, authenticates, renders and serves. Every request is
 * stamped and decided under one lock, so the recorded arrival instants are exactly the instants the budgets were
 * judged at.
 *
 * <p>Order of checks, as a market's API gateway runs them: the protocol's route and authentication (404/405/401,
 * and Coupang's vendor check) → IP allow-list (403) → the protocol's own quota (Naver's hourly quota) → penalty block
 * → budgets (all-or-nothing; a rejected request charges none) → injected faults → the endpoint's parameters, body
 * and answer. So bad input, like a 5xx, has consumed budget.
 */
public final class MarketEngine {

    private static final class PenaltyState {
        int overLimit;
        long blockedUntil = Long.MIN_VALUE;
    }

    /** What the gateway decided, under the lock. */
    private record Gate(SimResponse rejection, Outcome outcome, String blockingBudget, FaultInjector.Injected fault,
            MarketProtocol.BudgetLevel level) {}

    private final MarketConfig config;
    private final SimClock clock;
    private final AtomicLong sequence;
    private final OrderBook orders;
    private final FaultInjector faults;
    private final ShipmentLedger ledger = new ShipmentLedger();
    private final List<SellerCredentials> credentials;
    private final MarketProtocol protocol;
    private final RecordBook records;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Map<String, Counter>> counters = new HashMap<>();
    private final Map<String, PenaltyState> penalties = new HashMap<>();
    private final List<Arrival> arrivals = new ArrayList<>();
    private volatile Latency latency;
    private SplittableRandom latencyRandom;

    public MarketEngine(MarketConfig config, SimClock clock, AtomicLong sequence) {
        this.config = config;
        this.clock = clock;
        this.sequence = sequence;
        this.orders = new OrderBook(config.name(), config.seed(), config.ordersPerHour(), config.protocol(),
                config.orderLifecycle(), () -> clock.epochNanos() / 1_000_000L);
        this.records = new RecordBook(config.name(), config.seed(), () -> clock.epochNanos() / 1_000_000L);
        this.faults = new FaultInjector(config.faults());
        this.latency = config.latency();
        this.latencyRandom = latencyRandom(config.seed());
        this.credentials = TestCredentials.of(config, Instant.ofEpochSecond(0, clock.epochNanos()));
        this.protocol = switch (config.protocol()) {
            case REFERENCE -> new ReferenceProtocol(config, orders, ledger, records);
            case COUPANG -> new CoupangProtocol(config, orders, ledger, records, credentials);
            case NAVER -> new NaverProtocol(config, orders, ledger, records, credentials);
            case ELEVENST -> new ElevenStProtocol(config, orders, ledger, records, credentials);
            case CAFE24 -> new Cafe24Protocol(config, orders, ledger, records, credentials, clock);
        };
    }

    public MarketConfig config() {
        return config;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** The network delay requests get from now on. */
    public Latency latency() {
        return latency;
    }

    public void latency(Latency l) {
        latency = java.util.Objects.requireNonNull(l, "latency");
    }

    /** The latency's own sequence, apart from the faults' (which draw from the seed itself) and the orders'. */
    private static SplittableRandom latencyRandom(long seed) {
        return new SplittableRandom(seed ^ 0x6c6174656e6379L);   // "latency"
    }

    private static final Latency.Draw NO_DELAY = new Latency.Draw(0, 0);

    private Latency.Draw drawDelay() {
        Latency l = latency;
        if (l.none()) {
            return NO_DELAY;
        }
        synchronized (this) {
            return l.draw(latencyRandom);
        }
    }

    /** Network travel, in real time; a closing server interrupts it and the request goes on at once. */
    private static void travel(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(java.time.Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public OrderBook orders() {
        return orders;
    }

    /** The id by which the market's clients name {@code record}. */
    public String clientRecordId(RecordBook.SimRecord record) {
        return protocol.clientRecordId(record);
    }

    /** The market's records of the kinds other than orders, and what its actions did to them. */
    public RecordBook records() {
        return records;
    }

    /** The credentials the market issued to its sellers (generated from the seed). */
    public List<SellerCredentials> credentials() {
        return credentials;
    }

    /** Every arrival so far, in arrival order. */
    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            List<Arrival> copy = new ArrayList<>(arrivals);
            copy.sort(Comparator.comparingLong(Arrival::sequence));
            return copy;
        }
    }

    public List<Shipment> shipments() {
        return ledger.all();
    }

    /** Naver's and Cafe24's token requests so far; empty for other protocols. */
    public List<TokenRequest> tokenRequests() {
        return switch (protocol) {
            case NaverProtocol naver -> naver.tokenRequests();
            case Cafe24Protocol cafe24 -> cafe24.tokenRequests();
            default -> List.of();
        };
    }

    /**
     * Revokes the tokens of one seller (null: all): Naver's, whose holders get 401 from now on; Cafe24's access and
     * refresh tokens and codes of the seller's mall (its owner removed the app).
     */
    public void revokeTokens(String sellerId) {
        switch (protocol) {
            case NaverProtocol naver -> naver.revokeTokens(sellerId);
            case Cafe24Protocol cafe24 -> cafe24.revoke(sellerId);
            default -> { }
        }
    }

    /** Cafe24: the access tokens of one seller's mall (null: all) expire now. */
    public void expireAccessTokens(String sellerId) {
        cafe24().expireAccessTokens(sellerId);
    }

    /** Cafe24: the refresh tokens of one seller's mall (null: all) expire now. */
    public void expireRefreshTokens(String sellerId) {
        cafe24().expireRefreshTokens(sellerId);
    }

    /** Cafe24: the 400 invalid_grant answers of the token endpoint so far. */
    public long invalidGrants() {
        return cafe24().invalidGrants();
    }

    /** Cafe24: the invalid_grant answers by grant type and cause ({@code refresh_token:used}, …). */
    public Map<String, Long> invalidGrantCauses() {
        return cafe24().invalidGrantCauses();
    }

    /** Cafe24: the refresh token that works now for one seller's mall, if any. */
    public java.util.Optional<String> currentRefreshToken(String sellerId) {
        return cafe24().currentRefreshToken(sellerId);
    }

    private Cafe24Protocol cafe24() {
        if (protocol instanceof Cafe24Protocol cafe24) {
            return cafe24;
        }
        throw new IllegalStateException("market " + config.name() + " speaks " + config.protocol() + ", not CAFE24");
    }

    /** Naver apps serving the one-call-per-hour quota, with the instant it began (or begins). */
    public Map<String, Instant> quotaPenalties() {
        return protocol instanceof NaverProtocol naver ? naver.quotaPenalties() : Map.of();
    }

    /**
     * Forgets arrivals, budget and penalty state, shipments, tokens and scheduled faults, and restores the configured
     * latency and its random sequence: a fresh market on the same port.
     */
    public void reset() {
        lock.lock();
        try {
            counters.clear();
            penalties.clear();
            ledger.clear();
            protocol.reset();
            synchronized (arrivals) {
                arrivals.clear();
            }
            faults.reset();
            latency = config.latency();
            synchronized (this) {
                latencyRandom = latencyRandom(config.seed());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Another caller of the seller's account (another app installed on a Cafe24 mall) makes up to {@code calls} calls
     * now, which draw from the seller's budgets ({@link io.marketgate.marketsim.Scope#SELLER}) as ours do but are not
     * arrivals of ours; each is made only while it fits every such budget, as the market would refuse the rest.
     *
     * @return how many fitted
     */
    public int outsideCalls(String sellerId, int calls) {
        lock.lock();
        try {
            long now = clock.epochNanos();
            List<Counter> drawn = new ArrayList<>();
            for (MarketBudget b : config.budgets()) {
                if (b.scope() == io.marketgate.marketsim.Scope.SELLER) {
                    drawn.add(counters.computeIfAbsent(b.name(), n -> new HashMap<>()).computeIfAbsent(sellerId, k ->
                            b.kind() == MarketBudget.Kind.LEAKY_BUCKET ? new LeakyBucket(b.limit(), b.windowNanos())
                                    : new SlidingWindow(b.limit(), b.windowNanos())));
                }
            }
            int made = 0;
            while (made < calls && !drawn.isEmpty() && drawn.stream().allMatch(c -> c.waitNanos(now) == 0)) {
                drawn.forEach(c -> c.add(now));
                made++;
            }
            return made;
        } finally {
            lock.unlock();
        }
    }

    public SimResponse handle(SimRequest req) {
        // the request travels to the market first: it is stamped, counted and recorded only when it arrives
        Latency.Draw delay = drawDelay();
        travel(delay.ingressNanos());
        String source = sourceAddress(req);
        MarketProtocol.Stamp stamp;
        MarketProtocol.Call call;
        Gate gate;
        lock.lock();
        try {
            stamp = new MarketProtocol.Stamp(clock.epochNanos(), sequence.incrementAndGet());
            call = protocol.identify(req, stamp);
            gate = gate(call, source, stamp);
        } finally {
            lock.unlock();
        }
        SimResponse response;
        Outcome outcome;
        if (gate.rejection() != null) {
            response = gate.rejection();
            outcome = gate.outcome();
        } else {
            if (!gate.fault().delay().isZero()) {
                try {
                    Thread.sleep(gate.fault().delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the server is closing; answer at once
                }
            }
            if (gate.fault().malformed()) {
                // the answer breaks off mid-JSON, as a proxy that cut the connection would leave it
                response = SimResponse.bytes(200, "application/json", "{\"data\": [{\"orderId\": \"".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
                outcome = Outcome.MALFORMED;
            } else if (gate.fault().status() != 0) {
                response = protocol.serverError(call, gate.fault().status(), stamp);
                outcome = Outcome.SERVER_ERROR;
            } else {
                MarketProtocol.Served served = protocol.serve(req, call, stamp);
                response = served.response();
                outcome = served.outcome();
            }
        }
        protocol.decorate(response, call, gate.level(), stamp);
        Arrival arrival = new Arrival(stamp.sequence(), stamp.nanos(), config.name(), call.endpoint(), req.method(), req.path(),
                call.apiKey(), call.authenticated(), call.sellerId(), call.orderId(), source, outcome, response.status(),
                gate.blockingBudget());
        // recorded before the answer is written, so a client that has its answer always finds its arrival
        synchronized (arrivals) {
            arrivals.add(arrival);
        }
        travel(delay.egressNanos());
        return response;
    }

    private String sourceAddress(SimRequest req) {
        if (config.trustForwardedFor() && req.forwardedFor() != null && !req.forwardedFor().isBlank()) {
            return req.forwardedFor().split(",")[0].trim();
        }
        return req.remoteAddress();
    }

    private Gate gate(MarketProtocol.Call call, String source, MarketProtocol.Stamp stamp) {
        if (call.rejection() != null) {
            return new Gate(call.rejection(), call.rejectionOutcome(), null, null, null);
        }
        FaultInjector.Window windowed = faults.refusal(stamp.nanos(), call.authenticated());
        if (windowed != null) {
            return windowedRefusal(call, source, stamp, windowed);
        }
        if (!config.ipAllowList().isEmpty() && protocol.checksIpAllowList(call) && !config.ipAllowList().contains(source)) {
            return new Gate(protocol.ipNotAllowed(call, source, stamp), Outcome.FORBIDDEN, null, null, null);
        }
        MarketProtocol.Refusal quota = protocol.quota(call, stamp);
        if (quota != null) {
            return new Gate(quota.response(), quota.outcome(), quota.blockingBudget(), null, null);
        }
        long now = stamp.nanos();
        PenaltyState penalty = penalties.computeIfAbsent(call.apiKey(), k -> new PenaltyState());
        if (now < penalty.blockedUntil) {
            return new Gate(protocol.throttled(call, new MarketProtocol.Throttling("penalty", penalty.blockedUntil - now, true), stamp),
                    Outcome.PENALIZED, "penalty", null, null);
        }
        long wait = 0;
        MarketBudget blocking = null;
        List<Counter> drawn = new ArrayList<>();
        MarketBudget leaky = null;
        Counter leakyCounter = null;
        for (MarketBudget b : config.budgets()) {
            if (!b.appliesTo(call.endpoint())) {
                continue;
            }
            String key = b.scope().key(call.apiKey(), call.endpoint(), call.sellerId());
            Counter c = counters.computeIfAbsent(b.name(), n -> new HashMap<>()).computeIfAbsent(key, k ->
                    b.kind() == MarketBudget.Kind.LEAKY_BUCKET ? new LeakyBucket(b.limit(), b.windowNanos())
                            : new SlidingWindow(b.limit(), b.windowNanos()));
            long w = c.waitNanos(now);
            if (w > wait) {
                wait = w;
                blocking = b;
            }
            drawn.add(c);
            if (leaky == null && b.kind() == MarketBudget.Kind.LEAKY_BUCKET) {
                leaky = b;
                leakyCounter = c;
            }
        }
        if (blocking != null) {
            if (config.penalty().enabled() && ++penalty.overLimit >= config.penalty().afterOverLimitRequests()) {
                penalty.overLimit = 0;
                penalty.blockedUntil = now + config.penalty().block().toNanos();
            }
            MarketProtocol.BudgetLevel level = leaky == null ? null : new MarketProtocol.BudgetLevel(leaky, leakyCounter.calls(now));
            return new Gate(protocol.throttled(call, new MarketProtocol.Throttling(blocking.name(), wait, false), stamp),
                    Outcome.THROTTLED, blocking.name(), null, level);
        }
        drawn.forEach(c -> c.add(now));
        protocol.admitted(call, stamp);
        MarketProtocol.BudgetLevel level = leaky == null ? null : new MarketProtocol.BudgetLevel(leaky, leakyCounter.calls(now));
        return new Gate(null, null, null, faults.next(call.endpoint(), now), level);
    }

    /** A refusal of a {@link io.marketgate.marketsim.MarketFault} window, in the protocol's own words where it has them. */
    private Gate windowedRefusal(MarketProtocol.Call call, String source, MarketProtocol.Stamp stamp, FaultInjector.Window w) {
        return switch (w.fault()) {
            case io.marketgate.marketsim.MarketFault.CredentialRevoked c -> new Gate(SimResponse.of(401, Json.error("UNAUTHORIZED",
                    null, "the credential is no longer valid (expired or revoked)")), Outcome.UNAUTHORIZED, null, null, null);
            case io.marketgate.marketsim.MarketFault.IpRejected i ->
                    new Gate(protocol.ipNotAllowed(call, source, stamp), Outcome.FORBIDDEN, null, null, null);
            case io.marketgate.marketsim.MarketFault.PenaltyBlock p -> new Gate(protocol.throttled(call,
                    new MarketProtocol.Throttling("penalty", w.toNanos() - stamp.nanos(), true), stamp),
                    Outcome.PENALIZED, "penalty", null, null);
            case io.marketgate.marketsim.MarketFault.Storm429 s -> new Gate(protocol.throttled(call,
                    new MarketProtocol.Throttling("storm", s.retryAfter().toNanos(), false), stamp),
                    Outcome.THROTTLED, "storm", null, null);
            default -> throw new IllegalStateException("not a refusal: " + w.fault().type());
        };
    }
}
