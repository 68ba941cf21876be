package io.marketgate.marketsim;

import io.marketgate.marketsim.internal.MarketEngine;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One market of a running {@link MarketSim}: its configuration, what arrived, what it shipped, and the
 * compliance verdict. Obtained from {@link MarketSim#market(String)}.
 */
public final class SimulatedMarket {

    private final MarketEngine engine;
    private final MarketSim server;

    SimulatedMarket(MarketEngine engine, MarketSim server) {
        this.engine = engine;
        this.server = server;
    }

    public String name() {
        return engine.config().name();
    }

    public MarketConfig config() {
        return engine.config();
    }

    /** {@code http://127.0.0.1:port/{name}}, without a trailing slash; the server must be started. */
    public String baseUrl() {
        return server.baseUrl(name());
    }

    /** Every arrival so far, in arrival order (a copy). */
    public List<Arrival> arrivals() {
        return engine.arrivals();
    }

    /** The arrivals of one endpoint, in arrival order. */
    public List<Arrival> arrivals(Endpoint endpoint) {
        return engine.arrivals().stream().filter(a -> a.endpoint() == endpoint).toList();
    }

    /** The verdict on every budget for the arrivals so far. */
    public ComplianceReport compliance() {
        return ComplianceChecker.check(engine.config(), engine.arrivals());
    }

    /** Calls that arrived over any budget so far; 0 proves the run stayed within the market's limits. */
    public long callsOverBudget() {
        return compliance().callsOverBudget();
    }

    public long callsOverBudget(String budgetName) {
        engine.config().budget(budgetName);
        return compliance().callsOverBudget(budgetName);
    }

    /** What the market holds for {@code sellerId} with {@code from ≤ updatedAt < to}: the answer a lossless collector must find. */
    public List<Order> orders(String sellerId, Instant from, Instant to) {
        return engine.orders().between(sellerId, from, to);
    }

    /** Shipments created, in creation order; a repeated shipment does not add one. */
    public List<Shipment> shipments() {
        return engine.shipments();
    }

    public Protocol protocol() {
        return engine.config().protocol();
    }

    /**
     * What a client's base URL setting is for this market: {@link #baseUrl()}, and for Naver with the {@code /external}
     * that Naver's own base URL ends in ({@code https://api.commerce.naver.com/external}), for 11st with its {@code /rest}
     * ({@code https://api.11st.co.kr/rest}).
     */
    public String clientBaseUrl() {
        return switch (protocol()) {
            case NAVER -> baseUrl() + "/external";
            case ELEVENST -> baseUrl() + "/rest";
            default -> baseUrl();
        };
    }

    /**
     * The id a client of this market's protocol names {@code order} by when it acts on it: Coupang's shipmentBoxId
     * (the unit Coupang ships), 11st's order line {@code ordNo-ordPrdSeq-dlvNo} (the line and the delivery that ships it),
     * Naver's productOrderId and the reference protocol's order id (both {@link Order#orderId()}).
     */
    public String clientOrderId(Order order) {
        return switch (protocol()) {
            case COUPANG -> io.marketgate.marketsim.internal.CoupangProtocol.shipmentBoxId(order);
            case ELEVENST -> io.marketgate.marketsim.internal.ElevenStProtocol.lineId(order);
            default -> order.orderId();
        };
    }

    /**
     * Whether the market accepts a shipment of {@code order} now: Coupang's invoice only from INSTRUCT, Naver's dispatch
     * only from PAYED, 11st's reqdelivery only from 301 (acknowledged); the reference protocol ships any order.
     */
    public boolean shippable(Order order) {
        return switch (protocol()) {
            case COUPANG -> order.status().equals("INSTRUCT");
            case NAVER -> order.status().equals("PAYED");
            case ELEVENST -> order.status().equals("301");
            case REFERENCE -> true;
        };
    }

    /**
     * What the market issued to each seller, sorted by seller id: {@link CoupangCredentials},
     * {@link NaverCredentials}, {@link ElevenStCredentials}, or for the reference protocol {@link ReferenceCredentials}
     * with the market's first key.
     */
    public List<SellerCredentials> credentials() {
        return engine.credentials();
    }

    /** The credentials of one seller. */
    public SellerCredentials credentials(String sellerId) {
        return engine.credentials().stream().filter(c -> c.sellerId().equals(sellerId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("market " + name() + " has no seller '" + sellerId + "'"));
    }

    /** The Coupang credentials of one seller; only for {@link Protocol#COUPANG}. */
    public CoupangCredentials coupangCredentials(String sellerId) {
        if (credentials(sellerId) instanceof CoupangCredentials c) {
            return c;
        }
        throw new IllegalStateException("market " + name() + " speaks " + protocol() + ", not COUPANG");
    }

    /** The Naver credentials of one seller; only for {@link Protocol#NAVER}. */
    public NaverCredentials naverCredentials(String sellerId) {
        if (credentials(sellerId) instanceof NaverCredentials c) {
            return c;
        }
        throw new IllegalStateException("market " + name() + " speaks " + protocol() + ", not NAVER");
    }

    /** The 11st credentials of one seller; only for {@link Protocol#ELEVENST}. */
    public ElevenStCredentials elevenStCredentials(String sellerId) {
        if (credentials(sellerId) instanceof ElevenStCredentials c) {
            return c;
        }
        throw new IllegalStateException("market " + name() + " speaks " + protocol() + ", not ELEVENST");
    }

    /** Naver: every request of a known application to the token endpoint, in arrival order; empty for other protocols. */
    public List<TokenRequest> tokenRequests() {
        return engine.tokenRequests();
    }

    /** Naver: how many token requests named this seller (its own app's, or its account's for a solution app). */
    public long tokenRequests(String sellerId) {
        return engine.tokenRequests().stream().filter(t -> sellerId.equals(t.sellerId())).count();
    }

    /** Naver: revokes every issued token; their holders get 401 {@code GW.AUTHN} and must ask for new ones. */
    public void revokeTokens() {
        engine.revokeTokens(null);
    }

    /** Naver: revokes the tokens issued for one seller. */
    public void revokeTokens(String sellerId) {
        credentials(sellerId);
        engine.revokeTokens(sellerId);
    }

    /**
     * Naver: the applications cut to one call per hour after a non-standard token request, by client id, with the
     * instant the quota began (or will begin, with {@link MarketConfig#quotaPenaltyDelay()}). Empty is what a
     * well-behaved client proves.
     */
    public Map<String, Instant> quotaPenalties() {
        return engine.quotaPenalties();
    }

    /** Schedules faults for the next requests. */
    public FaultSchedule faults() {
        return engine.faults();
    }

    /** Forgets arrivals, budget and penalty state, shipments, tokens, token requests, quotas and scheduled faults. */
    public void reset() {
        engine.reset();
    }
}
