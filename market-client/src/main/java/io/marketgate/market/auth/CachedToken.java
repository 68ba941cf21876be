package io.marketgate.market.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token shared by the fleet: its value, when the market stops accepting it, and when to fetch the next one
 * (before it expires, at the moment the market would issue a new one rather than serve this one again).
 * {@link #toString()} never shows the value.
 */
public record CachedToken(String value, Instant expiresAt, Instant renewAfter) {

    public CachedToken {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("token value is missing");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(renewAfter, "renewAfter");
        if (renewAfter.isAfter(expiresAt)) {
            throw new IllegalArgumentException("renewAfter " + renewAfter + " is after expiresAt " + expiresAt);
        }
    }

    /** Whether the market still accepts it at {@code now}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** Whether a new one should be fetched at {@code now}. */
    public boolean dueAt(Instant now) {
        return !now.isBefore(renewAfter);
    }

    @Override
    public String toString() {
        return "CachedToken[" + Credentials.MASK + ", expiresAt=" + expiresAt + ", renewAfter=" + renewAfter + "]";
    }
}
