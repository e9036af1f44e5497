package katas.runner;

import java.util.List;

/**
 * What a layer's trusted main ({@link TestRun}, {@link StressRun}, {@link LoadRun}) hands back to
 * the checker: one outcome per test or per harness, or the crash that stopped the run. It crosses
 * the process boundary as JSON (Jackson), signed ({@link Signed}).
 *
 * <p>This package is everything of the checker that runs inside a graded JVM: it depends on JUnit's
 * launcher, jcstress and Jackson, and on nothing of the host side (katas.checker and above), which a
 * test (RunnerBoundaryTest) keeps true. Only its classes are copied into the sandbox.
 */
public record Results(List<TestOutcome> tests, List<HarnessOutcome> harnesses, String crash) {
    public Results {
        tests = tests == null ? List.of() : List.copyOf(tests);
        harnesses = harnesses == null ? List.of() : List.copyOf(harnesses);
    }

    /** How a test or a harness ended. */
    public enum Status { PASS, FAIL, ABORTED, SKIPPED, NOT_RUN, TIMEOUT, ERROR }

    /**
     * One JUnit test: {@code name} is ClassName.method, {@code title} its display name, {@code type}
     * and {@code message} those of what it threw (if anything), {@code detail} the stack trace,
     * {@code output} what the code printed while it ran (bounded).
     */
    public record TestOutcome(String name, String title, Status status, String type, String message, String detail,
                              double seconds, String output) {}

    /** One jcstress harness or load check: {@code label} is jcstress's word for it, {@code report} its outcome table. */
    public record HarnessOutcome(String name, Status status, String label, String report) {}

    public static Results ofTests(List<TestOutcome> tests) {
        return new Results(tests, List.of(), null);
    }

    public static Results ofHarnesses(List<HarnessOutcome> harnesses) {
        return new Results(List.of(), harnesses, null);
    }

    public static Results crashed(String message) {
        return new Results(List.of(), List.of(), message);
    }
}
