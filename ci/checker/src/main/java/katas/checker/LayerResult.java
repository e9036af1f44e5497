package katas.checker;

import java.util.List;

/** The outcome of one layer of one kata: its status, checks and run time. */
public record LayerResult(Layer layer, Status status, List<Check> checks, double seconds, String output) {
    public boolean passed() {
        return status == Status.PASS;
    }

    /** The first check that did not pass, or null. */
    public Check firstFailure() {
        return checks.stream().filter(c -> !c.passed()).findFirst().orElse(null);
    }

    /** The layer's status is its first failing check's, pass when all pass, error when there is none. */
    public static LayerResult of(Layer layer, List<Check> checks, double seconds, String output) {
        Status status = checks.isEmpty() ? Status.ERROR
                : checks.stream().filter(c -> !c.passed()).map(Check::status).findFirst().orElse(Status.PASS);
        return new LayerResult(layer, status, checks, seconds, output);
    }

    /** A layer that did not get to run its checks: one check, named after the layer, says why. */
    public static LayerResult broken(Layer layer, Status status, String message, double seconds, String output) {
        return new LayerResult(layer, status, List.of(new Check(layer, status, layer.toString(), message)), seconds, output);
    }
}
