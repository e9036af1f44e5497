package katas.learner;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import katas.checker.Check;
import katas.checker.Checker;
import katas.checker.Commands;
import katas.checker.Commands.Exit;
import katas.checker.Kata;
import katas.checker.Layer;
import katas.checker.LayerResult;
import katas.checker.Points;
import katas.checker.Proof;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command lines of {@code ./kata}, with picocli: the learner's commands and the contributors'
 * {@code prove}. Each has generated help ({@code -h}), takes {@code --opt value} and
 * {@code --opt=value} alike, and ends with one of the {@link Commands.Exit} codes.
 */
final class Cli {
    private Cli() {}

    private static final String FOOTER = Commands.FOOTER;

    /** Runs {@code args} ({@code COMMAND ARGS...}, none: help) on the project at {@code root}; returns the exit code. */
    static int run(Path root, String[] args, PrintStream out, PrintStream err) {
        CommandLine kata = new CommandLine(new KataCommand()).setCommandName("./kata");
        kata.addSubcommand("list", new ListKatas(root, out));
        kata.addSubcommand("test", new Test(root, out));
        kata.addSubcommand("watch", new Watch(root, out));
        kata.addSubcommand("hint", new Hint(root, out));
        kata.addSubcommand("stress", new Stress(root, out));
        kata.addSubcommand("reset", new Reset(root, out));
        kata.addSubcommand("prove", new Prove(root, out));
        kata.addSubcommand("help", new CommandLine.HelpCommand());
        return Commands.execute(kata, args.length == 0 ? new String[] {"help"} : args, out, err, false);
    }

    // ---------------------------------------------------------------- ./kata

