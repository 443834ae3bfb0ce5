package io.htmlgraph.sidecar.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.helidon.webserver.WebServer;
import io.htmlgraph.sidecar.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Answers sent as one copied write (small) or as two writes of the caller's array (from
 * {@link ResponseBodies#UNCOPIED_FROM} on) arrive whole, with their length, one after another on one keep-alive
 * connection — also around the threshold and past Helidon's own response buffer.
 */
class ResponseBodiesTest {
    private static final int FROM = ResponseBodies.UNCOPIED_FROM;

    private WebServer server;

    @BeforeEach
    void start() {
        server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(r -> r.get("/body/{size}", (req, res) -> ResponseBodies.send(res,
                        body(Integer.parseInt(req.path().pathParameters().get("size"))))))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void bodiesOfEverySize_arriveWholeAndInOrder_onOneConnection() throws Exception {
        List<Integer> sizes = List.of(0, 1, FROM - 1, FROM, FROM + 1, 300_000, 5, 70_000);
        StringBuilder requests = new StringBuilder();
        for (int size : sizes) {
            requests.append("GET /body/").append(size).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int size : sizes) {
                RawHttp.Answer answer = RawHttp.read(in);
                assertThat(answer.status(), is(200));
                assertThat(answer.head(), containsString("Content-Length: " + size + "\r\n"));
                assertThat("the body of " + size + " bytes", answer.body(),
                           is(new String(body(size), StandardCharsets.ISO_8859_1)));
            }
        }
    }

    /** Letters, so that a byte out of place or missing shows. */
    private static byte[] body(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + (i * 7 + i / 26) % 26);
        }
        return body;
    }
}
