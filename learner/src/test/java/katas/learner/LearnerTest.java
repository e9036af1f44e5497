package katas.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import katas.checker.Kata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's commands as a learner sees them, each on a copy of the project (so that no
 * progress file or edit touches this checkout): what {@code ./kata test} prints for a stub, a
 * naive variant and a solution; a bounded run of {@code ./kata watch} that sees an edit; hint,
 * list and reset. Content, never timing: the watch test prints how long a save took.
 */
class LearnerTest {
    static final Path ROOT = Path.of(System.getProperty("katas.root", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path tmp;
    private static Path copy;

    /** A copy of what ./kata needs: the katas, their harnesses, the references, the points, the launcher; a Git repository. */
    @BeforeAll
    static void copyProject() throws Exception {
        copy = tmp.resolve("project");
        for (String dir : List.of("katas", "reference", "stress")) copyTree(ROOT.resolve(dir), copy.resolve(dir));
        Files.createDirectories(copy.resolve("ci"));
        for (String file : List.of("kata", "ci/checker.sh", "ci/points.properties")) {
            Files.copy(ROOT.resolve(file), copy.resolve(file), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        // The modules ./kata runs from (see ci/checker.sh), as built here: nothing changes their sources, so nothing rebuilds them.
        List<String> modules = List.of("ci/runner", "ci/checker", "learner");
        for (String module : modules) {
            Files.createDirectories(copy.resolve(module));
            Files.createSymbolicLink(copy.resolve(module).resolve("target"), ROOT.resolve(module).resolve("target"));
        }
        Files.writeString(copy.resolve(".gitignore"), ".kata/\n" + String.join("\n", modules.stream().map(m -> m + "/target").toList()) + "\n");
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "copy");
    }

    @Test
    void testOnTheStubListsEveryCheckAndExplainsTheFirstFailure() throws Exception {
        Result r = kata("test", "counter");
        assertEquals(1, r.code, r.out);
        List<String> lines = r.out.lines().toList();
        assertEquals("kata counter: running the tests...", lines.get(0));
        // one line per check, in file order (the Lincheck tests first: CounterLincheckTest sorts before CounterTest)
        assertTrue(lines.subList(1, 9).stream().allMatch(l -> l.startsWith("  ✓ ") || l.startsWith("  ✗ ")), r.out);
        assertEquals("  ✗ Lincheck: two threads each decrement once, from 2 to 0 (the story in miniature)", lines.get(1));
        contains(r.out, "  ✓ a new counter starts at 0, or at the initial value given",
                "RED: ", "checks fail. The first one:", "\nCounterLincheckTest.twoDecrements\n",
                "two decrements from 2 must give 0: one of them was lost",
                "The following interleaving leads to the error:", "Counter#1.value = 1",
                "(the detailed trace: ./kata test ... --verbose)", "Stuck? ./kata hint counter (hint 1 of 5)");
        // nothing of Maven, no detailed trace, no colour when not on a terminal
        lacks(r.out, "[INFO]", "BUILD FAILURE", "Detailed trace:", "\033[");
    }

    @Test
    void verboseAddsTheDetailedTrace() throws Exception {
        Result r = kata("test", "counter", "--verbose");
        assertEquals(1, r.code, r.out);
        contains(r.out, "The following interleaving leads to the error:", "Detailed trace:");
    }

    @Test
    void testOnANaiveVariantNamesItsBug() throws Exception {
        Path project = variantCopy("counter", "half-synchronized");
        Result r = run(project, "test", "counter");
        assertEquals(1, r.code, r.out);
        contains(r.out, "RED: ", "The following interleaving leads to the error:");
        lacks(r.out, "GREEN");
    }

    @Test
    void testOnTheReferenceIsGreenAndPointsOn() throws Exception {
        Result r = kata("test", "semaphore", "--reference");
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.startsWith("kata semaphore (reference): running the tests..."), r.out);
        assertTrue(r.out.lines().noneMatch(l -> l.startsWith("  ✗ ")), r.out);
        assertTrue(r.out.matches("(?s).*GREEN: all \\d+ checks pass.*"), r.out);
    }

    @Test
    void hintsComeOneAtATimeAndAreRemembered() throws Exception {
        Result first = kata("hint", "deadlock");
        contains(first.out, "Hint 1 of ");
        lacks(first.out, "Hint 2");
        Result second = kata("hint", "deadlock");
        contains(second.out, "Hint 1:", "Hint 2 of ");
        int total = new Learner(copy, new PrintStream(PrintStream.nullOutputStream())).hints(Kata.named(copy, "deadlock")).size();
        Result last = null;
        for (int i = 2; i <= total; i++) last = kata("hint", "deadlock");
        contains(last.out, "Hint " + total + " of " + total + ":", "That was the last hint.");
        contains(Files.readString(copy.resolve(".kata/progress.properties")), "deadlock.hints=" + total);
    }

    @Test
    void listShowsTheLearningPathAndProgress() throws Exception {
        Path project = variantCopy("rlock", null); // rlock solved with its reference
        run(project, "test", "rlock");
        Result r = run(project, "list");
        assertEquals(0, r.code, r.out);
        List<String> names = r.out.lines().filter(l -> l.matches(" ?\\d+\\. .*")).map(l -> l.substring(7).strip().split(" ")[0]).toList();
        assertEquals(Kata.all(ROOT).stream().map(Kata::name).toList(), names, r.out);
        assertTrue(r.out.matches("(?s).*3\\. ✓  rlock +green.*"), r.out);
        contains(r.out, "1 of 8 katas green");
    }

    @Test
    void resetRestoresTheStubButAsksFirst() throws Exception {
        Path stub = copy.resolve("katas/event/src/main/java/kata/event/Event.java");
        String original = Files.readString(stub);
        Files.writeString(stub, "// my attempt\n" + original);
        Result refused = kata("reset", "event");
        assertEquals(2, refused.code, refused.out);
        contains(refused.out, "--yes");
        assertTrue(Files.readString(stub).startsWith("// my attempt"));
        Result done = kata("reset", "event", "--yes");
        assertEquals(0, done.code, done.out);
        assertEquals(original, Files.readString(stub));
    }

    /** The launcher itself: the same verdict, no Maven, no colour in a pipe; a wrong kata name is one line. */
    @Test
    void theLauncherPrintsTheVerdictOnly() throws Exception {
        ProcessBuilder launch = new ProcessBuilder(copy.resolve("kata").toString(), "test", "pool").directory(copy.toFile())
                .redirectErrorStream(true);
        launch.environment().put("KATAS_CI_NO_BUILD", "1"); // the copy's sources look newer than this checkout's build
        Process p = launch.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.startsWith("kata pool: running the tests..."), out);
        contains(out, "RED: ");
        lacks(out, "[INFO]", "\033[");
        ProcessBuilder unknown = new ProcessBuilder(copy.resolve("kata").toString(), "test", "nosuchkata").redirectErrorStream(true);
        unknown.environment().put("KATAS_CI_NO_BUILD", "1");
        Process wrong = unknown.start();
        String said = new String(wrong.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(wrong.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, wrong.exitValue(), said);
        assertEquals(1, said.strip().lines().count(), said);
        contains(said, "unknown kata 'nosuchkata'", "counter");
    }

    /**
     * {@code ./kata watch}: a verdict, then an edit (the reference saved over the stub), then the
     * new verdict; stopping it leaves no process and no work directory behind.
     */
    @Test
    void watchSeesASaveAndLeavesNothingBehind() throws Exception {
        Path project = variantCopy("event", "stub");
        Path work = Files.createDirectories(tmp.resolve("watch-tmp"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Learner learner = new Learner(project, out, work);
        Kata event = Kata.named(project, "event");
        Thread watching = new Thread(() -> {
            try {
                learner.watch(event, false);
            } catch (InterruptedException stopped) {
                // Ctrl-C, as far as this test goes
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "watch");
        watching.start();
        try {
            awaitOutput(bytes, "Watching katas/event", Duration.ofSeconds(180));
            contains(bytes.toString(StandardCharsets.UTF_8), "RED: ");
            bytes.reset();
            long saved = System.nanoTime();
            copyTree(ROOT.resolve("reference/event/src/main/java"), project.resolve("katas/event/src/main/java"));
            awaitOutput(bytes, "GREEN: ", Duration.ofSeconds(180));
            System.out.printf("watch: save to verdict in %.1f s%n", (System.nanoTime() - saved) / 1e9);
            awaitOutput(bytes, "The next kata is queue: ./kata watch queue", Duration.ofSeconds(10));
        } finally {
            watching.interrupt();
            watching.join(30_000);
        }
        assertFalse(watching.isAlive(), "watch did not stop");
        List<String> processes = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), processes, "processes left behind");
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "work directories left behind");
        }
    }

    /** Lincheck's table in the compact view: a step that carries a whole message is cut, the steps and their order stay. */
    @Test
    void longCellsOfLincheckTablesAreCutAndTheColumnsFitted() {
        String longCell = "assertEquals(1, 0, \"" + "x".repeat(200) + "\"): threw AssertionFailedError";
        String table = String.join("\n",
                "The following interleaving leads to the error:",
                "| " + "-".repeat(250) + " |",
                "| " + " ".repeat(100) + "Main Thread" + " ".repeat(100) + " |   Thread 1   |",
                "| " + "-".repeat(250) + " |",
                "| Task#1.onDone(Lambda#3)" + " ".repeat(200) + " |              |",
                "|   done ➜ false" + " ".repeat(208) + " |              |",
                "| " + " ".repeat(223) + " | run()        |",
                "| " + longCell + " |              |",
                "| " + "-".repeat(250) + " |",
                "All unfinished threads are in deadlock");
        String narrow = Learner.narrowTables(table, Learner.CELL);
        List<String> lines = narrow.lines().toList();
        assertEquals(10, lines.size(), narrow);
        int width = lines.get(1).length();
        assertTrue(width <= Learner.CELL + 20, narrow);
        for (String l : lines.subList(1, 9)) assertEquals(width, l.length(), "every row as wide as the rules:\n" + narrow);
        assertTrue(lines.get(2).contains("Main Thread") && lines.get(2).contains("Thread 1"), narrow);
        assertTrue(lines.get(5).startsWith("|   done ➜ false "), "the steps keep their indentation:\n" + narrow);
        assertTrue(lines.get(6).contains("| run()"), narrow);
        assertTrue(lines.get(7).startsWith("| assertEquals(1, 0, \"xxx") && lines.get(7).contains("…"), narrow);
        assertEquals("All unfinished threads are in deadlock", lines.get(9));
        String ragged = "| a | b |\n| c |";
        assertEquals(ragged, Learner.narrowTables(ragged, 1), "a table it cannot read stays as it is");
    }

    // ---------------------------------------------------------------- helpers

    private record Result(int code, String out) {}

    private static void contains(String out, String... parts) {
        for (String part : parts) assertTrue(out.contains(part), "expected \"" + part + "\" in:\n" + out);
    }

    private static void lacks(String out, String... parts) {
        for (String part : parts) assertFalse(out.contains(part), "did not expect \"" + part + "\" in:\n" + out);
    }

    private static Result kata(String... args) throws Exception {
        return run(copy, args);
    }

    /** Runs one ./kata command in-process, as Main does, on {@code project}. */
    private static Result run(Path project, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Cli.run(project, args, out, out);
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    /** A fresh copy of the project where {@code kata}'s stub is its reference, or a naive variant over it ("stub": as is). */
    private static Path variantCopy(String kata, String variant) throws IOException {
        Path project = Files.createTempDirectory(tmp, kata + "-");
        for (String dir : List.of("katas", "reference", "stress")) copyTree(copy.resolve(dir), project.resolve(dir));
        Files.createDirectories(project.resolve("ci"));
        Files.copy(copy.resolve("ci/points.properties"), project.resolve("ci/points.properties"));
        if ("stub".equals(variant)) return project;
        Path stub = project.resolve("katas").resolve(kata).resolve("src/main/java");
        copyTree(ROOT.resolve("reference").resolve(kata).resolve("src/main/java"), stub);
        if (variant == null) return project;
        // A naive variant's files stand in for the reference's files of the same name (see Kata.overlay).
        try (Stream<Path> files = Files.list(ROOT.resolve("reference").resolve(kata).resolve("naive").resolve(variant));
             Stream<Path> stubFiles = Files.walk(stub)) {
            List<Path> inStub = stubFiles.filter(Files::isRegularFile).toList();
            for (Path f : files.toList()) {
                Path target = inStub.stream().filter(s -> s.getFileName().equals(f.getFileName())).findFirst().orElseThrow();
                Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return project;
    }

    private static void awaitOutput(ByteArrayOutputStream bytes, String text, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!bytes.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no \"" + text + "\" within " + limit.toSeconds() + " s; the output so far:\n"
                        + bytes.toString(StandardCharsets.UTF_8));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.filter(p -> !p.toString().contains("/target")).toList()) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", copy.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), said);
    }
}
