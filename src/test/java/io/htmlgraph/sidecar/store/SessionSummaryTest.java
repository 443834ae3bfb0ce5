package io.htmlgraph.sidecar.store;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.SummaryRecounts;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.adopt.HtmlgraphFixtures;
import io.htmlgraph.sidecar.adopt.ImportCommand;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.otlp.Otlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The per-session summary rows (migration 11) that the session list reads equal a count from scratch over the stored
 * rows — events, turns, tool calls, errors, and the tokens and cost of API requests and spawner runs — after
 * concurrent group commits mixing accepted and refused requests, failures, subagents, telemetry, spawner runs,
 * upkeep, a deleted session, retention's pruning and an import.
 */
class SessionSummaryTest {
    /** Kept and recounted, for sessions that are stored, with anything to count; cost rounded past float noise. */
    private static final String KEPT = "SELECT session_id, events, turns, tool_calls, errors, token_rows, total_tokens,"
            + " cost_rows, round(cost_usd, 6) AS cost FROM session_summary"
            + " WHERE session_id IN (SELECT session_id FROM sessions) AND events + token_rows + cost_rows > 0"
            + " ORDER BY session_id";
    private static final String RECOUNT = "SELECT session_id, sum(events) AS events, sum(turns) AS turns,"
            + " sum(tool_calls) AS tool_calls, sum(errors) AS errors, sum(token_rows) AS token_rows,"
            + " sum(total_tokens) AS total_tokens, sum(cost_rows) AS cost_rows, round(sum(cost_usd), 6) AS cost FROM ("
            + " SELECT session_id, count(*) AS events, sum(tool_name IS 'UserQuery') AS turns,"
            + "   sum(event_type IN ('tool_call', 'delegation') AND tool_name IS NOT NULL AND tool_name <> 'UserQuery')"
            + "   AS tool_calls, sum(status = 'error') AS errors, 0 AS token_rows, 0 AS total_tokens, 0 AS cost_rows,"
            + "   0.0 AS cost_usd FROM agent_events GROUP BY session_id"
            + " UNION ALL SELECT session_id, 0, 0, 0, 0, count(*),"
            + "   sum(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens), count(cost_usd),"
            + "   coalesce(sum(cost_usd), 0) FROM api_requests WHERE kind = 'request' GROUP BY session_id"
            + " UNION ALL SELECT session_id, 0, 0, 0, 0, count(total_tokens), coalesce(sum(total_tokens), 0),"
            + "   count(cost_usd), coalesce(sum(cost_usd), 0) FROM agent_events WHERE spawner_type IS NOT NULL"
            + "   GROUP BY session_id)"
            + " WHERE session_id IN (SELECT session_id FROM sessions) GROUP BY session_id"
            + " HAVING sum(events) + sum(token_rows) + sum(cost_rows) > 0 ORDER BY session_id";

    @TempDir
    Path dir;

