package katas.checker;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A layer of checks: the kata's tests, or its stress harnesses. Reports and points.properties use its word. */
public enum Layer {
    TESTS("tests"),
    STRESS("stress");

    private final String word;

    Layer(String word) {
        this.word = word;
    }

    /** The layer called {@code word}; an unknown one is an error that lists the known ones. */
    static Layer named(String word) {
        for (Layer l : values()) if (l.word.equals(word)) return l;
        throw new IllegalArgumentException("unknown layer '" + word + "' (known: "
                + Arrays.stream(values()).map(Layer::toString).collect(Collectors.joining(", ")) + ")");
    }

    @JsonValue
    @Override
    public String toString() {
        return word;
    }
}
