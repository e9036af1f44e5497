package katas.runner;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The trusted main of the tests layer's JVM: runs every JUnit 5 test found in a classes
 * directory (the kata's trusted tests) and hands the results back signed (see {@link Signed}).
 *
 * <p>Usage (by the checker, katas.checker.Checker, only): {@code TestRun TEST_CLASSES_DIR [GATE [lincheck]]}, with the
 * results channel on standard input; with a GATE it warms up first (Lincheck too when the kata's
 * tests use it) and waits there (the checker's gate).
 * It prints one line per test as it goes (for people), and the code's own output passes through;
 * only the signed file counts. When the tests are done it halts the JVM, so threads the code left
 * behind cannot keep it alive.
 *
 * <p>Results: one {@link Results.TestOutcome} per test, or the crash when the run itself broke.
 */
public final class TestRun {
    private TestRun() {}

    /** Per-test output kept for reports (Exercism shows at most 500 characters). */
    private static final int OUTPUT_KEPT = 2_000;

    public static void main(String[] args) throws Exception {
        Signed.Channel channel = Signed.readChannel();
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Recorder recorder = new Recorder(console);
        System.setOut(new PrintStream(new Tee(new FileOutputStream(FileDescriptor.out), recorder), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(new FileOutputStream(FileDescriptor.err), recorder), true, StandardCharsets.UTF_8));
        if (args.length > 1) awaitGate(Path.of(args[1]), args.length > 2 && args[2].equals("lincheck"));
        Results results;
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClasspathRoots(Set.of(Path.of(args[0]))))
                    .build(); // configured by the kata's junit-platform.properties, which the checker put beside the tests
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, recorder);
            results = recorder.results();
        } catch (Throwable e) {
            results = Results.crashed("the test run broke: " + stackTrace(e, 40));
        }
        Signed.write(channel, results);
        console.flush();
        Runtime.getRuntime().halt(0);
    }

    /**
     * Started while the checker still compiles (the checker's gate): warms up what every kata's
     * tests use first (the JUnit launcher and, when {@code lincheck}, Lincheck's instrumentation of
     * the JDK, which takes seconds), then waits for the word. Nothing of the code under test exists
     * yet; the results of the warm-up are not kept.
     */
    private static void awaitGate(Path gate, boolean lincheck) throws Exception {
        try {
            LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request().build());
            if (lincheck) org.jetbrains.lincheck.Lincheck.runConcurrentTest(20, () -> {
                java.util.concurrent.atomic.AtomicInteger cell = new java.util.concurrent.atomic.AtomicInteger();
                Thread other = new Thread(cell::incrementAndGet);
                other.start();
                cell.incrementAndGet();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (Throwable expected) {
            // whatever happened, what could be loaded is loaded
        }
        byte[] word;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(gate)) { // blocks until the checker opens it
            word = in.readNBytes(3);
        }
        if (!new String(word, StandardCharsets.US_ASCII).equals("go\n")) Runtime.getRuntime().halt(3);
    }

    public static String stackTrace(Throwable e, int maxLines) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        String[] lines = w.toString().split("\n");
        if (lines.length <= maxLines) return w.toString().strip();
        return String.join("\n", List.of(lines).subList(0, maxLines)) + "\n\t... " + (lines.length - maxLines) + " more lines";
    }

    /** Copies what the code prints to the real stream and into the current test's output. */
    private static final class Tee extends OutputStream {
        private final OutputStream out;
        private final Recorder recorder;

        Tee(OutputStream out, Recorder recorder) {
            this.out = out;
            this.recorder = recorder;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            recorder.output(b, off, len);
            out.write(b, off, len);
        }
    }

    /** Collects one record per test, in the order they ran. */
    private static final class Recorder implements TestExecutionListener {
        private final PrintStream console;
        private final Map<String, Results.TestOutcome> byId = new LinkedHashMap<>();
        private final Map<String, Long> started = new HashMap<>();
        private final Map<String, Throwable> containerFailures = new HashMap<>();
        private final Set<TestIdentifier> planned = new LinkedHashSet<>();
        private TestPlan plan;
        private StringBuilder output = new StringBuilder();

        Recorder(PrintStream console) {
            this.console = console;
        }

        synchronized void output(byte[] b, int off, int len) {
            int room = OUTPUT_KEPT - output.length();
            if (room > 0) output.append(new String(b, off, Math.min(len, room), StandardCharsets.UTF_8));
        }

        /** The current test's output (Lincheck's own warnings are off: -Dlincheck.logLevel=ERROR). */
        private synchronized String takeOutput() {
            String s = output.toString();
            output = new StringBuilder();
            return s;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
            for (TestIdentifier root : testPlan.getRoots()) {
                for (TestIdentifier d : testPlan.getDescendants(root)) if (d.isTest()) planned.add(d);
            }
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (!id.isTest()) return;
            takeOutput();
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                record(id, Results.Status.SKIPPED, null, reason == null ? "" : reason);
            } else if (plan != null) {
                for (TestIdentifier d : plan.getDescendants(id)) if (d.isTest()) record(d, Results.Status.SKIPPED, null, reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Throwable t = result.getThrowable().orElse(null);
            if (!id.isTest()) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && t != null) containerFailures.put(id.getUniqueId(), t);
                return;
            }
            Results.Status status = switch (result.getStatus()) {
                case SUCCESSFUL -> Results.Status.PASS;
                case ABORTED -> Results.Status.ABORTED;
                case FAILED -> Results.Status.FAIL;
            };
            record(id, status, t, "");
        }

        private void record(TestIdentifier id, Results.Status status, Throwable t, String reason) {
            Long start = started.remove(id.getUniqueId());
            double seconds = start == null ? 0 : (System.nanoTime() - start) / 1e9;
            String type = t == null ? "" : t.getClass().getName();
            String message = t == null ? reason : String.valueOf(t.getMessage() == null ? "" : t.getMessage());
            String detail = t == null ? "" : stackTrace(t, 60);
            String name = name(id);
            byId.put(id.getUniqueId(), new Results.TestOutcome(name, id.getDisplayName(), status, type, message, detail, seconds,
                    start == null ? "" : takeOutput()));
            String first = message.isBlank() ? type : message.strip().lines().findFirst().orElse("");
            console.printf("  [%s] %s (%.1f s)%s%n", status.name().toLowerCase(java.util.Locale.ROOT), name, seconds,
                    status == Results.Status.PASS ? "" : ": " + first);
        }

        Results results() {
            List<Results.TestOutcome> outcomes = new ArrayList<>(byId.values());
            for (TestIdentifier id : planned) {
                if (byId.containsKey(id.getUniqueId())) continue;
                Throwable cause = null;
                for (Optional<TestIdentifier> p = plan.getParent(id); p.isPresent() && cause == null; p = plan.getParent(p.get())) {
                    cause = containerFailures.get(p.get().getUniqueId());
                }
                String why = cause == null ? "did not run" : "did not run: " + cause.getClass().getName() + ": " + cause.getMessage();
                outcomes.add(new Results.TestOutcome(name(id), id.getDisplayName(), Results.Status.NOT_RUN,
                        cause == null ? "" : cause.getClass().getName(), why, cause == null ? "" : stackTrace(cause, 60), 0, ""));
            }
            if (outcomes.isEmpty() && !containerFailures.isEmpty()) {
                Throwable t = containerFailures.values().iterator().next();
                return Results.crashed("the tests could not start: " + stackTrace(t, 60));
            }
            return Results.ofTests(outcomes);
        }

        /** ClassName.method, as the kill matrix names a test: the simple class name and the legacy reporting name. */
        private String name(TestIdentifier id) {
            String cls = null;
            for (Optional<TestIdentifier> at = Optional.of(id); at.isPresent() && cls == null;
                 at = plan == null ? Optional.empty() : plan.getParent(at.get())) {
                TestSource source = at.get().getSource().orElse(null);
                if (source instanceof MethodSource m) cls = m.getClassName();
                else if (source instanceof ClassSource c) cls = c.getClassName();
            }
            String legacy = id.getLegacyReportingName().replaceAll("\\(\\)$", "");
            return cls == null ? legacy : cls.substring(cls.lastIndexOf('.') + 1) + "." + legacy;
        }
    }
}
