package kata.echo.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kata.echo.SelectEchoServer;
import kata.echo.stress.EchoLoad;

/**
 * A benchmark, not a test: the kata's reference server, a thread-per-connection server and
 * Netty's echo server (NIO, and epoll if its native library loads), one after the other in one
 * run, each at 1, 100 and 1,000 clients, driven by the kata's load harness (request and
 * response, every byte checked). Prints a Markdown table.
 *
 * <p>Arguments (all optional): {@code SIZE ROUNDS}: message size in bytes (default 512) and how
 * many times each cell is measured (default 3; the best is reported, the others are noise from a
 * shared machine).
 */
public final class EchoBench {
    private interface Server extends AutoCloseable {
        int port();
    }

    private interface Factory {
        Server start() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> names = new ArrayList<>(List.of("reference SelectEchoServer", "thread per connection", "Netty NIO (1 event loop)"));
        List<Factory> factories = new ArrayList<>(List.of(EchoBench::reference, EchoBench::threadPerConnection, () -> netty(false)));
        if (NettyEchoServer.epollAvailable()) {
            names.add("Netty epoll (1 event loop)");
            factories.add(() -> netty(true));
        } else {
            System.out.println("Netty epoll not available here: " + NettyEchoServer.epollUnavailability());
        }
        int[] clientCounts = {1, 100, 1000};
        double[][] best = new double[names.size()][clientCounts.length];
        String[][] latency = new String[names.size()][clientCounts.length];
        for (int c = 0; c < clientCounts.length; c++) {
            int clients = clientCounts[c];
            int messages = Math.max(10, 20_000 / clients);
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < names.size(); s++) {
                    try (Server server = factories.get(s).start()) {
                        EchoLoad.run(server.port(), Math.min(clients, 10), 20, size, 0, null); // warm-up
                        EchoLoad.Result r = EchoLoad.run(server.port(), clients, messages, size, 0, null);
                        System.out.printf(Locale.ROOT, "%-28s %s%n", names.get(s), r.line());
                        if (r.messagesPerSecond() > best[s][c]) {
                            best[s][c] = r.messagesPerSecond();
                            latency[s][c] = String.format(Locale.ROOT, "%.2f / %.2f", r.p50Nanos() / 1e6, r.p99Nanos() / 1e6);
                        }
                    }
                }
            }
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%n%d-byte messages, request/response; best of %d rounds;"
                + " messages/s (round trip p50 / p99 ms)%n%n| server |", size, rounds));
        for (int clients : clientCounts) t.append(' ').append(String.format(Locale.ROOT, "%,d", clients)).append(clients == 1 ? " client |" : " clients |");
        t.append("\n|---|");
        for (int ignored : clientCounts) t.append("---|");
        for (int s = 0; s < names.size(); s++) {
            t.append("\n| ").append(names.get(s)).append(" |");
            for (int c = 0; c < clientCounts.length; c++) {
                t.append(String.format(Locale.ROOT, " %,.0f (%s) |", best[s][c], latency[s][c]));
            }
        }
        int nio = names.indexOf("Netty NIO (1 event loop)");
        int last = clientCounts.length - 1;
        t.append(String.format(Locale.ROOT, "%n%nreference / Netty NIO at %,d clients: %.0f %%", clientCounts[last],
                100 * best[0][last] / best[nio][last]));
        if (names.size() > 3) {
            t.append(String.format(Locale.ROOT, "; reference / Netty epoll: %.0f %%", 100 * best[0][last] / best[3][last]));
        }
        System.out.println(t);
    }

    private static Server reference() throws Exception {
        SelectEchoServer s = new SelectEchoServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.start();
        return new Server() {
            public int port() {
                return s.port();
            }

            public void close() {
                s.close();
            }
        };
    }

    private static Server threadPerConnection() throws Exception {
        ThreadPerConnectionServer s = new ThreadPerConnectionServer();
        return new Server() {
            public int port() {
                return s.port();
            }

            public void close() throws Exception {
                s.close();
            }
        };
    }

    private static Server netty(boolean epoll) throws Exception {
        NettyEchoServer s = new NettyEchoServer(epoll);
        return new Server() {
            public int port() {
                return s.port();
            }

            public void close() throws Exception {
                s.close();
            }
        };
    }
}
