package katas.grader;

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
import katas.checker.Checker;
import katas.checker.Commands;
import katas.checker.Kata;

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
    public static final List<String> TAKEN = List.of("README.md", ".gitignore", "kata", "pom.xml", "katas", "stress", "ci", "learner");
    /** Never exported, at any depth: build output, VCS data, reports. */
    static final Set<String> NEVER = Set.of("target", ".git", "grade-report", ".idea", ".vscode");
    /**
     * Left out of what is taken: the tools' own tests and the proof (they need reference/), the
     * workflows (the assignment's is installed in .github/workflows/), the export itself, and the
     * instructor's documentation (learners get ASSIGNMENT.md, from ci/assignment/).
     */
    public static final Set<String> LEFT_OUT = Set.of("ci/checker/src/test", "ci/grader/src/test", "ci/proof", "learner/src/test",
            "ci/github", "ci/assignment", "ci/export-assignment", "ci/README.md", "ci/fixtures");

    /**
     * What an export adds (ci/assignment/): a note put at the top of README.md, and ASSIGNMENT.md,
     * how the assignment is graded. Plain Markdown files, so that an instructor can edit them.
     */
    static final String NOTE = "ci/assignment/README-note.md";
    static final String ASSIGNMENT = "ci/assignment/ASSIGNMENT.md";

    /** ci/export-assignment DEST_DIR (command line: {@link Cli}): returns the exit code. */
    static int run(Path root, Path destination, PrintStream out, PrintStream err) {
        Path dest = destination.toAbsolutePath().normalize();
        try {
            if (Files.exists(dest) && (!Files.isDirectory(dest) || hasEntries(dest))) {
                err.println("error: " + dest + " exists and is not an empty directory");
                return Commands.Exit.USAGE.code;
            }
            if (dest.startsWith(root)) {
                err.println("error: export outside this checkout, not into " + dest);
                return Commands.Exit.USAGE.code;
            }
            int files = export(root, dest);
            out.println("Exported the assignment (" + files + " files, no reference/) to " + dest);
            out.println("Publish it as the assignment's template repository; grade for marks from this checkout: ci/grade SUBMISSION_DIR");
            return Commands.Exit.OK.code;
        } catch (IOException | IllegalStateException e) {
            err.println("error: the export failed: " + e.getMessage());
            Checker.deleteTree(dest);
            return Commands.Exit.BROKEN.code;
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
                    if (NEVER.contains(dir.getFileName().toString()) || LEFT_OUT.contains(rel)) return FileVisitResult.SKIP_SUBTREE;
                    Files.createDirectories(dest.resolve(rel));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = root.relativize(file).toString().replace('\\', '/');
                    if (LEFT_OUT.contains(rel) || !attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                    Files.copy(file, dest.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
                    count[0]++;
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        Path readme = dest.resolve("README.md");
        if (Files.exists(readme)) {
            Files.writeString(readme, Files.readString(root.resolve(NOTE), StandardCharsets.UTF_8)
                    + Files.readString(readme, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }
        Files.copy(root.resolve(ASSIGNMENT), dest.resolve("ASSIGNMENT.md"));
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
