package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiDependencies;
import io.marketgate.handlers.jobs.ExportWorker;
import io.marketgate.handlers.jobs.JobRepository;
import io.marketgate.handlers.jobs.WorkPacer;
import io.marketgate.handlers.observability.RecordContext;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.OrderStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda entry point of background jobs ({@code io.marketgate.handlers.JobWorkerHandler::handleRequest}), invoked
 * asynchronously by the API with {@code {"jobId":"…"}}: runs the job's worker ({@link ExportWorker}) to its end. Give
 * the function a timeout longer than the longest export (up to Lambda's 15 minutes) and no retries of failed
 * asynchronous invocations beyond what a job may repeat (a finished job is never run again).
 *
 * <p>Environment variables: those of {@link HandlerDependencies#fromEnvironment()} ({@code MARKETGATE_ENV},
 * {@code MARKETGATE_TABLE_*}; queues and Valkey are not used), {@code MARKETGATE_JOBS_TABLE} and
 * {@code MARKETGATE_EXPORT_BUCKET}.
 */
public final class JobWorkerHandler implements RequestStreamHandler, org.crac.Resource {

    private final SnapshotLifecycle<ServiceParts<ExportWorker>> parts;

    /**
     * The real Lambda's, from the process's environment, made again after each SnapStart restore (the hooks are
     * registered: {@link SnapshotLifecycle}).
     */
    public JobWorkerHandler() {
        this.parts = SnapshotLifecycle.of("job-worker", () -> {
            ApiDependencies deps = ApiDependencies.fromVariables(System::getenv, false);
            return new ServiceParts<>(worker(deps, WorkPacer.NONE), deps);
        }, ServiceParts::prime, ServiceParts::connect);
        parts.get();
        parts.register();
    }

    public JobWorkerHandler(ApiDependencies deps) {
        this(worker(deps, WorkPacer.NONE));
    }

    public JobWorkerHandler(ExportWorker worker) {
        this.parts = SnapshotLifecycle.of("job-worker", () -> ServiceParts.borrowing(worker), ServiceParts::prime,
                ServiceParts::connect);
        parts.get();
    }

    /** Primes, then closes and drops the dependencies (see {@link SnapshotLifecycle#beforeCheckpoint}). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) throws Exception {
        parts.beforeCheckpoint(context);
    }

    /** Makes the dependencies again (see {@link SnapshotLifecycle#afterRestore}). */
    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        parts.afterRestore(context);
    }

    /** The export worker of {@code deps}, paced by {@code pacer}. */
    public static ExportWorker worker(ApiDependencies deps, WorkPacer pacer) {
        HandlerDependencies h = deps.handlers();
        return new ExportWorker(new JobRepository(h.dynamoDb(), deps.jobsTable(), h.clock(), deps.ids()),
                new OrderStore(h.dynamoDb(), h.tables().orders(), h.clock()), deps.s3(), deps.exportBucket(), pacer, h.clock());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Messages.json().readTree(input);
        JsonNode jobId = event == null ? null : event.get("jobId");
        if (jobId == null || !jobId.isTextual() || jobId.textValue().isBlank()) {
            throw new IllegalArgumentException("the event must be {\"jobId\":\"…\"}, was " + event);
        }
        try (RecordContext ctx = RecordContext.forMessage(null)) {
            ctx.put("jobId", jobId.textValue());
            parts.get().service().run(jobId.textValue());
        }
        output.write("{}".getBytes(StandardCharsets.UTF_8));
    }
}
