package io.marketgate.local;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults of one {@link SqsEventSource}'s deliveries, switched on and off while it runs (a scenario's {@code faults}):
 *
 * <ul>
 *   <li>{@link #killBatches}: the next batches' instances die after {@code afterMessages} of their messages were
 *       processed and before the batch is answered, as a Lambda instance that runs out of memory or time does: no
 *       message of the batch is deleted, all come back after their visibility timeout, and the worker's next batch
 *       gets a new instance (a cold start);</li>
 *   <li>{@link #duplicate}: a share of the delivered messages is delivered a second time, to another invocation,
 *       before the first is acknowledged (SQS's at-least-once delivery).</li>
 * </ul>
 *
 * Thread-safe; the shares are drawn from a seeded sequence.
 */
public final class DeliveryFaults {
    private final AtomicInteger killsLeft = new AtomicInteger();
    private volatile int killAfter;
    private volatile double duplicateShare;
    private final SplittableRandom random;
    private final AtomicLong killed = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();

    public DeliveryFaults(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next {@code times} batches die after {@code afterMessages} (0–9) of their messages. */
    public void killBatches(int times, int afterMessages) {
        if (times < 0 || afterMessages < 0 || afterMessages > 9) {
            throw new IllegalArgumentException("killBatches(" + times + ", " + afterMessages
                    + "): times must be ≥ 0 and afterMessages 0..9");
        }
        killAfter = afterMessages;
        killsLeft.set(times);
    }

    /** Kills no more batches (those still to kill are forgotten). */
    public void stopKilling() {
        killsLeft.set(0);
    }

    /** From now on, {@code share} (0–1) of the messages delivered are delivered twice; 0 ends it. */
    public void duplicate(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("duplicate(" + share + "): share must be in 0..1");
        }
        duplicateShare = share;
    }

    /** Batches killed so far. */
    public long killed() {
        return killed.get();
    }

    /** Messages delivered a second time so far. */
    public long duplicated() {
        return duplicated.get();
    }

    /** After how many messages this batch dies, or -1 when it lives. */
    int takeKill() {
        int left;
        do {
            left = killsLeft.get();
            if (left <= 0) {
                return -1;
            }
        } while (!killsLeft.compareAndSet(left, left - 1));
        killed.incrementAndGet();
        return killAfter;
    }

    /** Whether the message just delivered is delivered again. */
    boolean drawDuplicate() {
        double share = duplicateShare;
        if (share <= 0) {
            return false;
        }
        boolean again;
        synchronized (random) {
            again = random.nextDouble() < share;
        }
        if (again) {
            duplicated.incrementAndGet();
        }
        return again;
    }
}
