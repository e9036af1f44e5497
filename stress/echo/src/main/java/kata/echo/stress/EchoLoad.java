package kata.echo.stress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import kata.echo.SelectEchoServer;

/**
 * The echo kata's load harness: N clients × M messages of S bytes against an echo server on
 * the loopback address, each client sending one message and reading its whole echo before the
 * next (request and response, interleaved across clients). Bounded in count and in time; it
 * stops by itself, checks every byte, and measures throughput and the p50/p99 round trip.
 *
 * <p>The clients are driven by a few threads, each with its own {@link Selector} (so 1,000
 * clients do not need 1,000 threads). A client that gets no byte for {@link #STALL} is a stalled
 * client: the run fails and says which client, which message, and how much came back.
 *
 * <p>As the checker's stress layer ({@code stress/echo/load-checks}, run by
 * {@code katas.runner.LoadRun}) it is a {@code Function<String[], String>}: arguments
 * {@code CLIENTS MESSAGES SIZE [RCVBUF]}, it starts the kata's {@link SelectEchoServer}, and
 * returns the report or throws an {@link AssertionError} that says what went wrong (also when
 * the server had a second thread). From the command line:
 * <pre>
 *   EchoLoad CLIENTS MESSAGES SIZE [RCVBUF]          against the kata's server, started in this JVM
 *   EchoLoad --port P CLIENTS MESSAGES SIZE [RCVBUF] against a server already listening on 127.0.0.1:P
 * </pre>
 */
public final class EchoLoad implements Function<String[], String> {
    /** A client that gets no byte back for this long is stalled. */
    static final Duration STALL = Duration.ofSeconds(10);
    /** The whole run's limit. */
    static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int DRIVERS = 2;
    /** A slow reader starts reading when its writes made no progress for this long. */
    static final long SLOW_READER_WAIT_NANOS = 100_000_000L;

    /** What one run measured. */
    public record Result(int clients, int messages, int size, long bytes, double seconds, long p50Nanos, long p99Nanos,
                         long connectNanos) {
        public double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }

        public double messagesPerSecond() {
            return (double) clients * messages / seconds;
        }

