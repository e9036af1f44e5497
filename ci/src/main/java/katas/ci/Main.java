package katas.ci;

import java.nio.file.Path;
import java.util.List;

/**
 * The checker's entry point, run through {@code ./kata} and the {@code ci/} scripts (which build
 * it first); the command lines are {@link Cli}'s.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("katas.root", ".")).toAbsolutePath().normalize();
        if (args.length > 0 && !LEARNER.contains(args[0])) {
            // What the checker prints can carry text of the checked code's (messages, file names): made inert.
            // (The learner's commands escape the code's text themselves, and may colour their own.)
            System.setOut(Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.out)));
            System.setErr(Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.err)));
        }
        System.exit(Cli.run(root, args, System.out, System.err));
    }

    private static final List<String> LEARNER = List.of("test", "watch", "hint", "list", "reset", "help");
}
