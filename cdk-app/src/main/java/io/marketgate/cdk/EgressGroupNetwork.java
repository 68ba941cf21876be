package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig.EgressGroup;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.CfnEIP;
import software.amazon.awscdk.services.ec2.CfnNatGateway;
import software.amazon.awscdk.services.ec2.CfnRoute;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * One fixed-IP egress group: {@code natGateways} NAT gateways in the first availability zones' public subnets, each
 * with an Elastic IP allocated here and retained when the stack is deleted (the markets' allow-lists hold these
 * addresses; a new one means asking every market again), printed as a stack output; the group's private subnets
 * send their internet traffic through the NAT gateway of their zone, or the group's first when it has fewer.
 */
public final class EgressGroupNetwork extends Construct {

    private final List<CfnEIP> addresses = new ArrayList<>();

    public EgressGroupNetwork(Construct scope, String id, Vpc vpc, EgressGroup group, Deployment deployment) {
        super(scope, id);
        if (!group.fixedIp() || group.natGateways() < 1) {
            throw new IllegalArgumentException("egress group " + group.name() + " is not a fixed-ip group with NAT gateways");
        }
        List<ISubnet> publicSubnets = vpc.getPublicSubnets();
        List<CfnNatGateway> nats = new ArrayList<>();
        for (int i = 0; i < group.natGateways(); i++) {
            CfnEIP eip = CfnEIP.Builder.create(this, "Eip" + (i + 1)).domain("vpc").build();
            eip.applyRemovalPolicy(RemovalPolicy.RETAIN);
            Tags.of(eip).add("Name", deployment.name(group.name() + "-egress-" + (i + 1)));
            addresses.add(eip);
            CfnNatGateway nat = CfnNatGateway.Builder.create(this, "Nat" + (i + 1))
                    .allocationId(eip.getAttrAllocationId())
                    .subnetId(publicSubnets.get(i).getSubnetId())
                    .build();
            Tags.of(nat).add("Name", deployment.name(group.name() + "-nat-" + (i + 1)));
            nats.add(nat);
            CfnOutput.Builder.create(this, "EgressIp" + (i + 1))
                    .key("EgressIp" + Deployment.idOf(group.name()) + (i + 1))
                    .description("Fixed egress IP " + (i + 1) + " of group " + group.name()
                            + ": add it to the allow-lists of the markets on this group (retained when the stack is deleted)")
                    .value(eip.getRef())
                    .exportName(deployment.name(group.name() + "-egress-ip-" + (i + 1)))
                    .build();
        }
        List<ISubnet> privateSubnets = vpc.selectSubnets(SubnetSelection.builder().subnetGroupName(subnetGroupName(group.name())).build())
                .getSubnets();
        for (int i = 0; i < privateSubnets.size(); i++) {
            ISubnet subnet = privateSubnets.get(i);
            CfnRoute.Builder.create(this, "DefaultRoute" + (i + 1))
                    .routeTableId(subnet.getRouteTable().getRouteTableId())
                    .destinationCidrBlock("0.0.0.0/0")
                    .natGatewayId(nats.get(i < nats.size() ? i : 0).getRef())
                    .build();
        }
    }

    /** The name of the private subnet group of egress group {@code group}. */
    public static String subnetGroupName(String group) {
        return "egress-" + group;
    }

    /** The group's Elastic IPs, in order. */
    public List<CfnEIP> addresses() {
        return addresses;
    }
}
