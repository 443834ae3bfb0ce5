package io.htmlgraph.sidecar.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * Every statement behind a read route has an index plan: {@code EXPLAIN QUERY PLAN} on the migrated schema (no
 * {@code ANALYZE} statistics, so the plans are those of a 1M-event store too) shows no scan of a large table,
 * except the ordered walks listed in {@link #ORDERED_WALKS} — an index in the order of the answer, cut by the
 * statement's LIMIT after at most a few non-matching rows. A walk that filters most rows out (like spawner
 * activities over the time index on a store without spawner runs) is the kind of full scan this test exists for.
 */
class QueryPlanTest {
    /** Tables that grow with the events. */
    private static final Pattern LARGE = Pattern.compile(
            "agent_events|api_requests|live_events|session_agents|tool_results|otel_metric_points|sessions"
            + "|activity_minutes");
    private static final Pattern SCAN = Pattern.compile("^SCAN (\\w+)(?: USING (?:COVERING )?INDEX (\\w+))?");
    /** Statement -> the index each allowed ordered walk uses. */
    private static final Map<String, List<String>> ORDERED_WALKS = Map.ofEntries(
            Map.entry("events-page", List.of("idx_agent_events_timestamp")),
            Map.entry("activity-page", List.of("idx_agent_events_timestamp")),
            Map.entry("turns-page", List.of("idx_agent_events_turns")),
            Map.entry("delegations-page", List.of("idx_agent_events_delegations")),
            Map.entry("sessions-page", List.of("idx_sessions_started")),
            Map.entry("turns-sessions-page", List.of("idx_sessions_started")),
            Map.entry("view-session-ids", List.of("idx_sessions_started")),
            Map.entry("view-tool-latency", List.of("idx_activity_minutes_calls")),
            Map.entry("latest-events", List.of("idx_agent_events_seq")),
            Map.entry("latest-spawner-events", List.of("idx_live_events_seq")));
    /** The statements of the read routes (JSON API, views, live stream backlog). */
    private static final List<String> HOT = List.of(
            "events-page", "events-page-session", "events-page-agent", "events-page-session-agent",
            "events-page-before", "events-page-session-before", "events-page-agent-before",
            "events-page-session-agent-before",
            "stats-totals", "stats-agents", "sessions-count", "sessions-page", "sessions-page-before",
            "turns-sessions-page-before",
            "turns-page", "turns-page-session", "turns-page-agent", "delegations-page", "delegations-page-session",
            "descendants", "collaboration-page", "collaboration-page-session", "spawner-activities",
            "spawner-count", "spawner-statistics", "session-get", "turns-session-summary", "turns-sessions-page",
            "attention-waiting", "attention-failing", "attention-idle", "activity-page", "activity-page-session",
            "session-exists", "feature-get", "features-page", "changed-events", "changed-spawner-events",
            "latest-events", "latest-spawner-events", "changes-count",
            "usage-session", "usage-session-models", "usage-session-turns",
            "view-agent-recent", "view-activity-buckets", "view-tool-latency", "view-spawner-running",
            "view-spawner-recent", "view-turn-get", "view-session-ids", "view-delegation-edges", "metrics-errors",
            "collaboration-count", "ops-daily", "session-export-page");

    private static Path db;

    @BeforeAll
    static void schema() throws Exception {
        db = Files.createTempDirectory("plans").resolve("plans.db");
        Database.open(db).close();
    }

    @Test
    void hotReadStatements_useIndexes_noFullScanOfALargeTable() throws Exception {
        List<String> scans = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (String name : HOT) {
                for (String step : plan(c, name)) {
                    Matcher m = SCAN.matcher(step);
                    if (m.find() && large(step, m.group(1), name) && !allowed(name, m.group(2))) {
                        scans.add(name + ": " + step);
                    }
                }
            }
        }
        assertThat("full scans in hot statements", scans, empty());
    }

    /**
     * The writer's lookups on the indexes migration 12 narrowed or left (the prompt index holds turns only) and its
     * per-commit session counters: each finds its rows by its index, however large the store.
     */
    @Test
    void writerLookups_useTheirIndex() throws Exception {
        Map<String, String> expected = Map.of(
                "turn-by-prompt", "idx_agent_events_prompt",
                "usage-turn-by-prompt", "idx_agent_events_prompt",
                "usage-prompt-link", "idx_agent_events_prompt",
                "tool-call-by-use-id", "idx_agent_events_tool_use",
                "recent-duplicate", "idx_agent_events_payload_hash",
                "session-count", "sqlite_autoindex_sessions_1",
                "session-started-earlier", "sqlite_autoindex_sessions_1");
        List<String> wrong = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                List<String> steps = plan(c, e.getKey());
                if (steps.stream().noneMatch(step -> step.contains("INDEX " + e.getValue() + " "))
                    || steps.stream().anyMatch(step -> SCAN.matcher(step).find())) {
                    wrong.add(e.getKey() + ": " + steps);
                }
            }
        }
        assertThat("writer lookups without their index", wrong, empty());
    }

    /**
     * Event pages are read in index order, ties by row (migration 16): no statement sorts what it reads, however
     * many events share a time.
     */
    @Test
    void eventPages_sortNothing() throws Exception {
        List<String> sorting = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (String name : HOT) {
                if (name.startsWith("events-page") || name.startsWith("activity-page")) {
                    plan(c, name).stream().filter(step -> step.contains("TEMP B-TREE"))
                            .forEach(step -> sorting.add(name + ": " + step));
                }
            }
        }
        assertThat("event pages that sort", sorting, empty());
    }

    /**
     * The orchestration report's 1,000 status look-ups read the delegations' index alone (migration 14): reading
     * each delegation's event row instead was half of the route's CPU on the 1M store.
     */
    @Test
    void orchestrationStatus_isReadFromTheDelegationsIndexAlone() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (String name : List.of("collaboration-page", "collaboration-page-session")) {
                assertThat(name + ": " + plan(c, name), plan(c, name).stream().anyMatch(step -> step.equals(
                        "SEARCH agent_events USING COVERING INDEX idx_agent_events_delegations (timestamp=?)")),
                        org.hamcrest.Matchers.is(true));
            }
        }
    }

    @Test
    void theCheck_catchesAFullScan() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN SELECT * FROM agent_events e "
                     + "WHERE e.spawner_type IS NOT NULL ORDER BY e.timestamp DESC LIMIT 5");
             ResultSet r = s.executeQuery()) {
            r.next();
            Matcher m = SCAN.matcher(r.getString("detail"));
            assertThat("a walk of the time index is a scan", m.find() && !allowed("spawner-activities",
                    m.group(2)), org.hamcrest.Matchers.is(true));
        }
    }

    private static boolean large(String step, String alias, String statement) {
        String sql = Statements.all().statement(statement);
        Matcher table = Pattern.compile("(\\w+)\\s+(?:AS\\s+)?" + alias + "\\b(?!\\s*\\()").matcher(sql);
        String name = alias;
        while (table.find()) {
            if (LARGE.matcher(table.group(1)).matches()) {
                name = table.group(1);
            }
        }
        return LARGE.matcher(name).matches() && !step.contains("CONSTANT ROW");
    }

    private static boolean allowed(String statement, String index) {
        return index != null && ORDERED_WALKS.getOrDefault(statement, List.of()).contains(index);
    }

    private static List<String> plan(Connection c, String name) throws Exception {
        List<String> steps = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + Statements.all().statement(name))) {
            int n = s.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= n; i++) {
                s.setObject(i, null);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    steps.add(r.getString("detail"));
                }
            }
        }
        return steps;
    }
}
