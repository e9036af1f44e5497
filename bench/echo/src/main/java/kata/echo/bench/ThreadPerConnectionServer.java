package kata.echo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The seeds' ThreadingTCPServer shape: blocking sockets, one thread per connection. For the benchmark only. */
final class ThreadPerConnectionServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

    ThreadPerConnectionServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        acceptor = new Thread(this::accept, "tpc-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                clients.add(s);
                Thread t = new Thread(() -> serve(s), "tpc-worker");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // server closed
        }
    }

    private void serve(Socket s) {
        byte[] buf = new byte[16 * 1024];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        } catch (IOException gone) {
            // client gone
        } finally {
            clients.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : clients) s.close();
    }
}
