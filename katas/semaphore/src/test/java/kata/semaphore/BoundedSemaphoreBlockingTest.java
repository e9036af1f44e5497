package kata.semaphore;

import static kata.support.Waits.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Every blocking way in, on real threads and the real clock: {@code acquire()} and
 * {@code tryAcquire(timeout)} really wait, and are then released, interrupted or time out.
 * (Lincheck cannot check timed waits: under its model checker {@code System.nanoTime()} does not
 * move. It also wakes waiting threads spuriously on its own, which hides a lost wake-up: so a
 * lost wake-up is tested here, with threads that really wait.) Nothing here sleeps to provoke a
 * race: the test's own thread takes the permits, then watches the waiters' states.
 */
class BoundedSemaphoreBlockingTest {
    private static final Duration LIMIT = Duration.ofSeconds(3);
    private static final long TIMEOUT_MS = 200;

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("acquire() with no free permit waits, and the next release() lets it in")
    void acquireWaitsForARelease() {
        BoundedSemaphore s = full(1);
        AtomicBoolean gotIn = new AtomicBoolean();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            acquire(s, "nobody interrupts it");
            gotIn.set(true);
        };
        Runnable releaser = () -> {
            Waits.untilBlocked(started(waiter));
            assertFalse(gotIn.get(), "acquire() returned although the only permit was taken: it must wait for a release()");
            s.release();
        };
        runWatched("acquire-then-release", s, List.of(waiting, releaser));
        assertTrue(gotIn.get(), "the waiter must get the permit that was released");
        assertEquals(0, s.availablePermits(), "the released permit went to the waiter: none is free");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("two threads wait in acquire(), one permit is released: exactly one gets in, the other goes on waiting")
    void oneReleaseLetsInOneWaiter() {
        BoundedSemaphore s = full(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        java.util.concurrent.CountDownLatch leave = new java.util.concurrent.CountDownLatch(1);
        java.util.function.Consumer<AtomicReference<Thread>> waiter = me -> {
            me.set(Thread.currentThread());
            acquire(s, "nobody interrupts it");
            inside.incrementAndGet();
            try {
                leave.await(); // bounded by the runner's limit
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            inside.decrementAndGet();
            s.release();
        };
        AtomicInteger sawInside = new AtomicInteger();
        AtomicInteger sawFree = new AtomicInteger();
        Runnable releaser = () -> {
            try {
                Waits.untilBlocked(started(first), started(second));
                s.release(); // one permit for two waiters
                assertTrue(Waits.until(Duration.ofMillis(2_000), () -> inside.get() >= 1), "a permit was released while two threads"
                        + " waited in acquire(), yet neither got in");
                // Watch for a while whether the second one gets in too: with a right semaphore it never does,
                // so this wait can only find a bug, never make a right answer fail.
                Waits.until(Duration.ofMillis(300), () -> inside.get() >= 2);
                sawInside.set(inside.get());
                sawFree.set(s.availablePermits());
            } finally {
                leave.countDown();
            }
        };
        runWatched("one-release-two-waiters", s, List.of(() -> waiter.accept(first), () -> waiter.accept(second), releaser));
        assertEquals(1, sawInside.get(), "ONE permit was released while two threads waited, yet " + sawInside.get()
                + " got in (free permits then: " + sawFree.get() + "). The woken threads took a permit without looking"
                + " again whether one was still free: a thread returning from wait() must check again (while, not if)");
        assertEquals(0, sawFree.get(), "one permit released and taken by one waiter: none may be free, but "
                + sawFree.get() + " were");
        assertEquals(1, s.availablePermits(), "both waiters got in in turn and released: the permit must be free");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("acquire() interrupted while waiting throws InterruptedException and takes no permit")
    void interruptedAcquireTakesNothing() {
        BoundedSemaphore s = full(1);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicLong interruptedAt = new AtomicLong(Long.MAX_VALUE);
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            long start = System.nanoTime();
            try {
                s.acquire();
            } catch (InterruptedException expected) {
                long late = Math.max(0, (System.nanoTime() - Math.max(start, interruptedAt.get())) / 1_000_000);
                assertTrue(late < 1_000, "InterruptedException came " + late + " ms after the interrupt: it must come promptly");
                return;
            }
            fail("acquire() was interrupted while it waited, yet it returned normally (after " + millisSince(start)
                    + " ms) with no permit free: it must throw InterruptedException");
        };
        Runnable interrupter = () -> {
            Waits.untilBlocked(started(waiter));
            interruptedAt.set(System.nanoTime());
            waiter.get().interrupt();
        };
        runWatched("interrupted-acquire", s, List.of(waiting, interrupter));
        assertEquals(0, s.availablePermits(), "the interrupted acquire() must take nothing and give nothing");
        s.release();
        assertEquals(1, s.availablePermits(), "after the owner's release() the one permit is free: the interrupted"
                + " waiter must not have taken it (or counted it twice)");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("a thread interrupted BEFORE acquire() or tryAcquire(timeout), with no free permit, gets InterruptedException")
    void interruptedBeforeTheCall() {
        BoundedSemaphore s = full(1);
        runWatched("interrupted-before", s, List.of(() -> {
            Thread.currentThread().interrupt();
            try {
                s.acquire();
                fail("acquire() by an interrupted thread, with no free permit, returned normally");
            } catch (InterruptedException expected) {
                // right
            }
            Thread.currentThread().interrupt();
            try {
                boolean got = s.tryAcquire(5, TimeUnit.SECONDS);
                fail("tryAcquire(5 s) by an interrupted thread, with no free permit, returned " + got
                        + " instead of throwing InterruptedException");
            } catch (InterruptedException expected) {
                // right
            }
        }));
        assertEquals(0, s.availablePermits(), "interrupted calls must take nothing");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("tryAcquire(timeout) with no free permit: false after about the timeout, nothing taken")
    void tryAcquireGivesUpAfterTheTimeout() {
        BoundedSemaphore s = full(2);
        runWatched("timed-waiter", s, List.of(() -> {
            long start = System.nanoTime();
            boolean got = tryAcquire(s, TIMEOUT_MS);
            long waited = millisSince(start);
            assertFalse(got, "tryAcquire(" + TIMEOUT_MS + " ms) returned true, but no permit was free and none was released");
            assertTrue(waited >= TIMEOUT_MS - 10, "tryAcquire(" + TIMEOUT_MS + " ms) gave up after " + waited
                    + " ms: it must wait (about) the whole timeout (a wait can end early: work out the time that is"
                    + " left and wait again)");
            assertTrue(waited < TIMEOUT_MS + 2_000, "tryAcquire(" + TIMEOUT_MS + " ms) returned after " + waited
                    + " ms: it must give up at about the timeout, not much later");
        }));
        assertEquals(0, s.availablePermits(), "a tryAcquire that timed out must take nothing");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("tryAcquire(timeout) gets a permit at once when one is free, and as soon as one is released while it waits")
    void tryAcquireGetsAReleasedPermit() {
        BoundedSemaphore s = new BoundedSemaphore(1);
        assertTrue(tryAcquire(s, 1_000), "tryAcquire(1 s) with a free permit must return true");
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicLong releasedAt = new AtomicLong();
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            boolean got = tryAcquire(s, 10_000);
            long late = millisSince(releasedAt.get());
            assertTrue(got, "a permit was released while tryAcquire(10 s) waited, yet it returned false");
            assertTrue(releasedAt.get() != 0, "tryAcquire(10 s) returned true before the permit was released");
            assertTrue(late < 1_500, "tryAcquire returned " + late + " ms after the release(): release must wake"
                    + " a waiting thread, not leave it to its timeout");
        };
        Runnable releaser = () -> {
            Waits.untilBlocked(started(waiter));
            releasedAt.set(System.nanoTime());
            s.release();
        };
        runWatched("timed-handover", s, List.of(waiting, releaser));
        assertEquals(0, s.availablePermits(), "the released permit went to the timed waiter");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("tryAcquire(timeout) interrupted while waiting throws InterruptedException and takes no permit")
    void interruptedTimedWaitTakesNothing() {
        BoundedSemaphore s = full(1);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            long start = System.nanoTime();
            try {
                boolean got = s.tryAcquire(10, TimeUnit.SECONDS);
                fail("tryAcquire(10 s) was interrupted while it waited, yet it returned " + got + " after "
                        + millisSince(start) + " ms instead of throwing InterruptedException");
            } catch (InterruptedException expected) {
                assertTrue(millisSince(start) < 5_000, "InterruptedException must come promptly, not at the end of the timeout");
            }
        };
        Runnable interrupter = () -> {
            Waits.untilBlocked(started(waiter));
            waiter.get().interrupt();
        };
        runWatched("interrupted-timed-waiter", s, List.of(waiting, interrupter));
        s.release();
        assertEquals(1, s.availablePermits(), "the interrupted tryAcquire(timeout) must not have taken the permit");
    }

    /**
     * A release() wakes a waiter, and that waiter leaves without the permit (it was interrupted in
     * the same moment, or its time ran out): then another waiting thread must get the permit.
     * With {@code notify()} the one wake-up goes to the leaving thread, and the thread that could
     * use the permit waits forever next to it.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("a wake-up is not lost when the woken timed waiter leaves: the other waiter gets the released permit")
    void noLostWakeUpWhenTheWokenWaiterLeaves() {
        for (int round = 0; round < 20; round++) {
            BoundedSemaphore s = full(1);
            AtomicReference<Thread> timed = new AtomicReference<>();
            AtomicReference<Thread> plain = new AtomicReference<>();
            AtomicReference<String> timedOutcome = new AtomicReference<>("still waiting");
            AtomicBoolean plainGotIn = new AtomicBoolean();
            Runnable timedWaiter = () -> {
                timed.set(Thread.currentThread());
                try {
                    if (s.tryAcquire(10, TimeUnit.SECONDS)) {
                        timedOutcome.set("got the permit");
                        s.release(); // passes it on to the other waiter
                    } else {
                        timedOutcome.set("returned false");
                    }
                } catch (InterruptedException e) {
                    timedOutcome.set("threw InterruptedException");
                }
            };
            Runnable plainWaiter = () -> {
                Waits.untilBlocked(started(timed)); // the timed waiter waits first
                plain.set(Thread.currentThread());
                acquire(s, "nobody interrupts it");
                plainGotIn.set(true);
                s.release();
            };
            Runnable releaser = () -> {
                Waits.untilBlocked(started(timed), started(plain));
                s.release();             // wakes a waiter...
                timed.get().interrupt(); // ...and the timed waiter leaves at once, if it was the one woken
            };
            String name = "round-" + round;
            try {
                Threads.run(name, List.of(timedWaiter, plainWaiter, releaser), LIMIT, Map.of(s, "the semaphore"));
            } catch (AssertionError e) {
                throw new AssertionError("LOST WAKE-UP in round " + round + ": one permit was released while two"
                        + " threads waited, a timed tryAcquire(10 s) (\"" + name + "-0\") and an acquire() (\""
                        + name + "-1\"); the timed waiter was interrupted right after the release and "
                        + timedOutcome.get() + ", so the acquire() should have got the permit. But it still waits, with "
                        + s.availablePermits() + " permit(s) free. A release() that wakes only one thread (notify)"
                        + " loses its wake-up when that thread leaves without the permit: wake them all, or pass the"
                        + " wake-up on.\n" + e.getMessage(), e);
            }
            assertTrue(plainGotIn.get(), "the acquire() waiter must get in");
            assertEquals(1, s.availablePermits(), "everybody released what they took: the permit must be free");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A semaphore with {@code permits} permits, all taken by the test's thread (with tryAcquire, which never waits). */
    private static BoundedSemaphore full(int permits) {
        BoundedSemaphore s = new BoundedSemaphore(permits);
        for (int i = 0; i < permits; i++) {
            assertTrue(s.tryAcquire(), "tryAcquire() on a semaphore with a free permit must succeed");
        }
        assertEquals(0, s.availablePermits(), "all " + permits + " permits taken: none free");
        return s;
    }

    /** The thread that {@code ref} will hold, once the task has set it (at most 1 s). */
    private static Thread started(AtomicReference<Thread> ref) {
        assertTrue(Waits.until(Duration.ofMillis(1_000), () -> ref.get() != null), "a test thread never started");
        return ref.get();
    }

    private static void runWatched(String name, BoundedSemaphore s, List<Runnable> tasks) {
        Threads.run(name, tasks, LIMIT, Map.of(s, "the semaphore"));
    }

    private static void acquire(BoundedSemaphore s, String why) {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            throw new AssertionError("acquire() threw InterruptedException, but " + why, e);
        }
    }

    private static boolean tryAcquire(BoundedSemaphore s, long millis) {
        try {
            return s.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError("tryAcquire(timeout) threw InterruptedException, but nobody interrupts it", e);
        }
    }
}
