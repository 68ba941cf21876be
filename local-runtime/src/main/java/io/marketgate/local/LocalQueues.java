package io.marketgate.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates queues as the platform's stacks do: every queue with a dead-letter queue (FIFO with a FIFO one) and a
 * real {@code RedrivePolicy}, so that the SQS server itself moves a message after {@code maxReceiveCount}
 * receives, as SQS does. ElasticMQ honours the policy (see {@code SqsEventSourceTest}).
 */
public final class LocalQueues {
    private LocalQueues() {}

    /** The URLs of a queue and its dead-letter queue. */
    public record QueuePair(String name, String url, String dlqUrl) {}

    /**
     * Creates {@code name} (a FIFO queue when it ends in {@code .fifo}) and {@code name-dlq}
     * ({@code name-dlq.fifo}) with a redrive policy of {@code maxReceiveCount}.
     */
    public static QueuePair createWithDlq(SqsClient sqs, String name, Duration visibilityTimeout, int maxReceiveCount) {
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be 1..1000 (SQS's range), was " + maxReceiveCount);
        }
        boolean fifo = name.endsWith(".fifo");
        String dlqName = fifo ? name.substring(0, name.length() - 5) + "-dlq.fifo" : name + "-dlq";
        Map<QueueAttributeName, String> dlqAttributes = new HashMap<>();
        if (fifo) {
            dlqAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String dlqUrl = sqs.createQueue(b -> b.queueName(dlqName).attributes(dlqAttributes)).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);

        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(Math.max(0, visibilityTimeout.toSeconds())));
        attributes.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
        if (fifo) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        return new QueuePair(name, url, dlqUrl);
    }

    /** Approximate visible + in-flight + delayed messages of a queue. */
    public static long depth(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }
}
