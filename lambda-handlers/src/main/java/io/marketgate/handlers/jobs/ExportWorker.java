package io.marketgate.handlers.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.OrderStore;
import io.marketgate.market.Order;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The background worker of an orders export ({@value #KIND}): reads the stored orders of one seller of one market
 * (optionally of {@code [from, to)} by their update time), records progress and a heartbeat as it goes, and writes the
 * result as one JSON object to S3 under {@code exports/<jobId>.json}. The API hands the result out as a presigned URL;
 * it is never in a response body, so neither API Gateway's 30 s nor its 6 MB limit applies.
 *
 * <p>Each job runs once: a job that is no longer QUEUED or RUNNING (a repeated asynchronous invocation) is left alone.
 */
public final class ExportWorker {

    private static final Logger log = LoggerFactory.getLogger(ExportWorker.class);

    /** The job kind this worker runs. */
    public static final String KIND = "orders-export";
    /** The longest time between two heartbeats while the worker makes progress. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    private final JobRepository jobs;
    private final OrderStore orders;
    private final S3Client s3;
    private final String bucket;
    private final WorkPacer pacer;
    private final Clock clock;

    public ExportWorker(JobRepository jobs, OrderStore orders, S3Client s3, String bucket, WorkPacer pacer, Clock clock) {
        this.jobs = jobs;
        this.orders = orders;
        this.s3 = s3;
        this.bucket = bucket;
        this.pacer = pacer;
        this.clock = clock;
    }

    /** The S3 key of a job's result. */
    public static String resultKey(String jobId) {
        return "exports/" + jobId + ".json";
    }

    /** Runs the job {@code jobId} to its end; never throws (a failure is recorded on the job). */
    public void run(String jobId) {
        Optional<Job> found = jobs.find(jobId);
        if (found.isEmpty() || !found.get().status().active()) {
            log.warn("job {} is {}; nothing to run", jobId, found.map(j -> j.status().name()).orElse("unknown"));
            return;
        }
        Job job = found.get();
        try {
            jobs.running(jobId);
            long count = export(job);
            jobs.succeeded(jobId, resultKey(jobId), count);
            log.info("job {} exported {} orders to s3://{}/{}", jobId, count, bucket, resultKey(jobId));
        } catch (JobRepository.JobAbandonedException e) {
            log.warn("job {} stopped: {}", jobId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.failed(jobId, "interrupted");
        } catch (RuntimeException | IOException e) {
            log.error("job {} failed", jobId, e);
            jobs.failed(jobId, "export failed: " + e.getMessage());
        }
    }

    private long export(Job job) throws InterruptedException, IOException {
        String market = job.parameters().get("market");
        String sellerId = job.parameters().get("sellerId");
        Optional<Instant> from = Optional.ofNullable(job.parameters().get("from")).map(Instant::parse);
        Optional<Instant> to = Optional.ofNullable(job.parameters().get("to")).map(Instant::parse);
        ObjectNode result = Messages.json().createObjectNode().put("jobId", job.id()).put("market", market).put("sellerId", sellerId);
        from.ifPresent(f -> result.put("from", f.toString()));
        to.ifPresent(t -> result.put("to", t.toString()));
        ArrayNode list = result.putArray("orders");
        long[] done = {0};
        Instant[] lastBeat = {clock.instant()};
        InterruptedException[] interrupted = {null};
        orders.forEachPage(market, sellerId, page -> {
            if (interrupted[0] != null) {
                return;
            }
            for (Order order : page) {
                if (from.filter(order.updatedAt()::isBefore).isPresent() || to.filter(t -> !order.updatedAt().isBefore(t)).isPresent()) {
                    continue;
                }
                list.add(row(order));
                done[0]++;
                try {
                    pacer.worked(1);
                } catch (InterruptedException e) {
                    interrupted[0] = e;
                    return;
                }
                if (!Duration.between(lastBeat[0], clock.instant()).minus(HEARTBEAT_INTERVAL).isNegative()) {
                    jobs.progress(job.id(), done[0], 0);
                    lastBeat[0] = clock.instant();
                }
            }
        });
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
        result.put("count", done[0]);
        s3.putObject(b -> b.bucket(bucket).key(resultKey(job.id())).contentType("application/json"),
                RequestBody.fromBytes(Messages.json().writeValueAsBytes(result)));
        return done[0];
    }

    private static ObjectNode row(Order order) throws RuntimeException {
        ObjectNode row = Messages.json().createObjectNode().put("orderId", order.orderId()).put("status", order.status())
                .put("updatedAt", order.updatedAt().toString());
        try {
            JsonNode raw = Messages.json().readTree(order.json());
            row.set("order", raw);
        } catch (IOException e) {
            row.put("order", order.json());
        }
        return row;
    }
}
