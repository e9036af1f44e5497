package katas.checker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * One check of a layer: a test method, a jcstress harness, or the layer itself when it could
 * not run (compile error, timeout, crash). {@code title} is the test's display name
 * (may be empty); {@code output} what the code printed during the check (bounded, may be empty).
 * In grade.json, {@code title} and {@code output} are left out when empty.
 */
public record Check(Layer layer, Status status, String name, String message,
        @JsonInclude(Include.NON_EMPTY) String title, @JsonInclude(Include.NON_EMPTY) String output) {
    public Check(Layer layer, Status status, String name, String message) {
        this(layer, status, name, message, "", "");
    }

    public boolean passed() {
        return status == Status.PASS;
    }
}
