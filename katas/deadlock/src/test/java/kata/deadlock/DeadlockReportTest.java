package kata.deadlock;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import kata.support.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks the test helper, not your code: a deadlock made on purpose must fail fast, with a
 * report that names the cycle. (This is the report the other tests give when Bank deadlocks.)
 */
class DeadlockReportTest {
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("the test helper reports a deadlock at once, naming who holds which lock and waits for which")
    void helperNamesTheCycle() {
        Object x = new Object();
        Object y = new Object();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Runnable xThenY = () -> lockBoth(x, y, bothHoldOne);
        Runnable yThenX = () -> lockBoth(y, x, bothHoldOne);
        long start = System.nanoTime();
        AssertionError report = assertThrows(AssertionError.class, () ->
                Threads.run("deadlock", List.of(xThenY, yThenX), Duration.ofSeconds(20), Map.of(x, "lock X", y, "lock Y")));
        String m = report.getMessage();
        assertTrue(m.startsWith("DEADLOCK"), m);
        assertTrue(m.contains("\"deadlock-0\" holds lock X and waits for lock Y, held by \"deadlock-1\""), m);
        assertTrue(m.contains("\"deadlock-1\" holds lock Y and waits for lock X, held by \"deadlock-0\""), m);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(),
                "a deadlock must be reported as soon as the JVM sees it, not at the limit");
    }

    /** Takes {@code first}, waits until the other thread holds its first lock too, then takes {@code second}: a sure deadlock. */
    private static void lockBoth(Object first, Object second, CountDownLatch bothHoldOne) {
        synchronized (first) {
            bothHoldOne.countDown();
            try {
                bothHoldOne.await();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (second) {
                throw new AssertionError("unreachable: the other thread holds this lock and waits for ours");
            }
        }
    }
}