    @Command(name = "./kata", mixinStandardHelpOptions = true, version = "concurrency-katas",
            description = "Test-driven katas about threads, locks and I/O multiplexing. Start with ./kata list.",
            footer = FOOTER)
    static final class KataCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return Exit.USAGE.code;
        }
    }

    /** What every ./kata command has: the project and where to print. */
    abstract static class Base implements Callable<Integer> {
        final Path root;
        final PrintStream out;

        Base(Path root, PrintStream out) {
            this.root = root;
            this.out = out;
        }

        void needsSolutions(String what) {
            if (!Files.isDirectory(root.resolve("reference"))) {
                throw new IllegalArgumentException("the reference solutions are not part of this assignment: '" + what
                        + "' is for the instructor's repository");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The katas in learning order, with your progress.")
    static final class ListKatas extends Base {
        ListKatas(Path root, PrintStream out) {
            super(root, out);
        }

        @Override
        public Integer call() throws Exception {
            return new Learner(root, out).list();
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, footer = FOOTER,
            description = "Runs KATA's tests against your code (katas/KATA/src/main/java) as the grader does: one "
            + "line per check, then the first failure in full, then where the next hint is.")
    static final class Test extends Base {
        @Parameters(paramLabel = "KATA", description = "the kata (./kata list shows them)")
        String kata;
        @Option(names = {"-v", "--verbose"}, description = "also Lincheck's detailed trace")
        boolean verbose;
        @Option(names = "--raw", description = "the tests through Maven Surefire instead (what your IDE runs)")
        boolean raw;
        @Option(names = "--reference", description = "contributors: the tests against the reference solution")
        boolean reference;

        Test(Path root, PrintStream out) {
            super(root, out);
        }

        @Override
        public Integer call() throws Exception {
            Kata k = Kata.named(root, kata);
            if (reference) needsSolutions("./kata test " + kata + " --reference");
            if (raw) return maven(k);
            return new Learner(root, out).test(k, reference, verbose);
        }

        private int maven(Kata k) throws Exception {
            List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-Dstyle.color=never", "-f",
                    root.resolve("katas").resolve(k.name()).resolve("pom.xml").toString()));
            if (reference) mvn.add("-Preference");
            mvn.add("test");
            Process p = new ProcessBuilder(mvn).inheritIO().start();
            return p.waitFor() == 0 ? Exit.OK.code : Exit.FAILED.code;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Runs the tests again on every save of your code, until you press Ctrl-C; when the kata "
            + "turns green it names the next one.")
    static final class Watch extends Base {
        @Parameters(paramLabel = "KATA", arity = "0..1", description = "default: the first kata that is not green yet")
        String kata;
        @Option(names = {"-v", "--verbose"}, description = "also Lincheck's detailed trace")
        boolean verbose;

        Watch(Path root, PrintStream out) {
            super(root, out);
        }

        @Override
        public Integer call() throws Exception {
            Learner learner = new Learner(root, out);
            return learner.watch(kata != null ? Kata.named(root, kata) : firstNotGreen(learner), verbose);
        }

        private Kata firstNotGreen(Learner learner) throws java.io.IOException {
            List<Kata> all = Kata.all(root);
            for (Kata k : all) if (!List.of("green", "stressed").contains(learner.state(k))) return k;
            return all.get(all.size() - 1);
        }
    }

    @Command(name = "hint", mixinStandardHelpOptions = true,
            description = "The next hint of KATA's README (it remembers how many you have seen).")
    static final class Hint extends Base {
        @Parameters(paramLabel = "KATA")
        String kata;

        Hint(Path root, PrintStream out) {
            super(root, out);
        }

        @Override
        public Integer call() throws Exception {
            return new Learner(root, out).hint(Kata.named(root, kata));
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Restores KATA's stub from the repository (asks first).")
    static final class Reset extends Base {
        @Parameters(paramLabel = "KATA")
        String kata;
        @Option(names = "--yes", description = "do not ask (needed without a terminal)")
        boolean yes;

        Reset(Path root, PrintStream out) {
            super(root, out);
        }

        @Override
        public Integer call() throws Exception {
            return new Learner(root, out).reset(Kata.named(root, kata), yes);
        }
    }

    @Command(name = "stress", mixinStandardHelpOptions = true, footer = FOOTER,
            description = "jcstress on real cores against your code (the load harness for echo): the outcome tables. "
            + "With no KATA, every green kata in learning order, and one summary table.")
    static final class Stress extends Base {
        @Parameters(paramLabel = "KATA", arity = "0..*")
        List<String> katas = new ArrayList<>();
        @Option(names = "--all", description = "with no KATA: every kata, green or not")
        boolean all;
        @Option(names = "--impl", paramLabel = "DIR",
                description = "another implementation of the one KATA (e.g. reference/KATA/naive/VARIANT)")
        Path impl;

        Stress(Path root, PrintStream out) {
            super(root, out);
        }

        @Override
        public Integer call() throws Exception {
            List<Kata> chosen = new ArrayList<>();
            for (String k : katas) chosen.add(Kata.named(root, k));
            Path implDir = impl == null ? null : impl.toAbsolutePath().normalize();
            if (implDir != null && chosen.size() != 1) throw new IllegalArgumentException("--impl needs exactly one kata");
            Learner learner = new Learner(root, out);
            if (chosen.isEmpty()) {
                for (Kata k : Kata.all(root)) {
                    if (all || List.of("green", "stressed").contains(learner.state(k))) chosen.add(k);
                    else out.println("skipped " + k.name() + ": not green yet (./kata test " + k.name() + "; --all stresses it anyway)");
                }
                if (chosen.isEmpty()) {
                    out.println("No kata is green yet: make one green with ./kata test KATA, or stress them all with --all.");
                    return Exit.FAILED.code;
                }
            }
            Checker.Options options = Points.load(root).defaults(out, true).withLayers(Set.of(Layer.STRESS));
            StringBuilder table = new StringBuilder("| kata | harness | verdict |\n|---|---|---|\n");
            boolean passed = true;
            for (Kata kata : chosen) {
                Path dir = implDir != null ? implDir : kata.stub();
                if (!Files.isDirectory(dir)) throw new IllegalArgumentException("no such directory: " + dir);
                String label = implDir != null ? root.relativize(dir).toString() : "your code";
                List<Path> sources = dir.startsWith(kata.root().resolve("reference").resolve(kata.name()).resolve("naive"))
                        ? List.of(kata.reference(), dir) : List.of(dir);
                LayerResult layer = new Checker().check(kata, label, sources, options).layer(Layer.STRESS);
                for (Check c : layer.checks()) {
                    out.printf("%n%s %s%n%s%n", c.passed() ? "[OK]    " : "[" + c.status().toString().toUpperCase(java.util.Locale.ROOT) + "]", c.name(), c.message().indent(2));
                    table.append("| ").append(kata.name()).append(" | ").append(c.name()).append(" | ")
                            .append(c.status()).append(" |\n");
                }
                if (implDir == null) learner.stressed(kata, layer.passed());
                out.printf("stress %s: %s (%.0f s)%n", kata.name(), layer.passed() ? "every harness passed" : layer.status(), layer.seconds());
                passed &= layer.passed();
            }
            if (chosen.size() > 1) out.print("\n" + table);
            if (!passed) out.println("\nA FORBIDDEN outcome above is a result your code must never produce.");
            return passed ? Exit.OK.code : Exit.FAILED.code;
        }
    }

    @Command(name = "prove", mixinStandardHelpOptions = true, footer = FOOTER,
            description = "Contributors: the reference passes, the stub fails, every naive variant is caught; prints "
            + "the kill matrix.")
    static final class Prove extends Base {
        @Parameters(paramLabel = "KATA", arity = "0..*", description = "default: every kata")
        List<String> katas = new ArrayList<>();
        @Option(names = "--full", description = "also stress the naive variants the tests already caught")
        boolean full;

        Prove(Path root, PrintStream out) {
            super(root, out);
        }

        @Override
        public Integer call() throws Exception {
            needsSolutions("./kata prove");
            List<Kata> chosen = new ArrayList<>();
            for (String k : katas) chosen.add(Kata.named(root, k));
            if (chosen.isEmpty()) chosen = Kata.all(root);
            Checker checker = new Checker();
            List<Proof.Outcome> outcomes = new ArrayList<>();
            Checker.Options options = Points.load(root).defaults(out, true);
            for (Kata kata : chosen) outcomes.add(Proof.prove(kata, checker, options, full));
            out.println();
            out.println(Proof.matrix(outcomes));
            List<String> problems = outcomes.stream().flatMap(o -> o.problems().stream().map(p -> o.kata().name() + ": " + p)).toList();
            problems.forEach(p -> out.println("PROBLEM " + p));
            return problems.isEmpty() ? Exit.OK.code : Exit.FAILED.code;
        }
    }
}
