package io.marketgate.marketsim;

import java.time.Duration;

/**
 * Markets shaped like the real ones in {@code markets.md}, at their real limits. Add keys and sellers, and shrink
 * windows and penalties for tests with {@link MarketConfig.Builder#budgets(java.util.List)} and
 * {@link MarketConfig.Builder#penalty(Penalty)}.
 *
 * <p>{@link #coupang()}, {@link #naver()}, {@link #elevenSt()} and {@link #cafe24()} speak the project's reference
 * protocol; {@link #coupangWing()}, {@link #naverCommerce()}, {@link #elevenStOpenApi()} and {@link #cafe24Admin()}
 * speak the markets' real protocols, with credentials (and Cafe24's first connections) the market generates per seller:
 *
 * <pre>{@code
 * MarketSim sim = MarketSim.builder().clock(clock)
 *         .market(MarketPresets.coupangWing().sellers("S1", "S2").build())
 *         .market(MarketPresets.naverCommerce().sellers("S1").build())
 *         .start();
 * CoupangCredentials c = sim.market("coupang").coupangCredentials("S1");   // vendorId, accessKey, secretKey
 * }</pre>
 */
public final class MarketPresets {

    private MarketPresets() {}

    /** Coupang Wing: 10 rps per vendor across all APIs, 429, a block after excess, 50 per page, ≤ 24 h per call. */
    public static MarketConfig.Builder coupang() {
        return MarketConfig.named("coupang")
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 10, Duration.ofSeconds(1)))
                .throttle(Throttle.http429())
                .penalty(Penalty.after(10, Duration.ofMinutes(1)))
                .pagination(Pagination.CURSOR)
                .maxPageSize(50).defaultPageSize(50)
                .maxRange(Duration.ofHours(24));
    }

    /** Naver Commerce: about 2 rps per endpoint per app (burst 2×, modelled as 4 per 2 s), 429, 300 per page, ≤ 24 h. */
    public static MarketConfig.Builder naver() {
        return MarketConfig.named("naver")
                .budget(MarketBudget.slidingWindow("endpoint", Scope.API_KEY_ENDPOINT, 4, Duration.ofSeconds(2)))
                .throttle(Throttle.http429())
                .pagination(Pagination.CURSOR)
                .maxPageSize(300).defaultPageSize(300)
                .maxRange(Duration.ofHours(24));
    }

    /** 11st: about 1 rps per API key, throttles with HTTP 200 and code 004, pages by number, ≤ 7 days. */
    public static MarketConfig.Builder elevenSt() {
        return MarketConfig.named("11st")
                .budget(MarketBudget.slidingWindow("key", Scope.API_KEY, 1, Duration.ofSeconds(1)))
                .throttle(Throttle.http200("004", "rate limit"))
                .penalty(Penalty.after(5, Duration.ofMinutes(1)))
                .pagination(Pagination.PAGE)
                .maxPageSize(100).defaultPageSize(100)
                .maxRange(Duration.ofDays(7));
    }

    /** Cafe24: a leaky bucket of 40 per mall draining 2/s, 429, offset-style pages, ≤ 3 months per call. */
    public static MarketConfig.Builder cafe24() {
        return MarketConfig.named("cafe24")
                .budget(MarketBudget.leakyBucket("mall", Scope.SELLER, 40, Duration.ofMillis(500)))
                .throttle(Throttle.http429())
                .pagination(Pagination.PAGE)
                .maxPageSize(1000).defaultPageSize(100)
                .maxRange(Duration.ofDays(90));
    }

    /**
     * Coupang Wing's real protocol ({@link Protocol#COUPANG}) at its real limit: 10 calls per second per vendor across
     * every API (429 {@code Too Many Requests}), and after an excess the vendor is blocked for 5 minutes (the market
     * says "minutes to tens of minutes"; change it with {@link MarketConfig.Builder#penalty(Penalty)}).
     */
    public static MarketConfig.Builder coupangWing() {
        return coupangWing("coupang");
    }

    /** {@link #coupangWing()} served under another market name ({@code /{name}}). */
    public static MarketConfig.Builder coupangWing(String name) {
        return MarketConfig.named(name)
                .protocol(Protocol.COUPANG)
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 10, Duration.ofSeconds(1)))
                .penalty(Penalty.after(1, Duration.ofMinutes(5)))
                .maxPageSize(50).defaultPageSize(50)
                .maxRange(Duration.ofDays(31));
    }

    /**
     * Cafe24's Admin API ({@link Protocol#CAFE24}) at its real limits: a leaky bucket of 40 calls per mall that drains 2
     * per second (429; {@code X-Api-Call-Limit} on every answer of the admin API), pages of at most 1000, offsets of at
     * most 15000, at most 3 months per call, and the OAuth2 token endpoint (not counted by the bucket).
     */
    public static MarketConfig.Builder cafe24Admin() {
        return cafe24Admin("cafe24");
    }

    /** {@link #cafe24Admin()} served under another market name ({@code /{name}/{mallId}/api/v2}). */
    public static MarketConfig.Builder cafe24Admin(String name) {
        return MarketConfig.named(name)
                .protocol(Protocol.CAFE24)
                .budget(MarketBudget.leakyBucket("mall", Scope.SELLER, 40, Duration.ofMillis(500))
                        .forEndpoints(Endpoint.LIST_ORDERS, Endpoint.GET_ORDER, Endpoint.CREATE_SHIPMENT,
                                Endpoint.LIST_INQUIRIES, Endpoint.LIST_REVIEWS, Endpoint.LIST_PRODUCTS, Endpoint.LIST_SETTLEMENTS,
                                Endpoint.ANSWER_INQUIRY, Endpoint.REPLY_REVIEW, Endpoint.CHANGE_PRODUCT))
                .maxPageSize(1000).defaultPageSize(10)
                .maxRange(Duration.ofDays(92));
    }

    /**
     * Naver Commerce's real protocol ({@link Protocol#NAVER}) at its real limit: a token bucket per API and
     * application that replenishes 2 per second with a burst capacity of 4 (429 {@code GW.RATE_LIMIT}); the token
     * endpoint is an API with its own bucket.
     */
    public static MarketConfig.Builder naverCommerce() {
        return naverCommerce("naver");
    }

    /** {@link #naverCommerce()} served under another market name ({@code /{name}}). */
    public static MarketConfig.Builder naverCommerce(String name) {
        return MarketConfig.named(name)
                .protocol(Protocol.NAVER)
                .budget(MarketBudget.leakyBucket("api", Scope.API_KEY_ENDPOINT, 4, Duration.ofMillis(500)))
                .maxPageSize(300).defaultPageSize(300)
                .maxRange(Duration.ofHours(24));
    }

    /**
     * 11st's real protocol ({@link Protocol#ELEVENST}) at its assumed limit: one call per second per Open API key (11st
     * publishes no number; public clients pace themselves at one call a second [I]), answered over it with result code
     * {@code 004} in an HTTP 200 XML answer [O]; after five such excesses the key is blocked for a minute (11st's block is
     * not documented; clients pause five minutes after a 004). Lists take at most 7 days (public clients cut 3 to 7).
     */
    public static MarketConfig.Builder elevenStOpenApi() {
        return elevenStOpenApi("11st");
    }

    /** {@link #elevenStOpenApi()} served under another market name ({@code /{name}}). */
    public static MarketConfig.Builder elevenStOpenApi(String name) {
        return MarketConfig.named(name)
                .protocol(Protocol.ELEVENST)
                .budget(MarketBudget.slidingWindow("key", Scope.API_KEY, 1, Duration.ofSeconds(1)))
                .penalty(Penalty.after(5, Duration.ofMinutes(1)))
                .maxRange(Duration.ofDays(7));
    }
}
