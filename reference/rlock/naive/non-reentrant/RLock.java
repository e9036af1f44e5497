package kata.rlock;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: a plain, non-reentrant mutex (Python's threading.Lock). It remembers who owns it but
 * not how often: lock() by the owner waits, like everybody else, until the lock is free, which
 * it never will be, because the only thread that could unlock it is the one waiting. The
 * story's run3 -> run1 deadlocks on itself.
 */
public final class RLock {
    private Thread owner;

    public synchronized void lock() {
        boolean interrupted = false;
        while (owner != null) { // also when owner == Thread.currentThread(): waits for itself
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        owner = Thread.currentThread();
        if (interrupted) Thread.currentThread().interrupt();
    }

    public synchronized boolean tryLock() {
        if (owner != null) return false;
        owner = Thread.currentThread();
        return true;
    }

    public synchronized boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (owner != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        owner = Thread.currentThread();
        return true;
    }

    public synchronized void unlock() {
        if (owner != Thread.currentThread()) throw new IllegalMonitorStateException("not the owner");
        owner = null;
        notifyAll();
    }

    public synchronized boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    public synchronized int getHoldCount() {
        return owner == Thread.currentThread() ? 1 : 0;
    }
}
