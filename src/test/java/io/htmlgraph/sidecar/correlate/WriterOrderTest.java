package io.htmlgraph.sidecar.correlate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An htmlgraph import's batches share one transaction until any other job waits, and wait behind every other job: a
 * hook queued behind batches commits before them (a batch is about 50 ms of the writer). A batch that fails
 * rolls back the batches applied before it in its transaction, and a batch queued behind it is refused (it would
 * move the cursor past the lost rows).
 */
class WriterOrderTest {
    @Test
    void importBatchesQueuedTogether_commitInOneTransaction() throws Exception {
        try (Database database = Database.open(Files.createTempDirectory("order").resolve("order.db"));
             EventWriter writer = new EventWriter(database, Clock.systemUTC())) {
            List<String> commits = commitsOf(writer, () -> writer.importBatch(batch(1, "s-import")).join(),
                                             () -> writer.importBatch(batch(2, "s-import")).join(),
                                             () -> writer.importBatch(batch(3, "s-import")).join(), writer::endImport);

            assertThat(commits, contains("anywhere"));
            assertThat(stored(database), is(3L));
        }
    }

    @Test
    void aHookQueuedBehindImportBatches_commitsBeforeThem() throws Exception {
        try (Database database = Database.open(Files.createTempDirectory("order").resolve("order.db"));
             EventWriter writer = new EventWriter(database, Clock.systemUTC())) {
            List<String> commits = commitsOf(writer, () -> writer.importBatch(batch(1, "s-import")).join(),
                                             () -> writer.importBatch(batch(2, "s-import")).join(),
                                             () -> writer.write(List.of(prompt())), writer::endImport);

            assertThat(commits, contains("s-hook", "anywhere"));
            assertThat(stored(database), is(3L));
        }
    }

    @Test
    void aFailingImportBatch_rollsBackTheBatchesBeforeItInItsTransaction_andIsTold() throws Exception {
        try (Database database = Database.open(Files.createTempDirectory("order").resolve("order.db"));
             EventWriter writer = new EventWriter(database, Clock.systemUTC())) {
            CountDownLatch release = hold(writer);
            CompletableFuture<Void> first = queued(writer, 1, () -> writer.importBatch(batch(1, "s-import")).join());
            CompletableFuture<Void> failing = queued(writer, 2, () -> writer.importBatch(broken()).join());
            CompletableFuture<Void> behind = queued(writer, 3, () -> writer.importBatch(batch(3, "s-import")).join());
            CompletableFuture<Void> end = queued(writer, 4, writer::endImport);
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<Void> refused : List.of(failing, behind)) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                                                          () -> refused.get(30, TimeUnit.SECONDS));
                assertThat(failed.getCause(), instanceOf(StoreException.class));
            }
            end.get(30, TimeUnit.SECONDS);

            assertThat("the batch answered before the failure is rolled back, the one behind it refused",
                       stored(database), is(0L));
            writer.importBatch(batch(1, "s-import")).join(); // the importer reads again from its cursor
            writer.endImport();
            assertThat(stored(database), is(1L));
        }
    }

    @Test
    void anImportBeginningWhileAnotherProcessHoldsTheWriteLock_waitsItOut() throws Exception {
        Path file = Files.createTempDirectory("order").resolve("order.db");
        try (Database database = Database.open(file);
             EventWriter writer = new EventWriter(database, Clock.systemUTC());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            CompletableFuture<Void> applied = writer.importBatch(batch(1, "s-import"));
            Thread.sleep(6500); // past the 5 s busy timeout of one try
            lock.execute("ROLLBACK");
            applied.get(30, TimeUnit.SECONDS);
            writer.endImport();
            assertThat(stored(database), is(1L));
        }
    }

    /** Holds the writer thread until the latch is counted down. */
    private static CountDownLatch hold(EventWriter writer) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture.supplyAsync(() -> writer.alone(() -> {
            busy.countDown();
            return awaited(release);
        }));
        assertThat(busy.await(10, TimeUnit.SECONDS), is(true));
        return release;
    }

    /** Runs {@code job} on a thread of its own, and waits until the writer has {@code jobs} queued. */
    private static CompletableFuture<Void> queued(EventWriter writer, int jobs, Runnable job)
            throws InterruptedException {
        CompletableFuture<Void> future = CompletableFuture.runAsync(job);
        awaitQueued(writer, jobs);
        return future;
    }

    /**
     * Queues the jobs one after another behind a held writer, releases it, waits for them, and returns the commits
     * they made: the sessions each wrote to, or "anywhere".
     */
    private static List<String> commitsOf(EventWriter writer, Runnable... jobs) throws Exception {
        List<Commit> commits = new CopyOnWriteArrayList<>();
        writer.onCommit(commits::add);
        CountDownLatch release = hold(writer);
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (Runnable job : jobs) {
            queued.add(queued(writer, queued.size() + 1, job));
        }
        release.countDown();
        CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return commits.stream().map(c -> c.anywhere() ? "anywhere" : String.join(",", c.sessions())).toList();
    }

    private static long stored(Database database) {
        return database.client().execute().createQuery("SELECT count(*) AS n FROM agent_events").execute()
                .findFirst().map(r -> Rows.wholeOr0(r, "n")).orElseThrow();
    }

    private static IngestEvent prompt() {
        return new IngestEvent("hooks", Instant.parse("2026-11-30T10:00:00Z"), "s-hook", "UserPromptSubmit",
                HookKind.USER_PROMPT, "", null, null, null, null, null, null, "hi", null, null, null, false,
                IngestEvent.SessionFacts.NONE, "{}", "hash-hook", null, null);
    }

    /** The n-th row of an import: a prompt. */
    private static ImportBatch batch(int n, String session) {
        return batch(n, new ImportBatch.Event("hg-evt-" + n, ImportBatch.Role.TURN, session, "claude-code", "",
                "UserPromptSubmit", "tool_call", "UserQuery", null, null, null, "hello", null,
                "2026-11-30T09:00:0" + n + ".000Z", null, null, null, null));
    }

    /** A row that cannot be applied: a tool result without a time. */
    private static ImportBatch broken() {
        return batch(2, new ImportBatch.Event("hg-evt-2", ImportBatch.Role.TOOL_RESULT, "s-import", "claude-code", "",
                "PostToolUse", "tool_call", "Bash", null, "success", null, "ls", null, null, null, null, "f", null));
    }

    private static ImportBatch batch(int n, ImportBatch.Event event) {
        return new ImportBatch("/tmp/index.sqlite", "identity", "agent_events", n - 1, n, "evt-" + n, n, List.of(),
                               List.of(event), List.of(), List.of(), List.of());
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