        public String line() {
            return String.format(Locale.ROOT, "%d clients x %d messages x %d B: %.2f s, %.1f MB/s echoed, %.0f messages/s,"
                            + " round trip p50 %.3f ms, p99 %.3f ms (connecting took %.2f s)", clients, messages, size, seconds,
                    megabytesPerSecond(), messagesPerSecond(), p50Nanos / 1e6, p99Nanos / 1e6, connectNanos / 1e9);
        }
    }

    /** One client's progress. */
    private static final class Client {
        final int id;
        final SocketChannel channel;
        final ByteBuffer out;
        final ByteBuffer in;
        int message;
        long messageStart;
        long lastProgress;
        long lastWrite;
        boolean finished;
        final long[] roundTrips;

        Client(int id, SocketChannel channel, int size, int messages) {
            this.id = id;
            this.channel = channel;
            this.out = ByteBuffer.allocate(size);
            this.in = ByteBuffer.allocate(Math.min(size, 64 * 1024));
            this.roundTrips = new long[messages];
        }

        long offset() {
            return (long) message * out.capacity();
        }
    }

    /**
     * Runs the load against 127.0.0.1:{@code port}. {@code serverThreads} (may be null) returns the
     * server's threads; it is sampled during the run and more than one fails it.
     */
    public static Result run(int port, int clients, int messages, int size, int receiveBuffer,
                             java.util.function.Supplier<List<Thread>> serverThreads) throws IOException, InterruptedException {
        if (clients < 1 || messages < 1 || size < 1) throw new IllegalArgumentException("clients, messages and size must be >= 1");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long connectStart = System.nanoTime();
        List<Client> all = new ArrayList<>();
        List<Selector> selectors = new ArrayList<>();
        try {
            for (int d = 0; d < DRIVERS; d++) selectors.add(Selector.open());
            for (int i = 0; i < clients; i++) {
                SocketChannel ch = SocketChannel.open();
                if (receiveBuffer > 0) ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
                ch.configureBlocking(false);
                ch.connect(address);
                Client c = new Client(i, ch, size, messages);
                all.add(c);
                ch.register(selectors.get(i % DRIVERS), SelectionKey.OP_CONNECT, c);
            }
            // connect every client (a burst can take a while with a small backlog)
            for (Selector s : selectors) finishConnects(s, deadline, serverThreads);
            long connectNanos = System.nanoTime() - connectStart;
            long start = System.nanoTime();
            for (Client c : all) startMessage(c, start);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> drivers = new ArrayList<>();
            for (int d = 0; d < DRIVERS; d++) {
                Selector s = selectors.get(d);
                boolean slow = receiveBuffer > 0;
                for (SelectionKey k : s.keys()) k.interestOps(slow ? SelectionKey.OP_WRITE : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                Thread t = new Thread(() -> {
                    try {
                        drive(s, messages, deadline, failure, slow);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "load-client-driver-" + d);
                t.setDaemon(true);
                drivers.add(t);
                t.start();
            }
            int most = 0;
            String names = "";
            for (Thread t : drivers) {
                while (t.isAlive()) {
                    t.join(100);
                    if (serverThreads != null && failure.get() == null) {
                        List<Thread> now = serverThreads.get();
                        if (now.size() > most) {
                            most = now.size();
                            names = now.stream().map(Thread::getName).toList().toString();
                        }
                        if (most > 1) failure.compareAndSet(null, new AssertionError("the server ran " + most + " threads " + names
                                + " while " + clients + " clients were connected: an echo server with a Selector needs exactly one"));
                    }
                }
            }
            if (failure.get() instanceof AssertionError e) throw new AssertionError(e.getMessage() + stacks(serverThreads), e);
            if (failure.get() != null) throw new AssertionError("the load clients broke: " + failure.get(), failure.get());
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] trips = all.stream().flatMapToLong(c -> Arrays.stream(c.roundTrips)).sorted().toArray();
            return new Result(clients, messages, size, 2L * clients * messages * size, seconds,
                    trips[(int) Math.min(trips.length - 1, trips.length * 50L / 100)],
                    trips[(int) Math.min(trips.length - 1, trips.length * 99L / 100)], connectNanos);
        } finally {
            for (Client c : all) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            for (Selector s : selectors) s.close();
        }
    }

    private static void finishConnects(Selector s, long deadline, java.util.function.Supplier<List<Thread>> serverThreads)
            throws IOException {
        int pending = s.keys().size();
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(pending + " clients could not connect within the limit: does the server accept while it"
                        + " serves?" + stacks(serverThreads));
            }
            s.select(Math.max(1, Math.min(left, 1_000_000_000L) / 1_000_000));
            for (SelectionKey k : s.selectedKeys()) {
                Client c = (Client) k.attachment();
                try {
                    if (k.isConnectable() && c.channel.finishConnect()) {
                        c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        k.interestOps(0);
                        pending--;
                    }
                } catch (IOException e) {
                    throw new AssertionError("client " + c.id + " could not connect: " + e);
                }
            }
            s.selectedKeys().clear();
        }
    }

    private static void startMessage(Client c, long now) {
        c.out.clear();
        long base = c.offset();
        for (int i = 0; i < c.out.capacity(); i++) c.out.put(i, patternByte(c.id, base + i));
        c.in.clear();
        c.messageStart = now;
        c.lastProgress = now;
        c.lastWrite = now;
    }

    /**
     * Runs this driver's clients until each has had all its messages echoed; a wrong byte or a stall fails it.
     * A client that is done stays connected until the whole run is over (a server that serves one client at a
     * time stalls the others). {@code slow}: a client reads a message's echo only once it has sent the whole
     * message, or once its writes made no progress for {@link #SLOW_READER_WAIT_NANOS}, so that the server's
     * output stays pending for long stretches (its writes come back partial).
     */
    private static void drive(Selector s, int messages, long deadline, AtomicReference<Throwable> failure, boolean slow)
            throws IOException {
        int size = -1;
        int done = 0;
        int total = s.keys().size();
        java.util.Map<Client, long[]> got = new java.util.HashMap<>();
        for (SelectionKey k : s.keys()) {
            Client c = (Client) k.attachment();
            got.put(c, new long[1]);
            size = c.out.capacity();
        }
        long nextStallCheck = System.nanoTime() + 1_000_000_000L;
        while (done < total && failure.get() == null) {
            s.select(slow ? 20 : 200);
            long now = System.nanoTime();
            for (SelectionKey k : s.selectedKeys()) {
                if (!k.isValid()) continue;
                Client c = (Client) k.attachment();
                long[] in = got.get(c);
                if (k.isWritable() && c.out.hasRemaining()) {
                    if (c.channel.write(c.out) > 0) {
                        c.lastProgress = now;
                        c.lastWrite = now;
                    }
                    if (!c.out.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                }
                if (k.isReadable()) {
                    c.in.clear();
                    int n;
                    try {
                        n = c.channel.read(c.in);
                    } catch (IOException e) {
                        throw new AssertionError("client " + c.id + ": the connection broke (" + e.getMessage() + ") in message "
                                + c.message + " after " + in[0] + " of its " + size + " bytes came back");
                    }
                    if (n < 0) {
                        throw new AssertionError("client " + c.id + ": the server closed the connection in message " + c.message
                                + " after " + in[0] + " of its " + size + " bytes came back");
                    }
                    if (n > 0) {
                        c.lastProgress = now;
                        if (in[0] + n > size) {
                            throw new AssertionError("client " + c.id + ": got " + (in[0] + n) + " bytes back for message " + c.message
                                    + " of " + size + " bytes, before sending the next one: bytes from nowhere (another client's?)");
                        }
                        long base = c.offset() + in[0];
                        for (int i = 0; i < n; i++) {
                            byte b = c.in.get(i);
                            byte want = patternByte(c.id, base + i);
                            if (b != want) {
                                throw new AssertionError(String.format(Locale.ROOT, "client %d: byte %d of message %d was 0x%02x, expected"
                                                + " 0x%02x (%d bytes of the echo before it were right): bytes lost, reordered or mixed"
                                                + " with another client's", c.id, in[0] + i, c.message, b & 0xff, want & 0xff,
                                        c.offset() + in[0] + i));
                            }
                        }
                        in[0] += n;
                        if (in[0] == size) {
                            c.roundTrips[c.message] = now - c.messageStart;
                            c.message++;
                            in[0] = 0;
                            if (c.message == messages) {
                                done++;
                                c.finished = true;
                                k.interestOps(0); // stays connected until the run is over
                                continue;
                            }
                            startMessage(c, now);
                            k.interestOps(slow ? SelectionKey.OP_WRITE : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        }
                    }
                }
            }
            s.selectedKeys().clear();
            if (slow) {
                for (SelectionKey k : s.keys()) {
                    Client c = (Client) k.attachment();
                    if (k.isValid() && !c.finished && (k.interestOps() & SelectionKey.OP_READ) == 0
                            && now - c.lastWrite > SLOW_READER_WAIT_NANOS) {
                        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE); // the writes are stuck: read now
                    }
                }
            }
            if (now >= nextStallCheck || now >= deadline) {
                nextStallCheck = now + 1_000_000_000L;
                for (SelectionKey k : s.keys()) {
                    Client c = (Client) k.attachment();
                    if (!k.isValid() || c.finished) continue;
                    long quiet = now - c.lastProgress;
                    if (quiet > STALL.toNanos() || now >= deadline) {
                        throw new AssertionError(String.format(Locale.ROOT, "client %d is stalled: message %d of %d, %d of %d bytes"
                                        + " sent and %d echoed, then nothing for %.1f s%s", c.id, c.message, messages, c.out.position(),
                                size, got.get(c)[0], quiet / 1e9, now >= deadline ? " (the run's limit of " + LIMIT.toSeconds()
                                        + " s is reached)" : ""));
                    }
                }
            }
        }
    }

    private static String stacks(java.util.function.Supplier<List<Thread>> serverThreads) {
        if (serverThreads == null) return "";
        StringBuilder s = new StringBuilder();
        List<Thread> threads = serverThreads.get();
        s.append("\nThe server's threads (").append(threads.size()).append("):");
        for (Thread t : threads.subList(0, Math.min(4, threads.size()))) {
            s.append("\n  \"").append(t.getName()).append("\" ").append(t.getState());
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) s.append("\n      at ").append(stack[i]);
        }
        return s.toString();
    }

    static byte patternByte(int client, long i) {
        long x = i * 0x9E3779B97F4A7C15L + (client + 1) * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 32;
        return (byte) x;
    }

    /** Starts the kata's server on 127.0.0.1 (any port), runs the load against it, closes it. */
    public static Result againstKata(int clients, int messages, int size, int receiveBuffer) throws IOException, InterruptedException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        java.util.function.Supplier<List<Thread>> serverThreads = () -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.getName().startsWith("load-")
                        && !t.getName().equals("Attach Listener") && !t.getName().equals("process reaper"))
                .toList();
        SelectEchoServer server = new SelectEchoServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread closer = null;
        try {
            server.start();
            Result r = run(server.port(), clients, messages, size, receiveBuffer, serverThreads);
            List<Thread> threads = serverThreads.get();
            if (threads.size() != 1) {
                throw new AssertionError("after the run the server had " + threads.size() + " threads " + threads
                        + ": it must run exactly one");
            }
            return r;
        } finally {
            AtomicReference<Throwable> closeFailed = new AtomicReference<>();
            closer = new Thread(() -> {
                try {
                    server.close();
                } catch (Throwable e) {
                    closeFailed.set(e);
                }
            }, "load-closer");
            closer.setDaemon(true);
            closer.start();
            closer.join(STALL.toMillis());
            if (closer.isAlive()) {
                throw new AssertionError("close() did not return within " + STALL.toSeconds() + " s" + stacks(serverThreads));
            }
        }
    }

    /** The stress layer's entry: {@code CLIENTS MESSAGES SIZE [RCVBUF]}; returns the report, or throws AssertionError. */
    @Override
    public String apply(String[] args) {
        try {
            int rcvbuf = args.length > 3 ? Integer.parseInt(args[3]) : 0;
            Result r = againstKata(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), rcvbuf);
            return r.line() + (rcvbuf > 0 ? " (client SO_RCVBUF " + rcvbuf + " B)" : "");
        } catch (IOException e) {
            throw new AssertionError("the server could not start or serve: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static void main(String[] args) throws Exception {
        int at = 0;
        int port = -1;
        if (args.length > 1 && args[0].equals("--port")) {
            port = Integer.parseInt(args[1]);
            at = 2;
        }
        if (args.length - at < 3) {
            System.err.println("usage: EchoLoad [--port P] CLIENTS MESSAGES SIZE [RCVBUF]");
            System.exit(2);
        }
        int clients = Integer.parseInt(args[at]);
        int messages = Integer.parseInt(args[at + 1]);
        int size = Integer.parseInt(args[at + 2]);
        int rcvbuf = args.length - at > 3 ? Integer.parseInt(args[at + 3]) : 0;
        try {
            Result r = port < 0 ? againstKata(clients, messages, size, rcvbuf) : run(port, clients, messages, size, rcvbuf, null);
            System.out.println(r.line());
            System.exit(0);
        } catch (AssertionError e) {
            System.out.println("FAILED: " + e.getMessage());
            System.exit(1);
        }
    }
}
