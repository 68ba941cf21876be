package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.Shipment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The shipments a market accepted, at most one per (seller, order). Thread-safe. */
public final class ShipmentLedger {

    private final List<Shipment> shipments = new ArrayList<>();
    private final Map<String, Shipment> byOrder = new HashMap<>();

    /** The new shipment, or empty when the order was already shipped (then {@link #find} has the first one). */
    synchronized Optional<Shipment> record(String sellerId, String orderId, String carrier, String trackingNumber, long nanos) {
        String key = sellerId + "/" + orderId;
        if (byOrder.containsKey(key)) {
            return Optional.empty();
        }
        Shipment s = new Shipment("shp-" + (shipments.size() + 1), sellerId, orderId, carrier, trackingNumber,
                Instant.ofEpochSecond(0, nanos));
        byOrder.put(key, s);
        shipments.add(s);
        return Optional.of(s);
    }

    synchronized Optional<Shipment> find(String sellerId, String orderId) {
        return Optional.ofNullable(byOrder.get(sellerId + "/" + orderId));
    }

    /** Whether {@code sellerId} already used this tracking number for another order. */
    synchronized boolean trackingNumberUsed(String sellerId, String trackingNumber) {
        return shipments.stream().anyMatch(s -> s.sellerId().equals(sellerId) && s.trackingNumber().equals(trackingNumber));
    }

    public synchronized List<Shipment> all() {
        return List.copyOf(shipments);
    }

    synchronized void clear() {
        shipments.clear();
        byOrder.clear();
    }
}
