package io.marketgate.handlers.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One SQS record as the services see it: its id, body, receipt handle, the URL of its queue, how many times it has
 * been received, and its FIFO group.
 */
public record QueuedMessage(String messageId, String body, String receiptHandle, String queueUrl, int receiveCount,
        Optional<String> messageGroupId) {

    /**
     * The record of a Lambda SQS event; {@code queueUrl} finds the URL of the record's queue from its name (the last
     * segment of {@code eventSourceARN}).
     */
    public static QueuedMessage of(SQSEvent.SQSMessage record, Function<String, String> queueUrl) {
        Map<String, String> attributes = record.getAttributes() == null ? Map.of() : record.getAttributes();
        int receiveCount = parse(attributes.get("ApproximateReceiveCount"));
        String url = queueUrl.apply(QueueDirectory.queueName(record.getEventSourceArn()));
        return new QueuedMessage(record.getMessageId(), record.getBody(), record.getReceiptHandle(), url, receiveCount,
                Optional.ofNullable(attributes.get("MessageGroupId")));
    }

    private static int parse(String count) {
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
