package kata.rlock;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: unlock() without an owner check. Any thread may call it and it counts the owner's holds
 * down: another thread's stray unlock() frees the lock while the owner is still inside its
 * critical section, and an unlock() of a free lock drives the count below 0. The contract says:
 * a caller that is not the owner gets IllegalMonitorStateException and nothing changes.
 */
public final class RLock {
    private Thread owner;   // guarded by this
    private int holds;      // guarded by this

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

    /** Gives back one hold; the last one frees the lock. Anybody may call it. */
    public synchronized void unlock() {
        if (--holds == 0) { // whoever calls it: no check that the caller is the owner
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
