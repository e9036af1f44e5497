package kata.rlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kata.support.Threads;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Model checking: Lincheck runs each block under many thread interleavings, chosen
 * systematically, and prints the one that breaks an assertion step by step. Read it to see
 * which thread got into the lock while which other thread was still inside.
 *
 * <p>Only the untimed methods ({@code lock}, {@code tryLock()}, {@code unlock}) are checked here:
 * under the model checker {@code System.nanoTime()} does not advance, so a timed wait would look
 * like a hang. {@link RLockTimeoutTest} checks {@code tryLock(timeout, unit)} on real threads, and
 * {@code RLockTest.everyWayInUnderContention} races every way in, timed ones included, on real threads.
 */
class RLockLincheckTest {
    /** Interleavings explored per check: the naive locks fail within 20; a correct lock costs about 1-2 s per check. */
    private static final int INVOCATIONS = 60;

    /** Plain fields, changed only while holding the lock: a lost update means two threads were inside at once. */
    private static final class Shared {
        final RLock lock = new RLock();
        int count;
        boolean ownerStillInside;
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: one thread lock()s, the other tryLock()s (else lock()s); each counts once inside: never both inside")
    void mutualExclusion() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Shared s = new Shared();
            Forked other = fork(() -> {
                s.lock.lock();
                s.count++;
                s.lock.unlock();
            });
            // tryLock() meets lock(); when it fails, lock() meets lock()
            Throwable mine = attempt(() -> {
                if (!s.lock.tryLock()) s.lock.lock();
                s.count++;
                s.lock.unlock();
            });
            List<Throwable> failures = other.join(mine);
            assertEquals(2, s.count, "two threads each did count++ while holding the lock (one took it with lock(), the"
                    + " other with tryLock(), or lock() when that failed), so count must be 2: an increment was lost"
                    + " because both threads were inside the lock at the same time. Every way in (lock(), tryLock(),"
                    + " tryLock(timeout)) must take the lock in one step that excludes all the others (under the same"
                    + " monitor, or by one compareAndSet): \"is it free? then it is mine\" in two steps lets two in");
            if (!failures.isEmpty() && failures.get(0) instanceof IllegalMonitorStateException e) {
                throw new AssertionError("unlock() threw " + e + " for a thread that had just taken the lock: the other"
                        + " thread had taken it over. Every way in must take the lock in one step that excludes the others", e);
            }
            rethrow(failures);
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: a thread waiting in lock() gets the lock only after the owner's LAST unlock")
    void waiterGetsItOnlyAfterTheLastUnlock() {
        requireReentrantTryLock();
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Shared s = new Shared();
            boolean[] waiterSawOwnerInside = new boolean[1];
            s.lock.lock();
            s.lock.lock();
            s.ownerStillInside = true;
            Forked waiter = fork(() -> {
                s.lock.lock();
                waiterSawOwnerInside[0] = s.ownerStillInside;
                s.lock.unlock();
            });
            Throwable mine = attempt(() -> {
                s.lock.unlock();             // one hold left: still the owner
                s.ownerStillInside = false;  // written while it still holds the lock once
                try {
                    s.lock.unlock();
                } catch (IllegalMonitorStateException e) {
                    throw new AssertionError("the owner took the lock twice, but its second unlock() threw " + e
                            + ": the first unlock already gave the lock away (count the holds, do not just flag them)", e);
                }
            });
            List<Throwable> failures = waiter.join(mine);
            assertFalse(waiterSawOwnerInside[0], "the waiter got the lock while the owner still held it once more:"
                    + " the owner's first unlock (of two) freed the lock; only the last unlock may");
            rethrow(failures);
        });
    }

    /**
     * Before model checking a scenario that re-enters the lock, make sure the owner can take it
     * again at all: a non-reentrant lock deadlocks every such interleaving, and this says why in one line.
     */
    private static void requireReentrantTryLock() {
        Threads.runConcurrently("reentrancy-check", 1, Duration.ofSeconds(4), i -> {
            RLock lock = new RLock();
            lock.lock();
            boolean again = lock.tryLock();
            assertTrue(again, "the thread that holds the lock called tryLock() and got false: the lock is not reentrant,"
                    + " so a thread that takes it twice (the story's run3 -> run1) would wait for itself forever;"
                    + " see RLockTest.holdCountsCountUpAndDown");
            lock.unlock();
            if (lock.isHeldByCurrentThread()) lock.unlock();
        });
    }

    /** Threads started by a Lincheck block, and what each one threw (plain arrays: less for the model checker to track). */
    private static final class Forked {
        final Thread[] threads;
        final Throwable[] thrown;

        Forked(int count) {
            threads = new Thread[count];
            thrown = new Throwable[count];
        }

        /**
         * Joins them all (under Lincheck a join cannot hang for real: a stuck thread is reported)
         * and returns what the block's own thread ({@code mine}, may be null) and they threw.
         */
        List<Throwable> join(Throwable mine) {
            try {
                for (Thread t : threads) t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            List<Throwable> failures = new ArrayList<>();
            if (mine != null) failures.add(mine);
            for (Throwable t : thrown) if (t != null) failures.add(t);
            return failures;
        }
    }

    private static Forked fork(Runnable... tasks) {
        Forked forked = new Forked(tasks.length);
        for (int i = 0; i < tasks.length; i++) {
            int index = i;
            forked.threads[i] = new Thread(() -> {
                try {
                    tasks[index].run();
                } catch (Throwable e) {
                    forked.thrown[index] = e;
                }
            });
            forked.threads[i].start();
        }
        return forked;
    }

    /** Runs {@code part} in this thread and returns what it threw, so the assertions can speak first. */
    private static Throwable attempt(Runnable part) {
        try {
            part.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    private static void rethrow(List<Throwable> failures) {
        if (failures.isEmpty()) return;
        Throwable first = failures.get(0);
        AssertionError error = first instanceof AssertionError a ? a : new AssertionError("a thread failed: " + first, first);
        for (int i = 1; i < failures.size(); i++) error.addSuppressed(failures.get(i));
        throw error;
    }
}
