package kata.semaphore;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: check-then-decrement without mutual exclusion. tryAcquire() asks "is a permit
 * free?" and then takes it, in two steps and outside any lock (the count is volatile, which makes
 * it visible but not atomic): two threads both see the last permit free and both take it, and
 * free-- itself can lose an update against release().
 */
public final class BoundedSemaphore {
    private final int initial;
    private volatile int free; // volatile: every thread sees the latest count (but that is not enough)

    public BoundedSemaphore(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("a semaphore needs at least 1 permit, got " + permits);
        }
        this.initial = permits;
        this.free = permits;
    }

    /** Takes a permit, waiting while there is none. */
    public void acquire() throws InterruptedException {
        while (!tryAcquire()) {
            synchronized (this) {
                if (free == 0) wait(); // the check and the take are outside: the loop looks again
            }
        }
    }

    /** Takes a permit if one is free right now; never waits. */
    public boolean tryAcquire() {
        if (free > 0) {   // check...
            free--;       // ...then decrement: another thread can take the same last permit in between
            return true;
        }
        return false;
    }

    /** Takes a permit, waiting at most {@code timeout}; {@code false} if none came free in time. */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!tryAcquire()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            synchronized (this) {
                if (free == 0) TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
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

    public int availablePermits() {
        return free;
    }
}
