package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShipmentTest extends SimFixture {

    private static MarketConfig.Builder market() {
        return MarketConfig.named("m").apiKeys("k").sellers("A001", "A002").ordersPerHour(5);
    }

    private String order(String seller) {
        return sim.market("m").orders(seller, DAY_START, DAY_START.plus(Duration.ofHours(24))).get(0).orderId();
    }

    @Test
    void first_shipment_is_created_and_a_repeat_gets_409_with_the_same_shipment() {
        // GIVEN an order
        start(market().build());
        MarketClient c = client("m", "k");
        String orderId = order("A001");

        // WHEN it is shipped twice (a retried HIGH action)
        MarketClient.Reply first = c.ship("A001", orderId, "{\"carrier\":\"CJ\",\"trackingNumber\":\"111\"}");
        MarketClient.Reply again = c.ship("A001", orderId, "{\"carrier\":\"CJ\",\"trackingNumber\":\"111\"}");

        // THEN one shipment exists, the repeat is detectable, and both arrivals are on record
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().get("orderId").asText()).isEqualTo(orderId);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("code").asText()).isEqualTo("ALREADY_SHIPPED");
        assertThat(again.body().get("shipment")).isEqualTo(first.body());
        assertThat(sim.market("m").shipments()).singleElement().satisfies(s -> {
            assertThat(s.orderId()).isEqualTo(orderId);
            assertThat(s.trackingNumber()).isEqualTo("111");
        });
        assertThat(sim.market("m").arrivals(Endpoint.CREATE_SHIPMENT))
                .allSatisfy(a -> assertThat(a.orderId()).isEqualTo(orderId))
                .extracting(Arrival::outcome).containsExactly(Outcome.CREATED, Outcome.DUPLICATE);
    }

    @Test
    void an_idempotent_market_answers_a_repeat_with_200_and_the_first_shipment() {
        // GIVEN a market that returns the existing shipment
        start(market().duplicateShipments(DuplicateShipments.RETURN_EXISTING).build());
        MarketClient c = client("m", "k");
        String orderId = order("A002");

        // WHEN it is shipped twice with different tracking numbers
        MarketClient.Reply first = c.ship("A002", orderId, "{\"carrier\":\"CJ\",\"trackingNumber\":\"1\"}");
        MarketClient.Reply again = c.ship("A002", orderId, "{\"carrier\":\"HANJIN\",\"trackingNumber\":\"2\"}");

        // THEN the repeat gets the first shipment unchanged
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(sim.market("m").shipments()).hasSize(1);
    }

    @Test
    void shipment_with_a_bad_body_or_unknown_order_is_refused_naming_the_field() {
        // GIVEN an order
        start(market().build());
        MarketClient c = client("m", "k");
        String orderId = order("A001");

        // WHEN shipments lack a tracking number, are not JSON, or name an order that does not exist
        MarketClient.Reply noTracking = c.ship("A001", orderId, "{\"carrier\":\"CJ\"}");
        MarketClient.Reply notJson = c.ship("A001", orderId, "carrier=CJ");
        MarketClient.Reply unknownOrder = c.ship("A001", "ffff-1-000", "{\"carrier\":\"CJ\",\"trackingNumber\":\"1\"}");
        MarketClient.Reply otherSeller = c.ship("A002", orderId, "{\"carrier\":\"CJ\",\"trackingNumber\":\"1\"}");

        // THEN each names its field and nothing is shipped
        assertThat(noTracking.status()).isEqualTo(400);
        assertThat(noTracking.body().get("field").asText()).isEqualTo("trackingNumber");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().get("field").asText()).isEqualTo("body");
        assertThat(unknownOrder.status()).isEqualTo(404);
        assertThat(unknownOrder.body().get("field").asText()).isEqualTo("orderId");
        assertThat(otherSeller.status()).isEqualTo(404);
        assertThat(sim.market("m").shipments()).isEmpty();
    }
}
