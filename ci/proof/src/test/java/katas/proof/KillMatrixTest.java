package katas.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import katas.checker.Checker;
import katas.checker.Kata;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.Points;
import katas.checker.Proof;
import katas.checker.Status;
import katas.grader.Grade;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The project's proof, for every kata under katas/: the reference passes, the stub fails, every
 * naive variant is caught. Prints the kill matrix and writes it to ci/proof/target/kill-matrix.md.
 * {@code -Dkatas.matrix=full} also runs the stress harnesses on variants the tests already caught.
 *
 * <p>It is also the grader's proof on real katas, from the same runs (nothing is checked twice):
 * scored by ci/points.properties, the reference gets full marks, the stub no points, and every
 * naive variant loses the kata.
 *
 * <p>{@code -Dkatas.only=NAME[,NAME...]} limits it to some katas (for development; the default,
 * and CI, is every kata).
 */
class KillMatrixTest {
    static final Path ROOT = Path.of(System.getProperty("katas.root", "../..")).toAbsolutePath().normalize();
    private static final List<Proof.Outcome> OUTCOMES = new ArrayList<>();

    @TestFactory
    Stream<DynamicContainer> everyKataIsProven() {
        Checker checker = new Checker();
        boolean full = "full".equals(System.getProperty("katas.matrix"));
        // Maven against the grader: on every reference always; on every naive variant too with
        // -Dkatas.agreement=all (about 20 s of Maven per variant, 45 variants: too long for every build).
        boolean agreeOnAll = "all".equals(System.getProperty("katas.agreement"));
        List<String> only = Stream.of(System.getProperty("katas.only", "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        Points points = Points.load(ROOT);
        Set<Layer> layers = Set.of(Layer.TESTS, Layer.STRESS);
        return Kata.all(ROOT).stream().filter(k -> only.isEmpty() || only.contains(k.name())).map(kata -> {
            Proof.Outcome[] outcome = new Proof.Outcome[1];
            return DynamicContainer.dynamicContainer(kata.name(), Stream.of(
                    DynamicTest.dynamicTest("check reference, stub and naive variants", () -> {
                        outcome[0] = Proof.prove(kata, checker, points.defaults(System.out, true), full);
                        synchronized (OUTCOMES) {
                            OUTCOMES.add(outcome[0]);
                        }
                    }),
                    DynamicTest.dynamicTest("the reference passes every test and harness", () ->
                            expectNo(outcome[0], "the reference")),
                    DynamicTest.dynamicTest("the stub fails the tests and the harnesses", () ->
                            expectNo(outcome[0], "the stub")),
                    DynamicTest.dynamicTest("there are at least 3 naive variants and each one is caught", () ->
                            expectNo(outcome[0], "naive", "only ")),
                    DynamicTest.dynamicTest("a test of the kata fails on the stub with a Lincheck interleaving or a hint", () -> {
                        assertTrue(outcome[0].stub().layer(Layer.TESTS).checks().stream()
                                .anyMatch(c -> !c.passed() && c.message().length() > 40),
                                "the stub's failures should explain themselves (interleaving, lock cycle or hint)");
                    }),
                    DynamicTest.dynamicTest("Maven (the IDE, ./kata test --raw) and the grader agree on the reference"
                            + (agreeOnAll ? " and every naive variant" : ""), () -> {
                        Proof.Outcome o = proven(outcome[0]);
                        Map<String, KataResult> graded = new LinkedHashMap<>();
                        graded.put("reference", o.reference());
                        if (agreeOnAll) o.naive().forEach((variant, r) -> graded.put("naive " + variant, r));
                        List<String> problems = new ArrayList<>();
                        Path work = Files.createDirectories(ROOT.resolve("ci/proof/target/agreement")).resolve(kata.name());
                        Checker.deleteTree(work);
                        for (var e : graded.entrySet()) {
                            List<Path> sources = e.getKey().equals("reference") ? List.of(kata.reference())
                                    : List.of(kata.reference(), kata.naive().get(e.getKey().substring("naive ".length())));
                            long t0 = System.nanoTime();
                            MavenVerdict.Run maven = MavenVerdict.of(kata, sources, Files.createDirectories(work.resolve(e.getKey().replace(' ', '-'))));
                            System.out.printf("[%s / %s] Maven: %s (%d tests) in %.1f s%n", kata.name(), e.getKey(),
                                    maven.passed() ? "pass" : "fail", maven.tests().size(), (System.nanoTime() - t0) / 1e9);
                            problems.addAll(MavenVerdict.disagreements(e.getKey(), maven, e.getValue()));
                        }
                        if (!problems.isEmpty()) fail(String.join("\n", problems));
                    }),
                    DynamicTest.dynamicTest("the README shows what the stub really prints", () -> {
                        List<String> stale = ReadmeOutputs.stale(ROOT.resolve("katas").resolve(kata.name()).resolve("README.md"),
                                proven(outcome[0]), "update".equals(System.getProperty("katas.readme")));
                        if (!stale.isEmpty()) fail(String.join("\n\n", stale));
                    }),
                    DynamicTest.dynamicTest("graded, the reference gets full marks", () -> {
                        Grade.KataGrade g = Grade.score(proven(outcome[0]).reference(), points, layers, 1, 0);
                        assertEquals(g.max(), g.score(), "points of the reference: " + g.layers());
                        assertTrue(g.max() > 0, "a kata is worth points");
                    }),
                    DynamicTest.dynamicTest("graded, the stub gets no points", () -> {
                        Grade.KataGrade g = Grade.score(proven(outcome[0]).stub(), points, layers, 1, 0);
                        assertEquals(0, g.score(), "points of the stub: " + g.layers());
                    }),
                    DynamicTest.dynamicTest("graded, every naive variant loses the kata", () -> {
                        List<String> won = new ArrayList<>();
                        for (var e : proven(outcome[0]).naive().entrySet()) {
                            Grade.KataGrade g = Grade.score(e.getValue(), points, layers, 1, 0);
                            if (g.verdict() == Status.PASS || g.score() >= g.max()) won.add(e.getKey() + " " + g.layers());
                        }
                        assertTrue(won.isEmpty(), "naive variants that would get full marks: " + won);
                    })));
        });
    }

    private static Proof.Outcome proven(Proof.Outcome outcome) {
        if (outcome == null) fail("the kata could not be checked (see the first test of this kata)");
        return outcome;
    }

    private static void expectNo(Proof.Outcome outcome, String... prefixes) {
        if (outcome == null) fail("the kata could not be checked (see the first test of this kata)");
        List<String> found = outcome.problems().stream()
                .filter(p -> Stream.of(prefixes).anyMatch(p::startsWith)).toList();
        if (!found.isEmpty()) fail(String.join("\n\n", found));
    }

    @AfterAll
    static void printKillMatrix() throws IOException {
        String matrix = Proof.matrix(OUTCOMES);
        System.out.println("\nKILL MATRIX (naive variant -> the checks that caught it)\n\n" + matrix);
        Path target = ROOT.resolve("ci/proof/target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("kill-matrix.md"), matrix);
    }
}
