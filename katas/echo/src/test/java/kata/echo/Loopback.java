package kata.echo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test helpers on real loopback sockets (127.0.0.1 only). Every wait is bounded; a wait that
 * runs out fails with what the client got so far and where the server's threads were.
 *
 * <p>A server under test is started through {@link #start()}, which remembers the threads that
 * existed before, so that {@link #serverThreads()} are the threads the server started (the
 * tests' own threads are named {@code client-...} and left out).
 */
final class Loopback implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long one socket wait may take before the test gives up and explains. */
    static final Duration WAIT = Duration.ofSeconds(5);

    final SelectEchoServer server;
    private final Set<Thread> before;
    private final List<SocketChannel> clients = new ArrayList<>();
    int port;

    private Loopback(SelectEchoServer server, Set<Thread> before) {
        this.server = server;
        this.before = before;
    }

    /** A started server on 127.0.0.1, any free port. */
    static Loopback start() throws IOException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        SelectEchoServer server = new SelectEchoServer(new InetSocketAddress(LOOPBACK, 0));
        Loopback l = new Loopback(server, before);
        server.start();
        l.port = server.port();
        return l;
    }

    /** Threads alive now that were not before start(), except the tests' own. */
    List<Thread> serverThreads() {
        List<Thread> list = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.isAlive() && !t.getName().startsWith("client-")
                    && !t.getName().startsWith("junit") && !t.getName().equals("Attach Listener")
                    && !t.getName().equals("process reaper") && t != Thread.currentThread()) list.add(t);
        }
        return list;
    }

    /** Where each server thread is now: appended to every failure that waited on the server. */
    String serverStacks() {
        StringBuilder s = new StringBuilder();
        List<Thread> threads = serverThreads();
        s.append("\nThe server's threads now (").append(threads.size()).append("):");
        int shown = 0;
        for (Thread t : threads) {
            if (shown++ == 4) {
                s.append("\n  ... and ").append(threads.size() - 4).append(" more");
                break;
            }
            s.append("\n  \"").append(t.getName()).append("\" ").append(t.getState());
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) s.append("\n      at ").append(stack[i]);
        }
        return s.toString();
    }

    /** CPU time, in ns, used so far by the server's threads. */
    long serverCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : serverThreads()) {
            long ns = mx.getThreadCpuTime(t.getId());
            if (ns > 0) sum += ns;
        }
        return sum;
    }

    /** A connected non-blocking client; {@code receiveBuffer} > 0 sets a small SO_RCVBUF before connecting. */
    SocketChannel connect(int receiveBuffer) throws IOException {
        SocketChannel ch = SocketChannel.open();
        synchronized (clients) {
            clients.add(ch);
        }
        if (receiveBuffer > 0) ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        ch.configureBlocking(false);
        ch.connect(new InetSocketAddress(LOOPBACK, port));
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_CONNECT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!ch.finishConnect()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("could not connect to the server within " + WAIT.toSeconds()
                        + " s: does it accept connections while it serves others?" + serverStacks());
                sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return ch;
    }

    SocketChannel connect() throws IOException {
        return connect(0);
    }

    /** Writes all of {@code data}, waiting at most {@link #WAIT} for the server to take it. */
    void send(SocketChannel ch, String who, byte[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_WRITE);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (buf.hasRemaining()) {
                if (ch.write(buf) > 0) {
                    deadline = System.nanoTime() + WAIT.toNanos();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError(who + " could not send: the server took " + buf.position() + " of "
                        + data.length + " bytes and then nothing for " + WAIT.toSeconds() + " s. Does it still read this client?"
                        + serverStacks());
                sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /**
     * Reads until {@code expected.length} bytes came back and checks each one. Fails at the first wrong
     * byte, on EOF, or when no byte arrives for {@link #WAIT}, saying what came back.
     */
    void expectEcho(SocketChannel ch, String who, byte[] expected) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.min(expected.length, 64 * 1024));
        int got = 0;
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got < expected.length) {
                buf.clear().limit(Math.min(buf.capacity(), expected.length - got));
                int n = ch.read(buf);
                if (n < 0) throw new AssertionError(who + ": the server closed the connection after echoing " + got + " of "
                        + expected.length + " bytes; an echo server answers every byte before it closes");
                if (n == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new AssertionError(who + ": no echo for " + WAIT.toSeconds() + " s after " + got + " of "
                            + expected.length + " bytes came back (bytes lost, or the server no longer serves this client)"
                            + serverStacks());
                    sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    continue;
                }
                deadline = System.nanoTime() + WAIT.toNanos();
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b != expected[got + i]) {
                        throw new AssertionError(who + ": byte " + (got + i) + " of the echo was " + hex(b) + ", expected "
                                + hex(expected[got + i]) + " (the " + (got + i) + " bytes before it were right). "
                                + "An echo must be exactly this client's bytes in order: were bytes lost, or mixed with another client's?");
                    }
                }
                got += n;
            }
        }
    }

    /** Waits for the server to close the connection (EOF or reset), with no more bytes than {@code after}. */
    void expectClosed(SocketChannel ch, String who, String why) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                int n;
                try {
                    n = ch.read(buf.clear());
                } catch (IOException reset) {
                    return;
                }
                if (n < 0) return;
                if (n > 0) throw new AssertionError(who + ": got " + n + " more bytes where the connection should have ended: " + why);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError(who + ": the connection was still open " + WAIT.toSeconds()
                        + " s later; " + why + serverStacks());
                sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Closes the server, at most {@link #WAIT}: a close() that does not return fails with the server's stacks. */
    void closeServer() {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            try {
                server.close();
            } catch (Throwable e) {
                failed.set(e);
            } finally {
                done.countDown();
            }
        }, "client-closer");
        closer.setDaemon(true);
        closer.start();
        try {
            if (!done.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("close() did not return within " + WAIT.toSeconds() + " s: it must stop the server's"
                        + " thread and return once it has ended" + serverStacks());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (failed.get() != null) throw new AssertionError("close() threw " + failed.get(), failed.get());
    }

    /** Whether something can bind the port now, i.e. the server let go of it. */
    static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (clients) {
            for (SocketChannel c : clients) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
        closeServer();
    }

    /** Bytes that differ per client and per offset, and never repeat with a short period. */
    static byte[] pattern(int client, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = patternByte(client, i);
        return b;
    }

    static byte patternByte(int client, long i) {
        long x = i * 0x9E3779B97F4A7C15L + (client + 1) * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 32;
        return (byte) x;
    }

    static String hex(byte b) {
        return String.format("0x%02x", b & 0xff);
    }
}
