package io.marketgate.market.auth;

/**
 * Seals a token for storage outside this process and opens it again (authenticated encryption bound to where the token
 * is stored): what a {@link ConnectionStore} that writes a database uses, so that a table holds no readable token. The
 * deployed implementation is {@code io.marketgate.deployed.tokens.TokenEncryption} (AES-256-GCM with the
 * environment's token key).
 */
public interface TokenSealer {

    /** {@code token} sealed for {@code key} (the place it is stored: another key does not open it). */
    byte[] seal(String key, CachedToken token);

    /**
     * The token {@code blob} holds for {@code key}.
     *
     * @throws RuntimeException when it does not open (another key, another place, altered); the message shows none of
     *     the content
     */
    CachedToken open(String key, byte[] blob);
}
