package io.marketgate.handlers.sqs;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Hands a message back to its queue for a while instead of sleeping in the function (Lambda bills idle time): its
 * visibility timeout is set to the wait, and the handler reports it as a batch item failure.
 */
public final class HandBack {

    private static final Logger log = LoggerFactory.getLogger(HandBack.class);

    /** SQS's maximum visibility timeout (12 hours). */
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    /** Backoff of a retryable failure on the first attempt; doubles per attempt up to {@link #MAX_BACKOFF}. */
    public static final Duration BASE_BACKOFF = Duration.ofSeconds(5);
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    private final SqsClient sqs;

    public HandBack(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** {@code wait} in whole seconds, rounded up, at least 1, at most {@link #MAX_VISIBILITY}. */
    public static int visibilitySeconds(Duration wait) {
        if (wait == null || wait.isNegative() || wait.isZero()) {
            return 1;
        }
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return (int) Math.min(Math.max(seconds, 1), MAX_VISIBILITY.getSeconds());
    }

    /** The backoff after a retryable failure on delivery {@code attempt} (1, 2, …): 5 s, 10 s, 20 s, … at most 15 min. */
    public static Duration backoff(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 20);
        Duration d = BASE_BACKOFF.multipliedBy(1L << doublings);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /**
     * Makes {@code message} visible again after {@code wait}; returns the seconds set. When SQS refuses (the receipt
     * expired), the message comes back after its current timeout, which is logged and otherwise harmless.
     */
    public int handBack(QueuedMessage message, Duration wait) {
        int seconds = visibilitySeconds(wait);
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(message.queueUrl()).receiptHandle(message.receiptHandle())
                    .visibilityTimeout(seconds));
        } catch (SqsException e) {
            log.warn("visibility of {} not changed to {} s: {}", message.messageId(), seconds, e.getMessage());
        }
        return seconds;
    }
}
