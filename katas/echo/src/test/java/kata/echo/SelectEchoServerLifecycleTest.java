package kata.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kata.support.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** start(), port(), close(): their exceptions, their order, and close() racing start(). */
@Timeout(60)
class SelectEchoServerLifecycleTest {

    @Test
    void portBeforeStartThrows() {
        SelectEchoServer s = new SelectEchoServer(new InetSocketAddress(Loopback.LOOPBACK, 0));
        assertThrows(IllegalStateException.class, s::port, "port() before start() must throw IllegalStateException: nothing is bound yet");
        s.close();
    }

    @Test
    void startBindsAnEphemeralPortAndEchoes() throws IOException {
        try (Loopback l = Loopback.start()) {
            assertTrue(l.port > 0, "port() after start() with port 0 must be the ephemeral port the server bound, was " + l.port);
            SocketChannel c = l.connect();
            byte[] hello = "hello, select\n".getBytes();
            l.send(c, "client 0", hello);
            l.expectEcho(c, "client 0", hello);
        }
    }

    @Test
    void secondStartThrows() throws IOException {
        try (Loopback l = Loopback.start()) {
            assertThrows(IllegalStateException.class, l.server::start, "a second start() must throw IllegalStateException");
            SocketChannel c = l.connect();
            l.send(c, "client 0", new byte[] {1, 2, 3});
            l.expectEcho(c, "client 0", new byte[] {1, 2, 3});
        }
    }

    @Test
    void closeEndsTheThreadFreesThePortAndIsIdempotent() throws IOException {
        Loopback l = Loopback.start();
        SocketChannel c = l.connect();
        l.send(c, "client 0", new byte[] {42});
        l.expectEcho(c, "client 0", new byte[] {42});
        int port = l.port;
        l.closeServer();
        List<Thread> left = l.serverThreads();
        assertTrue(left.isEmpty(), "close() must return only once the server's thread has ended; still alive: " + left + l.serverStacks());
        assertTrue(Loopback.portIsFree(port), "after close() the port " + port + " must be free again (close the ServerSocketChannel)");
        l.expectClosed(c, "client 0", "close() closes every client's channel too");
        assertEquals(port, l.server.port(), "port() after close() still returns the port the server had");
        l.closeServer(); // idempotent: returns at once, throws nothing
        assertThrows(IllegalStateException.class, l.server::start, "start() after close() must throw IllegalStateException");
        l.close();
    }

    @Test
    void closeBeforeStartMeansItNeverStarts() {
        SelectEchoServer s = new SelectEchoServer(new InetSocketAddress(Loopback.LOOPBACK, 0));
        s.close();
        assertThrows(IllegalStateException.class, s::start, "close() before start(): the server can never start");
        s.close();
    }

    /**
     * close() racing start() (and a client connecting meanwhile): whoever wins, nothing is left
     * running and no port stays bound.
     */
    @Test
    void closeRacingStartLeavesNoThreadAndNoPort() throws Exception {
        for (int round = 0; round < 20; round++) {
            java.util.Set<Thread> before = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
            SelectEchoServer s = new SelectEchoServer(new InetSocketAddress(Loopback.LOOPBACK, 0));
            AtomicReference<Throwable> startFailed = new AtomicReference<>();
            AtomicBoolean started = new AtomicBoolean();
            Threads.run("client-race", List.of(() -> {
                try {
                    s.start();
                    started.set(true);
                } catch (IllegalStateException e) {
                    // close() came first: fine
                } catch (Throwable e) {
                    startFailed.set(e);
                }
            }, s::close), Duration.ofSeconds(10), Map.of());
            if (startFailed.get() != null) fail("start() threw " + startFailed.get() + " while close() ran", startFailed.get());
            int port = -1;
            if (started.get()) {
                port = s.port();
                // a client may or may not get in; it must not keep anything alive
                try (SocketChannel c = SocketChannel.open()) {
                    c.socket().connect(new InetSocketAddress(Loopback.LOOPBACK, port), 200);
                } catch (IOException refused) {
                    // closed already
                }
                s.close();
            } else {
                assertThrows(IllegalStateException.class, s::start, "after close() won the race, start() must still throw");
            }
            List<Thread> alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !t.getName().startsWith("client-")
                            && !t.getName().startsWith("junit") && !t.getName().equals("Attach Listener"))
                    .toList();
            assertTrue(alive.isEmpty(), "round " + round + ": after close() returned, the server's thread must have ended; alive: " + alive);
            if (port > 0) assertTrue(Loopback.portIsFree(port), "round " + round + ": after close() the port " + port + " must be free");
        }
    }
}
