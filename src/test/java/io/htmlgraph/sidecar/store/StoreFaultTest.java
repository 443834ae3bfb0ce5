package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Store faults answer 503 with a code naming the cause and Retry-After, turn readiness DOWN while they last and UP
 * after, are counted as rejected ingests, and never acknowledge an event that is not stored.
 */
class StoreFaultTest {
    @Test
    void anotherProcessHoldingTheWriteLock_isWaitedOut_thenAnswered503StoreBusy_andReadinessFollows() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            try (Connection other = holdWriteLock(sidecar.db())) {
                CompletableFuture<TestSidecar.Response> post = CompletableFuture.supplyAsync(
                        () -> sidecar.post("/api/hooks", Hooks.prompt("s-busy", "short hold")));
                Thread.sleep(7000);
                release(other);
                TestSidecar.Response answer = post.get();
                assertThat(answer.toString(), answer.status(), is(200)); // held 7 s: retried, not refused
            }
            try (Connection other = holdWriteLock(sidecar.db())) {
                CompletableFuture<TestSidecar.Response> post = CompletableFuture.supplyAsync(
                        () -> sidecar.post("/api/hooks", Hooks.prompt("s-busy", "long hold")));
                awaitTrue(() -> ready(sidecar) == 503, 9000);
                TestSidecar.Response refused = post.get();
                assertThat(refused.status(), is(503));
                assertThat(refused.json().get("error").asText(), is("store_busy"));
                assertThat(refused.headers().get("retry-after"), contains("5"));
                release(other);
            }
            awaitTrue(() -> ready(sidecar) == 200, 5000);
            assertThat(sidecar.post("/api/hooks", Hooks.prompt("s-busy", "after")).status(), is(200));
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE session_id = 's-busy'"), is(2));
            assertThat(sidecar.scrape(), containsString(
                    "htmlgraph_ingest_rejected_total{reason=\"store_busy\",source=\"hooks\"} 1.0"));
        }
    }

    @Test
    void theDatabaseFileDeletedUnderneath_isDetectedWithinSeconds_andWritesAreRefused() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            assertThat(sidecar.post("/api/hooks", Hooks.prompt("s-gone", "before")).status(), is(200));
            Files.delete(sidecar.db());
            awaitTrue(() -> ready(sidecar) == 503, 5000);
            TestSidecar.Response refused = sidecar.post("/api/hooks", Hooks.prompt("s-gone", "after"));
            assertThat(refused.status(), is(503));
            assertThat(refused.json().get("error").asText(), is("store_unavailable"));
            assertThat(sidecar.get("/api/events").status(), is(200));
        }
    }

    @Test
    void aFullDisk_answers503StoreFull_readinessDown_andUpAgainOnceSpaceIsFree() throws Exception {
        Path mount = Files.createTempDirectory("tiny-disk");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString()),
                   "needs root to mount a small tmpfs");
        // min-free-disk off: the 3 MB file system is below its threshold even when it has room
        try (TestSidecar sidecar = TestSidecar.start(Map.of("db", mount.resolve("full.db").toString(),
                                                            "min-free-disk", "0"))) {
            assertThat(sidecar.post("/api/hooks", Hooks.prompt("s-full", "before")).status(), is(200));
            Path filler = mount.resolve("filler");
            fill(filler);
            // writes go on while they fit into free pages and the WAL's own space (reused once the checkpointer
            // copied it): up to 200 distinct prompts (a repeated one is a redelivery, which stores nothing), each
            // kept as 16 KB of text and more of payload, over the 3 MB file system
            int refused = 0;
            for (int i = 0; i < 200 && refused == 0; i++) {
                TestSidecar.Response answer = sidecar.post("/api/hooks",
                                                           Hooks.prompt("s-full", i + " " + "x".repeat(30_000)));
                if (answer.status() == 503) {
                    assertThat(answer.json().get("error").asText(), is("store_full"));
                    refused++;
                } else {
                    assertThat(answer.toString(), answer.status(), is(200));
                }
            }
            assertThat(refused, is(1));
            assertThat(ready(sidecar), is(503));
            Files.delete(filler);
            awaitTrue(() -> ready(sidecar) == 200, 5000);
            assertThat(sidecar.post("/api/hooks", Hooks.prompt("s-full", "after")).status(), is(200));
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static Connection holdWriteLock(Path db) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        }
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        return c;
    }

    private static void release(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        }
    }

    private static int ready(TestSidecar sidecar) {
        return sidecar.send(HttpRequest.newBuilder(sidecar.adminUri("/health/ready")).build()).status();
    }

    private static void awaitTrue(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + millis + " ms");
            }
            Thread.sleep(100);
        }
    }

    private static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full now
        }
    }

    private static boolean run(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
