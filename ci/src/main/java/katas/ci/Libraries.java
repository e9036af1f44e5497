package katas.ci;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The classpath of JUnit, Lincheck, Mockito and jcstress, recorded by the build for the child JVMs. */
final class Libraries {
    private Libraries() {}

    /** Where the checker's own classes are (ci/target/classes): the child JVMs run their trusted mains from there. */
    static String checkerClasses() {
        try {
            return java.nio.file.Path.of(Libraries.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String classpath() {
        try (InputStream in = Libraries.class.getResourceAsStream("libraries.classpath")) {
            if (in == null) throw new IllegalStateException("katas/ci/libraries.classpath is missing: build ci/ with Maven (mvn -f ci/pom.xml package)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
