package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.aws.EmbeddedS3;
import io.marketgate.handlers.api.ApiDependencies;
import io.marketgate.handlers.api.ApiRequest;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.api.ApiService;
import io.marketgate.handlers.jobs.JobRepository;
import io.marketgate.handlers.sqs.QueueDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The API over {@link HandlerKit}'s world, called directly (no HTTP): market {@code shop} has a collection and an
 * action queue, {@code tight} none; S3 in the JVM; launched jobs are only recorded. {@link #unchanged()} is what a
 * rejected request must leave: no message in any queue, no item in requests, idempotency or jobs, no object.
 */
final class ApiTestWorld implements AutoCloseable {

    static final String JOBS = "test-jobs";
    static final String BUCKET = "exports";

    final HandlerKit kit;
    final EmbeddedS3 s3Server;
    final S3Client s3;
    final S3Presigner presigner;
    final String collectQueue;
    final String actionsQueue;
    /** The action queue of market {@code signed}, which offers shipping only. */
    final String signedActionsQueue;
    final List<String> launched = Collections.synchronizedList(new ArrayList<>());
    /** When set, starting a job's worker fails, as an Invoke refused by Lambda would. */
    final java.util.concurrent.atomic.AtomicBoolean failLaunches = new java.util.concurrent.atomic.AtomicBoolean();
    final ApiService api;
    private final AtomicInteger ids = new AtomicInteger();

    ApiTestWorld(Path dir) {
        kit = HandlerKit.start(dir);
        s3Server = EmbeddedS3.start();
        s3 = s3Server.client();
        presigner = s3Server.presigner();
        s3.createBucket(b -> b.bucket(BUCKET));
        // the jobs carry expiresAt from the kit's fixed clock (HandlerKit.NOW), already in the past in real time; dynalite
        // has no TTL (createTable's UpdateTimeToLive is refused), so no job vanishes in the middle of a test, and the
        // repository's readers judge expiry by the kit's clock, not by real time
        JobRepository.createTable(kit.dynamoDb, JOBS);
        collectQueue = kit.newQueue("shop-collect");
        actionsQueue = kit.newFifoQueue("shop-actions");
        signedActionsQueue = kit.newFifoQueue("signed-actions");
        HandlerDependencies deps = kit.deps().queues(QueueDirectory.builder().market("shop", collectQueue, actionsQueue)
                .market("signed", kit.newQueue("signed-collect"), signedActionsQueue).build()).build();
        api = new ApiService(new ApiDependencies(deps, JOBS, s3, presigner, BUCKET, jobId -> {
            if (failLaunches.get()) {
                throw new IllegalStateException("Lambda refused the invocation");
            }
            launched.add(jobId);
        },
                () -> "id-" + ids.incrementAndGet()));
    }

    ApiResponse call(String method, String path, String body) {
        return call(method, path, Map.of("Content-Type", "application/json"), body);
    }

    ApiResponse call(String method, String path, Map<String, String> headers, String body) {
        return api.handle(new ApiRequest(method, path, headers, body, "test"));
    }

    /** {@code GET path?query}. */
    ApiResponse get(String path, Map<String, String> query) {
        return api.handle(new ApiRequest("GET", path, Map.of(), null, "test", query));
    }

    /** The answer's body as JSON. */
    static com.fasterxml.jackson.databind.JsonNode json(ApiResponse response) {
        try {
            return io.marketgate.handlers.sqs.Messages.json().readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Nothing enqueued, written or stored since the world started (or since the last accepted request was cleared). */
    void assertUnchanged() {
        for (String queue : List.of(collectQueue, actionsQueue, signedActionsQueue)) {
            for (QueueAttributeName a : List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)) {
                assertThat(kit.queueCount(queue, a)).as("%s of %s", a, queue).isZero();
            }
        }
        for (String table : List.of(HandlerKit.TABLES.requests(), HandlerKit.TABLES.idempotency(), JOBS)) {
            assertThat(kit.dynamoDb.scan(b -> b.tableName(table)).count()).as("items in %s", table).isZero();
        }
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).as("objects in the bucket").isEmpty();
        assertThat(launched).as("jobs launched").isEmpty();
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
        s3Server.close();
        kit.close();
    }
}
