package katas.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import katas.checker.Check;
import katas.checker.Checker;
import katas.checker.Kata;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.LayerResult;
import katas.checker.Points;
import katas.checker.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The grader's self-test. The kill matrix ({@link KillMatrixTest}) already grades the reference,
 * the stub and every naive variant of every kata from its own runs; this adds what it cannot:
 * <ul>
 *   <li>one end-to-end run of {@code ci/grade} on a copy of the repository with the counter solved
 *       and test files edited: the command line, the exit code, every report, the ignored files;</li>
 *   <li>merging parts: a forged part cannot raise a grade (the hostile submissions themselves are
 *       folders of {@code ci/fixtures}, graded by {@link FixturesTest});</li>
 *   <li>a forged jcstress report on the stress layer; usage errors; the export without solutions.</li>
 * </ul>
 */
class GraderTest {
    static final Path ROOT = Path.of(System.getProperty("katas.root", "../..")).toAbsolutePath().normalize();
    private static Kata counter;

    @TempDir
    Path temp;

    @BeforeAll
    static void needCounter() {
        counter = Kata.named(ROOT, "counter");
    }

    // ---------------------------------------------------------------- end to end, through ci/grade

    @Test
    void gradingTheSolvedCounterThroughTheScriptGivesFullMarksAndEveryReport() throws Exception {
        Path submission = temp.resolve("submission");
        copyRepository(ROOT, submission);
        Path stub = submission.resolve("katas/counter/src/main/java");
        Checker.deleteTree(stub);
        copyTree(counter.reference(), stub);
        // Edits the grader must ignore: a test made to pass, a build file, a new file.
        Path test = submission.resolve("katas/counter/src/test/java/kata/counter/CounterTest.java");
        Files.writeString(test, "package kata.counter;\nclass CounterTest {}\n");
        Files.writeString(submission.resolve("katas/counter/pom.xml"), "<project/>\n");
        Files.writeString(submission.resolve("notes.txt"), "mine\n");
        Path out = temp.resolve("report");

        Result r = script("grade", submission.toString(), "--kata", "counter", "--out", out.toString());
        assertEquals(0, r.exit(), r.output());
        Points points = Points.load(ROOT);
        int max = points.points("counter", Layer.TESTS) + points.points("counter", Layer.STRESS);

        Map<String, Object> grade = json(out.resolve("grade.json"));
        assertEquals((long) max, grade.get("score"), r.output());
        assertEquals((long) max, grade.get("max"));
        List<Object> katas = list(grade.get("katas"));
        assertEquals(1, katas.size());
        Map<String, Object> kata = map(katas.get(0));
        assertEquals("counter", kata.get("name"));
        assertEquals("pass", kata.get("verdict"));
        List<Object> checks = list(kata.get("checks"));
        assertTrue(checks.size() >= 2);
        for (Object o : checks) {
            Map<String, Object> c = map(o);
            assertTrue(List.of("tests", "stress").contains(c.get("layer")), c.toString());
            assertEquals("pass", c.get("status"), c.toString());
            assertNotNull(c.get("name"));
            assertNotNull(c.get("message"));
        }
        assertTrue(checks.stream().anyMatch(c -> map(c).get("layer").equals("stress")));
        assertEquals(List.of("katas/counter/pom.xml", "katas/counter/src/test/java/kata/counter/CounterTest.java", "notes.txt"),
                grade.get("ignored"));

        Map<String, Object> exercism = json(out.resolve("results.json"));
        assertEquals(3L, exercism.get("version"));
        assertEquals("pass", exercism.get("status"));
        assertEquals(checks.size(), list(exercism.get("tests")).size());
        assertEquals(1L, map(list(exercism.get("tests")).get(0)).get("task_id"));

        Map<String, Object> classroom = json(out.resolve("autograding.json"));
        assertEquals(1L, classroom.get("version"));
        assertEquals("pass", classroom.get("status"));
        assertEquals((long) max, classroom.get("max_score"));
        assertEquals((long) max, list(classroom.get("tests")).stream().mapToLong(t -> (Long) map(t).get("score")).sum());

        Document junit = xml(out.resolve("junit.xml"));
        assertEquals(checks.size(), junit.getElementsByTagName("testcase").getLength());
        assertEquals(0, junit.getElementsByTagName("failure").getLength() + junit.getElementsByTagName("error").getLength());

        String md = Files.readString(out.resolve("grade.md"));
        assertTrue(md.contains("| counter | ✅ pass | " + max + " / " + max + " |"), md);

        // --min-score and merging, on these reports (no grading again).
        Path merged = temp.resolve("merged");
        assertEquals(1, script("merge-grades", merged.toString(), out.toString(), "--min-score", Integer.toString(max + 1)).exit());
        assertEquals(0, script("merge-grades", merged.toString(), out.toString(), "--min-score", Integer.toString(max)).exit());
        assertEquals(grade.get("score"), json(merged.resolve("grade.json")).get("score"));
    }

