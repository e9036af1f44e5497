package katas.ci;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ci/export-assignment DEST_DIR}: an assignment repository for classrooms whose solutions
 * must stay private. It holds what a learner needs and nothing more: the katas (stubs, tests,
 * READMEs), the stress harnesses, the launcher, the build, the checker and grader (without their
 * self-tests, which need the solutions, and without the instructor's notes), ASSIGNMENT.md, and
 * the grading workflow in .github/workflows/. It holds no reference solution and no naive variant
 * (reference/), no benchmark, no contributor guide.
 * Grading for marks runs from the instructor's full checkout (see ci/README.md).
 *
 * <p>What is copied is a list of what to take, not of what to leave out, so that a new
 * directory of solutions can never slip into an export unnoticed. As a last check, no exported
 * source may equal a file under reference/.
 */
final class Export {
    private Export() {}

    /** Top-level entries of the export. */
    static final List<String> TAKEN = List.of("README.md", ".gitignore", "kata", "pom.xml", "katas", "stress", "ci");
    /** Never exported, at any depth: build output, VCS data, reports. */
    static final Set<String> NEVER = Set.of("target", ".git", "grade-report", ".idea", ".vscode");
    /**
     * Left out of ci/: the self-tests (they need reference/), the workflows (the assignment's is
     * installed in .github/workflows/), the export itself, and the instructor's documentation
     * (learners get ASSIGNMENT.md).
     */
    static final Set<String> NOT_FROM_CI = Set.of("ci/src/test", "ci/github", "ci/export-assignment", "ci/README.md",
            "ci/fixtures");

    static final String NOTE = """
            > **Assignment copy.** This repository holds the katas, their tests and stress harnesses, and
            > the grader. The reference solutions and the naive variants stay with your instructor, so
            > `./kata test NAME --reference`, `./kata prove` and the kill matrix of `mvn verify` (mentioned
            > below) are not available here; `./kata test NAME`, `./kata stress NAME` and `ci/grade .` are.
            > How your work is graded: [ASSIGNMENT.md](ASSIGNMENT.md).

            """;

    static final String ASSIGNMENT = """
            # How this assignment is graded

            Solve the katas: edit only `katas/NAME/src/main/java/` (run `./kata list` for the names,
            and read `katas/NAME/README.md` first). Then:

            ```
            ./kata test NAME       # the kata's tests (JUnit 5 + Lincheck): red until you solve it
            ./kata stress NAME     # the kata's jcstress harnesses on real cores
            ci/grade .             # grade yourself exactly as the grader does: reports in grade-report/
            ```

            On every push, the workflow in `.github/workflows/classroom.yml` runs the grader
            (`ci/grade`) on your repository, one job per kata, and shows the result in the job summary.

            - Only your kata sources are taken: `katas/NAME/src/main/java/**.java`, in the package of the
              stub (`kata.NAME`). Everything else (tests, harnesses, build files, the grader) comes from
              the instructor's copy; changes you make to them are ignored and listed in the report.
            - Each kata is graded on its own: its tests (points for the tests layer when every test
              passes) and its jcstress harnesses (points for the stress layer when no harness observes a
              forbidden outcome). The points per layer are in `ci/points.properties`.
            - Each layer runs with a time limit: code that hangs or deadlocks gets `timeout` (with a thread
              dump and the lock cycle), code that exits the JVM gets `error`.

            The reference solutions are not part of this repository.
            """;

    /** ci/export-assignment DEST_DIR (command line: {@link Cli}): returns the exit code. */
    static int run(Path root, Path destination, PrintStream out, PrintStream err) {
        Path dest = destination.toAbsolutePath().normalize();
        try {
            if (Files.exists(dest) && (!Files.isDirectory(dest) || hasEntries(dest))) {
                err.println("error: " + dest + " exists and is not an empty directory");
                return Cli.Exit.USAGE.code;
            }
            if (dest.startsWith(root)) {
                err.println("error: export outside this checkout, not into " + dest);
                return Cli.Exit.USAGE.code;
            }
            int files = export(root, dest);
            out.println("Exported the assignment (" + files + " files, no reference/) to " + dest);
            out.println("Publish it as the assignment's template repository; grade for marks from this checkout: ci/grade SUBMISSION_DIR");
            return Cli.Exit.OK.code;
        } catch (IOException | IllegalStateException e) {
            err.println("error: the export failed: " + e.getMessage());
            Checker.deleteTree(dest);
            return Cli.Exit.BROKEN.code;
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var list = Files.list(dir)) {
            return list.findAny().isPresent();
        }
    }

    /** Copies the assignment to {@code dest}; returns the number of files. */
    static int export(Path root, Path dest) throws IOException {
        Files.createDirectories(dest);
        int[] count = {0};
        for (String top : TAKEN) {
            Path from = root.resolve(top);
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) continue;
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    String rel = root.relativize(dir).toString().replace('\\', '/');
                    if (NEVER.contains(dir.getFileName().toString()) || NOT_FROM_CI.contains(rel)) return FileVisitResult.SKIP_SUBTREE;
                    Files.createDirectories(dest.resolve(rel));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = root.relativize(file).toString().replace('\\', '/');
                    if (NOT_FROM_CI.contains(rel) || !attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                    Files.copy(file, dest.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
                    count[0]++;
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        Path readme = dest.resolve("README.md");
        if (Files.exists(readme)) Files.writeString(readme, NOTE + Files.readString(readme, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        Files.writeString(dest.resolve("ASSIGNMENT.md"), ASSIGNMENT, StandardCharsets.UTF_8);
        Path workflow = root.resolve("ci/github/assignment.yml");
        if (Files.exists(workflow)) {
            Files.createDirectories(dest.resolve(".github/workflows"));
            Files.copy(workflow, dest.resolve(".github/workflows/classroom.yml"));
        }
        checkNoSolution(root, dest);
        return count[0] + 2;
    }

    /** Fails when any exported file equals a file of reference/ (a stub that is the solution, a copied variant). */
    static void checkNoSolution(Path root, Path dest) throws IOException {
        Path reference = root.resolve("reference");
        if (!Files.isDirectory(reference)) return;
        Set<String> solutions = new HashSet<>();
        try (var walk = Files.walk(reference)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) solutions.add(normalized(p));
        }
        // What the stubs ship as they are (a demo such as event's TrafficLight, the same in the
        // reference) is given to the learner anyway: not a solution.
        for (Kata kata : Kata.all(root)) {
            for (Path f : Kata.javaFiles(kata.stub())) solutions.remove(normalized(f));
        }
        List<String> leaked = new ArrayList<>();
        try (var walk = Files.walk(dest)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".java")).toList()) {
                if (solutions.contains(normalized(p))) leaked.add(dest.relativize(p).toString());
            }
        }
        if (!leaked.isEmpty()) throw new IllegalStateException("these exported files equal a reference or naive solution: " + leaked);
    }

    private static String normalized(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    }
}
