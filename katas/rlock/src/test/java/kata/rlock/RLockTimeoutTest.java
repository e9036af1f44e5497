package kata.rlock;

import static kata.support.Waits.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * {@code tryLock(timeout, unit)} on real threads and the real clock. (Lincheck cannot check
 * these: under its model checker {@code System.nanoTime()} does not move, so every timed wait
 * looks like a hang there.) Nothing here sleeps to provoke a race: a thread holds the lock while
 * another one's timing is measured.
 */
class RLockTimeoutTest {
    private static final Duration LIMIT = Duration.ofSeconds(8);
    private static final long TIMEOUT_MS = 200;

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("tryLock(timeout) while another thread holds the lock: false, after about the timeout")
    void givesUpAfterAboutTheTimeout() {
        RLock lock = new RLock();
        RLocks.takeFree(lock); // held by this test's thread for the whole test
        Threads.runConcurrently("waiter", 1, LIMIT, i -> {
            long start = System.nanoTime();
            boolean got = tryLock(lock, TIMEOUT_MS, "nobody interrupts it");
            long waited = millisSince(start);
            if (got) lock.unlock();
            assertFalse(got, "tryLock(" + TIMEOUT_MS + " ms) returned true while another thread held the lock");
            assertTrue(waited >= TIMEOUT_MS - 10, "tryLock(" + TIMEOUT_MS + " ms) gave up after " + waited
                    + " ms: it must wait (about) the whole timeout before returning false (a wait can end early:"
                    + " work out the time that is left and wait again)");
            assertTrue(waited < TIMEOUT_MS + 2_000, "tryLock(" + TIMEOUT_MS + " ms) returned after " + waited
                    + " ms: it must give up at about the timeout, not much later");
            assertEquals(0, lock.getHoldCount(), "a tryLock that returned false must leave the thread holding nothing");
        });
        assertTrue(lock.isHeldByCurrentThread(), "the waiter's failed tryLock must not take the lock from its owner");
        lock.unlock();
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("tryLock(timeout) on a free lock succeeds, and again for the owner (reentrant)")
    void takesAFreeLockAtOnce() {
        RLock lock = new RLock();
        Threads.runConcurrently("taker", 1, LIMIT, i -> {
            assertTrue(tryLock(lock, 1_000, "the lock is free"), "tryLock(1 s) on a free lock must return true");
            long start = System.nanoTime();
            boolean again = tryLock(lock, 1_000, "the caller owns it");
            assertTrue(again, "the thread that holds the lock called tryLock(1 s) again and got false after "
                    + millisSince(start) + " ms: it waited for ITSELF to let go. The lock is not reentrant;"
                    + " the owner must get it again at once");
            assertEquals(2, lock.getHoldCount(), "two successful tryLock(timeout) calls: hold count 2");
            lock.unlock();
            lock.unlock();
            assertFalse(lock.isHeldByCurrentThread(), "two holds, two unlocks: the lock must be free");
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("tryLock(timeout) gets the lock as soon as the owner's last unlock frees it, before the timeout")
    void getsTheLockWhenReleasedInTime() {
        RLock lock = new RLock();
        CountDownLatch ownerHolds = new CountDownLatch(1);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicLong releasedAt = new AtomicLong(); // when the owner's last unlock began; 0 before
        Runnable owner = () -> {
            boolean twice;
            try {
                lock.lock();
                twice = lock.tryLock();
                if (!twice) lock.unlock(); // let the waiter go on instead of waiting out its timeout
            } finally {
                ownerHolds.countDown(); // even when it failed: the waiter then fails fast instead of waiting
            }
            assertTrue(twice, "the owner's tryLock() must succeed: the lock is reentrant");
            Waits.untilBlocked(waiter);
            lock.unlock(); // not the last unlock: the waiter must go on waiting
            releasedAt.set(System.nanoTime());
            lock.unlock();
        };
        Runnable waiting = () -> {
            Waits.await(ownerHolds, LIMIT);
            waiter.set(Thread.currentThread());
            boolean got = tryLock(lock, 5_000, "nobody interrupts it");
            long returned = System.nanoTime();
            assertTrue(got, "the owner released the lock well within the 5 s timeout, yet tryLock returned false");
            assertTrue(releasedAt.get() != 0, "the waiter got the lock while the owner still held it once:"
                    + " the owner's first unlock (of two) freed the lock");
            long late = (returned - releasedAt.get()) / 1_000_000;
            assertTrue(late < 1_500, "tryLock returned " + late + " ms after the owner's last unlock: unlock must wake"
                    + " the threads waiting for the lock, not leave them to their timeout");
            assertEquals(1, lock.getHoldCount(), "the waiter got the lock once: hold count 1");
            lock.unlock();
        };
        Threads.run("handover", List.of(owner, waiting), LIMIT, Map.of(lock, "the RLock"));
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("tryLock(timeout) honours interrupts: before the call and while waiting, it throws InterruptedException")
    void honoursInterrupts() {
        RLock lock = new RLock();
        RLocks.takeFree(lock); // held by this test's thread for the whole test
        Threads.runConcurrently("interrupted-before", 1, LIMIT, i -> {
            Thread.currentThread().interrupt();
            expectInterrupted(lock, new AtomicLong(System.nanoTime()), "the thread was interrupted before it called tryLock(5 s)");
        });
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicLong interruptedAt = new AtomicLong(Long.MAX_VALUE);
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            expectInterrupted(lock, interruptedAt, "the thread was interrupted while it waited in tryLock(5 s)");
        };
        Runnable interrupter = () -> {
            Waits.untilBlocked(waiter);
            interruptedAt.set(System.nanoTime());
            waiter.get().interrupt();
        };
        Threads.run("interrupted-while-waiting", List.of(waiting, interrupter), LIMIT, Map.of(lock, "the RLock"));
        assertTrue(lock.isHeldByCurrentThread(), "an interrupted waiter must not take the lock from its owner");
        lock.unlock();
    }

    // ---------------------------------------------------------------- helpers

    /** tryLock(5 s) on a lock held by another thread, expecting InterruptedException soon after {@code interruptedAt}. */
    private static void expectInterrupted(RLock lock, AtomicLong interruptedAt, String situation) {
        long start = System.nanoTime();
        boolean got;
        try {
            got = lock.tryLock(5, TimeUnit.SECONDS);
        } catch (InterruptedException expected) {
            long late = Math.max(0, (System.nanoTime() - Math.max(start, interruptedAt.get())) / 1_000_000);
            assertTrue(late < 1_000, situation + ": InterruptedException came " + late + " ms after the interrupt;"
                    + " it must come promptly, not at the end of the timeout");
            assertEquals(0, lock.getHoldCount(), "an interrupted tryLock must leave the thread holding nothing");
            return;
        }
        if (got) lock.unlock();
        fail(situation + ", yet tryLock returned " + got + " after " + millisSince(start)
                + " ms instead of throwing InterruptedException");
    }

    private static boolean tryLock(RLock lock, long millis, String why) {
        try {
            return lock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError("tryLock(timeout) threw InterruptedException, but " + why, e);
        }
    }
}
