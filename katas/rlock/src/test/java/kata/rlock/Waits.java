package kata.rlock;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/** Bounded waits for the tests' own coordination (never for the lock under test). */
final class Waits {
    private Waits() {}

    /**
     * Waits (at most 1 s) until each thread in {@code refs} has been set and is blocked
     * (WAITING or TIMED_WAITING), i.e. parked inside the lock. An implementation that spins
     * never blocks: then the test goes on after 1 s anyway.
     */
    @SafeVarargs
    static void untilBlocked(AtomicReference<Thread>... refs) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (AtomicReference<Thread> ref : refs) {
                Thread t = ref.get();
                Thread.State s = t == null ? Thread.State.NEW : t.getState();
                all &= s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED;
            }
            if (all) return;
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Takes a free lock on the test's own thread with {@code tryLock()}, which never waits, so
     * the test's thread cannot hang here (only threads run through {@code Threads} may block).
     */
    static void takeFree(RLock lock) {
        assertTrue(lock.tryLock(), "tryLock() on a free lock must return true and take it");
    }

    static void await(CountDownLatch latch, Duration limit) {
        try {
            assertTrue(latch.await(limit.toMillis(), TimeUnit.MILLISECONDS), "another test thread never got going");
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        }
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
