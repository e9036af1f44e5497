package kata.rlock;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: unlock() refuses only when nobody holds the lock. When another thread holds it, any
 * thread's unlock() gives back one of the OWNER's holds, and the last one frees the lock in the
 * middle of the owner's critical section. The owner check must compare the owner with the caller.
 */
public final class RLock {
    private Thread owner;   // guarded by this
    private int holds;      // guarded by this; 0 exactly when owner == null

    /** Takes the lock, waiting as long as another thread holds it. Not interruptible. */
    public synchronized void lock() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            holds++;
            return;
        }
        boolean interrupted = false;
        while (owner != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // lock() does not give up: remember the interrupt and keep waiting
            }
        }
        owner = me;
        holds = 1;
        if (interrupted) me.interrupt(); // give the caller its interrupt back
    }

    /** Takes the lock if it is free or already ours; never waits. */
    public synchronized boolean tryLock() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            holds++;
            return true;
        }
        if (owner != null) return false;
        owner = me;
        holds = 1;
        return true;
    }

    /**
     * Takes the lock, waiting at most {@code timeout}; {@code false} if it is still held by
     * another thread then. Throws {@link InterruptedException} if the thread is interrupted
     * before or while waiting.
     */
    public synchronized boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        Thread me = Thread.currentThread();
        if (owner == me) {
            holds++;
            return true;
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (owner != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left); // may wake early or spuriously: the loop re-checks
        }
        owner = me;
        holds = 1;
        return true;
    }

    /** Gives back one hold; the last one frees the lock. Only the owner may call it. */
    public synchronized void unlock() {
        Thread me = Thread.currentThread();
        if (owner == null) { // "nobody holds it" is checked; "somebody else holds it" is not
            throw new IllegalMonitorStateException(me.getName() + " called unlock() but does not hold the lock"
                    + (owner == null ? " (nobody does)" : " (" + owner.getName() + " does)"));
        }
        if (--holds == 0) {
            owner = null;
            notifyAll();
        }
    }

    public synchronized boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    public synchronized int getHoldCount() {
        return owner == Thread.currentThread() ? holds : 0;
    }
}
