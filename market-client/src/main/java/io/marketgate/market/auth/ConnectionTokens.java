package io.marketgate.market.auth;

import io.marketgate.market.MarketData;
import java.util.Objects;

/**
 * A connection's access token and the refresh token that renews it. {@link #toString()} never shows either value.
 *
 * @param access the token calls carry, with its expiry and when to refresh it
 * @param refresh the token that renews it (its {@link CachedToken#expiresAt()} is the refresh token's own expiry: a
 *     connection not refreshed before then needs a new consent)
 */
public record ConnectionTokens(CachedToken access, CachedToken refresh) {

    public ConnectionTokens {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(refresh, "refresh");
    }

    /** The pair a market issued. */
    public static ConnectionTokens of(MarketData.TokenPair pair) {
        return new ConnectionTokens(pair.access(), pair.refresh());
    }
}