    @Test
    void summaryRows_equalRecount_afterConcurrentMixedWrites_usage_upkeep_andADeletedSession() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                String session = "sum-" + c;
                done.add(clients.submit(() -> sidecar.busyTurn(session)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            clients.shutdown();
            Otlp usage = new Otlp().apiRequest("sum-0", null, "req-1", "claude-test", 100, 20, 5, 1, 0.5)
                    .apiRequest("sum-0", null, "req-2", "claude-test", 10, 2, 0, 0, null)
                    .apiRequest("sum-1", null, "req-3", "claude-test", 7, 3, 0, 0, 0.125);
            assertThat(sidecar.post("/v1/logs", usage.json(), "Content-Type", "application/json").status(), is(200));
            // the same requests again: stored once, counted once
            assertThat(sidecar.post("/v1/logs", usage.json(), "Content-Type", "application/json").status(), is(200));
            sidecar.spawnerRun("sum-2");
            sidecar.sidecar().upkeep().runNow();

            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.rows(KEPT).size(), is(6));
            assertThat("the other summaries of new rows (store/NewRowCounts) too",
                       SummaryRecounts.mismatches(sql -> SummaryRecounts.values(sidecar, sql)), is(List.of()));
            assertThat(sidecar.value("SELECT count(*) FROM spawner_sessions WHERE session_id = 'sum-2'"), is(1));
            assertThat("each session has its two failures",
                       sidecar.value("SELECT errors FROM session_summary WHERE session_id = 'sum-3'"), is(2));
            JsonNode totals = sidecar.get("/api/sessions/sum-0").json().path("totals");
            assertThat(totals.path("errors").asLong(), is(2L));
            assertThat(totals.path("tool_calls").asLong(), is(
                    ((Number) sidecar.value("SELECT tool_calls FROM session_summary WHERE session_id = 'sum-0'"))
                            .longValue()));
            sidecar.execute("DELETE FROM agent_events WHERE session_id = 'sum-2' AND tool_name = 'Bash'");
            sidecar.execute("DELETE FROM api_requests WHERE request_key IN (SELECT request_key FROM api_requests"
                            + " WHERE session_id = 'sum-0' LIMIT 1)");
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat("2 Agent and 2 Read calls, and the spawner run",
                       sidecar.value("SELECT tool_calls FROM session_summary WHERE session_id = 'sum-2'"), is(5));
            sidecar.execute("DELETE FROM sessions WHERE session_id = 'sum-1'");
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.value("SELECT count(*) FROM session_summary WHERE session_id = 'sum-1'"), is(0));
            assertThat("the daily totals after deletions and a usage request taken back",
                       SummaryRecounts.values(sidecar, SummaryRecounts.DAILY_KEPT),
                       is(SummaryRecounts.values(sidecar, SummaryRecounts.DAILY_RECOUNTED)));
            assertThat("the usage reached the daily totals (so the recount compares tokens, not zeros)",
                       ((Number) sidecar.value("SELECT sum(total_tokens) FROM daily_totals")).longValue(),
                       greaterThan(0L));
        }
    }

    @Test
    void sessionList_showsEachRowsFigures_inOneAnswer_withoutPerRowRequests() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.busyTurn("list-a");
            Otlp usage = new Otlp().apiRequest("list-a", null, "req-a", "claude-test", 1000, 200, 0, 0, 0.25);
            assertThat(sidecar.post("/v1/logs", usage.json(), "Content-Type", "application/json").status(), is(200));
            sidecar.hooks(Hooks.sessionStart("list-b", "claude-test"));
            String list = sidecar.get("/views/sessions").body();
            // list-a: 1 turn, 5 Bash + 2 Agent + 2 Read calls, 2 failures, 1,200 tokens, $0.25
            assertThat(list, containsString("<td class=\"num\">1</td><td class=\"num\">9</td>"
                    + "<td class=\"num n-err\">2</td><td class=\"num\">1,200</td><td class=\"num\">$0.2500</td>"));
            // list-b: no figures reported: dashes, not zeros
            assertThat(list, containsString("<td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td>"
                    + "<td class=\"num\">–</td><td class=\"num\">–</td>"));
            assertThat(list, not(containsString("hx-get=\"/views/sessions/list-a/row\"")));
            assertThat(sidecar.get("/views/sessions/list-a/row").status(), is(404));
        }
    }

    @Test
    void summaryRows_equalRecount_afterRetentionPrunes() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("retention", "30d"))) {
            Instant old = Instant.now().minus(Duration.ofDays(40));
            StringBuilder body = new StringBuilder();
            for (int s = 0; s < 2; s++) {
                String session = "old-" + s;
                body.append(envelope(session, "UserPromptSubmit", Hooks.prompt(session, "work"), old)).append('\n');
                for (int i = 0; i < 10; i++) {
                    String id = session + "-tu-" + i;
                    body.append(envelope(session, "PreToolUse", Hooks.pre(session, "Bash", id,
                            Hooks.bash("echo")).toString(), old.plusSeconds(2L * i + 1))).append('\n');
                    body.append(envelope(session, "PostToolUseFailure", Hooks.failure(session, "Bash", id,
                            Hooks.bash("echo"), "boom").toString(), old.plusSeconds(2L * i + 2))).append('\n');
                }
            }
            assertThat(sidecar.post("/events", body.toString()).status(), is(200));
            sidecar.busyTurn("new-0");
            sidecar.spawnerRun("old-0");
            sidecar.execute("UPDATE agent_events SET timestamp = '" + old + "' WHERE spawner_type IS NOT NULL");
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));

            assertThat("2 turns of 10 calls and a run", sidecar.sidecar().upkeep().runNow(), is(23L));
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.value("SELECT errors FROM session_summary WHERE session_id = 'old-0'"), is(0));
            assertThat("the daily totals count only what is still stored (the roll-ups keep the rest)",
                       SummaryRecounts.values(sidecar, SummaryRecounts.DAILY_KEPT),
                       is(SummaryRecounts.values(sidecar, SummaryRecounts.DAILY_RECOUNTED)));
        }
    }

    @Test
    void summaryRows_equalRecount_afterAnImport() throws Exception {
        HtmlgraphFixtures.assumePresent();
        Path store = dir.resolve("store").resolve("test.db");
        PrintStream print = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SidecarConfig config = SidecarConfig.withOverrides(Map.of("db", store.toString()));
        Path index = HtmlgraphFixtures.copy(HtmlgraphFixtures.INDEX, dir);
        assertThat(ImportCommand.run(new String[] {"import", index.toString()}, config, print, print), is(0));
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            assertThat(sidecar.rows(KEPT).size(), greaterThan(3));
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(SummaryRecounts.mismatches(sql -> SummaryRecounts.values(sidecar, sql)), is(List.of()));
        }
    }

    static String envelope(String session, String type, String payload, Instant at) {
        return "{\"source_app\":\"test\",\"session_id\":\"" + session + "\",\"hook_event_type\":\"" + type
               + "\",\"timestamp\":" + at.toEpochMilli() + ",\"model_name\":\"claude-test\",\"payload\":" + payload
               + "}";
    }
}
