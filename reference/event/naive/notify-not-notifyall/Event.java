package kata.event;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: notify() instead of notifyAll() in set(). notify() wakes ONE waiting thread;
 * an event must release all of them. With three cars at the red light, one drives on green and
 * two wait forever.
 */
public final class Event {
    private boolean flag; // guarded by this

    /** Raises the flag and releases every thread waiting for it. */
    public synchronized void set() {
        flag = true;
        notify();
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
