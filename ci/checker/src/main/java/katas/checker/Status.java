package katas.checker;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a check, a layer or a kata (its verdict) came out. Every report writes it as its word
 * ({@code pass}, {@code compile-error}...), which is also what {@link #toString} gives.
 */
public enum Status {
    PASS("pass"),
    FAIL("fail"),
    TIMEOUT("timeout"),
    COMPILE_ERROR("compile-error"),
    ERROR("error"),
    /** A layer that did not run: the kill matrix skips stress on a variant its tests caught (grade.json only). */
    NOT_RUN("not-run");

    private final String word;

    Status(String word) {
        this.word = word;
    }

    @JsonValue
    @Override
    public String toString() {
        return word;
    }
}
