package io.marketgate.sellers;

import io.marketgate.market.auth.Credentials;
import java.util.Objects;

/**
 * A seller's credentials as the secret store holds them now, and the version they are.
 *
 * @param credentials the credentials (their {@code toString()} masks the secret fields)
 * @param versionId the Secrets Manager version id of the secret's current value
 */
public record StoredCredentials(Credentials credentials, String versionId) {
    public StoredCredentials {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(versionId, "versionId");
    }
}
