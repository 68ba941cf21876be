package io.marketgate.local;

import io.marketgate.embedded.aws.EmbeddedS3;
import io.marketgate.handlers.ApiHandler;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.JobWorkerHandler;
import io.marketgate.handlers.api.ApiDependencies;
import io.marketgate.handlers.jobs.ExportWorker;
import io.marketgate.handlers.jobs.JobRepository;
import io.marketgate.handlers.jobs.LocalJobLauncher;
import io.marketgate.handlers.jobs.WorkPacer;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The HTTP API on a {@link LocalPlatform}: the real {@link ApiHandler} behind a {@link LocalHttpFront}, an S3-compatible
 * server in the JVM ({@link EmbeddedS3}) with the export bucket, the jobs table, and a {@link LocalJobLauncher} that runs
 * the real job worker on a thread where AWS would invoke the worker function asynchronously.
 *
 * <pre>{@code
 * try (LocalPlatform platform = LocalPlatform.start(env, scenario, StoreKind.AUTO, System.err);
 *      LocalApi api = LocalApi.builder(platform).port(8080).start()) {
 *     System.out.println("API at " + api.uri());
 * }
 * }</pre>
 */
public final class LocalApi implements AutoCloseable {

    private final List<AutoCloseable> closeables;
    private final LocalHttpFront front;
    private final EmbeddedS3 s3Server;
    private final String jobsTable;
    private final String bucket;

    private LocalApi(List<AutoCloseable> closeables, LocalHttpFront front, EmbeddedS3 s3Server, String jobsTable, String bucket) {
        this.closeables = closeables;
        this.front = front;
        this.s3Server = s3Server;
        this.jobsTable = jobsTable;
        this.bucket = bucket;
    }

    public static Builder builder(LocalPlatform platform) {
        return new Builder(platform);
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return front.uri();
    }

    /** The S3-compatible server's endpoint. */
    public URI s3Endpoint() {
        return s3Server.endpoint();
    }

    public String jobsTable() {
        return jobsTable;
    }

    public String exportBucket() {
        return bucket;
    }

    /** Stops the HTTP front, the job workers and the S3 server. */
    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    /** Settings; each documents its default. */
    public static final class Builder {
        private final LocalPlatform platform;
        private int port = 0;
        private Clock clock;
        private WorkPacer pacer = WorkPacer.NONE;
        private Supplier<String> ids = ApiDependencies.RANDOM_IDS;

        private Builder(LocalPlatform platform) {
            this.platform = Objects.requireNonNull(platform, "platform");
        }

        /** The HTTP port; default 0, a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port is " + port + ", must be 0 (a free port) to 65535");
            }
            this.port = port;
            return this;
        }

        /** The API's and the worker's clock; default the platform handlers' clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Paces the export worker; default none. Tests pass one that advances a simulated clock. */
        public Builder pacer(WorkPacer pacer) {
            this.pacer = Objects.requireNonNull(pacer, "pacer");
            return this;
        }

        /** New request and job ids; default random UUIDs. */
        public Builder ids(Supplier<String> ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        public LocalApi start() {
            List<AutoCloseable> closeables = new ArrayList<>();
            try {
                HandlerDependencies p = platform.dependencies();
                HandlerDependencies deps = HandlerDependencies.builder().environment(p.environment()).dynamoDb(p.dynamoDb())
                        .sqs(p.sqs()).tables(p.tables()).queues(p.queues()).storeForMarket(p.storeForMarket())
                        .secretsManager(platform.secretsManager()).secretDeletion(LocalPlatform.SECRET_DELETION)
                        .http(p.http()).clock(clock == null ? p.clock() : clock).envVars(p.envVars()).build();
                String prefix = p.environment().name();
                String jobsTable = prefix + "-jobs";
                String bucket = prefix + "-exports";
                JobRepository.createTable(p.dynamoDb(), jobsTable);
                EmbeddedS3 s3Server = EmbeddedS3.start();
                closeables.add(s3Server);
                S3Client s3 = s3Server.client();
                closeables.add(s3);
                S3Presigner presigner = s3Server.presigner();
                closeables.add(presigner);
                s3.createBucket(b -> b.bucket(bucket));
                ExportWorker[] worker = new ExportWorker[1];
                LocalJobLauncher launcher = new LocalJobLauncher(jobId -> worker[0].run(jobId));
                closeables.add(launcher);
                ApiDependencies api = new ApiDependencies(deps, jobsTable, s3, presigner, bucket, launcher, ids);
                worker[0] = JobWorkerHandler.worker(api, pacer);
                ApiHandler handler = new ApiHandler(api);
                LocalHttpFront front = LocalHttpFront.start(port, event -> handler.handleRequest(event, null));
                closeables.add(front);
                return new LocalApi(closeables, front, s3Server, jobsTable, bucket);
            } catch (RuntimeException | Error e) {
                new LocalApi(closeables, null, null, null, null).close();
                throw e;
            }
        }
    }
}
