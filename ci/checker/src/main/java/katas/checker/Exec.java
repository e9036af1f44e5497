package katas.checker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one child process with a hard time limit, a cap on what it may print and a cap on how
 * many threads it (and everything it starts) may have.
 *
 * <p>The child runs in its own process group ({@code setsid}), so that when it ends, or is
 * killed at the limit, everything it started is killed with it. On a timeout, every JVM of the
 * group is asked for a thread dump ({@code jcmd Thread.print}) first, so that a hang comes back
 * as a diagnosis: where each thread was and, if there is one, the Java-level deadlock.
 *
 * <p>The child gets a small, clean environment (no tokens or secrets of the grader's, no
 * {@code JAVA_TOOL_OPTIONS}) with {@code TMPDIR} set, and reads {@code stdin} (or nothing).
 */
public final class Exec {
    private Exec() {}

    /** Children running now: killed (with their process groups) if the checker itself is stopped (Ctrl-C, SIGTERM). */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Exec::killAll, "kill-children"));
    }

    /** Kills every child still running, and its process group. */
    public static void killAll() {
        for (Process p : LIVE) killGroup(p);
    }

    /**
     * Environment variables a child keeps; everything else (tokens, {@code GITHUB_*}, {@code JAVA_TOOL_OPTIONS}...)
     * is dropped.
     */
    private static final List<String> KEPT_ENV = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ");

    /** How often the thread cap is checked. */
    private static final long WATCH_MILLIS = 100;

    /**
     * What a child did. {@code output} holds at most the cap; {@code outputBytes} counts everything.
     * {@code threads} is the most threads seen at once in its process tree; {@code tooManyThreads}
     * says it was killed for going over the cap.
     */
    record Result(int exitCode, boolean timedOut, String output, long outputBytes, String threadDump, double seconds,
                  int threads, boolean tooManyThreads) {}

    /**
     * Runs {@code command} in {@code dir} until it ends or {@code limit} passes, echoing its output
     * to {@code echo} (may be null) and keeping at most {@code outputCap} bytes of it.
     *
     * @param stdin      written to the child's standard input, which is then closed (null: /dev/null)
     * @param tmp        the child's TMPDIR (null: inherit)
     * @param maxThreads kill the child when its process tree has more threads than this (0: no cap)
     * @param gate       null, or the gate the child waits at: the time limit (and the time reported) starts when it opens
     */
    static Result run(List<String> command, Path dir, Duration limit, int outputCap, PrintStream echo,
                      byte[] stdin, Path tmp, int maxThreads, Gate gate) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.addAll(command);
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                        : ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(KEPT_ENV);
        if (tmp != null) env.put("TMPDIR", tmp.toString());
        env.put("MALLOC_ARENA_MAX", "2"); // glibc's per-thread arenas would eat the address-space limit
        Process process = builder.start();
        LIVE.add(process);
        try {
            return watch(process, start, limit, outputCap, echo, stdin, maxThreads, gate);
        } finally {
            if (process.isAlive()) killGroup(process);
            LIVE.remove(process);
        }
    }

    private static Result watch(Process process, long start, Duration limit, int outputCap, PrintStream echo,
                                byte[] stdin, int maxThreads, Gate gate) throws InterruptedException {
        CappedSink sink = new CappedSink(process.getInputStream(), outputCap, echo);
        Thread reader = new Thread(sink, "output-of-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        if (stdin != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the child died before reading its input: its exit code tells the rest
            }
        }
        boolean finished = false;
        boolean tooMany = false;
        int peak = 0;
        while (true) {
            if (gate != null && gate.cancelled) break;
            if (gate != null && gate.openedAt != 0) start = gate.openedAt;
            long left = gate != null && gate.openedAt == 0 ? Long.MAX_VALUE : start + limit.toNanos() - System.nanoTime();
            if (left <= 0) break;
            if (process.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, WATCH_MILLIS), TimeUnit.MILLISECONDS)) {
                finished = true;
                break;
            }
            if (maxThreads > 0) {
                int threads = threads(process);
                peak = Math.max(peak, threads);
                if (threads > maxThreads) {
                    tooMany = true;
                    break;
                }
            }
        }
        boolean cancelled = gate != null && gate.cancelled && !finished;
        String dump = "";
        if (!finished && !tooMany && !cancelled) dump = threadDumps(process);
        killGroup(process);
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(5_000);
        if (gate != null && gate.openedAt != 0) start = gate.openedAt;
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean timedOut = !finished && !tooMany && !cancelled;
        return new Result(finished ? process.exitValue() : -1, timedOut, sink.text(), sink.total, dump, seconds, peak, tooMany);
    }

    /**
     * Kills processes that escaped their process group (a {@code setsid} and a double fork make a
     * process neither a member of the group nor a descendant) but still show where they came from:
     * their working directory, or their command line, is inside {@code work}. Returns how many.
     */
    static int killStrays(Path work) {
        String dir = work.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        int killed = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            if (p.pid() == self) continue;
            boolean stray = p.info().commandLine().map(c -> c.contains(dir)).orElse(false);
            if (!stray) {
                try {
                    stray = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).toString().startsWith(dir);
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    // gone, not ours to read, or not Linux
                }
            }
            if (stray && p.destroyForcibly()) killed++;
        }
        return killed;
    }

    /** Threads of the child and of everything it started, from /proc (0 where /proc is not readable). */
    static int threads(Process process) {
        int total = threadsOf(process.pid());
        for (ProcessHandle p : process.descendants().toList()) total += threadsOf(p.pid());
        return total;
    }

    private static int threadsOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).strip());
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or this is not Linux
        }
        return 0;
    }

    /** Kills the child's whole process group, then anything still known to descend from it. */
    static void killGroup(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // fall through to the per-process kill below
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (ProcessHandle p : tree) {
            try {
                Files.deleteIfExists(Path.of("/tmp/.java_pid" + p.pid()));
            } catch (IOException ignored) {
                // an attach socket left by a killed JVM; harmless
            }
        }
        try {
            Files.deleteIfExists(Path.of("/tmp/.java_pid" + process.pid()));
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Thread dumps of the child and of every JVM it started (jcstress forks), each bounded in time. */
    private static String threadDumps(Process process) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        StringBuilder out = new StringBuilder();
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        for (long pid : pids) {
            try {
                Process p = new ProcessBuilder(jcmd, "-J-XX:-UsePerfData", Long.toString(pid), "Thread.print", "-l")
                        .redirectErrorStream(true).start();
                CappedSink sink = new CappedSink(p.getInputStream(), 256 * 1024, null);
                Thread t = new Thread(sink);
                t.setDaemon(true);
                t.start();
                if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
                t.join(2_000);
                String text = sink.text();
                if (text.contains("Full thread dump")) out.append("--- process ").append(pid).append(" ---\n").append(text);
            } catch (IOException | InterruptedException e) {
                out.append("(no thread dump of ").append(pid).append(": ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** Threads every JVM has, which never explain a hang. */
    private static final java.util.regex.Pattern JVM_THREADS = java.util.regex.Pattern.compile(
            "Reference Handler|Finalizer|Signal Dispatcher|Service Thread|Monitor Deflation Thread|C[12] CompilerThread\\d*"
            + "|Sweeper thread|Common-Cleaner|Notification Thread|Attach Listener|process reaper|DestroyJavaVM");

    /**
     * The threads still alive in thread dumps ({@code jcmd Thread.print} of each JVM), as the code
     * left them: name, daemon or not, state, the top {@code frames} frames; non-daemon threads (the
     * ones that keep a JVM alive) first, the JVM's own threads left out.
     */
    static String aliveThreads(String dumps, int frames) {
        record T(String process, String name, boolean daemon, String state, List<String> top) {}
        List<T> threads = new ArrayList<>();
        java.util.regex.Pattern header = java.util.regex.Pattern.compile("^\"(.*)\" #\\d+ (daemon )?prio=");
        String process = "";
        T current = null;
        for (String line : dumps.split("\n")) {
            if (line.startsWith("--- process ")) {
                process = line.replace("-", "").strip();
                continue;
            }
            java.util.regex.Matcher m = header.matcher(line);
            if (m.find()) {
                current = JVM_THREADS.matcher(m.group(1)).matches() ? null
                        : new T(process, m.group(1), m.group(2) != null, "", new ArrayList<>());
                if (current != null) threads.add(current);
            } else if (current != null && line.strip().startsWith("java.lang.Thread.State: ")) {
                T t = new T(current.process(), current.name(), current.daemon(), line.strip().substring(24), current.top());
                threads.set(threads.size() - 1, t);
                current = t;
            } else if (current != null && line.startsWith("\t") && current.top().size() < frames) {
                current.top().add(line.strip());
            } else if (line.isBlank()) {
                current = null;
            }
        }
        if (threads.isEmpty()) return "";
        threads.sort(java.util.Comparator.comparing(T::daemon));
        StringBuilder out = new StringBuilder();
        for (T t : threads.subList(0, Math.min(40, threads.size()))) {
            out.append("  \"").append(t.name()).append("\" (").append(t.daemon() ? "daemon" : "non-daemon")
                    .append(t.process().isEmpty() ? "" : ", " + t.process()).append(") ").append(t.state()).append('\n');
            for (String f : t.top()) out.append("      ").append(f).append('\n');
        }
        if (threads.size() > 40) out.append("  ... and ").append(threads.size() - 40).append(" more threads\n");
        return out.toString();
    }

    /** The "Found one Java-level deadlock" part of a thread dump, if any: the lock cycle. */
    static String deadlockSection(String dump) {
        java.util.regex.Matcher found = java.util.regex.Pattern.compile("Found (one|\\d+) Java-level deadlocks?").matcher(dump);
        if (!found.find()) return "";
        int at = found.start();
        int end = dump.indexOf("Java stack information for the threads listed above", at);
        return dump.substring(at, end < 0 ? Math.min(dump.length(), at + 4_000) : end).strip();
    }

    /**
     * Holds a child at the start line: it starts (and warms up) while the checker still compiles,
     * then blocks opening the FIFO {@code dir/gate} until {@link #open} writes {@code go} into it;
     * {@link #cancel} kills it instead. Opening a FIFO to read blocks until a writer comes, so the
     * child waits without polling.
     */
    static final class Gate {
        private final Path path;
        private volatile long openedAt;
        private volatile boolean cancelled;
        private java.nio.channels.FileChannel writer;

        private Gate(Path path) {
            this.path = path;
        }

        static Gate in(Path dir) throws IOException, InterruptedException {
            return new Gate(mkfifo(dir, "gate"));
        }

        Path path() {
            return path;
        }

        /** Lets the child go; its time limit starts now. Kept open until {@link #close}, so the word cannot be lost. */
        synchronized void open() throws IOException {
            // Read and write: never blocks, unlike opening for writing only, even when the child is gone.
            writer = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.StandardOpenOption.WRITE);
            writer.write(java.nio.ByteBuffer.wrap("go\n".getBytes(StandardCharsets.US_ASCII)));
            openedAt = System.nanoTime();
        }

        /** The child will not be needed (the code did not compile): it is killed, without a thread dump. */
        void cancel() {
            cancelled = true;
        }

        synchronized void close() {
            try {
                if (writer != null) writer.close();
            } catch (IOException ignored) {
                // nothing left to tell the child
            }
        }
    }

    private static Path mkfifo(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path fifo = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
        String said = new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!mk.waitFor(10, TimeUnit.SECONDS) || mk.exitValue() != 0) throw new IOException("mkfifo failed: " + said);
        return fifo;
    }

    /**
     * The results channel of a layer: a FIFO that the layer's trusted main writes its signed records
     * to, read here as they come. It lives in a directory the sandbox mounts read-only, so the code
     * under test can at most write into the same pipe (which only breaks the signature), never leave
     * a file; and what is read is capped.
     */
    static final class Pipe {
        private static final int CAP = 64 << 20;
        private final Path path;
        private final CappedSink sink = new CappedSink(null, CAP, null);
        private final Thread reader;

        private Pipe(Path path) {
            this.path = path;
            this.reader = new Thread(() -> {
                try {
                    sink.drain(Files.newInputStream(path));
                } catch (IOException e) {
                    // nothing to read: the collector sees an empty channel
                }
            }, "results-" + path.getFileName());
            reader.setDaemon(true);
            reader.start();
        }

        /** A new FIFO {@code dir/results}, already being read. */
        static Pipe open(Path dir) throws IOException, InterruptedException {
            return new Pipe(mkfifo(dir, "results"));
        }

        Path path() {
            return path;
        }

        /** After the writer is gone: everything it wrote (empty when it never wrote), or null when over the cap. */
        byte[] collect() throws InterruptedException {
            if (reader.isAlive()) {
                // Never opened by a writer (the JVM died first): open it once ourselves, so the reader sees EOF.
                // (Read and write: opening a FIFO so never blocks, unlike opening it for writing only.)
                try (java.nio.channels.FileChannel unblock = java.nio.channels.FileChannel.open(path,
                        java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                    unblock.force(false);
                } catch (IOException e) {
                    // the reader is gone already
                }
            }
            reader.join(10_000);
            return sink.total > CAP ? null : sink.bytes();
        }
    }

    /** Drains a stream, keeping the first {@code cap} bytes and counting the rest. */
    private static final class CappedSink implements Runnable {
        private final InputStream in;
        private final int cap;
        private final PrintStream echo;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile long total;

        CappedSink(InputStream in, int cap, PrintStream echo) {
            this.in = in;
            this.cap = cap;
            this.echo = echo;
        }

        @Override
        public void run() {
            drain(in);
        }

        void drain(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    int keep = (int) Math.max(0, Math.min(n, cap - total));
                    synchronized (kept) {
                        kept.write(buffer, 0, keep);
                    }
                    if (echo != null && keep > 0) echo.write(buffer, 0, keep);
                    total += n;
                }
            } catch (IOException e) {
                // the child was killed; what we have is what there is
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        String text() {
            synchronized (kept) {
                String s = kept.toString(StandardCharsets.UTF_8);
                return total > cap ? s + "\n[... output cut at " + cap + " of " + total + " bytes]\n" : s;
            }
        }
    }
}
