package kata.event;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: await(timeout) reports the wrong result. It waits once and returns true
 * whether the flag was set or the time ran out: a car that gave up waiting at the red light
 * believes the light is green.
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
        if (!flag) {
            TimeUnit.NANOSECONDS.timedWait(this, unit.toNanos(timeout));
        }
        return true; // "I was woken or the time is up: either way I am done" - but was the flag set?
    }
}
