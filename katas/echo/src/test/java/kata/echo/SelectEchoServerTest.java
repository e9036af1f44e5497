package kata.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kata.support.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The echo itself, on real loopback sockets: bytes, order, many clients, slow and stalled readers, EOF, reset, idle CPU. */
@Timeout(90)
class SelectEchoServerTest {
    private Loopback l;

    @BeforeEach
    void start() throws IOException {
        l = Loopback.start();
    }

    @AfterEach
    void close() {
        l.close();
    }

    /** Runs the tasks as client threads; a hang fails with the stuck clients' and the server's stacks. */
    private void clients(String name, List<ThrowingRunnable> tasks, Duration limit) {
        List<Runnable> runnables = new ArrayList<>();
        for (ThrowingRunnable t : tasks) runnables.add(() -> {
            try {
                t.run();
            } catch (IOException e) {
                throw new AssertionError(e.toString(), e);
            } catch (InterruptedException e) {
                throw new AssertionError("interrupted", e);
            }
        });
        try {
            Threads.run("client-" + name, runnables, limit, Map.of());
        } catch (AssertionError e) {
            if (e.getMessage() != null && e.getMessage().contains("did not finish")) throw new AssertionError(e.getMessage() + l.serverStacks(), e);
            throw e;
        }
    }

    interface ThrowingRunnable {
        void run() throws IOException, InterruptedException;
    }

    @Test
    void smallMessagesComeBackInOrder() throws IOException {
        SocketChannel c = l.connect();
        for (int i = 0; i < 50; i++) {
            byte[] msg = ("message " + i + "\n").getBytes();
            l.send(c, "client 0", msg);
            l.expectEcho(c, "client 0", msg);
        }
        byte[] burst = Loopback.pattern(0, 10_000); // several messages sent before any echo is read
        l.send(c, "client 0", burst);
        l.expectEcho(c, "client 0", burst);
    }

