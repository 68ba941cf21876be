package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.InfrastructureConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class NetworkStackTest {

    @Test
    void dev_has_one_nat_gateway_with_a_retained_elastic_ip_printed_as_an_output() {
        Template network = network("dev");
        assertThat(Resources.of(network, "AWS::EC2::NatGateway")).hasSize(1);
        assertRetainedAndPrinted(network, 1);
    }

    @Test
    void prod_has_a_nat_gateway_per_availability_zone_in_each_fixed_ip_group() {
        Synthesized prod = Synthesized.environment("prod");
        InfrastructureConfig infra = prod.deployment.infrastructure();
        int expected = infra.egressGroups().values().stream().mapToInt(InfrastructureConfig.EgressGroup::natGateways).sum();
        assertThat(expected).isEqualTo(infra.vpc().maxAzs() * fixedIpGroups(infra));
        Template network = prod.template(prod.stacks.network());
        assertThat(Resources.of(network, "AWS::EC2::NatGateway")).hasSize(expected);
        assertRetainedAndPrinted(network, expected);
    }

    @Test
    void subnets_span_the_configured_zones_with_a_private_group_per_egress_group() {
        Synthesized prod = Synthesized.environment("prod");
        InfrastructureConfig infra = prod.deployment.infrastructure();
        List<Map<String, Object>> subnets = Resources.properties(prod.template(prod.stacks.network()), "AWS::EC2::Subnet");
        // a public subnet per zone for the NAT gateways, and each fixed-IP egress group's private subnet per zone (a
        // dynamic group's functions run outside the VPC)
        assertThat(subnets).hasSize(infra.vpc().maxAzs() * (1 + fixedIpGroups(infra)));
        assertThat(subnets).filteredOn(s -> Boolean.TRUE.equals(s.get("MapPublicIpOnLaunch"))).hasSize(infra.vpc().maxAzs());
    }

    @Test
    void every_private_subnet_routes_the_internet_through_its_own_groups_nat_gateway() {
        Synthesized prod = Synthesized.environment("prod");
        Template network = prod.template(prod.stacks.network());
        List<Map<String, Object>> natRoutes = Resources.properties(network, "AWS::EC2::Route").stream()
                .filter(r -> r.containsKey("NatGatewayId")).toList();
        InfrastructureConfig infra = prod.deployment.infrastructure();
        assertThat(natRoutes).hasSize(infra.vpc().maxAzs() * fixedIpGroups(infra))
                .allSatisfy(r -> assertThat(r.get("DestinationCidrBlock")).isEqualTo("0.0.0.0/0"));
    }

    @Test
    void s3_and_dynamodb_are_reached_through_gateway_endpoints() {
        List<Map<String, Object>> endpoints = Resources.properties(network("dev"), "AWS::EC2::VPCEndpoint");
        assertThat(endpoints).hasSize(2).allSatisfy(e -> assertThat(e.get("VpcEndpointType")).isEqualTo("Gateway"));
        assertThat(endpoints.stream().map(e -> String.valueOf(e.get("ServiceName"))).toList())
                .anySatisfy(n -> assertThat(n).contains("s3")).anySatisfy(n -> assertThat(n).contains("dynamodb"));
    }

    private static void assertRetainedAndPrinted(Template network, int count) {
        List<Map<String, Object>> eips = Resources.of(network, "AWS::EC2::EIP");
        assertThat(eips).hasSize(count).allSatisfy(eip -> {
            assertThat(eip.get("DeletionPolicy")).isEqualTo("Retain");
            assertThat(eip.get("UpdateReplacePolicy")).isEqualTo("Retain");
            assertThat(at(eip, "Properties", "Domain")).isEqualTo("vpc");
        });
        Map<String, Map<String, Object>> outputs = network.findOutputs("*");
        assertThat(outputs.values()).filteredOn(o -> String.valueOf(o.get("Description")).startsWith("Fixed egress IP"))
                .hasSize(count)
                .allSatisfy(o -> assertThat(at(o, "Value", "Ref")).isNotNull());
    }

    private static Template network(String env) {
        Synthesized s = Synthesized.environment(env);
        return s.template(s.stacks.network());
    }

    private static int fixedIpGroups(InfrastructureConfig infra) {
        return (int) infra.egressGroups().values().stream().filter(InfrastructureConfig.EgressGroup::fixedIp).count();
    }
}
