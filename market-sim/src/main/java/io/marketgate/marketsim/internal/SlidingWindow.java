package io.marketgate.marketsim.internal;

import java.util.ArrayDeque;
import java.util.Iterator;

/** The admitted calls of one budget key within the last window. Not thread-safe; the market's lock guards it. */
public final class SlidingWindow implements Counter {
    private final long limit;
    private final long windowNanos;
    private final ArrayDeque<Long> admitted = new ArrayDeque<>();

    public SlidingWindow(long limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    private void expire(long now) {
        while (!admitted.isEmpty() && admitted.peekFirst() <= now - windowNanos) {
            admitted.pollFirst();
        }
    }

    /** Nanoseconds until one more call fits in {@code (now − window, now]}; 0 when it fits now. */
    @Override
    public long waitNanos(long now) {
        expire(now);
        long excess = admitted.size() - limit;
        if (excess < 0) {
            return 0;
        }
        // the (excess+1)-th oldest admission must leave the window before one more fits
        Iterator<Long> it = admitted.iterator();
        long t = it.next();
        for (long i = 0; i < excess; i++) {
            t = it.next();
        }
        return t + windowNanos - now;
    }

    @Override
    public void add(long now) {
        admitted.addLast(now);
    }

    @Override
    public long calls(long now) {
        expire(now);
        return admitted.size();
    }
}
