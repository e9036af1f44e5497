package kata.event;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: the flag is checked outside the monitor, then the thread waits. set() can
 * come in between: the waiter saw the flag down, set() raised it and notified nobody (the waiter
 * was not waiting yet), and then the waiter waits for a notify that has already happened. A lost
 * wake-up: the thread sleeps forever although the event is set.
 */
public final class Event {
    private volatile boolean flag;

    /** Raises the flag and releases every thread waiting for it. */
    public void set() {
        flag = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /** Lowers the flag: threads that call await() from now on wait. */
    public synchronized void clear() {
        flag = false;
    }

    public synchronized boolean isSet() {
        return flag;
    }

    /** Returns as soon as the flag is up (at once if it is). */
    public void await() throws InterruptedException {
        while (!flag) {          // check, outside the monitor...
            synchronized (this) {
                wait();          // ...then wait: a set() that came in between was missed
            }
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
