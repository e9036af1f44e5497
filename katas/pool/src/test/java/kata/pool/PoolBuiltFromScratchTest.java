package kata.pool;

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
 * The kata's rule: the pool is built from threads, monitors (or locks) and collections, not
 * borrowed from the JDK's executors or futures.
 *
 * <p>The check reads the compiled classes: every class a class file refers to is named in its
 * constant pool as text ({@code java/util/concurrent/ThreadPoolExecutor}), so a plain scan of the
 * bytes finds it. It follows the references to other classes of package kata.pool (helpers,
 * nested classes, lambdas' enclosing classes), so moving the executor into a helper does not hide it.
 */
class PoolBuiltFromScratchTest {
    /** Executors, futures, fork/join: everything that already is a pool or a task. */
    private static final Pattern BORROWED = Pattern.compile(
            "java/util/concurrent/(\\w*Executor\\w*|\\w*Future\\w*|ForkJoin\\w*|\\w*CompletionService|CompletionStage)");
    private static final Pattern OWN_CLASS = Pattern.compile("kata/pool/[\\w$]+");

    @Test
    @DisplayName("WorkerPool and Task are built from threads and monitors, not from java.util.concurrent executors or futures")
    void builtFromThreadsAndMonitors() throws IOException {
        Set<String> borrowed = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("kata/pool/WorkerPool");
        todo.add("kata/pool/Task");
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) continue;
            byte[] bytes = classFile(name);
            if (bytes == null) {
                assertTrue(seen.size() > 2, "cannot read the class file of " + name.replace('/', '.'));
                continue; // referenced, but not a class of ours (e.g. a package name in a string)
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            Matcher b = BORROWED.matcher(text);
            while (b.find()) {
                borrowed.add("java.util.concurrent." + b.group(1) + " (used in " + name.replace('/', '.') + ")");
            }
            Matcher own = OWN_CLASS.matcher(text);
            while (own.find()) todo.add(own.group());
        }
        assertTrue(borrowed.isEmpty(), "WorkerPool and Task must be built from plain threads, synchronized/wait/notifyAll"
                + " (or locks) and collections, but they use " + String.join(", ", borrowed) + ". An ExecutorService,"
                + " FutureTask or CompletableFuture already is the answer to this kata: keep the queue, the workers and"
                + " each task's state yourself.");
    }

    private static byte[] classFile(String internalName) throws IOException {
        ClassLoader loader = WorkerPool.class.getClassLoader();
        assertNotNull(loader, "WorkerPool has no class loader");
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
