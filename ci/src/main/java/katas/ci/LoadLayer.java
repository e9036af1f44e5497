package katas.ci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stress layer of a kata whose stress suite is a load harness ({@code stress/NAME/load-checks}
 * exists; see {@link LoadRun}): compiles {@code stress/NAME} against the implementation (no
 * annotation processors), runs {@link LoadRun} in a JVM of its own with the layer's time,
 * output and thread limits, and reads back its signed records, as {@link Checker} does for
 * jcstress.
 */
final class LoadLayer {
    private LoadLayer() {}

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** The marker: a kata has a load harness instead of jcstress harnesses when this file exists. */
    static Path checksFile(Kata kata) {
        return kata.root().resolve("stress").resolve(kata.name()).resolve("load-checks");
    }

    static Layer run(Kata kata, Path impl, Path work, Checker.Options o) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path checksFile = checksFile(kata);
        List<LoadRun.LoadCheck> expected;
        try {
            expected = LoadRun.parse(Files.readAllLines(checksFile));
        } catch (IllegalArgumentException e) {
            return Layer.broken(Layer.STRESS, Check.ERROR, checksFile + ": " + e.getMessage(), 0, "");
        }
        String libraries = Libraries.classpath();
        Path classes = work.resolve("stress-classes");
        Javac.Result compiled = Javac.compile(Kata.javaFiles(kata.stress()), libraries + ":" + impl, classes, null);
        if (!compiled.ok()) {
            return Layer.broken(Layer.STRESS, Check.COMPILE_ERROR, "the kata's load harness does not compile against this code:\n"
                    + compiled.errors(), seconds(start), "");
        }
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path results = Files.createDirectories(work.resolve("results-" + java.util.UUID.randomUUID())).resolve("stress");
        byte[] key = Signed.newKey();
        List<String> command = List.of(JAVA, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx1g", "-Xss1m",
                "-Djava.io.tmpdir=" + tmp, "-cp", Libraries.checkerClasses() + ":" + classes + ":" + libraries + ":" + impl,
                LoadRun.class.getName(), checksFile.toAbsolutePath().toString());
        Exec.Result run = Exec.run(command, work, o.stressLimit(), o.outputCap(), o.echo(), Signed.stdin(key, results), tmp, o.maxThreads());
        if (run.tooManyThreads()) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "the load harness was stopped: the code had more than " + o.maxThreads()
                    + " threads running at once (" + run.threads() + "): an echo server runs ONE thread\n"
                    + Checker.tail(run.output(), 2_000), run.seconds(), run.output());
        }
        if (run.timedOut()) {
            return Layer.broken(Layer.STRESS, Check.TIMEOUT, "the load harness did not finish within " + o.stressLimit().toSeconds()
                    + " s and was stopped.\nLast output:\n" + Checker.tail(run.output(), 2_000)
                    + (run.threadDump().isEmpty() ? "" : "\nThread dump:\n" + Checker.head(run.threadDump(), 12_000)),
                    run.seconds(), run.output());
        }
        List<List<String>> records;
        try {
            records = Signed.read(results, key);
        } catch (Signed.ForgedException e) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "the load results were not written by the checker's load runner ("
                    + e.getMessage() + "): did the code write into the checker's files?", run.seconds(), run.output());
        }
        if (records == null) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "the load harness's JVM stopped (exit code " + run.exitCode()
                    + ") before it finished: did the code call System.exit or run out of memory?\n"
                    + Checker.tail(run.output(), 3_000), run.seconds(), run.output());
        }
        List<Check> checks = new ArrayList<>();
        for (List<String> r : records) {
            if (r.get(0).equals("crash")) return Layer.broken(Layer.STRESS, Check.ERROR, r.get(1), run.seconds(), run.output());
            if (r.get(0).equals("harness")) {
                String status = r.get(2);
                checks.add(new Check(Layer.STRESS, status, r.get(1), (status.equals(Check.PASS) ? "" : "load: " + r.get(3) + "\n")
                        + r.get(4).strip()));
            }
        }
        List<String> ran = checks.stream().map(Check::name).toList();
        for (LoadRun.LoadCheck c : expected) {
            if (!ran.contains(c.name())) checks.add(new Check(Layer.STRESS, Check.FAIL, c.name(), "did not run"));
        }
        if (checks.isEmpty()) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "no load check ran\n" + Checker.tail(run.output(), 3_000), run.seconds(), run.output());
        }
        return Layer.of(Layer.STRESS, checks, seconds(start), run.output());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
