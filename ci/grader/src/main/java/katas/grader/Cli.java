package katas.grader;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import katas.checker.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The grader's command lines, with picocli: {@code ci/grade}, {@code ci/merge-grades} and
 * {@code ci/export-assignment} ({@code Main COMMAND ARGS...}). Each has generated help ({@code -h}),
 * takes {@code --opt value} and {@code --opt=value} alike, and ends with one of the
 * {@link Commands.Exit} codes.
 */
final class Cli {
    private Cli() {}

    private static final String FOOTER = Commands.FOOTER;

    /** Runs {@code args} ({@code COMMAND ARGS...}) on the trusted checkout at {@code root}; returns the exit code. */
    static int run(Path root, String[] args, PrintStream out, PrintStream err) {
        String first = args.length == 0 ? "" : args[0];
        CommandLine cli = switch (first) {
            case "grade" -> new CommandLine(new GradeCommand(root, out, err)).setCommandName("ci/grade");
            case "merge-grades" -> new CommandLine(new MergeGrades(root, out, err)).setCommandName("ci/merge-grades");
            case "export-assignment" -> new CommandLine(new ExportAssignment(root, out, err)).setCommandName("ci/export-assignment");
            default -> null;
        };
        if (cli == null) {
            err.println("error: unknown command '" + first + "': grade, merge-grades or export-assignment");
            return Commands.Exit.USAGE.code;
        }
        return Commands.execute(cli, Arrays.copyOfRange(args, 1, args.length), out, err, true);
    }

    // ---------------------------------------------------------------- ci/

    @Command(mixinStandardHelpOptions = true, footer = FOOTER,
            description = "Grades a learner's copy of this repository, kata by kata, and writes the reports.")
    static final class GradeCommand implements Callable<Integer> {
        private final Path root;
        private final PrintStream out;
        private final PrintStream err;
        @Parameters(paramLabel = "SUBMISSION_DIR",
                description = "a copy of this repository with a learner's changes; only the katas' sources "
                + "(katas/NAME/src/main/java/**.java) are taken from it")
        Path submission;
        @Option(names = "--kata", paramLabel = "NAME",
                description = "grade only this kata (repeatable); default: every kata")
        List<String> katas = new ArrayList<>();
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "grade-report",
                description = "where the reports go (default: ${DEFAULT-VALUE}): grade.json, grade.md, junit.xml, "
                + "results.json (Exercism v3), autograding.json (GitHub Classroom)")
        Path outDir;
        @Option(names = "--min-score", paramLabel = "N", description = "exit 1 when the score is below N")
        Integer minScore;

        GradeCommand(Path root, PrintStream out, PrintStream err) {
            this.root = root;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            return Grader.grade(root, new Grader.Request(submission, katas, outDir, minScore), out, err);
        }
    }

    @Command(mixinStandardHelpOptions = true, footer = FOOTER,
            description = "One grade from the grades of parts of one submission (the katas of a CI job matrix). "
            + "KATA=DIR takes from DIR only the grade of KATA; a plain DIR gives every kata in it. Points"
            + " are computed again from the trusted ci/points.properties.")
    static final class MergeGrades implements Callable<Integer> {
        private final Path root;
        private final PrintStream out;
        private final PrintStream err;
        @Parameters(index = "0", paramLabel = "OUT_DIR", description = "where the merged reports go")
        Path outDir;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "[KATA=]REPORT_DIR", description = "the parts")
        List<String> parts = new ArrayList<>();
        @Option(names = "--katas", paramLabel = "NAME", split = ",",
                description = "the katas the parts should cover: one that no part graded counts as an error worth 0 "
                + "points")
        List<String> katas = new ArrayList<>();
        @Option(names = "--min-score", paramLabel = "N", description = "exit 1 when the score is below N")
        Integer minScore;

        MergeGrades(Path root, PrintStream out, PrintStream err) {
            this.root = root;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            return Grader.merge(root, outDir, parts, katas, minScore, out, err);
        }
    }

    @Command(mixinStandardHelpOptions = true, footer = FOOTER,
            description = "Makes the repository learners get: everything but the reference solutions and the grader's"
            + " own tests.")
    static final class ExportAssignment implements Callable<Integer> {
        private final Path root;
        private final PrintStream out;
        private final PrintStream err;
        @Parameters(paramLabel = "DEST_DIR", description = "a new or empty directory outside this checkout")
        Path dest;

        ExportAssignment(Path root, PrintStream out, PrintStream err) {
            this.root = root;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            return Export.run(root, dest, out, err);
        }
    }
}
