package kata.rlock;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: a boolean instead of a hold count. Taking the lock again is allowed (no self-deadlock),
 * but it is not remembered, so the owner's FIRST unlock frees the lock: in the story, run1's
 * unlock lets other threads in while run3 is still inside, and run3's own unlock then fails.
 */
public final class RLock {
    private Thread owner;   // guarded by this
    private boolean held;   // guarded by this: a flag, not a count

    /** Takes the lock, waiting as long as another thread holds it. Not interruptible. */
    public synchronized void lock() {
        Thread me = Thread.currentThread();
        if (owner == me) return; // already held: nothing to remember
        boolean interrupted = false;
        while (owner != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // lock() does not give up: remember the interrupt and keep waiting
            }
        }
        owner = me;
        held = true;
        if (interrupted) me.interrupt(); // give the caller its interrupt back
    }

    /** Takes the lock if it is free or already ours; never waits. */
    public synchronized boolean tryLock() {
        Thread me = Thread.currentThread();
        if (owner == me) return true;
        if (owner != null) return false;
        owner = me;
        held = true;
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
        if (owner == me) return true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (owner != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left); // may wake early or spuriously: the loop re-checks
        }
        owner = me;
        held = true;
        return true;
    }

    /** Frees the lock. Only the owner may call it. */
    public synchronized void unlock() {
        Thread me = Thread.currentThread();
        if (owner != me) {
            throw new IllegalMonitorStateException(me.getName() + " called unlock() but does not hold the lock"
                    + (owner == null ? " (nobody does)" : " (" + owner.getName() + " does)"));
        }
        held = false; // the first unlock frees it, however often the owner took it
        owner = null;
        notifyAll();
    }

    public synchronized boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    public synchronized int getHoldCount() {
        return owner == Thread.currentThread() && held ? 1 : 0;
    }
}
