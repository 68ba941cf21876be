package io.marketgate.cdk;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The topic {@code <env>-marketgate-alarms} that every alarm of the environment notifies: the functions' own
 * {@code <env>-<function>-errors} alarms (which CodeDeploy also rolls back on) and the observability stack's. A stack of
 * its own because both of those stacks point at it, and the observability stack already reads the functions stack
 * (a topic in either would make the two depend on each other). Subscribe on-call's endpoint (e-mail, chat, paging) to it.
 */
public final class AlertsStack extends Stack {

    private final Topic topic;

    public AlertsStack(Construct scope, String id, StackProps props, Deployment deployment) {
        super(scope, id, props);
        topic = Topic.Builder.create(this, "Alarms").topicName(deployment.name("marketgate-alarms"))
                .displayName("marketgate " + deployment.env() + " alarms").enforceSsl(true)
                .masterKey(Alias.fromAliasName(this, "SnsKey", "alias/aws/sns")).build();
    }

    /** Where alarms send their notifications. */
    public Topic topic() {
        return topic;
    }
}
