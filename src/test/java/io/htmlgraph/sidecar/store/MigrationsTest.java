package io.htmlgraph.sidecar.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MigrationsTest {
    @Test
    void newFile_getsTheSchema_recordedInSchemaVersion_inWalMode() throws Exception {
        Path db = Files.createTempDirectory("mig").resolve("sub/dir/new.db");
        Database.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            ResultSet version = s.executeQuery("SELECT max(version), count(*) FROM schema_version");
            assertThat(version.getInt(1), is(19));
            assertThat(version.getInt(2), is(19));
            assertThat("incremental vacuum set before the first table",
                       s.executeQuery("PRAGMA auto_vacuum").getInt(1), is(2));
            assertThat(s.executeQuery("PRAGMA journal_mode").getString(1), is("wal"));
            assertThat(s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'agent_events'").getInt(1),
                       is(1));
            assertThat("no insert trigger on agent_events: the writer counts new rows (and an insert needs no"
                       + " statement journal)", s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type ="
                       + " 'trigger' AND tbl_name = 'agent_events' AND sql LIKE '%AFTER INSERT%'").getInt(1), is(0));
        }
        Database.open(db).close(); // reopening applies nothing twice
    }

    /**
     * A store written before migration 16 (its time indexes end with {@code seq}, and its view has no row) upgrades in
     * place: the indexes are rebuilt on the time alone, and the events it held page by the new cursor as by offset.
     */
    @Test
    void storeOfVersion15_upgrades_andItsEventsPageByTheNewCursor() throws Exception {
        Path db;
        List<String> before;
        try (TestSidecar s = TestSidecar.start()) {
            db = s.db();
            for (int i = 0; i < 4; i++) {
                String session = "up-" + i;
                s.hooks(Hooks.prompt(session, "go"), Hooks.pre(session, "Bash", session, Hooks.bash("ls")).toString(),
                        Hooks.post(session, "Bash", session, Hooks.bash("ls"), 5, "ok").toString());
            }
            before = ids(s.get("/api/events?limit=100").json());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "DROP INDEX idx_agent_events_timestamp", "DROP INDEX idx_agent_events_session_ts",
                    "DROP INDEX idx_agent_events_agent_ts", "DROP VIEW event_answers",
                    "CREATE INDEX idx_agent_events_timestamp ON agent_events(timestamp DESC, seq DESC)",
                    "CREATE INDEX idx_agent_events_session_ts ON agent_events(session_id, timestamp DESC, seq DESC)",
                    "CREATE INDEX idx_agent_events_agent_ts ON agent_events(agent_id, timestamp DESC, seq DESC)",
                    "CREATE VIEW event_answers AS SELECT event_id, seq, timestamp FROM agent_events",
                    "DROP TRIGGER daily_totals_update", "DROP TRIGGER daily_totals_delete", "DROP TABLE daily_totals",
                    "DROP TRIGGER tool_call_requests_prune", "DROP TABLE tool_call_requests",
                    "DROP TABLE tool_totals",
                    "DELETE FROM schema_version WHERE version >= 16")) {
                s.execute(sql);
            }
        }
        try (TestSidecar s = TestSidecar.reopen(db)) {
            assertThat(s.value("SELECT sql FROM sqlite_master WHERE name = 'idx_agent_events_session_ts'"),
                       is("CREATE INDEX idx_agent_events_session_ts ON agent_events(session_id, timestamp)"));
            assertThat(s.value("SELECT max(version) FROM schema_version"), is(19));
            List<String> walked = new ArrayList<>();
            String cursor = "";
            for (int page = 0; page < 20 && walked.size() < before.size(); page++) {
                JsonNode events = s.get("/api/events?limit=3" + cursor).json();
                walked.addAll(ids(events));
                JsonNode last = events.get(events.size() - 1);
                cursor = "&cursor=" + last.get("timestamp").asText() + "," + last.get("event_id").asText();
            }
            assertThat(walked, is(before));
        }
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.get("event_id").asText()));
        return ids;
    }

    /** Migrations sort on disk; afterwards the writer keeps its statement journals in memory again. */
    @Test
    void afterMigrating_theWritersTempStoreIsMemoryAgain() throws Exception {
        Path db = Files.createTempDirectory("mig").resolve("temp.db");
        try (Database database = Database.open(db)) {
            assertThat(database.writerClient().execute().get("PRAGMA temp_store").orElseThrow().column("temp_store")
                    .get(Integer.class), is(2));
        }
    }

    @Test
    void schemaNewerThanTheCode_refusesToStart() throws Exception {
        Path db = Files.createTempDirectory("mig").resolve("future.db");
        Database.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00.000Z')");
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(db));
        assertThat(e.getMessage(), containsString("schema version 99 is newer than this sidecar supports (19)"));
    }

    @Test
    void someoneElsesDatabase_isRefused() throws Exception {
        Path db = Files.createTempDirectory("mig").resolve("htmlgraph.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE agent_events (event_id TEXT PRIMARY KEY)");
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(db));
        assertThat(e.getMessage(), containsString("tables that this sidecar did not create"));
    }

    @Test
    void version3_countsTheEventsAlreadyStored_andTriggersKeepCounting() throws Exception {
        Path db;
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.prompt("s1", "one"), Hooks.stop("s1", "done"), Hooks.prompt("s1", "two"));
            db = sidecar.db();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String undo : List.of("DROP TRIGGER daily_totals_update", "DROP TRIGGER daily_totals_delete",
                                       "DROP TABLE daily_totals", "DROP VIEW event_answers",
                                       "DROP TRIGGER session_summary_session_delete",
                                       "DROP TRIGGER session_summary_status",
                                       "DROP TRIGGER session_summary_spawner_usage",
                                       "DROP TRIGGER session_summary_event_delete", "DROP TABLE session_summary",
                                       "DROP TRIGGER delegation_edges_insert", "DROP TRIGGER delegation_edges_move",
                                       "DROP TRIGGER delegation_edges_delete", "DROP TABLE delegation_edges",
                                       "DROP TRIGGER activity_minutes_update",
                                       "DROP TRIGGER activity_minutes_delete", "DROP TRIGGER activity_minutes_move",
                                       "DROP TABLE activity_minutes", "DROP TRIGGER agent_minutes_move",
                                       "DROP TRIGGER agent_errors_update",
                                       "DROP TRIGGER agent_errors_delete", "DROP TABLE agent_errors",
                                       "DROP TRIGGER usage_totals_request_insert",
                                       "DROP TRIGGER usage_totals_request_update",
                                       "DROP TRIGGER usage_totals_request_delete",
                                       "DROP TRIGGER usage_totals_spawner_update",
                                       "DROP TRIGGER usage_totals_spawner_delete", "DROP TABLE usage_totals",
                                       "DROP TRIGGER agent_minutes_update",
                                       "DROP TRIGGER agent_minutes_delete", "DROP TABLE agent_minutes",
                                       "DROP TRIGGER agent_presence_insert", "DROP TRIGGER agent_presence_touch",
                                       "DROP TRIGGER agent_presence_rename", "DROP TRIGGER agent_presence_delete",
                                       "DROP TABLE agent_presence", "DROP TRIGGER store_totals_session_insert",
                                       "DROP TRIGGER store_totals_session_update",
                                       "DROP TRIGGER store_totals_session_delete", "DROP TABLE store_totals",
                                       "DROP TRIGGER IF EXISTS event_counts_insert", "DROP TRIGGER event_counts_delete",
                                       "DROP TABLE spawner_sessions",
                                       "DROP INDEX idx_agent_events_open_turns",
                                       "DROP INDEX idx_agent_events_turn_status", "DROP TABLE retention_state",
                                       "DROP TABLE daily_rollups", "DELETE FROM schema_version WHERE version = 7",
                                       "DROP TABLE tool_call_requests", "DROP TABLE tool_totals",
                                       "DROP VIEW usage_records",
                                       "DROP TABLE api_requests", "DROP TABLE tool_results",
                                       "DROP TABLE otel_metric_points", "DROP TABLE transcript_offsets",
                                       "ALTER TABLE agent_events DROP COLUMN cost_source",
                                       "ALTER TABLE agent_events DROP COLUMN api_errors",
                                       "ALTER TABLE agent_events DROP COLUMN finished_by",
                                       "ALTER TABLE sessions DROP COLUMN active_feature_id",
                                       "DELETE FROM schema_version WHERE version = 5",
                                       "DROP TABLE event_counts", "DROP INDEX idx_agent_events_usage",
                                       "DROP INDEX idx_session_agents_agent_session", "DROP TABLE import_cursors",
                                       "DELETE FROM schema_version WHERE version >= 3")) {
                s.execute(undo); // back to a version 2 file holding three events
            }
        }
        try (TestSidecar sidecar = TestSidecar.reopen(db)) { // migrates to versions 3 to 12
            sidecar.hooks(Hooks.prompt("s1", "three"));
            assertThat(sidecar.rows("SELECT event_type, events FROM event_counts ORDER BY event_type"),
                       is(sidecar.rows("SELECT event_type, count(*) AS events FROM agent_events GROUP BY event_type"
                                       + " ORDER BY event_type")));
            assertThat(sidecar.value("SELECT sum(events) FROM event_counts"), is(4));
            assertThat("migration 11 backfills the session summaries, the writer keeps them",
                       sidecar.rows("SELECT events, turns FROM session_summary"),
                       is(sidecar.rows("SELECT count(*) AS events, sum(tool_name IS 'UserQuery') AS turns"
                                       + " FROM agent_events")));
            assertThat("migration 9 backfills the totals row, the triggers keep it",
                       sidecar.rows("SELECT sessions, events FROM store_totals"),
                       is(sidecar.rows("SELECT count(*) AS sessions, sum(total_events) AS events FROM sessions")));
            assertThat(sidecar.rows("SELECT agent_id, sessions, last_at FROM agent_presence"),
                       is(sidecar.rows("SELECT agent_id, count(DISTINCT session_id) AS sessions, "
                                       + "max(last_event_at) AS last_at FROM session_agents GROUP BY agent_id")));
            assertThat("migration 17 backfills the daily totals, the writer and the triggers keep them",
                       sidecar.rows("SELECT day, events, tool_calls FROM daily_totals ORDER BY day"),
                       is(sidecar.rows("SELECT substr(timestamp, 1, 10) AS day, count(*) AS events, sum(coalesce("
                                       + "event_type IN ('tool_call', 'delegation') AND tool_name <> 'UserQuery', 0))"
                                       + " AS tool_calls FROM agent_events GROUP BY 1 ORDER BY 1")));
            assertThat("migration 10 backfills the events per minute, the triggers keep counting",
                       sidecar.rows("SELECT minute, events FROM activity_minutes ORDER BY minute"),
                       is(sidecar.rows("SELECT substr(timestamp, 1, 16) AS minute, count(*) AS events"
                                       + " FROM agent_events GROUP BY 1 ORDER BY 1")));
        }
    }
}
