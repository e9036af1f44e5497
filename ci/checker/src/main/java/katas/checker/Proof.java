package katas.checker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proof that a kata teaches what it claims: its reference passes every check, its stub
 * fails both the tests and the stress harness, and each naive variant is caught by at least one
 * test or harness. The kill matrix shows which check caught which variant.
 *
 * <p>To keep the build fast, a naive variant's stress layer runs only when its tests did not
 * already catch it; {@code full} runs every layer on every variant.
 */
public final class Proof {
    /** What was found for one kata; {@code problems} is empty when the kata is proven. */
    public record Outcome(Kata kata, KataResult reference, KataResult stub, Map<String, KataResult> naive, List<String> problems) {}

    private Proof() {}

    public static Outcome prove(Kata kata, Checker checker, Checker.Options options, boolean full)
            throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        KataResult reference = checker.check(kata, "reference", List.of(kata.reference()), options);
        for (LayerResult layer : reference.layers()) {
            for (Check c : layer.checks()) {
                if (!c.passed()) problems.add("the reference fails " + c.layer() + " check " + c.name() + ": " + c.status()
                        + "\n" + Checker.head(c.message(), 4_000));
            }
        }
        KataResult stub = checker.check(kata, "stub", List.of(kata.stub()), options);
        for (LayerResult layer : stub.layers()) {
            if (layer.passed()) problems.add("the stub passes the " + layer.layer() + " layer: it must fail until the learner solves the kata");
        }
        Map<String, KataResult> naive = new LinkedHashMap<>();
        if (kata.naive().size() < 3) problems.add("only " + kata.naive().size() + " naive variants in reference/" + kata.name() + "/naive (at least 3)");
        for (var variant : kata.naive().entrySet()) {
            List<java.nio.file.Path> sources = List.of(kata.reference(), variant.getValue());
            KataResult r = checker.check(kata, "naive " + variant.getKey(), sources, options.withLayers(Set.of(Layer.TESTS)));
            LayerResult tests = r.layer(Layer.TESTS);
            if (full || tests.passed()) {
                KataResult s = checker.check(kata, "naive " + variant.getKey(), sources, options.withLayers(Set.of(Layer.STRESS)));
                r = new KataResult(kata.name(), r.implementation(), List.of(tests, s.layer(Layer.STRESS)));
            }
            naive.put(variant.getKey(), r);
            if (r.verdict() == Status.PASS) {
                problems.add("naive variant '" + variant.getKey() + "' SURVIVED: no test or harness caught it;"
                        + " add a test that fails on reference/" + kata.name() + "/naive/" + variant.getKey());
            } else if (r.verdict() == Status.COMPILE_ERROR) {
                problems.add("naive variant '" + variant.getKey() + "' does not compile: "
                        + Checker.head(r.layers().get(0).checks().get(0).message(), 2_000));
            }
        }
        return new Outcome(kata, reference, stub, naive, problems);
    }

    /** The kill matrix as Markdown: for each implementation, its verdict and what caught it. */
    public static String matrix(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder("| kata | implementation | verdict | caught by | time |\n|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            row(out, o.reference());
            row(out, o.stub());
            o.naive().values().forEach(r -> row(out, r));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, KataResult r) {
        List<String> caught = new ArrayList<>();
        for (LayerResult layer : r.layers()) {
            for (Check c : layer.checks()) {
                if (!c.passed()) caught.add(c.name() + (c.status() == Status.FAIL ? "" : " (" + c.status() + ")"));
            }
        }
        String verdict = r.verdict() == Status.PASS ? (r.implementation().startsWith("naive") ? "SURVIVED" : "pass") : r.verdict().toString();
        out.append(String.format("| %s | %s | %s | %s | %.1f s |%n", r.kata(), r.implementation(), verdict,
                caught.isEmpty() ? "-" : String.join(", ", caught), r.seconds()));
    }
}
