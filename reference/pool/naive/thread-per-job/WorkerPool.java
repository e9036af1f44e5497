package kata.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * NAIVE: a new thread per job. submit() starts a fresh thread for every job and the workers
 * count is only checked, never used: ten jobs run on ten threads at once, however small the
 * pool. Everything else (results, callbacks, shutdown, close) works, which is why it passes for a
 * pool until something counts the threads, or a thousand jobs arrive at once.
 */
public final class WorkerPool implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>(); // guarded by this
    private boolean shutdown;                                // guarded by this
    private int running;                                     // guarded by this

    public WorkerPool(int workers) {
        if (workers < 1) throw new IllegalArgumentException("a pool needs at least one worker, not " + workers);
    }

    public <T> Task<T> submit(Callable<T> job) {
        return submit(job, null);
    }

    public <T> Task<T> submit(Callable<T> job, Consumer<? super T> onSuccess) {
        Objects.requireNonNull(job, "job");
        Task<T> task = new Task<>(job, onSuccess);
        Thread t = new Thread(() -> {
            try {
                task.run();
            } finally {
                synchronized (this) {
                    running--;
                    notifyAll();
                }
            }
        });
        synchronized (this) {
            if (shutdown) throw new RejectedExecutionException("the pool is shut down: it takes no new jobs");
            threads.add(t);
            running++;
            t.start();
        }
        return task;
    }

    public synchronized void shutdown() {
        shutdown = true;
    }

    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!shutdown || running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public void close() {
        shutdown();
        List<Thread> all;
        synchronized (this) {
            all = new ArrayList<>(threads);
        }
        boolean interrupted = false;
        for (Thread t : all) {
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
}
