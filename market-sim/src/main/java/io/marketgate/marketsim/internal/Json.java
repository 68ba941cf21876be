package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Shipment;

/** The one place that shapes JSON bodies, error bodies included. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** {@code {"code":…,"field":…,"message":…}}; {@code field} is omitted when null. */
    static ObjectNode error(String code, String field, String message) {
        ObjectNode n = MAPPER.createObjectNode().put("code", code);
        if (field != null) {
            n.put("field", field);
        }
        return n.put("message", message);
    }

    static ObjectNode order(Order o) {
        return MAPPER.createObjectNode()
                .put("orderId", o.orderId())
                .put("sellerId", o.sellerId())
                .put("status", o.status())
                .put("orderedAt", o.orderedAt().toString())
                .put("updatedAt", o.updatedAt().toString())
                .put("totalPrice", o.totalPrice())
                .put("itemCount", o.itemCount());
    }

    static ObjectNode shipment(Shipment s) {
        return MAPPER.createObjectNode()
                .put("shipmentId", s.shipmentId())
                .put("sellerId", s.sellerId())
                .put("orderId", s.orderId())
                .put("carrier", s.carrier())
                .put("trackingNumber", s.trackingNumber())
                .put("createdAt", s.createdAt().toString());
    }
}
