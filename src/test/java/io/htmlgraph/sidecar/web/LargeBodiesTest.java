package io.htmlgraph.sidecar.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.htmlgraph.sidecar.domain.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Large bodies take heap in turn: with room for one, a second large body waits until the first is done (never two
 * in the handler at once), a small body passes meanwhile, and one that waits too long gets 503 with Retry-After;
 * bodies over 64 KiB that fit the budget many times over are still taken two at a time.
 */
class LargeBodiesTest {
    private static final int LARGE = 1_500_000;

    private final List<ErrorCode> refused = new CopyOnWriteArrayList<>();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);
    private WebServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        LargeBodies bodies = new LargeBodies(2_000_000, 2_000_000, Duration.ofMillis(1500),
                                             new Json(new ObjectMapper()),
                                             (req, reason, started) -> refused.add(reason));
        server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(r -> r.addFilter(bodies).post("/in", (req, res) -> {
                    byte[] body = req.content().as(byte[].class);
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } finally {
                        inside.decrementAndGet();
                    }
                    res.send(String.valueOf(body.length));
                })).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void largeBodiesTakeTurns_smallOnesPass() throws Exception {
        release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> first = post(LARGE);
        CompletableFuture<HttpResponse<String>> second = post(LARGE);
        Thread.sleep(300);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode(), is(200));
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode(), is(200));
        assertThat("never two large bodies in the handler at once", mostInside.get(), is(1));
        assertThat(post(1000).get(5, TimeUnit.SECONDS).body(), is("1000"));
        assertThat(refused, is(List.of()));
    }

    @Test
    void batchesWellWithinTheBudget_areTakenTwoAtATime() throws Exception {
        release = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> batches = List.of(post(100_000), post(100_000), post(100_000));
        Thread.sleep(500);
        assertThat("two in the handler, the third waiting", inside.get(), is(2));
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> batch : batches) {
            assertThat(batch.get(10, TimeUnit.SECONDS).body(), is("100000"));
        }
        assertThat(mostInside.get(), is(2));
        assertThat(post(60_000).get(5, TimeUnit.SECONDS).body(), is("60000"));
        assertThat(refused, is(List.of()));
    }

    @Test
    void aLargeBodyThatWaitsTooLong_gets503WithRetryAfter() throws Exception {
        release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> first = post(LARGE);
        Thread.sleep(300);
        CompletableFuture<HttpResponse<String>> small = post(1000);
        HttpResponse<String> busy = post(LARGE).get(10, TimeUnit.SECONDS);
        assertThat(busy.statusCode(), is(503));
        assertThat(busy.headers().firstValue("Retry-After").orElse(""), is("1"));
        assertThat(busy.body(), containsString("\"error\":\"server_busy\""));
        assertThat("counted as a refusal", this.refused, is(List.of(ErrorCode.SERVER_BUSY)));
        assertThat("a small body is not held up by large ones", mostInside.get(), is(2));
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode(), is(200));
        assertThat(small.get(10, TimeUnit.SECONDS).statusCode(), is(200));
    }

    private CompletableFuture<HttpResponse<String>> post(int bytes) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/in"))
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes])).build(),
                                HttpResponse.BodyHandlers.ofString());
    }
}
