package kata.event;

import java.util.concurrent.TimeUnit;

/**
 * Reference solution: an event (a flag that threads can wait for) on the object's own monitor.
 *
 * <p>The flag is guarded by {@code this}: {@code set()} changes it and wakes every waiting
 * thread in one monitor step, and a waiter checks it and goes to sleep in one monitor step, so
 * {@code set()} cannot slip in between the check and the wait (the lost wake-up). Waiters look
 * again in a {@code while} loop, because a wait can end with the flag still down (a spurious
 * wake-up, or {@code clear()} came first). Reading the flag under the same monitor also makes
 * {@code set()} visible to a thread that only polls {@code isSet()}.
 *
 * <p>{@code notifyAll}, not {@code notify}: an event releases every thread waiting for it.
 */
public final class Event {
    private boolean flag; // guarded by this

    /** Raises the flag and releases every thread waiting for it. */
    public synchronized void set() {
        flag = true;
        notifyAll();
    }

    /** Lowers the flag: threads that call await() from now on wait. */
    public synchronized void clear() {
        flag = false;
    }

    public synchronized boolean isSet() {
        return flag;
    }

    /** Returns as soon as the flag is up (at once if it is). */
    public synchronized void await() throws InterruptedException {
        while (!flag) {
            wait();
        }
    }

    /** Waits at most {@code timeout} for the flag; true iff it is up when the call returns. */
    public synchronized boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!flag) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left); // may wake early or spuriously: the loop looks again
        }
        return true;
    }
}
