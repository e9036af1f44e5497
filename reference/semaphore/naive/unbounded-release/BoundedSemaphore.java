package kata.semaphore;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: unbounded release. release() adds a permit whatever the count: a thread that
 * releases twice (or never acquired) makes room for one more person than there are stalls,
 * which is exactly what a BoundedSemaphore exists to refuse.
 */
public final class BoundedSemaphore {
    private final int initial;
    private int free; // guarded by this; 0 <= free <= initial

    public BoundedSemaphore(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("a semaphore needs at least 1 permit, got " + permits);
        }
        this.initial = permits;
        this.free = permits;
    }

    /** Takes a permit, waiting while there is none. */
    public synchronized void acquire() throws InterruptedException {
        while (free == 0) {
            wait(); // throws InterruptedException, having taken nothing
        }
        free--;
    }

    /** Takes a permit if one is free right now; never waits. */
    public synchronized boolean tryAcquire() {
        if (free == 0) return false;
        free--;
        return true;
    }

    /** Takes a permit, waiting at most {@code timeout}; {@code false} if none came free in time. */
    public synchronized boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (free == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left); // may wake early or spuriously: the loop looks again
        }
        free--;
        return true;
    }

    /** Gives a permit back. More releases than acquires: {@link IllegalStateException}, nothing changed. */
    public synchronized void release() {
        free++; // no bound: a release without an acquire adds a permit that never existed
        notifyAll();
    }

    public synchronized int availablePermits() {
        return free;
    }
}
