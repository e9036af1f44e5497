package katas.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import katas.checker.Check;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.LayerResult;
import katas.checker.Status;
import org.junit.jupiter.api.Test;

/** The comparison behind the kill matrix's Maven-against-grader check finds each kind of disagreement. */
class MavenVerdictTest {
    private static KataResult graded(Check... checks) {
        return new KataResult("counter", "x", List.of(LayerResult.of(Layer.TESTS, List.of(checks), 1, "")));
    }

    private static Check check(String name, Status status) {
        return new Check(Layer.TESTS, status, name, status == Status.PASS ? "" : "why");
    }

    @Test
    void theSameTestsAndTheSameVerdictAgree() {
        MavenVerdict.Run maven = new MavenVerdict.Run(Map.of("CounterTest.a", true, "CounterTest.b", false), Path.of("maven.log"));
        assertEquals(List.of(), MavenVerdict.disagreements("naive x", maven,
                graded(check("CounterTest.a", Status.PASS), check("CounterTest.b", Status.FAIL))));
    }

    @Test
    void aTestOnlyOneSideRanIsADisagreement() {
        MavenVerdict.Run maven = new MavenVerdict.Run(Map.of("CounterTest.a", true), Path.of("maven.log"));
        List<String> problems = MavenVerdict.disagreements("reference", maven,
                graded(check("CounterTest.a", Status.PASS), check("CounterIT.b", Status.PASS)));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("only the grader: [CounterIT.b]"), problems.get(0));
    }

    @Test
    void differentVerdictsAreADisagreement() {
        MavenVerdict.Run maven = new MavenVerdict.Run(Map.of("CounterTest.a", true), Path.of("maven.log"));
        List<String> problems = MavenVerdict.disagreements("naive x", maven, graded(check("CounterTest.a", Status.TIMEOUT)));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("Maven says pass, the grader's tests layer timeout"), problems.get(0));
    }

    @Test
    void noTestAtAllIsNotAPass() {
        assertEquals(false, new MavenVerdict.Run(Map.of(), Path.of("maven.log")).passed());
    }
}
