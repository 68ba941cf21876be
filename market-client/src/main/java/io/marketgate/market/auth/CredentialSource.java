package io.marketgate.market.auth;

/**
 * Where an adapter finds a seller's credentials when it signs or authenticates a call: Secrets Manager behind a cache
 * in a deployed environment, the local platform's own store locally.
 *
 * <pre>{@code
 * Credentials c = source.credentials("coupang", "seller-1");
 * }</pre>
 */
@FunctionalInterface
public interface CredentialSource {

    /** A source that has no credentials: every lookup fails with {@link CredentialsUnavailableException#missing}. */
    CredentialSource NONE = (market, sellerId) -> {
        throw CredentialsUnavailableException.missing(market, sellerId);
    };

    /**
     * The credentials of {@code sellerId} at {@code market}.
     *
     * @throws CredentialsUnavailableException when none are registered ({@code missing}) or the store cannot be read now
     *     ({@code unreachable}, which may pass)
     */
    Credentials credentials(String market, String sellerId);
}
