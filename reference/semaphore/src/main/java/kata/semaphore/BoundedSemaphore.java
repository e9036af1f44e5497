package kata.semaphore;

import java.util.concurrent.TimeUnit;

/**
 * Reference solution: a bounded counting semaphore on the object's own monitor.
 *
 * <p>One field, guarded by {@code this}: how many permits are free. Taking one is "is there one?
 * then take it" done under the monitor, so two threads can never both take the last one. A
 * thread that finds none waits, in a {@code while} loop, because it may wake up while there is
 * still none (another thread took it first, or a spurious wake-up). {@code release()} refuses to
 * go beyond the initial number of permits, and changes nothing when it refuses.
 *
 * <p>{@code notifyAll}, not {@code notify}: a woken waiter may leave without taking the permit
 * (its time is up, or it was interrupted), and with {@code notify} the one wake-up would leave
 * with it while other threads keep waiting next to a free permit.
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
