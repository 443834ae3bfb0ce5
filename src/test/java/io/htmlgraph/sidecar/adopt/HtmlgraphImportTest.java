package io.htmlgraph.sidecar.adopt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.config.SidecarConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.CANONICAL;
import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.INDEX;
import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.copy;
import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.sha256;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * One-shot import of copies of the two real htmlgraph 0.26.1 files ({@code import PATH}): what arrives, how its
 * defects are cleaned, that the source files are left byte for byte as they were, and that importing again adds
 * nothing.
 */
class HtmlgraphImportTest {
    private static final List<String> READ_ROUTES = List.of("/api/events?limit=1000", "/api/initial-stats",
            "/api/sessions", "/api/sessions/{session}", "/api/sessions/{session}/events",
            "/api/events-grouped-by-prompt?limit=200", "/api/events-grouped-by-prompt?session_id={session}",
            "/api/event-traces", "/api/complete-activity-feed?limit=1000", "/api/orchestration",
            "/api/orchestration/delegations", "/api/spawner-activities", "/api/spawner-statistics",
            "/api/attention", "/api/query-metrics", "/api/features", "/api/export?session_id={session}&format=json");
    private static final List<String> VIEW_ROUTES = List.of("/", "/views/activity-feed", "/views/sessions",
            "/views/agents", "/views/orchestration", "/views/features", "/views/spawners", "/views/metrics",
            "/views/attention", "/views/counters", "/views/turns/{turn}", "/views/sessions/{session}");

    /** htmlgraph's id in ours ({@code hg-<12 hex digits of time>-<htmlgraph's id>}). */
    private static final String SOURCE_ID = "substr(event_id, 17)";

    @TempDir
    Path dir;
    private Path store;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void fixtures() {
        HtmlgraphFixtures.assumePresent();
        store = dir.resolve("store").resolve("test.db");
    }

