package kata.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Reference solution: the outcome of one job. The result, the failure, the done flag and the
 * list of waiting callbacks are guarded by the task's own monitor. Completion sets the outcome
 * and takes the callback list in one synchronized step, and {@link #onDone} checks "done?" and
 * appends in one synchronized step, so each callback is run exactly once: by the worker if it
 * was registered before, by the caller if after. Everything written before the worker's
 * unlock is visible to a thread that then finds the task done under the same monitor.
 */
public final class Task<T> {
    private final Callable<T> job;
    private final Consumer<? super T> onSuccess;

    private boolean done;                                         // guarded by this
    private T result;                                             // guarded by this
    private Throwable failure;                                    // guarded by this
    private List<Consumer<Task<T>>> callbacks = new ArrayList<>(); // guarded by this; null once done

    Task(Callable<T> job, Consumer<? super T> onSuccess) {
        this.job = job;
        this.onSuccess = onSuccess;
    }

    /** Waits until the task is done; its result, or ExecutionException with the job's exception as cause. */
    public synchronized T get() throws InterruptedException, ExecutionException {
        while (!done) wait();
        return outcome();
    }

    /** As {@link #get()}, but waits at most {@code timeout}: TimeoutException if it is not done by then. */
    public synchronized T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new TimeoutException("the task was not done after " + timeout + " " + unit);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return outcome();
    }

    public synchronized boolean isDone() {
        return done;
    }

    /**
     * Runs {@code callback} once the task is done: at once, in the caller, if it already is; else
     * in the worker that completes it. Each registered callback runs exactly once.
     */
    public void onDone(Consumer<Task<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        synchronized (this) {
            if (!done) {
                callbacks.add(callback);
                return;
            }
        }
        runReporting(callback); // already done: run it here, outside the monitor
    }

    /** Called by a worker: runs the job, then onSuccess, then completes the task and runs the callbacks. */
    void run() {
        T value = null;
        Throwable thrown = null;
        try {
            value = job.call();
        } catch (Throwable e) {
            thrown = e;
        }
        if (thrown == null && onSuccess != null) {
            try {
                onSuccess.accept(value);
            } catch (Throwable e) {
                report(e); // the job succeeded: its result stays
            }
        }
        List<Consumer<Task<T>>> toRun;
        synchronized (this) {
            result = value;
            failure = thrown;
            done = true;
            toRun = callbacks;
            callbacks = null; // from now on onDone runs callbacks itself
            notifyAll();
        }
        for (Consumer<Task<T>> callback : toRun) runReporting(callback);
    }

    private T outcome() throws ExecutionException { // holds this
        if (failure != null) throw new ExecutionException(failure);
        return result;
    }

    private void runReporting(Consumer<Task<T>> callback) {
        try {
            callback.accept(this);
        } catch (Throwable e) {
            report(e);
        }
    }

    /** A callback's exception is reported like an uncaught one, but the thread goes on. */
    private static void report(Throwable e) {
        Thread me = Thread.currentThread();
        me.getUncaughtExceptionHandler().uncaughtException(me, e);
    }
}
