package io.marketgate.handlers.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.util.List;

/** What became of a batch: the ids of the messages to be redelivered (handed back or failed), in batch order. */
public record BatchResult(List<String> failedMessageIds) {

    public BatchResult {
        failedMessageIds = List.copyOf(failedMessageIds);
    }

    /** The Lambda answer that reports these partial batch failures. */
    public SQSBatchResponse toResponse() {
        return SQSBatchResponse.builder()
                .withBatchItemFailures(failedMessageIds.stream()
                        .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                        .toList())
                .build();
    }
}
