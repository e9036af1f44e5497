package katas.ci;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Command line of the checker (run through ./kata and the ci/ scripts, which build it first):
 * <pre>
 *   stress KATA [--impl DIR]   jcstress harnesses of KATA against your code (or DIR)
 *   prove [KATA]... [--full]   reference passes, stub fails, naive variants caught; kill matrix
 *   grade SUBMISSION_DIR [--kata NAME]... [--out DIR] [--min-score N]     see {@link Grader}
 *   merge-grades OUT_DIR REPORT_DIR... [--katas NAME,...] [--min-score N] see {@link Grader#merge}
 *   export-assignment DEST_DIR                                            see {@link Export}
 * </pre>
 * Exit codes: 0 success, 1 a check failed, 2 bad usage (grade: 3 the grader failed).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("katas.root", ".")).toAbsolutePath().normalize();
        if (args.length == 0) usage("no command");
        if (!LEARNER.contains(args[0])) {
            // What the checker prints can carry text of the graded code's (messages, file names): made inert.
            // (The learner's commands escape the code's text themselves, and may colour their own.)
            System.setOut(Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.out)));
            System.setErr(Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.err)));
        }
        PrintStream out = System.out;
        try {
            System.exit(run(root, args, out));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (Exception | Error e) {
            if (!List.of("grade", "merge-grades", "export-assignment").contains(args[0])) throw e;
            System.err.println("error: the grader itself failed: " + e);
            e.printStackTrace();
            System.exit(Grader.BROKEN);
        }
    }

    /** Runs one command on the project at {@code root}; returns its exit code (bad usage: IllegalArgumentException). */
    static int run(Path root, String[] args, PrintStream out) throws Exception {
        return switch (args[0]) {
            case "test", "watch" -> test(root, args, out);
            case "hint" -> new Learner(root, out).hint(Kata.named(root, one(args, "hint")));
            case "list" -> new Learner(root, out).list();
            case "reset" -> new Learner(root, out).reset(Kata.named(root, one(args, "reset")), List.of(args).contains("--yes"));
            case "stress" -> stress(root, args, out);
            case "prove" -> prove(root, args, out);
            case "grade" -> Grader.grade(root, rest(args), out, System.err);
            case "merge-grades" -> Grader.merge(root, rest(args), out, System.err);
            case "export-assignment" -> Export.run(root, rest(args), out, System.err);
            default -> usage("unknown command '" + args[0] + "'");
        };
    }

    private static final List<String> LEARNER = List.of("test", "watch", "hint", "list", "reset");

    /** The kata named by the command's one argument (options aside). */
    private static String one(String[] args, String command) {
        List<String> names = java.util.Arrays.stream(args).skip(1).filter(a -> !a.startsWith("-")).toList();
        if (names.size() != 1) throw new IllegalArgumentException(command + " needs one kata: ./kata " + command + " KATA");
        return names.get(0);
    }

    /** ./kata test KATA [--reference] [--verbose]; ./kata watch [KATA] [--verbose]. */
    private static int test(Path root, String[] args, PrintStream out) throws Exception {
        boolean reference = false;
        boolean verbose = false;
        String name = null;
        for (String a : rest(args)) {
            switch (a) {
                case "--reference" -> reference = true;
                case "--verbose", "-v" -> verbose = true;
                default -> {
                    if (a.startsWith("-") || name != null) throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    name = a;
                }
            }
        }
        Learner learner = new Learner(root, out);
        if (args[0].equals("watch")) {
            Kata kata = name != null ? Kata.named(root, name) : firstNotGreen(root, learner);
            return learner.watch(kata, verbose);
        }
        if (name == null) throw new IllegalArgumentException("name a kata: ./kata test KATA (./kata list shows them)");
        return learner.test(Kata.named(root, name), reference, verbose);
    }

    /** The first kata of the learning path that is not green yet (the last one when all are). */
    private static Kata firstNotGreen(Path root, Learner learner) throws java.io.IOException {
        List<Kata> all = Kata.all(root);
        for (Kata k : all) if (!List.of("green", "stressed").contains(learner.state(k))) return k;
        return all.get(all.size() - 1);
    }

    private static String[] rest(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    private static int usage(String problem) {
        System.err.println("error: " + problem + "\nusage: stress KATA [--impl DIR] | prove [KATA]... [--full] | grade SUBMISSION_DIR [OPTIONS]"
                + " | merge-grades OUT_DIR REPORT_DIR... | export-assignment DEST_DIR");
        System.exit(2);
        return 2;
    }

    /**
     * ./kata stress [KATA]... [--impl DIR] [--all]: the jcstress harnesses (the load harness for
     * echo) against the learner's code. With no kata, every kata in learning order that is green
     * (all of them with --all), and one summary table at the end.
     */
    private static int stress(Path root, String[] args, PrintStream out) throws Exception {
        List<Kata> katas = new ArrayList<>();
        Path implArg = null;
        boolean all = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--impl") && i + 1 < args.length) implArg = Path.of(args[++i]).toAbsolutePath();
            else if (args[i].equals("--all")) all = true;
            else if (args[i].startsWith("-")) usage("unexpected argument '" + args[i] + "'");
            else katas.add(Kata.named(root, args[i]));
        }
        if (implArg != null && katas.size() != 1) usage("--impl needs exactly one kata");
        Learner learner = new Learner(root, out);
        if (katas.isEmpty()) {
            for (Kata k : Kata.all(root)) {
                if (all || List.of("green", "stressed").contains(learner.state(k))) katas.add(k);
                else out.println("skipped " + k.name() + ": not green yet (./kata test " + k.name() + "; --all stresses it anyway)");
            }
            if (katas.isEmpty()) {
                out.println("No kata is green yet: make one green with ./kata test KATA, or stress them all with --all.");
                return 1;
            }
        }
        Checker.Options options = Points.load(root).defaults(out, true).withLayers(Set.of(Layer.STRESS));
        StringBuilder table = new StringBuilder("| kata | harness | verdict |\n|---|---|---|\n");
        boolean passed = true;
        for (Kata kata : katas) {
            Path impl = implArg != null ? implArg : kata.stub();
            if (!Files.isDirectory(impl)) throw new IllegalArgumentException("no such directory: " + impl);
            String label = implArg != null ? root.relativize(impl).toString() : "your code";
            List<Path> sources = impl.startsWith(kata.root().resolve("reference").resolve(kata.name()).resolve("naive"))
                    ? List.of(kata.reference(), impl) : List.of(impl);
            Layer layer = new Checker().check(kata, label, sources, options).layer(Layer.STRESS);
            for (Check c : layer.checks()) {
                out.printf("%n%s %s%n%s%n", c.passed() ? "[OK]    " : "[" + c.status().toUpperCase() + "]", c.name(), c.message().indent(2));
                table.append("| ").append(kata.name()).append(" | ").append(c.name()).append(" | ")
                        .append(c.passed() ? "pass" : c.status()).append(" |\n");
            }
            if (implArg == null) learner.stressed(kata, layer.passed());
            out.printf("stress %s: %s (%.0f s)%n", kata.name(), layer.passed() ? "every harness passed" : layer.status(), layer.seconds());
            passed &= layer.passed();
        }
        if (katas.size() > 1) out.print("\n" + table);
        if (!passed) out.println("\nA FORBIDDEN outcome above is a result your code must never produce.");
        return passed ? 0 : 1;
    }

    private static int prove(Path root, String[] args, PrintStream out) throws Exception {
        boolean full = false;
        List<Kata> katas = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--full")) full = true;
            else katas.add(Kata.named(root, args[i]));
        }
        if (katas.isEmpty()) katas = Kata.all(root);
        Checker checker = new Checker();
        List<Proof.Outcome> outcomes = new ArrayList<>();
        Checker.Options options = Points.load(root).defaults(out, true);
        for (Kata kata : katas) outcomes.add(Proof.prove(kata, checker, options, full));
        out.println();
        out.println(Proof.matrix(outcomes));
        List<String> problems = outcomes.stream().flatMap(o -> o.problems().stream().map(p -> o.kata().name() + ": " + p)).toList();
        problems.forEach(p -> out.println("PROBLEM " + p));
        return problems.isEmpty() ? 0 : 1;
    }
}
