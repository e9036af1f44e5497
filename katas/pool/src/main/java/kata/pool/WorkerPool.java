package kata.pool;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fixed set of worker threads that run submitted jobs: Python's {@code Pool(5)} with
 * {@code apply_async(func, args, callback=...)}, or {@code ThreadPoolExecutor.submit}.
 *
 * <p>Write it: see katas/pool/README.md for the story and the exact contract, and run
 * {@code ./kata test pool}. Build it from threads, {@code synchronized}/{@code wait}/{@code notifyAll}
 * (or locks) and collections; the JDK's executors are not allowed (a test checks).
 */
public final class WorkerPool implements AutoCloseable {

    /** Starts {@code workers} worker threads; {@code workers < 1} -> IllegalArgumentException. */
    public WorkerPool(int workers) {
        throw new UnsupportedOperationException("TODO: start the workers (katas/pool/README.md)");
    }

    /** Runs {@code job} on a worker. After shutdown() -> RejectedExecutionException. */
    public <T> Task<T> submit(Callable<T> job) {
        throw new UnsupportedOperationException("TODO: queue the job for a worker");
    }

    /**
     * Runs {@code job} on a worker; when it returns normally, {@code onSuccess} gets the result, in the
     * worker, before the task is done. After shutdown() -> RejectedExecutionException.
     */
    public <T> Task<T> submit(Callable<T> job, Consumer<? super T> onSuccess) {
        throw new UnsupportedOperationException("TODO: queue the job, with its callback, for a worker");
    }

    /** No new jobs from now on; the jobs already submitted still run. Does not wait. */
    public void shutdown() {
        throw new UnsupportedOperationException("TODO: shutdown");
    }

    /** Waits until every worker has finished (after shutdown, once the queue is drained); false on timeout. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: awaitTermination");
    }

    /** shutdown(), then waits for every worker to finish. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO: close");
    }
}
