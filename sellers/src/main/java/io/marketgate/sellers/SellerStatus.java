package io.marketgate.sellers;

import java.util.Arrays;

/**
 * What a seller's row says about its credentials: {@link #ACTIVE} while the market accepts them,
 * {@link #CREDENTIALS_REJECTED} once the market refused them, until new ones are registered (which makes it active again);
 * {@link #RECONNECT_REQUIRED} once a market whose sellers connect by consent (Cafe24) refused the connection, until the
 * seller's owner consents again.
 */
public enum SellerStatus {
    /** Its credentials are registered and were not refused. */
    ACTIVE("active"),
    /**
     * The market rejected its credentials: its collections and actions fail at once, without a market call, until new
     * credentials are registered.
     */
    CREDENTIALS_REJECTED("credentials-rejected"),
    /**
     * The market refused the seller's connection (its refresh token expired, was revoked, or the app was removed): its
     * collections and actions fail for good with that reason, until the owner consents again
     * ({@code GET /v1/sellers/{market}/{sellerId}/connect}), which makes it active again.
     */
    RECONNECT_REQUIRED("reconnect-required");

    private final String label;

    SellerStatus(String label) {
        this.label = label;
    }

    /** The status as the table, the API and the CLI write it ({@code credentials-rejected}). */
    public String label() {
        return label;
    }

    /** The status of {@code label}; throws {@link IllegalArgumentException} naming the labels when it is none. */
    public static SellerStatus of(String label) {
        for (SellerStatus s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status '" + label + "' must be one of "
                + Arrays.stream(values()).map(SellerStatus::label).toList());
    }

    @Override
    public String toString() {
        return label;
    }
}
