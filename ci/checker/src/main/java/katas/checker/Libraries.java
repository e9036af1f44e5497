package katas.checker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The classpath of JUnit, Lincheck, Mockito and jcstress, recorded by the build for the child JVMs. */
final class Libraries {
    private Libraries() {}

    /**
     * Where the runner is (the module ci/runner: its classes directory, or its jar): the classes
     * that the checker copies into each layer's sandbox to run the trusted mains.
     */
    static java.nio.file.Path runner() {
        try {
            return java.nio.file.Path.of(katas.runner.TestRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String classpath() {
        try (InputStream in = Libraries.class.getResourceAsStream("libraries.classpath")) {
            if (in == null) throw new IllegalStateException("katas/checker/libraries.classpath is missing: build the checker with Maven (mvn -pl ci/checker -am compile)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
