package io.htmlgraph.sidecar.correlate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.htmlgraph.sidecar.SummaryRecounts;
import io.htmlgraph.sidecar.domain.FeatureChange;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.Ingested;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code event_counts} is kept by the writer (one upsert per agent and type per commit), not by a trigger: it must
 * equal what {@code agent_events} holds after batches, concurrent single requests, and a request that fails inside a
 * group commit (the transaction is rolled back and applied again without the failing request: the others are
 * stored), and so must the other summaries of new rows (store/NewRowCounts) and the sessions' counts.
 */
class EventCountsTest {
    private static final String COUNTED = "SELECT agent_id, event_type, events, last_at FROM event_counts"
            + " WHERE events > 0 ORDER BY 1, 2";
    private static final String ACTUAL = "SELECT agent_id, event_type, count(*) AS events, max(timestamp) AS last_at"
            + " FROM agent_events GROUP BY 1, 2 ORDER BY 1, 2";
    private final AtomicLong unique = new AtomicLong();
    private Path file;
    private Database database;
    private EventWriter writer;

    @BeforeEach
    void open() throws Exception {
        file = Files.createTempDirectory("counts").resolve("counts.db");
        database = Database.open(file);
        writer = new EventWriter(database, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        writer.close();
        database.close();
    }

    @Test
    void eventCounts_equalTheStoredRows_afterABatchAndConcurrentSingleRequests() throws Exception {
        List<Ingested> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(i % 3 == 0 ? prompt("batch-" + i / 30) : pre("batch-" + i / 30, "Read"));
        }
        writer.write(batch);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                IngestEvent event = i % 2 == 0 ? prompt("single-" + i % 16) : pre("single-" + i % 16, "Bash");
                sent.add(pool.submit(() -> writer.write(List.of(event))));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(query("SELECT count(*) FROM agent_events"), is("[[500]]"));
        assertThat(query(COUNTED), is(query(ACTUAL)));
        assertThat(mismatches(), is(List.of()));
    }

    @Test
    void callsStartedAndFinishedInOneCommit_areCountedFinished_byTheWritersCountsAndTheUpdateTriggers()
            throws Exception {
        List<Ingested> batch = new ArrayList<>(List.of(prompt("pair")));
        for (int i = 0; i < 4; i++) {
            IngestEvent start = pre("pair", "Bash");
            batch.add(start);
            // a permission request between start and end: the call is inserted, then finished (not stored at once)
            batch.add(event("pair", "PermissionRequest", HookKind.PERMISSION_REQUEST, "Bash", null));
            batch.add(event("pair", i % 2 == 0 ? "PostToolUse" : "PostToolUseFailure",
                            i % 2 == 0 ? HookKind.POST_TOOL : HookKind.POST_TOOL_FAILURE, "Bash", start.toolUseId(),
                            300L * (i + 1)));
        }
        writer.write(batch); // one request, one transaction: each row is inserted, then finished
        assertThat(query("SELECT count(*) FROM agent_events WHERE status IN ('success', 'error')"), is("[[4]]"));
        assertThat(mismatches(), is(List.of()));
        assertThat("2 failures; 0.3 s (0.1–0.5 s), 0.6 and 0.9 s (0.5–1 s), 1.2 s (1–5 s)",
                   query("SELECT errors, calls, b1, b2, b3 FROM activity_minutes WHERE calls > 0"),
                   is("[[2, 4, 1, 2, 1]]"));
    }

