package kata.queue;

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
 * The kata's rule: JoinableQueue is made from monitors ({@code synchronized}, {@code wait},
 * {@code notifyAll}) or from {@code LockSupport} and atomics, not delegated to the JDK's
 * concurrent queues, locks or synchronizers ({@code LinkedBlockingQueue} plus a
 * {@code CountDownLatch} would already be most of the answer).
 *
 * <p>The check reads the compiled classes: every class a class file refers to is named in its
 * constant pool as text ({@code java/util/concurrent/LinkedBlockingQueue}), so a plain scan of the
 * bytes finds it. It follows JoinableQueue's references to other classes of package kata.queue
 * (helpers, nested classes), so moving the borrowed class into a helper does not hide it.
 * {@code TimeUnit} (in the contract), {@code java.util.concurrent.atomic} and {@code LockSupport} are allowed.
 */
class JoinableQueueBuiltFromScratchTest {
    private static final Pattern CONCURRENT = Pattern.compile("java/util/concurrent/([\\w$/]+)");
    private static final Pattern BORROWED = Pattern.compile(
            "locks/(?!LockSupport\\b)[\\w$]+|[\\w$]*(Queue|Deque)[\\w$]*|Semaphore|CountDownLatch|CyclicBarrier|Phaser|Exchanger|"
                    + "(Abstract)?Executor[\\w$]*|[\\w$]*Executor(Service)?|ForkJoin[\\w$]*|CompletableFuture[\\w$]*|FutureTask");
    private static final Pattern OWN_CLASS = Pattern.compile("kata/queue/[\\w$]+");

    @Test
    @DisplayName("JoinableQueue is built from synchronized/wait/notifyAll or LockSupport/atomics, not java.util.concurrent's queues, locks or synchronizers")
    void builtFromMonitorsOrAtomics() throws IOException {
        Set<String> borrowed = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("kata/queue/JoinableQueue");
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) continue;
            byte[] bytes = classFile(name);
            if (bytes == null) {
                assertTrue(seen.size() > 1, "cannot read the class file of kata.queue.JoinableQueue");
                continue; // referenced, but not a class of ours (e.g. a package name in a string)
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            Matcher c = CONCURRENT.matcher(text);
            while (c.find()) {
                if (BORROWED.matcher(c.group(1)).matches()) {
                    borrowed.add("java.util.concurrent." + c.group(1).replace('/', '.') + " (used in " + name.replace('/', '.') + ")");
                }
            }
            Matcher own = OWN_CLASS.matcher(text);
            while (own.find()) todo.add(own.group());
        }
        assertTrue(borrowed.isEmpty(), "JoinableQueue must be built from synchronized/wait/notifyAll, or from LockSupport"
                + " and atomics, but it uses " + String.join(", ", borrowed) + ". The JDK's blocking queues, locks and"
                + " synchronizers already solve this kata: keep the items, the count of unfinished tasks and the"
                + " waiting threads yourself.");
    }

    private static byte[] classFile(String internalName) throws IOException {
        ClassLoader loader = JoinableQueue.class.getClassLoader();
        assertNotNull(loader, "JoinableQueue has no class loader");
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
