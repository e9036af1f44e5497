package kata.semaphore;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: `if` instead of `while` around wait() in acquire(). A thread that wakes up
 * takes a permit without looking again: notifyAll wakes every waiter for one released permit, and
 * a wait can also end with no notify at all (a spurious wake-up). The count goes below 0 and more
 * threads are inside than there are permits.
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
        if (free == 0) {
            wait(); // woken up: assumes a permit is free now
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
        if (free == initial) {
            throw new IllegalStateException("release() without a matching acquire: all " + initial
                    + " permits are already free");
        }
        free++;
        notifyAll();
    }

    public synchronized int availablePermits() {
        return free;
    }
}
