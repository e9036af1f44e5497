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
        // What the checker prints can carry text of the graded code's (messages, file names): made inert.
        System.setOut(Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.out)));
        System.setErr(Inert.stream(new java.io.FileOutputStream(java.io.FileDescriptor.err)));
        PrintStream out = System.out;
        Path root = Path.of(System.getProperty("katas.root", ".")).toAbsolutePath().normalize();
        if (args.length == 0) usage("no command");
        try {
            int code = switch (args[0]) {
                case "stress" -> stress(root, args, out);
                case "prove" -> prove(root, args, out);
                case "grade" -> Grader.grade(root, rest(args), out, System.err);
                case "merge-grades" -> Grader.merge(root, rest(args), out, System.err);
                case "export-assignment" -> Export.run(root, rest(args), out, System.err);
                default -> usage("unknown command '" + args[0] + "'");
            };
            System.exit(code);
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

    private static String[] rest(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    private static int usage(String problem) {
        System.err.println("error: " + problem + "\nusage: stress KATA [--impl DIR] | prove [KATA]... [--full] | grade SUBMISSION_DIR [OPTIONS]"
                + " | merge-grades OUT_DIR REPORT_DIR... | export-assignment DEST_DIR");
        System.exit(2);
        return 2;
    }

    private static int stress(Path root, String[] args, PrintStream out) throws Exception {
        if (args.length < 2) usage("stress needs a kata name");
        Kata kata = Kata.named(root, args[1]);
        Path impl = kata.stub();
        String label = "your code";
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--impl") && i + 1 < args.length) {
                impl = Path.of(args[++i]).toAbsolutePath();
                label = root.relativize(impl).toString();
            } else {
                usage("unexpected argument '" + args[i] + "'");
            }
        }
        if (!Files.isDirectory(impl)) throw new IllegalArgumentException("no such directory: " + impl);
        List<Path> sources = impl.startsWith(kata.root().resolve("reference").resolve(kata.name()).resolve("naive"))
                ? List.of(kata.reference(), impl) : List.of(impl);
        Checker.Options options = Points.load(root).base(Checker.Options.defaults(out)).withLayers(Set.of(Layer.STRESS));
        KataResult result = new Checker().check(kata, label, sources, options);
        Layer layer = result.layer(Layer.STRESS);
        for (Check c : layer.checks()) {
            out.printf("%n%s %s%n%s%n", c.passed() ? "[OK]    " : "[" + c.status().toUpperCase() + "]", c.name(), c.message().indent(2));
        }
        if (layer.passed()) {
            out.printf("%nstress %s: every harness passed (%.0f s)%n", kata.name(), layer.seconds());
            return 0;
        }
        out.printf("%nstress %s: %s. A FORBIDDEN outcome above is a result your code must never produce.%n", kata.name(), layer.status());
        return 1;
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
        Checker.Options options = Points.load(root).base(Checker.Options.defaults(out));
        for (Kata kata : katas) outcomes.add(Proof.prove(kata, checker, options, full));
        out.println();
        out.println(Proof.matrix(outcomes));
        List<String> problems = outcomes.stream().flatMap(o -> o.problems().stream().map(p -> o.kata().name() + ": " + p)).toList();
        problems.forEach(p -> out.println("PROBLEM " + p));
        return problems.isEmpty() ? 0 : 1;
    }
}
