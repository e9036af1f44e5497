// NAIVE: one thread with blocking sockets (the seeds' first server): accept, then read and echo that client until it leaves; the next client waits.
package kata.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

public final class SelectEchoServer implements AutoCloseable {
    private final InetSocketAddress address;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;
    private int port = -1;
    private Thread thread;
    private ServerSocketChannel server;
    private volatile SocketChannel current;

    public SelectEchoServer(InetSocketAddress address) {
        this.address = address;
    }

    public void start() throws IOException {
        synchronized (lifecycle) {
            if (started || closed) throw new IllegalStateException("already started or closed");
            started = true;
            server = ServerSocketChannel.open();
            server.bind(address, 1024);
            port = server.socket().getLocalPort();
            thread = new Thread(this::loop, "echo-blocking-" + port);
            thread.start();
        }
    }

    public int port() {
        synchronized (lifecycle) {
            if (port < 0) throw new IllegalStateException("not started");
            return port;
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            closed = true;
            t = thread;
            if (t == null) return;
            try {
                server.close();
                SocketChannel c = current;
                if (c != null) c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                current = c;
                if (!server.isOpen()) return;
                while (true) {
                    buf.clear();
                    if (c.read(buf) < 0) break;  // blocks until THIS client sends
                    buf.flip();
                    while (buf.hasRemaining()) c.write(buf);
                }
            } catch (IOException e) {
                // client gone, or server closed
            }
        }
    }

    public static void main(String[] args) throws IOException {
        SelectEchoServer s = new SelectEchoServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
        s.start();
        System.out.println("echo server listening on port " + s.port());
    }
}
