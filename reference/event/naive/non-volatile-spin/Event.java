package kata.event;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: a plain (non-volatile) flag, polled in a loop. Nothing orders the writer
 * and the poller: the JIT may read the field once and spin on the value in a register forever,
 * so a thread polling isSet() never sees set(). (Spinning also burns a CPU while it waits.)
 */
public final class Event {
    private boolean flag; // plain field: nothing tells the JIT that another thread changes it

    public void set() {
        flag = true;
    }

    public void clear() {
        flag = false;
    }

    public boolean isSet() {
        return flag;
    }

    /** Polls the flag until it is up (the story's "while not event.isSet(): pass"). */
    public void await() throws InterruptedException {
        while (!flag) {
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!flag) {
            if (Thread.interrupted()) throw new InterruptedException();
            if (System.nanoTime() - deadline >= 0) return false;
        }
        return true;
    }
}
