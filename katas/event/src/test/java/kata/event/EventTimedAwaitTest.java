package kata.event;

import static kata.support.Waits.millisSince;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * {@code await(timeout, unit)} on real threads and the real clock. (Lincheck cannot check it:
 * under its model checker {@code System.nanoTime()} does not move, so a timed wait looks hung.)
 */
class EventTimedAwaitTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final long TIMEOUT_MS = 200;

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("await(timeout) on a clear event that nobody sets: false, after about the timeout")
    void falseAfterTheTimeout() {
        Event e = new Event();
        Threads.run("timed-waiter", List.of(() -> {
            long start = System.nanoTime();
            boolean result = await(e, TIMEOUT_MS);
            long waited = millisSince(start);
            assertFalse(result, "await(" + TIMEOUT_MS + " ms) returned true after " + waited + " ms, but nobody set"
                    + " the event: the result must say whether the event is set, and it is not");
            assertTrue(waited >= TIMEOUT_MS - 10, "await(" + TIMEOUT_MS + " ms) gave up after " + waited + " ms:"
                    + " it must wait (about) the whole timeout (a wait can end early: work out the time left and wait again)");
            assertTrue(waited < TIMEOUT_MS + 2_000, "await(" + TIMEOUT_MS + " ms) returned after " + waited
                    + " ms: it must give up at about the timeout, not much later");
        }), LIMIT, Map.of(e, "the event"));
        assertFalse(e.isSet(), "a timed-out await must not change the flag");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("await(timeout) on a set event: true at once")
    void trueAtOnceWhenSet() {
        Event e = new Event();
        e.set();
        Threads.run("timed-waiter", List.of(() -> {
            long start = System.nanoTime();
            assertTrue(await(e, 5_000), "await(5 s) on a set event must return true");
            assertTrue(millisSince(start) < 2_000, "await(5 s) on a set event must return at once, not after "
                    + millisSince(start) + " ms");
        }), LIMIT, Map.of(e, "the event"));
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("two threads wait in await(10 s); set() releases both at once, and both get true")
    void trueSoonAfterSet() {
        Event e = new Event();
        List<AtomicReference<Thread>> waiters = List.of(new AtomicReference<>(), new AtomicReference<>());
        AtomicLong setAt = new AtomicLong();
        List<Runnable> tasks = new ArrayList<>();
        for (AtomicReference<Thread> me : waiters) {
            tasks.add(() -> {
                me.set(Thread.currentThread());
                boolean result = await(e, 10_000);
                assertTrue(setAt.get() != 0, "await(10 s) returned before set() was called");
                long late = millisSince(setAt.get());
                assertTrue(result, "the event was set while await(10 s) waited, yet it returned false");
                assertTrue(late < 1_500, "await(10 s) returned " + late + " ms after set(): set() must wake the"
                        + " waiting threads (all of them), not leave them to their timeout");
            });
        }
        tasks.add(() -> {
            Waits.untilBlocked(EventTest.started(waiters));
            setAt.set(System.nanoTime());
            e.set();
        });
        Threads.run("timed-waiter", tasks, LIMIT, Map.of(e, "the event"));
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("await(timeout) interrupted while waiting throws InterruptedException")
    void interruptedTimedAwaitThrows() {
        Event e = new Event();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            long start = System.nanoTime();
            try {
                boolean result = e.await(10, TimeUnit.SECONDS);
                fail("await(10 s) was interrupted while it waited, yet it returned " + result + " after "
                        + millisSince(start) + " ms instead of throwing InterruptedException");
            } catch (InterruptedException expected) {
                assertTrue(millisSince(start) < 5_000, "InterruptedException must come promptly, not at the end of the timeout");
            }
        };
        Runnable interrupter = () -> {
            Waits.untilBlocked(EventTest.started(List.of(waiter)));
            waiter.get().interrupt();
        };
        Threads.run("interrupted-timed-await", List.of(waiting, interrupter), LIMIT, Map.of(e, "the event"));
    }

    private static boolean await(Event e, long millis) {
        try {
            return e.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            throw new AssertionError("await(timeout) threw InterruptedException, but nobody interrupts it", ex);
        }
    }
}
