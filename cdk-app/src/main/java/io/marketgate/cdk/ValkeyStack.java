package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig.Valkey;
import io.marketgate.config.InfrastructureConfig.ValkeyMode;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.elasticache.CfnUser;
import software.amazon.awscdk.services.elasticache.CfnUserGroup;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The limiter's store: ElastiCache for Valkey ({@code <env>-limiter}), serverless or node-based (cluster mode) as the
 * environment file says, engine valkey, TLS always, access control by an RBAC user group (the default user disabled,
 * one password user whose credentials live in Secrets Manager), in the platform group's private subnets behind a
 * security group that admits only the limiter clients' security group. And the environment's token key
 * ({@code <env>-token-key}, generated; see docs/markets.md), which seals the markets' access tokens the fleet shares in
 * this Valkey and the sellers' consent-granted connections (Cafe24's) in the sellers table. The connections outlive any
 * cache: without the key every seller would have to consent again, so the key is retained when the stack is deleted,
 * as the tables are.
 */
public final class ValkeyStack extends Stack {

    /** The limiter's RBAC user name. */
    public static final String USER_NAME = "marketgate";
    /** Valkey's port; ElastiCache Serverless also serves reads from replicas on the next one. */
    public static final int PORT = 6379;

    private final Secret credentials;
    private final Secret tokenKey;
    private final String endpointAddress;
    private final String endpointPort;
    private final SecurityGroup securityGroup;

