package io.marketgate.handlers.api;

import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.jobs.JobLauncher;
import io.marketgate.handlers.jobs.LambdaJobLauncher;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What the API and the job worker need beyond {@link HandlerDependencies}: the jobs table, the export bucket with an
 * S3 client and presigner, the job launcher, and the ids of new requests and jobs.
 *
 * @param jobsTable the jobs table's name ({@code MARKETGATE_JOBS_TABLE})
 * @param exportBucket the bucket of export results ({@code MARKETGATE_EXPORT_BUCKET})
 * @param launcher starts a job's worker; the worker itself does not use it
 * @param ids new request, action and job ids (random UUIDs by default)
 */
public record ApiDependencies(HandlerDependencies handlers, String jobsTable, S3Client s3, S3Presigner presigner,
        String exportBucket, JobLauncher launcher, Supplier<String> ids) implements AutoCloseable {

    /** Random UUIDs. */
    public static final Supplier<String> RANDOM_IDS = () -> UUID.randomUUID().toString();

    public ApiDependencies {
        Objects.requireNonNull(handlers, "handlers");
        Objects.requireNonNull(jobsTable, "jobsTable");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(presigner, "presigner");
        Objects.requireNonNull(exportBucket, "exportBucket");
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(ids, "ids");
    }

    /**
     * A Lambda's, from its environment variables: those of {@link HandlerDependencies#fromEnvironment()} and
     * <ul>
     *   <li>{@code MARKETGATE_JOBS_TABLE}: the jobs table (required);</li>
     *   <li>{@code MARKETGATE_EXPORT_BUCKET}: the bucket of export results (required);</li>
     *   <li>{@code MARKETGATE_JOB_WORKER_FUNCTION}: name or ARN of the job worker function, invoked asynchronously
     *       (required for the API, not read by the worker itself).</li>
     * </ul>
     *
     * @param withLauncher false for the worker, which starts no jobs
     * @throws IllegalStateException naming a missing variable
     */
    /**
     * Closes the S3 client and presigner, the launcher when it is closeable, and the handlers' dependencies
     * ({@link HandlerDependencies#close()}): for dependencies made by {@link #fromVariables}, whose clients are theirs.
     */
    @Override
    public void close() throws Exception {
        try (AutoCloseable h = handlers; AutoCloseable s = s3; AutoCloseable p = presigner) {
            if (launcher instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    public static ApiDependencies fromVariables(Function<String, String> variables, boolean withLauncher) {
        HandlerDependencies handlers = HandlerDependencies.fromVariables(variables);
        String jobsTable = HandlerDependencies.required(variables, "MARKETGATE_JOBS_TABLE");
        String bucket = HandlerDependencies.required(variables, "MARKETGATE_EXPORT_BUCKET");
        Optional<Region> region = Optional.ofNullable(variables.apply("AWS_REGION")).filter(r -> !r.isBlank())
                .or(() -> handlers.environment().aws().region()).map(Region::of);
        S3ClientBuilder s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        S3Presigner.Builder presigner = S3Presigner.builder();
        region.ifPresent(r -> {
            s3.region(r);
            presigner.region(r);
        });
        JobLauncher launcher = jobId -> {
            throw new IllegalStateException("this function starts no jobs");
        };
        if (withLauncher) {
            String worker = HandlerDependencies.required(variables, "MARKETGATE_JOB_WORKER_FUNCTION");
            LambdaClientBuilder lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create());
            region.ifPresent(lambda::region);
            launcher = new LambdaJobLauncher(lambda.build(), worker);
        }
        return new ApiDependencies(handlers, jobsTable, s3.build(), presigner.build(), bucket, launcher, RANDOM_IDS);
    }
}
