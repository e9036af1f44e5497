package kata.pool;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The outcome of one submitted job: Python's {@code AsyncResult} / {@code Future}.
 * See katas/pool/README.md for the exact contract.
 */
public final class Task<T> {

    /** Only the pool makes tasks. TODO: give a task what it needs (the job, its onSuccess callback...). */
    Task() {
    }

    /** Waits until the task is done: its result, or ExecutionException with the job's exception as the cause. */
    public T get() throws InterruptedException, ExecutionException {
        throw new UnsupportedOperationException("TODO: get");
    }

    /** As get(), but waits at most the timeout: TimeoutException if the task is not done by then. */
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        throw new UnsupportedOperationException("TODO: get with a timeout");
    }

    public boolean isDone() {
        throw new UnsupportedOperationException("TODO: isDone");
    }

    /**
     * Python's add_done_callback: {@code callback} runs exactly once, once the task is done; at once,
     * in the caller, if it already is.
     */
    public void onDone(Consumer<Task<T>> callback) {
        throw new UnsupportedOperationException("TODO: onDone");
    }
}
