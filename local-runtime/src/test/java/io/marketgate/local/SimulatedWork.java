package io.marketgate.local;

import io.marketgate.handlers.jobs.WorkPacer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated time for background jobs: a clock that runs with real time plus an offset, and a pacer that adds
 * {@code perUnit} to the offset for every unit of work, so that an export of 100 orders at 1 s each reads as 100 s of
 * work in every timestamp and heartbeat while it runs in milliseconds. {@link #hold()} stops every worker at its next
 * unit until {@link #release()}, to look at a job while it runs.
 */
final class SimulatedWork implements WorkPacer {

    private final Duration perUnit;
    private final AtomicLong offsetNanos = new AtomicLong();
    private volatile CountDownLatch gate;
    private volatile CountDownLatch reached = new CountDownLatch(1);

    SimulatedWork(Duration perUnit) {
        this.perUnit = perUnit;
    }

    /** Real time plus the simulated work done so far and every {@link #advance}. */
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plusNanos(offsetNanos.get());
            }
        };
    }

    /** Moves simulated time on, as if {@code d} passed with no work done. */
    void advance(Duration d) {
        offsetNanos.addAndGet(d.toNanos());
    }

    /** Workers stop at their next unit until {@link #release()}. */
    void hold() {
        reached = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    /** Waits until a worker is held. */
    boolean awaitHeld(Duration timeout) throws InterruptedException {
        return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    public void worked(int units) throws InterruptedException {
        CountDownLatch g = gate;
        if (g != null) {
            reached.countDown();
            g.await();
        }
        offsetNanos.addAndGet(perUnit.toNanos() * units);
    }
}
