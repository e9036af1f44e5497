package kata.event;

import static org.junit.jupiter.api.Assertions.assertTrue;

import kata.support.Threads;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Model checking: Lincheck runs each block under many thread interleavings, chosen
 * systematically, and prints the one that fails step by step. A waiter that can never be woken
 * is reported as a deadlock, with the interleaving that led there: read where set() ran while
 * the waiter was between its check of the flag and its wait.
 *
 * <p>Only the untimed methods are checked here: under the model checker {@code System.nanoTime()}
 * does not advance, so a timed wait would look like a hang. {@link EventTimedAwaitTest} checks
 * {@code await(timeout, unit)} on real threads.
 */
class EventLincheckTest {
    /** Interleavings explored per check. */
    private static final int INVOCATIONS = 50;

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: set() racing await(): the waiter always returns, whatever the interleaving (no lost wake-up)")
    void setRacesAwait() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Event e = new Event();
            boolean[] returned = new boolean[1];
            Threads.runInTwoThreads(() -> {
                try {
                    e.await();
                } catch (InterruptedException ex) {
                    throw new AssertionError(ex);
                }
                returned[0] = true;
            }, e::set);
            assertTrue(returned[0], "await() must return once set() was called");
            assertTrue(e.isSet(), "set() was called and nobody cleared the event: isSet() must be true");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: two waiters and this thread's set(): both waiters return, whatever the interleaving")
    void twoWaitersOneSet() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Event e = new Event();
            boolean[] returned = new boolean[2];
            Thread[] waiters = new Thread[2];
            for (int i = 0; i < 2; i++) {
                int index = i;
                waiters[i] = new Thread(() -> {
                    try {
                        e.await();
                    } catch (InterruptedException ex) {
                        throw new AssertionError(ex);
                    }
                    returned[index] = true;
                });
                waiters[i].start();
            }
            e.set();
            try {
                for (Thread t : waiters) t.join();
            } catch (InterruptedException ex) {
                throw new AssertionError(ex);
            }
            assertTrue(returned[0] && returned[1], "both waiters must return once set() was called");
        });
    }
}
