package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.embedded.aws.EmbeddedSqs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The deliveries' faults of {@link SqsEventSource}: a batch whose instance dies, messages delivered twice. */
class DeliveryFaultsTest {
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

    /** Body and receive count of each record a handler instance saw. */
    record Seen(String body, int receiveCount, int instance) {}

    private static RequestHandler<SQSEvent, SQSBatchResponse> recording(List<Seen> seen, int instance) {
        return (event, context) -> {
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                seen.add(new Seen(m.getBody(), Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount")), instance));
            }
            return new SQSBatchResponse(List.of());
        };
    }

    @Test
    void a_killed_batch_is_acknowledged_for_none_of_its_messages_and_all_come_back_to_a_new_instance() {
        // GIVEN three messages in a queue with a 2 s visibility, and the next batch's instance dying after 1 message
        var q = LocalQueues.createWithDlq(sqs, "killed", Duration.ofSeconds(2), 5);
        sqs.sendMessageBatch(b -> b.queueUrl(q.url()).entries(List.of("a", "b", "c").stream()
                .map(body -> SendMessageBatchRequestEntry.builder().id(body).messageBody(body).build()).toList()));
        DeliveryFaults faults = new DeliveryFaults(1);
        faults.killBatches(1, 1);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AtomicInteger instances = new AtomicInteger();

        // WHEN the event source runs until the queue is empty
        try (var source = SqsEventSource.builder().sqs(sqs).queueUrl(q.url()).batchSize(10).maxConcurrency(1)
                .waitTime(Duration.ofSeconds(1)).faults(faults)
                .handler(() -> recording(seen, instances.incrementAndGet())).build().start()) {
            await(() -> seen.stream().filter(s -> s.receiveCount() == 2).count() == 3, Duration.ofSeconds(15));
            await(() -> LocalQueues.depth(sqs, q.url()) == 0, Duration.ofSeconds(5));
        }

        // THEN the first instance handled one message before it died; all three came back, to a second instance
        assertThat(faults.killed()).isEqualTo(1);
        assertThat(seen).filteredOn(s -> s.receiveCount() == 1).hasSize(1).allSatisfy(s -> assertThat(s.instance()).isEqualTo(1));
        assertThat(seen).filteredOn(s -> s.receiveCount() == 2).extracting(Seen::body).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(seen).filteredOn(s -> s.receiveCount() == 2).extracting(Seen::instance).containsOnly(2);
        assertThat(LocalQueues.depth(sqs, q.dlqUrl())).isZero();
    }

    @Test
    void a_duplicated_message_is_delivered_twice_before_it_is_acknowledged_once() {
        // GIVEN every message delivered twice
        var q = LocalQueues.createWithDlq(sqs, "twice", Duration.ofSeconds(5), 5);
        for (String body : List.of("x", "y")) {
            sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body));
        }
        DeliveryFaults faults = new DeliveryFaults(1);
        faults.duplicate(1.0);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AtomicInteger instances = new AtomicInteger();

        LambdaUsage usage = new LambdaUsage();

        // WHEN the event source runs until the queue is empty
        try (var source = SqsEventSource.builder().sqs(sqs).queueUrl(q.url()).batchSize(10).maxConcurrency(1)
                .waitTime(Duration.ofSeconds(1)).faults(faults).usage(usage)
                .handler(() -> recording(seen, instances.incrementAndGet())).build().start()) {
            await(() -> seen.size() == 4 && LocalQueues.depth(sqs, q.url()) == 0, Duration.ofSeconds(10));
        }

        // THEN each was handled twice on its first receive, the second time by another instance, and then deleted
        assertThat(seen).extracting(Seen::body).containsExactlyInAnyOrder("x", "x", "y", "y");
        assertThat(seen).extracting(Seen::receiveCount).containsOnly(1);
        assertThat(seen.stream().map(Seen::instance).distinct().count()).isGreaterThan(1);
        assertThat(faults.duplicated()).isEqualTo(2);
        // AND Lambda bills each second delivery as another instance's: every instance made was initialised once, and each
        // batch is two requests (its own and its duplicate's, on an instance made for it)
        LambdaUsage.Usage billed = usage.total();
        int batches = instances.get() - 1;
        assertThat(billed.inits()).isEqualTo(instances.get());
        assertThat(billed.requests()).isEqualTo(2L * batches);
    }

    @Test
    void nonsense_settings_are_refused_by_name() {
        DeliveryFaults faults = new DeliveryFaults(1);
        assertThatThrownBy(() -> faults.killBatches(1, 10)).hasMessageContaining("afterMessages 0..9");
        assertThatThrownBy(() -> faults.duplicate(1.5)).hasMessageContaining("share must be in 0..1");
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
