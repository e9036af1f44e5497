package kata.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reference solution: a fixed set of worker threads take jobs from one queue. The queue, the
 * shutdown flag and the count of live workers are guarded by one monitor ({@code lock}); a
 * worker waits on it while the queue is empty and leaves once the pool is shut down and the
 * queue is drained. Everything a job or a callback throws is caught in {@link Task#run}, so it
 * never ends a worker's loop.
 */
public final class WorkerPool implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Object lock = new Object();
    private final ArrayDeque<Task<?>> queue = new ArrayDeque<>(); // guarded by lock
    private boolean shutdown;                                      // guarded by lock
    private int alive;                                             // guarded by lock: workers not yet finished
    private final List<Thread> workers = new ArrayList<>();

    /** Starts {@code workers} worker threads. */
    public WorkerPool(int workers) {
        if (workers < 1) throw new IllegalArgumentException("a pool needs at least one worker, not " + workers);
        int pool = POOLS.incrementAndGet();
        for (int i = 1; i <= workers; i++) {
            this.workers.add(new Thread(this::work, "pool-" + pool + "-worker-" + i));
        }
        alive = workers;
        for (Thread t : this.workers) t.start();
    }

    /** Runs {@code job} on a worker; the task gets its result or its exception. */
    public <T> Task<T> submit(Callable<T> job) {
        return submit(job, null);
    }

    /**
     * Runs {@code job} on a worker; if it returns normally, {@code onSuccess} (may be null) gets the
     * result in the worker before the task is done.
     */
    public <T> Task<T> submit(Callable<T> job, Consumer<? super T> onSuccess) {
        Objects.requireNonNull(job, "job");
        Task<T> task = new Task<>(job, onSuccess);
        synchronized (lock) {
            // The check and the enqueue are one step: a job accepted here is seen by a worker
            // before it can decide that the queue is drained.
            if (shutdown) throw new RejectedExecutionException("the pool is shut down: it takes no new jobs");
            queue.add(task);
            lock.notify(); // one job, one worker to wake
        }
        return task;
    }

    /** No new jobs from now on; the jobs already submitted still run. Does not wait. */
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
            lock.notifyAll(); // idle workers wake up and leave
        }
    }

    /** Waits until every worker has finished (after a shutdown, once the queue is drained); false on timeout. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (alive > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** {@link #shutdown()}, then waits for every worker to finish. An interrupt is kept, not thrown. */
    @Override
    public void close() {
        shutdown();
        boolean interrupted = false;
        for (Thread t : workers) {
            if (t == Thread.currentThread()) continue; // close() from inside a job: do not wait for ourselves
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** A worker's life: take the next job, run it, until the pool is shut down and the queue is empty. */
    private void work() {
        try {
            while (true) {
                Task<?> next;
                synchronized (lock) {
                    while (queue.isEmpty() && !shutdown) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            // Nobody but the pool may stop a worker: look again and keep going.
                        }
                    }
                    next = queue.poll();
                    if (next == null) return; // shut down and drained
                }
                next.run(); // never throws: the job's and the callbacks' exceptions are caught inside
            }
        } finally {
            synchronized (lock) {
                alive--;
                lock.notifyAll(); // awaitTermination
            }
        }
    }
}
