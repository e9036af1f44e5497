package katas.ci;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks one implementation of one kata: compiles it with the kata's trusted tests and
 * harnesses, then runs each layer in a JVM of its own, under a time limit and an output cap.
 * Nothing the implementation does (loop, deadlock, exit, flood of output, stray threads or
 * processes) can outlive its layer or reach another kata.
 */
final class Checker {
    /**
     * How to check. {@code progress} gets one line per step; {@code echo} (may be null) gets the
     * children's output live; {@code maxThreads} caps the threads of a layer's process tree (0: no
     * cap); {@code tmp} is where work directories go (null: the system's temporary directory).
     */
    record Options(Set<String> layers, Duration testsLimit, Duration stressLimit, int outputCap,
                   List<String> jcstressArgs, PrintStream progress, PrintStream echo, int maxThreads, Path tmp) {
        static final List<String> QUICK_JCSTRESS = List.of("-m", "quick", "-sc", "false", "-jvmArgs", "-XX:+UseSerialGC");
        static final int MAX_THREADS = 2_000;

        static Options defaults(PrintStream progress) {
            return new Options(Set.of(Layer.TESTS, Layer.STRESS), Duration.ofSeconds(120), Duration.ofSeconds(180),
                    1 << 20, QUICK_JCSTRESS, progress, null, MAX_THREADS, null);
        }

        Options withLayers(Set<String> layers) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo, maxThreads, tmp);
        }

        Options withEcho(PrintStream echo) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo, maxThreads, tmp);
        }

        Options withLimits(Duration tests, Duration stress) {
            return new Options(layers, tests, stress, outputCap, jcstressArgs, progress, echo, maxThreads, tmp);
        }

        Options withJcstressArgs(List<String> args) {
            return new Options(layers, testsLimit, stressLimit, outputCap, args, progress, echo, maxThreads, tmp);
        }

        Options withMaxThreads(int max) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo, max, tmp);
        }

        Options withTmp(Path dir) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo, maxThreads, dir);
        }
    }

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final String libraries = Libraries.classpath();
    private final String checkerClasses = Libraries.checkerClasses();

    /**
     * Checks the implementation made of {@code sources} (layers of source directories, see
     * {@link Kata#overlay}); {@code label} names it in reports ("reference", "stub", a variant...).
     */
    KataResult check(Kata kata, String label, List<Path> sources, Options options) throws IOException, InterruptedException {
        Path work = options.tmp() == null ? Files.createTempDirectory("katas-" + kata.name() + "-")
                : Files.createTempDirectory(options.tmp(), "katas-" + kata.name() + "-");
        try {
            return check(kata, label, sources, options, work);
        } finally {
            int strays = Exec.killStrays(work);
            if (strays > 0) options.progress().println("[" + kata.name() + " / " + label + "] killed " + strays
                    + " process(es) that had left their layer's process group");
            deleteTree(work);
        }
    }

    private KataResult check(Kata kata, String label, List<Path> sources, Options o, Path work)
            throws IOException, InterruptedException {
        List<String> layers = Stream.of(Layer.TESTS, Layer.STRESS).filter(o.layers()::contains).toList();
        String prefix = "[" + kata.name() + " / " + label + "] ";
        long start = System.nanoTime();
        Path impl = work.resolve("impl-classes");
        Javac.Result compiled = Javac.compile(Kata.overlay(sources), "", impl, null);
        if (compiled.ok()) {
            List<String> stray = strayClasses(impl, kata.packageDirs());
            if (!stray.isEmpty()) {
                compiled = new Javac.Result(false, "the kata's code may only declare classes in package "
                        + String.join(", ", kata.packageDirs().stream().map(d -> d.replace('/', '.')).toList())
                        + " (or its subpackages), so that it cannot stand in for the tests, JUnit, Lincheck or jcstress; found:\n  "
                        + String.join("\n  ", stray.subList(0, Math.min(20, stray.size()))) + "\n");
            }
        }
        if (compiled.ok()) compiled = ApiCheck.check(kata, impl); // the kata's API allow-list, before anything runs
        if (!compiled.ok()) {
            o.progress().println(prefix + "does not compile");
            double s = (System.nanoTime() - start) / 1e9;
            String errors = compiled.errors();
            return new KataResult(kata.name(), label, layers.stream()
                    .map(l -> Layer.broken(l, Check.COMPILE_ERROR, errors, s, "")).toList());
        }
        List<Layer> results = new ArrayList<>();
        for (String layer : layers) {
            o.progress().println(prefix + layer + " ...");
            Layer result = layer.equals(Layer.TESTS) ? tests(kata, impl, work, o) : stress(kata, impl, work, o);
            long failed = result.checks().stream().filter(c -> !c.passed()).count();
            o.progress().printf("%s%s: %s (%d checks, %d not passed) in %.1f s%n", prefix, layer, result.status(),
                    result.checks().size(), failed, result.seconds());
            results.add(result);
        }
        return new KataResult(kata.name(), label, results);
    }

    /** Class files outside the allowed package directories, relative to {@code classes}. */
    static List<String> strayClasses(Path classes, List<String> packageDirs) throws IOException {
        if (!Files.isDirectory(classes)) return List.of();
        try (Stream<Path> walk = Files.walk(classes)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .filter(rel -> packageDirs.stream().noneMatch(d -> rel.startsWith(d + "/")))
                    .sorted().toList();
        }
    }

    // ---------------------------------------------------------------- tests: JUnit 5 + Lincheck

    private Layer tests(Kata kata, Path impl, Path work, Options o) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path classes = work.resolve("test-classes");
        List<Path> sources = new ArrayList<>(Kata.javaFiles(kata.tests()));
        sources.addAll(Kata.javaFiles(kata.support()));
        Javac.Result compiled = Javac.compile(sources, libraries + ":" + impl, classes, null);
        if (!compiled.ok()) {
            return Layer.broken(Layer.TESTS, Check.COMPILE_ERROR, "the kata's tests do not compile against this code"
                    + " (was a public class, constructor or method of the contract removed or changed?):\n"
                    + compiled.errors(), seconds(start), "");
        }
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path results = Files.createDirectories(work.resolve("results-" + java.util.UUID.randomUUID())).resolve("tests");
        byte[] key = Signed.newKey();
        // The trusted classes come first: the code's own classes (last) cannot stand in for any of them.
        List<String> command = List.of(JAVA, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx1g", "-Xss1m",
                "-Djava.io.tmpdir=" + tmp, "-cp", checkerClasses + ":" + classes + ":" + libraries + ":" + impl,
                TestRun.class.getName(), classes.toString());
        Exec.Result run = Exec.run(command, work, o.testsLimit(), o.outputCap(), o.echo(), Signed.stdin(key, results), tmp, o.maxThreads());
        if (run.tooManyThreads()) {
            return Layer.broken(Layer.TESTS, Check.ERROR, tooManyThreads("the tests", o.maxThreads(), run), run.seconds(), run.output());
        }
        if (run.timedOut()) {
            return Layer.broken(Layer.TESTS, Check.TIMEOUT, hung("the tests", o.testsLimit(), run), run.seconds(), run.output());
        }
        List<List<String>> records;
        try {
            records = Signed.read(results, key);
        } catch (Signed.ForgedException e) {
            return Layer.broken(Layer.TESTS, Check.ERROR, "the test results were not written by the checker's test runner ("
                    + e.getMessage() + "): did the code write into the checker's files?", run.seconds(), run.output());
        }
        if (records == null) {
            return Layer.broken(Layer.TESTS, Check.ERROR, "the test JVM stopped (exit code " + run.exitCode()
                    + ") before the tests finished: did the code call System.exit or Runtime.halt, or run out of memory?\n"
                    + tail(run.output(), 3_000), run.seconds(), run.output());
        }
        List<Check> checks = new ArrayList<>();
        for (List<String> r : records) {
            if (r.get(0).equals("crash")) {
                return Layer.broken(Layer.TESTS, Check.ERROR, r.get(1), run.seconds(), run.output());
            }
            if (r.get(0).equals("test")) checks.add(testCheck(r));
        }
        if (checks.isEmpty()) {
            return Layer.broken(Layer.TESTS, Check.ERROR, "no test ran\n" + tail(run.output(), 3_000), run.seconds(), run.output());
        }
        return Layer.of(Layer.TESTS, checks, seconds(start), run.output());
    }

    /** A check from a {@link TestRun} record: test NAME TITLE STATUS TYPE MESSAGE DETAIL SECONDS OUTPUT. */
    static Check testCheck(List<String> r) {
        String name = r.get(1);
        String title = r.get(2);
        String status = r.get(3);
        String type = r.get(4);
        String message = r.get(5);
        String detail = r.get(6);
        String output = r.get(8);
        return switch (status) {
            case "pass" -> new Check(Layer.TESTS, Check.PASS, name, "", title, output);
            case "skipped" -> new Check(Layer.TESTS, Check.FAIL, name, "skipped: every test of a kata must run"
                    + (message.isBlank() ? "" : " (" + message + ")"), title, output);
            case "aborted" -> new Check(Layer.TESTS, Check.FAIL, name, "aborted: every test of a kata must run to the end ("
                    + message + ")", title, output);
            case "not-run" -> new Check(Layer.TESTS, Check.ERROR, name, (message + "\n" + head(detail, 3_000)).strip(), title, output);
            default -> {
                boolean timedOut = type.endsWith("TimeoutException") || message.contains("timed out after");
                boolean assertion = type.contains("AssertionFailedError") || type.contains("LincheckAssertionError");
                String text;
                if (message.isBlank()) text = detail;
                else if (assertion || timedOut) text = message;
                else if (type.equals("java.lang.AssertionError")) text = type + ": " + message;
                else text = type + ": " + message + "\n" + stackOf(detail, 12);
                yield new Check(Layer.TESTS, timedOut ? Check.TIMEOUT : Check.FAIL, name, text.strip(), title, output);
            }
        };
    }

    /** The "at ..." lines of a stack trace, at most {@code max}: where an unexpected exception came from. */
    private static String stackOf(String detail, int max) {
        List<String> frames = detail.lines().filter(l -> l.strip().startsWith("at ") || l.strip().startsWith("Caused by"))
                .limit(max).toList();
        return String.join("\n", frames);
    }

    // ---------------------------------------------------------------- stress: jcstress

    private Layer stress(Kata kata, Path impl, Path work, Options o) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Path> sources = Kata.javaFiles(kata.stress());
        if (sources.isEmpty()) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "this kata has no jcstress harness in stress/" + kata.name(), 0, "");
        }
        Path classes = work.resolve("stress-classes");
        Javac.Result compiled = Javac.compile(sources, libraries + ":" + impl, classes, libraries);
        if (!compiled.ok()) {
            return Layer.broken(Layer.STRESS, Check.COMPILE_ERROR, "the kata's jcstress harnesses do not compile against this code:\n"
                    + compiled.errors(), seconds(start), "");
        }
        List<String> expected = harnessNames(classes.resolve("META-INF/TestList"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path results = Files.createDirectories(work.resolve("results-" + java.util.UUID.randomUUID())).resolve("stress");
        byte[] key = Signed.newKey();
        // jcstress passes these JVM options on to the forked JVMs that run the harnesses.
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx512m",
                "-Djava.io.tmpdir=" + tmp, "-cp", checkerClasses + ":" + classes + ":" + libraries + ":" + impl,
                StressRun.class.getName(), "-v", "-r", work.resolve("jcstress-report").toString()));
        command.addAll(forkArgs(o.jcstressArgs(), tmp));
        Exec.Result run = Exec.run(command, work, o.stressLimit(), o.outputCap(), o.echo(), Signed.stdin(key, results), tmp, o.maxThreads());
        if (run.tooManyThreads()) {
            return Layer.broken(Layer.STRESS, Check.ERROR, tooManyThreads("jcstress", o.maxThreads(), run), run.seconds(), run.output());
        }
        if (run.timedOut()) {
            return Layer.broken(Layer.STRESS, Check.TIMEOUT, hung("jcstress", o.stressLimit(), run), run.seconds(), run.output());
        }
        List<List<String>> records;
        try {
            records = Signed.read(results, key);
        } catch (Signed.ForgedException e) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "the jcstress results were not written by the checker's jcstress host ("
                    + e.getMessage() + "): did the code write into the checker's files?", run.seconds(), run.output());
        }
        if (records == null) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "jcstress stopped (exit code " + run.exitCode()
                    + ") before it finished\n" + tail(run.output(), 3_000), run.seconds(), run.output());
        }
        Map<String, Check> byName = new LinkedHashMap<>();
        for (List<String> r : records) {
            if (r.get(0).equals("crash")) return Layer.broken(Layer.STRESS, Check.ERROR, r.get(1), run.seconds(), run.output());
            if (!r.get(0).equals("harness")) continue;
            String status = r.get(2);
            String text = (status.equals(Check.PASS) ? "" : "jcstress: " + r.get(3) + "\n") + r.get(4).strip();
            byName.put(r.get(1), new Check(Layer.STRESS, status, r.get(1), text));
        }
        List<Check> checks = new ArrayList<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        for (String name : expected) {
            Check c = byName.remove(name);
            checks.add(c != null ? c : new Check(Layer.STRESS, Check.FAIL, name, "did not run: jcstress skipped it"
                    + " (a harness with more actors than this machine's " + cpus + " CPUs is skipped, and jcstress still exits 0)"));
        }
        checks.addAll(byName.values());
        if (checks.isEmpty()) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "jcstress ran no harness (exit code " + run.exitCode() + ")\n"
                    + tail(run.output(), 3_000), run.seconds(), run.output());
        }
        return Layer.of(Layer.STRESS, checks, seconds(start), run.output());
    }

    /** The jcstress options, with the forked JVMs told to leave no files behind (no perf data, temp files in {@code tmp}). */
    static List<String> forkArgs(List<String> jcstressArgs, Path tmp) {
        String extra = "-XX:-UsePerfData" + (tmp.toString().contains(" ") ? "" : " -Djava.io.tmpdir=" + tmp);
        List<String> args = new ArrayList<>(jcstressArgs);
        int at = args.indexOf("-jvmArgs");
        if (at >= 0 && at + 1 < args.size()) {
            args.set(at + 1, args.get(at + 1) + " " + extra);
        } else {
            args.addAll(List.of("-jvmArgsPrepend", extra));
        }
        return args;
    }

    /** Harness names from jcstress's generated META-INF/TestList: each line is JCTEST, then the name as LENGTH S TEXT. */
    static List<String> harnessNames(Path testList) throws IOException {
        if (!Files.exists(testList)) return List.of();
        List<String> names = new ArrayList<>();
        Pattern first = Pattern.compile("^JCTEST(\\d+)S");
        for (String line : Files.readAllLines(testList, StandardCharsets.UTF_8)) {
            Matcher m = first.matcher(line);
            if (m.find()) names.add(line.substring(m.end(), m.end() + Integer.parseInt(m.group(1))));
        }
        return names;
    }

    private static String tooManyThreads(String what, int max, Exec.Result run) {
        return what + " were stopped: the code had more than " + max + " threads running at once (" + run.threads()
                + " when stopped). A kata never needs that many; is a thread started in a loop, or per call?\n"
                + "Last output:\n" + tail(run.output(), 2_000);
    }

    // ---------------------------------------------------------------- helpers

    /** The message for a layer killed at its time limit: the lock cycle if the JVM saw one, then the threads. */
    private static String hung(String what, Duration limit, Exec.Result run) {
        String cycle = Exec.deadlockSection(run.threadDump());
        StringBuilder m = new StringBuilder(what + " did not finish within " + limit.toSeconds() + " s and were stopped.");
        if (cycle.isEmpty()) {
            m.append(" No Java-level deadlock was found: an endless loop, or a wait that is never signalled?\n");
        } else {
            List<String> threads = cycle.lines().filter(l -> l.matches("^\".+\":$")).map(l -> l.substring(0, l.length() - 1)).toList();
            m.append(" The JVM found a DEADLOCK between ").append(String.join(" and ", threads)).append(":\n").append(cycle).append("\n");
        }
        m.append("Last output:\n").append(tail(run.output(), 2_000));
        if (!run.threadDump().isEmpty()) m.append("\nThread dump:\n").append(head(run.threadDump(), 12_000));
        return m.toString();
    }

    static String tail(String s, int max) {
        return s.length() <= max ? s : "[...]" + s.substring(s.length() - max);
    }

    static String head(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "[...]";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
