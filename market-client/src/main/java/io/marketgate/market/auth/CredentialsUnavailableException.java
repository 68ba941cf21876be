package io.marketgate.market.auth;

/**
 * A seller's credentials could not be read: none are registered (final until someone registers them), or the secret
 * store did not answer (may pass). The message names market and seller, never a secret.
 */
public final class CredentialsUnavailableException extends RuntimeException {

    private final boolean transientFailure;

    private CredentialsUnavailableException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** No credentials are registered for the seller. */
    public static CredentialsUnavailableException missing(String market, String sellerId) {
        return new CredentialsUnavailableException("no credentials are registered for seller " + sellerId + " of market "
                + market + " (register them with POST /v1/sellers or marketgate sellers add)", false, null);
    }

    /** The secret store could not be read; {@code cause} must not carry a secret. */
    public static CredentialsUnavailableException unreachable(String market, String sellerId, Throwable cause) {
        return new CredentialsUnavailableException("the credentials of seller " + sellerId + " of market " + market
                + " could not be read: " + cause.getClass().getSimpleName(), true, cause);
    }

    /** Whether the failure may pass (the store did not answer) rather than a missing registration. */
    public boolean isTransient() {
        return transientFailure;
    }
}
