package io.marketgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiCatalogTest {

    @Test
    void parses_a_route_in_any_method_case_and_prints_it_back() {
        ApiRoute route = ApiRoute.parse("post /v1/markets/{market}/orders/{orderId}/collect");

        assertThat(route).isEqualTo(ApiCatalog.RECOLLECT_ORDER);
        assertThat(route.toString()).isEqualTo("POST /v1/markets/{market}/orders/{orderId}/collect");
    }

    @Test
    void rejects_bad_routes_naming_the_rule() {
        assertThatThrownBy(() -> ApiRoute.parse("FETCH /v1/orders")).hasMessageContaining("route method must be one of");
        assertThatThrownBy(() -> ApiRoute.parse("GET v1/orders")).hasMessageContaining("route path must start with '/'");
        assertThatThrownBy(() -> ApiRoute.parse("GET /v1/orders/")).hasMessageContaining("without a trailing '/'");
        assertThatThrownBy(() -> ApiRoute.parse("GET /v1/{a}{b}")).hasMessageContaining("one {variable}");
        assertThatThrownBy(() -> ApiRoute.parse("GET")).hasMessageContaining("is written 'METHOD /path'");
    }

    @Test
    void the_api_handler_serves_every_catalogued_route_and_legacy_routes_have_no_handler() {
        assertThat(ApiCatalog.handlers()).containsExactly("api");
        assertThat(ApiCatalog.routes("api")).hasSize(15).allSatisfy(r -> assertThat(ApiCatalog.handlerOf(r)).contains("api"));
        assertThat(ApiCatalog.handlerOf(ApiRoute.parse("GET /v1/orders"))).isEmpty();
        assertThatThrownBy(() -> ApiCatalog.routes("orders")).hasMessage("unknown handler 'orders'; known handlers: [api]");
    }
}
