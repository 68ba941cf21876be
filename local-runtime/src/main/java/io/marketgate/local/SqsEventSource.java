package io.marketgate.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An SQS event source mapping as Lambda runs one, for one queue and one function.
 *
 * <ul>
 *   <li>Up to {@code maxConcurrency} workers; each owns its own handler instance (one "Lambda instance", created on
 *       its first batch as a cold start would) and long-polls for up to {@code batchSize} (1–10) messages.</li>
 *   <li>Each batch becomes a real {@link SQSEvent} (message id, receipt handle, body, MD5, system attributes such as
 *       {@code ApproximateReceiveCount} and, on FIFO queues, {@code MessageGroupId}; message attributes; event
 *       source ARN {@code arn:aws:sqs:ap-northeast-2:000000000000:<queue>}).</li>
 *   <li>Partial batch response: records not named in {@link SQSBatchResponse#getBatchItemFailures()} are deleted;
 *       the named ones are left alone and come back after their visibility timeout (or whatever visibility the
 *       handler set with {@code ChangeMessageVisibility}). An exception from the handler, or a failure whose
 *       identifier is null, empty or not in the batch, fails the whole batch, as Lambda does.</li>
 *   <li>FIFO: at most one in-flight batch per message group across all workers (a worker that receives a message
 *       of a group another worker's batch holds waits for that batch, without handing the message back, which
 *       would burn its receives); when a record of a group fails, the group's later records in the same batch are
 *       kept as well, so that no message overtakes a failed predecessor even if the handler forgot to report it.</li>
 *   <li>Dead-letter queues are the queue's own {@code RedrivePolicy} (see {@link LocalQueues}); the poller does
 *       not move messages itself.</li>
 * </ul>
 *
 * <pre>{@code
 * try (SqsEventSource source = SqsEventSource.builder().sqs(sqs).queueUrl(url).functionName("coupang-collector")
 *         .batchSize(10).maxConcurrency(2).handler(() -> new CollectorHandler(deps)).build().start()) { ... }
 * }</pre>
 */
public final class SqsEventSource implements AutoCloseable {
    static final String REGION = "ap-northeast-2";
    static final String ACCOUNT = "000000000000";
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSource.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueName;
    private final boolean fifo;
    private final String functionName;
    private final int batchSize;
    private final int maxConcurrency;
    private final Duration waitTime;
    private final Duration functionTimeout;
    private final int memoryMb;
    private final Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> handlerFactory;
    private final LambdaUsage usage;
    private final DeliveryFaults faults;

    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();
    private final Set<String> groupsInFlight = new HashSet<>();
    private final Stats stats = new Stats();

    private SqsEventSource(Builder b) {
        this.sqs = Objects.requireNonNull(b.sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(b.queueUrl, "queueUrl");
        this.queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        this.fifo = queueName.endsWith(".fifo");
        this.functionName = b.functionName != null ? b.functionName : queueName.replace(".fifo", "") + "-function";
        this.batchSize = b.batchSize;
        this.maxConcurrency = b.maxConcurrency;
        this.waitTime = b.waitTime;
        this.functionTimeout = b.functionTimeout;
        this.memoryMb = b.memoryMb;
        this.handlerFactory = Objects.requireNonNull(b.handlerFactory, "handler");
        this.usage = b.usage != null ? b.usage : new LambdaUsage();
        this.faults = b.faults;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The ARN the records carry as {@code eventSourceARN}. */
    public static String queueArn(String queueName) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queueName;
    }

    /** Starts the workers; returns this. */
    public synchronized SqsEventSource start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("event source of " + queueName + " already started");
        }
        for (int i = 0; i < maxConcurrency; i++) {
            Thread t = Thread.ofPlatform().name("sqs-" + queueName + "-" + i).daemon(true).unstarted(this::work);
            workers.add(t);
            t.start();
        }
        return this;
    }

    public String queueName() {
        return queueName;
    }

    public Stats stats() {
        return stats;
    }

    /** What Lambda would bill for this source's function (shared with others when the builder was given one). */
    public LambdaUsage usage() {
        return usage;
    }

    /** Stops polling, lets the batches in flight finish (their handlers are not interrupted) and returns. */
    @Override
    public void close() {
        running.set(false);
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(workers);
        }
        for (Thread t : all) {
            try {
                t.join(waitTime.toMillis() + functionTimeout.toMillis() + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work() {
        RequestHandler<SQSEvent, SQSBatchResponse> handler = null;
        while (running.get()) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                        .waitTimeSeconds((int) waitTime.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
            } catch (SdkException e) {
                if (running.get()) {
                    LOG.warn("{}: receive failed: {}", queueName, e.getMessage());
                    pause(Duration.ofMillis(200));
                }
                continue;
            }
            if (messages.isEmpty()) {
                continue;
            }
            List<Message> batch = fifo ? claimGroups(messages) : messages;
            if (batch.isEmpty()) {
                continue;
            }
            try {
                if (handler == null) {
                    long initStart = System.nanoTime();
                    handler = handlerFactory.get();
                    usage.initialised(functionName, memoryMb, System.nanoTime() - initStart);
                }
                if (!invoke(handler, batch)) {
                    handler = null;   // the instance died: the next batch starts a new one
                }
            } catch (RuntimeException | Error e) {
                LOG.error("{}: handler could not be created: {}", queueName, e.toString(), e);
                stats.errors.incrementAndGet();
            } finally {
                if (fifo) {
                    releaseGroups(batch);
                }
            }
        }
    }

    /** Runs one batch; false when its instance died ({@link DeliveryFaults#killBatches}) and answered nothing. */
    private boolean invoke(RequestHandler<SQSEvent, SQSBatchResponse> handler, List<Message> batch) {
        stats.batches.incrementAndGet();
        stats.received.addAndGet(batch.size());
        int now = stats.inFlight.incrementAndGet();
        stats.maxInFlight.accumulateAndGet(now, Math::max);
        Set<String> failed;
        SQSEvent event = toEvent(batch);
        LocalContext context = new LocalContext(functionName, functionTimeout, memoryMb);
        // Lambda bills from the handler's start until it returns (or throws)
        long invokeStart = System.nanoTime();
        long invokeEnd = -1;
        try {
            int killAfter = faults == null ? -1 : faults.takeKill();
            if (killAfter >= 0) {
                List<Message> done = batch.subList(0, Math.min(killAfter, batch.size()));
                if (!done.isEmpty()) {
                    try {
                        handler.handleRequest(toEvent(done), context);
                    } catch (RuntimeException | Error e) {
                        LOG.warn("{}: handler threw before its instance was killed: {}", queueName, e.toString());
                    }
                }
                LOG.warn("{}: instance killed after {} of its batch's {} messages; none is acknowledged, all come back "
                        + "after their visibility timeout", queueName, done.size(), batch.size());
                return false;
            }
            SQSBatchResponse response = handler.handleRequest(event, context);
            invokeEnd = System.nanoTime();
            failed = failedIds(batch, response);
            deliverDuplicates(batch);
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: handler threw, the whole batch of {} fails: {}", queueName, batch.size(), e.toString());
            stats.errors.incrementAndGet();
            failed = ids(batch);
        } finally {
            // the duplicate delivery, if any, is another instance's invocation, billed on its own
            usage.invoked(functionName, memoryMb, (invokeEnd >= 0 ? invokeEnd : System.nanoTime()) - invokeStart);
            stats.inFlight.decrementAndGet();
        }
        if (fifo) {
            failed = withLaterGroupMembers(batch, failed);
        }
        stats.failed.addAndGet(failed.size());
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message m : batch) {
            if (!failed.contains(m.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!deletes.isEmpty()) {
            try {
                var result = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
                stats.deleted.addAndGet(result.successful().size());
                if (!result.failed().isEmpty()) {
                    LOG.warn("{}: {} deletes failed: {}", queueName, result.failed().size(), result.failed());
                }
            } catch (SdkException e) {
                LOG.warn("{}: delete failed, the batch will be redelivered: {}", queueName, e.getMessage());
            }
        }
        return true;
    }

    /**
     * Delivers the messages {@link DeliveryFaults#drawDuplicate()} picks a second time, to a new instance of the function
     * (SQS hands a message to two consumers at once now and then), before the first delivery is acknowledged; what the
     * second invocation answers is not acted on. The new instance's initialisation and its invocation are billed like
     * any other.
     */
    private void deliverDuplicates(List<Message> batch) {
        if (faults == null) {
            return;
        }
        List<Message> again = new ArrayList<>();
        for (Message m : batch) {
            if (faults.drawDuplicate()) {
                again.add(m);
            }
        }
        if (again.isEmpty()) {
            return;
        }
        long initStart = System.nanoTime();
        RequestHandler<SQSEvent, SQSBatchResponse> second;
        try {
            second = handlerFactory.get();
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: the instance for the second delivery of {} messages could not be created: {}", queueName,
                    again.size(), e.toString());
            return;
        } finally {
            usage.initialised(functionName, memoryMb, System.nanoTime() - initStart);
        }
        long invokeStart = System.nanoTime();
        try {
            second.handleRequest(toEvent(again), new LocalContext(functionName, functionTimeout, memoryMb));
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: the second delivery of {} messages threw: {}", queueName, again.size(), e.toString());
        } finally {
            usage.invoked(functionName, memoryMb, System.nanoTime() - invokeStart);
        }
    }

    /** Lambda's rule: an identifier that is null, empty or not in the batch fails the whole batch. */
    private Set<String> failedIds(List<Message> batch, SQSBatchResponse response) {
        if (response == null || response.getBatchItemFailures() == null) {
            return Set.of();
        }
        Set<String> inBatch = ids(batch);
        Set<String> failed = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
            String id = f == null ? null : f.getItemIdentifier();
            if (id == null || id.isEmpty() || !inBatch.contains(id)) {
                LOG.warn("{}: batch item failure '{}' is not a message of the batch; the whole batch fails", queueName, id);
                return inBatch;
            }
            failed.add(id);
        }
        return failed;
    }

    private static Set<String> withLaterGroupMembers(List<Message> batch, Set<String> failed) {
        if (failed.isEmpty()) {
            return failed;
        }
        Set<String> all = new HashSet<>(failed);
        Set<String> brokenGroups = new HashSet<>();
        for (Message m : batch) {
            String group = m.attributesAsStrings().get("MessageGroupId");
            if (brokenGroups.contains(group)) {
                all.add(m.messageId());
            } else if (failed.contains(m.messageId())) {
                brokenGroups.add(group);
            }
        }
        return all;
    }

    /**
     * Claims the groups of the received messages for this worker. A group another worker's batch holds (a message of it
     * came back, by a hand-back's short visibility, while that batch still runs) is waited for, at most the function's
     * timeout, as Lambda keeps one batch per group at a time. The message is not handed back meanwhile: every hand-back
     * and receive would count towards the queue's {@code maxReceiveCount}, and a poller that got the message again at
     * once would run through all of them in milliseconds. Only when the wait runs out are such messages made visible
     * again (and their receive counted).
     */
    private List<Message> claimGroups(List<Message> messages) {
        List<Message> mine = new ArrayList<>();
        List<Message> giveBack = new ArrayList<>();
        long deadline = System.nanoTime() + functionTimeout.toNanos();
        synchronized (groupsInFlight) {
            while (heldElsewhere(messages) && running.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    groupsInFlight.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            Set<String> claimedNow = new LinkedHashSet<>();
            for (Message m : messages) {
                String group = m.attributesAsStrings().get("MessageGroupId");
                if (claimedNow.contains(group) || groupsInFlight.add(group)) {
                    claimedNow.add(group);
                    mine.add(m);
                } else {
                    giveBack.add(m);
                }
            }
        }
        for (Message m : giveBack) {
            LOG.warn("{}: message {} of group {} waited {} for another batch of its group; made visible again",
                    queueName, m.messageId(), m.attributesAsStrings().get("MessageGroupId"), functionTimeout);
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            } catch (SdkException e) {
                LOG.warn("{}: could not hand back a message of a busy group: {}", queueName, e.getMessage());
            }
        }
        return mine;
    }

    /** Whether another worker holds the group of one of {@code messages}; guarded by {@code groupsInFlight}. */
    private boolean heldElsewhere(List<Message> messages) {
        for (Message m : messages) {
            if (groupsInFlight.contains(m.attributesAsStrings().get("MessageGroupId"))) {
                return true;
            }
        }
        return false;
    }

    private void releaseGroups(List<Message> batch) {
        synchronized (groupsInFlight) {
            for (Message m : batch) {
                groupsInFlight.remove(m.attributesAsStrings().get("MessageGroupId"));
            }
            groupsInFlight.notifyAll();
        }
    }

    private SQSEvent toEvent(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.size());
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
            r.setAttributes(new HashMap<>(m.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
            m.messageAttributes().forEach((name, value) -> attributes.put(name, toAttribute(value)));
            r.setMessageAttributes(attributes);
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn(queueName));
            r.setAwsRegion(REGION);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute toAttribute(MessageAttributeValue v) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(v.dataType());
        a.setStringValue(v.stringValue());
        if (v.binaryValue() != null) {
            a.setBinaryValue(ByteBuffer.wrap(v.binaryValue().asByteArray()));
        }
        return a;
    }

    private static Set<String> ids(List<Message> batch) {
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counters of one event source, live. */
    public static final class Stats {
        final AtomicLong batches = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong deleted = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

        public long batches() { return batches.get(); }
        public long received() { return received.get(); }
        public long deleted() { return deleted.get(); }
        public long failed() { return failed.get(); }
        /** Handler exceptions (whole batches failed). */
        public long errors() { return errors.get(); }
        /** The most batches that were ever in handlers at once; never above the concurrency. */
        public int maxInFlight() { return maxInFlight.get(); }
    }

    public static final class Builder {
        private SqsClient sqs;
        private String queueUrl;
        private String functionName;
        private int batchSize = 10;
        private int maxConcurrency = 1;
        private Duration waitTime = Duration.ofSeconds(1);
        private Duration functionTimeout = Duration.ofSeconds(60);
        private int memoryMb = LocalContext.DEFAULT_MEMORY_MB;
        private Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> handlerFactory;
        private LambdaUsage usage;
        private DeliveryFaults faults;

        private Builder() {}

        /** Faults of the deliveries (killed instances, duplicates), switched on while the source runs; default none. */
        public Builder faults(DeliveryFaults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Where the invocations' billed durations and requests are counted; default one of the source's own. */
        public Builder usage(LambdaUsage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        public Builder sqs(SqsClient sqs) {
            this.sqs = Objects.requireNonNull(sqs, "sqs");
            return this;
        }

        public Builder queueUrl(String queueUrl) {
            this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
            return this;
        }

        /** The function's name in contexts and logs; default {@code <queue>-function}. */
        public Builder functionName(String functionName) {
            this.functionName = functionName;
            return this;
        }

        /** Messages per invocation, 1–10 (SQS's receive maximum). Default 10. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10) {
                throw new IllegalArgumentException("batchSize must be 1..10, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The most concurrent invocations (the function's reserved concurrency, a market's {@code fleetSize}). Default 1. */
        public Builder maxConcurrency(int maxConcurrency) {
            if (maxConcurrency < 1 || maxConcurrency > 1000) {
                throw new IllegalArgumentException("maxConcurrency must be 1..1000, was " + maxConcurrency);
            }
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        /** Long-poll wait, 0–20 s in whole seconds. Default 1 s (Lambda uses 20 s; shorter stops faster). */
        public Builder waitTime(Duration waitTime) {
            if (waitTime.isNegative() || waitTime.compareTo(Duration.ofSeconds(20)) > 0 || waitTime.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("waitTime must be whole seconds in 0..20 s, was " + waitTime);
            }
            this.waitTime = waitTime;
            return this;
        }

        /** What {@code Context.getRemainingTimeInMillis()} counts down from. Default 60 s. */
        /** The function's memory, which each invocation's context reports; default {@value LocalContext#DEFAULT_MEMORY_MB} MB. */
        public Builder memoryMb(int memoryMb) {
            this.memoryMb = LocalContext.requireLambdaMemory(functionName == null ? "the function" : functionName, memoryMb);
            return this;
        }

        public Builder functionTimeout(Duration functionTimeout) {
            if (functionTimeout.isNegative() || functionTimeout.isZero() || functionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
                throw new IllegalArgumentException("functionTimeout must be in (0, 15 min], was " + functionTimeout);
            }
            this.functionTimeout = functionTimeout;
            return this;
        }

        /** Creates one handler per worker. */
        public Builder handler(Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> factory) {
            this.handlerFactory = Objects.requireNonNull(factory, "handler");
            return this;
        }

        public SqsEventSource build() {
            return new SqsEventSource(this);
        }
    }
}
