package kata.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every kata's rule on the API its code may use (katas/support/api-rules.txt, then the kata's
 * own katas/NAME/api-rules.txt), checked on the compiled classes of your code without running
 * them: the same check, with the same message, as the grader's, which refuses such code before
 * any of it runs (a compile error of the kata, 0 points).
 *
 * <p>Maven's surefire (katas/pom.xml) tells it where your classes and the rule files are
 * ({@value #CLASSES}, {@value #RULES}). In the grader's test JVM the grader has already made
 * this check before compiling the tests; there this test only says so.
 */
class AllowedApiTest {
    static final String CLASSES = "kata.apiRules.classes";
    static final String RULES = "kata.apiRules.files";

    @Test
    @DisplayName("the code uses only the API this kata allows (katas/support/api-rules.txt, katas/NAME/api-rules.txt)")
    void usesOnlyTheAllowedApi() throws Exception {
        String classes = System.getProperty(CLASSES);
        String files = System.getProperty(RULES);
        if (classes == null || files == null) {
            assertTrue(inTheGrader(), "cannot find the kata's classes and API rules: the system properties " + CLASSES
                    + " and " + RULES + " are not set. Run the tests with Maven: ./kata test NAME");
            return; // the grader checked these very classes with the same rules before anything ran
        }
        List<Path> rules = new ArrayList<>();
        for (String f : files.split(",")) if (!f.isBlank()) rules.add(Path.of(f.strip()));
        Path dir = Path.of(classes);
        assertTrue(Files.isDirectory(dir), "the kata's classes are not in " + dir + ": run the tests with Maven: ./kata test NAME");
        ApiRules api = ApiRules.load(rules);
        List<ApiRules.Violation> violations = api.check(ApiRules.classFiles(dir));
        if (!violations.isEmpty()) fail(api.report(violations));
    }

    /** The grader runs the tests with its own main, katas.runner.TestRun, whose class is on the class path there only. */
    private static boolean inTheGrader() {
        return AllowedApiTest.class.getClassLoader().getResource("katas/runner/TestRun.class") != null;
    }
}
