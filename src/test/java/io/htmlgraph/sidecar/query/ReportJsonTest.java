package io.htmlgraph.sidecar.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.bench.LargeDb;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * {@link ReportJson} writes the tree routes' and the orchestration report's answers by hand: on a generated store
 * (the bench generator's sessions through the real ingest path, then tokens, costs, API errors, features, nested
 * delegations and text that needs escaping put into some rows), every byte must equal Jackson's serialisation of
 * the same records, as the routes answered before.
 */
class ReportJsonTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static Path dir;
    private static Database database;
    private static GroupedFeed feed;
    private static EventTraces traces;
    private static Reports reports;

    @BeforeAll
    static void generate() throws Exception {
        dir = Files.createTempDirectory("tree-json");
        Path file = dir.resolve("store.db");
        LargeDb.main(new String[] {file.toString(), "4000"});
        // figures of every shape: all kinds, total only, cost only, two sources in one turn (mixed), none
        TestSidecar.execute(file, "UPDATE agent_events SET input_tokens = seq, output_tokens = 7, total_tokens = NULL,"
                + " cost_usd = seq / 3000.0, cost_source = 'computed' WHERE seq % 7 = 0");
        TestSidecar.execute(file, "UPDATE agent_events SET total_tokens = 1000 + seq, cost_source = 'telemetry'"
                + " WHERE seq % 11 = 0");
        TestSidecar.execute(file, "UPDATE agent_events SET cost_usd = 0.1 + seq / 7.0, cost_source = 'transcript'"
                + " WHERE seq % 13 = 0");
        TestSidecar.execute(file, "UPDATE agent_events SET api_errors = seq % 3, feature_id = 'feat-' || (seq % 5),"
                + " execution_duration_seconds = NULL WHERE seq % 17 = 0");
        TestSidecar.execute(file, "UPDATE agent_events SET input_summary = 'naïve 日本語 \uD83D\uDE80 \"q\" \\ '"
                + " || char(9) || char(1) || '</script>', model = NULL WHERE seq % 19 = 0");
        // the newest delegation under the one before it: its rows appear in both traces
        TestSidecar.execute(file, "UPDATE agent_events SET parent_event_id = (SELECT event_id FROM agent_events"
                + " WHERE event_type = 'delegation' ORDER BY seq DESC LIMIT 1 OFFSET 1) WHERE event_id = (SELECT"
                + " event_id FROM agent_events WHERE event_type = 'delegation' ORDER BY seq DESC LIMIT 1)");
        // a handoff timed apart from its delegation row (as an import can leave it): the row's status still counts
        TestSidecar.execute(file, "UPDATE agent_collaboration SET timestamp = '2000-01-01T00:00:00.000Z',"
                + " status = 'failed' WHERE handoff_id = (SELECT event_id FROM agent_events"
                + " WHERE event_type = 'delegation' ORDER BY seq DESC LIMIT 1)");
        database = Database.open(file);
        TreeQueries trees = new TreeQueries(database);
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T04:00:00Z"), ZoneOffset.UTC);
        feed = new GroupedFeed(trees, clock);
        traces = new EventTraces(trees, clock);
        reports = new Reports(new ReportQueries(database, clock, Duration.ofMinutes(10)), trees, clock);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void groupedFeed_isWrittenAsJacksonWritesItsRecords() throws Exception {
        String newest = any("SELECT session_id FROM agent_events ORDER BY seq DESC LIMIT 1");
        String agent = any("SELECT agent_id FROM agent_events WHERE agent_id LIKE 'ag-%' ORDER BY seq DESC LIMIT 1");
        for (GroupedFeed.Page page : new GroupedFeed.Page[] {feed.page(null, null, 50), feed.page(null, null, 200),
                feed.page(newest, null, 50), feed.page(null, agent, 50), feed.page("no-such-session", null, 50)}) {
            String expected = MAPPER.writeValueAsString(page);
            assertThat(MAPPER.writeValueAsString(ReportJson.of(page)), is(expected));
        }
        String page = MAPPER.writeValueAsString(ReportJson.of(feed.page(null, null, 200)));
        assertThat(page, containsString("\"cost_source\":\"mixed\""));
        assertThat(page, containsString("\"error\":"));
        assertThat(page, containsString("日本語 \uD83D\uDE80 \\\"q\\\" \\\\ \\t\\u0001</script>"));
        assertThat(page.split("\"api_errors\":[12]").length, greaterThan(2));
    }

    @Test
    void traces_areWrittenAsJacksonWritesTheirRecords() throws Exception {
        String newest = any("SELECT session_id FROM agent_events ORDER BY seq DESC LIMIT 1");
        for (EventTraces.Page page : new EventTraces.Page[] {traces.page(null, 50), traces.page(null, 200),
                traces.page(newest, 50)}) {
            assertThat(page.traces().size(), greaterThan(0));
            assertThat(MAPPER.writeValueAsString(ReportJson.of(page)), is(MAPPER.writeValueAsString(page)));
        }
    }

    @Test
    void orchestration_isWrittenAsJacksonWritesItsRecords() throws Exception {
        Reports.Orchestration report = reports.orchestration();
        assertThat(report.delegationChains().size(), greaterThan(0));
        assertThat(MAPPER.writeValueAsString(ReportJson.of(report)), is(MAPPER.writeValueAsString(report)));
        String apart = any("SELECT event_id FROM agent_events WHERE event_type = 'delegation' ORDER BY seq DESC"
                + " LIMIT 1");
        Reports.ChainLink link = report.delegationChains().values().stream().flatMap(List::stream)
                .filter(l -> l.eventId().equals(apart)).findFirst().orElseThrow();
        assertThat(link.status(), is(any("SELECT status FROM agent_events WHERE event_id = '" + apart + "'")));
        assertThat(link.timestamp(), is("2000-01-01T00:00:00.000Z"));
    }

    private static String any(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
