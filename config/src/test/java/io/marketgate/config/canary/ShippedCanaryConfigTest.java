package io.marketgate.config.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.ApiCatalog;
import io.marketgate.config.ApiRoute;
import io.marketgate.config.EnvironmentLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped {@code canary-config/*.yaml} (Maven runs tests in the module's directory, beside {@code ../canary-config}). */
class ShippedCanaryConfigTest {

    private static final Path DIRECTORY = Path.of("..", CanaryConfigLoader.DIRECTORY);

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging", "prod"})
    void loads_with_every_catalogued_route_and_the_legacy_only_orders(String environment) {
        CanaryConfig config = CanaryConfigLoader.load(DIRECTORY, environment);

        assertThat(config.environment()).isEqualTo(environment);
        assertThat(config.stage()).isEqualTo(CanaryConfig.DEFAULT_STAGE);
        assertThat(config.restApiName()).isEqualTo(environment + "-marketgate-api");
        assertThat(CanaryConfig.originApiName(environment)).isEqualTo(environment + "-marketgate-origin");
        assertThat(config.routes()).containsKeys(ApiCatalog.routes(ApiCatalog.API_HANDLER).toArray(ApiRoute[]::new));
        assertThat(config.route(ApiRoute.parse("GET /v1/orders")).state()).isEqualTo(RouteState.LEGACY);
        assertThat(config.routes(RouteState.CANARY)).as("each environment tries something").isNotEmpty();
    }

    @Test
    void prod_is_legacy_but_for_one_small_canary_and_dev_runs_ahead() {
        CanaryConfig prod = CanaryConfigLoader.load(DIRECTORY, "prod");
        CanaryConfig dev = CanaryConfigLoader.load(DIRECTORY, "dev");

        assertThat(prod.routes(RouteState.MIGRATED)).isEmpty();
        assertThat(prod.routes(RouteState.CANARY)).singleElement()
                .satisfies(r -> assertThat(r.route()).isEqualTo(ApiCatalog.RECOLLECT_ORDER));
        assertThat(prod.canaryPercent()).hasValue(5.0);
        assertThat(dev.routes(RouteState.MIGRATED)).extracting(RouteConfig::route)
                .contains(ApiCatalog.CREATE_COLLECTION, ApiCatalog.GET_COLLECTION);
    }

    @Test
    void every_environment_file_has_a_canary_configuration() {
        assertThat(CanaryConfigLoader.environments(DIRECTORY))
                .containsAll(EnvironmentLoader.environments(Path.of("..", "environments")));
    }
}
