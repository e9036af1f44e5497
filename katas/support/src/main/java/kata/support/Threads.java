package kata.support;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs test threads with a deadline, and turns a hang into a diagnosis instead of a timeout.
 *
 * <p>Every kata test that starts threads goes through here. The threads are released together
 * by a start gate (no {@code Thread.sleep}); if they do not all finish within the limit, the
 * test fails with an {@link AssertionError} that names the lock cycle when the JVM sees one
 * ({@link ThreadMXBean#findDeadlockedThreads()}), and otherwise shows where each stuck thread
 * waits. Stuck threads are daemons and are interrupted, then abandoned, so the run goes on.
 */
public final class Threads {
    private Threads() {}

    /** Runs {@code count} threads named {@code name-0 .. name-(count-1)}; thread i runs {@code task.accept(i)}. */
    public static void runConcurrently(String name, int count, Duration limit, IntConsumer task) {
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            tasks.add(() -> task.accept(index));
        }
        run(name, tasks, limit, Map.of());
    }

    /**
     * Runs each task in its own thread named {@code name-i}, all released at once, and waits at
     * most {@code limit} for all of them. {@code lockNames} gives readable names to the objects
     * the tasks lock (e.g. an account's monitor → "account A"), used in the deadlock report.
     * The first exception a task throws is rethrown here, the others are attached as suppressed.
     */
    public static void run(String name, List<? extends Runnable> tasks, Duration limit, Map<?, String> lockNames) {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Runnable task = tasks.get(i);
            Thread t = new Thread(() -> {
                try {
                    gate.await();
                    task.run();
                } catch (Throwable e) {
                    if (!failure.compareAndSet(null, e)) failure.get().addSuppressed(e);
                }
            }, name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        gate.countDown();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " threads", e);
        }
        List<Thread> stuck = threads.stream().filter(Thread::isAlive).toList();
        if (!stuck.isEmpty()) {
            String report = diagnose(stuck, limit, lockNames);
            stuck.forEach(Thread::interrupt);
            throw new AssertionError(report);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new AssertionError(e);
    }

    /** The report for threads that did not finish: the lock cycle if there is one, else where each one waits. */
    static String diagnose(List<Thread> stuck, Duration limit, Map<?, String> lockNames) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Integer, String> names = new java.util.HashMap<>();
        lockNames.forEach((lock, label) -> names.put(System.identityHashCode(lock), label));
        long[] ids = stuck.stream().mapToLong(Thread::getId).toArray();
        long[] deadlocked = mx.findDeadlockedThreads();
        StringBuilder out = new StringBuilder();
        out.append(stuck.size()).append(" thread(s) still running after ").append(limit.toMillis()).append(" ms");
        if (deadlocked != null) {
            long[] ours = Arrays.stream(deadlocked).filter(id -> Arrays.stream(ids).anyMatch(x -> x == id)).toArray();
            if (ours.length > 0) {
                out.append(": DEADLOCK, a cycle of threads each waiting for a lock the next one holds:\n");
                for (ThreadInfo info : mx.getThreadInfo(ours, true, true)) {
                    out.append("  \"").append(info.getThreadName()).append("\" holds ")
                       .append(held(info, names)).append(" and waits for ").append(lockName(info.getLockInfo(), names))
                       .append(" held by \"").append(info.getLockOwnerName()).append("\"\n");
                }
                out.append("Fix: make every thread take the locks in the same order.\n");
            }
        } else {
            out.append(" (no lock cycle: they are waiting for something that never happens, or looping)\n");
        }
        out.append("Where each stuck thread is:\n");
        Map<Thread, StackTraceElement[]> stacks = new IdentityHashMap<>();
        for (Thread t : stuck) stacks.put(t, t.getStackTrace());
        for (ThreadInfo info : mx.getThreadInfo(ids, true, true)) {
            if (info == null) continue;
            out.append("  \"").append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockInfo() != null) out.append(" on ").append(lockName(info.getLockInfo(), names));
            out.append('\n');
            StackTraceElement[] trace = info.getStackTrace();
            for (int i = 0; i < Math.min(trace.length, 8); i++) out.append("      at ").append(trace[i]).append('\n');
        }
        return out.toString();
    }

    private static String held(ThreadInfo info, Map<Integer, String> names) {
        List<String> held = new ArrayList<>();
        for (MonitorInfo m : info.getLockedMonitors()) held.add(lockName(m, names));
        for (LockInfo l : info.getLockedSynchronizers()) held.add(lockName(l, names));
        return held.isEmpty() ? "no lock" : String.join(", ", held);
    }

    private static String lockName(LockInfo lock, Map<Integer, String> names) {
        if (lock == null) return "nothing";
        String label = names.get(lock.getIdentityHashCode());
        return label != null ? label + " (" + lock + ")" : lock.toString();
    }
}
