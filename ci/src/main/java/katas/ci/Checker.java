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
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks one implementation of one kata: compiles it with the kata's trusted tests and
 * harnesses, then runs each layer in a JVM of its own, under a time limit and an output cap.
 * Nothing the implementation does (loop, deadlock, exit, flood of output, stray threads or
 * processes) can outlive its layer or reach another kata.
 */
final class Checker {
    /** How to check. {@code progress} gets one line per step; {@code echo} (may be null) gets the children's output live. */
    record Options(Set<String> layers, Duration testsLimit, Duration stressLimit, int outputCap,
                   List<String> jcstressArgs, PrintStream progress, PrintStream echo) {
        static final List<String> QUICK_JCSTRESS = List.of("-m", "quick", "-sc", "false", "-jvmArgs", "-XX:+UseSerialGC");

        static Options defaults(PrintStream progress) {
            return new Options(Set.of(Layer.TESTS, Layer.STRESS), Duration.ofSeconds(120), Duration.ofSeconds(180),
                    1 << 20, QUICK_JCSTRESS, progress, null);
        }

        Options withLayers(Set<String> layers) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo);
        }

        Options withEcho(PrintStream echo) {
            return new Options(layers, testsLimit, stressLimit, outputCap, jcstressArgs, progress, echo);
        }
    }

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final String libraries = Libraries.classpath();

    /**
     * Checks the implementation made of {@code sources} (layers of source directories, see
     * {@link Kata#overlay}); {@code label} names it in reports ("reference", "stub", a variant...).
     */
    KataResult check(Kata kata, String label, List<Path> sources, Options options) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("katas-" + kata.name() + "-");
        try {
            return check(kata, label, sources, options, work);
        } finally {
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
        if (!compiled.ok()) {
            o.progress().println(prefix + "does not compile");
            double s = (System.nanoTime() - start) / 1e9;
            return new KataResult(kata.name(), label, layers.stream()
                    .map(l -> Layer.broken(l, Check.COMPILE_ERROR, "javac:\n" + compiled.errors(), s, "")).toList());
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

    // ---------------------------------------------------------------- tests: JUnit 5 + Lincheck

    private Layer tests(Kata kata, Path impl, Path work, Options o) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path classes = work.resolve("test-classes");
        List<Path> sources = new ArrayList<>(Kata.javaFiles(kata.tests()));
        sources.addAll(Kata.javaFiles(kata.support()));
        Javac.Result compiled = Javac.compile(sources, impl + ":" + libraries, classes, null);
        if (!compiled.ok()) {
            return Layer.broken(Layer.TESTS, Check.COMPILE_ERROR, "the kata's tests do not compile against this code"
                    + " (was a public class, constructor or method of the contract removed or changed?):\n"
                    + compiled.errors(), seconds(start), "");
        }
        Path reports = work.resolve("junit-reports");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        List<String> command = List.of(JAVA, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx1g",
                "-Djava.io.tmpdir=" + tmp, "-cp", classes + ":" + impl + ":" + libraries,
                "org.junit.platform.console.ConsoleLauncher", "execute",
                "--disable-banner", "--disable-ansi-colors", "--details=tree", "--details-theme=ascii",
                "--reports-dir=" + reports, "--scan-classpath=" + classes, "--fail-if-no-tests",
                "--config=junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD");
        Exec.Result run = Exec.run(command, work, o.testsLimit(), o.outputCap(), o.echo());
        Path xml = reports.resolve("TEST-junit-jupiter.xml");
        if (run.timedOut()) {
            return Layer.broken(Layer.TESTS, Check.TIMEOUT, hung("the tests", o.testsLimit(), run), run.seconds(), run.output());
        }
        if (!Files.exists(xml)) {
            return Layer.broken(Layer.TESTS, Check.ERROR, "the test JVM stopped (exit code " + run.exitCode()
                    + ") before the tests finished: did the code call System.exit or Runtime.halt, or run out of memory?\n"
                    + tail(run.output(), 3_000), run.seconds(), run.output());
        }
        List<Check> checks = junitChecks(xml);
        if (checks.isEmpty()) {
            return Layer.broken(Layer.TESTS, Check.ERROR, "no test ran\n" + tail(run.output(), 3_000), run.seconds(), run.output());
        }
        return Layer.of(Layer.TESTS, checks, seconds(start), run.output());
    }

    /** One check per test case of a JUnit legacy XML report. */
    static List<Check> junitChecks(Path xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(xml.toFile());
            NodeList cases = doc.getElementsByTagName("testcase");
            List<Check> checks = new ArrayList<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                String cls = c.getAttribute("classname");
                String name = cls.substring(cls.lastIndexOf('.') + 1) + "." + c.getAttribute("name").replaceAll("\\(\\)$", "");
                Element problem = first(c, "failure");
                if (problem == null) problem = first(c, "error");
                if (first(c, "skipped") != null) {
                    checks.add(new Check(Layer.TESTS, Check.FAIL, name, "skipped: every test of a kata must run"));
                } else if (problem == null) {
                    checks.add(new Check(Layer.TESTS, Check.PASS, name, ""));
                } else {
                    String message = problem.getAttribute("message");
                    String type = problem.getAttribute("type");
                    boolean timedOut = type.endsWith("TimeoutException") || message.contains("timed out after");
                    String text = message.isBlank() ? problem.getTextContent() : message;
                    if (!message.isBlank() && !type.contains("AssertionFailedError") && !type.contains("LincheckAssertionError")) {
                        text = type + ": " + message;
                    }
                    checks.add(new Check(Layer.TESTS, timedOut ? Check.TIMEOUT : Check.FAIL, name, text.strip()));
                }
            }
            return checks;
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("unreadable JUnit report " + xml + ": " + e.getMessage(), e);
        }
    }

    private static Element first(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    // ---------------------------------------------------------------- stress: jcstress

    private static final Pattern RESULT = Pattern.compile("^\\.+ \\[(\\w+)\\] (\\S+)\\s*$");

    private Layer stress(Kata kata, Path impl, Path work, Options o) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Path> sources = Kata.javaFiles(kata.stress());
        if (sources.isEmpty()) {
            return Layer.broken(Layer.STRESS, Check.ERROR, "this kata has no jcstress harness in stress/" + kata.name(), 0, "");
        }
        Path classes = work.resolve("stress-classes");
        Javac.Result compiled = Javac.compile(sources, impl + ":" + libraries, classes, libraries);
        if (!compiled.ok()) {
            return Layer.broken(Layer.STRESS, Check.COMPILE_ERROR, "the kata's jcstress harnesses do not compile against this code:\n"
                    + compiled.errors(), seconds(start), "");
        }
        List<String> expected = harnessNames(classes.resolve("META-INF/TestList"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx512m",
                "-Djava.io.tmpdir=" + tmp, "-cp", classes + ":" + impl + ":" + libraries,
                "org.openjdk.jcstress.Main", "-v", "-r", work.resolve("jcstress-results").toString()));
        command.addAll(o.jcstressArgs());
        Exec.Result run = Exec.run(command, work, o.stressLimit(), o.outputCap(), o.echo());
        if (run.timedOut()) {
            return Layer.broken(Layer.STRESS, Check.TIMEOUT, hung("jcstress", o.stressLimit(), run), run.seconds(), run.output());
        }
        Map<String, Check> byName = jcstressChecks(run.output());
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

    /** The harnesses in jcstress's RUN RESULTS section, each with its outcome table. */
    static Map<String, Check> jcstressChecks(String output) {
        Map<String, Check> checks = new LinkedHashMap<>();
        int at = output.lastIndexOf("RUN RESULTS:");
        if (at < 0) return checks;
        String name = null;
        String status = null;
        StringBuilder table = new StringBuilder();
        for (String line : (output.substring(at) + "\n...... [END] end").split("\n")) {
            Matcher m = RESULT.matcher(line);
            boolean section = line.matches("^  \\w[\\w ]* tests: .*") || line.startsWith("  HTML report");
            if (m.matches() || section) {
                if (name != null) {
                    String s = "OK".equals(status) ? Check.PASS : Check.FAIL;
                    String text = ("OK".equals(status) ? "" : "jcstress: " + status + "\n") + table.toString().strip();
                    checks.put(name, new Check(Layer.STRESS, s, name, text));
                }
                name = m.matches() && !"END".equals(m.group(1)) ? m.group(2) : null;
                status = m.matches() ? m.group(1) : null;
                table.setLength(0);
            } else if (name != null) {
                table.append(line).append('\n');
            }
        }
        return checks;
    }

    // ---------------------------------------------------------------- helpers

    /** The message for a layer killed at its time limit: the lock cycle if the JVM saw one, then the threads. */
    private static String hung(String what, Duration limit, Exec.Result run) {
        String cycle = Exec.deadlockSection(run.threadDump());
        StringBuilder m = new StringBuilder(what + " did not finish within " + limit.toSeconds() + " s and were stopped.");
        m.append(cycle.isEmpty() ? " No Java-level deadlock was found: an endless loop, or a wait that is never signalled?\n"
                : " The JVM found a DEADLOCK:\n" + cycle + "\n");
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
