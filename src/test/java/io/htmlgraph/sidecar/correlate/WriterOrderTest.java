package io.htmlgraph.sidecar.correlate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.store.Database;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * A hook queued ahead of an htmlgraph import batch commits without it: it waits for the batch being written, never
 * for one queued behind it (a batch is about 0.2 s of the writer).
 */
class WriterOrderTest {
    @Test
    void aHookQueuedBeforeAnImportBatch_commitsWithoutIt() throws Exception {
        Path file = Files.createTempDirectory("order").resolve("order.db");
        try (Database database = Database.open(file);
             EventWriter writer = new EventWriter(database, Clock.systemUTC())) {
            List<Commit> commits = new CopyOnWriteArrayList<>();
            writer.onCommit(commits::add);
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> held = CompletableFuture.supplyAsync(() -> writer.alone(() -> {
                busy.countDown();
                return awaited(release);
            }));
            assertThat(busy.await(10, TimeUnit.SECONDS), is(true));
            CompletableFuture<Void> hook = CompletableFuture.runAsync(() -> writer.write(List.of(prompt())));
            awaitQueued(writer, 1);
            CompletableFuture<Void> imported = CompletableFuture.runAsync(() -> writer.write(List.of(batch())));
            awaitQueued(writer, 2);
            release.countDown();
            CompletableFuture.allOf(held, hook, imported).get(30, TimeUnit.SECONDS);

            assertThat(commits.stream().map(c -> c.anywhere() ? "anywhere" : String.join(",", c.sessions()))
                               .toList(), contains("s-hook", "anywhere"));
        }
    }

    private static IngestEvent prompt() {
        return new IngestEvent("hooks", Instant.parse("2026-11-30T10:00:00Z"), "s-hook", "UserPromptSubmit",
                HookKind.USER_PROMPT, "", null, null, null, null, null, null, "hi", null, null, null, false,
                IngestEvent.SessionFacts.NONE, "{}", "hash-hook", null, null);
    }

    private static ImportBatch batch() {
        ImportBatch.Event turn = new ImportBatch.Event("hg-evt-1", ImportBatch.Role.TURN, "s-import", "claude-code",
                "", "UserPromptSubmit", "tool_call", "UserQuery", null, null, null, "hello", null,
                "2026-11-30T09:00:00.000Z", null, null, null, null);
        return new ImportBatch("/tmp/index.sqlite", "identity", "agent_events", 1, "evt-1", 1, List.of(),
                               List.of(turn), List.of(), List.of(), List.of());
    }

    private static void awaitQueued(EventWriter writer, int jobs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.health().queued() < jobs && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(writer.health().queued(), is(jobs));
    }

    private static Object awaited(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
