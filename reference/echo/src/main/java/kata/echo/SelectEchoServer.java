package kata.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * An echo server on one thread: one {@link Selector} tells the thread which of its many
 * connections can be read or written without blocking, and the thread does just that.
 *
 * <p>Per connection it keeps the bytes it could not send yet (the kernel's buffer was full),
 * asks for {@code OP_WRITE} only while there are some, and stops reading a client whose unsent
 * bytes pass {@link #PENDING_LIMIT} until they drain: a client that never reads cannot make
 * the server buffer without end.
 */
public final class SelectEchoServer implements AutoCloseable {
    /** Unsent bytes per connection above which the server stops reading that connection. */
    static final int PENDING_LIMIT = 256 * 1024;
    private static final int READ_SIZE = 64 * 1024;

    private enum State { NEW, RUNNING, CLOSED }

    private final InetSocketAddress address;
    private final Object lifecycle = new Object();
    private State state = State.NEW;   // guarded by lifecycle
    private int port = -1;             // guarded by lifecycle
    private Thread thread;             // guarded by lifecycle
    private volatile boolean stopping;
    private Selector selector;         // set before the thread starts, then only the thread uses it
    private ServerSocketChannel server;

    public SelectEchoServer(InetSocketAddress address) {
        if (address == null) throw new NullPointerException("address");
        this.address = address;
    }

    /** Binds, starts the selector thread and returns. */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException(state == State.RUNNING ? "already started" : "closed: a closed server cannot start");
            }
            state = State.CLOSED; // until it runs: a start that fails cannot be retried
            Selector sel = Selector.open();
            ServerSocketChannel ssc = null;
            try {
                ssc = ServerSocketChannel.open();
                ssc.configureBlocking(false);
                ssc.bind(address, 1024);
                ssc.register(sel, SelectionKey.OP_ACCEPT);
            } catch (IOException | RuntimeException e) {
                if (ssc != null) ssc.close();
                sel.close();
                throw e;
            }
            selector = sel;
            server = ssc;
            port = ssc.socket().getLocalPort();
            thread = new Thread(this::loop, "echo-selector-" + port);
            state = State.RUNNING;
            thread.start();
        }
    }

    public int port() {
        synchronized (lifecycle) {
            if (port < 0) throw new IllegalStateException("not started: the port is known once start() has bound it");
            return port;
        }
    }

    /** Stops the loop, closes every channel, and returns once the selector thread has ended. */
    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            if (state == State.NEW) {
                state = State.CLOSED;
                return;
            }
            state = State.CLOSED;
            t = thread;
            if (t == null) return;
            stopping = true;
            selector.wakeup();
        }
        if (t == Thread.currentThread()) return;
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    // ------------------------------------------------------------------ the selector thread

    /** What the server still owes one client. */
    private static final class Connection {
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        int pendingBytes;
        boolean inputDone;
    }

    private void loop() {
        ByteBuffer in = ByteBuffer.allocateDirect(READ_SIZE);
        try {
            while (!stopping) {
                selector.select();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) {
                        try {
                            accept();
                        } catch (IOException e) {
                            // this accept failed (out of file descriptors?): keep serving the others
                        }
                        continue;
                    }
                    try {
                        if (key.isReadable()) read(key, in);
                        if (key.isValid() && key.isWritable()) write(key);
                    } catch (IOException e) {
                        drop(key); // reset by the client, or broken: only this connection ends
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // the selector itself broke: nothing left to serve
        } finally {
            shutDown();
        }
    }

    private void accept() throws IOException {
        SocketChannel client;
        while ((client = server.accept()) != null) {
            try {
                client.configureBlocking(false);
                client.register(selector, SelectionKey.OP_READ, new Connection());
            } catch (IOException e) {
                client.close();
            }
        }
    }

    private void read(SelectionKey key, ByteBuffer in) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        Connection c = (Connection) key.attachment();
        in.clear();
        int n = ch.read(in);
        if (n < 0) {
            c.inputDone = true;
            if (c.pendingBytes == 0) drop(key);
            else key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        if (n == 0) return;
        in.flip();
        if (c.pendingBytes == 0) ch.write(in); // usually all of it goes out at once
        if (in.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(in.remaining());
            copy.put(in).flip();
            c.pending.add(copy);
            c.pendingBytes += copy.remaining();
            interest(key, c);
        }
    }

    private void write(SelectionKey key) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        Connection c = (Connection) key.attachment();
        while (!c.pending.isEmpty()) {
            ByteBuffer head = c.pending.peek();
            c.pendingBytes -= ch.write(head);
            if (head.hasRemaining()) break; // the kernel's buffer is full: wait for OP_WRITE
            c.pending.poll();
        }
        if (c.pendingBytes == 0 && c.inputDone) {
            drop(key);
            return;
        }
        interest(key, c);
    }

    /** OP_WRITE only while output is pending; OP_READ only while the pending output is under the limit. */
    private static void interest(SelectionKey key, Connection c) {
        int ops = 0;
        if (c.pendingBytes > 0) ops |= SelectionKey.OP_WRITE;
        if (!c.inputDone && c.pendingBytes <= PENDING_LIMIT) ops |= SelectionKey.OP_READ;
        key.interestOps(ops);
    }

    private static void drop(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void shutDown() {
        try {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing everything anyway
                }
            }
        } catch (ClosedSelectorException ignored) {
            // already closed
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // the port is freed when the channel is closed
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing more to free
        }
    }

    /** {@code <port>}: serves on the loopback address until the process is stopped (Ctrl-C). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SelectEchoServer <port>   (0: any free port)");
            return;
        }
        SelectEchoServer s = new SelectEchoServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
        s.start();
        System.out.println("echo server listening on " + InetAddress.getLoopbackAddress().getHostAddress() + " port " + s.port()
                + " (Ctrl-C stops it)");
    }
}
