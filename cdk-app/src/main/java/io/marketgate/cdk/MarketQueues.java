package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig.MarketInfrastructure;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * One market's queues, named as the operator CLI finds them: the collection queue {@code <env>-<market>-collect}
 * (standard) and the action queue {@code <env>-<market>-actions.fifo} (FIFO, grouped by seller/order), each with its
 * own dead-letter queue ({@code -collect-dlq}, {@code -actions-dlq.fifo}) after {@code queues.maxReceiveCount}
 * receives. Every queue is encrypted (SQS-managed SSE) and refuses plain HTTP; each visibility timeout is
 * {@code queues.visibilityMultiplier} times its consumer's timeout.
 */
public final class MarketQueues extends Construct {

    /** DLQs keep a message for SQS's maximum, so that on-call has two weeks to redrive. */
    static final Duration DLQ_RETENTION = Duration.days(14);
    /** The queues keep a message for four days, longer than any HIGH or MEDIUM retry chain. */
    static final Duration RETENTION = Duration.days(4);

    private final Queue collect;
    private final Queue collectDlq;
    private final Queue actions;
    private final Queue actionsDlq;

    public MarketQueues(Construct scope, String id, Deployment deployment, MarketInfrastructure market) {
        super(scope, id);
        String prefix = deployment.name(market.market());
        int receives = market.queues().maxReceiveCount();
        long multiplier = market.queues().visibilityMultiplier();
        collectDlq = queue("CollectDlq", prefix + "-collect-dlq", false, DLQ_RETENTION, null, null);
        collect = queue("Collect", prefix + "-collect", false, RETENTION,
                Duration.seconds(market.collector().size().timeout().toSeconds() * multiplier),
                DeadLetterQueue.builder().queue(collectDlq).maxReceiveCount(receives).build());
        actionsDlq = queue("ActionsDlq", prefix + "-actions-dlq.fifo", true, DLQ_RETENTION, null, null);
        actions = queue("Actions", prefix + "-actions.fifo", true, RETENTION,
                Duration.seconds(market.actions().size().timeout().toSeconds() * multiplier),
                DeadLetterQueue.builder().queue(actionsDlq).maxReceiveCount(receives).build());
    }

    private Queue queue(String id, String name, boolean fifo, Duration retention, Duration visibility, DeadLetterQueue dlq) {
        Queue.Builder b = Queue.Builder.create(this, id)
                .queueName(name)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(retention);
        if (fifo) {
            b.fifo(true).contentBasedDeduplication(false);
        }
        if (visibility != null) {
            b.visibilityTimeout(visibility);
        }
        if (dlq != null) {
            b.deadLetterQueue(dlq);
        }
        return b.build();
    }

    public Queue collect() {
        return collect;
    }

    public Queue collectDlq() {
        return collectDlq;
    }

    public Queue actions() {
        return actions;
    }

    public Queue actionsDlq() {
        return actionsDlq;
    }
}
