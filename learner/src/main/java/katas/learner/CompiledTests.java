package katas.learner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import katas.checker.Checker;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The learner's cache of compiled kata tests ({@code .kata/cache/NAME}, ignored by Git): javac
 * of the tests and katas/support is most of {@code ./kata test}'s own time, and its output
 * changes only when the test sources, the libraries, the JDK or the code's API change. The key
 * hashes all of those; the API is every non-private class, field and method signature of the
 * compiled code (what the tests can see), so editing a method body, or adding a private helper,
 * reuses the tests. One entry per kata.
 *
 * <p>Only the learner's commands use it, on the learner's own machine; the grader always compiles.
 */
final class CompiledTests implements Checker.TestsCache {
    private final Path dir;

    CompiledTests(Path dir) {
        this.dir = dir;
    }

    @Override
    public String key(List<Path> sources, String libraries, Path impl) throws IOException {
        MessageDigest sha = sha256();
        update(sha, "java " + Runtime.version() + "\n" + libraries + "\n");
        for (Path f : sources.stream().sorted().toList()) {
            update(sha, "source " + f + "\n");
            sha.update(Files.readAllBytes(f));
        }
        try (Stream<Path> walk = Files.walk(impl)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                update(sha, "class " + impl.relativize(f) + "\n" + api(Files.readAllBytes(f)));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public boolean restore(String kata, String key, Path to) throws IOException {
        Path entry = dir.resolve(kata).resolve(key);
        if (!Files.isRegularFile(entry.resolve(".complete"))) return false;
        copy(entry, to);
        Files.deleteIfExists(to.resolve(".complete"));
        return true;
    }

    /** Keeps {@code from} (just compiled) as the kata's one entry. Best effort: a cache that cannot be written is no cache. */
    @Override
    public void store(String kata, String key, Path from) {
        Path kataDir = dir.resolve(kata);
        try {
            Checker.deleteTree(kataDir);
            Path entry = Files.createDirectories(kataDir.resolve(key));
            copy(from, entry);
            Files.writeString(entry.resolve(".complete"), key);
        } catch (IOException e) {
            Checker.deleteTree(kataDir);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(dest);
                else Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** What other classes can compile against: the class's non-private signatures, constants included. */
    static String api(byte[] classFile) {
        StringBuilder sig = new StringBuilder();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                sig.append("class ").append(access).append(' ').append(name).append(' ').append(signature).append(' ')
                        .append(superName).append(' ').append(interfaces == null ? "" : String.join(",", interfaces)).append('\n');
            }

            @Override
            public void visitInnerClass(String name, String outerName, String innerName, int access) {
                sig.append("inner ").append(name).append(' ').append(outerName).append(' ').append(innerName).append(' ')
                        .append(access).append('\n');
            }

            @Override
            public void visitPermittedSubclass(String permittedSubclass) {
                sig.append("permits ").append(permittedSubclass).append('\n');
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                if ((access & Opcodes.ACC_PRIVATE) == 0) {
                    sig.append("field ").append(access).append(' ').append(name).append(' ').append(descriptor).append(' ')
                            .append(signature).append(' ').append(value).append('\n');
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if ((access & Opcodes.ACC_PRIVATE) == 0) {
                    sig.append("method ").append(access).append(' ').append(name).append(' ').append(descriptor).append(' ')
                            .append(signature).append(' ').append(exceptions == null ? "" : String.join(",", exceptions)).append('\n');
                }
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return sig.toString();
    }

    private static void update(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
