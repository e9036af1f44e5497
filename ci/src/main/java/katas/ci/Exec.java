package katas.ci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one child process with a hard time limit and a cap on what it may print.
 *
 * <p>The child runs in its own process group ({@code setsid}), so that when it ends, or is
 * killed at the limit, everything it started is killed with it. On a timeout, every JVM of the
 * group is asked for a thread dump ({@code jcmd Thread.print}) first, so that a hang comes back
 * as a diagnosis: where each thread was and, if there is one, the Java-level deadlock.
 */
final class Exec {
    private Exec() {}

    /** What a child did. {@code output} holds at most the cap; {@code outputBytes} counts everything. */
    record Result(int exitCode, boolean timedOut, String output, long outputBytes, String threadDump, double seconds) {
        boolean truncated(int cap) {
            return outputBytes > cap;
        }
    }

    static Result run(List<String> command, Path dir, Duration limit, int outputCap, PrintStream echo)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.addAll(command);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(full)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CappedSink sink = new CappedSink(process.getInputStream(), outputCap, echo);
        Thread reader = new Thread(sink, "output-of-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        String dump = "";
        if (!finished) dump = threadDumps(process);
        killGroup(process);
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(5_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(finished ? process.exitValue() : -1, !finished, sink.text(), sink.total, dump, seconds);
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
                Process p = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print", "-l")
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

    /** The "Found one Java-level deadlock" part of a thread dump, if any: the lock cycle. */
    static String deadlockSection(String dump) {
        int at = dump.indexOf("Found one Java-level deadlock");
        if (at < 0) at = dump.indexOf("Found 2 Java-level deadlocks");
        if (at < 0) return "";
        int end = dump.indexOf("Java stack information for the threads listed above", at);
        return dump.substring(at, end < 0 ? Math.min(dump.length(), at + 4_000) : end).strip();
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

        String text() {
            synchronized (kept) {
                String s = kept.toString(StandardCharsets.UTF_8);
                return total > cap ? s + "\n[... output cut at " + cap + " of " + total + " bytes]\n" : s;
            }
        }
    }
}
