package kata.rlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The story on real threads, then the contract one method at a time. Every test that can hang
 * runs its threads through {@link Threads} (via {@link WatchedLock}) with a limit, so a hang
 * fails with a diagnosis; {@code @Timeout} is only the backstop.
 */
class RLockTest {
    /** Generous: the reference needs milliseconds. Only a hang ever waits this long. */
    private static final Duration LIMIT = Duration.ofSeconds(2);

    /** The story's shared state: two counters, each changed only while holding the lock. */
    private static final class Story {
        final WatchedLock lock = new WatchedLock();
        int num1;
        int num2;

        void run1() {
            lock.lock("run1");
            num1++;
            lock.unlock();
        }

        void run2() {
            lock.lock("run2");
            num2++;
            lock.unlock();
        }

        void run3() {
            lock.lock("run3");
            run1(); // takes the same lock again, while run3 still holds it
            run2();
            lock.unlock();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story: 10 threads run run3, which holds the lock and calls run1 and run2: both counters end at 10")
    void storyTenThreadsRunRun3() {
        Story story = new Story();
        story.lock.run("run3", 10, LIMIT, i -> story.run3());
        assertEquals(10, story.num1, "10 threads each ran run1 once under the lock: num1 must be 10");
        assertEquals(10, story.num2, "10 threads each ran run2 once under the lock: num2 must be 10");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("one thread: every lock/tryLock counts one hold, every unlock gives one back")
    void holdCountsCountUpAndDown() {
        WatchedLock watched = new WatchedLock();
        RLock lock = watched.lock;
        watched.run("holder", 1, LIMIT, i -> {
            assertEquals(0, lock.getHoldCount(), "a new lock: nobody holds it, so getHoldCount() is 0");
            assertFalse(lock.isHeldByCurrentThread(), "a new lock is not held by anybody");
            watched.lock("holdCountsCountUpAndDown");
            assertEquals(1, lock.getHoldCount(), "after one lock(): hold count 1");
            assertTrue(lock.isHeldByCurrentThread(), "after lock() the thread holds the lock");
            watched.lock("holdCountsCountUpAndDown, again");
            assertEquals(2, lock.getHoldCount(), "the owner called lock() twice: hold count 2");
            assertTrue(lock.tryLock(), "tryLock() by the owner must succeed: the owner may always take it again");
            assertEquals(3, lock.getHoldCount(), "lock, lock, tryLock: hold count 3");
            try {
                assertTrue(lock.tryLock(1, TimeUnit.SECONDS), "tryLock(timeout) by the owner must succeed at once");
            } catch (InterruptedException e) {
                throw new AssertionError("tryLock(timeout) threw InterruptedException, but nobody interrupted the thread", e);
            }
            assertEquals(4, lock.getHoldCount(), "lock, lock, tryLock, tryLock(timeout): hold count 4");
            for (int left = 3; left >= 0; left--) {
                lock.unlock();
                assertEquals(left, lock.getHoldCount(), "each unlock() gives back exactly one hold");
                assertEquals(left > 0, lock.isHeldByCurrentThread(), left > 0
                        ? "the owner still holds the lock " + left + " time(s): it must still be held"
                        : "after the last unlock() the lock is free, so the thread no longer holds it");
            }
        });
        Threads.runConcurrently("other", 1, LIMIT, i -> {
            assertTrue(lock.tryLock(), "after 4 holds and 4 unlocks the lock must be free for another thread");
            lock.unlock();
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("unlock() by a thread that does not hold the lock throws IllegalMonitorStateException and changes nothing")
    void unlockByNonOwnerThrowsAndChangesNothing() {
        RLock lock = new RLock();
        expectIllegalMonitorState(lock::unlock, "unlock() of a lock nobody holds");

        RLocks.takeFree(lock); // this test's thread is the owner, twice
        assertTrue(lock.tryLock(), "the owner's tryLock() must succeed: the lock is reentrant");
        Threads.runConcurrently("intruder", 1, LIMIT, i -> {
            assertEquals(0, lock.getHoldCount(), "getHoldCount() is 0 for a thread that does not hold the lock");
            assertFalse(lock.isHeldByCurrentThread(), "another thread holds the lock, not this one");
            expectIllegalMonitorState(lock::unlock, "unlock() by a thread that does not hold the lock");
            assertFalse(lock.tryLock(), "the failed unlock() must not release the owner's lock, but tryLock() took it");
        });
        assertEquals(2, lock.getHoldCount(), "another thread's failed unlock() must not change the owner's hold count");
        assertTrue(lock.isHeldByCurrentThread(), "another thread's failed unlock() must leave the owner holding the lock");

        lock.unlock();
        lock.unlock();
        assertEquals(0, lock.getHoldCount(), "two holds, two unlocks: free");
        expectIllegalMonitorState(lock::unlock, "a third unlock() after two holds");
        Threads.runConcurrently("next", 1, LIMIT, i -> {
            assertTrue(lock.tryLock(), "after the owner's last unlock another thread must get the lock");
            lock.unlock();
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("two threads wait in lock(); the owner's unlock lets exactly one of them in")
    void oneUnlockLetsInOnlyOneWaiter() {
        Duration limit = Duration.ofSeconds(6); // room for Waits.untilBlocked's 1 s when the lock spins instead of blocking
        RLock lock = new RLock();
        CountDownLatch ownerHolds = new CountDownLatch(1);
        List<AtomicReference<Thread>> waiters = List.of(new AtomicReference<>(), new AtomicReference<>());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        List<Runnable> tasks = new ArrayList<>();
        tasks.add(() -> {
            try {
                lock.lock();
            } finally {
                ownerHolds.countDown();
            }
            Waits.untilBlocked(waiters.get(0), waiters.get(1)); // both are waiting inside lock() now
            lock.unlock();
        });
        for (AtomicReference<Thread> me : waiters) {
            tasks.add(() -> {
                Waits.await(ownerHolds, limit);
                me.set(Thread.currentThread());
                lock.lock();
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                if (entered.incrementAndGet() == 1) {
                    // The first one in stays up to 500 ms: if the same unlock let the other waiter in too, it
                    // arrives within microseconds; with a correct lock it cannot arrive while this one is inside.
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    while (inside.get() < 2 && System.nanoTime() < until) LockSupport.parkNanos(1_000_000);
                }
                inside.decrementAndGet();
                lock.unlock();
            });
        }
        RuntimeException thrown = null;
        try {
            Threads.run("one-unlock", tasks, limit, Map.of(lock, "the RLock"));
        } catch (IllegalMonitorStateException e) {
            thrown = e; // two owners: one of them is told it does not hold the lock; report the cause first
        }
        assertEquals(1, mostInside.get(), "one unlock woke both waiting threads and BOTH went in: a thread that"
                + " wakes up in lock() must check again whether the lock is free (another thread may have taken"
                + " it first), and wait again if not");
        if (thrown != null) throw thrown;
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("4 threads take the lock by every way in (lock, tryLock, tryLock(timeout)) for 0.2 s: never two inside at once")
    void everyWayInUnderContention() {
        String[] ways = {"lock()", "tryLock()", "tryLock(20 ms)"};
        RLock lock = new RLock();
        AtomicReference<String> insideNow = new AtomicReference<>();
        AtomicReference<String> overlap = new AtomicReference<>();
        AtomicInteger entries = new AtomicInteger();
        int[] count = new int[1]; // plain: changed only while holding the lock
        Threads.runConcurrently("way-in", 4, LIMIT, Map.of(lock, "the RLock"), i -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            for (int round = i; System.nanoTime() < end && overlap.get() == null; round++) {
                String way = ways[round % ways.length];
                boolean got;
                switch (round % ways.length) {
                    case 0 -> { lock.lock(); got = true; }
                    case 1 -> got = lock.tryLock();
                    default -> got = tryLockFor(lock, 20);
                }
                if (!got) continue;
                String me = Thread.currentThread().getName() + " (in by " + way + ")";
                String other = insideNow.getAndSet(me);
                if (other != null) {
                    overlap.compareAndSet(null, me + " got the lock while " + other + " was still inside");
                }
                count[0]++;
                entries.incrementAndGet();
                insideNow.compareAndSet(me, null);
                try {
                    lock.unlock();
                } catch (IllegalMonitorStateException e) {
                    overlap.compareAndSet(null, me + " could not unlock (" + e.getMessage() + "): another thread had"
                            + " taken the lock while it was inside");
                    return;
                }
            }
        });
        if (overlap.get() != null) fail(overlap.get() + ": two threads held the lock at once. Every way in"
                + " (lock(), tryLock(), tryLock(timeout)) must take the lock in one step that excludes all the others"
                + " (under the same monitor, or by one compareAndSet)");
        assertEquals(entries.get(), count[0], "each of the " + entries.get() + " times a thread got the lock it did"
                + " count++, so count must be " + entries.get() + ": increments were lost, so two threads were inside at once");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("lock() is not interruptible: an interrupted waiter keeps waiting, gets the lock after the unlock, and keeps its interrupt")
    void lockKeepsWaitingWhenInterrupted() {
        RLock lock = new RLock();
        CountDownLatch ownerHolds = new CountDownLatch(1);
        CountDownLatch waiterReturned = new CountDownLatch(1);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicReference<String> wrong = new AtomicReference<>();
        boolean[] released = new boolean[1];
        Runnable owner = () -> {
            try {
                lock.lock();
            } finally {
                ownerHolds.countDown();
            }
            Waits.untilBlocked(waiter);
            waiter.get().interrupt();
            try { // a window to see a wrong lock() return; a right one stays blocked, and the test goes on after it
                if (waiterReturned.await(200, TimeUnit.MILLISECONDS)) {
                    wrong.compareAndSet(null, "lock() returned after the waiting thread was interrupted, while another"
                            + " thread still held the lock: lock() cannot give up (it has no InterruptedException and"
                            + " no false to return), so it must remember the interrupt and keep waiting");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            synchronized (released) {
                released[0] = true;
            }
            try {
                lock.unlock();
            } catch (IllegalMonitorStateException e) {
                wrong.compareAndSet(null, "the owner's unlock() threw " + e.getMessage() + ": the interrupted waiter"
                        + " took the lock from it. lock() must keep waiting when interrupted");
            }
        };
        Runnable waiting = () -> {
            Waits.await(ownerHolds, LIMIT);
            waiter.set(Thread.currentThread());
            lock.lock();
            waiterReturned.countDown();
            boolean interrupted = Thread.interrupted();
            boolean afterRelease;
            synchronized (released) {
                afterRelease = released[0];
            }
            if (!afterRelease) {
                wrong.compareAndSet(null, "lock() returned after the waiting thread was interrupted, while another"
                        + " thread still held the lock: it must keep waiting");
            } else if (!interrupted) {
                wrong.compareAndSet(null, "the thread was interrupted while it waited in lock(), but when lock()"
                        + " returned its interrupt flag was clear: lock() swallowed the interrupt. Keep waiting, but"
                        + " set the flag again (Thread.currentThread().interrupt()) before returning");
            }
            try {
                lock.unlock();
            } catch (IllegalMonitorStateException e) {
                // reported above: it got in while the owner held the lock
            }
        };
        Threads.run("interrupted-lock", List.of(owner, waiting), Duration.ofSeconds(6), Map.of(lock, "the RLock"));
        if (wrong.get() != null) fail(wrong.get());
    }

    private static boolean tryLockFor(RLock lock, long millis) {
        try {
            return lock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError("tryLock(timeout) threw InterruptedException, but nobody interrupted the thread", e);
        }
    }

    private static void expectIllegalMonitorState(Runnable unlock, String what) {
        try {
            unlock.run();
        } catch (IllegalMonitorStateException expected) {
            return;
        }
        fail(what + " must throw IllegalMonitorStateException, but returned normally: a lock that lets a thread"
                + " release what it does not hold lets it break another thread's critical section");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("the lock is free for other threads only after the owner's last unlock")
    void otherThreadsGetItOnlyAfterTheLastUnlock() {
        RLock lock = new RLock();
        RLocks.takeFree(lock);
        assertTrue(lock.tryLock(), "the owner's tryLock() must succeed: the lock is reentrant");
        assertTrue(lock.tryLock(), "the owner's second tryLock() must succeed too");
        for (int holds = 3; holds >= 1; holds--) {
            int held = holds;
            Threads.runConcurrently("probe", 1, LIMIT, i -> {
                boolean got = lock.tryLock();
                if (got) lock.unlock();
                assertFalse(got, "the owner still holds the lock " + held + " time(s), yet another thread's tryLock()"
                        + " got it: " + (held < 3 ? "an unlock() that was not the last one freed the lock"
                        : "the owner's holds do not keep others out"));
            });
            lock.unlock();
        }
        Threads.runConcurrently("probe", 1, LIMIT, i -> {
            assertTrue(lock.tryLock(), "after the owner's last unlock() the lock must be free for another thread");
            lock.unlock();
        });
    }
}
