package kata.semaphore;

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
 * The kata's rule: BoundedSemaphore is made from monitors ({@code synchronized}, {@code wait},
 * {@code notifyAll}) or from atomics and {@code LockSupport}; it does not borrow
 * {@code java.util.concurrent.Semaphore}, a lock of {@code java.util.concurrent.locks}, or another
 * part of {@code java.util.concurrent} that would do the waiting for it (latches, barriers,
 * phasers, exchangers, blocking queues, futures, executors). Everything else is fine:
 * {@code TimeUnit}, the atomics, {@code LockSupport}, and the non-blocking collections such as
 * {@code ConcurrentLinkedQueue} (a queue of parked threads is the classic lock-free design).
 *
 * <p>The check reads the compiled classes: every class a class file refers to is named in its
 * constant pool as text ({@code java/util/concurrent/Semaphore}), so a plain scan of the bytes
 * finds it. It follows the references to other classes of package kata.semaphore (helpers, nested
 * classes), so moving the borrowed class into a helper does not hide it.
 */
class BoundedSemaphoreBuiltFromScratchTest {
    private static final Pattern CONCURRENT = Pattern.compile("java/util/concurrent/([\\w$/]+)");
    /** The parts of java.util.concurrent that wait for you (see the class comment). */
    private static final Pattern WAITS_FOR_YOU = Pattern.compile("Semaphore|locks/(?!LockSupport\\b)[\\w$]+"
            + "|CountDownLatch|CyclicBarrier|Phaser|Exchanger|[\\w$]*Blocking(Queue|Deque)[\\w$]*|SynchronousQueue"
            + "|[\\w$]*TransferQueue|DelayQueue|[\\w$]*Future[\\w$]*|[\\w$]*Executor[\\w$]*|ForkJoin[\\w$]*"
            + "|CompletionService|[\\w$]*Callable");
    private static final Pattern OWN_CLASS = Pattern.compile("kata/semaphore/[\\w$]+");

    @Test
    @DisplayName("BoundedSemaphore is built from synchronized/wait/notifyAll or atomics/LockSupport, not Semaphore, locks or other synchronizers")
    void builtFromMonitorsOrAtomics() throws IOException {
        Set<String> borrowed = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("kata/semaphore/BoundedSemaphore");
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) continue;
            byte[] bytes = classFile(name);
            if (bytes == null) {
                assertTrue(seen.size() > 1, "cannot read the class file of kata.semaphore.BoundedSemaphore");
                continue; // referenced, but not a class of ours (e.g. a package name in a string)
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            Matcher c = CONCURRENT.matcher(text);
            while (c.find()) {
                String used = c.group(1);
                if (!WAITS_FOR_YOU.matcher(used).matches()) continue;
                borrowed.add("java.util.concurrent." + used.replace('/', '.') + " (used in " + name.replace('/', '.') + ")");
            }
            Matcher own = OWN_CLASS.matcher(text);
            while (own.find()) todo.add(own.group());
        }
        assertTrue(borrowed.isEmpty(), "BoundedSemaphore must be built from synchronized/wait/notifyAll, or from atomics"
                + " and LockSupport (a non-blocking collection such as ConcurrentLinkedQueue is fine), but it uses " + String.join(", ", borrowed) + ". java.util.concurrent.Semaphore"
                + " already is the answer to this kata, and the locks and other synchronizers of"
                + " java.util.concurrent would do the waiting for you: count the permits and wait for them yourself.");
    }

    private static byte[] classFile(String internalName) throws IOException {
        ClassLoader loader = BoundedSemaphore.class.getClassLoader();
        assertNotNull(loader, "BoundedSemaphore has no class loader");
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
