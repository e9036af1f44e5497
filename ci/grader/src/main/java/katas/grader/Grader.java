package katas.grader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import katas.checker.Checker;
import katas.checker.Commands;
import katas.checker.Exec;
import katas.checker.Kata;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.LayerResult;
import katas.checker.Points;
import katas.checker.Status;

/**
 * The grader: {@code ci/grade SUBMISSION_DIR [--kata NAME]... [--out DIR] [--min-score N]}.
 *
 * <p>Takes only the kata sources from the submission ({@link Submission}), checks each kata with
 * the {@link Checker} against the trusted tests and harnesses of this checkout (each kata and
 * layer in JVMs of their own, with the limits of {@link Points}), scores it ({@link Grade}) and
 * writes the reports ({@link Reports}).
 *
 * <p>Exit codes: 0 graded (whatever the score); 1 {@code --min-score} given and not reached;
 * 2 usage error (unknown kata, missing or non-repository directory...); 3 the grader itself failed.
 */
final class Grader {

    private Grader() {}

    /** What the command line asked for. */
    record Request(Path submission, List<String> katas, Path out, Integer minScore) {}

    /** ci/grade (command line: {@link Cli}): returns the exit code. */
    static int grade(Path root, Request request, PrintStream out, PrintStream err) {
        if (request.minScore() != null && request.minScore() < 0) throw new IllegalArgumentException("--min-score must not be negative");
        Path submission = Submission.validate(request.submission());
        List<Kata> all = Kata.all(root);
        List<Kata> graded = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(request.katas());
        if (names.isEmpty()) graded.addAll(all);
        for (String name : names) graded.add(Kata.named(root, name));
        if (graded.isEmpty()) throw new IllegalArgumentException("the trusted checkout " + root + " has no kata");
        if (Files.exists(request.out()) && !Files.isDirectory(request.out())) {
            throw new IllegalArgumentException("--out " + request.out() + " is a file, not a directory");
        }
        try {
            Grade grade = grade(root, submission, all, graded, request.out().toAbsolutePath().normalize(), Points.load(root), null, out);
            return finish(grade, request.out(), request.minScore(), out);
        } catch (Exception | Error e) {
            err.println("error: the grader itself failed: " + e);
            e.printStackTrace(err);
            return Commands.Exit.BROKEN.code;
        }
    }

