package katas.ci;

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
 * per check, in {@link StressRun}'s format: {@code harness NAME STATUS LABEL REPORT}.
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
    record LoadCheck(String name, String className, List<String> args) {}

    static List<LoadCheck> parse(List<String> lines) {
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
        List<List<String>> records = new ArrayList<>();
        try {
            for (LoadCheck check : parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8))) {
                records.add(run(check));
            }
        } catch (Throwable e) {
            records.clear();
            records.add(List.of("crash", "the load harness broke: " + TestRun.stackTrace(e, 40)));
        }
        System.out.flush();
        Signed.write(channel, records);
        Runtime.getRuntime().halt(0);
    }

    @SuppressWarnings("unchecked")
    private static List<String> run(LoadCheck check) throws InterruptedException {
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
            return List.of("harness", check.name(), Check.TIMEOUT, "TIMEOUT", cut("the load check did not finish within "
                    + CHECK_LIMIT_SECONDS + " s. Every thread:\n" + allStacks()));
        }
        if (o instanceof String report) {
            System.out.println(check.name() + ": " + report + took);
            return List.of("harness", check.name(), Check.PASS, "OK", report + took);
        }
        Throwable e = (Throwable) o;
        if (e instanceof AssertionError) {
            System.out.println(check.name() + ": FAILED: " + e.getMessage());
            return List.of("harness", check.name(), Check.FAIL, "FAILED", cut(e.getMessage() + took));
        }
        return List.of("harness", check.name(), Check.ERROR, "ERROR", cut(TestRun.stackTrace(e, 40)));
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
