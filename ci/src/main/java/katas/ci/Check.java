package katas.ci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * One check of a layer: a test method, a jcstress harness, or the layer itself when it could
 * not run (compile error, timeout, crash). {@code layer} is "tests" or "stress"; {@code status}
 * one of pass, fail, timeout, compile-error, error. {@code title} is the test's display name
 * (may be empty); {@code output} what the code printed during the check (bounded, may be empty).
 * In grade.json, {@code title} and {@code output} are left out when empty.
 */
record Check(String layer, String status, String name, String message,
        @JsonInclude(Include.NON_EMPTY) String title, @JsonInclude(Include.NON_EMPTY) String output) {
    static final String PASS = "pass";
    static final String FAIL = "fail";
    static final String TIMEOUT = "timeout";
    static final String COMPILE_ERROR = "compile-error";
    static final String ERROR = "error";

    Check(String layer, String status, String name, String message) {
        this(layer, status, name, message, "", "");
    }

    boolean passed() {
        return PASS.equals(status);
    }
}
