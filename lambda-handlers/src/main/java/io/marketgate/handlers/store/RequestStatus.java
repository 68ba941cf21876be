package io.marketgate.handlers.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A collection request's status record (table {@code requests}).
 *
 * @param status QUEUED, RUNNING, DEFERRED, SUCCEEDED or FAILED
 * @param reason why it is deferred, retried or failed; empty otherwise
 * @param attempts how many times a collector started on it
 * @param ordersWritten orders written by the current run (a resumed run counts on; a new run starts at 0)
 * @param checkpoint the next page to fetch when a run stopped after some pages; empty when none
 * @param retryAt when a handed-back request becomes visible again
 */
public record RequestStatus(String requestId, Optional<String> market, Optional<String> sellerId,
        Optional<String> priority, Status status, Optional<String> reason, long attempts, long ordersWritten,
        Optional<Checkpoint> checkpoint, Optional<Instant> retryAt, Optional<Instant> createdAt, Optional<Instant> updatedAt) {

    /** The states of a request. */
    public enum Status {
        QUEUED,
        RUNNING,
        DEFERRED,
        SUCCEEDED,
        FAILED
    }

    /** Where a stopped run resumes: the first page ({@code cursor} empty) or page {@code cursor} of window [from, to). */
    public record Checkpoint(Instant from, Instant to, Optional<String> cursor) {}
}