    @Test
    void usageErrorsExitWith2() throws IOException {
        Path notRepo = Files.createDirectories(temp.resolve("not-a-repo"));
        Path repo = Files.createDirectories(temp.resolve("repo/katas"));
        assertEquals(2, grade().exit());
        assertEquals(2, grade(temp.resolve("missing").toString()).exit());
        assertEquals(2, grade(notRepo.toString()).exit());
        Result unknown = grade(repo.getParent().toString(), "--kata", "no-such-kata");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.output().contains("unknown kata 'no-such-kata'"), unknown.output());
        assertEquals(2, grade(repo.getParent().toString(), "--min-score", "lots").exit());
        assertEquals(2, grade(repo.getParent().toString(), "--frobnicate").exit());
        assertEquals(2, grade(repo.getParent().toString(), "--out", Files.writeString(temp.resolve("file"), "x").toString()).exit());
        assertEquals(0, grade("--help").exit());
    }

    // ---------------------------------------------------------------- merging parts (hostile submissions: see FixturesTest)

    @Test
    void mergingTakesFromEachPartOnlyItsOwnKataAndNeverExceedsTheMax() throws Exception {
        Points points = Points.load(ROOT);
        // counter's own part: a real 0.
        Grade.KataGrade zero = Grade.score(new KataResult("counter", "submission", List.of(
                LayerResult.broken(Layer.TESTS, Status.FAIL, "an update was lost", 1, ""),
                LayerResult.broken(Layer.STRESS, Status.FAIL, "FORBIDDEN", 1, ""))), points, points.layers(), 1, 2);
        Path counterPart = temp.resolve("grade-counter");
        Reports.write(Grade.of(List.of(zero), List.of(), 2, "test"), counterPart);
        // rlock's part, forged: claims counter and deadlock too, with 1000 points each.
        String forgedKata = """
                {"name": "%s", "task": 1, "verdict": "pass", "score": 1000, "max": 1,  "seconds": 1,
                 "layers": [{"layer": "tests", "status": "pass", "score": 1000, "max": 1, "seconds": 1, "checks": 1, "failed": 0},
                            {"layer": "stress", "status": "pass", "score": 1000, "max": 1, "seconds": 1, "checks": 1, "failed": 0}],
                 "first_failure": null, "checks": []}""";
        Path forgedPart = Files.createDirectories(temp.resolve("grade-rlock"));
        Files.writeString(forgedPart.resolve("grade.json"), "{\"version\": 1, \"score\": 3000, \"max\": 3, \"seconds\": 1, \"katas\": ["
                + String.join(",", List.of("counter", "deadlock", "rlock").stream().map(forgedKata::formatted).toList())
                + "], \"ignored\": []}");
        int full = points.points("rlock", Layer.TESTS) + points.points("rlock", Layer.STRESS);

        Path pinned = temp.resolve("pinned");
        assertEquals(0, Cli.run(ROOT, new String[] {"merge-grades", pinned.toString(), "counter=" + counterPart, "rlock=" + forgedPart,
                "--katas", "counter,rlock,deadlock"}, System.out, System.err));
        Grade g = Grade.read(pinned.resolve("grade.json"));
        Map<String, Integer> scores = new LinkedHashMap<>();
        g.katas().forEach(k -> scores.put(k.name(), k.score()));
        assertEquals(Map.of("counter", 0, "deadlock", 0, "rlock", full), scores, "each part gives only its own kata, rescored");
        assertTrue(g.score() <= g.max(), g.score() + " / " + g.max());
        assertEquals(Status.ERROR, g.katas().stream().filter(k -> k.name().equals("deadlock")).findFirst().orElseThrow().verdict());

        // Unpinned, the same parts: counter is claimed twice (an error, 0), the rest rescored with the trusted points.
        Path plain = temp.resolve("plain");
        assertEquals(0, Cli.run(ROOT, new String[] {"merge-grades", plain.toString(), counterPart.toString(), forgedPart.toString()}, System.out, System.err));
        Grade p = Grade.read(plain.resolve("grade.json"));
        assertTrue(p.score() <= p.max(), p.score() + " / " + p.max());
        assertEquals(0, p.katas().stream().filter(k -> k.name().equals("counter")).findFirst().orElseThrow().score());
        for (Grade.KataGrade k : p.katas()) {
            assertEquals(points.points(k.name(), Layer.TESTS) + points.points(k.name(), Layer.STRESS), k.max(), k.name());
        }
        // A kata name that is not a kata of the trusted checkout is a usage error.
        assertEquals(2, Cli.run(ROOT, new String[] {"merge-grades", plain.toString(), "no-such=" + forgedPart}, System.out, System.err));
    }

    @Test
    void aForgedJcstressReportDoesNotPassTheStressLayer() throws Exception {
        Path trusted = temp.resolve("trusted");
        addCounterCopy(trusted, "forged-stress");
        Path src = Files.createDirectories(temp.resolve("submission/katas/forged-stress/src/main/java/kata/counter"));
        // Always wrong (get() is 1 after two increments); prints jcstress's "all passed" to its output and its parent's.
        Files.writeString(src.resolve("Counter.java"), """
                package kata.counter;
                public final class Counter {
                    static final String FAKE = "\\nRUN RESULTS:\\n  Interesting tests: No matches.\\n\\n  Failed tests: No matches.\\n\\n"
                            + "  Error tests: No matches.\\n\\n  All remaining tests: 1 matching test results.\\n\\n"
                            + ".......... [OK] kata.counter.stress.CounterStress\\n\\n";
                    static {
                        System.out.println(FAKE);
                        ProcessHandle.current().parent().ifPresent(p -> {
                            try (var out = new java.io.FileOutputStream("/proc/" + p.pid() + "/fd/1")) {
                                out.write(FAKE.getBytes());
                            } catch (Exception e) { }
                        });
                    }
                    private int value;
                    public Counter() { this(0); }
                    public Counter(int initial) { value = initial; }
                    public synchronized void increment() { value++; }
                    public synchronized void decrement() { value--; }
                    public synchronized int get() { return 1; }
                }
                """);
        Properties config = new Properties();
        config.setProperty("layers", Layer.STRESS.toString());
        config.setProperty("jcstress.args", "-m sanity -sc false -jvmArgs -XX:+UseSerialGC");
        config.setProperty("limit.stress", "60");
        config.setProperty("kata.forged-stress.api.rules", "off"); // the stress layer's own wall, without the allow-list
        Path work = Files.createDirectories(temp.resolve("work"));
        List<Kata> all = Kata.all(trusted);
        Grade grade = Grader.grade(trusted, temp.resolve("submission"), all, all, temp.resolve("report"), Points.load(ROOT).with(config), work, System.out);
        Grade.KataGrade k = grade.katas().get(0);
        assertEquals(Status.FAIL, k.verdict(), k.checks().toString());
        assertEquals(0, k.score());
        assertTrue(k.firstFailure().message().contains("FORBIDDEN") || k.firstFailure().message().contains("Forbidden"),
                k.firstFailure().message());
        assertNothingLeft(work);
    }

    @Test
    void reportsStayWellFormedWhateverTheCodePrints() throws Exception {
        String nasty = "nul\u0000 bell\u0007 <tag> & \"quotes\" ]]> lone\uD800 pair\uD83D\uDE00 | pipe\n```\nend";
        Check check = new Check(Layer.TESTS, Status.FAIL, "CounterTest.x" + nasty, nasty, nasty, nasty);
        LayerResult tests = LayerResult.of(Layer.TESTS, List.of(check), 1.5, nasty);
        Grade.KataGrade k = Grade.score(new KataResult("counter", "submission", List.of(tests)), Points.load(ROOT),
                java.util.Set.of(Layer.TESTS), 1, 1.5);
        Grade grade = Grade.of(List.of(k), List.of("odd path " + nasty), 1.5, "test");
        Path out = temp.resolve("nasty");
        Reports.write(grade, out);
        Document junit = xml(out.resolve("junit.xml"));
        assertEquals(1, junit.getElementsByTagName("failure").getLength());
        for (String f : List.of("grade.json", "results.json", "autograding.json")) json(out.resolve(f));
        Grade back = Grade.read(out.resolve("grade.json"));
        assertEquals(grade.katas().get(0).checks().get(0).name().replace("\uD800", "\uFFFD"), back.katas().get(0).checks().get(0).name());
        assertEquals(grade.score(), back.score());
        String md = Files.readString(out.resolve("grade.md"));
        assertTrue(md.lines().filter(l -> l.startsWith("| counter")).noneMatch(l -> l.contains("<tag>")), "HTML in the table must be escaped");
        assertFalse(md.contains("<tag>"), "a message is escaped text in a <pre>, never markup");
    }

    // ---------------------------------------------------------------- the assignment export

    @Test
    void theAssignmentExportHasWhatALearnerNeedsAndNoSolution() throws Exception {
        Path dest = temp.resolve("assignment");
        Export.export(ROOT, dest);
        assertFalse(Files.exists(dest.resolve("reference")));
        for (String left : List.of("ci/checker/src/test", "ci/grader/src/test", "ci/proof", "learner/src/test")) {
            assertFalse(Files.exists(dest.resolve(left)), left);
        }
        assertFalse(Files.exists(dest.resolve("CONTRIBUTING.md")));
        try (Stream<Path> walk = Files.walk(dest)) {
            List<String> bad = walk.map(p -> dest.relativize(p).toString())
                    .filter(p -> p.contains("naive") || p.contains("/target") || p.startsWith("target")).toList();
            assertEquals(List.of(), bad);
        }
        for (String needed : List.of("kata", "pom.xml", "ci/grade", "ci/runner/pom.xml", "ci/checker/pom.xml", "ci/grader/pom.xml", "learner/pom.xml", "ci/points.properties", "ASSIGNMENT.md",
                ".github/workflows/classroom.yml", "katas/support/src/main/java/kata/support/Threads.java",
                "katas/counter/src/main/java/kata/counter/Counter.java", "katas/counter/src/test/java/kata/counter/CounterTest.java",
                "stress/counter/src/main/java/kata/counter/stress/CounterStress.java")) {
            assertTrue(Files.exists(dest.resolve(needed)), needed);
        }
        assertTrue(Files.isExecutable(dest.resolve("kata")) && Files.isExecutable(dest.resolve("ci/grade")));
        assertTrue(Files.readString(dest.resolve("README.md")).startsWith("> **Assignment copy.**"));
        // It builds and runs as a learner gets it: ./kata and ci/grade build their own tools there, with Maven.
        Result list = exported(dest, "./kata", "list");
        assertEquals(0, list.exit(), list.output());
        assertTrue(list.output().contains("0 of " + Kata.all(ROOT).size() + " katas green"), list.output());
        Result help = exported(dest, "ci/grade", "-h");
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().startsWith("Usage: ci/grade"), help.output());
    }

    /** Runs {@code command} in an exported assignment, as a learner would (its tools built on first use). */
    private static Result exported(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().remove("GITHUB_OUTPUT");
        Path log = Files.createTempFile(dir.getParent(), "exported-", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not finish within 5 minutes in the exported assignment:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    // ---------------------------------------------------------------- helpers

    record Result(int exit, String output) {}

    private static Result grade(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        String[] command = new String[args.length + 1];
        command[0] = "grade";
        System.arraycopy(args, 0, command, 1, args.length);
        int exit = Cli.run(ROOT, command, print, print);
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** Runs ci/SCRIPT from this checkout, with the checker already built (by this very build). */
    private Result script(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("ci").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(temp.toFile());
        pb.environment().put("KATAS_CI_NO_BUILD", "1");
        pb.environment().remove("GITHUB_OUTPUT"); // when this build runs in GitHub Actions: not its step's output
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(new Tee(out, System.out));
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) p.destroyForcibly();
        reader.join(10_000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    /** Nothing running from, and nothing left in, the grader's work directory (nor the hostile katas' sleepers). */
    private static void assertNothingLeft(Path work) throws IOException {
        List<String> running = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(work.toString()) || c.matches(".*sleep 303[12].*")).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertEquals(List.of(), running, "processes left running");
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "files left behind");
        }
    }

    /** A copy of the counter kata named {@code name} in the scratch checkout {@code trusted}. */
    private static void addCounterCopy(Path trusted, String name) throws IOException {
        if (!Files.exists(trusted.resolve("katas/support"))) {
            copyTree(counter.support(), trusted.resolve("katas/support/src/main/java"));
            Files.copy(ROOT.resolve("katas/support/api-rules.txt"), trusted.resolve("katas/support/api-rules.txt"));
        }
        Path kata = trusted.resolve("katas").resolve(name);
        Files.createDirectories(kata);
        Files.copy(ROOT.resolve("katas/counter/pom.xml"), kata.resolve("pom.xml"));
        copyTree(counter.stub(), kata.resolve("src/main/java"));
        copyTree(counter.tests(), kata.resolve("src/test/java"));
        copyTree(counter.stress(), trusted.resolve("stress").resolve(name).resolve("src/main/java"));
    }

    /**
     * A copy of the parts of the repository that make the counter kata, with the build and the
     * checker (not the other katas, which other people may be editing while this runs: the
     * comparison with the trusted checkout must not depend on them).
     */
    private static void copyRepository(Path root, Path to) throws IOException {
        for (String part : List.of("kata", "pom.xml", "ci", "learner", "katas/counter", "katas/support", "stress/counter")) {
            Path from = root.resolve(part);
            if (Files.isDirectory(from)) copyAll(from, to.resolve(part));
            else Files.copy(from, Files.createDirectories(to.resolve(part).getParent()).resolve(from.getFileName().toString()));
        }
    }

    private static void copyAll(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path rel = from.relativize(p);
                if (rel.toString().isEmpty()) continue;
                boolean skipped = false;
                for (Path part : rel) skipped |= List.of("target", ".git", "grade-report").contains(part.toString());
                if (skipped) continue;
                if (Files.isDirectory(p)) Files.createDirectories(to.resolve(rel.toString()));
                else Files.copy(p, to.resolve(rel.toString()));
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private static Map<String, Object> json(Path file) throws IOException {
        return map(new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS).readValue(file.toFile(), Map.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static String head(String s) {
        return Checker.head(s, 1_500);
    }

    /** Copies to a buffer and a stream. */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
