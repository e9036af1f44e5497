package kata.semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kata.support.Threads;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Model checking: Lincheck runs each block under many thread interleavings, chosen
 * systematically, and prints the one that breaks an assertion step by step. Read it to see which
 * thread took a permit while which other thread was between its check and its update.
 *
 * <p>Only the untimed methods are checked here ({@code acquire}, {@code tryAcquire()},
 * {@code release}, {@code availablePermits}): under the model checker {@code System.nanoTime()}
 * does not advance, so a timed wait would look like a hang. {@link BoundedSemaphoreBlockingTest}
 * checks {@code tryAcquire(timeout, unit)} on real threads.
 */
class BoundedSemaphoreLincheckTest {
    /** Interleavings explored per check: the naive semaphores fail within a few dozen. */
    private static final int INVOCATIONS = 60;

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: two tryAcquire() race for the last permit: exactly one gets it")
    void twoTryAcquiresOnePermit() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            BoundedSemaphore s = new BoundedSemaphore(1);
            boolean[] got = new boolean[2];
            Threads.runInTwoThreads(() -> got[0] = s.tryAcquire(), () -> got[1] = s.tryAcquire());
            assertFalse(got[0] && got[1], "two threads both got the only permit: \"is one free? then take it\" must be"
                    + " one step, or both see it free before either takes it");
            assertTrue(got[0] || got[1], "one permit was free, yet neither tryAcquire() got it");
            assertEquals(0, s.availablePermits(), "the one permit was taken: none may be free");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: tryAcquire() races release(): the permit is either taken or free, never lost or doubled")
    void tryAcquireRacesRelease() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            BoundedSemaphore s = new BoundedSemaphore(2);
            s.tryAcquire(); // one of two taken by this thread
            boolean[] got = new boolean[1];
            Threads.runInTwoThreads(s::release, () -> got[0] = s.tryAcquire());
            assertTrue(got[0], "one permit was free all along, yet tryAcquire() returned false");
            assertEquals(1, s.availablePermits(), "1 free, then a release (+1) and a successful tryAcquire (-1):"
                    + " 1 must be free; an update was lost");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: two release() race when only one permit is out: exactly one throws IllegalStateException")
    void twoReleasesOneTaken() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            BoundedSemaphore s = new BoundedSemaphore(2);
            s.tryAcquire(); // one permit out, so only one release() may succeed
            boolean[] refused = new boolean[2];
            Threads.runInTwoThreads(() -> refused[0] = refusedRelease(s), () -> refused[1] = refusedRelease(s));
            assertTrue(refused[0] || refused[1], "one permit was out, yet two release() calls both succeeded: the semaphore"
                    + " now says " + s.availablePermits() + " of 2 permits are free. \"Is it below the bound? then add one\""
                    + " must be one step, and the bound must be checked at all");
            assertFalse(refused[0] && refused[1], "one permit was out, yet both release() calls were refused");
            assertEquals(2, s.availablePermits(), "after the one accepted release both permits are free");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: acquire() waits while the only permit is taken and gets it after release()")
    void acquireWaitsForRelease() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            BoundedSemaphore s = new BoundedSemaphore(1);
            int[] inside = new int[1];
            boolean[] twoInside = new boolean[1];
            Runnable holder = () -> {
                if (!s.tryAcquire()) return; // the other thread was first: nothing to check for this one
                if (++inside[0] > 1) twoInside[0] = true;
                inside[0]--;
                s.release();
            };
            Runnable waiter = () -> {
                try {
                    s.acquire();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (++inside[0] > 1) twoInside[0] = true;
                inside[0]--;
                s.release();
            };
            Threads.runInTwoThreads(holder, waiter);
            assertFalse(twoInside[0], "two threads were inside at once with a semaphore of 1 permit: acquire() returned"
                    + " while the permit was taken. A thread that wakes up from wait() must look again whether a"
                    + " permit is free (a while loop, not an if): wake-ups come without a permit too");
            assertEquals(1, s.availablePermits(), "both threads gave their permit back: it must be free");
        });
    }

    private static boolean refusedRelease(BoundedSemaphore s) {
        try {
            s.release();
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
