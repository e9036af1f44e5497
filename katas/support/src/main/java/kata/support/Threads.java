package kata.support;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Runs test threads with a deadline, and turns a hang into a diagnosis instead of a timeout.
 *
 * <p>Every kata test that starts threads goes through here. The threads are released together
 * by a start gate (no {@code Thread.sleep}). While they run, the JVM is asked every
 * {@value #POLL_MS} ms whether some of them wait for each other in a cycle
 * ({@link ThreadMXBean#findDeadlockedThreads()}): a deadlock never resolves itself, so the test
 * fails at once with an {@link AssertionError} that names the cycle (which thread holds which
 * lock and waits for which). A livelock, threads that never block but keep retrying while
 * they hold a lock (e.g. {@code tryLock} in a loop), is invisible to the JVM's deadlock
 * detection; it is recognised by sampling: when, for {@value #LIVELOCK_MS} ms, none of the
 * threads has moved (same place, same locks held, never blocked or waited) and at least one of
 * them is RUNNABLE while holding a lock, the test fails with {@code LIVELOCK}, naming where each
 * one retries and what it holds. Threads that are merely stuck fail the test at the limit, with
 * where each one waits.
 *
 * <p>Stuck threads are daemons. They are interrupted; those still running after a short grace
 * (a spin loop ignores interrupts) are stopped ({@link Thread#stop()}, which Java 17 still has),
 * so that a stuck test does not leave threads burning the CPUs under the tests that follow. On
 * a JDK that can no longer stop threads, a thread that could not be stopped makes every later
 * {@link #run} fail at once, naming the test that left it, instead of running slowly.
 */
public final class Threads {
    /** How often the JVM is asked for a lock cycle while the threads run. */
    static final long POLL_MS = 100;
    /** Stuck threads listed with their stacks in a report; the others are only counted. */
    private static final int MAX_LISTED = 6;
    /** How long no thread may move, one of them RUNNABLE and holding a lock, before it is called a livelock. */
    static final long LIVELOCK_MS = 2_000;
    /**
     * CPU time a thread must have used without moving to count as spinning: a thread that holds a
     * lock but got no CPU (a busy machine) is not livelocked; the right code leaves a critical
     * section in microseconds of CPU time.
     */
    private static final long SPIN_CPU_MS = 20;
    /** Sampling for livelocks starts only after this: short tests pay nothing for it. */
    private static final long SAMPLE_AFTER_MS = 500;
    /** How long interrupted stuck threads get to end before the ones still running are stopped. */
    private static final long GRACE_MS = 200;
    /** Set when stuck threads could not be stopped and keep running: later runs fail at once, naming them. */
    private static volatile String leftRunning;

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
     * When tasks throw, the exception of the first task in list order that threw is rethrown here,
     * with the others attached as suppressed, in list order: the same code gives the same report,
     * whichever thread happened to fail first.
     */
    public static void run(String name, List<? extends Runnable> tasks, Duration limit, Map<?, String> lockNames) {
        String earlier = leftRunning;
        if (earlier != null) {
            throw new AssertionError("not run: " + earlier + " They would slow this test down and make its verdict"
                    + " meaningless. Fix the test that left them (its failure says where they are stuck) first.");
        }
        CountDownLatch gate = new CountDownLatch(1);
        AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(tasks.size());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Runnable task = tasks.get(i);
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    gate.await();
                    task.run();
                } catch (Throwable e) {
                    failures.set(index, e);
                }
            }, name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long start = System.nanoTime();
        gate.countDown();
        long deadline = start + limit.toNanos();
        Sampler sampler = new Sampler(threads);
        String livelock = null;
        try {
            waiting:
            for (Thread t : threads) {
                while (t.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break waiting;
                    TimeUnit.NANOSECONDS.timedJoin(t, Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)));
                    if (t.isAlive() && inLockCycle(threads)) break waiting;
                    if (t.isAlive() && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(SAMPLE_AFTER_MS)) {
                        livelock = sampler.sample(lockNames);
                        if (livelock != null) break waiting;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " threads", e);
        }
        List<Thread> stuck = threads.stream().filter(Thread::isAlive).toList();
        if (!stuck.isEmpty()) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            String report = livelock != null ? livelock + where(stuck, lockNames)
                    : diagnose(stuck, waited, limit, lockNames);
            report += stop(stuck, name);
            throw new AssertionError(report);
        }
        Throwable e = null;
        for (int i = 0; i < failures.length(); i++) {
            Throwable f = failures.get(i);
            if (f == null) continue;
            if (e == null) e = f;
            else e.addSuppressed(f);
        }
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
        Names names = names(lockNames);
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
        return out.append(where(all, names)).toString();
    }

    /** Where each of {@code stuck} is now, with its stack. */
    private static String where(List<Thread> stuck, Map<?, String> lockNames) {
        long[] ids = stuck.stream().mapToLong(Thread::getId).toArray();
        List<ThreadInfo> all = new ArrayList<>();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().getThreadInfo(ids, true, true)) if (info != null) all.add(info);
        all.sort(Comparator.comparing(info -> info.getThreadState() != Thread.State.RUNNABLE)); // the spinning ones first
        return where(all, names(lockNames));
    }

    private static String where(List<ThreadInfo> all, Names names) {
        StringBuilder out = new StringBuilder();
        out.append("Where the stuck threads are:\n");
        for (int n = 0; n < all.size(); n++) {
            if (n == MAX_LISTED) {
                out.append("  ... and ").append(all.size() - MAX_LISTED).append(" more\n");
                break;
            }
            ThreadInfo info = all.get(n);
            out.append("  \"").append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockInfo() != null) {
                out.append(" on ").append(lockName(info.getLockInfo(), names));
                if (info.getLockOwnerName() != null) out.append(", held by \"").append(info.getLockOwnerName()).append('"');
            }
            String held = held(info, names);
            if (!held.equals("no lock")) out.append(", holding ").append(held);
            out.append('\n');
            Arrays.stream(info.getStackTrace()).filter(Threads::shown).limit(8)
                  .forEach(frame -> out.append("      at ").append(frame).append('\n'));
        }
        return out.toString();
    }

    /**
     * Interrupts the stuck threads. If some of them are running (a spin loop does not look at
     * interrupts), all those still alive after {@value #GRACE_MS} ms are stopped, so they do not
     * burn the CPUs under the tests that follow. Returns a line for the report.
     */
    @SuppressWarnings("deprecation")
    private static String stop(List<Thread> stuck, String name) {
        stuck.forEach(Thread::interrupt);
        boolean spinning = stuck.stream().anyMatch(t -> t.getState() == Thread.State.RUNNABLE);
        if (!spinning) return ""; // blocked threads burn no CPU: left as they are, for the caller to inspect
        {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS);
            try {
                for (Thread t : stuck) {
                    long left = until - System.nanoTime();
                    if (left > 0) TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // All of them, not only the running ones: a thread waiting behind a spinning one would
        // otherwise go on (and spin in its turn) as soon as the spinning one is gone.
        List<Thread> alive = stuck.stream().filter(Thread::isAlive).toList();
        List<String> unstoppable = new ArrayList<>();
        for (Thread t : alive) {
            try {
                t.stop(); // Java 17: throws ThreadDeath in t (waking it if it waits), which unwinds it and frees its monitors
            } catch (UnsupportedOperationException | SecurityException e) {
                unstoppable.add(t.getName());
            }
        }
        if (unstoppable.isEmpty()) {
            return "(The stuck threads were stopped, so they do not slow down the tests that follow.)\n";
        }
        leftRunning = "the " + name + " threads " + unstoppable + " of an earlier test are still running (this JDK"
                + " cannot stop them).";
        return "(" + unstoppable.size() + " thread(s) keep running and cannot be stopped on this JDK: the tests that"
                + " follow will not run.)\n";
    }

    /**
     * Watches the threads of one run for a livelock: every thread stays where it is (same code,
     * same locks held, never blocks or waits) for {@value #LIVELOCK_MS} ms, and at least one of
     * them is RUNNABLE while it holds a lock. A thread that makes progress moves between samples
     * (it returns, blocks on a contended lock, or holds other locks); one that retries in place,
     * holding a lock the others need, does not.
     */
    private static final class Sampler {
        private final long[] ids;
        private String[] signatures;
        private long since;
        private long[] cpuSince; // CPU time of each thread when it last moved

        Sampler(List<Thread> threads) {
            ids = threads.stream().mapToLong(Thread::getId).toArray();
        }

        /** Takes one sample; the LIVELOCK report (without stacks) if the threads have not moved for long enough. */
        String sample(Map<?, String> lockNames) {
            ThreadInfo[] infos = ManagementFactory.getThreadMXBean().getThreadInfo(ids, true, true);
            String[] now = new String[infos.length];
            for (int i = 0; i < infos.length; i++) now[i] = signature(infos[i]);
            long t = System.nanoTime();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            if (signatures == null || !Arrays.equals(signatures, now)) {
                signatures = now;
                since = t;
                cpuSince = Arrays.stream(ids).map(mx::getThreadCpuTime).toArray();
                return null;
            }
            long still = TimeUnit.NANOSECONDS.toMillis(t - since);
            if (still < LIVELOCK_MS) return null;
            Names names = names(lockNames);
            List<String> spinning = new ArrayList<>();
            int alive = 0;
            for (int i = 0; i < infos.length; i++) {
                ThreadInfo info = infos[i];
                if (info == null || info.getThreadState() == Thread.State.TERMINATED) continue;
                alive++;
                String held = held(info, names);
                if (info.getThreadState() != Thread.State.RUNNABLE || held.equals("no lock")) continue;
                // Spinning, not just waiting for a CPU on a busy machine: it has used CPU time without moving.
                long cpu = mx.getThreadCpuTime(ids[i]);
                if (cpu >= 0 && cpuSince[i] >= 0 && cpu - cpuSince[i] < TimeUnit.MILLISECONDS.toNanos(SPIN_CPU_MS)) continue;
                StackTraceElement at = firstOwnFrame(info.getStackTrace());
                spinning.add("  \"" + info.getThreadName() + "\" retries in " + (at == null ? "?" : at.getClassName()
                        .substring(at.getClassName().lastIndexOf('.') + 1) + "." + at.getMethodName() + " line "
                        + at.getLineNumber()) + " while holding " + held + "\n");
            }
            if (spinning.isEmpty()) return null;
            return "LIVELOCK: " + spinning.size() + " thread(s) RUNNABLE for " + still / 1000.0 + " s, each retrying"
                    + " in place while it holds a lock; none of the " + alive + " thread(s) got anywhere:\n"
                    + String.join("", spinning)
                    + "They never block, so the JVM sees no deadlock, but each one keeps what it holds and retries"
                    + " for what another one holds: nobody gets on. Retrying does not help while the lock the others"
                    + " need is still held; take the locks in one agreed order, or let go of everything before"
                    + " trying again.\n";
        }

        /** State, locks held and stack of a thread; the line of its innermost frame of our own code is left out. */
        private static String signature(ThreadInfo info) {
            if (info == null) return "gone";
            StringBuilder out = new StringBuilder().append(info.getThreadState()).append(' ')
                    .append(info.getBlockedCount()).append('/').append(info.getWaitedCount());
            for (MonitorInfo m : info.getLockedMonitors()) out.append(" M").append(m.getIdentityHashCode());
            for (LockInfo l : info.getLockedSynchronizers()) out.append(" S").append(l.getIdentityHashCode());
            StackTraceElement[] stack = info.getStackTrace();
            StackTraceElement own = firstOwnFrame(stack);
            boolean below = false;
            for (StackTraceElement frame : stack) {
                if (frame == own) {
                    out.append(" | ").append(frame.getClassName()).append('.').append(frame.getMethodName());
                    below = true;
                } else if (below) {
                    out.append(" | ").append(frame);
                }
            }
            return out.toString();
        }
    }

    /** The innermost frame outside the JDK: where the thread is in the code under test. */
    private static StackTraceElement firstOwnFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String c = frame.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) return frame;
        }
        return null;
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

    /**
     * The readable names, by lock identity: each named object, and each object held in one of its
     * own fields (e.g. an account's {@code ReentrantLock}, named "account A's lock").
     */
    private static Names names(Map<?, String> lockNames) {
        Names names = new Names(new HashMap<>(), new LinkedHashMap<>());
        lockNames.forEach((lock, label) -> {
            for (Class<?> c = lock.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                if (c.getName().startsWith("java.")) break;
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || f.getType() == String.class) continue;
                    try {
                        f.setAccessible(true);
                        Object value = f.get(lock);
                        if (value == null) continue;
                        names.byKey().putIfAbsent(key(value.getClass().getName(), System.identityHashCode(value)),
                                label + "'s " + f.getName());
                        if (value instanceof ReentrantLock) names.reentrantLocks().putIfAbsent(value, label + "'s " + f.getName());
                    } catch (RuntimeException | IllegalAccessException e) {
                        // not readable: that lock keeps its plain name
                    }
                }
            }
        });
        lockNames.forEach((lock, label) -> names.byKey().put(key(lock.getClass().getName(), System.identityHashCode(lock)), label));
        return names;
    }

    private static String held(ThreadInfo info, Names names) {
        Set<String> held = new LinkedHashSet<>(); // a monitor taken again (reentrant) is listed once
        for (MonitorInfo m : info.getLockedMonitors()) held.add(lockName(m, names));
        // A ReentrantLock shows up as its internal synchronizer, which has no name of its own: name it
        // by the lock whose toString() says it is "Locked by" this thread (documented format).
        List<String> byOwner = new ArrayList<>();
        names.reentrantLocks().forEach((lock, label) -> {
            if (lock.toString().endsWith("[Locked by thread " + info.getThreadName() + "]")) byOwner.add(label);
        });
        for (LockInfo l : info.getLockedSynchronizers()) {
            String name = lockName(l, names);
            if (name.equals(l.toString()) && l.getClassName().startsWith(ReentrantLock.class.getName()) && !byOwner.isEmpty()) {
                name = byOwner.remove(0);
            }
            held.add(name);
        }
        return held.isEmpty() ? "no lock" : String.join(", ", held);
    }

    /** Readable lock names: by lock identity, and the ReentrantLocks found in the named objects' fields. */
    private record Names(Map<String, String> byKey, Map<Object, String> reentrantLocks) {}

    private static String lockName(LockInfo lock, Names names) {
        if (lock == null) return "nothing";
        String label = names.byKey().get(key(lock.getClassName(), lock.getIdentityHashCode()));
        return label != null ? label : lock.toString();
    }

    private static String key(String className, int identityHashCode) {
        return className + "@" + identityHashCode;
    }
}
