package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.sqs.BatchResult;
import io.marketgate.handlers.sqs.QueuedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** What the SQS handlers share: records to {@link QueuedMessage}s, Powertools logging around the call, metrics flushed at the end. */
final class SqsHandlerSupport {

    private static final Logger log = LoggerFactory.getLogger(SqsHandlerSupport.class);

    private SqsHandlerSupport() {}

    /**
     * Maps {@code event} to messages, runs {@code service} on them inside Powertools' logging context (when there is a
     * Lambda context), and flushes the invocation's metrics. A record whose queue cannot be resolved is reported as a
     * failure, not allowed to fail the others.
     */
    static SQSBatchResponse handle(SQSEvent event, Context context, Function<String, String> queueUrls,
            HandlerMetrics metrics, Function<List<QueuedMessage>, BatchResult> service) {
        try {
            if (context == null) {
                return run(event, queueUrls, service);
            }
            return PowertoolsLogging.withLogging(context, () -> run(event, queueUrls, service));
        } finally {
            metrics.flush();
        }
    }

    private static SQSBatchResponse run(SQSEvent event, Function<String, String> queueUrls,
            Function<List<QueuedMessage>, BatchResult> service) {
        List<QueuedMessage> messages = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage record : records) {
            try {
                messages.add(QueuedMessage.of(record, queueUrls));
            } catch (RuntimeException e) {
                log.error("record {} from {} not processed: its queue is unknown: {}", record.getMessageId(),
                        record.getEventSourceArn(), e.toString());
                unresolved.add(record.getMessageId());
            }
        }
        BatchResult result = service.apply(messages);
        List<String> failed = new ArrayList<>(unresolved);
        failed.addAll(result.failedMessageIds());
        return new BatchResult(failed).toResponse();
    }
}
