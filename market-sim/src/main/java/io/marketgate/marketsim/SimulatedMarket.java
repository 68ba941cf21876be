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

    /**
     * The market's claims, inquiries, reviews, products and settlements, and what its actions did to them (answers,
     * replies, claim decisions, product changes; repeats of an effect already there are counted apart).
     */
    public io.marketgate.marketsim.internal.RecordBook records() {
        return engine.records();
    }

    /**
     * The id by which the market's clients name {@code record}, as its lists answer it and its actions take it (Cafe24's
     * {@code {board_no}-{article_no}}, 11st's {@code brdInfoNo-prdNo}; the record book's id elsewhere).
     */
    public String clientRecordId(io.marketgate.marketsim.internal.RecordBook.SimRecord record) {
        return engine.clientRecordId(record);
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

    /**
     * Another caller of the seller's account makes up to {@code calls} calls now: on Cafe24, another app installed on
     * the seller's mall, whose calls fill the mall's leaky bucket too (and show in the {@code X-Api-Call-Limit} of our
     * answers) but are not our arrivals. Each draws from every per-seller budget ({@link Scope#SELLER}) and is made only
     * while it fits them, as the market would refuse the rest.
     *
     * @return how many were made
     * @throws IllegalArgumentException for an unknown seller or a negative count
     */
    public int otherAppCalls(String sellerId, int calls) {
        credentials(sellerId);
        if (calls < 0) {
            throw new IllegalArgumentException("calls is " + calls + ", must be ≥ 0");
        }
        return engine.outsideCalls(sellerId, calls);
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
     * ({@code https://api.11st.co.kr/rest}). For Cafe24 it is a template
     * naming the mall, percent-encoded as a {@link java.net.URI} holds it ({@code http://127.0.0.1:p/cafe24/%7BmallId%7D/api/v2},
     * what {@code io.marketgate.config.MarketApiConfig#baseUrl()} holds); {@link #clientBaseUrlTemplate()} writes it with braces.
     */
    public String clientBaseUrl() {
        return switch (protocol()) {
            case NAVER -> baseUrl() + "/external";
            case ELEVENST -> baseUrl() + "/rest";
            case CAFE24 -> baseUrl() + "/%7BmallId%7D/api/v2";
            default -> baseUrl();
        };
    }

    /**
     * The base URL as an environment file writes it: {@link #clientBaseUrl()}, and for Cafe24
     * {@code http://127.0.0.1:p/cafe24/{mallId}/api/v2}, the simulator's stand-in for {@code https://{mallId}.cafe24api.com/api/v2}.
     */
    public String clientBaseUrlTemplate() {
        return clientBaseUrl().replace("%7BmallId%7D", "{mallId}");
    }

    /** Cafe24: the API of one seller's mall, {@code http://127.0.0.1:p/cafe24/{its mallId}/api/v2}. */
    public String mallBaseUrl(String sellerId) {
        return baseUrl() + "/" + cafe24Credentials(sellerId).mallId() + "/api/v2";
    }

    /**
     * The id a client of this market's protocol names {@code order} by when it acts on it: Coupang's shipmentBoxId
     * (the unit Coupang ships), 11st's order line {@code ordNo-ordPrdSeq-dlvNo} (the line and the delivery that ships it),
     * Naver's productOrderId, Cafe24's order_id and the reference protocol's order id (all {@link Order#orderId()}).
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
     * only from PAYED, 11st's reqdelivery only from 301 (acknowledged), Cafe24's shipment of items not yet shipped (N10,
     * N20, N21, N22); the reference protocol ships any order.
     */
    public boolean shippable(Order order) {
        return switch (protocol()) {
            case COUPANG -> order.status().equals("INSTRUCT");
            case NAVER -> order.status().equals("PAYED");
            case ELEVENST -> order.status().equals("301");
            case CAFE24 -> java.util.Set.of("N10", "N20", "N21", "N22").contains(order.status());
            case REFERENCE -> true;
        };
    }

    /**
     * What the market issued to each seller, sorted by seller id: {@link CoupangCredentials},
     * {@link NaverCredentials}, {@link ElevenStCredentials}, {@link Cafe24Credentials}, or for the reference protocol
     * {@link ReferenceCredentials}
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

    /** The Cafe24 mall and connection of one seller; only for {@link Protocol#CAFE24}. */
    public Cafe24Credentials cafe24Credentials(String sellerId) {
        if (credentials(sellerId) instanceof Cafe24Credentials c) {
            return c;
        }
        throw new IllegalStateException("market " + name() + " speaks " + protocol() + ", not CAFE24");
    }

    /**
     * Cafe24: the 400 {@code invalid_grant} answers of the token endpoint so far (a used, expired or revoked refresh
     * token or code): a client that never loses a connection proves 0.
     */
    public long invalidGrants() {
        return engine.invalidGrants();
    }

    /**
     * Cafe24: the {@code invalid_grant} answers by grant type and cause: {@code refresh_token:used} (a refresh token sent
     * again after its refresh rotated it: what a client that loses no connection never does), {@code refresh_token:revoked}
     * (the mall's owner removed the app), {@code :expired}, {@code :unknown}, {@code :other-mall}, and the same for
     * {@code authorization_code} (plus {@code :redirect-uri}); causes never answered are absent.
     */
    public Map<String, Long> invalidGrantCauses() {
        return engine.invalidGrantCauses();
    }

    /** Cafe24: the access tokens of every mall expire now (their holders get 401 and must refresh). */
    public void expireAccessTokens() {
        engine.expireAccessTokens(null);
    }

    /** Cafe24: the access tokens of one seller's mall expire now. */
    public void expireAccessTokens(String sellerId) {
        credentials(sellerId);
        engine.expireAccessTokens(sellerId);
    }

    /** Cafe24: the refresh tokens of one seller's mall expire now, as after 14 days without a refresh. */
    public void expireRefreshTokens(String sellerId) {
        credentials(sellerId);
        engine.expireRefreshTokens(sellerId);
    }

    /** Cafe24: the refresh token that works now for one seller's mall (the newest unused one), if any. */
    public java.util.Optional<String> currentRefreshToken(String sellerId) {
        credentials(sellerId);
        return engine.currentRefreshToken(sellerId);
    }

    /**
     * Naver and Cafe24: every request of a known application to the token endpoint, in arrival order (for Cafe24,
     * {@link TokenRequest#type()} is the grant type); empty for other protocols.
     */
    public List<TokenRequest> tokenRequests() {
        return engine.tokenRequests();
    }

    /**
     * Naver and Cafe24: how many token requests named this seller (Naver: its own app's, or its account's for a solution
     * app; Cafe24: its mall's).
     */
    public long tokenRequests(String sellerId) {
        return engine.tokenRequests().stream().filter(t -> sellerId.equals(t.sellerId())).count();
    }

    /**
     * Naver: revokes every issued token; their holders get 401 {@code GW.AUTHN} and must ask for new ones. Cafe24: every
     * mall's owner removed the app: access tokens answer 401 and refresh tokens {@code invalid_grant}.
     */
    public void revokeTokens() {
        engine.revokeTokens(null);
    }

    /** Naver: revokes the tokens issued for one seller. Cafe24: its mall's owner removed the app. */
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

    /**
     * Changes the network delay of the requests that reach the market from now on (requests already travelling keep
     * theirs); {@link Latency#NONE} heals the network. {@link #reset()} restores {@link MarketConfig#latency()}.
     */
    public void latency(Latency latency) {
        engine.latency(latency);
    }

    /** The network delay requests get now: {@link MarketConfig#latency()} unless {@link #latency(Latency)} changed it. */
    public Latency latency() {
        return engine.latency();
    }

    /** Schedules faults for the next requests. */
    public FaultSchedule faults() {
        return engine.faults();
    }

    /**
     * Forgets arrivals, budget and penalty state, shipments, tokens, token requests, quotas and scheduled faults;
     * restores the configured latency.
     */
    public void reset() {
        engine.reset();
    }
}
