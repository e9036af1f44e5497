package kata.support;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs test threads with a deadline, and turns a hang into a diagnosis instead of a timeout.
 *
 * <p>Every kata test that starts threads goes through here. The threads are released together
 * by a start gate (no {@code Thread.sleep}). While they run, the JVM is asked every
 * {@value #POLL_MS} ms whether some of them wait for each other in a cycle
 * ({@link ThreadMXBean#findDeadlockedThreads()}): a deadlock never resolves itself, so the test
 * fails at once with an {@link AssertionError} that names the cycle (which thread holds which
 * lock and waits for which). Threads that are merely stuck fail the test at the limit, with
 * where each one waits. Stuck threads are daemons and are interrupted, then abandoned, so the
 * run goes on.
 */
public final class Threads {
    /** How often the JVM is asked for a lock cycle while the threads run. */
    static final long POLL_MS = 100;
    /** Stuck threads listed with their stacks in a report; the others are only counted. */
    private static final int MAX_LISTED = 6;

    private Threads() {}

    /**
     * For a block run by Lincheck's model checker ({@code Lincheck.runConcurrentTest}): starts
     * the two tasks in two threads and joins both. No time limit is needed there: the model
     * checker reports threads that can never finish as a deadlock, with the interleaving.
     * (Outside Lincheck, use {@link #run} or {@link #runConcurrently}, which have a limit.)
     */
    public static void runInTwoThreads(Runnable first, Runnable second) {
        Thread a = new Thread(first);
        Thread b = new Thread(second);
        a.start();
        b.start();
        try {
            a.join();
            b.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code count} threads named {@code name-0 .. name-(count-1)}; thread i runs {@code task.accept(i)}. */
    public static void runConcurrently(String name, int count, Duration limit, IntConsumer task) {
        runConcurrently(name, count, limit, Map.of(), task);
    }

    /** {@link #runConcurrently(String, int, Duration, IntConsumer)}, with readable names for the locks (see {@link #run}). */
    public static void runConcurrently(String name, int count, Duration limit, Map<?, String> lockNames, IntConsumer task) {
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            tasks.add(() -> task.accept(index));
        }
        run(name, tasks, limit, lockNames);
    }

    /**
     * Runs each task in its own thread named {@code name-i}, all released at once, and waits at
     * most {@code limit} for all of them (less if they deadlock). {@code lockNames} gives
     * readable names to the objects the tasks lock (e.g. an account, whose monitor
     * {@code synchronized} takes → "account A"), used in the report.
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
        long start = System.nanoTime();
        gate.countDown();
        long deadline = start + limit.toNanos();
        try {
            waiting:
            for (Thread t : threads) {
                while (t.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break waiting;
                    TimeUnit.NANOSECONDS.timedJoin(t, Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)));
                    if (t.isAlive() && inLockCycle(threads)) break waiting;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " threads", e);
        }
        List<Thread> stuck = threads.stream().filter(Thread::isAlive).toList();
        if (!stuck.isEmpty()) {
            String report = diagnose(stuck, Duration.ofNanos(System.nanoTime() - start), limit, lockNames);
            stuck.forEach(Thread::interrupt);
            throw new AssertionError(report);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new AssertionError(e);
    }

    /** Whether some of {@code threads} wait for each other in a lock cycle: then they never finish. */
    private static boolean inLockCycle(List<Thread> threads) {
        long[] ids = deadlocked(threads);
        return ids.length > 0 && !cycles(ids, ManagementFactory.getThreadMXBean()).isEmpty();
    }

    /** The ids of those {@code threads} that the JVM finds deadlocked (in a lock cycle, or waiting for one). */
    private static long[] deadlocked(List<Thread> threads) {
        long[] all = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        if (all == null) return new long[0];
        return threads.stream().mapToLong(Thread::getId).filter(id -> Arrays.stream(all).anyMatch(x -> x == id)).toArray();
    }

    /** The report for threads that did not finish: the lock cycle if there is one, else where each one waits. */
    static String diagnose(List<Thread> stuck, Duration waited, Duration limit, Map<?, String> lockNames) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, String> names = new HashMap<>();
        lockNames.forEach((lock, label) -> names.put(key(lock.getClass().getName(), System.identityHashCode(lock)), label));
        List<List<ThreadInfo>> cycles = cycles(deadlocked(stuck), mx);
        List<ThreadInfo> cycleInfos = cycles.stream().flatMap(List::stream).toList();
        StringBuilder out = new StringBuilder();
        if (!cycles.isEmpty()) {
            out.append("DEADLOCK after ").append(waited.toMillis()).append(" ms: ");
            for (List<ThreadInfo> cycle : cycles) {
                if (cycle != cycles.get(0)) out.append("and ");
                out.append(cycle.size()).append(" threads wait for each other in a cycle, so none of them can ever go on:\n");
                for (ThreadInfo info : cycle) {
                    out.append("  \"").append(info.getThreadName()).append("\" holds ").append(held(info, names))
                       .append(" and waits for ").append(lockName(info.getLockInfo(), names))
                       .append(", held by \"").append(info.getLockOwnerName()).append("\"\n");
                }
            }
            out.append("Each of them took a lock and then asked for one that another thread of the cycle had already"
                    + " taken. Threads that take the same locks in different orders can end up like this;"
                    + " threads that all take them in one agreed order cannot.\n");
            if (stuck.size() > cycleInfos.size()) {
                out.append(stuck.size() - cycleInfos.size()).append(" more thread(s) did not finish either (e.g. blocked behind the cycle).\n");
            }
        } else {
            out.append(stuck.size()).append(" thread(s) still running after ").append(limit.toMillis())
               .append(" ms, with no lock cycle: they wait for something that never happens, or loop.\n");
        }
        // The threads of the cycle first, then the others; test-harness frames left out.
        List<ThreadInfo> all = new ArrayList<>(cycleInfos);
        long[] ids = stuck.stream().mapToLong(Thread::getId)
                .filter(id -> cycleInfos.stream().noneMatch(info -> info.getThreadId() == id)).toArray();
        for (ThreadInfo info : mx.getThreadInfo(ids, true, true)) if (info != null) all.add(info);
        out.append("Where the stuck threads are:\n");
        for (int n = 0; n < all.size(); n++) {
            if (n == MAX_LISTED) {
                out.append("  ... and ").append(all.size() - MAX_LISTED).append(" more\n");
                break;
            }
            ThreadInfo info = all.get(n);
            out.append("  \"").append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockInfo() != null) out.append(" on ").append(lockName(info.getLockInfo(), names));
            out.append('\n');
            Arrays.stream(info.getStackTrace()).filter(Threads::shown).limit(8)
                  .forEach(frame -> out.append("      at ").append(frame).append('\n'));
        }
        return out.toString();
    }

    /** Frames worth showing: not this class, not lambda plumbing, not Thread.run. */
    private static boolean shown(StackTraceElement frame) {
        String c = frame.getClassName();
        return !c.startsWith(Threads.class.getName()) && !c.contains("$$Lambda") && !c.equals(Thread.class.getName());
    }

    /**
     * The lock cycles among the {@code deadlocked} threads, each as a list of threads in which
     * each one waits for a lock held by the next (and the last for one held by the first). The
     * JVM also counts as deadlocked the threads that wait for a thread of a cycle; they are left out.
     */
    private static List<List<ThreadInfo>> cycles(long[] deadlocked, ThreadMXBean mx) {
        Map<Long, ThreadInfo> infos = new LinkedHashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(deadlocked, true, true)) if (info != null) infos.put(info.getThreadId(), info);
        List<List<ThreadInfo>> cycles = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (ThreadInfo start : infos.values()) {
            List<ThreadInfo> path = new ArrayList<>();
            ThreadInfo next = start;
            while (next != null && !seen.contains(next.getThreadId()) && !path.contains(next)) {
                path.add(next);
                next = infos.get(next.getLockOwnerId());
            }
            if (next != null && path.contains(next)) cycles.add(new ArrayList<>(path.subList(path.indexOf(next), path.size())));
            path.forEach(info -> seen.add(info.getThreadId()));
        }
        return cycles;
    }

    private static String held(ThreadInfo info, Map<String, String> names) {
        Set<String> held = new LinkedHashSet<>(); // a monitor taken again (reentrant) is listed once
        for (MonitorInfo m : info.getLockedMonitors()) held.add(lockName(m, names));
        for (LockInfo l : info.getLockedSynchronizers()) held.add(lockName(l, names));
        return held.isEmpty() ? "no lock" : String.join(", ", held);
    }

    private static String lockName(LockInfo lock, Map<String, String> names) {
        if (lock == null) return "nothing";
        String label = names.get(key(lock.getClassName(), lock.getIdentityHashCode()));
        return label != null ? label : lock.toString();
    }

    private static String key(String className, int identityHashCode) {
        return className + "@" + identityHashCode;
    }
}
