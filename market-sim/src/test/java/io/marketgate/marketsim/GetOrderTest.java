package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GetOrderTest extends SimFixture {

    @Test
    void one_order_is_answered_as_a_page_of_one_and_counts_against_the_budgets() {
        // GIVEN a market with orders
        start(MarketConfig.named("m").apiKeys("k").sellers("A001").ordersPerHour(5).build());
        MarketClient c = client("m", "k");
        Order order = sim.market("m").orders("A001", DAY_START, DAY_START.plus(Duration.ofHours(24))).get(0);

        // WHEN one order is fetched
        MarketClient.Reply reply = c.get("/v1/sellers/A001/orders/" + order.orderId());

        // THEN it is the only order of the page, and the arrival is on record
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("orders")).hasSize(1);
        assertThat(reply.body().get("orders").get(0).get("orderId").asText()).isEqualTo(order.orderId());
        assertThat(reply.body().get("nextCursor").isNull()).isTrue();
        assertThat(sim.market("m").arrivals(Endpoint.GET_ORDER)).singleElement()
                .satisfies(a -> assertThat(a.orderId()).isEqualTo(order.orderId()));
    }

    @Test
    void an_unknown_order_is_404_naming_the_order() {
        start(MarketConfig.named("m").apiKeys("k").sellers("A001").ordersPerHour(5).build());

        MarketClient.Reply reply = client("m", "k").get("/v1/sellers/A001/orders/NOPE");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().get("code").asText()).isEqualTo("ORDER_NOT_FOUND");
    }
}