    @Test
    void aRequestFailingInAGroupCommit_leavesNoRowsAndNoCounts_whileTheOthersAreCounted() throws Exception {
        writer.write(List.of(feature("feat-1")));
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<Object> hold = pool.submit(() -> writer.maintenance(m -> {
                writerBusy.countDown();
                await(release);
                return null;
            }));
            assertThat(writerBusy.await(10, TimeUnit.SECONDS), is(true));
            Future<?> first = pool.submit(() -> writer.write(List.of(prompt("s1"), pre("s1", "Read"),
                    finished("s1", HookKind.POST_TOOL_FAILURE, 700), finished("s1", HookKind.POST_TOOL, 40))));
            Future<?> failing = pool.submit(() -> writer.write(List.of(prompt("s2"), pre("s2", "Edit"),
                                                                       feature("feat-1")))); // exists: fails
            Future<?> third = pool.submit(() -> writer.write(List.of(pre("s3", "Read"))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.health().queued() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat("all three wait for one group commit", writer.health().queued(), is(3));
            release.countDown();
            hold.get(10, TimeUnit.SECONDS);
            first.get(10, TimeUnit.SECONDS);
            third.get(10, TimeUnit.SECONDS);
            Exception refused = assertThrows(Exception.class, () -> failing.get(10, TimeUnit.SECONDS));
            assertThat(refused.getCause().getMessage(), containsString("events not stored"));
        } finally {
            release.countDown();
            pool.shutdown();
        }
        assertThat(query("SELECT count(*) FROM agent_events WHERE session_id = 's2'"), is("[[0]]"));
        assertThat(query("SELECT count(*) FROM agent_events"), is("[[5]]"));
        assertThat(query(COUNTED), is(query(ACTUAL)));
        assertThat("every summary of the stored rows, none of the refused ones", mismatches(), is(List.of()));
        assertThat("the calls finished without a start: one failed in 0.7 s, one succeeded in 40 ms",
                   query("SELECT sum(errors), sum(b0), sum(b2) FROM activity_minutes"), is("[[1, 1, 1]]"));
        writer.write(List.of(pre("s2", "Edit"))); // the next commit counts on from there
        assertThat(query(COUNTED), is(query(ACTUAL)));
        assertThat(mismatches(), is(List.of()));
    }

    /** The summaries that differ from a recount of the rows: the writer's and the sessions' event counts. */
    private List<String> mismatches() throws Exception {
        List<String> differ = new ArrayList<>(SummaryRecounts.mismatches(sql -> {
            try {
                return List.of(query(sql));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        String sessions = query("SELECT session_id, total_events FROM sessions WHERE total_events > 0 ORDER BY 1");
        String recounted = query("SELECT session_id, count(*) FROM agent_events GROUP BY 1 ORDER BY 1");
        if (!sessions.equals(recounted)) {
            differ.add("sessions: " + sessions + ", recounted " + recounted);
        }
        return differ;
    }

    private IngestEvent prompt(String session) {
        return event(session, "UserPromptSubmit", HookKind.USER_PROMPT, null, null);
    }

    private IngestEvent pre(String session, String tool) {
        return event(session, "PreToolUse", HookKind.PRE_TOOL, tool, "toolu-" + unique.incrementAndGet());
    }

    /** A tool call's end whose start never came: stored finished, with its duration. */
    private IngestEvent finished(String session, HookKind kind, long durationMs) {
        return event(session, kind == HookKind.POST_TOOL ? "PostToolUse" : "PostToolUseFailure", kind, "Bash",
                     "toolu-" + unique.incrementAndGet(), durationMs);
    }

    private IngestEvent event(String session, String name, HookKind kind, String tool, String useId) {
        return event(session, name, kind, tool, useId, null);
    }

    private IngestEvent event(String session, String name, HookKind kind, String tool, String useId, Long ms) {
        long n = unique.incrementAndGet();
        return new IngestEvent("hooks", Instant.parse("2026-11-30T10:00:00Z").plusMillis(n), session, name, kind, "",
                null, tool, useId, null, null, null, "input " + n, null, ms, null, false,
                IngestEvent.SessionFacts.NONE, "{\"n\":" + n + "}", "hash-" + n, null, null);
    }

    private static FeatureChange feature(String id) {
        return new FeatureChange(Instant.now(), id, true, "A feature", "feature", null, "todo", "medium", null);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
            return rows.toString();
        }
    }
}
