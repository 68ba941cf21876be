package io.marketgate.handlers.jobs;

/**
 * Paces an export's work: called after each unit of work with the units just done. In AWS it does nothing (the work
 * takes the time it takes); tests and simulations pass one that advances a simulated clock, so that an export of
 * "more than 30 s" runs in milliseconds while every timestamp and heartbeat reads as if it took that long.
 */
@FunctionalInterface
public interface WorkPacer {

    /** No pacing: the real work's own duration. */
    WorkPacer NONE = units -> {};

    /** Called after {@code units} units of work; may block (a test holding a job running) or advance a clock. */
    void worked(int units) throws InterruptedException;
}
