package katas.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import katas.runner.Results;
import katas.runner.Signed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * The trust boundary: the module ci/runner (package katas.runner) is all of the checker that runs
 * inside a graded JVM. Maven already keeps it from depending on the host side (katas-checker
 * depends on it, not the other way round); this test checks the built runner itself: it holds
 * nothing but katas.runner and refers to nothing of the host's packages. The graded code's class
 * path must hold no host-side library or module, and what crosses the boundary is typed and signed.
 */
class RunnerBoundaryTest {
    @TempDir
    Path temp;

    @Test
    void theRunnerHoldsOnlyItselfAndDependsOnNothingOfTheHostSide() throws IOException {
        Path runner = Libraries.runner();
        try (java.nio.file.FileSystem jar = Files.isRegularFile(runner) ? java.nio.file.FileSystems.newFileSystem(runner) : null) {
            check(jar == null ? runner : jar.getPath("/"));
        }
    }

    private static void check(Path root) throws IOException {
        Set<String> hostSide = new TreeSet<>();
        List<Path> classes;
        try (Stream<Path> files = Files.walk(root)) {
            classes = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        assertFalse(classes.isEmpty(), "no classes in " + root);
        for (Path c : classes) {
            assertEquals("katas/runner", root.relativize(c.getParent()).toString().replace('\\', '/'), "the runner holds " + c);
            new ClassReader(Files.readAllBytes(c)).accept(new ClassRemapper(new ClassWriter(0), new Remapper() {
                @Override
                public String map(String internalName) {
                    if (internalName.startsWith("katas/") && !internalName.startsWith("katas/runner/")) {
                        hostSide.add(c.getFileName() + " uses " + internalName);
                    }
                    return internalName;
                }
            }), 0);
        }
        assertEquals(Set.of(), hostSide);
    }

    @Test
    void theGradedCodesClassPathHasNoHostSideLibrary() {
        String classpath = Libraries.classpath();
        assertFalse(classpath.contains("picocli"), classpath);
        assertFalse(classpath.contains("target/classes"), "no module of this project: " + classpath);
        assertFalse(classpath.contains("katas-runner") || classpath.contains("runner/target"), "the runner is copied in, not shared: " + classpath);
    }

    @Test
    void resultsCrossSignedAndTyped() throws IOException {
        byte[] key = Signed.newKey();
        Path file = temp.resolve("results");
        Results sent = Results.ofTests(List.of(new Results.TestOutcome("CounterTest.x", "a title", Results.Status.FAIL,
                "org.opentest4j.AssertionFailedError", "expected: <0> but was: <1>", "at ...", 0.25, "printed\n")));
        Signed.write(new Signed.Channel(key, file), sent);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(sent, Signed.read(bytes, key));
        assertNull(Signed.read(new byte[0], key), "nothing written: the child died first");
        assertThrows(Signed.ForgedException.class, () -> Signed.read(bytes, Signed.newKey()), "another run's key");
        byte[] changed = bytes.clone();
        int at = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).indexOf("FAIL");
        changed[at] = 'P'; // "PAIL": the code rewrote a verdict
        assertThrows(Signed.ForgedException.class, () -> Signed.read(changed, key));
        byte[] forged = "{\"tests\":[],\"harnesses\":[],\"crash\":null}\nSIG 00".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(Signed.ForgedException.class, () -> Signed.read(forged, key));
    }
}
