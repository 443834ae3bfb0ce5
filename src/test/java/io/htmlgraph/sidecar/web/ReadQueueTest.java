package io.htmlgraph.sidecar.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.store.ReadPool;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.prompt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Uncached reads beyond the read queue are refused at once with 503, not left to wait. */
class ReadQueueTest {
    @Test
    void readBeyondAFullQueue_gets503StoreBusyWithRetryAfter_andIsServedOnceTheQueueDrains() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-threads", "1", "read-queue", "1",
                                                             "query-cache-entries", "512"));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            sidecar.hooks(prompt("s-queue", "hello"));
            CountDownLatch release = sidecar.fillReadPool(callers);
            ReadPool pool = sidecar.readPool();

            TestSidecar.Response refused = sidecar.get("/api/events?limit=5");
            assertThat(refused.status(), is(503));
            assertThat(refused.json().get("error").asText(), is("store_busy"));
            assertThat(refused.json().get("detail").asText(), containsString("reads are waiting"));
            assertThat(refused.headers().get("retry-after"), is(List.of("1")));
            assertThat(sidecar.scrapeAsIs(), allOf(containsString("\nhtmlgraph_reads_refused_total 1.0\n"),
                                                   containsString("\nhtmlgraph_reads_waiting 1.0\n")));
            TestSidecar.Response export = sidecar.get("/api/export?format=json&session_id=s-queue");
            assertThat("an export reads its first page before it writes anything", export.status(), is(503));
            assertThat(export.json().get("error").asText(), is("store_busy"));
            TestSidecar.Response unknown = sidecar.get("/api/export?session_id=s-nobody");
            assertThat("even its check that the session exists waits its turn", unknown.status(), is(503));

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pool.waiting() > 0 && System.nanoTime() < deadline) { // the queued read starts: a place is free
                Thread.sleep(1);
            }
            TestSidecar.Response served = sidecar.get("/api/events?limit=5");
            assertThat(served.status(), is(200));
            assertThat(served.json().get(0).get("session_id").asText(), is("s-queue"));
        }
    }
}
