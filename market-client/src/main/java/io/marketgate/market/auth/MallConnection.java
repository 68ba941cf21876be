package io.marketgate.market.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A seller's connection to a market that the seller's consent grants (a Cafe24 mall's): the access token, the refresh
 * token that renews it (rotated by every refresh: the one sent dies), and how far the connection is: connected, or
 * {@link Status#RECONNECT_REQUIRED} once the market refused its refresh token. Stored by a {@link ConnectionStore}, one
 * per market and seller, under a version that every change raises, so that changes are conditional on the version
 * read: exactly one instance refreshes a version, and no refreshed pair is overwritten by an older one.
 * {@link #toString()} never shows a token.
 *
 * @param version raised by each change (consent, refresh, reconnect-required); 1 for a first consent
 * @param tokens the access and refresh tokens; empty once reconnect is required
 * @param lease who holds the right to refresh this version, until when; empty when nobody does
 * @param reason why a reconnect is required (the market's words, no secret); empty while connected
 * @param reconnectFrom the version whose refresh the market refused, when reconnect is required; a refresh of that
 *     version whose pair the market did issue (its answer arrived after the refusal another instance got) may still be
 *     stored over the mark, since the pair is good
 * @param updatedAt when the connection last changed
 */
public record MallConnection(String market, String sellerId, long version, Status status, Optional<ConnectionTokens> tokens,
        Optional<Lease> lease, Optional<String> reason, Optional<Long> reconnectFrom, Instant updatedAt) {

    /** How far a connection is. */
    public enum Status {
        /** The seller's tokens work (or can be refreshed). */
        CONNECTED("connected"),
        /** The market refused the refresh token: only a new consent brings the seller back. */
        RECONNECT_REQUIRED("reconnect-required");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** The status as stores and the API write it. */
        public String label() {
            return label;
        }

        /** The status of {@code label}; throws {@link IllegalArgumentException} naming the labels when it is none. */
        public static Status of(String label) {
            for (Status s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("connection status '" + label + "' must be connected or reconnect-required");
        }
    }

    /** The right to refresh one version, held by {@code owner} until {@code until}. */
    public record Lease(String owner, Instant until) {
        public Lease {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(until, "until");
        }

        /** Whether it still holds at {@code now}. */
        public boolean heldAt(Instant now) {
            return now.isBefore(until);
        }
    }

    public MallConnection {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(sellerId, "sellerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(reconnectFrom, "reconnectFrom");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("version is " + version + ", must be ≥ 1");
        }
        if (status == Status.CONNECTED && tokens.isEmpty()) {
            throw new IllegalArgumentException("a connected connection has tokens");
        }
    }

    public boolean connected() {
        return status == Status.CONNECTED;
    }
}
