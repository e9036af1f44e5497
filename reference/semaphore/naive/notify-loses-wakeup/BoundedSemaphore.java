package kata.semaphore;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: notify() instead of notifyAll() in release(), and a timed waiter that leaves
 * after a wake-up without passing it on. release() wakes ONE waiting thread; if that one is a
 * tryAcquire(timeout) that was interrupted, or whose time ran out, in the same moment, it returns
 * without the permit, and the wake-up leaves with it: a thread waiting in acquire() goes on waiting
 * forever next to a free permit.
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
            TimeUnit.NANOSECONDS.timedWait(this, left);
            if (Thread.interrupted()) throw new InterruptedException(); // leaves at once, woken or not
            if (System.nanoTime() - deadline >= 0) return false;        // time is up: leaves, woken or not
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
        notify(); // one permit, so wake one thread
    }

    public synchronized int availablePermits() {
        return free;
    }
}
