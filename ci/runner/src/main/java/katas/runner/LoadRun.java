package katas.runner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The trusted main of the stress layer's JVM for a kata whose stress suite is a load harness
 * instead of jcstress harnesses (the echo kata: sockets cannot be modelled by Lincheck or
 * jcstress). Reads the signed-results channel first (see {@link Signed}), then runs each line of
 * the kata's {@code stress/NAME/load-checks} file in this JVM and hands back one signed record
 * per check, as {@link StressRun} does: one {@link Results.HarnessOutcome} per check.
 *
 * <p>A line of {@code load-checks} is {@code NAME = CLASS ARGUMENTS...} ({@code #} starts a
 * comment). CLASS is a trusted class of {@code stress/NAME} with a public no-argument
 * constructor that implements {@code java.util.function.Function<String[], String>}: it runs the
 * load (bounded in count and time, loopback only, stopping by itself) and returns its report,
 * or throws an {@link AssertionError} that says which client got what. A check that does not
 * return within {@link #CHECK_LIMIT_SECONDS} is a timeout, reported with every thread's stack.
 */
public final class LoadRun {
    private LoadRun() {}

    static final long CHECK_LIMIT_SECONDS = 90;
    private static final int REPORT_KEPT = 20_000;

    /** One line of a load-checks file. */
    public record LoadCheck(String name, String className, List<String> args) {}

    public static List<LoadCheck> parse(List<String> lines) {
        List<LoadCheck> checks = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("a load check is NAME = CLASS ARGUMENTS...; got: " + line);
            List<String> words = Arrays.asList(line.substring(eq + 1).strip().split("\\s+"));
            if (words.isEmpty() || words.get(0).isEmpty()) throw new IllegalArgumentException("no class in: " + line);
            checks.add(new LoadCheck(line.substring(0, eq).strip(), words.get(0), List.copyOf(words.subList(1, words.size()))));
        }
        return checks;
    }

    /** args: the load-checks file. */
    public static void main(String[] args) throws Exception {
        Signed.Channel channel = Signed.readChannel();
        Results results;
        try {
            List<Results.HarnessOutcome> outcomes = new ArrayList<>();
            for (LoadCheck check : parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8))) {
                outcomes.add(run(check));
            }
            results = Results.ofHarnesses(outcomes);
        } catch (Throwable e) {
            results = Results.crashed("the load harness broke: " + TestRun.stackTrace(e, 40));
        }
        System.out.flush();
        Signed.write(channel, results);
        Runtime.getRuntime().halt(0);
    }

    @SuppressWarnings("unchecked")
    private static Results.HarnessOutcome run(LoadCheck check) throws InterruptedException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Object harness = Class.forName(check.className()).getConstructor().newInstance();
                String report = ((Function<String[], String>) harness).apply(check.args().toArray(new String[0]));
                outcome.set(report == null ? "" : report);
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "load-check-" + check.name());
        t.setDaemon(true);
        long start = System.nanoTime();
        t.start();
        t.join(CHECK_LIMIT_SECONDS * 1_000);
        String took = String.format(java.util.Locale.ROOT, " (%.1f s)", (System.nanoTime() - start) / 1e9);
        Object o = outcome.get();
        if (t.isAlive() || o == null) {
            return new Results.HarnessOutcome(check.name(), Results.Status.TIMEOUT, "TIMEOUT", cut("the load check did not finish within "
                    + CHECK_LIMIT_SECONDS + " s. Every thread:\n" + allStacks()));
        }
        if (o instanceof String report) {
            System.out.println(check.name() + ": " + report + took);
            return new Results.HarnessOutcome(check.name(), Results.Status.PASS, "OK", report + took);
        }
        Throwable e = (Throwable) o;
        if (e instanceof AssertionError) {
            System.out.println(check.name() + ": FAILED: " + e.getMessage());
            return new Results.HarnessOutcome(check.name(), Results.Status.FAIL, "FAILED", cut(e.getMessage() + took));
        }
        return new Results.HarnessOutcome(check.name(), Results.Status.ERROR, "ERROR", cut(TestRun.stackTrace(e, 40)));
    }

    private static String allStacks() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            s.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
            for (StackTraceElement f : Arrays.copyOf(e.getValue(), Math.min(e.getValue().length, 15))) {
                s.append("    at ").append(f).append('\n');
            }
        }
        return s.toString();
    }

    private static String cut(String text) {
        return text.length() <= REPORT_KEPT ? text : text.substring(0, REPORT_KEPT) + "\n[... report cut]";
    }
}
