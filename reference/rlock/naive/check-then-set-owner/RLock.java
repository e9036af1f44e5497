package kata.rlock;

import java.util.concurrent.TimeUnit;

/**
 * NAIVE: check-then-act on a volatile owner, no lock and no compare-and-set. Two threads can
 * both see owner == null and both write themselves in: both return from lock() and run the
 * critical section together. volatile makes the write visible; it does not make "is it free?
 * then it is mine" one step (AtomicReference.compareAndSet(null, me) would).
 */
public final class RLock {
    private volatile Thread owner;
    private int holds; // touched only by the owner

    public void lock() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            holds++;
            return;
        }
        while (owner != null) Thread.onSpinWait();
        owner = me; // another thread may have done the same since the check above
        holds = 1;
    }

    public boolean tryLock() {
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

    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        Thread me = Thread.currentThread();
        if (owner == me) {
            holds++;
            return true;
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (owner != null) {
            if (Thread.interrupted()) throw new InterruptedException();
            if (deadline - System.nanoTime() <= 0) return false;
            Thread.onSpinWait();
        }
        owner = me;
        holds = 1;
        return true;
    }

    public void unlock() {
        if (owner != Thread.currentThread()) throw new IllegalMonitorStateException("not the owner");
        if (--holds == 0) owner = null;
    }

    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    public int getHoldCount() {
        return owner == Thread.currentThread() ? holds : 0;
    }
}
