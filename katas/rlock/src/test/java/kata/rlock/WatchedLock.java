package kata.rlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import kata.support.Threads;

/**
 * An {@link RLock} as the tests use it: every {@code lock}/{@code unlock} goes through here, so
 * the test knows, per thread, how many times it holds the lock and which call it is in.
 *
 * <p>When threads hang, {@link #run} turns that into a diagnosis. A thread that waits in
 * {@code lock()} while it holds no lock shows up in the JVM's deadlock detection only when it
 * waits for a monitor; a thread waiting for a lock it holds itself (a non-reentrant lock) never
 * does, because from the JVM's point of view it simply waits in {@code wait()} or {@code park()}.
 * This class knows better: it saw the thread take the lock and then call {@code lock()} again.
 */
final class WatchedLock {
    /** What one thread did with the lock, as seen by the test. */
    private static final class Entry {
        volatile int holds;            // successful lock()s minus unlock()s
        volatile String takenIn = "";  // where the first hold was taken ("run3")
        volatile String pending;       // the call in progress, e.g. "lock() in run1"; null when none
        volatile int holdsAtCall;      // holds when the pending call started
        volatile long leftAt;          // when the pending call ended by an exception (0: not yet)
    }

    final RLock lock = new RLock();
    private final Map<Thread, Entry> entries = new ConcurrentHashMap<>();

    private Entry mine() {
        return entries.computeIfAbsent(Thread.currentThread(), t -> new Entry());
    }

    /** {@code lock.lock()}, remembering that this thread is in it and where ({@code where} names the caller, e.g. "run1"). */
    void lock(String where) {
        Entry e = mine();
        e.holdsAtCall = e.holds;
        e.leftAt = 0;
        e.pending = "lock() in " + where;
        try {
            lock.lock();
        } catch (RuntimeException | Error t) {
            e.leftAt = System.nanoTime();
            throw t;
        }
        e.pending = null;
        if (e.holds == 0) e.takenIn = where;
        e.holds++;
    }

    /** {@code lock.unlock()}, counting the hold down. */
    void unlock() {
        lock.unlock();
        mine().holds--;
    }

    /**
     * {@link Threads#runConcurrently}, but a hang caused by a thread waiting for the lock it
     * already holds fails with SELF-DEADLOCK and says which thread and where, before the
     * general report of where each stuck thread is.
     */
    void run(String name, int count, Duration limit, IntConsumer task) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            Threads.runConcurrently(name, count, limit, task);
        } catch (AssertionError failure) {
            boolean hung = System.nanoTime() - deadline >= 0; // Threads gave up on threads that did not finish
            String why = hung ? selfDeadlock(deadline) : "";
            if (why.isEmpty()) throw failure;
            AssertionError diagnosed = new AssertionError(why + "\n" + failure.getMessage());
            diagnosed.setStackTrace(failure.getStackTrace());
            throw diagnosed;
        }
    }

    /** Where {@code t} is now, down to the test's own line that called lock(). */
    private static String where(Thread t) {
        StringBuilder out = new StringBuilder();
        for (StackTraceElement frame : t.getStackTrace()) {
            out.append("\n      at ").append(frame);
            String cls = frame.getClassName();
            boolean below = cls.startsWith("java.") || cls.equals(RLock.class.getName()) || cls.equals(WatchedLock.class.getName());
            if (!below) break;
        }
        return out.length() == 0 ? "" : "\n  \"" + t.getName() + "\" waits here:" + out;
    }

    /** Threads that called lock() while holding the lock and were still in that call at the deadline. */
    private String selfDeadlock(long deadline) {
        List<String> self = new ArrayList<>();
        List<String> stacks = new ArrayList<>();
        List<String> others = new ArrayList<>();
        String owner = null;
        for (Map.Entry<Thread, Entry> en : entries.entrySet()) {
            Entry e = en.getValue();
            String thread = "\"" + en.getKey().getName() + "\"";
            boolean stuck = e.pending != null && (e.leftAt == 0 || e.leftAt - deadline >= 0);
            if (!stuck) continue;
            if (e.holdsAtCall > 0) {
                self.add("thread " + thread + " already held the lock (hold count " + e.holdsAtCall + ", taken in "
                        + e.takenIn + ") and called " + e.pending + ", which never returned");
                stacks.add(where(en.getKey()));
                owner = thread;
            } else {
                others.add(thread);
            }
        }
        if (self.isEmpty()) return "";
        StringBuilder out = new StringBuilder("SELF-DEADLOCK: ");
        out.append(String.join(";\n  ", self)).append(": the thread is waiting for a lock it holds itself, so it"
                + " waits forever. A plain (non-reentrant) lock does exactly this, which is the story's bug; an RLock"
                + " must let the thread that owns it take it again, and count the holds.");
        if (!others.isEmpty()) {
            others.sort(null);
            out.append("\n").append(others.size()).append(" other thread(s) wait in lock() for ").append(owner)
               .append(", which can never unlock: ").append(String.join(", ", others)).append('.');
        }
        stacks.forEach(out::append);
        return out.append('\n').toString();
    }
}
