package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig.DeploymentKind;
import io.marketgate.config.InfrastructureConfig.FunctionSize;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.codedeploy.AutoRollbackConfig;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaApplication;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentGroup;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * One Lambda function as it is released: its own log group with the environment's retention, its own role (logs
 * of this log group, network interfaces when in the VPC, and whatever {@link #allow} adds — nothing else), Java 21
 * with SnapStart on published versions, the current version behind the alias {@value #ALIAS} (what event sources,
 * schedules and API Gateway invoke), and a CodeDeploy deployment group that shifts the alias to a new version as the
 * environment says and rolls back when the alarm {@code <function>-errors} fires.
 *
 * <pre>{@code
 * ReleasedFunction api = new ReleasedFunction(this, "Api", ReleasedFunction.props(deployment.name("api"),
 *         "io.marketgate.handlers.ApiHandler::handleRequest", infra.functions().api()).environment(env).build(), code, app);
 * api.allow(List.of("sqs:SendMessage"), List.of(queue.getQueueArn()));
 * }</pre>
 */
public final class ReleasedFunction extends Construct {

    /** The alias every caller invokes. */
    public static final String ALIAS = "live";
    /** The ENI actions a VPC function needs; EC2 does not scope them to resources. */
    static final List<String> NETWORK_INTERFACE_ACTIONS = List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");

    /**
     * What a released function needs.
     *
     * @param functionName {@code <env>-<name>}; also the prefix of its alarm
     * @param handler {@code class::method}
     * @param vpc, subnets, securityGroups where it runs; all null for a function outside the VPC
     */
    public record Props(String functionName, String handler, String description, FunctionSize size, Map<String, String> environment,
            int logRetentionDays, DeploymentKind deployment, IVpc vpc, SubnetSelection subnets, List<ISecurityGroup> securityGroups) {}

    private final Function function;
    private final Alias alias;
    private final Role role;
    private final Alarm errors;
    private final LogGroup logGroup;

    public ReleasedFunction(Construct scope, String id, Props props, Code code, LambdaApplication application) {
        super(scope, id);
        if ((props.vpc() == null) != (props.subnets() == null)) {
            throw new IllegalArgumentException(props.functionName() + ": a VPC function needs both vpc and subnets");
        }
        logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/lambda/" + props.functionName())
                .retention(Retention.days(props.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs " + props.functionName() + " with only what it needs")
                .build();
        allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logGroup.getLogGroupArn()));
        if (props.vpc() != null) {
            role.addToPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(NETWORK_INTERFACE_ACTIONS)
                    .resources(List.of("*")).build());
            NagAcknowledgements.of(this).acknowledge(role, "AwsSolutions-IAM5[Resource::*]", "EC2's network interface actions, "
                    + "which a function in a VPC needs for its ENIs, do not support resource-level permissions");
        }
        Function.Builder b = Function.Builder.create(this, "Function")
                .functionName(props.functionName())
                .description(props.description())
                .runtime(Runtime.JAVA_21)
                .handler(props.handler())
                .code(code)
                .memorySize(props.size().memoryMb())
                .timeout(Duration.seconds(props.size().timeout().toSeconds()))
                .role(role)
                .logGroup(logGroup)
                .environment(props.environment())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        if (props.vpc() != null) {
            b.vpc(props.vpc()).vpcSubnets(props.subnets()).securityGroups(props.securityGroups());
        }
        function = b.build();
        // the warning says SnapStart applies to published versions only; this function always has one, its alias's
        software.amazon.awscdk.Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the current version is published and the alias live points at it");
        alias = Alias.Builder.create(this, "Alias").aliasName(ALIAS).version(function.getCurrentVersion()).build();
        errors = Alarm.Builder.create(this, "Errors")
                .alarmName(props.functionName() + "-errors")
                .alarmDescription(props.functionName() + " (alias " + ALIAS + ") reported errors; during a deployment this "
                        + "rolls the alias back to the previous version")
                .metric(alias.metricErrors(MetricOptions.builder().period(Duration.minutes(1)).statistic("Sum").build()))
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        LambdaDeploymentGroup.Builder.create(this, "Deployment")
                .application(application)
                .alias(alias)
                .deploymentConfig(config(props.deployment()))
                .alarms(List.of(errors))
                .autoRollback(AutoRollbackConfig.builder().failedDeployment(true).stoppedDeployment(true).deploymentInAlarm(true).build())
                .build();
    }

    /** A statement of exactly these actions on exactly these resources. */
    public void allow(List<String> actions, List<String> resources) {
        role.addToPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build());
    }

    static ILambdaDeploymentConfig config(DeploymentKind kind) {
        return switch (kind) {
            case ALL_AT_ONCE -> LambdaDeploymentConfig.ALL_AT_ONCE;
            case CANARY_10_PERCENT_5_MINUTES -> LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES;
            case CANARY_10_PERCENT_10_MINUTES -> LambdaDeploymentConfig.CANARY_10_PERCENT_10_MINUTES;
            case CANARY_10_PERCENT_15_MINUTES -> LambdaDeploymentConfig.CANARY_10_PERCENT_15_MINUTES;
            case CANARY_10_PERCENT_30_MINUTES -> LambdaDeploymentConfig.CANARY_10_PERCENT_30_MINUTES;
            case LINEAR_10_PERCENT_EVERY_1_MINUTE -> LambdaDeploymentConfig.LINEAR_10_PERCENT_EVERY_1_MINUTE;
            case LINEAR_10_PERCENT_EVERY_3_MINUTES -> LambdaDeploymentConfig.LINEAR_10_PERCENT_EVERY_3_MINUTES;
            case LINEAR_10_PERCENT_EVERY_10_MINUTES -> LambdaDeploymentConfig.LINEAR_10_PERCENT_EVERY_10_MINUTES;
        };
    }

    public Function function() {
        return function;
    }

    /** The alias {@value #ALIAS}: what every caller invokes. */
    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }

    public Alarm errors() {
        return errors;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
