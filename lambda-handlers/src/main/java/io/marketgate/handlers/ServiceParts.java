package io.marketgate.handlers;

/**
 * What a handler that calls no market (scheduler, API, job worker) keeps between invocations: its service, and what
 * closing it closes (the dependencies made for it, or nothing when they were given and belong to the caller).
 *
 * @param <S> the handler's service
 */
record ServiceParts<S>(S service, AutoCloseable resources) implements AutoCloseable {

    /** Parts over dependencies that belong to the caller: closing closes nothing. */
    static <S> ServiceParts<S> borrowing(S service) {
        return new ServiceParts<>(service, () -> { });
    }

    /** Before a snapshot: the messages' JSON paths. */
    void prime() {
        HandlerPriming.json();
    }

    /** After a restore: nothing to connect ahead of the first invocation. */
    void connect() {
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
