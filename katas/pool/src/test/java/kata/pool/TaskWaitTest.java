package kata.pool;

import static kata.pool.Pools.LIMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * get() and get(timeout) on real threads: each really blocks on a job held by a latch, and is then
 * released, timed out or interrupted. (Timed waits cannot be model-checked: under Lincheck the
 * clock does not move.)
 */
class TaskWaitTest {

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("get() blocks while the job runs, and returns its result once it finishes")
    void getBlocksUntilTheJobFinishes() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Task<String> task = pool.submit(() -> {
                Pools.gate(release);
                return "Foo";
            });
            Background<String> waiter = Background.start("waiter", task::get);
            Pools.untilBlocked(waiter.thread);
            assertFalse(waiter.finished(), "get() returned while the job was still running: it must wait for the result");
            assertFalse(task.isDone(), "isDone() must be false while the job still runs");
            release.countDown();
            assertEquals("Foo", waiter.outcome(LIMIT, "get(), after the job finished").value("get()"));
            assertTrue(task.isDone(), "isDone() must be true once get() returned the result");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("get(timeout) on a job that runs too long throws TimeoutException after about the timeout; the job goes on")
    void timedGetTimesOut() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Task<String> task = pool.submit(() -> {
                Pools.gate(release);
                return "late";
            });
            long start = System.nanoTime();
            Pools.Outcome<String> got = Pools.call("timed-get", LIMIT, () -> task.get(300, TimeUnit.MILLISECONDS));
            long waited = Pools.millisSince(start);
            assertTrue(got.thrown() instanceof TimeoutException, "get(300 ms) on a job that is still running must throw"
                    + " TimeoutException, but it " + (got.thrown() == null ? "returned " + got.value() : "threw " + got.thrown()));
            assertTrue(waited >= 250, "get(300 ms) gave up after " + waited + " ms: it must wait the whole timeout"
                    + " (a wait can return early: wait again for the time that is left)");
            assertFalse(task.isDone(), "a timed-out get() does not end the job: the task is still not done");
            release.countDown();
            assertEquals("late", Pools.value("get(5 s)", () -> task.get(5, TimeUnit.SECONDS)),
                    "after the timeout the job still finishes and get(timeout) returns its result");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("get(timeout) returns as soon as the job finishes, long before the timeout; get(0) on a done task returns its result")
    void timedGetIsReleasedByTheResult() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Task<Integer> task = pool.submit(() -> {
                Pools.gate(release);
                return 42;
            });
            assertThrowsTimeout(() -> task.get(0, TimeUnit.SECONDS), "get(0) on a running job must throw TimeoutException at once");
            Background<Integer> waiter = Background.start("timed-waiter", () -> task.get(20, TimeUnit.SECONDS));
            Pools.untilBlocked(waiter.thread);
            assertFalse(waiter.finished(), "get(20 s) returned while the job was still running");
            release.countDown();
            assertEquals(Integer.valueOf(42), waiter.outcome(LIMIT, "get(20 s), after the job finished").value("get(20 s)"));
            assertTrue(waiter.millis() < 10_000, "get(20 s) took " + waiter.millis() + " ms although the job finished"
                    + " at once: it must wake up when the result is there, not at the end of the timeout");
            assertEquals(Integer.valueOf(42), Pools.value("get(0)", () -> task.get(0, TimeUnit.SECONDS)),
                    "get(0) on a done task must return its result without waiting");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("an interrupted get() and get(timeout) throw InterruptedException promptly; the job still finishes")
    void getIsInterruptible() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Task<Integer> task = pool.submit(() -> {
                Pools.gate(release);
                return 7;
            });
            Background<Integer> plain = Background.start("get", task::get);
            Background<Integer> timed = Background.start("get-timeout", () -> task.get(30, TimeUnit.SECONDS));
            Pools.untilBlocked(plain.thread);
            Pools.untilBlocked(timed.thread);
            long interruptedAt = System.nanoTime();
            plain.thread.interrupt();
            timed.thread.interrupt();
            for (Background<Integer> b : java.util.List.of(plain, timed)) {
                String what = b == plain ? "get()" : "get(30 s)";
                Pools.Outcome<Integer> got = b.outcome(LIMIT, "an interrupted " + what);
                assertTrue(got.thrown() instanceof InterruptedException, "an interrupted " + what + " must throw"
                        + " InterruptedException, but it " + (got.thrown() == null ? "returned " + got.value() : "threw " + got.thrown()));
                long late = TimeUnit.NANOSECONDS.toMillis(b.endedAt - interruptedAt);
                assertTrue(late < 2_000, what + " threw InterruptedException " + late + " ms after the interrupt: it must be prompt");
            }
            assertFalse(task.isDone(), "interrupting a waiter must not end the job");
            release.countDown();
            assertEquals(Integer.valueOf(7), Pools.value("get()", task::get), "the job finishes normally after its waiters were interrupted");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    private static void assertThrowsTimeout(java.util.concurrent.Callable<?> call, String why) {
        Pools.Outcome<?> got = Pools.call("timed-get", Duration.ofSeconds(2), call);
        assertTrue(got.thrown() instanceof TimeoutException, why + ", but it "
                + (got.thrown() == null ? "returned " + got.value() : "threw " + got.thrown()));
    }
}
