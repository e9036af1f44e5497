package katas.grader;

import java.nio.file.Path;

/**
 * The grader's entry point, run through the {@code ci/} scripts (which build it first): {@code
 * grade}, {@code merge-grades} or {@code export-assignment}, then its arguments; the command lines
 * are {@link Cli}'s.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("katas.root", ".")).toAbsolutePath().normalize();
        // What the grader prints can carry text of the graded code's (messages, file names): made inert.
        System.setOut(katas.checker.Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.out)));
        System.setErr(katas.checker.Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.err)));
        System.exit(Cli.run(root, args, System.out, System.err));
    }
}
