package io.marketgate.handlers.sqs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Finds a queue's URL by its name (an SQS record names its queue by ARN): from the {@link QueueDirectory}, else once
 * from SQS ({@code GetQueueUrl}), then cached. The SQS handlers resolve their records' queues with it.
 */
public final class QueueUrls implements Function<String, String> {

    private final QueueDirectory queues;
    private final SqsClient sqs;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public QueueUrls(QueueDirectory queues, SqsClient sqs) {
        this.queues = queues;
        this.sqs = sqs;
    }

    @Override
    public String apply(String queueName) {
        return cache.computeIfAbsent(queueName, name -> queues.urlOfQueueName(name)
                .orElseGet(() -> sqs.getQueueUrl(b -> b.queueName(name)).queueUrl()));
    }
}
