package kata.rlock;

import java.util.concurrent.TimeUnit;

/**
 * A reentrant lock: the thread that holds it may take it again, and it is free for others only
 * after that thread has called {@link #unlock()} once for every time it took it.
 *
 * <p>The story (katas/rlock/README.md): {@code run3} takes the lock and, while holding it, calls
 * {@code run1} and {@code run2}, which take the same lock. With a plain lock the thread waits for
 * itself forever. Write this class from {@code synchronized}/{@code wait}/{@code notifyAll} (or
 * {@code LockSupport} and atomics); using {@code java.util.concurrent.locks} or
 * {@code Semaphore} is not allowed, and a test checks that.
 *
 * <p>Run {@code ./kata test rlock} to see what is missing. Keep the public methods as they are.
 */
public final class RLock {

    /** Takes the lock, waiting as long as another thread holds it. The holder may take it again. */
    public void lock() {
        throw new UnsupportedOperationException("RLock.lock() is not written yet: if the calling thread already"
                + " holds the lock, count one more hold; else wait until nobody holds it, then become the owner");
    }

    /** Takes the lock if that is possible right now (it is free, or the caller holds it); never waits. */
    public boolean tryLock() {
        throw new UnsupportedOperationException("RLock.tryLock() is not written yet: like lock(), but return false"
                + " instead of waiting when another thread holds the lock");
    }

    /**
     * Like {@link #lock()}, but waits at most {@code timeout} and returns {@code false} if another
     * thread still holds the lock then. Throws {@link InterruptedException} if the calling thread
     * is interrupted before or while it waits.
     */
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        throw new UnsupportedOperationException("RLock.tryLock(timeout, unit) is not written yet: wait at most"
                + " the timeout for the lock, and give up with InterruptedException when interrupted");
    }

    /**
     * Gives back one hold; the last one frees the lock for the other threads. A thread that does
     * not hold the lock gets an {@link IllegalMonitorStateException}, and the lock does not change.
     */
    public void unlock() {
        throw new UnsupportedOperationException("RLock.unlock() is not written yet: only the owner may unlock;"
                + " the lock is free again only after the owner's last unlock");
    }

    /** Whether the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        throw new UnsupportedOperationException("RLock.isHeldByCurrentThread() is not written yet");
    }

    /** How many times the calling thread holds the lock: 0 when it does not hold it. */
    public int getHoldCount() {
        throw new UnsupportedOperationException("RLock.getHoldCount() is not written yet");
    }
}
