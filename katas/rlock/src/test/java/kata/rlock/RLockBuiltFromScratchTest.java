package kata.rlock;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kata's rule: RLock is made from monitors ({@code synchronized}, {@code wait},
 * {@code notifyAll}) or from {@code LockSupport} and atomics, not borrowed from the JDK's locks.
 *
 * <p>The check reads the compiled classes: every class a class file refers to is named in its
 * constant pool as text ({@code java/util/concurrent/locks/ReentrantLock}), so a plain scan of
 * the bytes finds it. It follows RLock's references to other classes of package kata.rlock
 * (helpers, nested classes), so moving the borrowed lock into a helper class does not hide it.
 */
class RLockBuiltFromScratchTest {
    private static final Pattern BORROWED = Pattern.compile("java/util/concurrent/(locks/[\\w$]+|Semaphore)");
    private static final Pattern OWN_CLASS = Pattern.compile("kata/rlock/[\\w$]+");

    @Test
    @DisplayName("RLock is built from synchronized/wait/notifyAll or LockSupport/atomics, not java.util.concurrent.locks or Semaphore")
    void builtFromMonitorsOrAtomics() throws IOException {
        Set<String> borrowed = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("kata/rlock/RLock");
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) continue;
            byte[] bytes = classFile(name);
            if (bytes == null) {
                assertTrue(seen.size() > 1, "cannot read the class file of kata.rlock.RLock");
                continue; // referenced, but not a class of ours (e.g. a package name in a string)
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            Matcher b = BORROWED.matcher(text);
            while (b.find()) {
                if (!b.group(1).equals("locks/LockSupport")) {
                    borrowed.add("java.util.concurrent." + b.group(1).replace('/', '.') + " (used in " + name.replace('/', '.') + ")");
                }
            }
            Matcher own = OWN_CLASS.matcher(text);
            while (own.find()) todo.add(own.group());
        }
        assertTrue(borrowed.isEmpty(), "RLock must be built from synchronized/wait/notifyAll, or from LockSupport and"
                + " atomics, but it uses " + String.join(", ", borrowed) + ". java.util.concurrent.locks.ReentrantLock"
                + " already is the answer to this kata: keep the owner and the hold count yourself.");
    }

    private static byte[] classFile(String internalName) throws IOException {
        ClassLoader loader = RLock.class.getClassLoader();
        assertNotNull(loader, "RLock has no class loader");
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
