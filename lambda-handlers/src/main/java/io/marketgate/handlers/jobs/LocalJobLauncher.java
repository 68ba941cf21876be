package io.marketgate.handlers.jobs;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs each job's worker on a thread of this JVM, as an asynchronous Lambda invocation would run it elsewhere: the
 * local runtime's and tests' launcher.
 *
 * <pre>{@code
 * try (LocalJobLauncher launcher = new LocalJobLauncher(worker::run)) { … }
 * }</pre>
 */
public final class LocalJobLauncher implements JobLauncher, AutoCloseable {

    private final Consumer<String> worker;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "job-worker");
        t.setDaemon(true);
        return t;
    });

    /** @param worker runs one job by id (for example {@link ExportWorker#run}) */
    public LocalJobLauncher(Consumer<String> worker) {
        this.worker = worker;
    }

    @Override
    public void launch(String jobId) {
        executor.execute(() -> worker.accept(jobId));
    }

    /** Stops the workers (interrupting those still running) and waits up to 5 s for them. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
