package io.marketgate.cli.ops;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.embedded.aws.LocalAws;
import io.marketgate.local.LocalEndpoints;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The SQS client of the queue commands: with {@code --local} the local platform's SQS-compatible server; otherwise
 * SQS in the environment file's {@code aws.region} (or the SDK's default region) with the standard
 * credential chain ({@code AWS_PROFILE}, {@code AWS_ACCESS_KEY_ID}, SSO, instance roles, …).
 */
final class OperatorAws implements AutoCloseable {
    private final SqsClient sqs;
    private final String where;

    private OperatorAws(SqsClient sqs, String where) {
        this.sqs = sqs;
        this.where = where;
    }

    static OperatorAws open(EnvironmentConfig env, Optional<LocalEndpoints> local) {
        if (local.isPresent()) {
            return new OperatorAws(LocalAws.sqs(local.get().sqs()), "local SQS " + local.get().sqs());
        }
        Optional<Region> region = env.aws().region().map(Region::of);
        var sqsBuilder = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        region.ifPresent(sqsBuilder::region);
        return new OperatorAws(sqsBuilder.build(), "SQS " + region.map(Region::id).orElse("(the SDK's default region)"));
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
     * The age of the queue's oldest message in seconds. SQS has no such attribute (only CloudWatch's
     * {@code ApproximateAgeOfOldestMessage} metric: the SDK's {@code cloudwatch} client of this build's SDK version
     * needs {@code smithy-rpcv2-protocol} of that version, which the Maven repository this project builds from does
     * not serve), and reading a message to see its age would count as a receive towards the redrive policy; so:
     * unknown, and {@code queues status} points at the queue-age alarm instead.
     */
    java.util.OptionalLong oldestAgeSeconds(String queueName) {
        return java.util.OptionalLong.empty();
    }

    private static long number(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        String v = attributes.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public void close() {
        sqs.close();
    }
}
