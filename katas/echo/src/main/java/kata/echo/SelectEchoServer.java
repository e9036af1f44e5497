package kata.echo;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * An echo server that serves every client from ONE thread, with a {@link java.nio.channels.Selector}.
 * Read katas/echo/README.md, then make the tests pass: {@code ./kata test echo}.
 */
public final class SelectEchoServer implements AutoCloseable {
    private final InetSocketAddress address;

    public SelectEchoServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Binds, starts the one selector thread, returns. A second start(), or start() after close(): IllegalStateException. */
    public void start() throws IOException {
        throw new UnsupportedOperationException("start(): bind " + address + " and start the selector thread");
    }

    /** The bound port, from start() on (also after close()); IllegalStateException before start(). */
    public int port() {
        throw new UnsupportedOperationException("port()");
    }

    /** Stops the loop, closes every channel, frees the port; returns once the server thread has ended. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("close()");
    }

    /** {@code <port>}: listens on the loopback address, prints a line with "port N" once bound, runs until Ctrl-C. */
    public static void main(String[] args) throws IOException {
        SelectEchoServer server = new SelectEchoServer(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(),
                Integer.parseInt(args[0])));
        server.start();
        System.out.println("echo server listening on port " + server.port());
    }
}
