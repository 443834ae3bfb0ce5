package io.htmlgraph.sidecar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client will not send: a foreign {@code Host}, a malformed request
 * line, huge headers, {@code Connection: close} checked at the socket.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** One answer: the status, the raw head and the body. */
    public record Answer(int status, String head, String body) {
    }

    /** An answer, and whether the server closed the connection after it. */
    public record Closing(Answer answer, boolean closed) {
    }

    /** Sends {@code request} as is (CRLFs included) and reads one answer. */
    public static Answer exchange(int port, String request) {
        return exchange(port, request, false).answer();
    }

    /**
     * Sends {@code request}, reads one answer, then waits up to a second for the server to close the connection
     * (only this waits: a connection kept open is seen only by waiting).
     */
    public static Closing exchangeThenWatch(int port, String request) {
        return exchange(port, request, true);
    }

    private static Closing exchange(int port, String request, boolean watch) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            Answer answer = read(in);
            return new Closing(answer, watch && closedWithinASecond(socket, in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer from a connection (the next one, when requests were sent one after another). */
    public static Answer read(InputStream in) throws IOException {
        String head = readHead(in);
        int length = contentLength(head);
        byte[] body = length > 0 ? in.readNBytes(length) : new byte[0];
        int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
        return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private static boolean closedWithinASecond(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(1000);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }
}
