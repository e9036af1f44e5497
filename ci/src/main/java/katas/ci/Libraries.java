package katas.ci;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The classpath of JUnit, Lincheck, Mockito and jcstress, recorded by the build for the child JVMs. */
final class Libraries {
    private Libraries() {}

    static String classpath() {
        try (InputStream in = Libraries.class.getResourceAsStream("libraries.classpath")) {
            if (in == null) throw new IllegalStateException("katas/ci/libraries.classpath is missing: build ci/ with Maven (mvn -f ci/pom.xml package)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
