package kata.semaphore;

import java.util.concurrent.TimeUnit;

/**
 * A bounded semaphore: at most {@code permits} threads hold a permit at the same time, and it
 * cannot be released more often than it was acquired.
 *
 * <p>The story (katas/semaphore/README.md): a toilet with three stalls and twenty people. Each
 * person takes a permit ({@code acquire}) to go in and gives it back ({@code release}) on the way
 * out; the fourth person waits until somebody comes out. Write this class from
 * {@code synchronized}/{@code wait}/{@code notifyAll} (or from {@code java.util.concurrent.atomic}
 * and {@code LockSupport}); {@code java.util.concurrent.Semaphore} and
 * {@code java.util.concurrent.locks} are not allowed, and a test checks that.
 *
 * <p>This version counts the permits right for one thread at a time, but it never waits: run
 * {@code ./kata test semaphore} to see what goes wrong when twenty people arrive at once. Keep the
 * public methods as they are.
 */
public final class BoundedSemaphore {
    private final int initial;
    private int free;

    /** A semaphore with {@code permits} permits, all free; {@code permits < 1} is an IllegalArgumentException. */
    public BoundedSemaphore(int permits) {
        this.initial = permits;
        this.free = permits;
    }

    /** Takes a permit, waiting as long as there is none free. */
    public void acquire() throws InterruptedException {
        free--; // TODO: what if there is none free? And what if another thread does this at the same time?
    }

    /** Takes a permit if one is free right now and returns true; else returns false at once. */
    public boolean tryAcquire() {
        if (free > 0) {
            free--;
            return true;
        }
        return false;
    }

    /**
     * Takes a permit, waiting at most {@code timeout}; returns false if none came free in time.
     * Throws InterruptedException if the thread is interrupted before or while it waits.
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(); // TODO: wait for a permit, at most the timeout
    }

    /**
     * Gives a permit back. Releasing more often than acquiring is an IllegalStateException, and
     * then nothing changes.
     */
    public void release() {
        free++;
    }

    /** How many permits are free right now. */
    public int availablePermits() {
        return free;
    }
}
