package katas.learner;

import java.nio.file.Path;

/**
 * The entry point of {@code ./kata} (which builds it first); the command lines are {@link Cli}'s.
 * The learner's commands escape the checked code's text themselves ({@code Inert}), and may
 * colour their own.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("katas.root", ".")).toAbsolutePath().normalize();
        System.exit(Cli.run(root, args, System.out, System.err));
    }
}
