package io.htmlgraph.sidecar.web;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.RawHttp;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Requests a browser page or a broken client can make: a foreign Host (DNS rebinding), a write without a JSON type,
 * a token in a REST URL, and requests Helidon refuses before routing, each answered with our JSON error.
 */
class HostileClientTest {
    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    @Test
    void aForeignHostName_isRefusedOnRestAndWebSocket_whileLoopbackNamesAndIpLiteralsPass() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("allowed-hosts", "sidecar.internal"))) {
            int port = sidecar.uri("/").getPort();
            RawHttp.Answer rest = get(port, "/api/events", "evil.example:" + port, "");
            assertThat(rest.status(), is(421));
            assertThat(rest.body(), containsString("\"error\":\"host_not_allowed\""));
            String body = Hooks.prompt("s-rebind", "hi");
            RawHttp.Answer post = RawHttp.exchange(port, "POST /api/hooks HTTP/1.1\r\nHost: evil.example\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(post.status(), is(421));
            assertThat(sidecar.storedEvents(), is(0L));
            RawHttp.Answer ws = get(port, "/ws/events", "evil.example:" + port,
                                    UPGRADE + "Origin: http://evil.example:" + port + "\r\n");
            assertThat(ws.status() == 101, is(false));

            for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "10.1.2.3",
                                             "app.localhost", "SIDECAR.internal:" + port}) {
                assertThat(host, get(port, "/api/events", host, "").status(), is(200));
            }
            // still refused right after an allowed name (the filter remembers the last allowed Host only)
            assertThat(get(port, "/api/events", "evil.example:" + port, "").status(), is(421));
            assertThat(get(port, "/ws/events", "localhost:" + port, UPGRADE).status(), is(101));
            int admin = sidecar.adminUri("/").getPort();
            assertThat(get(admin, "/health", "evil.example", "").status(), is(200));
        }
    }

    @Test
    void aWriteWithoutAJsonContentType_isRefused_unlessItCarriesTheWriteToken() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            int port = sidecar.uri("/").getPort();
            String body = Hooks.prompt("s-csrf", "hi");
            RawHttp.Answer answer = RawHttp.exchange(port, "POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(answer.status(), is(415));
            assertThat(sidecar.storedEvents(), is(0L));
        }
        try (TestSidecar sidecar = TestSidecar.start(Map.of("write-token", "w-secret"))) {
            int port = sidecar.uri("/").getPort();
            String body = Hooks.prompt("s-csrf", "hi");
            RawHttp.Answer answer = RawHttp.exchange(port, "POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer w-secret\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(answer.status(), is(200));
        }
    }

    @Test
    void aTokenInTheQuery_opensTheWebSocket_butNoRestRoute() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-token", "r-secret"))) {
            assertThat(sidecar.get("/api/events?token=r-secret").status(), is(401));
            assertThat(sidecar.get("/api/events", "Authorization", "Bearer r-secret").status(), is(200));
            int port = sidecar.uri("/").getPort();
            assertThat(get(port, "/ws/events?token=r-secret", "127.0.0.1:" + port, UPGRADE).status(), is(101));
        }
    }

    @Test
    void requestsHelidonRefusesOrCannotParse_getOurJsonError() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            int port = sidecar.uri("/").getPort();
            String[][] cases = {
                {"GET /api/events?q=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "4"},
                {"GET /api/events?" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "4"},
                {"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n", "4"},
                {"GET /api/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "4"},
                {"GET /api/events?x=[1] HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "4"},
                {"BREW /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "4"},
                {"POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json; charset=\"\r\n"
                 + "Content-Length: 2\r\n\r\n{}", "415"},
                {"POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 + "Transfer-Encoding: chunked\r\n\r\n2;x=y\r\n{}\r\n0\r\n\r\n", "400"},
                {"POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", "400"},
                {"PUT /api/sessions/%00/feature HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 + "Content-Length: 18\r\n\r\n{\"feature_id\":\"f\"}", "400"},
            };
            for (String[] c : cases) {
                RawHttp.Answer answer = RawHttp.exchange(port, c[0]);
                String shown = c[0].substring(0, Math.min(60, c[0].length()));
                assertThat(shown, String.valueOf(answer.status()), startsWith(c[1]));
                if (answer.status() >= 400) {
                    assertThat(shown + " -> " + answer.head(), answer.body(), containsString("\"error\":"));
                    assertThat(answer.head().toLowerCase(), containsString("application/json"));
                    assertThat(answer.head().toLowerCase(), containsString("x-content-type-options: nosniff"));
                }
            }
        }
    }

    @Test
    void pastTheWebSocketClientLimit_upgradesAreRefused() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("ws-max-clients", "2"))) {
            int port = sidecar.uri("/").getPort();
            List<Socket> open = new ArrayList<>();
            try {
                String[] statuses = new String[3];
                for (int i = 0; i < 3; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    open.add(socket);
                    socket.getOutputStream().write(("GET /ws/events HTTP/1.1\r\nHost: 127.0.0.1\r\n" + UPGRADE
                            + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    statuses[i] = new String(socket.getInputStream().readNBytes(12),
                                             StandardCharsets.US_ASCII).substring(9);
                }
                assertThat(statuses[0], is("101"));
                assertThat(statuses[1], is("101"));
                assertThat(statuses[2].equals("101"), is(false));
            } finally {
                for (Socket socket : open) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void webSocketClientsThatVanishOrAreRefused_giveTheirPlacesBack() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("ws-max-clients", "2"))) {
            int port = sidecar.uri("/").getPort();
            for (int i = 0; i < 6; i++) { // refused upgrades (a bad cursor) take no place
                assertThat(upgradeThenVanish(port, "?since=abc"), is("400"));
            }
            for (int i = 0; i < 6; i++) { // three times the limit: each upgraded, then its socket closed abruptly
                // Helidon tells the listener nothing when a socket just ends; the next sends to it fail (the
                // heartbeat's every 20 s, here the commits of hooks), and then its place is given back.
                long deadline = System.nanoTime() + 5_000_000_000L;
                String status = upgradeThenVanish(port, "");
                while (!status.equals("101") && System.nanoTime() < deadline) {
                    sidecar.post("/api/hooks", Hooks.prompt("ws-vanished", "commit " + i));
                    Thread.sleep(50);
                    status = upgradeThenVanish(port, "");
                }
                assertThat("upgrade " + i, status, is("101"));
            }
        }
    }

    /** The status of a WebSocket upgrade whose socket is then closed without a close frame. */
    private static String upgradeThenVanish(int port, String query) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /ws/events" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + UPGRADE
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).substring(9);
        }
    }

    @Test
    void connectionClose_closesTheSocketAfterTheAnswer() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            int port = sidecar.uri("/").getPort();
            RawHttp.Closing answer = RawHttp.exchangeThenWatch(port, "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                                     + "Connection: close\r\n\r\n");
            assertThat(answer.answer().status(), is(200));
            assertThat(answer.closed(), is(true));
            int admin = sidecar.adminUri("/").getPort();
            for (String path : List.of("/metrics", "/nothing-here")) { // the probes' socket: each closed frees a slot
                RawHttp.Closing probe = RawHttp.exchangeThenWatch(admin,
                        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(path, probe.answer().status(), is(path.equals("/metrics") ? 200 : 404));
                assertThat(path, probe.closed(), is(true));
            }
        }
    }

    private static RawHttp.Answer get(int port, String path, String host, String headers) {
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n");
    }
}
