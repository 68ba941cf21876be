package io.marketgate.handlers.service;

import io.marketgate.handlers.store.RequestStatus.Checkpoint;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.market.MarketData;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.ToIntFunction;

/**
 * Writes the pages of one collection while the next page is asked for: {@link #accept} starts a page's writes on a
 * virtual thread of its own and returns, so the market call of the next page overlaps them. At most one page is being
 * written: the next {@link #accept} (or {@link #finish}) first waits for it and only then moves the request's
 * checkpoint past it. So a checkpoint never passes a page whose writes have not all succeeded; a failed write throws
 * {@link WriteFailedException} from the next {@code accept} or {@code finish}, the checkpoint left at that page, and
 * the pages after it are never written (a redelivery resumes at that page; its writes are idempotent). {@link #close}
 * waits for a page still being written, so that no write outlives the collection.
 *
 * <pre>{@code
 * try (PageWriter writer = new PageWriter(requests, requestId, page -> store(page).stale())) {
 *     CollectionResult result = client.collectPages(request, priority, maxWait,
 *             (call, page) -> writer.accept(page, adapter.next(call, page).map(CollectorService::checkpointOf)));
 *     writer.finish();   // the last page written and checkpointed, or WriteFailedException
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one collection's pages arrive one after another.
 */
final class PageWriter implements AutoCloseable {

    /** A page's write failed: the request's checkpoint stays at that page. */
    static final class WriteFailedException extends RuntimeException {
        WriteFailedException(String requestId, Throwable cause) {
            super("writing a page of request " + requestId + " failed; its checkpoint stays at that page: " + cause, cause);
        }
    }

    private record Pending(FutureTask<Integer> writes, Optional<Checkpoint> next, int size) {}

    private final RequestStatusRepository requests;
    private final String requestId;
    private final ToIntFunction<MarketData.Page> write;
    private Pending pending;
    private int stale;

    /**
     * @param write writes one page and returns how many of its records were older than the stored state (not written);
     *     throws on a failed write
     */
    PageWriter(RequestStatusRepository requests, String requestId, ToIntFunction<MarketData.Page> write) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.write = Objects.requireNonNull(write, "write");
    }

    /**
     * Waits for the page before (then checkpoints it), and starts writing {@code page}, after which the collection
     * resumes at {@code next} (empty: it is complete).
     *
     * @throws WriteFailedException when the page before failed; {@code page} is not written
     */
    void accept(MarketData.Page page, Optional<Checkpoint> next) {
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(next, "next");
        awaitPending();
        FutureTask<Integer> writes = new FutureTask<>(() -> write.applyAsInt(page));
        Thread.ofVirtual().name("page-writes-" + requestId).start(writes);
        pending = new Pending(writes, next, page.size());
    }

    /**
     * Waits for the last page's writes and checkpoints it: to be called once the collection completed or stopped.
     *
     * @throws WriteFailedException when they failed
     */
    void finish() {
        awaitPending();
    }

    /** The records of the finished pages that were older than the stored state. */
    int stale() {
        return stale;
    }

    /**
     * Waits for a page still being written and checkpoints it if all its writes succeeded: the collection ended by an
     * exception (a crash of the market call that followed, say), and the page it had written need not be asked for
     * again. A failed write is left for the redelivery, as the exception on its way out stands for the attempt.
     */
    @Override
    public void close() {
        try {
            awaitPending();
        } catch (WriteFailedException e) {
            // the collection is already ending with an exception of its own; the checkpoint stays at the failed page
        }
    }

    /** Waits for the writes of {@code p}, however often the thread is interrupted, and restores the interrupt. */
    private static void awaitUninterruptibly(Pending p) {
        boolean interrupted = false;
        while (true) {
            try {
                p.writes().get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPending() {
        Pending p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        int pageStale;
        try {
            pageStale = p.writes().get();
        } catch (ExecutionException e) {
            throw new WriteFailedException(requestId, e.getCause());
        } catch (InterruptedException e) {
            // the writes go on; wait for them so that none outlives the collection, then report the interruption
            Thread.currentThread().interrupt();
            awaitUninterruptibly(p);
            throw new WriteFailedException(requestId, e);
        }
        stale += pageStale;
        requests.checkpoint(requestId, p.next(), p.size());
    }
}
