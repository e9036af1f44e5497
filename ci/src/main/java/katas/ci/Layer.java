package katas.ci;

import java.util.List;

/** The outcome of one layer ("tests" or "stress") of one kata: its status, checks and run time. */
record Layer(String name, String status, List<Check> checks, double seconds, String output) {
    static final String TESTS = "tests";
    static final String STRESS = "stress";

    boolean passed() {
        return Check.PASS.equals(status);
    }

    /** The first check that did not pass, or null. */
    Check firstFailure() {
        return checks.stream().filter(c -> !c.passed()).findFirst().orElse(null);
    }

    static Layer of(String name, List<Check> checks, double seconds, String output) {
        String status = checks.stream().filter(c -> !c.passed()).map(Check::status).findFirst().orElse(Check.PASS);
        if (checks.isEmpty()) status = Check.ERROR;
        return new Layer(name, status, checks, seconds, output);
    }

    /** A layer that did not get to run its checks: one check, named after the layer, says why. */
    static Layer broken(String name, String status, String message, double seconds, String output) {
        return new Layer(name, status, List.of(new Check(name, status, name, message)), seconds, output);
    }
}
