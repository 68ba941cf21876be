package io.marketgate.marketsim.internal;

/** The state of one budget for one scope key. */
interface Counter {
    /** Nanoseconds until one more call fits; 0 when it fits now. */
    long waitNanos(long now);

    void add(long now);

    /** Calls currently counted (in the window, or in the bucket). */
    long calls(long now);
}
