package io.htmlgraph.sidecar.live;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client that completes the handshake and then never reads, with a tiny receive window, so that the
 * server's writes to it back up quickly.
 */
final class StalledClient implements AutoCloseable {
    private final Socket socket;

    StalledClient(int port) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.getOutputStream().write(("GET /ws/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
