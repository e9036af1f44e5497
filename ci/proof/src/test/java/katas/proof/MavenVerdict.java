package katas.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import katas.checker.Check;
import katas.checker.Kata;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.LayerResult;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What Maven says of an implementation: the kata's tests run by Surefire, as the IDE and
 * {@code ./kata test --raw} run them (katas/NAME/pom.xml, with {@code -Dkata.sources} pointing at
 * the implementation), read back from Surefire's XML reports. The kill matrix compares it with the
 * grader's verdict on the same implementation: one test configuration, one verdict.
 */
final class MavenVerdict {
    private MavenVerdict() {}

    /** Per test ("Class.method", as the grader names checks): passed or not; and where Maven's output is. */
    record Run(Map<String, Boolean> tests, Path log) {
        boolean passed() {
            return !tests.isEmpty() && !tests.containsValue(false);
        }
    }

    /** Runs the kata's tests with Maven on the implementation made of {@code sources} (see {@link Kata#overlay}). */
    static Run of(Kata kata, List<Path> sources, Path work) throws IOException, InterruptedException {
        Path src = work.resolve("src");
        for (Path f : Kata.overlay(sources)) {
            Path layer = sources.stream().filter(f::startsWith).reduce((a, b) -> b).orElseThrow();
            Path to = src.resolve(relativeToPackage(layer, f));
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
        Path pom = kata.root().resolve("katas").resolve(kata.name()).resolve("pom.xml");
        Path log = work.resolve("maven.log");
        // A build directory of its own: the kata's target/ (an IDE's) is left alone.
        Path target = work.resolve("target");
        Process p = new ProcessBuilder("mvn", "-B", "-q", "-Dstyle.color=never", "-f", pom.toString(),
                "-Dkata.sources=" + src, "-Dkata.target=" + target, "-Dmaven.test.failure.ignore=true", "test")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new IOException("mvn test of " + kata.name() + " did not finish in 10 minutes; its log: " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException("mvn test of " + kata.name() + " failed (exit " + p.exitValue() + "):\n" + output);
        return new Run(reports(target.resolve("surefire-reports")), log);
    }

    /** The path of {@code file} from the package root of {@code layer} (a variant's files may lie flat in it). */
    private static Path relativeToPackage(Path layer, Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;").matcher(text);
        return m.find() ? Path.of(m.group(1).replace('.', '/')).resolve(file.getFileName()) : layer.relativize(file);
    }

    private static Map<String, Boolean> reports(Path dir) throws IOException {
        Map<String, Boolean> tests = new TreeMap<>();
        if (!Files.isDirectory(dir)) return tests;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("TEST-") && f.toString().endsWith(".xml")).toList();
        }
        try {
            for (Path f : files) {
                NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile())
                        .getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element c = (Element) cases.item(i);
                    String cls = c.getAttribute("classname");
                    String name = cls.substring(cls.lastIndexOf('.') + 1) + "." + c.getAttribute("name").replaceAll("\\(\\)$", "");
                    boolean passed = c.getElementsByTagName("failure").getLength() == 0
                            && c.getElementsByTagName("error").getLength() == 0
                            && c.getElementsByTagName("skipped").getLength() == 0;
                    tests.merge(name, passed, Boolean::logicalAnd);
                }
            }
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("unreadable Surefire report in " + dir + ": " + e.getMessage(), e);
        }
        return tests;
    }

    /** Where Maven's and the grader's verdicts on one implementation differ (empty: they agree). */
    static List<String> disagreements(String implementation, Run maven, KataResult grader) {
        List<String> problems = new ArrayList<>();
        String log = " (Maven's output: " + maven.log() + ")";
        LayerResult tests = grader.layer(Layer.TESTS);
        Map<String, Boolean> graded = new TreeMap<>();
        for (Check c : tests.checks()) graded.put(c.name(), c.passed());
        if (!maven.tests().keySet().equals(graded.keySet())) {
            List<String> onlyMaven = maven.tests().keySet().stream().filter(t -> !graded.containsKey(t)).toList();
            List<String> onlyGrader = graded.keySet().stream().filter(t -> !maven.tests().containsKey(t)).toList();
            problems.add(implementation + ": Maven and the grader do not run the same tests; only Maven: " + onlyMaven
                    + ", only the grader: " + onlyGrader + log);
        }
        if (maven.passed() != tests.passed()) {
            problems.add(implementation + ": Maven says " + (maven.passed() ? "pass" : "fail") + ", the grader's tests layer "
                    + tests.status() + "; Maven's failures: " + maven.tests().entrySet().stream().filter(e -> !e.getValue())
                    .map(Map.Entry::getKey).toList() + ", the grader's: " + tests.checks().stream().filter(c -> !c.passed())
                    .map(Check::name).toList() + log);
        }
        return problems;
    }
}
