/**
 * Background jobs that outlive API Gateway's 30 s and 6 MB: {@link io.marketgate.handlers.jobs.JobRepository} records
 * each {@link io.marketgate.handlers.jobs.Job} (status, progress, heartbeat, TTL) and lets one job per owner and kind
 * run; a {@link io.marketgate.handlers.jobs.JobLauncher} starts the worker ({@link io.marketgate.handlers.jobs.LambdaJobLauncher}
 * in AWS, {@link io.marketgate.handlers.jobs.LocalJobLauncher} locally); {@link io.marketgate.handlers.jobs.ExportWorker}
 * writes the result to S3, paced by a {@link io.marketgate.handlers.jobs.WorkPacer} that tests replace with simulated time.
 */
package io.marketgate.handlers.jobs;
