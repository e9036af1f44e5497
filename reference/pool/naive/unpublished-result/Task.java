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
 * NAIVE: the result is published without a happens-before edge. isDone() and get() read a
 * volatile {@code done} flag without the lock ("volatile, so every thread sees it at once"), and
 * the worker raises the flag first and stores the result after it. A volatile write publishes
 * only what was written BEFORE it: a thread that sees done == true can still read the result
 * field before the worker's write, and get() returns null.
 */
public final class Task<T> {
    private final Callable<T> job;
    private final Consumer<? super T> onSuccess;

    private volatile boolean done;                                // read without the lock
    private T result;                                             // guarded by this
    private Throwable failure;                                    // guarded by this
    private List<Consumer<Task<T>>> callbacks = new ArrayList<>(); // guarded by this; null once done

    Task(Callable<T> job, Consumer<? super T> onSuccess) {
        this.job = job;
        this.onSuccess = onSuccess;
    }

    /** Waits until the task is done; its result, or ExecutionException with the job's exception as cause. */
    public T get() throws InterruptedException, ExecutionException {
        if (done) return outcome();    // fast path, no lock: done is volatile, so the result must be there... not so
        synchronized (this) {
            while (!done) wait();
        }
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

    public boolean isDone() {
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
            done = true;       // published here...
            failure = thrown;
            toRun = callbacks;
            callbacks = null;
            notifyAll();
            result = value;    // ...but stored after the volatile write: not covered by it
        }
        for (Consumer<Task<T>> callback : toRun) runReporting(callback);
    }

    private T outcome() throws ExecutionException {
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
