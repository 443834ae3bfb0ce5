package io.htmlgraph.sidecar.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * The main socket's connection guard: a request head must arrive within the header timeout, a body must not stall for
 * the read timeout, and at the connection limit a new client is served by closing the connection that has waited
 * longest, or refused with a 503.
 */
class ConnectionGuardTest {
    private static final String GET = "GET /api/events?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @Test
    void aRequestHeadTrickledPastTheHeaderTimeout_isCut_whileAPromptClientIsAnswered() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("header-timeout", "1s"));
             Socket slow = connect(sidecar)) {
            long started = System.nanoTime();
            slow.getOutputStream().write(bytes("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            int lines = 0;
            try {
                for (; lines < 50; lines++) { // a header line every 100 ms: never silent, never complete
                    Thread.sleep(100);
                    slow.getOutputStream().write(bytes("X-Slow-" + lines + ": a\r\n"));
                }
            } catch (IOException closedUnderneath) {
                // the sidecar closed the connection
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(readsEndOfStream(slow), is(true));
            assertThat(tookMillis, allOf(greaterThanOrEqualTo(900L), lessThan(3000L)));
            assertThat(exchange(sidecar, GET), startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void aConnectionThatNeverSendsARequest_isClosedAtTheHeaderTimeout() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("header-timeout", "1s"));
             Socket silent = connect(sidecar)) {
            long started = System.nanoTime();
            assertThat(readsEndOfStream(silent), is(true));
            assertThat((System.nanoTime() - started) / 1_000_000, allOf(greaterThanOrEqualTo(900L), lessThan(3000L)));
            assertThat(sidecar.scrapeAsIs(), containsString(
                    "\nhtmlgraph_connections_closed_total{reason=\"head_timeout\"} 1.0\n"));
        }
    }

    @Test
    void aBodyTrickledIn_isCutOnceItsReadsHaveWaitedTheReadTimeout_storingNothing() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-timeout", "1s"));
             Socket trickle = connect(sidecar)) {
            OutputStream out = trickle.getOutputStream();
            out.write(bytes("POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"));
            long started = System.nanoTime();
            // a byte every 200 ms: no read ever waits 1 s, but 5 bytes a second is far under the minimum rate
            for (int i = 0; i < 40 && !trickle.isInputShutdown(); i++) {
                try {
                    out.write(bytes("1\r\n \r\n"));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(200);
            }
            assertCutAfterASecond(sidecar, trickle, started, "body_too_slow");
        }
    }

    @Test
    void aBodyLeftSilentPartWay_isCutAtTheReadTimeout_storingNothing() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-timeout", "1s"));
             Socket silent = connect(sidecar)) {
            long started = System.nanoTime();
            silent.getOutputStream().write(bytes("POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"session_id\": \"s\","));
            assertCutAfterASecond(sidecar, silent, started, "body_timeout");
        }
    }

    /**
     * The guard closed {@code socket} about the 1 s read timeout after {@code started}, counted it under
     * {@code reason}, stored nothing of its request, and the server still answers.
     */
    private static void assertCutAfterASecond(TestSidecar sidecar, Socket socket, long started, String reason)
            throws IOException {
        assertThat(readsEndOfStream(socket), is(true));
        assertThat((System.nanoTime() - started) / 1_000_000, allOf(greaterThanOrEqualTo(900L), lessThan(4000L)));
        assertThat(sidecar.scrapeAsIs(), containsString(
                "\nhtmlgraph_connections_closed_total{reason=\"" + reason + "\"} 1.0\n"));
        assertThat(sidecar.storedEvents(), is(0L));
        assertThat(exchange(sidecar, GET), startsWith("HTTP/1.1 200"));
    }

    @Test
    void aSlowBodyThatKeepsComing_outlivesTheReadTimeout_andIsStored() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-timeout", "1s"));
             Socket slow = connect(sidecar)) {
            byte[] body = bytes("{\"session_id\": \"slow\", \"hook_event_name\": \"UserPromptSubmit\", \"prompt\": \""
                                + "x".repeat(60_000) + "\"}");
            slow.getOutputStream().write(bytes("POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"));
            // 8 KB every 300 ms (27 KB/s, over the 16 KB/s minimum): about 2.4 s in all, no read waits 1 s
            for (int i = 0; i < body.length; i += 8192) {
                slow.getOutputStream().write(body, i, Math.min(8192, body.length - i));
                Thread.sleep(300);
            }
            assertThat(request(slow, ""), startsWith("HTTP/1.1 200"));
            assertThat(sidecar.storedEvents(), is(1L));
        }
    }

    @Test
    void aKeptAliveConnection_outlivesTheHeaderTimeoutBetweenRequests() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("header-timeout", "1s"));
             Socket socket = connect(sidecar)) {
            assertThat(request(socket, GET), startsWith("HTTP/1.1 200"));
            Thread.sleep(1600);
            assertThat(request(socket, GET), startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void atTheLimit_aNewClientIsServed_byClosingTheConnectionThatWaitedLongest() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("max-connections", "16"))) {
            List<Socket> idle = open(sidecar, 16);
            try {
                Thread.sleep(2300); // every one of them has now waited long enough (2 s) to make room
                assertThat(exchange(sidecar, GET), startsWith("HTTP/1.1 200"));
                // Exactly one idle connection was closed for the newcomer. Which one the server saw waiting longest
                // is not the client's connect order: the 16 were opened within milliseconds, and the server's
                // threads start waiting for their heads in whatever order they run.
                long closed = 0;
                for (Socket socket : idle) {
                    closed += readsEndOfStream(socket, 300) ? 1 : 0;
                }
                assertThat(closed, is(1L));
                assertThat(sidecar.scrapeAsIs(), allOf(
                        containsString("\nhtmlgraph_connections_closed_total{reason=\"evicted\"} 1.0\n"),
                        containsString("\nhtmlgraph_connections_accepted_total 17.0\n")));
            } finally {
                closeAll(idle);
            }
        }
    }

    @Test
    void atTheLimit_withNoConnectionThatMayGo_aNewClientGets503() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("max-connections", "16"))) {
            List<Socket> fresh = open(sidecar, 16);
            try {
                Thread.sleep(200); // admitted, but none has waited long enough to be closed for a newcomer
                String answer = exchange(sidecar, GET);
                assertThat(answer, startsWith("HTTP/1.1 503"));
                assertThat(answer, containsString("\"error\":\"too_many_connections\""));
                assertThat(sidecar.scrapeAsIs(), containsString("\nhtmlgraph_connections_refused_total 1.0\n"));
            } finally {
                closeAll(fresh);
            }
        }
    }

    private static Socket connect(TestSidecar sidecar) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", sidecar.uri("/").getPort()), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static List<Socket> open(TestSidecar sidecar, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(connect(sidecar));
        }
        return sockets;
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** A new connection, one request, everything it answers until the server closes it or 2 s of silence. */
    private static String exchange(TestSidecar sidecar, String request) throws IOException {
        try (Socket socket = connect(sidecar)) {
            return request(socket, request);
        }
    }

    /** One request on the socket and its answer (head and the body's first bytes). */
    private static String request(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(bytes(request));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        while (n > 0) {
            answer.write(buffer, 0, n);
            n = in.available() > 0 ? in.read(buffer) : -1;
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static boolean readsEndOfStream(Socket socket) throws IOException {
        return readsEndOfStream(socket, 3000);
    }

    /** Whether the server closed the socket: end of stream (or a reset) within {@code millis}. */
    private static boolean readsEndOfStream(Socket socket, int millis) throws IOException {
        try {
            socket.setSoTimeout(millis);
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