    /** 200 clients at once, each sending its own bytes in rounds; while all are connected the server has one thread. */
    @Test
    void twoHundredClientsEachGetTheirOwnBytesFromOneThread() {
        int clients = 200;
        int rounds = 10;
        CountDownLatch connected = new CountDownLatch(clients);
        CountDownLatch counted = new CountDownLatch(1);
        AtomicInteger threadsSeen = new AtomicInteger(-1);
        List<ThrowingRunnable> tasks = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int id = i;
            tasks.add(() -> {
                SocketChannel c;
                byte[] all = Loopback.pattern(id, rounds * 1_500);
                try {
                    c = l.connect();
                    l.send(c, "client " + id, new byte[] {all[0]});
                    l.expectEcho(c, "client " + id, new byte[] {all[0]});
                } finally {
                    connected.countDown(); // also when this client failed: the count is taken either way
                }
                if (!counted.await(30, TimeUnit.SECONDS)) throw new AssertionError("the thread count was not taken");
                int from = 1;
                for (int r = 0; r < rounds; r++) {
                    int size = 1 + (id * 31 + r * 17) % 1_499;
                    byte[] msg = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + size));
                    from += msg.length;
                    l.send(c, "client " + id, msg);
                    l.expectEcho(c, "client " + id + " (round " + r + ")", msg);
                }
            });
        }
        tasks.add(() -> {
            try {
                if (connected.await(40, TimeUnit.SECONDS)) threadsSeen.set(l.serverThreads().size());
            } finally {
                counted.countDown();
            }
        });
        clients("many", tasks, Duration.ofSeconds(60));
        assertEquals(1, threadsSeen.get(), "with " + clients + " clients connected the server must still run exactly one thread"
                + " (one Selector serves them all), but it had " + threadsSeen.get());
    }

    /** The first client connects and says nothing; a second client must be served anyway. */
    @Test
    void aSilentClientDoesNotBlockTheNext() throws IOException {
        SocketChannel silent = l.connect();
        SocketChannel talker = l.connect();
        byte[] msg = "is anyone there?".getBytes();
        l.send(talker, "client 1 (while client 0 is connected and silent)", msg);
        l.expectEcho(talker, "client 1 (while client 0 is connected and silent): a server that waits in read() for client 0"
                + " starves everyone else", msg);
        l.send(silent, "client 0", new byte[] {7});
        l.expectEcho(silent, "client 0", new byte[] {7});
    }

    /**
     * 8 MB through a client with a small receive buffer that starts reading late: the server's
     * writes come back partial and its output stays pending for a long time. Every byte must
     * come back, in order.
     */
    @Test
    void eightMegabytesToASlowReaderArriveIntact() throws IOException {
        int size = 8 << 20;
        SocketChannel c = l.connect(16 * 1024);
        byte[] data = Loopback.pattern(3, size);
        AtomicLong sent = new AtomicLong();
        clients("large", List.of(() -> {
            ByteBuffer chunk = ByteBuffer.wrap(data);
            try (Selector sel = Selector.open()) {
                c.register(sel, SelectionKey.OP_WRITE);
                long deadline = System.nanoTime() + Loopback.WAIT.toNanos();
                while (chunk.hasRemaining()) {
                    chunk.limit(Math.min(size, chunk.position() + 64 * 1024));
                    int n = c.write(chunk);
                    chunk.limit(size);
                    if (n > 0) {
                        sent.addAndGet(n);
                        deadline = System.nanoTime() + Loopback.WAIT.toNanos();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) throw new AssertionError("the server stopped taking bytes after " + sent.get() + " of " + size
                                + " although the client reads all its echoes" + l.serverStacks());
                        sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                }
            }
        }, () -> {
            // the reader starts late: once 2 MB went out, or after half a second
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (sent.get() < (2 << 20) && System.nanoTime() < until) Thread.sleep(5);
            l.expectEcho(c, "client 3 (8 MB, small receive buffer, late reader)", data);
        }), Duration.ofSeconds(60));
    }

    /**
     * A client that sends and never reads must be stalled: the server stops reading it once its
     * unsent echo passes a limit, so its writes block after a few MB (the server's limit plus
     * the kernel's buffers). Meanwhile another client is served. Then the first one reads and
     * gets every byte it sent.
     */
    @Test
    void aClientThatNeverReadsIsStalledWhileOthersAreServed() throws IOException, InterruptedException {
        long bound = stallBound();
        SocketChannel hog = l.connect(16 * 1024);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long sent = 0;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(700)) {
            chunk.clear();
            for (int i = 0; i < chunk.capacity(); i++) chunk.put(i, Loopback.patternByte(5, sent + i));
            int n = 0;
            while (chunk.hasRemaining()) {
                int w = hog.write(chunk);
                if (w == 0) break;
                n += w;
            }
            if (n > 0) {
                sent += n;
                lastProgress = System.nanoTime();
                // writes that only partly went through leave the rest for the next round, at the right offset
                if (chunk.hasRemaining()) continue;
            } else {
                Thread.sleep(5);
            }
            if (sent > bound) {
                throw new AssertionError("client 5 never reads, yet the server took " + (sent >> 20) + " MB from it and kept going:"
                        + " a server must stop reading a client whose unsent echo is over its limit (at most 1 MiB),"
                        + " or one client can fill the server's memory");
            }
        }
        // no progress for 0.7 s: the hog is stalled now; another client must still be served
        SocketChannel other = l.connect();
        byte[] msg = Loopback.pattern(6, 20_000);
        l.send(other, "client 6 (while client 5 is stalled)", msg);
        l.expectEcho(other, "client 6 (while client 5 is stalled): one stalled client must not stop the others", msg);
        // and the hog gets all its bytes once it reads
        byte[] expected = new byte[(int) sent];
        for (int i = 0; i < expected.length; i++) expected[i] = Loopback.patternByte(5, i);
        l.expectEcho(hog, "client 5 (reading at last, " + sent + " bytes sent)", expected);
    }

    /**
     * How much a client that never reads may get into the server before it stalls: the server's
     * limit (1 MiB at most) plus what the kernel may buffer on both sides (tcp_rmem's and twice
     * tcp_wmem's maximum), with room to spare; at least 64 MB.
     */
    static long stallBound() {
        long kernel = 0;
        try {
            for (String f : List.of("tcp_rmem", "tcp_wmem", "tcp_wmem")) {
                String[] v = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/" + f)).trim().split("\\s+");
                kernel += Long.parseLong(v[v.length - 1]);
            }
        } catch (IOException | RuntimeException e) {
            kernel = 0; // not Linux: the floor applies
        }
        return Math.max(64L << 20, (1L << 20) + kernel + (16L << 20));
    }

    /** A client that shuts its output down (half-close) gets every byte back, then the end of the stream. */
    @Test
    void halfCloseGetsEveryByteThenTheEnd() throws IOException {
        SocketChannel c = l.connect();
        byte[] msg = Loopback.pattern(7, 300_000);
        l.send(c, "client 7", msg);
        c.shutdownOutput();
        l.expectEcho(c, "client 7 (half-closed after sending)", msg);
        l.expectClosed(c, "client 7 (half-closed)", "after the client's end of stream and the last echoed byte, the server"
                + " must close the connection (and cancel its key), or every finished client leaks a channel");
        SocketChannel next = l.connect();
        l.send(next, "client 8", new byte[] {1, 2});
        l.expectEcho(next, "client 8", new byte[] {1, 2});
    }

    /** Clients that reset their connections (RST), some in mid-echo, disturb neither the others nor the loop. */
    @Test
    void resetClientsDisturbNobody() throws IOException {
        SocketChannel steady = l.connect();
        l.send(steady, "client 0", new byte[] {1});
        l.expectEcho(steady, "client 0", new byte[] {1});
        for (int i = 0; i < 10; i++) {
            SocketChannel r = l.connect(i % 2 == 0 ? 8 * 1024 : 0);
            byte[] msg = Loopback.pattern(10 + i, i % 2 == 0 ? 1 << 20 : 100);
            ByteBuffer b = ByteBuffer.wrap(msg);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300); // what the server takes by then
            while (b.hasRemaining() && System.nanoTime() < until) {
                if (r.write(b) == 0) Thread.onSpinWait();
            }
            r.setOption(StandardSocketOptions.SO_LINGER, 0); // close() now sends RST
            r.close();
        }
        byte[] msg = Loopback.pattern(0, 5_000);
        l.send(steady, "client 0 (after 10 clients reset their connections)", msg);
        l.expectEcho(steady, "client 0 (after 10 clients reset their connections): a reset must end only that client's"
                + " connection, never the loop", msg);
        SocketChannel late = l.connect();
        l.send(late, "a new client after the resets", new byte[] {9});
        l.expectEcho(late, "a new client after the resets", new byte[] {9});
    }

    /**
     * An idle server blocks in select(): its thread's CPU time (ThreadMXBean) stays near zero,
     * also after clients closed, reset or half-closed their connections.
     */
    @Test
    void anIdleServerUsesNoCpu() throws IOException, InterruptedException {
        assertIdle("with no client at all");
        List<SocketChannel> idle = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SocketChannel c = l.connect();
            l.send(c, "client " + i, new byte[] {(byte) i});
            l.expectEcho(c, "client " + i, new byte[] {(byte) i});
            if (i % 3 == 0) c.close();                       // orderly close: the server reads EOF
            else if (i % 3 == 1) {                           // reset
                c.setOption(StandardSocketOptions.SO_LINGER, 0);
                c.close();
            } else idle.add(c);                              // connected and silent
        }
        assertIdle("after clients closed or reset their connections while others stay connected and silent");
    }

    /**
     * The server's CPU time over 600 ms, next to a busy-looping thread's in the same window: on a
     * loaded machine a spinning loop gets only a share of a CPU, about what the busy thread gets,
     * while a server blocked in select() gets next to nothing.
     */
    private void assertIdle(String when) throws InterruptedException {
        Thread.sleep(100); // let the server finish what the last step gave it
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread busy = new Thread(() -> {
            while (!stop.get()) Thread.onSpinWait();
        }, "client-busy-yardstick");
        busy.setDaemon(true);
        busy.start();
        long cpu0 = l.serverCpuNanos();
        long busy0 = mx.getThreadCpuTime(busy.getId());
        long t0 = System.nanoTime();
        Thread.sleep(600);
        long cpu = l.serverCpuNanos() - cpu0;
        long busyCpu = mx.getThreadCpuTime(busy.getId()) - busy0;
        long wall = System.nanoTime() - t0;
        stop.set(true);
        busy.join(1_000);
        assertTrue(!l.serverThreads().isEmpty(), "the server has no thread running");
        assertTrue(cpu < 10_000_000L + busyCpu / 4, "an idle server must block in select(); " + when + " its threads used "
                + cpu / 1_000_000 + " ms of CPU in " + wall / 1_000_000 + " ms, while a busy-looping thread got "
                + busyCpu / 1_000_000 + " ms: the loop spins (a key that is always ready: OP_WRITE with nothing to write,"
                + " or a channel at end of stream that is never closed)" + l.serverStacks());
    }
}
