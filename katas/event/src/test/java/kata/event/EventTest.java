package kata.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The contract of {@code set}, {@code clear}, {@code isSet} and {@code await()}, with threads
 * that really wait. (Lincheck wakes waiting threads spuriously on its own, which would hide a
 * lost wake-up: so "every waiter wakes" is tested here, on real threads.) Nothing sleeps to
 * provoke a race: the test's thread waits until the waiters are blocked, then acts.
 */
class EventTest {
    private static final Duration LIMIT = Duration.ofSeconds(3);

    @Test
    @DisplayName("one thread: a new event is clear; set() and clear() switch isSet(); await() on a set event returns at once")
    void oneThread() throws InterruptedException {
        Event e = new Event();
        assertFalse(e.isSet(), "a new event must be clear");
        e.set();
        assertTrue(e.isSet(), "after set() isSet() must be true");
        e.set();
        assertTrue(e.isSet(), "set() twice: still set");
        e.await(); // set: must not wait
        assertTrue(e.await(0, TimeUnit.MILLISECONDS), "await(0 ms) on a set event must return true");
        e.clear();
        assertFalse(e.isSet(), "after clear() isSet() must be false");
        e.clear();
        assertFalse(e.isSet(), "clear() twice: still clear");
        assertFalse(e.await(0, TimeUnit.MILLISECONDS), "await(0 ms) on a clear event must return false");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("three threads wait in await(); ONE set() releases all three")
    void setReleasesEveryWaiter() {
        Event e = new Event();
        int waiters = 3;
        List<AtomicReference<Thread>> threads = new ArrayList<>();
        AtomicInteger returned = new AtomicInteger();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            AtomicReference<Thread> me = new AtomicReference<>();
            threads.add(me);
            tasks.add(() -> {
                me.set(Thread.currentThread());
                await(e);
                returned.incrementAndGet();
            });
        }
        tasks.add(() -> {
            Waits.untilBlocked(started(threads));
            assertEquals(0, returned.get(), "await() returned although nobody had called set()");
            e.set();
        });
        try {
            Threads.run("waiter", tasks, LIMIT, Map.of(e, "the event"));
        } catch (AssertionError failure) {
            throw new AssertionError("LOST WAKE-UPS: " + waiters + " threads waited in await(), set() was called once,"
                    + " and only " + returned.get() + " of them returned. set() must release EVERY waiting thread"
                    + " (notifyAll, not notify: notify wakes just one).\n" + failure.getMessage(), failure);
        }
        assertEquals(waiters, returned.get(), "every waiter must return after set()");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("after set() then clear(), a thread that calls await() waits, until the next set()")
    void waiterAfterClearWaits() {
        Event e = new Event();
        e.set();
        e.clear();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicBoolean returned = new AtomicBoolean();
        AtomicBoolean returnedEarly = new AtomicBoolean();
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            await(e);
            returned.set(true);
        };
        Runnable setter = () -> {
            Waits.untilBlocked(started(List.of(waiter)));
            returnedEarly.set(returned.get());
            e.set();
        };
        Threads.run("after-clear", List.of(waiting, setter), LIMIT, Map.of(e, "the event"));
        assertFalse(returnedEarly.get(), "await() returned at once although the event had been cleared: a cleared"
                + " event must make new waiters wait (the flag was set once, but it is down now)");
        assertTrue(returned.get(), "the next set() must release the waiter");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("await() interrupted while waiting throws InterruptedException")
    void interruptedAwaitThrows() {
        Event e = new Event();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Runnable waiting = () -> {
            waiter.set(Thread.currentThread());
            try {
                e.await();
                fail("await() was interrupted while it waited for a clear event, yet it returned normally");
            } catch (InterruptedException expected) {
                // right
            }
        };
        Runnable interrupter = () -> {
            Waits.untilBlocked(started(List.of(waiter)));
            waiter.get().interrupt();
        };
        Threads.run("interrupted-await", List.of(waiting, interrupter), LIMIT, Map.of(e, "the event"));
        assertFalse(e.isSet(), "an interrupted await() must not change the flag");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("set() by one thread is seen by another that polls isSet() (visibility)")
    void setIsVisibleToAPoller() {
        Event e = new Event();
        Threads.run("poller", List.of(() -> {
            while (!e.isSet()) {
                Thread.onSpinWait();
            }
        }, e::set), LIMIT, Map.of(e, "the event"));
    }

    static void await(Event e) {
        try {
            e.await();
        } catch (InterruptedException ex) {
            throw new AssertionError("await() threw InterruptedException, but nobody interrupts it", ex);
        }
    }

    /** The threads the references will hold, once their tasks have set them (at most 1 s). */
    static Thread[] started(List<AtomicReference<Thread>> refs) {
        assertTrue(Waits.until(Duration.ofMillis(1_000), () -> refs.stream().allMatch(r -> r.get() != null)), "a test thread never started");
        return refs.stream().map(AtomicReference::get).toArray(Thread[]::new);
    }
}
