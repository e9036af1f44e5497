package kata.queue;

import static kata.queue.Calls.uninterrupted;
import static kata.support.Waits.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The timed calls and interrupts, on real threads and the real clock. (Lincheck cannot check
 * these: under its model checker {@code System.nanoTime()} does not move, so every timed wait
 * looks like a hang there.) Nothing sleeps to provoke a race: the queue is full or empty while
 * another thread's timing is measured. The bounds are generous: only a wait that ends far too
 * early, far too late or never fails.
 */
class JoinableQueueTimeoutTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final long TIMEOUT_MS = 200;

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("offer(timeout) on a full queue: false after about the timeout, and the item is not added")
    void offerGivesUpAfterAboutTheTimeout() {
        JoinableQueue<String> q = new JoinableQueue<>(1);
        assertTrue(q.offer("first"), "offer into an empty queue of capacity 1");
        Threads.runConcurrently("offer-timeout", 1, LIMIT, i -> {
            long start = System.nanoTime();
            boolean added = uninterrupted("offer(timeout)", () -> q.offer("second", TIMEOUT_MS, TimeUnit.MILLISECONDS));
            long waited = millisSince(start);
            assertFalse(added, "offer(" + TIMEOUT_MS + " ms) returned true although the queue stayed full");
            assertWaitedAboutTheTimeout("offer", waited);
        });
        assertEquals(1, q.size(), "the offer that timed out must not have added its item");
        assertEquals("first", q.poll(), "the queue holds what it held before");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("poll(timeout) on an empty queue: null after about the timeout")
    void pollGivesUpAfterAboutTheTimeout() {
        JoinableQueue<String> q = new JoinableQueue<>();
        Threads.runConcurrently("poll-timeout", 1, LIMIT, i -> {
            long start = System.nanoTime();
            String got = uninterrupted("poll(timeout)", () -> q.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            long waited = millisSince(start);
            assertNull(got, "poll(" + TIMEOUT_MS + " ms) on a queue that stayed empty must return null");
            assertWaitedAboutTheTimeout("poll", waited);
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("offer(timeout) with room and poll(timeout) with an item succeed without waiting out the timeout")
    void timedCallsSucceedAtOnceWhenTheyCan() {
        JoinableQueue<String> q = new JoinableQueue<>(1);
        Threads.runConcurrently("timed-at-once", 1, LIMIT, i -> {
            long start = System.nanoTime();
            assertTrue(uninterrupted("offer(timeout)", () -> q.offer("a", 5, TimeUnit.SECONDS)),
                    "offer(5 s) into an empty queue must succeed");
            assertEquals("a", uninterrupted("poll(timeout)", () -> q.poll(5, TimeUnit.SECONDS)),
                    "poll(5 s) on a queue holding 'a' must return it");
            long took = millisSince(start);
            assertTrue(took < 4_000, "offer(5 s) with room and poll(5 s) with an item took " + took + " ms together:"
                    + " a timed call that can go on at once must not wait");
        });
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("offer(timeout) waiting on a full queue goes on as soon as an item is taken, before its timeout")
    void offerIsReleasedByATake() {
        JoinableQueue<String> q = new JoinableQueue<>(1);
        assertTrue(q.offer("first"), "offer into an empty queue of capacity 1");
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicLong releasedAt = new AtomicLong();
        Runnable offer = () -> {
            waiter.set(Thread.currentThread());
            boolean added = uninterrupted("offer(timeout)", () -> q.offer("second", 5, TimeUnit.SECONDS));
            assertTrue(added, "an item was taken well within the 5 s timeout, yet offer(timeout) returned false");
            assertReleasedPromptly("offer(timeout)", releasedAt.get(), "take()");
        };
        Runnable take = () -> {
            Waits.untilBlocked(waiter);
            releasedAt.set(System.nanoTime());
            assertEquals("first", uninterrupted("take()", q::take), "FIFO");
        };
        Threads.run("offer-released", List.of(offer, take), LIMIT, Map.of(q, "the queue"));
        assertEquals("second", q.poll(), "the released offer added its item");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("poll(timeout) waiting on an empty queue goes on as soon as an item is put, before its timeout")
    void pollIsReleasedByAPut() {
        JoinableQueue<String> q = new JoinableQueue<>(1);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicLong releasedAt = new AtomicLong();
        Runnable poll = () -> {
            waiter.set(Thread.currentThread());
            String got = uninterrupted("poll(timeout)", () -> q.poll(5, TimeUnit.SECONDS));
            assertEquals("item", got, "an item was put well within the 5 s timeout: poll(timeout) must return it");
            assertReleasedPromptly("poll(timeout)", releasedAt.get(), "put()");
        };
        Runnable put = () -> {
            Waits.untilBlocked(waiter);
            releasedAt.set(System.nanoTime());
            Calls.uninterruptedRun("put()", () -> q.put("item"));
        };
        Threads.run("poll-released", List.of(poll, put), LIMIT, Map.of(q, "the queue"));
        assertEquals(0, q.size(), "the item went to the waiting poll");
    }

    // ---------------------------------------------------------------- interrupts

    /** A blocking call, on a queue set up so that it has to wait, and what must hold after it was interrupted. */
    private record Blocking(String call, Consumer<JoinableQueue<String>> setUp, Calls.Call<Object> onQueue,
                            Consumer<JoinableQueue<String>> unchanged) {}

    private static List<Blocking> blockingCalls(AtomicReference<JoinableQueue<String>> ref) {
        Consumer<JoinableQueue<String>> full = q -> assertTrue(q.offer("first"), "offer into an empty queue");
        Consumer<JoinableQueue<String>> nothing = q -> { };
        Consumer<JoinableQueue<String>> stillFull = q -> {
            assertEquals(1, q.size(), "the interrupted call must not have added its item");
            assertEquals("first", q.poll(), "the queue still holds its item");
        };
        Consumer<JoinableQueue<String>> stillEmpty = q -> {
            assertTrue(q.offer("later"), "offer into an empty queue");
            assertEquals("later", q.poll(), "an item put after the interrupted call must still be there for the"
                    + " next taker: the interrupted call must not take it");
        };
        return List.of(
                new Blocking("put(item) on a full queue", full, () -> {
                    ref.get().put("second");
                    return null;
                }, stillFull),
                new Blocking("offer(item, 5 s) on a full queue", full, () -> ref.get().offer("second", 5, TimeUnit.SECONDS), stillFull),
                new Blocking("take() on an empty queue", nothing, () -> ref.get().take(), stillEmpty),
                new Blocking("poll(5 s) on an empty queue", nothing, () -> ref.get().poll(5, TimeUnit.SECONDS), stillEmpty),
                new Blocking("join() with a task unfinished", q -> {
                    assertTrue(q.offer("first"), "offer into an empty queue");
                    assertEquals("first", q.poll(), "FIFO");
                }, () -> {
                    ref.get().join();
                    return null;
                }, q -> {
                    q.taskDone(); // the one unfinished task: accepted, so the interrupted join changed nothing
                    try {
                        q.taskDone();
                        fail("taskDone() was accepted twice for one item");
                    } catch (IllegalStateException expected) {
                        // right
                    }
                }));
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("put, offer(timeout), take, poll(timeout) and join throw InterruptedException when interrupted while waiting, and change nothing")
    void interruptedWhileWaiting() {
        AtomicReference<JoinableQueue<String>> ref = new AtomicReference<>();
        for (Blocking b : blockingCalls(ref)) {
            JoinableQueue<String> q = new JoinableQueue<>(1);
            ref.set(q);
            b.setUp().accept(q);
            AtomicReference<Thread> waiter = new AtomicReference<>();
            AtomicLong interruptedAt = new AtomicLong(Long.MAX_VALUE);
            Runnable waiting = () -> {
                waiter.set(Thread.currentThread());
                expectInterrupted(b, interruptedAt, "the thread was interrupted while it waited in " + b.call());
            };
            Runnable interrupter = () -> {
                Waits.untilBlocked(waiter);
                interruptedAt.set(System.nanoTime());
                waiter.get().interrupt();
            };
            Threads.run("interrupted-" + b.call(), List.of(waiting, interrupter), LIMIT, Map.of(q, "the queue"));
            b.unchanged().accept(q);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("a thread interrupted BEFORE a call that has to wait gets InterruptedException at once")
    void interruptedBeforeTheCall() {
        AtomicReference<JoinableQueue<String>> ref = new AtomicReference<>();
        for (Blocking b : blockingCalls(ref)) {
            JoinableQueue<String> q = new JoinableQueue<>(1);
            ref.set(q);
            b.setUp().accept(q);
            Threads.runConcurrently("interrupted-before-" + b.call(), 1, LIMIT, i -> {
                Thread.currentThread().interrupt();
                expectInterrupted(b, new AtomicLong(System.nanoTime()), "the thread was interrupted before it called " + b.call());
            });
            b.unchanged().accept(q);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void expectInterrupted(Blocking b, AtomicLong interruptedAt, String situation) {
        long start = System.nanoTime();
        Object result;
        try {
            result = b.onQueue().call();
        } catch (InterruptedException expected) {
            long late = Math.max(0, (System.nanoTime() - Math.max(start, interruptedAt.get())) / 1_000_000);
            assertTrue(late < 2_000, situation + ": InterruptedException came " + late + " ms after the interrupt;"
                    + " it must come promptly, not at the end of the wait");
            return;
        }
        fail(situation + ", yet it returned " + result + " after " + millisSince(start) + " ms instead of throwing"
                + " InterruptedException: a waiting call must give up when its thread is interrupted");
    }

    private static void assertWaitedAboutTheTimeout(String call, long waited) {
        assertTrue(waited >= TIMEOUT_MS - 10, call + "(" + TIMEOUT_MS + " ms) gave up after " + waited + " ms: it must"
                + " wait (about) the whole timeout (a wait can end early: work out the time that is left and wait again)");
        assertTrue(waited < TIMEOUT_MS + 3_000, call + "(" + TIMEOUT_MS + " ms) returned after " + waited
                + " ms: it must give up at about the timeout, not much later");
    }

    private static void assertReleasedPromptly(String call, long releasedAt, String by) {
        long late = (System.nanoTime() - releasedAt) / 1_000_000;
        assertTrue(late < 3_000, call + " returned " + late + " ms after the " + by + " that let it go on: " + by
                + " must wake the threads waiting for it, not leave them to their timeout");
    }
}
