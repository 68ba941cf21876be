package io.marketgate.marketsim;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's one clock: nanoseconds since the epoch. {@link #system()} anchors {@link System#nanoTime()} to wall
 * time once, so it never steps backwards; {@link #manual(Instant)} is moved by the test.
 */
@FunctionalInterface
public interface SimClock {

    long epochNanos();

    /** Monotonic nanoseconds anchored to the wall clock at creation. */
    static SimClock system() {
        Instant anchor = Instant.now();
        long anchorNanos = anchor.getEpochSecond() * 1_000_000_000L + anchor.getNano();
        long start = System.nanoTime();
        return () -> anchorNanos + (System.nanoTime() - start);
    }

    static Manual manual(Instant start) {
        return new Manual(start);
    }

    /** A clock that moves only when told to; safe to read and advance from several threads. */
    final class Manual implements SimClock {
        private final AtomicLong nanos;

        private Manual(Instant start) {
            this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
        }

        @Override
        public long epochNanos() {
            return nanos.get();
        }

        public void advance(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a clock does not go back: " + d);
            }
            nanos.addAndGet(d.toNanos());
        }
    }
}
