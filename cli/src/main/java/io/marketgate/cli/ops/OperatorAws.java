package io.marketgate.cli.ops;

import io.marketgate.cli.LocalEndpoints;
import io.marketgate.config.EnvironmentConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The AWS clients of the queue commands: with {@code --local} the local platform's SQS-compatible server (and no
 * CloudWatch); otherwise SQS and CloudWatch in the environment file's {@code aws.region} (or the SDK's default
 * region) with the standard credential chain ({@code AWS_PROFILE}, {@code AWS_ACCESS_KEY_ID}, SSO, instance roles,
 * …) and the standard endpoint settings ({@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_CLOUDWATCH}).
 */
final class OperatorAws implements AutoCloseable {
    /** How far back {@link #oldestAgeSeconds} looks for SQS's one-minute datapoints (they arrive a few minutes late). */
    static final Duration AGE_LOOKBACK = Duration.ofMinutes(15);

    private final SqsClient sqs;
    private final Optional<CloudWatchClient> cloudWatch;
    private final String where;
    private String cloudWatchProblem;

    /** What the local platform's servers accept: any credentials, in one region (as embedded-aws's LocalAws). */
    static final StaticCredentialsProvider LOCAL_CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    /** The region the local platform's servers pretend to be in. */
    static final Region LOCAL_REGION = Region.AP_NORTHEAST_2;

    private OperatorAws(SqsClient sqs, Optional<CloudWatchClient> cloudWatch, String where) {
        this.sqs = sqs;
        this.cloudWatch = cloudWatch;
        this.where = where;
    }

    static OperatorAws open(EnvironmentConfig env, Optional<LocalEndpoints> local) {
        if (local.isPresent()) {
            SqsClient sqs = SqsClient.builder().endpointOverride(local.get().sqs()).region(LOCAL_REGION)
                    .credentialsProvider(LOCAL_CREDENTIALS).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            return new OperatorAws(sqs, Optional.empty(), "local SQS " + local.get().sqs());
        }
        Optional<Region> region = env.aws().region().map(Region::of);
        var sqsBuilder = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        var cloudWatchBuilder = CloudWatchClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        region.ifPresent(sqsBuilder::region);
        region.ifPresent(cloudWatchBuilder::region);
        return new OperatorAws(sqsBuilder.build(), Optional.of(cloudWatchBuilder.build()),
                "SQS " + region.map(Region::id).orElse("(the SDK's default region)"));
    }

    SqsClient sqs() {
        return sqs;
    }

    String where() {
        return where;
    }

    /** The queue's URL, or empty when no queue of that name exists. */
    Optional<String> queueUrl(String name) {
        try {
            return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** Visible, in-flight and delayed messages of a queue, as SQS approximates them. */
    record Counts(long visible, long inFlight, long delayed) {
        long total() {
            return visible + inFlight + delayed;
        }
    }

    Counts counts(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return new Counts(number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    /**
     * The age of the queue's oldest message in seconds: the latest datapoint of CloudWatch's
     * {@code AWS/SQS ApproximateAgeOfOldestMessage} (maximum per minute) within {@link #AGE_LOOKBACK}, the metric the
     * queue-age alarm watches. SQS itself has no such attribute, and reading a message to see its age would count as
     * a receive towards the redrive policy. Empty locally (no CloudWatch), without a datapoint (an idle queue), or when
     * CloudWatch cannot be read ({@link #cloudWatchProblem()} says why).
     */
    OptionalLong oldestAgeSeconds(String queueName) {
        if (cloudWatch.isEmpty() || cloudWatchProblem != null) {
            return OptionalLong.empty();
        }
        Instant end = Instant.now();
        try {
            GetMetricDataResponse response = cloudWatch.get().getMetricData(b -> b
                    .startTime(end.minus(AGE_LOOKBACK))
                    .endTime(end)
                    .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                    .metricDataQueries(q -> q.id("age").returnData(true).metricStat(m -> m
                            .period(60)
                            .stat("Maximum")
                            .metric(metric -> metric.namespace("AWS/SQS").metricName("ApproximateAgeOfOldestMessage")
                                    .dimensions(d -> d.name("QueueName").value(queueName))))));
            return response.metricDataResults().stream()
                    .filter(r -> r.hasValues() && !r.values().isEmpty())
                    .map(MetricDataResult::values)
                    .mapToLong(values -> Math.round(values.get(0)))
                    .findFirst();
        } catch (SdkException e) {
            cloudWatchProblem = e.getMessage();
            return OptionalLong.empty();
        }
    }

    /** Why CloudWatch could not be read (the first failure; later queues are not asked again), or empty. */
    Optional<String> cloudWatchProblem() {
        return Optional.ofNullable(cloudWatchProblem);
    }

    private static long number(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        String v = attributes.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public void close() {
        sqs.close();
        cloudWatch.ifPresent(CloudWatchClient::close);
    }
}
