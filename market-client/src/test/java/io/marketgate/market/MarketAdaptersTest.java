package io.marketgate.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.AdapterType;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.reference.ReferenceRestAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketAdaptersTest {

    private static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              shop:
                fleetSize: 1
                budgets:
                  orders: {scope: endpoint, limit: 100, window: 1m}
                calls:
                  list-orders: {budgets: [shop/orders]}
                adapter:
                  type: reference-rest
                  baseUrl: http://127.0.0.1:9/shop
                  apiKey: ${env:SHOP_API_KEY}
                  calls: {listOrders: list-orders}
              mall:
                fleetSize: 1
                budgets:
                  orders: {scope: endpoint, limit: 100, window: 1m}
                calls:
                  list-orders: {budgets: [mall/orders]}
            """;

    @TempDir
    Path dir;

    @Test
    void every_protocol_an_environment_file_may_name_has_its_factory_on_the_classpath() {
        // GIVEN the protocols of AdapterType, WHEN the registry has loaded its factories, THEN none is missing
        assertThat(MarketAdapters.types()).isEqualTo(EnumSet.allOf(AdapterType.class));
    }

    @Test
    void a_reference_rest_section_gets_the_reference_adapter() throws IOException {
        EnvironmentConfig environment = environment();

        MarketAdapter adapter = MarketAdapters.forMarket(environment, "shop", Map.of("SHOP_API_KEY", "k-1")::get);

        assertThat(adapter).isInstanceOf(ReferenceRestAdapter.class);
        assertThat(adapter.market()).isEqualTo("shop");
    }

    @Test
    void a_market_without_an_adapter_section_is_refused_naming_market_and_environment() throws IOException {
        EnvironmentConfig environment = environment();

        assertThatThrownBy(() -> MarketAdapters.forMarket(environment, "mall", name -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("market mall of environment test has no adapter section");
    }

    @Test
    void two_factories_of_one_protocol_are_refused_naming_both() {
        MarketAdapterFactory first = new OtherReferenceFactory();
        MarketAdapterFactory second = new YetAnotherReferenceFactory();

        assertThatThrownBy(() -> MarketAdapters.byType(List.of(first, second)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two market adapter factories for type reference-rest")
                .hasMessageContaining(OtherReferenceFactory.class.getName())
                .hasMessageContaining(YetAnotherReferenceFactory.class.getName());
    }

    private EnvironmentConfig environment() throws IOException {
        return EnvironmentLoader.load(Files.writeString(dir.resolve("test.yaml"), YAML));
    }

    private static class OtherReferenceFactory implements MarketAdapterFactory {
        @Override
        public AdapterType type() {
            return AdapterType.REFERENCE_REST;
        }

        @Override
        public MarketAdapter create(MarketConfig market, AdapterContext context) {
            throw new UnsupportedOperationException("never built in this test");
        }
    }

    private static final class YetAnotherReferenceFactory extends OtherReferenceFactory {}
}
