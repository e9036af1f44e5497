package kata.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import kata.support.Threads;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Model checking: Lincheck runs each block under many thread interleavings, chosen
 * systematically instead of by luck. When one breaks an assertion, the failure prints that
 * interleaving step by step: read it to see exactly where an update is lost.
 */
class CounterLincheckTest {
    /** Interleavings explored per check: finds the race in the naive counters in well under a second. */
    private static final int INVOCATIONS = 500;

    @Test
    @DisplayName("Lincheck: two threads each decrement once, from 2 to 0 (the story in miniature)")
    void twoDecrements() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Counter num = new Counter(2);
            Threads.runInTwoThreads(num::decrement, num::decrement);
            assertEquals(0, num.get(), "two decrements from 2 must give 0: one of them was lost");
        });
    }

    @Test
    @DisplayName("Lincheck: an increment racing a decrement leaves the counter unchanged")
    void incrementRacesDecrement() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Counter num = new Counter(10);
            Threads.runInTwoThreads(num::increment, num::decrement);
            assertEquals(10, num.get(), "+1 and -1 from 10 must give 10: one update overwrote the other");
        });
    }

    @Test
    @DisplayName("Lincheck: get() after both threads finished sees both increments")
    void twoIncrements() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Counter num = new Counter();
            Threads.runInTwoThreads(num::increment, num::increment);
            assertEquals(2, num.get(), "two increments from 0 must give 2: one of them was lost");
        });
    }
}
