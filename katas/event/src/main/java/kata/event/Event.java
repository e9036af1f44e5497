package kata.event;

import java.util.concurrent.TimeUnit;

/**
 * An event: a flag that threads can wait for. {@code set()} raises it and releases every thread
 * waiting in {@code await()}; {@code clear()} lowers it, and threads that call {@code await()}
 * after that wait again until the next {@code set()}.
 *
 * <p>The story (katas/event/README.md): a traffic light thread sets the event on green and
 * clears it on red; car threads wait for it and drive. {@link TrafficLight} is built on this
 * class and is already written: make the event right and the cars behave.
 *
 * <p>This version holds the flag and works for one thread, but nobody can wait for it yet: run
 * {@code ./kata test event} to see what is missing. Keep the public methods as they are.
 */
public final class Event {
    private boolean flag;

    /** Raises the flag and releases every thread waiting in await(). */
    public void set() {
        flag = true;
    }

    /** Lowers the flag: threads that call await() from now on wait for the next set(). */
    public void clear() {
        flag = false;
    }

    /** Whether the flag is up. A thread that polls this must see another thread's set(). */
    public boolean isSet() {
        return flag;
    }

    /** Returns as soon as the flag is up (at once if it already is); InterruptedException if interrupted while waiting. */
    public void await() throws InterruptedException {
        throw new UnsupportedOperationException("Event.await() is not written yet: wait until the flag is up,"
                + " without burning a CPU and without missing a set() that comes while you are about to wait");
    }

    /**
     * Waits at most {@code timeout} for the flag; returns true iff the flag is up (false when the
     * time ran out first). InterruptedException if interrupted while waiting.
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        throw new UnsupportedOperationException("Event.await(timeout, unit) is not written yet: like await(),"
                + " but give up after the timeout and say whether the flag was up");
    }
}
