package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig.MarketInfrastructure;
import io.marketgate.config.InfrastructureConfig.Schedule;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * EventBridge Scheduler schedules {@code <env>-<market>-<schedule>}, one per schedule of each market in the environment
 * file: {@code rate(N minutes)} invoking the scheduler fan-out's alias with the payload
 * {@code {market, kind, lookback, spreadOver, priority}}, retried {@value #RETRY_ATTEMPTS} times within one period,
 * and sent to the dead-letter queue {@code <env>-schedules-dlq} when every retry failed.
 */
public final class SchedulesStack extends Stack {

    static final int RETRY_ATTEMPTS = 3;

    private final Queue deadLetters;
    private final List<CfnSchedule> schedules = new ArrayList<>();

    public SchedulesStack(Construct scope, String id, StackProps props, Deployment deployment, FunctionsStack functions) {
        super(scope, id, props);
        deadLetters = Queue.Builder.create(this, "DeadLetters").queueName(deployment.name("schedules-dlq"))
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).retentionPeriod(Duration.days(14)).build();
        String target = functions.scheduler().alias().getFunctionArn();
        Role role = Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("scheduler.amazonaws.com"))
                .description("EventBridge Scheduler invokes the fan-out of " + deployment.env() + " and dead-letters to its DLQ")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("lambda:InvokeFunction")).resources(List.of(target)).build());
        role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("sqs:SendMessage"))
                .resources(List.of(deadLetters.getQueueArn())).build());
        for (MarketInfrastructure market : deployment.infrastructure().markets().values()) {
            for (Schedule schedule : market.schedules().values()) {
                long minutes = schedule.rate().toMinutes();
                schedules.add(CfnSchedule.Builder.create(this, Deployment.idOf(market.market()) + Deployment.idOf(schedule.name()))
                        .name(deployment.name(market.market() + "-" + schedule.name()))
                        .description((schedule.tracksUnfinished() ? "Re-collects each unfinished order of " + market.market()
                                : "Collects " + schedule.kind() + " of every " + market.market() + " seller") + " every "
                                + minutes + " min")
                        .scheduleExpression("rate(" + minutes + (minutes == 1 ? " minute)" : " minutes)"))
                        .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                        .state("ENABLED")
                        .target(CfnSchedule.TargetProperty.builder()
                                .arn(target)
                                .roleArn(role.getRoleArn())
                                .input(payload(market.market(), schedule))
                                .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                        .maximumRetryAttempts(RETRY_ATTEMPTS)
                                        // a run older than its period is superseded by the next one
                                        .maximumEventAgeInSeconds((int) Math.max(60, schedule.rate().toSeconds()))
                                        .build())
                                .deadLetterConfig(CfnSchedule.DeadLetterConfigProperty.builder().arn(deadLetters.getQueueArn()).build())
                                .build())
                        .build());
            }
        }
        NagAcknowledgements.of(this).acknowledge(deadLetters, "AwsSolutions-SQS3", "This queue is the schedules' dead-letter "
                + "queue itself; a DLQ of a DLQ would only hide failed runs from on-call");
    }

    /** The fan-out's payload, as lambda-handlers' {@code ScheduleEvent} reads it. */
    static String payload(String market, Schedule schedule) {
        if (schedule.tracksUnfinished()) {
            return "{\"market\":\"" + market + "\",\"kind\":\"" + schedule.payloadKind() + "\",\"track\":\"UNFINISHED\",\"maxAge\":\""
                    + schedule.trackUnfinishedFor().orElseThrow() + "\",\"spreadOver\":\"" + schedule.spreadOver()
                    + "\",\"priority\":\"" + schedule.priority() + "\"}";
        }
        return "{\"market\":\"" + market + "\",\"kind\":\"" + schedule.payloadKind() + "\",\"lookback\":\"" + schedule.lookback()
                + "\",\"spreadOver\":\"" + schedule.spreadOver() + "\",\"priority\":\"" + schedule.priority() + "\"}";
    }

    public Queue deadLetters() {
        return deadLetters;
    }

    public List<CfnSchedule> schedules() {
        return schedules;
    }
}
