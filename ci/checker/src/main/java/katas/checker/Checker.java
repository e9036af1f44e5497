package katas.checker;

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
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import katas.runner.LoadRun;
import katas.runner.Results;
import katas.runner.Signed;
import katas.runner.StressRun;
import katas.runner.TestRun;

/**
 * Checks one implementation of one kata: compiles it with the kata's trusted tests and
 * harnesses, then runs each layer in a JVM of its own, under a time limit and an output cap.
 * Nothing the implementation does (loop, deadlock, exit, flood of output, stray threads or
 * processes) can outlive its layer or reach another kata.
 */
public final class Checker {
    /**
     * How to check. {@code progress} gets one line per step; {@code echo} (may be null) gets the
     * children's output live; {@code maxThreads} caps the threads of a layer's process tree (0: no
     * cap); {@code tmp} is where work directories go (null: the system's temporary directory);
     * {@code sandbox} walls each layer in, within {@code limits}.
     */
    public record Options(Set<Layer> layers, Duration testsLimit, Duration stressLimit, int outputCap,
                   List<String> jcstressArgs, PrintStream progress, PrintStream echo, int maxThreads, Path tmp,
                   Sandbox sandbox, Sandbox.Limits limits, boolean apiRules) {
        public Options withLayers(Set<Layer> layers) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo, maxThreads, tmp, sandbox, limits, apiRules);
        }

        public Options withEcho(PrintStream echo) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo, maxThreads, tmp, sandbox, limits, apiRules);
        }

        public Options withTmp(Path dir) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo, maxThreads, dir, sandbox, limits, apiRules);
        }
    }

    /**
     * Where compiled kata tests are kept between checks, by a key of everything they depend on: the
     * learner's {@code ./kata} keeps them (its javac is most of a run's own time); the grader keeps
     * none and always compiles.
     */
    public interface TestsCache {
        /** The key of the tests compiled from {@code sources} against {@code libraries} and the code in {@code impl}. */
        String key(List<Path> sources, String libraries, Path impl) throws IOException;

        /** Copies the tests kept under {@code key} into {@code to}; false when there are none. */
        boolean restore(String kata, String key, Path to) throws IOException;

        /** Keeps the tests compiled into {@code from} under {@code key}. */
        void store(String kata, String key, Path from) throws IOException;
    }

    /** The tests' JVM options beyond the sandbox's; Lincheck's log level as katas/pom.xml sets it for Maven. */
    static final List<String> TESTS_JVM = List.of("-Xmx1g", "-Dlincheck.logLevel=ERROR");

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final String libraries = Libraries.classpath();
    /** The runner's classes or jar, copied into each layer's sandbox (see {@link #copyRunner}). */
    private final Path runner = Libraries.runner();
    /** Where the learner's compiled tests are kept (null: always compile, as the grader does). */
    private final TestsCache testsCache;

    public Checker() {
        this(null);
    }

    /** A checker that reuses the kata tests it compiled before, when nothing they depend on changed. */
    public Checker(TestsCache testsCache) {
        this.testsCache = testsCache;
    }

    /**
     * Checks the implementation made of {@code sources} (layers of source directories, see
     * {@link Kata#overlay}); {@code label} names it in reports ("reference", "stub", a variant...).
     */
    public KataResult check(Kata kata, String label, List<Path> sources, Options options) throws IOException, InterruptedException {
        return check(kata, label, sources, options, spare(kata, options));
    }

    /** As above, with a {@link Spare} made earlier by {@link #spare} (with the same options), which this closes. */
    public KataResult check(Kata kata, String label, List<Path> sources, Options options, Spare spare)
            throws IOException, InterruptedException {
        try (spare) {
            return check(kata, label, sources, options, spare.work, spare);
        } finally {
            int strays = Exec.killStrays(spare.work);
            if (strays > 0) options.progress().println("[" + kata.name() + " / " + label + "] killed " + strays
                    + " process(es) that had left their layer's process group");
            deleteTree(spare.work);
        }
    }

    /**
     * A work directory with a private copy of the checker's classes and, when the tests layer is
     * wanted, that layer's JVM already started, warming up and waiting at its gate for the code to
     * be compiled (see {@link Exec.Gate} and {@link TestRun}): JVM start-up and Lincheck's first
     * use then overlap compilation, or, in {@code ./kata watch}, the learner's editing.
     */
    public Spare spare(Kata kata, Options o) throws IOException, InterruptedException {
        Path work = o.tmp() == null ? Files.createTempDirectory("katas-" + kata.name() + "-")
                : Files.createTempDirectory(o.tmp(), "katas-" + kata.name() + "-");
        Path checker = copyRunner(work.resolve("runner"));
        Path impl = Files.createDirectories(work.resolve("impl-classes"));
        Path tests = Files.createDirectories(work.resolve("test-classes"));
        if (!o.layers().contains(Layer.TESTS)) return new Spare(work, checker, impl, tests, null, null);
        Exec.Gate gate = Exec.Gate.in(work.resolve("gate"));
        List<String> args = usesLincheck(kata) ? List.of(tests.toString(), gate.path().toString(), "lincheck")
                : List.of(tests.toString(), gate.path().toString());
        CompletableFuture<Run> run = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                run.complete(runLayer(Layer.TESTS, "the tests", TestRun.class, TESTS_JVM, checker, tests, impl,
                        args, work, o.testsLimit(), o, gate));
            } catch (Throwable e) {
                run.completeExceptionally(e);
            }
        }, "tests-layer-" + kata.name());
        starter.setDaemon(true);
        starter.start();
        return new Spare(work, checker, impl, tests, gate, run);
    }

    /** Whether some test of the kata uses Lincheck: only then is its first use worth warming up. */
    private static boolean usesLincheck(Kata kata) throws IOException {
        try (Stream<Path> files = Files.walk(kata.tests())) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (Files.readString(f, StandardCharsets.UTF_8).contains("org.jetbrains.lincheck")) return true;
            }
        }
        return false;
    }

    /** See {@link #spare}. Closing it without running it kills its JVM. */
    public static final class Spare implements AutoCloseable {
        private final Path work;
        private final Path checker;
        private final Path impl;
        private final Path tests;
        private final Exec.Gate gate;
        private final CompletableFuture<Run> run;

        private Spare(Path work, Path checker, Path impl, Path tests, Exec.Gate gate, CompletableFuture<Run> run) {
            this.work = work;
            this.checker = checker;
            this.impl = impl;
            this.tests = tests;
            this.gate = gate;
            this.run = run;
        }

        public Path work() {
            return work;
        }

        /** Closes it unused and deletes its work directory. */
        public void discard() throws InterruptedException {
            try {
                close();
            } finally {
                Exec.killStrays(work);
                deleteTree(work);
            }
        }

        /** Opens the gate and waits for the layer's JVM to finish. */
        Run go() throws IOException, InterruptedException {
            gate.open();
            try {
                return run.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                throw new IOException("the tests layer could not run: " + e.getCause(), e.getCause());
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (gate == null) return;
            gate.cancel();
            try {
                run.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // already reported by go(), or nothing ran
            } finally {
                gate.close();
            }
        }
    }

    private KataResult check(Kata kata, String label, List<Path> sources, Options o, Path work, Spare spare)
            throws IOException, InterruptedException {
        List<Layer> layers = Stream.of(Layer.values()).filter(o.layers()::contains).toList();
        String prefix = "[" + kata.name() + " / " + label + "] ";
        long start = System.nanoTime();
        Path impl = spare.impl;
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
        // The kata's API allow-list, before anything runs (off only in the grader's own tests of the sandbox).
        if (compiled.ok() && o.apiRules()) compiled = ApiCheck.check(kata, impl);
        if (!compiled.ok()) {
            o.progress().println(prefix + "does not compile");
            double s = (System.nanoTime() - start) / 1e9;
            String errors = compiled.errors();
            return new KataResult(kata.name(), label, layers.stream()
                    .map(l -> LayerResult.broken(l, Status.COMPILE_ERROR, errors, s, "")).toList());
        }
        o.progress().printf("%scompiled and checked the code in %.1f s%n", prefix, seconds(start));
        // Every trusted class is compiled, and copied, before any of the code runs: nothing the code
        // does in one layer can change what another layer runs.
        Path checker = spare.checker;
        Map<Layer, LayerResult> broken = new LinkedHashMap<>();
        Path testClasses = spare.tests;
        Path stressClasses = work.resolve("stress-classes");
        if (layers.contains(Layer.TESTS)) {
            List<Path> tests = new ArrayList<>(Kata.javaFiles(kata.tests()));
            tests.addAll(Kata.javaFiles(kata.support()));
            String key = testsCache == null ? null : testsCache.key(tests, libraries, impl);
            Javac.Result t;
            if (key != null && testsCache.restore(kata.name(), key, testClasses)) {
                t = new Javac.Result(true, "");
            } else {
                t = Javac.compile(tests, libraries + ":" + impl, testClasses, null);
                if (t.ok() && key != null) testsCache.store(kata.name(), key, testClasses);
            }
            // The one JUnit configuration (katas/support/src/test/resources), as Maven and the IDE use it.
            if (t.ok()) Files.copy(kata.junitConfig(), testClasses.resolve("junit-platform.properties"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (!t.ok()) broken.put(Layer.TESTS, LayerResult.broken(Layer.TESTS, Status.COMPILE_ERROR, "the kata's tests do not compile"
                    + " against this code (was a public class, constructor or method of the contract removed or changed?):\n"
                    + t.errors(), seconds(start), ""));
        }
        if (layers.contains(Layer.STRESS)) {
            List<Path> harnesses = Kata.javaFiles(kata.stress());
            if (harnesses.isEmpty()) {
                broken.put(Layer.STRESS, LayerResult.broken(Layer.STRESS, Status.ERROR, "this kata has no jcstress harness in stress/"
                        + kata.name(), 0, ""));
            } else {
                // jcstress's annotation processor makes the harnesses; a load harness (see LoadRun) needs none.
                boolean load = Files.isRegularFile(loadChecks(kata));
                Javac.Result h = Javac.compile(harnesses, libraries + ":" + impl, stressClasses, load ? null : libraries);
                if (h.ok() && load) Files.copy(loadChecks(kata), stressClasses.resolve(LOAD_CHECKS));
                if (!h.ok()) broken.put(Layer.STRESS, LayerResult.broken(Layer.STRESS, Status.COMPILE_ERROR,
                        "the kata's jcstress harnesses do not compile against this code:\n" + h.errors(), seconds(start), ""));
            }
        }
        o.progress().printf("%scompiled the trusted tests and harnesses in %.1f s%n", prefix, seconds(start));
        List<LayerResult> results = new ArrayList<>();
        for (Layer layer : layers) {
            LayerResult result = broken.get(layer);
            if (result == null) {
                o.progress().println(prefix + layer + " ...");
                result = layer == Layer.TESTS ? tests(spare)
                        : Files.isRegularFile(stressClasses.resolve(LOAD_CHECKS)) ? load(checker, impl, stressClasses, work, o)
                        : stress(checker, impl, stressClasses, work, o);
            }
            long failed = result.checks().stream().filter(c -> !c.passed()).count();
            o.progress().printf("%s%s: %s (%d checks, %d not passed) in %.1f s%n", prefix, layer, result.status(),
                    result.checks().size(), failed, result.seconds());
            results.add(result);
        }
        return new KataResult(kata.name(), label, results);
    }

    /**
     * A private copy of the classes that run inside a layer's JVM, the runner (the module
     * ci/runner, package {@code katas.runner}: the trusted mains and what they use, nothing of the
     * host side), so that the layer never runs, or sees, the checkout's build output. Returns the
     * copy's class path entry: a directory, or a jar when the runner was built as one.
     */
    private Path copyRunner(Path to) throws IOException {
        if (Files.isRegularFile(runner)) {
            Files.createDirectories(to);
            return Files.copy(runner, to.resolve("katas-runner.jar"));
        }
        Path pkg = Files.createDirectories(to.resolve("katas/runner"));
        try (Stream<Path> files = Files.list(runner.resolve("katas/runner"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                Files.copy(f, pkg.resolve(f.getFileName().toString()));
            }
        }
        return to;
    }

    /** What a layer's trusted main handed back: its results, or the broken layer that says why there are none. */
    private record Run(Exec.Result exec, Results results, LayerResult broken) {}

    /**
     * Runs the trusted {@code main} in a JVM of its own, in the sandbox, seeing only the JDK, the
     * libraries and {@code classes} (read-only): the trusted classes first on the class path, the
     * code's own ({@code impl}) last, so they cannot stand in for any trusted class.
     */
    private Run runLayer(Layer layer, String what, Class<?> main, List<String> jvm, Path checker, Path classes, Path impl,
                         List<String> args, Path work, Duration limit, Options o) throws IOException, InterruptedException {
        return runLayer(layer, what, main, jvm, checker, classes, impl, args, work, limit, o, null);
    }

    private Run runLayer(Layer layer, String what, Class<?> main, List<String> jvm, Path checker, Path classes, Path impl,
                         List<String> args, Path work, Duration limit, Options o, Exec.Gate gate)
            throws IOException, InterruptedException {
        Sandbox sandbox = o.sandbox();
        Path scratchHost = Files.createDirectories(work.resolve("scratch-" + layer));
        String scratch = sandbox.scratch(scratchHost).toString();
        Exec.Pipe pipe = Exec.Pipe.open(work.resolve("channel-" + layer));
        byte[] key = Signed.newKey();
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xss1m",
                "-XX:CompressedClassSpaceSize=256m", "-XX:ReservedCodeCacheSize=128m", "-Djava.io.tmpdir=" + scratch));
        command.addAll(jvm);
        command.addAll(List.of("-cp", checker + ":" + classes + ":" + libraries + ":" + impl, main.getName()));
        command.addAll(args.stream().map(a -> a.replace("{scratch}", scratch)).toList());
        Set<Path> visible = new java.util.LinkedHashSet<>(List.of(checker, classes, impl, pipe.path().getParent()));
        if (gate != null) visible.add(gate.path().getParent());
        for (String jar : libraries.split(":")) if (!jar.isBlank()) visible.add(Path.of(jar));
        Exec.Result run = Exec.run(sandbox.wrap(command, visible, o.limits()), scratchHost, limit, o.outputCap(), o.echo(),
                Signed.stdin(key, pipe.path()), scratchHost, o.maxThreads(), gate);
        byte[] channel = pipe.collect();
        if (run.tooManyThreads()) {
            return new Run(run, null, LayerResult.broken(layer, Status.ERROR, tooManyThreads(what, o.maxThreads(), run), run.seconds(), run.output()));
        }
        if (run.timedOut()) {
            return new Run(run, null, LayerResult.broken(layer, Status.TIMEOUT, hung(what, limit, run), run.seconds(), run.output()));
        }
        Results results;
        try {
            results = Signed.read(channel, key);
        } catch (Signed.ForgedException e) {
            return new Run(run, null, LayerResult.broken(layer, Status.ERROR, "the results of " + what + " were not written by the checker's "
                    + main.getSimpleName() + " (" + e.getMessage() + "): did the code write into the checker's channel?",
                    run.seconds(), run.output()));
        }
        if (results == null) {
            return new Run(run, null, LayerResult.broken(layer, Status.ERROR, what + " stopped (exit code " + run.exitCode()
                    + ") before finishing: did the code call System.exit or Runtime.halt, or run out of memory"
                    + " (the layer may use " + (o.limits().memoryBytes() >> 20) + " MiB of address space)?\n"
                    + tail(run.output(), 3_000), run.seconds(), run.output()));
        }
        if (results.crash() != null) return new Run(run, null, LayerResult.broken(layer, Status.ERROR, results.crash(), run.seconds(), run.output()));
        return new Run(run, results, null);
    }

    // ---------------------------------------------------------------- tests: JUnit 5 + Lincheck

    private LayerResult tests(Spare spare) throws IOException, InterruptedException {
        Run run = spare.go();
        if (run.broken() != null) return run.broken();
        List<Check> checks = new ArrayList<>();
        for (Results.TestOutcome t : run.results().tests()) checks.add(testCheck(t));
        if (checks.isEmpty()) {
            return LayerResult.broken(Layer.TESTS, Status.ERROR, "no test ran\n" + tail(run.exec().output(), 3_000),
                    run.exec().seconds(), run.exec().output());
        }
        return LayerResult.of(Layer.TESTS, checks, run.exec().seconds(), run.exec().output());
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

    /** A check from a {@link TestRun} outcome. */
    static Check testCheck(Results.TestOutcome t) {
        String name = t.name();
        String title = t.title();
        String type = t.type();
        String message = t.message();
        String detail = t.detail();
        String output = t.output();
        return switch (t.status()) {
            case PASS -> new Check(Layer.TESTS, Status.PASS, name, "", title, output);
            case SKIPPED -> new Check(Layer.TESTS, Status.FAIL, name, "skipped: every test of a kata must run"
                    + (message.isBlank() ? "" : " (" + message + ")"), title, output);
            case ABORTED -> new Check(Layer.TESTS, Status.FAIL, name, "aborted: every test of a kata must run to the end ("
                    + message + ")", title, output);
            case NOT_RUN -> new Check(Layer.TESTS, Status.ERROR, name, (message + "\n" + head(detail, 3_000)).strip(), title, output);
            default -> {
                boolean timedOut = type.endsWith("TimeoutException") || message.contains("timed out after");
                boolean assertion = type.contains("AssertionFailedError") || type.contains("LincheckAssertionError");
                String text;
                if (message.isBlank()) text = detail;
                else if (assertion || timedOut) text = message;
                else if (type.equals("java.lang.AssertionError")) text = type + ": " + message;
                else text = type + ": " + message + "\n" + stackOf(detail, 12);
                yield new Check(Layer.TESTS, timedOut ? Status.TIMEOUT : Status.FAIL, name, text.strip(), title, output);
            }
        };
    }

    /** A harness's or load check's status as a check's. */
    private static Status status(Results.Status status) {
        return switch (status) {
            case PASS -> Status.PASS;
            case TIMEOUT -> Status.TIMEOUT;
            case ERROR, NOT_RUN -> Status.ERROR;
            case FAIL, ABORTED, SKIPPED -> Status.FAIL;
        };
    }

    /** The "at ..." lines of a stack trace, at most {@code max}: where an unexpected exception came from. */
    private static String stackOf(String detail, int max) {
        List<String> frames = detail.lines().filter(l -> l.strip().startsWith("at ") || l.strip().startsWith("Caused by"))
                .limit(max).toList();
        return String.join("\n", frames);
    }

    // ---------------------------------------------------------------- stress: a load harness

    /** The file whose presence makes a kata's stress layer a load harness instead of jcstress: see {@link LoadRun}. */
    static final String LOAD_CHECKS = "load-checks";

    static Path loadChecks(Kata kata) {
        return kata.root().resolve("stress").resolve(kata.name()).resolve(LOAD_CHECKS);
    }

    /** The stress layer of a kata that sockets make a load harness's (the echo kata): {@link LoadRun}. */
    private LayerResult load(Path checker, Path impl, Path classes, Path work, Options o) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path checksFile = classes.resolve(LOAD_CHECKS);
        List<LoadRun.LoadCheck> expected;
        try {
            expected = LoadRun.parse(Files.readAllLines(checksFile));
        } catch (IllegalArgumentException e) {
            return LayerResult.broken(Layer.STRESS, Status.ERROR, "stress/.../" + LOAD_CHECKS + ": " + e.getMessage(), 0, "");
        }
        Run run = runLayer(Layer.STRESS, "the load harness", LoadRun.class, List.of("-Xmx1g"), checker, classes, impl,
                List.of(checksFile.toString()), work, o.stressLimit(), o);
        if (run.broken() != null) return run.broken();
        List<Check> checks = new ArrayList<>();
        for (Results.HarnessOutcome h : run.results().harnesses()) {
            Status status = status(h.status());
            checks.add(new Check(Layer.STRESS, status, h.name(), status == Status.PASS ? "" : "load: " + h.label() + "\n" + h.report().strip()));
        }
        List<String> ran = checks.stream().map(Check::name).toList();
        for (LoadRun.LoadCheck c : expected) {
            if (!ran.contains(c.name())) checks.add(new Check(Layer.STRESS, Status.FAIL, c.name(), "did not run"));
        }
        if (checks.isEmpty()) {
            return LayerResult.broken(Layer.STRESS, Status.ERROR, "no load check ran\n" + tail(run.exec().output(), 3_000),
                    run.exec().seconds(), run.exec().output());
        }
        return LayerResult.of(Layer.STRESS, checks, seconds(start), run.exec().output());
    }

    // ---------------------------------------------------------------- stress: jcstress

    private LayerResult stress(Path checker, Path impl, Path classes, Path work, Options o) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<String> expected = harnessNames(classes.resolve("META-INF/TestList"));
        // jcstress passes these JVM options on to the forked JVMs that run the harnesses.
        List<String> args = new ArrayList<>(List.of("-v", "-r", "{scratch}/jcstress-report"));
        args.addAll(forkArgs(o.jcstressArgs()));
        Run run = runLayer(Layer.STRESS, "jcstress", StressRun.class, List.of("-Xmx512m"), checker, classes, impl, args,
                work, o.stressLimit(), o);
        if (run.broken() != null) return run.broken();
        Map<String, Check> byName = new LinkedHashMap<>();
        for (Results.HarnessOutcome h : run.results().harnesses()) {
            Status status = status(h.status());
            // A passing harness carries no message: its report may hold what the code printed.
            String text = status == Status.PASS ? "" : "jcstress: " + h.label() + "\n" + h.report().strip();
            byName.put(h.name(), new Check(Layer.STRESS, status, h.name(), text));
        }
        List<Check> checks = new ArrayList<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        for (String name : expected) {
            Check c = byName.remove(name);
            checks.add(c != null ? c : new Check(Layer.STRESS, Status.FAIL, name, "did not run: jcstress skipped it"
                    + " (a harness with more actors than this machine's " + cpus + " CPUs is skipped, and jcstress still exits 0)"));
        }
        checks.addAll(byName.values());
        if (checks.isEmpty()) {
            return LayerResult.broken(Layer.STRESS, Status.ERROR, "jcstress ran no harness (exit code " + run.exec().exitCode() + ")\n"
                    + tail(run.exec().output(), 3_000), run.exec().seconds(), run.exec().output());
        }
        return LayerResult.of(Layer.STRESS, checks, seconds(start), run.exec().output());
    }

    /**
     * The jcstress options, with the forked JVMs told to fit the layer's limits (a bounded heap and
     * class space, for the address-space limit) and to leave no files behind (no perf data).
     */
    static List<String> forkArgs(List<String> jcstressArgs) {
        String extra = "-XX:-UsePerfData -Xmx512m -XX:CompressedClassSpaceSize=128m -XX:ReservedCodeCacheSize=64m";
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

    /**
     * The message for a layer killed at its time limit: the lock cycle if the JVM saw one, then the
     * threads still alive (non-daemon first, each with where it is), then the full dumps.
     */
    private static String hung(String what, Duration limit, Exec.Result run) {
        String cycle = Exec.deadlockSection(run.threadDump());
        String alive = Exec.aliveThreads(run.threadDump(), 4);
        StringBuilder m = new StringBuilder(what + " did not finish within " + limit.toSeconds() + " s and were stopped.");
        if (cycle.isEmpty()) {
            m.append(" No Java-level deadlock was found: a thread that never ends, or a wait that is never signalled?\n");
        } else {
            List<String> threads = cycle.lines().filter(l -> l.matches("^\".+\":$")).map(l -> l.substring(0, l.length() - 1)).toList();
            m.append(" The JVM found a DEADLOCK between ").append(String.join(" and ", threads)).append(":\n").append(cycle).append("\n");
        }
        if (!alive.isEmpty()) m.append("Threads still alive when stopped (non-daemon ones keep a JVM from ending):\n").append(alive);
        m.append("Last output:\n").append(tail(run.output(), 2_000));
        if (!run.threadDump().isEmpty()) m.append("\nThread dump:\n").append(head(run.threadDump(), 12_000));
        return m.toString();
    }

    public static String tail(String s, int max) {
        return s.length() <= max ? s : "[...]" + s.substring(s.length() - max);
    }

    public static String head(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "[...]";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    public static void deleteTree(Path dir) {
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
