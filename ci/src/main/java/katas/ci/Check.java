package katas.ci;

/**
 * One check of a layer: a test method, a jcstress harness, or the layer itself when it could
 * not run (compile error, timeout, crash). {@code layer} is "tests" or "stress"; {@code status}
 * one of pass, fail, timeout, compile-error, error.
 */
record Check(String layer, String status, String name, String message) {
    static final String PASS = "pass";
    static final String FAIL = "fail";
    static final String TIMEOUT = "timeout";
    static final String COMPILE_ERROR = "compile-error";
    static final String ERROR = "error";

    boolean passed() {
        return PASS.equals(status);
    }
}
