package katas.checker;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * What every command line of the project shares ({@code ./kata}, {@code ci/grade},
 * {@code ci/merge-grades}, {@code ci/export-assignment}, all picocli): one set of exit codes, the
 * footer that explains them, and one way to end on bad usage.
 */
public final class Commands {
    private Commands() {}

    /** The exit codes of every command. */
    public enum Exit {
        /** Done: green, graded, exported. */
        OK(0),
        /** A check failed (red, a FORBIDDEN outcome, a score below --min-score). */
        FAILED(1),
        /** Bad usage: an unknown option, kata or directory. */
        USAGE(2),
        /** The checker or the grader itself failed (never the graded code's fault). */
        BROKEN(3);

        public final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    public static final String FOOTER = "%nExit codes: 0 done (green, graded), 1 a check failed or the score is below"
            + " --min-score, 2 bad usage, 3 the checker itself failed.";

    /**
     * Runs {@code cli} on {@code args}: an {@link IllegalArgumentException} is bad usage (exit 2,
     * its message on {@code err}); any other exception is the tool's own failure (exit 3, with its
     * stack) when {@code ownFailure}, else it propagates.
     */
    public static int execute(CommandLine cli, String[] args, PrintStream out, PrintStream err, boolean ownFailure) {
        cli.setUsageHelpWidth(100);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                line.getErr().println("error: " + e.getMessage());
                return Exit.USAGE.code;
            }
            if (!ownFailure) throw e;
            line.getErr().println("error: the grader itself failed: " + e);
            e.printStackTrace(line.getErr());
            return Exit.BROKEN.code;
        });
        return cli.execute(args);
    }
}
