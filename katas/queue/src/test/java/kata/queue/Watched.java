package kata.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import kata.support.Threads;

/**
 * A queue under test, used by many real threads, watched so that the classic hang of a
 * producer/consumer queue is named instead of merely timed out.
 *
 * <p>Each call the test threads make goes through here, which remembers which call each thread
 * is in. A watchdog looks every {@value #POLL_MS} ms: when every thread that uses the queue is
 * WAITING inside one of its calls and no item has moved for {@link #ALL_WAITING} (a correct
 * queue leaves that state within microseconds: somebody can always go on), it reports
 * ALL THREADS WAITING with the call each thread is in, the queue's size, and where each one
 * waits; then it interrupts them so the test ends. {@link Threads}' limit is the backstop.
 */
final class Watched<E> {
    static final long POLL_MS = 50;
    /** How long every thread must have been waiting, with nothing moving, before it counts as the all-waiting hang. */
    static final Duration ALL_WAITING = Duration.ofSeconds(2);

    final JoinableQueue<E> queue;
    private final String capacity;
    private final Map<Thread, String> calls = new ConcurrentHashMap<>(); // thread -> call in progress ("" = none)
    private final AtomicLong moves = new AtomicLong();
    private volatile String diagnosis;

    Watched(JoinableQueue<E> queue, int capacity) {
        this.queue = queue;
        this.capacity = capacity == Integer.MAX_VALUE ? "unbounded" : "capacity " + capacity;
    }

    void put(E item) {
        enter("put(" + item + ")");
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            throw interrupted("put", e);
        } finally {
            leave();
        }
    }

    E take() {
        enter("take()");
        try {
            return queue.take();
        } catch (InterruptedException e) {
            throw interrupted("take", e);
        } finally {
            leave();
        }
    }

    void taskDone() {
        enter("taskDone()");
        try {
            queue.taskDone();
        } finally {
            leave();
        }
    }

    void join() {
        enter("join()");
        try {
            queue.join();
        } catch (InterruptedException e) {
            throw interrupted("join", e);
        } finally {
            leave();
        }
    }

    private void enter(String call) {
        calls.put(Thread.currentThread(), call);
    }

    private void leave() {
        calls.put(Thread.currentThread(), "");
        moves.incrementAndGet();
    }

    private RuntimeException interrupted(String call, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException(call + "() was interrupted" + (diagnosis == null ? "" : " (by the watchdog)"), e);
    }

    /**
     * {@link Threads#run}, with the watchdog: a run in which every thread ends up waiting inside
     * the queue fails with ALL THREADS WAITING and where each one waits.
     */
    void run(String name, List<Runnable> tasks, Duration limit) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread dog = new Thread(() -> watch(finished), name + "-watchdog");
        dog.setDaemon(true);
        dog.start();
        try {
            Threads.run(name, tasks, limit, Map.of(queue, "the queue"));
        } catch (RuntimeException | AssertionError failure) {
            String why = diagnosis;
            if (why == null) throw failure;
            AssertionError diagnosed = new AssertionError(why, failure);
            diagnosed.setStackTrace(failure.getStackTrace());
            throw diagnosed;
        } finally {
            finished.countDown();
        }
        if (diagnosis != null) throw new AssertionError(diagnosis);
    }

    private void watch(CountDownLatch finished) {
        long stillSince = 0;
        long movesThen = -1;
        try {
            while (!finished.await(POLL_MS, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                long movesNow = moves.get();
                if (!allWaiting() || movesNow != movesThen) {
                    stillSince = now;
                    movesThen = movesNow;
                    continue;
                }
                if (now - stillSince >= ALL_WAITING.toNanos()) {
                    diagnosis = diagnose(Duration.ofNanos(now - stillSince));
                    calls.keySet().forEach(Thread::interrupt);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every live thread that has used the queue is WAITING (not timed) inside one of its calls. */
    private boolean allWaiting() {
        int waiting = 0;
        for (Map.Entry<Thread, String> e : calls.entrySet()) {
            Thread t = e.getKey();
            if (!t.isAlive()) continue;
            if (e.getValue().isEmpty() || t.getState() != Thread.State.WAITING) return false;
            waiting++;
        }
        return waiting > 0;
    }

    private String diagnose(Duration still) {
        List<String> lines = new ArrayList<>();
        AtomicInteger inPut = new AtomicInteger();
        AtomicInteger inTake = new AtomicInteger();
        AtomicInteger inJoin = new AtomicInteger();
        StringBuilder where = new StringBuilder();
        calls.forEach((t, call) -> {
            if (!t.isAlive() || call.isEmpty()) return;
            lines.add("\"" + t.getName() + "\" in " + call);
            if (call.startsWith("put")) inPut.incrementAndGet();
            if (call.startsWith("take")) inTake.incrementAndGet();
            if (call.startsWith("join")) inJoin.incrementAndGet();
            if (where.length() < 4_000) {
                where.append("  \"").append(t.getName()).append("\" waits here:\n");
                StackTraceElement[] stack = t.getStackTrace();
                for (int i = 0; i < Math.min(stack.length, 6); i++) where.append("      at ").append(stack[i]).append('\n');
            }
        });
        lines.sort(null);
        Integer size = sizeWithin(Duration.ofSeconds(1));
        StringBuilder out = new StringBuilder("ALL THREADS WAITING: for ").append(still.toMillis())
                .append(" ms no item moved and every thread using the queue waited inside it, with nobody left to wake"
                        + " any of them:\n  ")
                .append(String.join("\n  ", lines)).append("\nThe queue (").append(capacity).append(") holds ")
                .append(size == null ? "? (size() did not answer within 1 s)" : size + " item(s)").append(".");
        if (size != null && size > 0 && inTake.get() > 0) {
            out.append(" Consumers wait in take() although there are items to take.");
        }
        if (size != null && size == 0 && inPut.get() > 0) {
            out.append(" Producers wait in put() although the queue is empty.");
        }
        out.append(" A wake-up was lost. notify() wakes ONE waiting thread, any one: when producers, consumers")
           .append(inJoin.get() > 0 ? " and joiners" : " (and joiners)")
           .append(" wait on the same monitor it can wake a thread that cannot go on (a producer while the queue is")
           .append(" still full), which waits again, while the thread that could go on is never told. Wake every")
           .append(" waiter that may be able to go on (notifyAll()), and have each one look again in a loop.\n")
           .append(where);
        return out.toString();
    }

    /** queue.size(), asked from another thread so that a queue whose monitor is held forever cannot hang the report. */
    private Integer sizeWithin(Duration limit) {
        AtomicReferenceInt result = new AtomicReferenceInt();
        Thread asker = new Thread(() -> result.set(queue.size()), "size-asker");
        asker.setDaemon(true);
        asker.start();
        try {
            asker.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.get();
    }

    private static final class AtomicReferenceInt {
        private volatile Integer value;

        void set(int v) {
            value = v;
        }

        Integer get() {
            return value;
        }
    }

    /** Parks the calling thread briefly: for the tests' own bounded polling loops. */
    static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
}
