package kata.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Model checking of small scenarios with the blocking calls: Lincheck runs each block under many
 * thread interleavings, chosen systematically, and prints the one that breaks an assertion step
 * by step. A thread that can never go on is reported as a deadlock, with the interleaving that
 * led there. Lincheck also wakes waiting threads for no reason now and then (a spurious
 * wake-up, which the JVM allows), so a wait that does not look again after waking is caught.
 *
 * <p>Only the untimed calls are model checked: under Lincheck {@code System.nanoTime()} does not
 * advance, so a timed wait would look like a hang ({@link JoinableQueueTimeoutTest} checks those).
 */
class JoinableQueueLincheckTest {
    /** Interleavings explored per check: the naive queues fail within a few dozen; a correct one costs about a second per check. */
    private static final int INVOCATIONS = 50;

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: a producer puts 1, 2 into a queue of capacity 1 while a consumer takes twice: 1 then 2, nobody stuck")
    void putAndTakeHandOverThroughOneSlot() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            JoinableQueue<Integer> q = new JoinableQueue<>(1);
            int[] got = new int[2];
            Forked consumer = Forked.start(() -> {
                got[0] = q.take();
                got[1] = q.take();
            });
            Throwable mine = Forked.attempt(() -> {
                q.put(1);
                q.put(2); // waits until the consumer has taken 1
            });
            consumer.join(mine);
            assertEquals(1, got[0], "the consumer's first take() must return 1, the first item put (FIFO)");
            assertEquals(2, got[1], "the consumer's second take() must return 2");
            assertEquals(0, q.size(), "both items were taken");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: join() returns only after the consumer's taskDone(), however the threads interleave")
    void joinReturnsOnlyAfterTaskDone() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            JoinableQueue<String> q = new JoinableQueue<>(2);
            boolean[] eaten = new boolean[2];
            assertTrue(q.offer("baozi 0"), "offer into an empty queue");
            assertTrue(q.offer("baozi 1"), "offer into a queue with room");
            Forked consumer = Forked.start(() -> {
                for (int i = 0; i < 2; i++) {
                    q.take();
                    eaten[i] = true; // eaten, then reported done
                    q.taskDone();
                }
            });
            Throwable mine = Forked.attempt(q::join);
            boolean[] seenByJoiner = eaten.clone(); // what the joiner saw when join() returned
            consumer.join(mine);
            assertTrue(seenByJoiner[0] && seenByJoiner[1], "join() returned before both baozi were eaten (eaten: "
                    + seenByJoiner[0] + ", " + seenByJoiner[1] + "): join must wait until EVERY item put has had its"
                    + " taskDone(), and look again each time it wakes up (a wait can end early, for no reason)");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: two threads poll() one item: one gets it, the other null, and the queue still works")
    void twoPollsRaceForTheLastItem() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            JoinableQueue<String> q = new JoinableQueue<>(2);
            assertTrue(q.offer("last"), "offer into an empty queue");
            String[] got = new String[2];
            Forked other = Forked.start(() -> got[1] = q.poll());
            Throwable mine = Forked.attempt(() -> got[0] = q.poll());
            other.join(mine);
            assertTrue("last".equals(got[0]) != "last".equals(got[1]) && (got[0] == null) != (got[1] == null),
                    "one item, two polls: exactly one must get it and the other null, but they got " + got[0]
                            + " and " + got[1]);
            assertEquals(0, q.size(), "the only item was taken: size() must be 0");
            assertTrue(q.offer("next"), "offer into an empty queue");
            assertEquals("next", q.poll(), "the next item put must come out again: it was lost (the second poll"
                    + " removed from an empty queue and left the queue's state broken)");
            assertNull(q.poll(), "empty again");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: offer() and taskDone() at once both count: one task is left, and one more taskDone() is refused")
    void taskDoneRacesOffer() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            JoinableQueue<Integer> q = new JoinableQueue<>(4);
            assertTrue(q.offer(1), "offer into an empty queue"); // one unfinished task
            Forked other = Forked.start(q::taskDone);            // 1 -> 0
            Throwable mine = Forked.attempt(() -> assertTrue(q.offer(2), "offer into a queue with room")); // +1
            other.join(mine);
            boolean refused = false;
            q.taskDone(); // the task of item 2: must be there
            try {
                q.taskDone();
            } catch (IllegalStateException expected) {
                refused = true;
            }
            assertTrue(refused, "2 items were put and 2 taskDone()s had already succeeded, yet a 3rd taskDone() was"
                    + " accepted: an update of the unfinished count was lost (offer's +1 and taskDone's -1 ran at"
                    + " the same time, and one overwrote the other)");
            assertFalse(q.poll() == null, "items 1 and 2 are still in the queue");
        });
    }

    /** Threads started in a Lincheck block, and what they threw (plain arrays: less for the model checker to track). */
    static final class Forked {
        interface Body {
            void run() throws Exception;
        }

        private final Thread thread;
        private final Throwable[] thrown = new Throwable[1];

        private Forked(Body body) {
            thread = new Thread(() -> thrown[0] = attempt(body));
        }

        static Forked start(Body body) {
            Forked f = new Forked(body);
            f.thread.start();
            return f;
        }

        /** Runs {@code body} here and returns what it threw, so that the other thread is joined before anything is rethrown. */
        static Throwable attempt(Body body) {
            try {
                body.run();
                return null;
            } catch (Throwable e) {
                return e;
            }
        }

        /** Joins the thread (under Lincheck a stuck thread is reported, not waited for) and rethrows what either side threw. */
        void join(Throwable mine) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            Throwable first = mine != null ? mine : thrown[0];
            if (first == null) return;
            AssertionError error = first instanceof AssertionError a ? a : new AssertionError("a thread failed: " + first, first);
            if (mine != null && thrown[0] != null) error.addSuppressed(thrown[0]);
            throw error;
        }
    }
}