    /**
     * Grades {@code graded} katas of {@code submission}, writes the reports to {@code outDir}, returns
     * the grade. Work files go to a fresh directory in {@code tmpParent} (null: the system's), which
     * is deleted at the end.
     */
    static Grade grade(Path root, Path submission, List<Kata> all, List<Kata> graded, Path outDir, Points points,
                       Path tmpParent, PrintStream out) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path tmp = tmpParent == null ? Files.createTempDirectory("katas-grade-") : Files.createTempDirectory(tmpParent, "katas-grade-");
        Thread cleanup = new Thread(() -> {
            Exec.killAll();
            Checker.deleteTree(tmp);
        }, "grade-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Submission taken = Submission.take(submission, root, all, graded, tmp.resolve("submission"), outDir);
            Checker checker = new Checker();
            Checker.Options base = points.defaults(out, false).withTmp(tmp);
            out.printf("Grading %s: %s (layers: %s)%nSandbox: %s%n", submission, String.join(", ", graded.stream().map(Kata::name).toList()),
                    points.layers().stream().map(Layer::toString).collect(java.util.stream.Collectors.joining(", ")), base.sandbox().description());
            List<Grade.KataGrade> katas = new ArrayList<>();
            for (Kata kata : graded) {
                long t0 = System.nanoTime();
                Checker.Options options = points.options(kata.name(), base);
                Submission.Sources sources = taken.sources(kata.name());
                KataResult result;
                if (!sources.problem().isEmpty()) {
                    out.println("[" + kata.name() + " / submission] " + sources.problem());
                    result = new KataResult(kata.name(), "submission", options.layers().stream()
                            .map(l -> LayerResult.broken(l, Status.COMPILE_ERROR, sources.problem(), 0, "")).toList());
                } else {
                    result = checker.check(kata, "submission", List.of(sources.dir()), options);
                }
                result = result.inSourceOrder(kata);
                Grade.KataGrade g = Grade.score(result, points, options.layers(), all.indexOf(kata) + 1, (System.nanoTime() - t0) / 1e9);
                out.printf("[%s / submission] %s: %d / %d points in %.1f s%n", kata.name(), g.verdict(), g.score(), g.max(), g.seconds());
                katas.add(g);
            }
            Grade grade = Grade.of(katas, taken.ignored(), (System.nanoTime() - start) / 1e9, base.sandbox().description());
            Reports.write(grade, outDir);
            return grade;
        } finally {
            Checker.deleteTree(tmp);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook cleans up
            }
        }
    }

    private static int finish(Grade grade, Path outDir, Integer minScore, PrintStream out) throws IOException {
        Exec.killAll(); // every child is gone before the step's output is written
        githubOutput(outDir);
        out.println();
        out.print(Reports.table(grade, false));
        out.println("Sandbox: " + grade.sandbox());
        if (!grade.ignored().isEmpty()) {
            out.println("\nIgnored (taken from the trusted checkout instead): " + String.join(", ", grade.ignored()));
        }
        out.println("\nReports: " + String.join(", ", Reports.FILES.stream().map(f -> outDir.resolve(f).toString()).toList()));
        if (minScore != null && grade.score() < minScore) {
            out.printf("Score %d is below --min-score %d.%n", grade.score(), minScore);
            return Commands.Exit.FAILED.code;
        }
        return Commands.Exit.OK.code;
    }

    /**
     * In a GitHub Actions step, the Classroom result as the step's output {@code result} (Base64),
     * as Classroom's own graders do: {@code env: {KATAS_RESULTS: "${{ steps.ID.outputs.result }}"}}.
     */
    private static void githubOutput(Path outDir) throws IOException {
        String file = System.getenv("GITHUB_OUTPUT");
        if (file == null || file.isBlank() || !Files.isRegularFile(outDir.resolve("autograding.json"))) return;
        String result = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(outDir.resolve("autograding.json")));
        Files.writeString(Path.of(file), "result=" + result + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * ci/merge-grades OUT_DIR [KATA=]REPORT_DIR... [--katas NAME,...] [--min-score N]: one grade from
     * the grades of parts of one submission (the katas of a CI job matrix). {@code KATA=DIR} takes
     * from DIR only the grade of KATA (the kata that part's job graded); a plain DIR gives every
     * kata in it. Points are computed again from the trusted points file ({@link Grade#merge}).
     * With {@code --katas}, a kata of the list that no part graded (its job crashed or was
     * cancelled) counts as an error worth 0 of its points, so that a missing part can never raise
     * the score.
     */
    static int merge(Path root, Path outDir, List<String> partArgs, List<String> katas, Integer minScore,
                     PrintStream out, PrintStream err) {
        if (minScore != null && minScore < 0) throw new IllegalArgumentException("--min-score must not be negative");
        List<String> kataOf = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        List<String> expected = katas.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        for (String a : partArgs) {
            int eq = a.indexOf('=');
            kataOf.add(eq > 0 ? a.substring(0, eq) : null);
            dirs.add(Path.of(eq > 0 ? a.substring(eq + 1) : a));
        }
        if (dirs.isEmpty() && expected.isEmpty()) throw new IllegalArgumentException("name at least one part (or --katas)");
        List<String> all = Kata.all(root).stream().map(Kata::name).toList();
        for (String k : expected) if (!all.contains(k)) throw new IllegalArgumentException("unknown kata '" + k + "' in --katas");
        for (int i = 0; i < dirs.size(); i++) {
            if (kataOf.get(i) != null && !all.contains(kataOf.get(i))) {
                throw new IllegalArgumentException("unknown kata '" + kataOf.get(i) + "' in " + kataOf.get(i) + "=" + dirs.get(i));
            }
            if (kataOf.get(i) == null && !Files.isRegularFile(dirs.get(i).resolve("grade.json"))) {
                throw new IllegalArgumentException("no grade.json in " + dirs.get(i));
            }
        }
        try {
            Points points = Points.load(root);
            List<Grade.Part> parts = new ArrayList<>();
            for (int i = 0; i < dirs.size(); i++) {
                Grade g;
                try {
                    g = Grade.read(dirs.get(i).resolve("grade.json"));
                } catch (IOException | RuntimeException e) {
                    // A part pinned to its kata that cannot be read: that kata has no grade (an error, 0 points).
                    if (kataOf.get(i) == null) throw e;
                    err.println("warning: the grade of " + kataOf.get(i) + " in " + dirs.get(i) + " cannot be read: " + e.getMessage());
                    g = Grade.of(List.of(), List.of(), 0, "");
                }
                parts.add(new Grade.Part(kataOf.get(i), g));
            }
            Grade grade = Grade.merge(parts, points, all, expected);
            Reports.write(grade, outDir);
            return finish(grade, outDir, minScore, out);
        } catch (Exception e) {
            err.println("error: merging the grades failed: " + e);
            return Commands.Exit.BROKEN.code;
        }
    }
}
