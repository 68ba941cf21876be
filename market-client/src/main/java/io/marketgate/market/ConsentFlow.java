package io.marketgate.market;

import io.marketgate.market.auth.MallConnection;
import java.net.URI;

/**
 * How a seller connects a market by consent (OAuth2 authorization code, Cafe24's): the API sends the seller's mall
 * owner to {@link #consentUrl}, the market sends the browser back to the environment's redirect URI with a code and
 * the state, and the API exchanges the code ({@link #planExchange}, a token call drawn from the limiter like any other)
 * and stores what the market issued ({@link #connected}). The state's checks (random, single use, expiring) are the
 * caller's: the market only carries it.
 *
 * <pre>{@code
 * ConsentFlow flow = adapter.consent().orElseThrow();
 * URI page = flow.consentUrl(seller, state);                       // 302 the owner there
 * CallOutcome o = client.execute(flow.planExchange(seller, code), Priority.HIGH, Duration.ofSeconds(5));
 * if (o instanceof CallOutcome.Ok(MarketData.TokenPair pair)) flow.connected(seller, pair);
 * }</pre>
 */
public interface ConsentFlow {

    /**
     * The market's consent page for {@code seller}'s mall, carrying {@code state}.
     *
     * @throws IllegalArgumentException naming the field: the seller has no mall id, the state is not URL-safe
     * @throws IllegalStateException when the environment has no redirect URI for the market, or the seller's credentials
     *     cannot be read (the message says which; never a secret)
     */
    URI consentUrl(Seller seller, String state);

    /**
     * The token call that exchanges {@code code} for {@code seller}'s connection; its {@link CallOutcome.Ok} carries a
     * {@link MarketData.TokenPair}.
     *
     * @throws IllegalArgumentException naming the field for a bad code or a seller without a mall id
     * @throws IllegalStateException when the environment has no redirect URI for the market, or the seller's credentials
     *     cannot be read
     */
    PlannedCall planExchange(Seller seller, String code);

    /** Stores {@code pair} as {@code seller}'s connection, replacing any (a new consent supersedes the old one). */
    MallConnection connected(Seller seller, MarketData.TokenPair pair);
}
