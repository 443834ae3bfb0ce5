package io.htmlgraph.sidecar.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Load program (not a test): opens N connections to the sidecar at once and sends nothing on them (idle keep-alive
 * clients), holds them for a while, then closes them all and waits for the sidecar to settle. The caller reads the
 * server's RSS before and after; the sidecar's connection limit closes the ones past it as new ones arrive.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.IdleConnections http://127.0.0.1:8080 5000 2 4
 * </pre>
 * (connections, seconds held, seconds to settle after closing)
 */
public final class IdleConnections {
    private IdleConnections() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        long held = Long.parseLong(args[2]);
        long settle = Long.parseLong(args[3]);
        List<SocketChannel> idle = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress(url.getHost(), url.getPort()));
                idle.add(channel);
            }
            Connects open = established(idle);
            System.out.printf("idle connections: %d opened at once, %d connected, held %d s%n", count,
                              open.connected(), held);
            TimeUnit.SECONDS.sleep(held);
        } finally {
            for (SocketChannel channel : idle) {
                channel.close();
            }
        }
        TimeUnit.SECONDS.sleep(settle);
    }

    /** How many connection attempts succeeded, and how many were still pending at the deadline. */
    public record Connects(int connected, int pending) {
    }

    /**
     * Waits up to 30 s until every connection attempt has completed (refused or reset counts as done; the kernel
     * drops SYNs while the server's backlog is full, so some complete late).
     */
    public static Connects established(List<SocketChannel> channels) throws IOException {
        int connected = 0;
        try (Selector selector = Selector.open()) {
            for (SocketChannel channel : channels) {
                channel.register(selector, SelectionKey.OP_CONNECT);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!selector.keys().isEmpty() && System.nanoTime() < deadline) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        connected += ((SocketChannel) key.channel()).finishConnect() ? 1 : 0;
                    } catch (IOException refused) {
                        // refused or reset: done as well
                    }
                    key.cancel();
                }
                selector.selectedKeys().clear();
                selector.selectNow(); // flushes the cancelled keys
            }
            return new Connects(connected, selector.keys().size());
        }
    }
}
