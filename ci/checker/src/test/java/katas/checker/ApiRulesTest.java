package katas.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kata.support.ApiRules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API allow-list ({@link ApiRules}, {@link ApiCheck}) without running any kata: every fixture
 * of ci/fixtures is compiled in process and checked (correct styles accepted, attacks refused
 * with the expected message), every reference, naive variant and stub of the katas is accepted,
 * the rule files parse, and the learner's AllowedApiTest gives the grader's very message.
 */
class ApiRulesTest {
    static final Path ROOT = Path.of(System.getProperty("katas.root", "../..")).toAbsolutePath().normalize();
    static final Path FIXTURES = ROOT.resolve("ci/fixtures");
    static final String ALSO = "# also in the message: ";

    @TempDir
    Path tmp;

    /** Compiles {@code sources} alone (as the grader compiles a submission) into a new directory. */
    private Path compile(List<Path> sources, String name) throws IOException {
        Path out = Files.createTempDirectory(tmp, name);
        Javac.Result r = Javac.compile(sources, "", out, null);
        assertTrue(r.ok(), name + " does not compile:\n" + r.errors());
        return out;
    }

    private static String check(Kata kata, Path classes) throws IOException {
        Javac.Result r = ApiCheck.check(kata, classes);
        assertEquals(r.ok(), r.errors().isEmpty());
        return r.errors();
    }

