// NAIVE: a thread per connection (the seeds' ThreadingTCPServer): correct bytes, but N clients cost N threads, not one selector thread.
package kata.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

public final class SelectEchoServer implements AutoCloseable {
    private final InetSocketAddress address;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;
    private int port = -1;
    private Thread acceptor;
    private ServerSocketChannel server;
    private final List<SocketChannel> clients = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();

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
            acceptor = new Thread(this::acceptLoop, "echo-acceptor-" + port);
            acceptor.start();
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
        List<Thread> all = new ArrayList<>();
        synchronized (lifecycle) {
            closed = true;
            if (acceptor == null) return;
            try {
                server.close();
                for (SocketChannel c : clients) c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            all.add(acceptor);
            all.addAll(workers);
        }
        try {
            for (Thread t : all) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel c = server.accept();
                synchronized (lifecycle) {
                    if (closed) {
                        c.close();
                        return;
                    }
                    clients.add(c);
                    Thread t = new Thread(() -> serve(c), "echo-worker-" + workers.size());
                    workers.add(t);
                    t.start();
                }
            }
        } catch (IOException e) {
            // server closed
        }
    }

    private void serve(SocketChannel c) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try (c) {
            while (c.read(buf.clear()) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) c.write(buf);
            }
        } catch (IOException e) {
            // client gone
        }
    }

    public static void main(String[] args) throws IOException {
        SelectEchoServer s = new SelectEchoServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
        s.start();
        System.out.println("echo server listening on port " + s.port());
    }
}
