package io.marketgate.handlers.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A background job's record (table {@code jobs}): what it does, how far it got, when its worker last showed life,
 * and where its result is.
 *
 * @param owner who started it; one job per owner and kind runs at a time
 * @param kind what it does ({@code orders-export})
 * @param done units of work done so far (orders exported)
 * @param total units expected, 0 while unknown
 * @param heartbeatAt the worker's last sign of life (its start while QUEUED)
 * @param expiresAt when the record (and its result) may be deleted: the table's TTL, which DynamoDB applies late
 * @param resultKey the S3 key of the result once SUCCEEDED
 * @param parameters the job's input, as the API took it
 */
public record Job(String id, String owner, String kind, Status status, long done, long total, Optional<String> reason,
        Optional<String> resultKey, Map<String, String> parameters, Instant createdAt, Instant heartbeatAt,
        Instant updatedAt, Instant expiresAt) {

    /** The states of a job. */
    public enum Status {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED;

        /** Whether a job in this state may still make progress. */
        public boolean active() {
            return this == QUEUED || this == RUNNING;
        }
    }

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        parameters = Map.copyOf(parameters);
    }

    /** Whether the job is active and its worker showed life within {@code heartbeatTimeout} of {@code now}. */
    public boolean alive(Instant now, Duration heartbeatTimeout) {
        return status.active() && !heartbeatAt.plus(heartbeatTimeout).isBefore(now);
    }

    /**
     * The job as a client should see it at {@code now}: an active job whose heartbeat is older than
     * {@code heartbeatTimeout} is FAILED (its worker died or was never started), whatever its record still says.
     */
    public Job asSeenAt(Instant now, Duration heartbeatTimeout) {
        if (!status.active() || alive(now, heartbeatTimeout)) {
            return this;
        }
        String why = "no heartbeat since " + heartbeatAt + " (the limit is " + heartbeatTimeout.toSeconds()
                + " s): the worker stopped";
        return new Job(id, owner, kind, Status.FAILED, done, total, Optional.of(why), resultKey, parameters, createdAt,
                heartbeatAt, updatedAt, expiresAt);
    }
}
