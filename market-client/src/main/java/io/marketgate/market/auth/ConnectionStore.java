package io.marketgate.market.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the fleet keeps the sellers' consent-granted connections ({@link MallConnection}), durably: a DynamoDB item per
 * seller in a deployment (the tokens sealed), memory in a test. Every change but a new consent is conditional on the
 * version the caller read, and each raises it: that is what lets {@link MallConnections} refresh a connection from
 * exactly one instance at a time and never lose the pair a refresh issued. Storage only; {@link MallConnections}
 * decides who refreshes and when.
 *
 * <p>Implementations throw an unchecked exception when the store cannot be reached (the caller retries a write that
 * matters); a condition that does not hold is a {@code false}, never an exception.
 */
public interface ConnectionStore {

    /** The connection of {@code sellerId} at {@code market}, read consistently, if any. */
    Optional<MallConnection> read(String market, String sellerId);

    /**
     * Stores {@code tokens} as the seller's connection from a new consent, whatever was there (raising the version,
     * ending any lease and any reconnect-required mark); the connection stored.
     */
    MallConnection connect(String market, String sellerId, ConnectionTokens tokens, Instant at);

    /**
     * Claims the right to refresh {@code version}: true when the stored connection is at that version, connected, and
     * no lease holds at {@code now}; then {@code owner} holds it until {@code until}.
     */
    boolean claim(String market, String sellerId, long version, String owner, Instant until, Instant now);

    /**
     * Stores the pair a refresh of {@code version} issued: true when the connection is at that version (whoever holds
     * the lease), or was marked reconnect-required from that version (the market issued this pair, so it is good); the
     * version is raised, the lease ended.
     */
    boolean refreshed(String market, String sellerId, long version, ConnectionTokens tokens, Instant at);

    /** Ends {@code owner}'s lease on {@code version}, if it holds one (a refresh that failed and rotated nothing). */
    void release(String market, String sellerId, long version, String owner);

    /**
     * Marks the connection reconnect-required with {@code reason} (the market's words, no secret) when it is at
     * {@code version}: true when this call marked it.
     */
    boolean markReconnectRequired(String market, String sellerId, long version, String reason, Instant at);

    /**
     * The sellers of {@code market} whose connection is connected and whose refresh token expires before
     * {@code before}, at most {@code limit}: the malls to refresh before their refresh token dies unused.
     */
    List<String> expiringBefore(String market, Instant before, int limit);
}
