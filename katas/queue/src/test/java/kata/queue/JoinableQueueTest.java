package kata.queue;

import static kata.queue.Calls.uninterruptedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The contract one method at a time, mostly with one thread. Calls that could wait run in a
 * thread of {@link Threads} with a limit, so a queue that waits when it should not fails with
 * where it waits instead of hanging the build.
 */
class JoinableQueueTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Test
    @DisplayName("a capacity below 1 is an IllegalArgumentException")
    void capacityBelowOneIsRejected() {
        for (int capacity : new int[] {0, -1, Integer.MIN_VALUE}) {
            try {
                new JoinableQueue<String>(capacity);
                fail("new JoinableQueue(" + capacity + ") must throw IllegalArgumentException: a queue that can never hold"
                        + " an item would make every put() wait forever");
            } catch (IllegalArgumentException expected) {
                // right
            }
        }
        assertEquals(0, new JoinableQueue<String>(1).size(), "a new queue of capacity 1 is empty");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("FIFO: items come out in the order they went in, whichever way they went in and out")
    void firstInFirstOut() {
        JoinableQueue<Integer> q = new JoinableQueue<>();
        one("fifo", () -> {
            for (int i = 0; i < 300; i++) {
                switch (i % 3) {
                    case 0 -> q.put(i);
                    case 1 -> assertTrue(q.offer(i), "offer() into an unbounded queue must succeed");
                    default -> assertTrue(q.offer(i, 1, TimeUnit.SECONDS), "offer(timeout) into an unbounded queue must succeed");
                }
                assertEquals(i + 1, q.size(), "size() after " + (i + 1) + " items went in");
            }
            for (int i = 0; i < 300; i++) {
                Integer got = switch (i % 3) {
                    case 0 -> q.take();
                    case 1 -> q.poll();
                    default -> q.poll(1, TimeUnit.SECONDS);
                };
                assertEquals(i, got, "items must come out first-in first-out: item " + i + " was next");
                assertEquals(299 - i, q.size(), "size() after " + (i + 1) + " of 300 items came out");
            }
            assertNull(q.poll(), "poll() on an empty queue returns null");
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("a bounded queue: offer() says false when full, poll() says null when empty, and neither waits")
    void boundedQueueNeverWaitsInOfferOrPoll() {
        JoinableQueue<String> q = new JoinableQueue<>(2);
        one("bounded", () -> {
            assertNull(q.poll(), "poll() on an empty queue returns null at once");
            assertTrue(q.offer("a"), "offer() into an empty queue of capacity 2");
            assertTrue(q.offer("b"), "offer() of the 2nd item into a queue of capacity 2");
            assertFalse(q.offer("c"), "offer() into a full queue must return false, not add the item");
            assertFalse(q.offer("c", 0, TimeUnit.SECONDS), "offer(0 s) into a full queue must return false at once");
            assertEquals(2, q.size(), "a full queue of capacity 2 holds 2 items: the refused offers must add nothing");
            assertEquals("a", q.poll(), "FIFO: a came first");
            assertTrue(q.offer("c"), "after a poll() there is room again");
            assertEquals("b", q.poll(), "FIFO: b");
            assertEquals("c", q.poll(), "FIFO: c");
            assertNull(q.poll(0, TimeUnit.SECONDS), "poll(0 s) on an empty queue returns null at once");
            assertEquals(0, q.size(), "every item came out again");
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("put(null) is a NullPointerException and adds nothing")
    void putNullIsRejected() {
        JoinableQueue<String> q = new JoinableQueue<>(2);
        one("null", () -> {
            try {
                q.put(null);
                fail("put(null) must throw NullPointerException: poll() returns null to mean 'empty', so null cannot be an item");
            } catch (NullPointerException expected) {
                // right
            }
            assertEquals(0, q.size(), "the refused put(null) must not add anything");
            q.put("a");
            assertEquals("a", q.poll(), "the queue works as before after the refused null");
            q.taskDone(); // a's task; the refused null must not have counted as one
            q.join();
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("join() with nothing outstanding returns at once: on a new queue and once every task is done")
    void joinWithNothingOutstandingReturnsAtOnce() {
        JoinableQueue<String> q = new JoinableQueue<>(3);
        one("join-new", () -> q.join());
        one("join-after", () -> {
            q.put("a");
            assertTrue(q.offer("b"), "offer into a queue with room");
            assertEquals("a", q.take(), "FIFO");
            q.taskDone();
            assertEquals("b", q.poll(), "FIFO");
            q.taskDone();
            q.join(); // two items, two taskDone()s: nothing outstanding
            q.join(); // and again
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("taskDone() more often than items were put: IllegalStateException, and the count does not change")
    void taskDoneUnderflowThrowsAndChangesNothing() {
        JoinableQueue<String> q = new JoinableQueue<>();
        expectUnderflow(q, "taskDone() on a new queue, where no item was ever put");
        assertTrue(q.offer("a"), "offer into an unbounded queue");
        q.taskDone(); // allowed: one item was put (taskDone need not follow a take)
        expectUnderflow(q, "a 2nd taskDone() after one item was put");
        assertEquals(1, q.size(), "taskDone() counts tasks, not items: 'a' is still in the queue");
        one("join-after-underflow", () -> q.join());

        // The failed calls must not have counted: one new item is one outstanding task, so join() waits for it.
        assertTrue(q.offer("b"), "offer into an unbounded queue");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Thread> joiner = new AtomicReference<>();
        Runnable join = () -> {
            joiner.set(Thread.currentThread());
            uninterruptedRun("join()", () -> q.join());
            assertTrue(done.get(), "join() returned although 'b' was put and its taskDone() had not been called: the"
                    + " refused taskDone() calls must leave the count as it was (they made it negative, so the new"
                    + " item brought it only back to 0)");
        };
        Runnable finish = () -> {
            Waits.untilBlocked(joiner);
            // A join() that wrongly returns does so at once; give it a moment to show itself.
            Waits.until(Duration.ofMillis(300), () -> joiner.get().getState() == Thread.State.TERMINATED);
            done.set(true);
            q.taskDone();
        };
        Threads.run("underflow", List.of(join, finish), LIMIT, Map.of(q, "the queue"));
    }

    @Test
    @DisplayName("size() counts the items in the queue: taking one counts, taskDone() does not")
    void sizeCountsItemsNotTasks() {
        JoinableQueue<Integer> q = new JoinableQueue<>(5);
        assertEquals(0, q.size(), "a new queue is empty");
        assertTrue(q.offer(1), "offer into a queue with room");
        assertTrue(q.offer(2), "offer into a queue with room");
        assertEquals(2, q.size(), "two items in");
        assertEquals(1, q.poll(), "FIFO");
        assertEquals(1, q.size(), "one taken, one left: the taken item is out of the queue even before its taskDone()");
        q.taskDone();
        assertEquals(1, q.size(), "taskDone() finishes a task; it does not remove an item");
    }

    // ---------------------------------------------------------------- helpers

    /** Runs {@code body} in one thread with the limit: a call that waits forever fails with where it waits. */
    private static void one(String name, Calls.Action body) {
        Threads.runConcurrently(name, 1, LIMIT, i -> uninterruptedRun(name, body));
    }

    private static void expectUnderflow(JoinableQueue<?> q, String what) {
        try {
            q.taskDone();
        } catch (IllegalStateException expected) {
            return;
        }
        fail(what + " must throw IllegalStateException: there is no unfinished task left to finish");
    }
}
