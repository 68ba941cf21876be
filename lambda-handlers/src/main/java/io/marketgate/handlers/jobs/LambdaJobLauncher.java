package io.marketgate.handlers.jobs;

import io.marketgate.handlers.sqs.Messages;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Starts a job's worker by invoking the worker function asynchronously ({@code InvocationType=Event}) with
 * {@code {"jobId":"…"}}: Lambda queues the event and answers 202 at once, so the API answers long before the job ends.
 * The API's role needs {@code lambda:InvokeFunction} on the worker.
 *
 * <pre>{@code
 * JobLauncher launcher = new LambdaJobLauncher(LambdaClient.create(), "mg-prod-job-worker");
 * }</pre>
 */
public final class LambdaJobLauncher implements JobLauncher {

    private final LambdaClient lambda;
    private final String function;

    /** @param function the worker function's name or ARN ({@code MARKETGATE_JOB_WORKER_FUNCTION}) */
    public LambdaJobLauncher(LambdaClient lambda, String function) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("the job worker function's name or ARN is missing");
        }
        this.function = function;
    }

    @Override
    public void launch(String jobId) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(Messages.write(Map.of("jobId", jobId)))));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("the job worker " + function + " was not started: HTTP " + response.statusCode()
                    + (response.functionError() == null ? "" : " " + response.functionError()));
        }
    }
}
