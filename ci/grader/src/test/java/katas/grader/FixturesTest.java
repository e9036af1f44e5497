package katas.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import katas.checker.Check;
import katas.checker.Checker;
import katas.checker.Kata;
import katas.checker.Layer;
import katas.checker.Points;
import katas.checker.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grader's fixtures, graded like a learner's submission: every folder of {@code ci/fixtures/}
 * is a submission (its {@code submission/} files over the stub of its kata) with the verdict it
 * must get ({@code expected.properties}). They are the attacks on the grader (forging a grade,
 * escaping the layer, planting files, leaking the solutions, injecting into reports and CI) and
 * correct solutions in every usual style, which must keep full marks.
 *
 * <p>All fixtures are graded in one run of the {@code ci/grade} script per set of layers, on a
 * scratch trusted checkout where each fixture is a copy of its kata under the fixture's name,
 * in an environment that looks like a GitHub Actions step (a token, {@code GITHUB_OUTPUT},
 * {@code GITHUB_ENV}...). Then, besides each verdict: the trusted checkouts (the scratch one and
 * this one) are byte for byte unchanged, no process or file outlives the grading, the reports
 * and the grader's output are inert, the CI files hold only what the grader wrote, and no report
 * holds a text that must never leave the checkout.
 *
 * <p>{@code expected.properties}: {@code kata}; {@code verdict}; {@code score} (default: full
 * marks for pass, else 0); {@code says} (in the first failure's message); {@code rules = off}
 * (grade without the API rules, to test the sandbox alone); {@code stress = true} (grade the
 * stress layer too); {@code limit.tests} (seconds, default 60); {@code never.N} (a text no report
 * may contain); {@code extra.N} (a file of the submission outside the kata sources, by path,
 * Java escapes allowed: odd names end up in the reports).
 */
class FixturesTest {
    static final Path ROOT = Path.of(System.getProperty("katas.root", "../..")).toAbsolutePath().normalize();
    static final Path FIXTURES = ROOT.resolve("ci/fixtures");
    /** What a fixture that escapes or reads secrets would find in the grader's environment. */
    static final String SECRET = "ghs_fixtureSecretToken0123456789";

    @TempDir
    Path temp;

    record Fixture(String name, Path dir, Properties expected) {
        String kata() { return expected.getProperty("kata"); }
        boolean stress() { return Boolean.parseBoolean(expected.getProperty("stress", "false")); }
        String get(String key, String fallback) { return expected.getProperty(key, fallback).strip(); }
        List<String> numbered(String prefix) {
            return expected.stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).sorted().map(expected::getProperty).toList();
        }
    }

    static List<Fixture> fixtures() throws IOException {
        List<Fixture> all = new ArrayList<>();
        if (!Files.isDirectory(FIXTURES)) return all;
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(d.resolve("expected.properties"), StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                all.add(new Fixture(d.getFileName().toString(), d, p));
            }
        }
        return all;
    }

    @Test
    void everyFixtureGetsItsVerdictAndNothingEscapes() throws Exception {
        List<Fixture> all = fixtures();
        assertTrue(all.size() >= 10, "the fixtures are missing: " + FIXTURES);
        Map<String, String> rootBefore = checksums(ROOT);
        List<String> problems = new ArrayList<>();
        StringBuilder logs = new StringBuilder();
        for (boolean stress : List.of(false, true)) {
            List<Fixture> set = all.stream().filter(f -> f.stress() == stress).toList();
            if (!set.isEmpty()) grade(set, stress, problems, logs);
        }
        changed("this trusted checkout", rootBefore, checksums(ROOT), problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n\n" + Checker.tail(logs.toString(), 60_000));
    }

    private void grade(List<Fixture> set, boolean stress, List<String> problems, StringBuilder logs) throws Exception {
        Path base = Files.createDirectories(temp.resolve(stress ? "with-stress" : "tests-only"));
        Path trusted = base.resolve("trusted");
        Path submission = base.resolve("submission");
        Path out = base.resolve("report");
        Path work = Files.createDirectories(base.resolve("work"));
        Properties config = new Properties();
        config.setProperty("limit.tests", "60");
        config.setProperty("limit.stress", "90");
        for (Fixture f : set) {
            Kata kata = Kata.named(ROOT, f.kata());
            copyKata(kata, trusted, f.name());
            Path src = submission.resolve("katas").resolve(f.name()).resolve("src/main/java");
            copyTree(kata.stub(), src);
            // The fixture's files of its kata (sources, and edits elsewhere in the kata that must be ignored).
            Path mine = f.dir().resolve("submission/katas").resolve(f.kata());
            if (Files.isDirectory(mine)) copyTree(mine, submission.resolve("katas").resolve(f.name()));
            for (String extra : f.numbered("extra.")) {
                Path p = submission.resolve(extra);
                Files.createDirectories(p.getParent());
                Files.writeString(p, "x\n");
            }
            config.setProperty("kata." + f.name() + ".limit.tests", f.get("limit.tests", "60"));
            config.setProperty("kata." + f.name() + ".limit.stress", f.get("limit.stress", "90"));
            if (f.get("rules", "on").equals("off")) config.setProperty("kata." + f.name() + ".api.rules", "off");
        }
        installGrader(trusted, config);
        Map<String, String> trustedBefore = checksums(trusted);

        Path github = Files.createDirectories(base.resolve("github"));
        Map<String, String> env = new LinkedHashMap<>();
        for (String file : List.of("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")) {
            env.put(file, Files.createFile(github.resolve(file.toLowerCase())).toString());
        }
        env.put("GITHUB_TOKEN", SECRET);
        env.put("GITHUB_ACTIONS", "true");
        env.put("KATAS_CI_NO_BUILD", "1");
        env.put("TMPDIR", work.toString());
        env.put("KATAS_GRADE_OPTS", "-Djava.io.tmpdir=" + work + (stress ? "" : " -Dkatas.grade.layers=tests"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProcessBuilder pb = new ProcessBuilder("bash", trusted.resolve("ci/grade").toString(), submission.toString(), "--out", out.toString())
                .directory(base.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(log);
            } catch (IOException ignored) {
                // ended
            }
        });
        reader.start();
        boolean done = p.waitFor(25, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        reader.join(10_000);
        String output = log.toString(StandardCharsets.UTF_8);
        logs.append(output);
        if (!done || p.exitValue() != 0) {
            problems.add("ci/grade did not finish with exit code 0 (" + (done ? p.exitValue() : "still running") + ")");
            return;
        }

        Grade grade = Grade.read(out.resolve("grade.json"));
        Points points = Points.load(ROOT).with(config);
        for (Fixture f : set) {
            Grade.KataGrade k = grade.katas().stream().filter(g -> g.name().equals(f.name())).findFirst().orElse(null);
            if (k == null) {
                problems.add(f.name() + ": not graded");
                continue;
            }
            Check first = k.firstFailure();
            String message = first == null ? "" : first.message();
            String verdict = f.get("verdict", "?");
            int max = points.points(f.name(), Layer.TESTS) + (stress ? points.points(f.name(), Layer.STRESS) : 0);
            int score = Integer.parseInt(f.get("score", verdict.equals(Status.PASS.toString()) ? Integer.toString(max) : "0"));
            if (!k.verdict().toString().equals(verdict)) {
                problems.add(f.name() + ": verdict " + k.verdict() + ", expected " + verdict + ": " + Checker.head(message, 1_500));
            } else {
                for (String says : List.of(f.get("says", ""), f.get("message-contains", ""))) {
                    if (!message.contains(says)) problems.add(f.name() + ": the message does not say '" + says + "': " + Checker.head(message, 1_500));
                }
            }
            if (k.score() != score) problems.add(f.name() + ": " + k.score() + " points, expected " + score);
            for (Check c : k.checks()) {
                if (c.passed() && !c.message().isEmpty()) problems.add(f.name() + ": passing check " + c.name() + " carries a message");
                if (c.output().length() > 2_000) problems.add(f.name() + ": output of " + c.name() + " not capped");
            }
        }

        // Nothing changed, nothing left, nothing escaped.
        changed("the scratch trusted checkout", trustedBefore, checksums(trusted), problems);
        List<String> running = ProcessHandle.allProcesses()
                .filter(ph -> ph.info().commandLine().map(c -> c.contains(base.toString()) || c.contains("katas-fixture")
                        || c.matches(".*sleep 30[0-9][0-9].*")).orElse(false))
                .filter(ph -> ph.pid() != ProcessHandle.current().pid())
                .map(ph -> ph.pid() + " " + ph.info().commandLine().orElse("")).toList();
        if (!running.isEmpty()) problems.add("processes outlived the grading: " + running);
        try (Stream<Path> left = Files.list(work)) {
            List<Path> files = left.toList();
            if (!files.isEmpty()) problems.add("files left in the grader's temporary directory: " + files);
        }
        try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
            List<Path> planted = tmp.filter(t -> t.getFileName().toString().startsWith("katas-fixture")).toList();
            if (!planted.isEmpty()) problems.add("files planted in /tmp: " + planted);
            for (Path t : planted) Checker.deleteTree(t);
        }

        // Inert reports and output; the CI files hold only what the grader wrote.
        inert("the grader's output", output, true, problems);
        for (String f : Reports.FILES) {
            String text = Files.readString(out.resolve(f), StandardCharsets.UTF_8);
            // grade.md goes to the job summary and is often printed to the log: no workflow command there either.
            inert(f, text, f.equals("grade.md"), problems);
            if (text.contains(SECRET)) problems.add(f + " holds the grader's secret");
            for (Fixture fx : set) {
                for (String never : fx.numbered("never.")) if (text.contains(never)) problems.add(f + " holds '" + never + "' (" + fx.name() + ")");
            }
        }
        String md = Files.readString(out.resolve("grade.md"), StandardCharsets.UTF_8);
        for (String raw : List.of("<h2", "<img", "<script", "</details><")) if (md.contains(raw)) problems.add("grade.md holds raw HTML: " + raw);
        xml(out.resolve("junit.xml"));
        for (String file : List.of("GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")) {
            String written = Files.readString(Path.of(env.get(file)));
            if (!written.isEmpty()) problems.add(file + " was written to: " + Checker.head(written, 300));
        }
        List<String> outputs = Files.readAllLines(Path.of(env.get("GITHUB_OUTPUT")));
        if (outputs.size() != 1 || !outputs.get(0).startsWith("result=")) problems.add("GITHUB_OUTPUT holds more than the result: " + outputs);
    }

    /** No control character but newline, tab (and CR); no line a CI runner takes for a command. */
    private static void inert(String what, String text, boolean log, List<String> problems) {
        for (String line : text.split("\n")) {
            if (log && (line.stripLeading().startsWith("::") || line.contains("##["))) problems.add(what + " has a workflow command line: " + Checker.head(line, 200));
            for (char c : line.toCharArray()) {
                if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                    problems.add(what + " has control character " + (int) c + ": " + Checker.head(line, 200));
                    break;
                }
            }
        }
    }

    /** The modules ci/grade runs from (see ci/checker.sh). */
    static final List<String> MODULES = List.of("ci/runner", "ci/checker", "ci/grader");

    /** The grader's scripts and its built classes in a scratch checkout, with this configuration. */
    static void installGrader(Path trusted, Properties config) throws IOException {
        Path ci = Files.createDirectories(trusted.resolve("ci"));
        for (String script : List.of("grade", "checker.sh")) {
            Files.copy(ROOT.resolve("ci").resolve(script), ci.resolve(script));
        }
        for (String module : MODULES) copyTree(ROOT.resolve(module).resolve("target/classes"), trusted.resolve(module).resolve("target/classes"));
        // This checkout's settings (the checker's only source of them), with the fixtures' own over them.
        Properties all = new Properties();
        try (var r = Files.newBufferedReader(ROOT.resolve(Points.FILE), StandardCharsets.UTF_8)) {
            all.load(r);
        }
        all.putAll(config);
        try (var w = Files.newBufferedWriter(ci.resolve("points.properties"), StandardCharsets.UTF_8)) {
            all.store(w, "fixtures");
        }
    }

    /** A copy of {@code kata}'s trusted parts (build file, tests, harnesses, support) named {@code name}. */
    static void copyKata(Kata kata, Path trusted, String name) throws IOException {
        if (!Files.exists(trusted.resolve("katas/support"))) {
            // The support code and what is beside it (the API rules, the JUnit configuration of every kata).
            copyTree(kata.root().resolve("katas/support"), trusted.resolve("katas/support"));
        }
        Path dir = Files.createDirectories(trusted.resolve("katas").resolve(name));
        try (Stream<Path> files = Files.list(kata.root().resolve("katas").resolve(kata.name()))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, dir.resolve(f.getFileName().toString()));
        }
        copyTree(kata.stub(), dir.resolve("src/main/java"));
        copyTree(kata.tests(), dir.resolve("src/test/java"));
        if (Files.isDirectory(kata.stress())) copyTree(kata.stress(), trusted.resolve("stress").resolve(name).resolve("src/main/java"));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** SHA-256 of every file under {@code root} but build output and Git's own files, and of the checker's classes. */
    static Map<String, String> checksums(Path root) throws Exception {
        TreeMap<String, String> sums = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                boolean built = MODULES.stream().anyMatch(m -> rel.startsWith(m + "/target/classes/"));
                boolean skipped = false;
                for (Path part : root.relativize(p)) skipped |= List.of("target", ".git").contains(part.toString());
                if (skipped && !built) continue;
                sums.put(rel, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
            }
        }
        return sums;
    }

    private static void changed(String what, Map<String, String> before, Map<String, String> after, List<String> problems) {
        java.util.Set<String> paths = new java.util.TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        List<String> changed = paths.stream().filter(p -> !java.util.Objects.equals(before.get(p), after.get(p))).toList();
        if (!changed.isEmpty()) problems.add(what + " changed while grading: " + changed);
    }

    private static void xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.newDocumentBuilder().parse(file.toFile());
    }
}
