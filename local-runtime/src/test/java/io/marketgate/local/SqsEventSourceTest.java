package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.embedded.aws.EmbeddedSqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class SqsEventSourceTest {
    private static EmbeddedSqs server;
    private static SqsClient sqs;

    @BeforeAll
    static void startSqs() {
        server = EmbeddedSqs.start();
        sqs = server.client();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        server.close();
    }

    /** What a handler saw: body, receive count, group, when. */
    record Seen(String body, int receiveCount, String group, long atNanos, String arn) {}

    /** A handler that records every record and fails those the rule names. */
    static final class Recording implements RequestHandler<SQSEvent, SQSBatchResponse> {
        final List<Seen> seen;
        final Function<Seen, Boolean> fails;

        Recording(List<Seen> seen, Function<Seen, Boolean> fails) {
            this.seen = seen;
            this.fails = fails;
        }

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, com.amazonaws.services.lambda.runtime.Context context) {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                Seen s = new Seen(m.getBody(), Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount")),
                        m.getAttributes().get("MessageGroupId"), System.nanoTime(), m.getEventSourceArn());
                seen.add(s);
                if (fails.apply(s)) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        }
    }

    @Test
    void partial_batch_failure_deletes_the_successes_and_redelivers_only_the_failure() {
        // GIVEN a queue with three messages and a handler that fails "b" on its first receive
        var q = LocalQueues.createWithDlq(sqs, "partial", Duration.ofSeconds(1), 5);
        for (String body : List.of("a", "b", "c")) {
            sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body));
        }
        List<Seen> seen = new CopyOnWriteArrayList<>();
        // WHEN the event source runs until "b" has come back
        try (var source = source(q.url(), 10, 1, () -> new Recording(seen, s -> s.body().equals("b") && s.receiveCount() == 1))) {
            await(() -> seen.stream().anyMatch(s -> s.body().equals("b") && s.receiveCount() == 2), Duration.ofSeconds(10));
            await(() -> LocalQueues.depth(sqs, q.url()) == 0, Duration.ofSeconds(5));
        }
        // THEN a and c were handled once, b twice, each record named the queue's ARN, and nothing is left
        assertThat(seen).filteredOn(s -> s.body().equals("a")).hasSize(1);
        assertThat(seen).filteredOn(s -> s.body().equals("c")).hasSize(1);
        assertThat(seen).filteredOn(s -> s.body().equals("b")).extracting(Seen::receiveCount).containsExactly(1, 2);
        assertThat(seen).extracting(Seen::arn).containsOnly("arn:aws:sqs:ap-northeast-2:000000000000:partial");
        assertThat(LocalQueues.depth(sqs, q.dlqUrl())).isZero();
    }

    @Test
    void a_failed_record_waits_for_its_visibility_timeout_or_the_one_the_handler_set() {
        // GIVEN a queue whose visibility timeout is 2 s, and a handler that fails "x" once, and fails "y" once after
        // setting its visibility to 4 s with ChangeMessageVisibility
        var q = LocalQueues.createWithDlq(sqs, "visibility", Duration.ofSeconds(2), 5);
        sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("x"));
        sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("y"));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                int count = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
                seen.add(new Seen(m.getBody(), count, null, System.nanoTime(), null));
                if (count == 1) {
                    if (m.getBody().equals("y")) {
                        sqs.changeMessageVisibility(b -> b.queueUrl(q.url()).receiptHandle(m.getReceiptHandle()).visibilityTimeout(4));
                    }
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };
        // WHEN both have come back
        try (var source = source(q.url(), 1, 2, () -> handler)) {
            await(() -> seen.stream().filter(s -> s.receiveCount() == 2).count() == 2, Duration.ofSeconds(15));
        }
        // THEN x came back no sooner than 2 s and y no sooner than 4 s after their first delivery
        assertThat(gapMillis(seen, "x")).isBetween(1_900L, 3_900L);
        assertThat(gapMillis(seen, "y")).isGreaterThanOrEqualTo(3_900L);
    }

    @Test
    void an_exception_fails_the_whole_batch_and_the_redrive_policy_moves_it_to_the_dlq_after_max_receives() {
        // GIVEN a queue that allows 2 receives, and a handler that always throws
        var q = LocalQueues.createWithDlq(sqs, "poison", Duration.ofSeconds(1), 2);
        sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("p1"));
        sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("p2"));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        RequestHandler<SQSEvent, SQSBatchResponse> throwing = (event, context) -> {
            event.getRecords().forEach(m -> seen.add(new Seen(m.getBody(),
                    Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount")), null, System.nanoTime(), null)));
            throw new IllegalStateException("poison");
        };
        // WHEN the event source runs until both are in the DLQ
        try (var source = source(q.url(), 10, 1, () -> throwing)) {
            await(() -> LocalQueues.depth(sqs, q.dlqUrl()) == 2, Duration.ofSeconds(15));
        }
        // THEN each was handled exactly twice (receive counts 1 and 2) and the source queue is empty
        for (String body : List.of("p1", "p2")) {
            assertThat(seen).filteredOn(s -> s.body().equals(body)).extracting(Seen::receiveCount).containsExactly(1, 2);
        }
        assertThat(LocalQueues.depth(sqs, q.url())).isZero();
    }

    @Test
    void concurrency_never_exceeds_the_cap_and_each_worker_has_its_own_handler_instance() {
        // GIVEN 30 messages, batches of 1, a cap of 3 and a handler that takes 30 ms
        var q = LocalQueues.createWithDlq(sqs, "capped", Duration.ofSeconds(30), 3);
        for (int i = 0; i < 30; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("m" + n));
        }
        AtomicInteger current = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger instances = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        Map<Object, Boolean> sharedInstanceUse = new ConcurrentHashMap<>();
        // WHEN the event source drains the queue
        try (var source = source(q.url(), 1, 3, () -> {
            instances.incrementAndGet();
            AtomicInteger busy = new AtomicInteger();
            return (event, context) -> {
                if (busy.incrementAndGet() > 1) {
                    sharedInstanceUse.put(busy, true);
                }
                peak.accumulateAndGet(current.incrementAndGet(), Math::max);
                sleep(30);
                current.decrementAndGet();
                busy.decrementAndGet();
                handled.addAndGet(event.getRecords().size());
                return new SQSBatchResponse(List.of());
            };
        })) {
            await(() -> handled.get() == 30, Duration.ofSeconds(20));
            assertThat(source.stats().maxInFlight()).isLessThanOrEqualTo(3);
        }
        // THEN at most 3 ran at once, at most 3 instances were created, and none was used by two batches at once
        assertThat(peak.get()).isBetween(1, 3);
        assertThat(instances.get()).isBetween(1, 3);
        assertThat(sharedInstanceUse).isEmpty();
    }

    @Test
    void fifo_keeps_order_within_each_group_and_one_batch_per_group_in_flight() {
        // GIVEN a FIFO queue with 4 groups of 8 messages each, sent in order
        var q = LocalQueues.createWithDlq(sqs, "orders.fifo", Duration.ofSeconds(2), 5);
        for (int i = 0; i < 8; i++) {
            for (String g : List.of("g1", "g2", "g3", "g4")) {
                String body = g + ":" + i;
                sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body).messageGroupId(g).messageDeduplicationId(body));
            }
        }
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger overlap = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        // and a handler that fails "g2:3" once, to see that g2's later messages wait for it
        Map<String, Boolean> failedOnce = new ConcurrentHashMap<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            List<String> groups = event.getRecords().stream().map(m -> m.getAttributes().get("MessageGroupId")).distinct().toList();
            groups.forEach(g -> {
                if (inFlight.computeIfAbsent(g, k -> new AtomicInteger()).incrementAndGet() > 1) {
                    overlap.incrementAndGet();
                }
            });
            sleep(20);
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            boolean failing = false;
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                String g = m.getAttributes().get("MessageGroupId");
                if (failing || (m.getBody().equals("g2:3") && failedOnce.putIfAbsent("g2:3", true) == null)) {
                    failing = true;   // as a FIFO handler must: the failed message and everything after it
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                    continue;
                }
                order.computeIfAbsent(g, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(Integer.parseInt(m.getBody().substring(m.getBody().indexOf(':') + 1)));
                handled.incrementAndGet();
            }
            groups.forEach(g -> inFlight.get(g).decrementAndGet());
            return new SQSBatchResponse(failures);
        };
        // WHEN 3 workers drain it in batches of 3
        try (var source = source(q.url(), 3, 3, () -> handler)) {
            await(() -> handled.get() == 32, Duration.ofSeconds(30));
        }
        // THEN every group was handled exactly in send order, and no group was ever in two batches at once
        for (String g : List.of("g1", "g2", "g3", "g4")) {
            assertThat(order.get(g)).as(g).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        }
        assertThat(overlap.get()).isZero();
    }

    @Test
    void a_fifo_message_handed_back_while_its_batch_still_runs_waits_for_the_batch_and_keeps_its_receives() {
        // GIVEN a FIFO queue allowing 3 receives, whose first message "slow:a" the handler hands back for 1 s on its
        // first delivery and then goes on with the batch's next message, "slow:b" of another group, for 4 s
        var q = LocalQueues.createWithDlq(sqs, "handback.fifo", Duration.ofSeconds(30), 3);
        for (String body : List.of("slow:a", "slow:b")) {
            String group = body.equals("slow:a") ? "ga" : "gb";
            sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body).messageGroupId(group).messageDeduplicationId(body));
        }
        List<Seen> seen = new CopyOnWriteArrayList<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                int count = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
                seen.add(new Seen(m.getBody(), count, m.getAttributes().get("MessageGroupId"), System.nanoTime(), null));
                if (m.getBody().equals("slow:a") && count == 1) {
                    sqs.changeMessageVisibility(b -> b.queueUrl(q.url()).receiptHandle(m.getReceiptHandle()).visibilityTimeout(1));
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                } else if (m.getBody().equals("slow:b")) {
                    sleep(4_000);
                }
            }
            return new SQSBatchResponse(failures);
        };
        // WHEN two workers take batches of 2, so that the other worker receives "slow:a" again while its batch runs
        try (var source = source(q.url(), 2, 2, () -> handler)) {
            await(() -> seen.stream().anyMatch(s -> s.body().equals("slow:a") && s.receiveCount() > 1), Duration.ofSeconds(20));
            await(() -> LocalQueues.depth(sqs, q.url()) == 0, Duration.ofSeconds(10));
        }
        // THEN it was handled on its second receive, after its first batch had ended, and never reached the DLQ
        assertThat(seen).filteredOn(s -> s.body().equals("slow:a")).extracting(Seen::receiveCount).containsExactly(1, 2);
        long batchEnd = seen.stream().filter(s -> s.body().equals("slow:b")).findFirst().orElseThrow().atNanos()
                + Duration.ofMillis(3_900).toNanos();
        assertThat(seen.stream().filter(s -> s.body().equals("slow:a") && s.receiveCount() == 2).findFirst().orElseThrow().atNanos())
                .isGreaterThan(batchEnd);
        assertThat(LocalQueues.depth(sqs, q.dlqUrl())).isZero();
    }

    @Test
    void each_batch_is_billed_as_one_request_of_at_least_its_handlers_time_at_the_functions_memory() {
        // GIVEN three messages, batches of one, and a handler of a 2048 MB function that works 20 ms on each
        var q = LocalQueues.createWithDlq(sqs, "billed", Duration.ofSeconds(5), 5);
        for (String body : List.of("a", "b", "c")) {
            sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body));
        }
        List<Seen> seen = new CopyOnWriteArrayList<>();
        LambdaUsage usage = new LambdaUsage();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            sleep(20);
            return new Recording(seen, s -> false).handleRequest(event, context);
        };
        // WHEN the source has handled all three
        try (var source = SqsEventSource.builder().sqs(sqs).queueUrl(q.url()).functionName("dev-shop-collector").memoryMb(2048)
                .batchSize(1).maxConcurrency(1).waitTime(Duration.ofSeconds(1)).usage(usage).handler(() -> handler).build().start()) {
            await(() -> LocalQueues.depth(sqs, q.url()) == 0, Duration.ofSeconds(10));
        }
        // THEN the function made three requests, one instance initialised, billed at least 3 × 20 ms of 2 GB
        LambdaUsage.Usage billed = usage.byFunction().get("dev-shop-collector");
        assertThat(billed.requests()).isEqualTo(3);
        assertThat(billed.inits()).isEqualTo(1);
        assertThat(billed.memoryMb()).isEqualTo(2048);
        assertThat(billed.billedMillis()).isGreaterThanOrEqualTo(60);
        assertThat(billed.gbSeconds()).isGreaterThanOrEqualTo(0.120);
    }

    private static SqsEventSource source(String url, int batch, int concurrency,
            java.util.function.Supplier<RequestHandler<SQSEvent, SQSBatchResponse>> handler) {
        return SqsEventSource.builder().sqs(sqs).queueUrl(url).batchSize(batch).maxConcurrency(concurrency)
                .waitTime(Duration.ofSeconds(1)).handler(handler).build().start();
    }

    private static long gapMillis(List<Seen> seen, String body) {
        List<Seen> of = seen.stream().filter(s -> s.body().equals(body)).toList();
        return (of.get(1).atNanos() - of.get(0).atNanos()) / 1_000_000;
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
