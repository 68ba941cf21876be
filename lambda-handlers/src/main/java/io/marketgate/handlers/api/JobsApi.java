package io.marketgate.handlers.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.config.ApiConfig.ExportLimits;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.jobs.ExportWorker;
import io.marketgate.handlers.jobs.Job;
import io.marketgate.handlers.jobs.JobRepository;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.limiter.Budget;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/exports} and {@code GET /v1/jobs/{id}}: exports run as background jobs (see {@link ExportWorker}).
 *
 * <p>Starting an export while one of the same owner and kind is alive returns that job (200, not a second one);
 * a new job is 202. A job whose heartbeat is older than {@code api.exports.heartbeatTimeout} is reported FAILED (and
 * recorded so), even while its record has not expired yet. A finished job's result is a presigned S3 URL valid for
 * {@code api.exports.resultUrlExpiry}.
 */
final class JobsApi {

    private static final Logger log = LoggerFactory.getLogger(JobsApi.class);

    static final List<String> EXPORT_FIELDS = List.of("owner", "kind", "market", "sellerId", "from", "to");
    /** The export kinds; {@code orders} is the only one so far. */
    private static final String ORDERS = "orders";

    private final HandlerDependencies deps;
    private final ApiDependencies api;
    private final JobRepository jobs;
    private final ExportLimits limits;

    JobsApi(ApiDependencies api) {
        this.api = api;
        this.deps = api.handlers();
        this.jobs = new JobRepository(deps.dynamoDb(), api.jobsTable(), deps.clock(), api.ids());
        this.limits = deps.environment().api().exports();
    }

    ApiResponse createExport(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), EXPORT_FIELDS);
        String owner = body.id("owner", Budget.KEY, Rules.ID).orElseThrow(() -> JsonBody.missing("owner"));
        String kind = body.text("kind").orElse(ORDERS);
        if (!kind.equals(ORDERS)) {
            throw Problem.badRequest("kind", "one-of", "kind: must be one of " + ORDERS + ", was '" + JsonBody.abbreviate(kind) + "'").exception();
        }
        String market = body.id("market", Budget.NAME_PART, Rules.MARKET_NAME).orElseThrow(() -> JsonBody.missing("market"));
        String sellerId = body.id("sellerId", Budget.KEY, Rules.ID).orElseThrow(() -> JsonBody.missing("sellerId"));
        Optional<Instant> from = body.instant("from");
        Optional<Instant> to = body.instant("to");
        Rules.knownMarket(deps.environment(), market);
        if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
            throw Problem.unprocessable("to", "after-from", "to: must be after from (" + from.get() + "), was " + to.get()).exception();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("market", market);
        parameters.put("sellerId", sellerId);
        from.ifPresent(f -> parameters.put("from", f.toString()));
        to.ifPresent(t -> parameters.put("to", t.toString()));
        JobRepository.Start start = jobs.start(owner, ExportWorker.KIND, parameters, limits.ttl(), limits.heartbeatTimeout());
        Job job = start.job();
        if (start.created()) {
            try {
                api.launcher().launch(job.id());
            } catch (RuntimeException e) {
                log.error("job {} could not be started", job.id(), e);
                jobs.failed(job.id(), "the worker could not be started: " + e.getMessage());
                throw new Problem(503, null, "unavailable", "the export could not be started: " + e.getMessage()).exception();
            }
        }
        return ApiResponse.json(start.created() ? 202 : 200, view(job).toString()).withHeader("Location", "/v1/jobs/" + job.id());
    }

    ApiResponse get(String id) {
        JsonBody.checkId("id", id, Budget.KEY, Rules.ID);
        Job stored = jobs.find(id).orElseThrow(() -> Problem.notFound("id", "id: no job " + id + " (or it has expired)").exception());
        Job seen = stored.asSeenAt(deps.clock().instant(), limits.heartbeatTimeout());
        if (seen.status() != stored.status() && !jobs.failStale(id, stored.heartbeatAt(), seen.reason().orElse("stale"))) {
            // the worker beat or finished between the read and the write: what it wrote is the truth
            seen = jobs.find(id).orElseThrow(() -> Problem.notFound("id", "id: no job " + id + " (or it has expired)").exception())
                    .asSeenAt(deps.clock().instant(), limits.heartbeatTimeout());
        }
        return ApiResponse.json(200, view(seen).toString());
    }

    private ObjectNode view(Job job) {
        ObjectNode v = Messages.json().createObjectNode().put("jobId", job.id()).put("owner", job.owner())
                .put("kind", job.kind()).put("status", job.status().name());
        ObjectNode progress = v.putObject("progress").put("done", job.done());
        if (job.total() > 0) {
            progress.put("total", job.total());
        }
        ObjectNode parameters = v.putObject("parameters");
        job.parameters().forEach(parameters::put);
        v.put("createdAt", job.createdAt().toString()).put("heartbeatAt", job.heartbeatAt().toString())
                .put("updatedAt", job.updatedAt().toString()).put("expiresAt", job.expiresAt().toString());
        job.reason().ifPresent(r -> v.put("reason", r));
        if (job.status() == Job.Status.SUCCEEDED && job.resultKey().isPresent()) {
            var presigned = api.presigner().presignGetObject(b -> b.signatureDuration(limits.resultUrlExpiry())
                    .getObjectRequest(g -> g.bucket(api.exportBucket()).key(job.resultKey().get())));
            v.putObject("result").put("url", presigned.url().toString()).put("expiresAt", presigned.expiration().toString());
        }
        return v;
    }
}
