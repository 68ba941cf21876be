package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.InfrastructureConfig.EgressGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The environment's network: a VPC over {@code vpc.maxAzs} availability zones with one public subnet group for the
 * NAT gateways and, per fixed-IP egress group, its own private subnets behind its own NAT gateways and retained
 * Elastic IPs ({@link EgressGroupNetwork}); gateway endpoints for S3 and DynamoDB so that table and bucket traffic
 * never crosses a NAT; flow logs; and the security groups of the functions (limiter clients are the only ones Valkey
 * admits).
 */
public final class NetworkStack extends Stack {

    private final Deployment deployment;
    private final Vpc vpc;
    private final Map<String, EgressGroupNetwork> groups = new LinkedHashMap<>();
    private final SecurityGroup limiterClients;
    private final SecurityGroup platformFunctions;

    public NetworkStack(Construct scope, String id, StackProps props, Deployment deployment) {
        super(scope, id, props);
        this.deployment = deployment;
        InfrastructureConfig infra = deployment.infrastructure();
        List<SubnetConfiguration> subnets = new ArrayList<>();
        subnets.add(SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(26).build());
        for (EgressGroup group : fixedGroups()) {
            // isolated in CDK's terms: each group's default route is added by EgressGroupNetwork to its own NATs
            subnets.add(SubnetConfiguration.builder().name(EgressGroupNetwork.subnetGroupName(group.name()))
                    .subnetType(SubnetType.PRIVATE_ISOLATED).build());
        }
        vpc = Vpc.Builder.create(this, "Vpc")
                .vpcName(deployment.name("vpc"))
                .ipAddresses(IpAddresses.cidr(infra.vpc().cidr()))
                .maxAzs(infra.vpc().maxAzs())
                .natGateways(0)
                .subnetConfiguration(subnets)
                // no resource uses the default security group; restricting it would add a custom resource function
                .restrictDefaultSecurityGroup(false)
                .build();
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .logGroupName("/marketgate/" + deployment.env() + "/vpc-flow-logs")
                .retention(Retention.days(infra.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        vpc.addFlowLog("FlowLog", software.amazon.awscdk.services.ec2.FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs)).trafficType(FlowLogTrafficType.REJECT).build());
        for (EgressGroup group : fixedGroups()) {
            groups.put(group.name(), new EgressGroupNetwork(this, "Egress" + Deployment.idOf(group.name()), vpc, group, deployment));
        }
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
        vpc.addGatewayEndpoint("S3", software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3).subnets(List.of(privateSubnets)).build());
        vpc.addGatewayEndpoint("DynamoDb", software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.DYNAMODB).subnets(List.of(privateSubnets)).build());
        limiterClients = SecurityGroup.Builder.create(this, "LimiterClients").vpc(vpc)
                .securityGroupName(deployment.name("limiter-clients"))
                .description("Functions that use the limiter: the only sources Valkey admits").allowAllOutbound(true).build();
        platformFunctions = SecurityGroup.Builder.create(this, "PlatformFunctions").vpc(vpc)
                .securityGroupName(deployment.name("platform-functions"))
                .description("The API, scheduler and job worker functions: no Valkey access").allowAllOutbound(true).build();
    }

    /**
     * CDK gives a stack without a concrete account two availability zones; this one asks CloudFormation for the
     * region's first {@code vpc.maxAzs} zones instead, so that prod's three-AZ VPC is three AZs without a lookup.
     */
    @Override
    public List<String> getAvailabilityZones() {
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < deployment.infrastructure().vpc().maxAzs(); i++) {
            zones.add(Fn.select(i, Fn.getAzs()));
        }
        return zones;
    }

    private List<EgressGroup> fixedGroups() {
        return deployment.infrastructure().egressGroups().values().stream().filter(EgressGroup::fixedIp).toList();
    }

    public Vpc vpc() {
        return vpc;
    }

    /** The subnets of the fixed-IP group {@code group}. */
    public SubnetSelection subnetsOf(String group) {
        return SubnetSelection.builder().subnetGroupName(EgressGroupNetwork.subnetGroupName(group)).build();
    }

    /** The subnets of the group the API, scheduler, job worker and Valkey live in. */
    public SubnetSelection platformSubnets() {
        return subnetsOf(deployment.infrastructure().platformGroup().name());
    }

    public SecurityGroup limiterClients() {
        return limiterClients;
    }

    public SecurityGroup platformFunctions() {
        return platformFunctions;
    }

    public Map<String, EgressGroupNetwork> groups() {
        return groups;
    }
}
