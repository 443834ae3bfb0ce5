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
 * group commit (rolled back to its savepoint while the others of the same commit are stored).
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
            Future<?> first = pool.submit(() -> writer.write(List.of(prompt("s1"), pre("s1", "Read"))));
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
        assertThat(query("SELECT count(*) FROM agent_events"), is("[[3]]"));
        assertThat(query(COUNTED), is(query(ACTUAL)));
        writer.write(List.of(pre("s2", "Edit"))); // the next commit counts on from there
        assertThat(query(COUNTED), is(query(ACTUAL)));
    }

    private IngestEvent prompt(String session) {
        return event(session, "UserPromptSubmit", HookKind.USER_PROMPT, null, null);
    }

    private IngestEvent pre(String session, String tool) {
        return event(session, "PreToolUse", HookKind.PRE_TOOL, tool, "toolu-" + unique.incrementAndGet());
    }

    private IngestEvent event(String session, String name, HookKind kind, String tool, String useId) {
        long n = unique.incrementAndGet();
        return new IngestEvent("hooks", Instant.parse("2026-11-30T10:00:00Z").plusMillis(n), session, name, kind, "",
                null, tool, useId, null, null, null, "input " + n, null, null, null, false,
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
