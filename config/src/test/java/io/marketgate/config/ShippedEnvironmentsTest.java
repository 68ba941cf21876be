package io.marketgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The environment files in {@code environments/} load, each with what the CDK app needs, sized for its purpose. */
class ShippedEnvironmentsTest {

    private static final Path DIR = Path.of("..", "environments");

    @Test
    void dev_staging_and_prod_are_shipped_and_each_has_an_infrastructure_for_every_market() {
        assertThat(EnvironmentLoader.environments(DIR)).containsAll(List.of("dev", "staging", "prod"));
        for (String name : EnvironmentLoader.environments(DIR)) {
            EnvironmentConfig env = EnvironmentLoader.load(DIR, name);
            InfrastructureConfig infra = env.infrastructure().orElseThrow();
            assertThat(infra.markets().keySet()).as(name).isEqualTo(env.markets().keySet());
        }
    }

    @Test
    void dev_has_a_single_nat_gateway_and_prod_one_per_availability_zone_in_each_group() {
        InfrastructureConfig dev = EnvironmentLoader.load(DIR, "dev").infrastructure().orElseThrow();
        assertThat(dev.egressGroups().values()).extracting(InfrastructureConfig.EgressGroup::natGateways).containsExactly(1);

        InfrastructureConfig prod = EnvironmentLoader.load(DIR, "prod").infrastructure().orElseThrow();
        assertThat(prod.egressGroups().values()).hasSizeGreaterThan(1)
                .allSatisfy(g -> assertThat(g.natGateways()).isEqualTo(prod.vpc().maxAzs()));
    }

    @Test
    void staging_and_prod_shift_new_versions_through_a_canary() {
        for (String name : List.of("staging", "prod")) {
            assertThat(EnvironmentLoader.load(DIR, name).infrastructure().orElseThrow().deployment())
                    .as(name).isNotEqualTo(InfrastructureConfig.DeploymentKind.ALL_AT_ONCE);
        }
    }
}
