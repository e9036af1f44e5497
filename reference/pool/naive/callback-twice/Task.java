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
 * NAIVE: onDone appends the callback and then, "in case the task finished meanwhile", runs it
 * itself if the task is done. When the worker completes the task between the append and the
 * check, the worker runs the callback from the list and the caller runs it again: twice.
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
            if (callbacks != null) callbacks.add(callback);
        }
        if (isDone()) runReporting(callback); // done already? run it here too... but the worker may have run it
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
            toRun = new ArrayList<>(callbacks); // the list stays: onDone keeps appending to it
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
