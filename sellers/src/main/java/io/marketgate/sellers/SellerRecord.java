package io.marketgate.sellers;

import io.marketgate.market.Seller;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the sellers table: a seller of a market with the PUBLIC fields of its credentials and its status. Never a
 * secret: the secret fields live only in the seller's Secrets Manager secret.
 *
 * @param market the market
 * @param sellerId the seller's id
 * @param publicFields the credential fields that are not secret ({@code vendorId}, {@code clientId}, …), in the schema's order
 * @param active whether the scheduler collects it (absent in the table = active)
 * @param status whether the market accepts its credentials
 * @param statusReason why the status is what it is (the market's refusal, masked), when not active
 * @param statusSince when the status was set (registration, or the refusal)
 * @param credentialsVersion the Secrets Manager version of the credentials registered last, when the market's
 *     protocol has per-seller credentials; a collector whose cached credentials are of another version reads them again
 * @param registeredAt when credentials were registered last
 */
public record SellerRecord(String market, String sellerId, Map<String, String> publicFields, boolean active,
        SellerStatus status, Optional<String> statusReason, Optional<Instant> statusSince,
        Optional<String> credentialsVersion, Optional<Instant> registeredAt) {

    public SellerRecord {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(sellerId, "sellerId");
        publicFields = Collections.unmodifiableMap(new LinkedHashMap<>(publicFields));
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusReason, "statusReason");
        Objects.requireNonNull(statusSince, "statusSince");
        Objects.requireNonNull(credentialsVersion, "credentialsVersion");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    /** The seller as market calls name it: its vendor id from the public fields where the market has one. */
    public Seller seller() {
        return Seller.of(sellerId, publicFields);
    }

    /** Whether the market rejected its credentials (its requests fail at once). */
    public boolean credentialsRejected() {
        return status == SellerStatus.CREDENTIALS_REJECTED;
    }

    /** Whether the market refused its connection (only a new consent brings it back). */
    public boolean reconnectRequired() {
        return status == SellerStatus.RECONNECT_REQUIRED;
    }
}