    public ValkeyStack(Construct scope, String id, StackProps props, Deployment deployment, NetworkStack network) {
        super(scope, id, props);
        Valkey valkey = deployment.infrastructure().valkey();
        String name = deployment.name("limiter");
        securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup").vpc(network.vpc())
                .securityGroupName(name).description("Valkey of the limiter: admits the limiter clients only")
                .allowAllOutbound(false).build();
        securityGroup.addIngressRule(Peer.securityGroupId(network.limiterClients().getSecurityGroupId()),
                Port.tcpRange(PORT, PORT + 1), "limiter clients (TLS)");

        credentials = Secret.Builder.create(this, "Credentials")
                .secretName(deployment.name("limiter-valkey"))
                .description("Valkey RBAC user of the limiter: {username, password}; the functions read it at cold start")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"" + USER_NAME + "\"}")
                        .generateStringKey("password").passwordLength(40).excludePunctuation(true).build())
                .build();
        // a secret of its own, not a field of the user's: Secrets Manager generates one field per secret, ElastiCache
        // reads the user's password when the user is created, and the token key rotates without touching the user
        tokenKey = Secret.Builder.create(this, "TokenKey")
                .secretName(deployment.name("token-key"))
                .description("Key material that seals the markets' access tokens the functions share in the limiter's Valkey "
                        + "and the sellers' connections in the sellers table: {key}; the functions read it at cold start")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{}")
                        .generateStringKey("key").passwordLength(64).excludePunctuation(true).build())
                // the sellers' connections in the sellers table (retained) are sealed with it
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        CfnUser defaultUser = CfnUser.Builder.create(this, "DefaultUser")
                .userId(deployment.name("limiter-default")).userName("default").engine("valkey")
                // a user group must hold a user named default; this one can do nothing
                .accessString("off -@all").noPasswordRequired(true).build();
        CfnUser user = CfnUser.Builder.create(this, "LimiterUser")
                .userId(deployment.name("limiter-app")).userName(USER_NAME).engine("valkey")
                // the limiter's keys only (keyPrefix, then its {market} hash tag), and the commands it runs
                .accessString("on " + deployment.environment().limiter().valkeyUserRules())
                .passwords(List.of(credentials.secretValueFromJson("password").unsafeUnwrap()))
                .build();
        CfnUserGroup group = CfnUserGroup.Builder.create(this, "UserGroup")
                .userGroupId(deployment.name("limiter-users")).engine("valkey")
                .userIds(List.of(defaultUser.getUserId(), user.getUserId())).build();
        group.addResourceDependency(defaultUser);
        group.addResourceDependency(user);

        List<String> subnetIds = network.vpc().selectSubnets(network.platformSubnets()).getSubnetIds();
        if (valkey.mode() == ValkeyMode.SERVERLESS) {
            CfnServerlessCache cache = CfnServerlessCache.Builder.create(this, "Cache")
                    .serverlessCacheName(name).engine("valkey").majorEngineVersion("8")
                    .description("marketgate limiter budgets of " + deployment.env())
                    .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                    .subnetIds(subnetIds.subList(0, Math.min(3, subnetIds.size())))
                    .userGroupId(group.getUserGroupId())
                    .build();
            cache.addResourceDependency(group);
            endpointAddress = cache.getAttrEndpointAddress();
            endpointPort = cache.getAttrEndpointPort();
        } else {
            CfnSubnetGroup subnets = CfnSubnetGroup.Builder.create(this, "Subnets")
                    .cacheSubnetGroupName(name).description("private subnets of the platform egress group")
                    .subnetIds(subnetIds).build();
            boolean replicated = valkey.replicasPerShard() > 0;
            CfnReplicationGroup cache = CfnReplicationGroup.Builder.create(this, "Cache")
                    .replicationGroupId(name)
                    .replicationGroupDescription("marketgate limiter budgets of " + deployment.env())
                    .engine("valkey").engineVersion("8.0")
                    .cacheNodeType(valkey.nodeType().orElseThrow())
                    // cluster mode, as serverless always is: the limiter's {market} hash tags keep a call in one slot
                    .clusterMode("enabled")
                    .numNodeGroups(valkey.shards())
                    .replicasPerNodeGroup(valkey.replicasPerShard())
                    .automaticFailoverEnabled(true)
                    .multiAzEnabled(replicated)
                    .transitEncryptionEnabled(true)
                    .transitEncryptionMode("required")
                    .atRestEncryptionEnabled(true)
                    .userGroupIds(List.of(group.getUserGroupId()))
                    .cacheSubnetGroupName(subnets.getRef())
                    .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                    .port(PORT)
                    .build();
            cache.addResourceDependency(group);
            cache.addResourceDependency(subnets);
            endpointAddress = cache.getAttrConfigurationEndPointAddress();
            endpointPort = cache.getAttrConfigurationEndPointPort();
        }
        // what on-call passes as --valkey-cluster (the Lambdas get it as MARKETGATE_VALKEY_CLUSTER)
        CfnOutput.Builder.create(this, "LimiterValkeyEndpoint").value(endpoint())
                .description("host:port of the limiter's Valkey (TLS, user from the secret " + deployment.name("limiter-valkey")
                        + "): marketgate limiter ... --valkey-cluster, or MARKETGATE_VALKEY_CLUSTER")
                .build();
        NagAcknowledgements.of(this)
                .acknowledge(credentials, "AwsSolutions-SMG4", "ElastiCache reads the password when the user is created; a "
                        + "rotation would need a function that updates the ElastiCache user too. Rotate by changing the secret and "
                        + "redeploying this stack")
                .acknowledge(tokenKey, "AwsSolutions-SMG4", "The token key has no rotation function: a new value (with the "
                        + "old one as previousKey) takes effect as the functions' instances start; shared access tokens live 3 "
                        + "hours, and a seller's connection is sealed anew at each refresh, at the latest after 14 days, so "
                        + "previousKey is kept that long (without it every consent-granted connection is lost)")
                .acknowledge(this, "AwsSolutions-AEC5", "Valkey is reachable only from the limiter clients' security group, over "
                        + "TLS and with an RBAC password; a non-default port would add nothing to that")
                .acknowledge(this, "AwsSolutions-AEC6", "Access control is an RBAC user group (a disabled default user and one "
                        + "password user), which replaces the AUTH token");
    }

    /** The secret with the limiter user's {@code username} and {@code password}. */
    public Secret credentials() {
        return credentials;
    }

    /** The secret {@code {"key": …}} that seals the shared access tokens in this Valkey. */
    public Secret tokenKey() {
        return tokenKey;
    }

    /** {@code host:port} of the cache's (configuration) endpoint. */
    public String endpoint() {
        return endpointAddress + ":" + endpointPort;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }
}
