package kata.queue;

import static kata.queue.Calls.uninterrupted;
import static kata.queue.Calls.uninterruptedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The blocking calls on real threads: each one really blocks, and is then released by each way
 * the state it waits for can change. Nothing sleeps to provoke a race: a thread is blocked, the
 * test sees it blocked (its thread state), then releases it. Every run has a limit and a hang is
 * reported with where the threads wait.
 */
class JoinableQueueBlockingTest {
    private static final Duration LIMIT = Duration.ofSeconds(6);

    /** The ways to take an item out, each of which must wake a producer waiting for room. */
    private static final Map<String, Function<JoinableQueue<String>, String>> TAKERS = Map.of(
            "take()", q -> uninterrupted("take()", q::take),
            "poll()", JoinableQueue::poll,
            "poll(timeout)", q -> uninterrupted("poll(timeout)", () -> q.poll(5, TimeUnit.SECONDS)));

    /** The ways to put an item in, each of which must wake a consumer waiting for an item. */
    private static final Map<String, Function<JoinableQueue<String>, Boolean>> PUTTERS = Map.of(
            "put(item)", q -> uninterrupted("put(item)", () -> {
                q.put("second");
                return true;
            }),
            "offer(item)", q -> q.offer("second"),
            "offer(item, timeout)", q -> uninterrupted("offer(timeout)", () -> q.offer("second", 5, TimeUnit.SECONDS)));

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("put() blocks while the queue is full, and take(), poll() and poll(timeout) each release it")
    void putBlocksWhileFullUntilAnItemIsTaken() {
        for (var taker : TAKERS.entrySet()) {
            JoinableQueue<String> q = new JoinableQueue<>(1);
            assertTrue(q.offer("first"), "offer into an empty queue of capacity 1");
            AtomicReference<Thread> producer = new AtomicReference<>();
            AtomicBoolean taken = new AtomicBoolean();
            Runnable put = () -> {
                producer.set(Thread.currentThread());
                uninterruptedRun("put()", () -> q.put("second"));
                assertTrue(taken.get(), "put() into a full queue of capacity 1 returned before any item was taken:"
                        + " it must wait while the queue is full");
            };
            Runnable take = () -> {
                Waits.untilBlocked(producer);
                assertEquals(1, q.size(), "a put() waiting for room must not have added its item yet");
                taken.set(true);
                assertEquals("first", taker.getValue().apply(q), taker.getKey() + " returns the head");
            };
            Threads.run("put-on-full-" + taker.getKey(), List.of(put, take), LIMIT, Map.of(q, "the queue"));
            assertEquals(1, q.size(), "the released put() added its item: " + taker.getKey() + " made room for it");
            assertEquals("second", q.poll(), "the released put()'s item is in the queue");
        }
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("take() blocks while the queue is empty, and put(), offer() and offer(timeout) each release it")
    void takeBlocksWhileEmptyUntilAnItemIsPut() {
        for (var putter : PUTTERS.entrySet()) {
            JoinableQueue<String> q = new JoinableQueue<>(1);
            AtomicReference<Thread> consumer = new AtomicReference<>();
            AtomicBoolean put = new AtomicBoolean();
            Runnable take = () -> {
                consumer.set(Thread.currentThread());
                String got = uninterrupted("take()", q::take);
                assertTrue(put.get(), "take() on an empty queue returned (" + got + ") before any item was put:"
                        + " it must wait while the queue is empty");
                assertEquals("second", got, "take() returns the item that was put");
            };
            Runnable give = () -> {
                Waits.untilBlocked(consumer);
                put.set(true);
                assertTrue(putter.getValue().apply(q), putter.getKey() + " into an empty queue of capacity 1 must succeed");
            };
            Threads.run("take-on-empty-" + putter.getKey(), List.of(take, give), LIMIT, Map.of(q, "the queue"));
            assertEquals(0, q.size(), "the item went to the waiting take(): the queue is empty again");
        }
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("join() blocks until the LAST taskDone(), then every joiner goes on (an earlier take/taskDone must not release it)")
    void joinBlocksUntilTheLastTaskDone() {
        JoinableQueue<String> q = new JoinableQueue<>(4);
        assertTrue(q.offer("a"), "offer into an empty queue");
        assertTrue(q.offer("b"), "offer into a queue with room");
        List<AtomicReference<Thread>> joiners = List.of(new AtomicReference<>(), new AtomicReference<>());
        AtomicBoolean lastTaskDoneCalled = new AtomicBoolean();
        List<Runnable> tasks = new ArrayList<>();
        for (AtomicReference<Thread> me : joiners) {
            tasks.add(() -> {
                me.set(Thread.currentThread());
                uninterruptedRun("join()", q::join);
                assertTrue(lastTaskDoneCalled.get(), "join() returned while a task was still unfinished (2 items were"
                        + " put, only 1 taskDone() had been called): join must wait until the count of unfinished"
                        + " tasks is 0, and look again each time it wakes up");
            });
        }
        tasks.add(() -> {
            Waits.untilBlocked(joiners.get(0), joiners.get(1));
            assertEquals("a", uninterrupted("take()", q::take), "FIFO");
            q.taskDone();
            assertTrue(q.offer("c"), "offer into a queue with room"); // more changes a wrong join() may wake up for
            assertEquals("b", q.poll(), "FIFO");
            q.taskDone();
            // A join() that wrongly returns does so within microseconds of being woken; give it a moment to show itself.
            Waits.until(Duration.ofMillis(300), () -> joiners.stream().anyMatch(j -> j.get().getState() == Thread.State.TERMINATED));
            assertEquals("c", q.poll(), "FIFO");
            lastTaskDoneCalled.set(true);
            q.taskDone(); // the last one: both joiners must go on
        });
        Threads.run("join", tasks, LIMIT, Map.of(q, "the queue"));
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("3 producers and 3 consumers on a queue of capacity 1: nobody is left waiting forever")
    void manyProducersAndConsumersOnOneSlot() {
        int producers = 3;
        int perProducer = 2_000;
        JoinableQueue<Integer> q = new JoinableQueue<>(1);
        Watched<Integer> watched = new Watched<>(q, 1);
        AtomicIntegerArray seen = new AtomicIntegerArray(producers * perProducer);
        List<Runnable> tasks = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            tasks.add(() -> {
                for (int i = 0; i < perProducer; i++) watched.put(base + i);
                watched.join(); // producers, consumers and joiners wait on the same queue
                for (int i = 0; i < perProducer; i++) {
                    assertEquals(1, seen.get(base + i), "join() returned, yet item " + (base + i) + " put before it"
                            + " was not (yet) taken and done: join must wait for every item put before it");
                }
            });
        }
        for (int c = 0; c < producers; c++) {
            tasks.add(() -> {
                for (int i = 0; i < perProducer; i++) { // as many takes as one producer's puts: the totals match
                    int item = watched.take();
                    seen.incrementAndGet(item);
                    watched.taskDone();
                }
            });
        }
        watched.run("one-slot", tasks, Duration.ofSeconds(30));
        for (int i = 0; i < seen.length(); i++) {
            assertEquals(1, seen.get(i), "item " + i + " was taken " + seen.get(i) + " times: every item put must be taken exactly once");
        }
        assertEquals(0, q.size(), "every item was taken");
    }
}
