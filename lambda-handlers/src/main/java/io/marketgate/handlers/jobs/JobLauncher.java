package io.marketgate.handlers.jobs;

/**
 * Starts the worker of a job without waiting for it: in AWS an asynchronous invocation of the worker function
 * ({@link LambdaJobLauncher}), locally a thread ({@link LocalJobLauncher}).
 */
@FunctionalInterface
public interface JobLauncher {

    /**
     * Starts the worker of {@code jobId}.
     *
     * @throws RuntimeException when the worker could not be started; the job is then recorded FAILED by the caller
     */
    void launch(String jobId);
}
