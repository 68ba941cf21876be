package io.marketgate.cli.ops;

import io.marketgate.cli.ProgressBar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Moves the messages of one dead-letter queue back to its queue: receive a batch, send it to the queue (body,
 * message attributes and, for FIFO, the message group), delete what was sent. A message whose send fails stays in
 * the DLQ and becomes visible again after {@link #RECEIVE_VISIBILITY_SECONDS}.
 *
 * <p>This is done by hand rather than with SQS's {@code StartMessageMoveTask} so that it is the same code against
 * ElasticMQ locally and SQS in AWS, moves an exact, bounded number ({@code --max}), and counts what it moved.
 *
 * <pre>{@code
 * Redrive.Plan plan = Redrive.plan(aws, "dev", "coupang", QueueKind.COLLECT);
 * Redrive.Result r = Redrive.move(aws, plan, 100, bar);
 * }</pre>
 */
final class Redrive {
    /** How long a received DLQ message stays hidden while it is being moved; long enough for a send and a delete. */
    static final int RECEIVE_VISIBILITY_SECONDS = 60;
    /** SQS's largest receive and batch. */
    static final int BATCH = 10;

    private Redrive() {}

    /** One DLQ to empty into its queue, and how many messages it held when the plan was made. */
    record Plan(QueueKind kind, String dlqName, String dlqUrl, String queueName, String queueUrl, long inDlq) {}

    /** What a move did; {@code leftInDlq} is SQS's count after the move. */
    record Result(Plan plan, int moved, int failed, long leftInDlq) {}

    /** Resolves both queues of {@code kind} for the market; throws naming the queue when one does not exist. */
    static Plan plan(OperatorAws aws, String environment, String market, QueueKind kind) {
        String dlq = kind.dlqName(environment, market);
        String queue = kind.queueName(environment, market);
        String dlqUrl = aws.queueUrl(dlq).orElseThrow(() -> missing(dlq, aws));
        String queueUrl = aws.queueUrl(queue).orElseThrow(() -> missing(queue, aws));
        return new Plan(kind, dlq, dlqUrl, queue, queueUrl, aws.counts(dlqUrl).total());
    }

    private static IllegalArgumentException missing(String name, OperatorAws aws) {
        return new IllegalArgumentException("queue " + name + " does not exist in " + aws.where()
                + " (is the environment deployed, or the market part of the local platform's scenario?)");
    }

    /**
     * Moves up to {@code max} messages, at most as many as the DLQ held when planned (so that messages failing
     * again while the move runs are not moved round in circles), reporting progress to {@code bar}.
     */
    static Result move(OperatorAws aws, Plan plan, int max, ProgressBar bar) {
        SqsClient sqs = aws.sqs();
        int target = (int) Math.min(max, plan.inDlq());
        int moved = 0;
        int failed = 0;
        bar.update(0, target);
        while (moved + failed < target) {
            int want = Math.min(BATCH, target - moved - failed);
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(plan.dlqUrl()).maxNumberOfMessages(want)
                    .visibilityTimeout(RECEIVE_VISIBILITY_SECONDS).waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                break;   // the rest is in flight elsewhere or was counted approximately
            }
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(sendEntry(plan.kind(), Integer.toString(i), batch.get(i)));
            }
            SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(plan.queueUrl()).entries(entries));
            failed += sent.failed().size();
            List<DeleteMessageBatchRequestEntry> deletes = sent.successful().stream()
                    .map(s -> DeleteMessageBatchRequestEntry.builder().id(s.id())
                            .receiptHandle(batch.get(Integer.parseInt(s.id())).receiptHandle()).build())
                    .toList();
            if (!deletes.isEmpty()) {
                DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(plan.dlqUrl()).entries(deletes));
                // a message sent but not deleted is in both queues; the handlers are idempotent, so it is a redelivery
                moved += deleted.successful().size() + deleted.failed().size();
            }
            bar.update(moved + failed, target);
        }
        return new Result(plan, moved, failed, aws.counts(plan.dlqUrl()).total());
    }

    /**
     * The DLQ's first messages, for a dry run, without moving or hiding them (received with a visibility timeout
     * of 0; a DLQ has no redrive policy, so the receive count this adds matters to nobody).
     */
    static List<Map<String, Object>> peek(SqsClient sqs, Plan plan, int n) {
        if (plan.inDlq() == 0) {
            return List.of();
        }
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(plan.dlqUrl()).maxNumberOfMessages(Math.min(n, BATCH))
                .visibilityTimeout(0).waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Message m : messages) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("messageId", m.messageId());
            String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
            summary.put("sent", sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)).toString());
            summary.put("receiveCount", m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
            if (group != null) {
                summary.put("messageGroupId", group);
            }
            String body = m.body();
            summary.put("body", body.length() > 120 ? body.substring(0, 120) + "…" : body);
            out.add(summary);
        }
        return out;
    }

    /**
     * The message as it goes back to its queue. A FIFO message keeps its group, so actions on one order stay in
     * order; it gets a deduplication id of its own, {@code redrive-<DLQ message id>}, because re-using the
     * original one inside SQS's five-minute deduplication interval would make SQS accept the message and drop it,
     * while the DLQ message id makes a repeated redrive of the same message (after a crash between send and
     * delete) a duplicate that SQS drops.
     */
    private static SendMessageBatchRequestEntry sendEntry(QueueKind kind, String id, Message m) {
        SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.builder().id(id).messageBody(m.body())
                .messageAttributes(m.messageAttributes());
        if (kind.fifo()) {
            String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
            e.messageGroupId(group != null ? group : "redrive").messageDeduplicationId("redrive-" + m.messageId());
        }
        return e.build();
    }
}