    private static Properties expected(Path fixture) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(fixture.resolve("expected.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    private static List<String> alsoExpected(Path fixture) throws IOException {
        return Files.readAllLines(fixture.resolve("expected.properties")).stream()
                .filter(l -> l.startsWith(ALSO)).map(l -> l.substring(ALSO.length())).toList();
    }

    private static List<Path> fixtures() throws IOException {
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("expected.properties"))).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureGetsItsVerdictFromTheRules() throws IOException {
        List<Path> all = fixtures();
        assertTrue(all.stream().filter(d -> d.getFileName().toString().startsWith("style-")).count() >= 8, "style fixtures");
        assertTrue(all.stream().filter(d -> d.getFileName().toString().startsWith("rule-")).count() >= 15, "rule fixtures");
        // The rule-* and style-* fixtures are about the rules; the others (the sandbox, the runtime) are FixturesTest's.
        return all.stream().filter(d -> d.getFileName().toString().matches("(rule|style)-.*"))
                .map(fixture -> DynamicTest.dynamicTest(fixture.getFileName().toString(), () -> {
            Properties p = expected(fixture);
            Kata kata = Kata.named(ROOT, p.getProperty("kata"));
            Path sources = fixture.resolve("submission/katas").resolve(kata.name()).resolve("src/main/java");
            String message = check(kata, compile(Kata.javaFiles(sources), fixture.getFileName().toString()));
            switch (p.getProperty("verdict")) {
                case "pass" -> assertEquals("", message, "a correct style was refused");
                case "compile-error" -> {
                    assertFalse(message.isEmpty(), "an attack was accepted");
                    List<String> wanted = new ArrayList<>(alsoExpected(fixture));
                    wanted.add(0, p.getProperty("message-contains"));
                    for (String w : wanted) assertTrue(message.contains(w), "expected in the message: " + w + "\nmessage:\n" + message);
                }
                default -> fail("unknown verdict " + p.getProperty("verdict"));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceNaiveVariantAndStubIsAccepted() {
        return Kata.all(ROOT).stream().flatMap(kata -> {
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(accepted(kata, "reference", List.of(kata.reference())));
            tests.add(accepted(kata, "stub", List.of(kata.stub())));
            for (Map.Entry<String, Path> v : kata.naive().entrySet()) {
                tests.add(accepted(kata, "naive " + v.getKey(), List.of(kata.reference(), v.getValue())));
            }
            return tests.stream();
        });
    }

    private DynamicTest accepted(Kata kata, String label, List<Path> layers) {
        return DynamicTest.dynamicTest(kata.name() + " / " + label, () -> {
            Path classes = compile(Kata.overlay(layers), kata.name() + "-" + label.replace(' ', '-'));
            assertEquals("", check(kata, classes), "naive variants must be caught by tests, not by the API rules");
        });
    }

    /**
     * Styles the rules must accept that are not graded fixtures (the kata's model-checked tests
     * are slow on them): an RLock of atomics and LockSupport.park/unpark, allowed by rlock's rules.
     */
    @Test
    void anRLockOfAtomicsAndLockSupportIsAccepted() throws IOException {
        String source = """
                package kata.rlock;

                import java.util.Queue;
                import java.util.concurrent.ConcurrentLinkedQueue;
                import java.util.concurrent.TimeUnit;
                import java.util.concurrent.atomic.AtomicReference;
                import java.util.concurrent.locks.LockSupport;

                /**
                 * A correct RLock without monitors: the owner in an AtomicReference, waiters parked with
                 * LockSupport (allowed in the rlock kata; its ReentrantLock is not).
                 */
                public final class RLock {
                    private final AtomicReference<Thread> owner = new AtomicReference<>();
                    private int holds; // read and written by the owner only
                    private final Queue<Thread> waiters = new ConcurrentLinkedQueue<>();

                    public void lock() {
                        Thread me = Thread.currentThread();
                        if (owner.get() == me) {
                            holds++;
                            return;
                        }
                        boolean interrupted = false;
                        while (!owner.compareAndSet(null, me)) {
                            waiters.add(me);
                            if (owner.get() != null) LockSupport.park(this);
                            waiters.remove(me);
                            if (Thread.interrupted()) interrupted = true;
                        }
                        holds = 1;
                        if (interrupted) me.interrupt();
                    }

                    public boolean tryLock() {
                        Thread me = Thread.currentThread();
                        if (owner.get() == me) {
                            holds++;
                            return true;
                        }
                        if (!owner.compareAndSet(null, me)) return false;
                        holds = 1;
                        return true;
                    }

                    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
                        if (Thread.interrupted()) throw new InterruptedException();
                        Thread me = Thread.currentThread();
                        if (owner.get() == me) {
                            holds++;
                            return true;
                        }
                        long deadline = System.nanoTime() + unit.toNanos(timeout);
                        while (!owner.compareAndSet(null, me)) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) return false;
                            waiters.add(me);
                            if (owner.get() != null) LockSupport.parkNanos(this, left);
                            waiters.remove(me);
                            if (Thread.interrupted()) throw new InterruptedException();
                        }
                        holds = 1;
                        return true;
                    }

                    public void unlock() {
                        Thread me = Thread.currentThread();
                        if (owner.get() != me) throw new IllegalMonitorStateException(me.getName() + " does not hold the lock");
                        if (--holds == 0) {
                            owner.set(null);
                            for (Thread t : waiters) LockSupport.unpark(t);
                        }
                    }

                    public boolean isHeldByCurrentThread() {
                        return owner.get() == Thread.currentThread();
                    }

                    public int getHoldCount() {
                        return owner.get() == Thread.currentThread() ? holds : 0;
                    }
                }
                """;
        String message = check(Kata.named(ROOT, "rlock"), compileSource("kata/rlock/RLock.java", source));
        assertEquals("", message);
    }

    @Test
    void theRuleFilesParse() throws IOException {
        for (Kata kata : Kata.all(ROOT)) {
            ApiRules rules = ApiCheck.rules(kata);
            assertEquals("katas/support/api-rules.txt", rules.sources().get(0));
        }
    }

    @Test
    void theLastMatchingPatternDecidesAndNothingMatchingIsRefused() throws IOException {
        ApiRules rules = ApiRules.parse("""
                # comment
                allow: java.util.**   # a trailing comment
                forbid no lists for you:
                    java.util.*List
                allow:
                    java.util.LinkedList
                """, "test.txt");
        String src = """
                package kata.t;
                import java.util.*;
                public class T {
                    Object a() { return new ArrayList<String>(); }
                    Object b() { return new LinkedList<String>(); }
                    Object c() { return new HashMap<String, String>(); }
                    Object d() { return new StringBuilder(); }
                }
                """;
        String message = rules.report(rules.check(ApiRules.classFiles(compileSource("kata/t/T.java", src))));
        assertTrue(message.contains("`kata.t.T.a` creates `java.util.ArrayList`: no lists for you is not allowed in this kata"), message);
        assertFalse(message.contains("LinkedList"), message);
        assertFalse(message.contains("HashMap"), message);
        assertTrue(message.contains("`kata.t.T.d` creates `java.lang.StringBuilder`: `java.lang.StringBuilder` is not on this kata's API allow-list"), message);
        ApiRules everything = ApiRules.parse("allow: **\n", "everything.txt");
        assertEquals("", everything.report(everything.check(ApiRules.classFiles(compileSource("kata/t/T.java", src)))));
        assertThrows(IllegalArgumentException.class, () -> ApiRules.parse("java.util.**\n", "x"));
        assertThrows(IllegalArgumentException.class, () -> ApiRules.parse("forbid: java.util.**\n", "x"));
        assertThrows(IllegalArgumentException.class, () -> ApiRules.parse("allow: java/util/List\n", "x"));
    }

    /** The echo draft lets a selector server through and still stops files and URLs; the others stop their kata's shortcut. */
    @Test
    void theDraftsOfTheComingKatasAllowWhatTheyTeach() throws IOException {
        String server = """
                package kata.echo;
                import java.io.IOException;
                import java.net.InetSocketAddress;
                import java.nio.ByteBuffer;
                import java.nio.channels.*;
                public final class S {
                    void serve() throws IOException {
                        Selector selector = Selector.open();
                        ServerSocketChannel server = ServerSocketChannel.open();
                        server.bind(new InetSocketAddress("127.0.0.1", 0));
                        server.configureBlocking(false);
                        server.register(selector, SelectionKey.OP_ACCEPT);
                        ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
                        selector.select(100);
                        for (SelectionKey key : selector.selectedKeys()) {
                            SocketChannel c = ((ServerSocketChannel) key.channel()).accept();
                            c.configureBlocking(false);
                            c.read(buffer);
                            buffer.flip();
                            c.write(buffer);
                            buffer.compact();
                            key.interestOps(SelectionKey.OP_READ);
                            c.close();
                        }
                        selector.close();
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {}));
                    }
                }
                """;
        ApiRules echo = draft("echo");
        assertEquals("", echo.report(echo.check(ApiRules.classFiles(compileSource("kata/echo/S.java", server)))));
        ApiRules defaults = ApiRules.load(List.of(ROOT.resolve("katas/support/api-rules.txt")));
        assertTrue(defaults.report(defaults.check(ApiRules.classFiles(compileSource("kata/echo/S.java", server))))
                .contains("network access is not allowed"));
        String files = """
                package kata.echo;
                public final class F {
                    Object f() throws Exception { return java.nio.channels.FileChannel.open(null); }
                    Object u() throws Exception { return new java.net.URL("http://example.com").openConnection(); }
                }
                """;
        String refused = echo.report(echo.check(ApiRules.classFiles(compileSource("kata/echo/F.java", files))));
        assertTrue(refused.contains("calls `java.nio.channels.FileChannel.open`: file access is not allowed"), refused);
        assertTrue(refused.contains("`java.net.URL`: URLs"), refused);

        String queue = """
                package kata.queue;
                public final class Q {
                    Object q() { return new java.util.concurrent.LinkedBlockingQueue<String>(); }
                    Object d() { return new java.util.concurrent.ConcurrentLinkedDeque<String>(); }
                    Object ok() { java.util.concurrent.locks.LockSupport.unpark(Thread.currentThread()); return new java.util.ArrayDeque<String>(); }
                }
                """;
        ApiRules q = draft("queue");
        String m = q.report(q.check(ApiRules.classFiles(compileSource("kata/queue/Q.java", queue))));
        assertTrue(m.contains("creates `java.util.concurrent.LinkedBlockingQueue`"), m);
        assertTrue(m.contains("creates `java.util.concurrent.ConcurrentLinkedDeque`"), m);
        assertFalse(m.contains("Q.ok"), m);

        String pool = """
                package kata.pool;
                import java.util.concurrent.*;
                public final class P {
                    Object e() { return Executors.newFixedThreadPool(2); }
                    Object f() { return new FutureTask<String>(() -> "x"); }
                    Object c() { return new CompletableFuture<String>(); }
                    Object ok() throws Exception { Callable<String> c = () -> "x"; new LinkedBlockingQueue<Runnable>().offer(() -> {}); return c.call(); }
                }
                """;
        ApiRules p = draft("pool");
        m = p.report(p.check(ApiRules.classFiles(compileSource("kata/pool/P.java", pool))));
        assertTrue(m.contains("`kata.pool.P.e` calls `java.util.concurrent.Executors.newFixedThreadPool`"), m);
        assertTrue(m.contains("creates `java.util.concurrent.FutureTask`"), m);
        assertTrue(m.contains("creates `java.util.concurrent.CompletableFuture`"), m);
        assertFalse(m.contains("P.ok"), m);

        String semaphore = """
                package kata.semaphore;
                public final class B {
                    Object s() { return new java.util.concurrent.Semaphore(1); }
                    Object l() { return new java.util.concurrent.locks.ReentrantLock(); }
                    Object q() { return new java.util.concurrent.ArrayBlockingQueue<Object>(3); }
                    void ok() { java.util.concurrent.locks.LockSupport.parkNanos(1); }
                }
                """;
        ApiRules s = draft("semaphore");
        m = s.report(s.check(ApiRules.classFiles(compileSource("kata/semaphore/B.java", semaphore))));
        assertTrue(m.contains("B.s") && m.contains("B.l") && m.contains("B.q"), m);
        assertFalse(m.contains("B.ok"), m);
    }

    private static ApiRules draft(String name) throws IOException {
        return ApiRules.load(List.of(ROOT.resolve("katas/support/api-rules.txt"), ROOT.resolve("katas/" + name + "/api-rules.txt")));
    }

    private Path compileSource(String file, String source) throws IOException {
        Path src = Files.createTempDirectory(tmp, "src");
        Path f = src.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, source);
        return compile(List.of(f), file.replace('/', '-'));
    }

    /**
     * The learner's end: kata.support.AllowedApiTest (compiled from katas/support as the katas
     * compile it), given the system properties katas/pom.xml gives it, fails with the grader's
     * very message, and passes on a correct style.
     */
    @Test
    void theLearnersTestGivesTheGradersMessage() throws Exception {
        Path support = Files.createTempDirectory(tmp, "support");
        Javac.Result built = Javac.compile(Kata.javaFiles(ROOT.resolve("katas/support/src/main/java")), Libraries.classpath(), support, null);
        assertTrue(built.ok(), built.errors());
        Kata counter = Kata.named(ROOT, "counter");
        for (String fixture : List.of("rule-reflection-setaccessible", "rule-get-stack-trace", "style-kitchen-sink")) {
            Path classes = compile(Kata.javaFiles(FIXTURES.resolve(fixture).resolve("submission/katas/counter/src/main/java")), fixture);
            String grader = check(counter, classes);
            String learner = runAllowedApiTest(support, classes, counter);
            assertEquals(grader, learner, fixture);
        }
    }

    /** Runs AllowedApiTest's test method as surefire would; its failure message, or "" when it passed. */
    private static String runAllowedApiTest(Path support, Path classes, Kata kata) throws Exception {
        System.setProperty("kata.apiRules.classes", classes.toString());
        System.setProperty("kata.apiRules.files", ROOT.resolve("katas/support/api-rules.txt") + ","
                + ROOT.resolve("katas").resolve(kata.name()).resolve("api-rules.txt"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {support.toUri().toURL()}, ApiRulesTest.class.getClassLoader())) {
            Class<?> test = Class.forName("kata.support.AllowedApiTest", true, loader);
            var ctor = test.getDeclaredConstructor();
            ctor.setAccessible(true);
            Method m = test.getDeclaredMethod("usesOnlyTheAllowedApi");
            m.setAccessible(true);
            try {
                m.invoke(ctor.newInstance());
                return "";
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof AssertionError a) return a.getMessage();
                throw e;
            }
        } finally {
            System.clearProperty("kata.apiRules.classes");
            System.clearProperty("kata.apiRules.files");
        }
    }
}
