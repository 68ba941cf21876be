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
    void dev_has_a_single_nat_gateway_and_prod_one_per_availability_zone_in_each_fixed_ip_group() {
        InfrastructureConfig dev = EnvironmentLoader.load(DIR, "dev").infrastructure().orElseThrow();
        assertThat(dev.egressGroups().values()).filteredOn(InfrastructureConfig.EgressGroup::fixedIp)
                .extracting(InfrastructureConfig.EgressGroup::natGateways).containsExactly(1);

        InfrastructureConfig prod = EnvironmentLoader.load(DIR, "prod").infrastructure().orElseThrow();
        assertThat(prod.egressGroups().values()).filteredOn(InfrastructureConfig.EgressGroup::fixedIp).isNotEmpty()
                .allSatisfy(g -> assertThat(g.natGateways()).isEqualTo(prod.vpc().maxAzs()));
    }

    @Test
    void cafe24_which_allow_lists_no_ip_runs_in_a_dynamic_group_whose_limiter_is_in_dynamodb_in_every_environment() {
        for (String name : List.of("dev", "staging", "prod")) {
            InfrastructureConfig infra = EnvironmentLoader.load(DIR, name).infrastructure().orElseThrow();
            InfrastructureConfig.EgressGroup group = infra.egressGroup(infra.market("cafe24").egressGroup());
            assertThat(group.kind()).as(name).isEqualTo(InfrastructureConfig.EgressKind.DYNAMIC);
            assertThat(group.natGateways()).as(name).isZero();
            assertThat(group.limiterStore()).as(name).isEqualTo(InfrastructureConfig.LimiterStoreKind.DYNAMODB);
            // the markets that allow-list our IPs stay on fixed IPs
            for (String market : List.of("coupang", "naver", "11st")) {
                assertThat(infra.egressGroup(infra.market(market).egressGroup()).fixedIp()).as(name + " " + market).isTrue();
            }
        }
    }

    @Test
    void staging_and_prod_shift_new_versions_through_a_canary() {
        for (String name : List.of("staging", "prod")) {
            assertThat(EnvironmentLoader.load(DIR, name).infrastructure().orElseThrow().deployment())
                    .as(name).isNotEqualTo(InfrastructureConfig.DeploymentKind.ALL_AT_ONCE);
        }
    }
}
