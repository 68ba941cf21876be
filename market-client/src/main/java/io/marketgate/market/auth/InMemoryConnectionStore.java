package io.marketgate.market.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ConnectionStore} in this JVM, with the same conditions as the durable ones: for tests and embedded runs,
 * where the fleet is one process. Thread-safe.
 */
public final class InMemoryConnectionStore implements ConnectionStore {

    private final Map<String, MallConnection> connections = new HashMap<>();

    @Override
    public synchronized Optional<MallConnection> read(String market, String sellerId) {
        return Optional.ofNullable(connections.get(key(market, sellerId)));
    }

    @Override
    public synchronized MallConnection connect(String market, String sellerId, ConnectionTokens tokens, Instant at) {
        long version = read(market, sellerId).map(MallConnection::version).orElse(0L) + 1;
        return put(new MallConnection(market, sellerId, version, MallConnection.Status.CONNECTED, Optional.of(tokens),
                Optional.empty(), Optional.empty(), Optional.empty(), at));
    }

    @Override
    public synchronized boolean claim(String market, String sellerId, long version, String owner, Instant until, Instant now) {
        MallConnection c = connections.get(key(market, sellerId));
        if (c == null || c.version() != version || !c.connected() || c.lease().filter(l -> l.heldAt(now)).isPresent()) {
            return false;
        }
        put(new MallConnection(market, sellerId, version, c.status(), c.tokens(), Optional.of(new MallConnection.Lease(owner, until)),
                c.reason(), c.reconnectFrom(), c.updatedAt()));
        return true;
    }

    @Override
    public synchronized boolean refreshed(String market, String sellerId, long version, ConnectionTokens tokens, Instant at) {
        MallConnection c = connections.get(key(market, sellerId));
        boolean atVersion = c != null && c.version() == version;
        boolean markedFromIt = c != null && !c.connected() && c.reconnectFrom().filter(v -> v == version).isPresent();
        if (!atVersion && !markedFromIt) {
            return false;
        }
        put(new MallConnection(market, sellerId, c.version() + 1, MallConnection.Status.CONNECTED, Optional.of(tokens),
                Optional.empty(), Optional.empty(), Optional.empty(), at));
        return true;
    }

    @Override
    public synchronized void release(String market, String sellerId, long version, String owner) {
        MallConnection c = connections.get(key(market, sellerId));
        if (c != null && c.version() == version && c.lease().filter(l -> l.owner().equals(owner)).isPresent()) {
            put(new MallConnection(market, sellerId, version, c.status(), c.tokens(), Optional.empty(), c.reason(),
                    c.reconnectFrom(), c.updatedAt()));
        }
    }

    @Override
    public synchronized boolean markReconnectRequired(String market, String sellerId, long version, String reason, Instant at) {
        MallConnection c = connections.get(key(market, sellerId));
        if (c == null || c.version() != version) {
            return false;
        }
        put(new MallConnection(market, sellerId, version + 1, MallConnection.Status.RECONNECT_REQUIRED, Optional.empty(),
                Optional.empty(), Optional.of(reason), Optional.of(version), at));
        return true;
    }

    @Override
    public synchronized List<String> expiringBefore(String market, Instant before, int limit) {
        List<String> sellers = new ArrayList<>();
        connections.values().stream()
                .filter(c -> c.market().equals(market) && c.connected()
                        && c.tokens().orElseThrow().refresh().expiresAt().isBefore(before))
                .map(MallConnection::sellerId).sorted().limit(limit).forEach(sellers::add);
        return sellers;
    }

    private MallConnection put(MallConnection c) {
        connections.put(key(c.market(), c.sellerId()), c);
        return c;
    }

    private static String key(String market, String sellerId) {
        return market + "/" + sellerId;
    }

    @Override
    public String toString() {
        return "InMemoryConnectionStore";
    }
}