    @Test
    void importOfBothFiles_copiesSessionsTurnsCallsFeatures_andLeavesTheFilesUnchanged() throws Exception {
        Path index = copy(INDEX, dir);
        Path canonical = copy(CANONICAL, dir);
        String indexSum = sha256(index);
        String canonicalSum = sha256(canonical);
        assertThat(importFile(index), is(0));
        assertThat(importFile(canonical), is(0));
        assertThat(out.toString(), containsString("4,349 rows read"));
        assertThat(sha256(index), is(indexSum));
        assertThat(sha256(canonical), is(canonicalSum));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            // Every session id either file names, in its sessions table (both shapes), events or delegations.
            assertThat(sidecar.get("/api/sessions?limit=1").json().path("total").asInt(),
                       is(sessionIds(index, canonical)));
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE tool_name = 'UserQuery'"), is(73 + 4));
            // 3,683 tool rows: the PreToolUse and PostToolUse rows of one Task call, and 11 results stored twice.
            assertThat(sidecar.value("SELECT count(*) FROM agent_events"
                    + " WHERE event_type IN ('tool_call', 'delegation') AND coalesce(tool_name, '') <> 'UserQuery'"),
                    is(3683 - 12));
            assertThat(sidecar.get("/api/features?limit=500").json().size(), is(134));
            assertThat(sidecar.value("SELECT count(*) FROM agent_collaboration"), is(130));
            // /metrics counts them like any other: sessions (idle: their last event is from January) and features.
            String metrics = sidecar.scrape();
            assertThat(metrics, containsString("htmlgraph_sessions{status=\"idle\"} " + sessionIds(index, canonical)
                                               + ".0"));
            assertThat(metrics, containsString("htmlgraph_features{status=\"todo\"} "
                    + sidecar.value("SELECT count(*) FROM features WHERE status = 'todo'") + ".0"));
        }
    }

    @Test
    void importedRows_haveOurStatusesTimesAndParents_notHtmlgraphsDefects() throws Exception {
        assertThat(importFile(copy(INDEX, dir)), is(0));
        assertThat(importFile(copy(CANONICAL, dir)), is(0));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            assertThat("no parent points at nothing", sidecar.value("SELECT count(*) FROM agent_events WHERE"
                    + " parent_event_id IS NOT NULL AND parent_event_id NOT IN (SELECT event_id FROM agent_events)"),
                    is(0));
            // 1,611 of htmlgraph's links point at nothing: re-linked to their turn, so more rows have a parent.
            assertThat((Integer) sidecar.value(
                    "SELECT count(*) FROM agent_events WHERE parent_event_id IS NOT NULL"), greaterThan(348));
            assertThat(sidecar.rows("SELECT DISTINCT status FROM agent_events ORDER BY status").stream()
                               .map(r -> r.get("status")).toList(),
                       is(List.of("completed", "recorded", "started", "success")));
            String iso = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
                         + ".[0-9][0-9][0-9]Z'";
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE timestamp NOT GLOB " + iso
                                     + " OR coalesce(ended_at, timestamp) NOT GLOB " + iso), is(0));
            assertThat(field(sidecar, "evt-703e699d", "timestamp"), is("2026-01-08T16:40:54.363Z"));
            // Our id: the time (hex epoch milliseconds of 2026-01-08T16:40:54.363Z) before htmlgraph's.
            assertThat(field(sidecar, "evt-703e699d", "event_id"), is("hg-019b9e7b875b-evt-703e699d"));
            // A link to a row that exists (a Read under its prompt) points at that row's id.
            assertThat(field(sidecar, "evt-a2040414", "parent_event_id"),
                       is(field(sidecar, "evt-97e8b554", "event_id")));
            // PreToolUse (status started) and PostToolUse rows of one Task call: one successful call.
            assertThat(field(sidecar, "evt-691377be", "status"), is("success"));
            assertThat(field(sidecar, "evt-691377be", "subagent_type"), is("haiku"));
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE event_id LIKE '%-evt-186225db'"), is(0));
            // The delegation target htmlgraph left empty, from the stored input "Task (general-purpose): …".
            assertThat(field(sidecar, "evt-8662d50d", "subagent_type"), is("general-purpose"));
            // A Stop closes the turn before it: duration is Stop − prompt (2 s), never now − start.
            assertThat(field(sidecar, "evt-dbf5f0f3", "status"), is("completed"));
            assertThat(field(sidecar, "evt-dbf5f0f3", "execution_duration_seconds"), is("2.0"));
            // Hybrid sessions keep their own start; canonical ones their created_at.
            assertThat(sidecar.get("/api/sessions/sess-fd50862f").json().toString(),
                       containsString("2025-12-25T05:34:10.091Z"));
            assertThat(sidecar.get("/api/sessions/sess-703b29b4").json().toString(),
                       containsString("2026-01-10T20:59:32.789Z"));
            String session = "sess-fd50862f";
            for (String route : READ_ROUTES) {
                TestSidecar.Response answer = sidecar.get(route.replace("{session}", session));
                assertThat(route + ": " + answer.body(), answer.status(), is(200));
                answer.json();
            }
            String turn = field(sidecar, "evt-dbf5f0f3", "event_id");
            for (String route : VIEW_ROUTES) {
                TestSidecar.Response answer = sidecar.get(route.replace("{session}", session).replace("{turn}", turn));
                assertThat(route + ": " + answer.body(), answer.status(), is(200));
                assertThat(route, answer.body(), containsString("<"));
            }
        }
    }

    @Test
    void aToolCallsStartAndTwoResults_becomeOneCallWithItsRealStatusAndDuration() throws Exception {
        Path canonical = copy(CANONICAL, dir);
        String s = "sess-703b29b4";
        String ok = "{\"is_error\": false}";
        String failed = "{\"is_error\": true}";
        HtmlgraphFixtures.write(canonical,
                row("evt-pre", s, "Bash", "{\"command\": \"mvn test\", \"timeout\": 60}", "2026-01-11 09:00:00",
                    "started", ok),
                row("evt-post-1", s, "Bash", "{\"timeout\": 60, \"command\": \"mvn test\"}", "2026-01-11 09:00:42",
                    "recorded", failed),
                row("evt-post-2", s, "Bash", "{\"timeout\": 60, \"command\": \"mvn test\"}", "2026-01-11 09:00:42",
                    "recorded", failed),
                row("evt-askew", s, "Read", "Read: /app/pom.xml", "2026-01-11 09:01:00", "0.0", ok));
        assertThat(importFile(canonical), is(0));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            // One Bash call (its start and the two identical failed results), 42 s; the row with status "0.0".
            assertThat(sidecar.rows("SELECT " + SOURCE_ID + " || ' ' || status || ' '"
                                    + " || coalesce(execution_duration_seconds, '-') AS call FROM agent_events"
                                    + " WHERE tool_name IN ('Bash', 'Read')"
                                    + " ORDER BY timestamp").stream().map(r -> r.get("call")).toList(),
                       is(List.of("evt-pre error 42.0", "evt-askew success -")));
        }
    }

    @Test
    void aResultInALaterPass_completesTheCallStoredBefore_andAStartOlderThanACall_staysApart() throws Exception {
        Path canonical = copy(CANONICAL, dir);
        String s = "sess-703b29b4";
        String ok = "{\"is_error\": false}";
        HtmlgraphFixtures.write(canonical,
                row("evt-old", s, "Grep", "{\"pattern\": \"TODO\"}", "2026-01-11 06:00:00", "started", ok),
                row("evt-pre", s, "Bash", "{\"command\": \"ls\"}", "2026-01-11 09:00:00", "started", ok));
        assertThat(importFile(canonical), is(0));
        // The next pass (as htmlgraph's hooks add rows): the results find their starts among the stored rows.
        HtmlgraphFixtures.write(canonical,
                row("evt-post-1", s, "Bash", "{\"command\": \"ls\"}", "2026-01-11 09:00:05", "recorded", ok),
                row("evt-post-2", s, "Bash", "{\"command\": \"ls\"}", "2026-01-11 09:00:06", "recorded", ok),
                row("evt-old-post", s, "Grep", "{\"pattern\": \"TODO\"}", "2026-01-11 09:00:07", "recorded", ok));
        assertThat(importFile(canonical), is(0));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            // Bash: one call of 5 s (its second result dropped); Grep's start was 3 h before its result (longer
            // than any call): two rows.
            assertThat(sidecar.rows("SELECT " + SOURCE_ID + " || ' ' || status || ' '"
                                    + " || coalesce(execution_duration_seconds, '-') AS call FROM agent_events"
                                    + " WHERE tool_name IN ('Bash', 'Grep')"
                                    + " ORDER BY timestamp, event_id").stream().map(r -> r.get("call")).toList(),
                       is(List.of("evt-old started -", "evt-pre success 5.0", "evt-old-post success -")));
        }
    }

    @Test
    void aParentStoredInAnEarlierPass_isLinkedByItsId_whichTheFileGivesItsTimeFor() throws Exception {
        Path canonical = copy(CANONICAL, dir);
        String s = "sess-703b29b4";
        HtmlgraphFixtures.write(canonical, HtmlgraphFixtures.event("evt-task", s, "Task",
                "Task (Explore): find the tests", "2026-01-11 09:00:00", null));
        assertThat(importFile(canonical), is(0));
        // The next pass remembers no row of the one before: the parent's time comes from the file, by its id.
        HtmlgraphFixtures.write(canonical, HtmlgraphFixtures.event("evt-read", s, "Read", "Read: /app/pom.xml",
                "2026-01-11 09:00:05", "evt-task"));
        assertThat(importFile(canonical), is(0));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            assertThat(field(sidecar, "evt-task", "event_id"), is("hg-019bac48a280-evt-task"));
            assertThat(field(sidecar, "evt-read", "parent_event_id"), is("hg-019bac48a280-evt-task"));
        }
    }

    @Test
    void aRepeatedResultInALaterPass_ofACallLongerThanTheWindow_isDroppedAsTheSameResult() throws Exception {
        Path canonical = copy(CANONICAL, dir);
        String s = "sess-703b29b4";
        String ok = "{\"is_error\": false}";
        // A 3 h call (htmlgraph measured it): stored as beginning 3 h before its result, before the 2 h window in
        // which a later result looks for its call; its repeated result, a second later, is still the same one.
        HtmlgraphFixtures.write(canonical, row("evt-long-1", s, "Bash", "{\"command\": \"make\"}",
                                               "2026-01-11 12:00:00", "recorded", ok),
                "UPDATE agent_events SET execution_duration_seconds = 10800 WHERE event_id = 'evt-long-1'");
        assertThat(importFile(canonical), is(0));
        HtmlgraphFixtures.write(canonical, row("evt-long-2", s, "Bash", "{\"command\": \"make\"}",
                                               "2026-01-11 12:00:01", "recorded", ok),
                "UPDATE agent_events SET execution_duration_seconds = 10800 WHERE event_id = 'evt-long-2'");
        assertThat(importFile(canonical), is(0));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            assertThat(sidecar.rows("SELECT " + SOURCE_ID + " || ' ' || timestamp || ' '"
                                    + " || execution_duration_seconds AS call"
                                    + " FROM agent_events WHERE tool_name = 'Bash' AND session_id = '" + s + "'"
                                    + " AND input_summary LIKE '%make%'").stream().map(r -> r.get("call")).toList(),
                       is(List.of("evt-long-1 2026-01-11T09:00:00.000Z 10800.0")));
        }
    }

    private static String row(String id, String session, String tool, String input, String at, String status,
                              String context) {
        return "INSERT INTO agent_events (event_id, agent_id, event_type, timestamp, tool_name, input_summary, context,"
               + " session_id, status) VALUES ('" + id + "', 'claude-code', 'tool_call', '" + at + "', '" + tool
               + "', '" + input + "', '" + context + "', '" + session + "', '" + status + "')";
    }

    @Test
    void importingAgain_orAfterLosingTheCursors_addsNothing() throws Exception {
        Path index = copy(INDEX, dir);
        assertThat(importFile(index), is(0));
        Map<String, Object> first = counts();
        assertThat(importFile(index), is(0));
        assertThat(out.toString(), containsString("nothing new since the last import"));
        assertThat(counts(), is(first));
        // As if stopped mid-import (the cursor at the 1,000th row), but with the rows after it already stored.
        String[] at1000 = rowAt(index, 1000);
        execute("UPDATE import_cursors SET last_rowid = " + at1000[0] + ", last_key = '" + at1000[1] + "',"
                + " rows_read = 1000 WHERE source_table = 'agent_events'");
        assertThat(importFile(index), is(0));
        assertThat(out.toString(), containsString("3,076 rows read"));
        assertThat(counts(), is(first));
        // The same, the rows after the cursor missing (lost with the transaction the crash rolled back).
        execute("UPDATE import_cursors SET last_rowid = " + at1000[0] + ", last_key = '" + at1000[1] + "',"
                + " rows_read = 1000 WHERE source_table = 'agent_events'");
        execute("DELETE FROM agent_events WHERE " + SOURCE_ID + " IN ('evt-cb5beeb1', 'evt-068bfacb')");
        execute("UPDATE sessions SET total_events = total_events - 2 WHERE session_id = 'sess-fd50862f'");
        assertThat(importFile(index), is(0));
        assertThat("the lost rows are back, nothing twice", counts(), is(first));
        execute("DELETE FROM import_cursors");
        assertThat(importFile(index), is(0));
        assertThat(counts(), is(first));
    }

    @Test
    void aFileThatIsNotAnHtmlgraphDatabase_isRefusedWithAClearMessage() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        Path otherSqlite = dir.resolve("other.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + otherSqlite);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE things (id TEXT)");
        }
        String otherSum = sha256(otherSqlite);
        assertThat(importFile(text), is(2));
        assertThat(out.toString(), containsString("notes.txt is not an htmlgraph database: not a SQLite file"));
        assertThat(importFile(otherSqlite), is(2));
        assertThat(out.toString(), containsString("other.sqlite is not an htmlgraph database: it has no agent_events"));
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.prompt("s1", "a prompt"));
            assertThat(importFile(sidecar.db()), is(2));
            assertThat(out.toString(), containsString("is an htmlgraph-sidecar store, not an htmlgraph database"));
        }
        assertThat(importFile(dir.resolve("missing.db")), is(2));
        assertThat(out.toString(), containsString("no htmlgraph database at"));
        assertThat(sha256(otherSqlite), is(otherSum));
    }

    @Test
    void columnsAndTablesOfNewerVersions_areTolerated() throws Exception {
        Path canonical = copy(CANONICAL, dir);
        HtmlgraphFixtures.write(canonical, "ALTER TABLE agent_events ADD COLUMN hook_latency_ms INTEGER",
                "CREATE TABLE plugin_state (k TEXT PRIMARY KEY, v TEXT)",
                HtmlgraphFixtures.event("evt-newer", "sess-703b29b4", "Bash", "Bash: ls", "1767900000", null),
                "INSERT INTO tracks (track_id, title, priority, status) VALUES ('track-1', 'Import', 'low', 'todo')",
                "INSERT INTO features (id, type, title, status, priority, track_id, created_at) VALUES ('feat-1',"
                + " 'feature', 'Adopt htmlgraph files', 'in_progress', 'high', 'track-1', 1767900000123)");
        assertThat(importFile(canonical), is(0));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            JsonNode feature = sidecar.get("/api/features/feat-1").json();
            assertThat(feature.path("track_id").asText(), is("track-1"));
            assertThat(feature.path("status").asText(), is("in_progress"));
            assertThat(feature.path("created_at").asText(), is("2026-01-08T19:20:00.123Z"));
            assertThat(sidecar.value("SELECT title || ' ' || priority FROM tracks"), is("Import low"));
            // Epoch seconds as text: 1767900000 = 2026-01-08T19:20:00Z.
            assertThat(field(sidecar, "evt-newer", "timestamp"), is("2026-01-08T19:20:00.000Z"));
        }
    }

    private int importFile(Path file) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        SidecarConfig config = SidecarConfig.withOverrides(Map.of("db", store.toString()));
        return ImportCommand.run(new String[] {"import", file.toString()}, config, print, print);
    }

    /** A column of the row imported from htmlgraph's event {@code sourceId}. */
    private static String field(TestSidecar sidecar, String sourceId, String column) {
        return String.valueOf(sidecar.value("SELECT " + column + " FROM agent_events WHERE " + SOURCE_ID + " = '"
                                            + sourceId + "'"));
    }

    private Map<String, Object> counts() {
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            return sidecar.rows("SELECT (SELECT count(*) FROM agent_events) AS events,"
                    + " (SELECT count(*) FROM sessions) AS sessions,"
                    + " (SELECT sum(total_events) FROM sessions) AS counted,"
                    + " (SELECT count(*) FROM features) AS features,"
                    + " (SELECT count(*) FROM agent_collaboration) AS delegations,"
                    + " (SELECT group_concat(status) FROM (SELECT status FROM agent_events ORDER BY event_id))"
                    + " AS statuses").get(0);
        }
    }

    /** The rowid and event id of the file's n-th event row. */
    private static String[] rowAt(Path file, int n) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT rowid, event_id FROM agent_events ORDER BY rowid LIMIT 1 OFFSET "
                                     + (n - 1))) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static int sessionIds(Path... files) throws SQLException, IOException {
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                 Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT session_id FROM sessions UNION SELECT session_id FROM agent_events"
                         + " UNION SELECT session_id FROM agent_collaboration WHERE session_id IS NOT NULL")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            } catch (SQLException e) {
                if (!e.getMessage().contains("no such table")) {
                    throw e;
                }
            }
        }
        return ids.size();
    }
}
