package io.htmlgraph.sidecar.view;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.otlp.Otlp;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The Orchestration and Metrics tabs read summary rows the store keeps by triggers (delegation edges, per-minute
 * activity): what they show matches the events, after new events, finished calls and deletions alike. Each test runs
 * its own sidecar with the query cache off, so every request reads the store.
 */
class SummaryViewsTest {
    /** The per-minute summary, recounted from the events the way migration 10 fills it. */
    private static final String RECOUNT = """
            SELECT substr(timestamp, 1, 16) AS minute, count(*) AS events, sum(c) AS calls,
                   sum(c * coalesce(status = 'error', 0)) AS errors,
                   sum(c * coalesce(d < 0.1, 0)) AS b0, sum(c * coalesce(d >= 0.1 AND d < 0.5, 0)) AS b1,
                   sum(c * coalesce(d >= 0.5 AND d < 1, 0)) AS b2, sum(c * coalesce(d >= 1 AND d < 5, 0)) AS b3,
                   sum(c * coalesce(d >= 5 AND d < 30, 0)) AS b4, sum(c * coalesce(d >= 30, 0)) AS b5
            FROM (SELECT timestamp, status, execution_duration_seconds AS d,
                         coalesce(event_type = 'tool_call' AND status IN ('success', 'error')
                                  AND tool_name <> 'UserQuery', 0) AS c FROM agent_events)
            GROUP BY 1 ORDER BY 1""";
    private static final String KEPT = "SELECT minute, events, calls, errors, b0, b1, b2, b3, b4, b5 "
                                       + "FROM activity_minutes ORDER BY minute";

    private static final String ERRORS_KEPT = "SELECT agent_id, errors FROM agent_errors WHERE errors > 0 ORDER BY 1";
    private static final String ERRORS_RECOUNT = "SELECT agent_id, count(*) AS errors FROM agent_events"
                                                 + " WHERE status = 'error' GROUP BY agent_id ORDER BY 1";

    private static final String USAGE_KEPT = "SELECT agent_id, model, records, input_tokens, output_tokens,"
            + " cache_read_tokens, cache_creation_tokens, total_tokens, unspecified_tokens, cost_usd, costed"
            + " FROM usage_totals ORDER BY 1, 2";
    private static final String USAGE_RECOUNT = """
            SELECT agent_id, model, count(*) AS records, coalesce(sum(input_tokens), 0) AS input_tokens,
                   coalesce(sum(output_tokens), 0) AS output_tokens,
                   coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,
                   coalesce(sum(cache_creation_tokens), 0) AS cache_creation_tokens,
                   coalesce(sum(total_tokens), 0) AS total_tokens,
                   sum(max(coalesce(total_tokens, 0) - coalesce(input_tokens, 0) - coalesce(output_tokens, 0)
                           - coalesce(cache_read_tokens, 0) - coalesce(cache_creation_tokens, 0), 0))
                     AS unspecified_tokens,
                   round(coalesce(sum(cost_usd), 0), 9) AS cost_usd, count(cost_usd) AS costed
            FROM usage_records GROUP BY 1, 2 ORDER BY 1, 2""";

    private static final String AGENT_KEPT = "SELECT agent_id, minute, calls, successes, errors, timed, seconds"
                                             + " FROM agent_minutes ORDER BY 1, 2";
    private static final String AGENT_RECOUNT = """
            SELECT agent_id, substr(timestamp, 1, 16) AS minute, count(*) AS calls,
                   sum(status IN ('success', 'completed')) AS successes, sum(status = 'error') AS errors,
                   count(execution_duration_seconds) AS timed,
                   round(coalesce(sum(execution_duration_seconds), 0), 6) AS seconds
            FROM agent_events WHERE event_type IN ('tool_call', 'delegation') AND tool_name <> 'UserQuery'
            GROUP BY 1, 2 ORDER BY 1, 2""";

    private static TestSidecar cold() {
        return TestSidecar.start(Map.of("query-cache-entries", "0"));
    }

    @Test
    void orchestration_countsEveryDelegationByPair_withFanOutAndChainDepth_andForgetsDeletedOnes() {
        try (TestSidecar sidecar = cold()) {
            String s = "orch-1";
            sidecar.hooks(Hooks.prompt(s, "Plan the release"),
                    Hooks.pre(s, "Agent", "tu-1", Hooks.agentInput("Explore", "survey the modules")).toString(),
                    Hooks.pre(s, "Agent", "tu-2", Hooks.agentInput("Explore", "read the tests")).toString(),
                    Hooks.pre(s, "Agent", "tu-3", Hooks.agentInput("Plan", "write the plan")).toString(),
                    Hooks.subagentStart(s, "agent-e1", "Explore"),
                    Hooks.inSubagent(Hooks.pre(s, "Agent", "tu-4", Hooks.agentInput("general-purpose",
                            "check one file")), "agent-e1", "Explore"));
            String body = sidecar.get("/views/orchestration").body();
            assertThat(body, allOf(containsString("<dt>delegations</dt><dd>4</dd>"),
                    containsString("<dt>agents</dt><dd>4</dd>"), containsString("<dt>chain depth</dt><dd>2</dd>"),
                    containsString("<td>claude-code</td><td class=\"num\">2</td><td class=\"num\">3</td>"),
                    containsString("<td>Explore</td><td class=\"num\">1</td><td class=\"num\">1</td>"),
                    containsString("claude-code → Explore: 2 delegations"),
                    containsString("Explore → general-purpose: 1 delegations")));
            assertThat(sidecar.get("/api/orchestration").json().get("delegation_count").asInt(), is(4));

            sidecar.execute("DELETE FROM agent_collaboration WHERE to_agent = 'general-purpose'");
            String after = sidecar.get("/views/orchestration").body();
            assertThat(after, allOf(containsString("<dt>delegations</dt><dd>3</dd>"),
                    containsString("<dt>chain depth</dt><dd>1</dd>"), not(containsString("→ general-purpose"))));
        }
    }

    @Test
    void activityAgentMinutesAndErrors_matchARecountOfTheEvents_afterNewEventsFinishedCallsAndDeletions() {
        try (TestSidecar sidecar = cold()) {
            String s = "act-1";
            sidecar.hooks(Hooks.sessionStart(s, "claude-opus-4-5"), Hooks.prompt(s, "Fix the build"),
                    Hooks.pre(s, "Bash", "tu-1", Hooks.bash("mvn verify")).toString(),
                    Hooks.pre(s, "Read", "tu-2", Hooks.file("pom.xml")).toString(),
                    Hooks.pre(s, "Bash", "tu-3", Hooks.bash("ls")).toString());
            List<Map<String, Object>> started = sidecar.rows(KEPT);
            assertThat(started, is(sidecar.rows(RECOUNT)));
            sidecar.hooks(Hooks.post(s, "Bash", "tu-1", Hooks.bash("mvn verify"), 2500, "ok").toString(),
                    Hooks.post(s, "Read", "tu-2", Hooks.file("pom.xml"), 40, "text").toString(),
                    Hooks.failure(s, "Bash", "tu-3", Hooks.bash("ls"), "boom").toString(),
                    Hooks.stop(s, "done"));
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.rows(ERRORS_KEPT), is(sidecar.rows(ERRORS_RECOUNT)));
            assertThat(sidecar.rows(ERRORS_KEPT).size(), is(1));
            assertThat(sidecar.rows(AGENT_KEPT), is(sidecar.rows(AGENT_RECOUNT)));
            assertThat(sidecar.get("/views/agents").body(), allOf(containsString("<dd>66.7 %</dd>"),
                    containsString("<dd>1.2 s</dd>"), containsString("over the newest 3 tool calls")));
            assertThat(sidecar.value("SELECT sum(calls) || '/' || sum(errors) || '/' || sum(b0) || '/' || sum(b3)"
                                     + " FROM activity_minutes"), is("3/1/1/2"));

            String metrics = sidecar.get("/views/metrics").body();
            assertThat(metrics, allOf(containsString("Tool call duration, newest 3 calls"),
                    containsString("1–5 s: 2"), containsString("&lt; 100 ms: 1"),
                    containsString("<dt>error rate</dt><dd>33.3 %</dd>")));

            sidecar.execute("DELETE FROM agent_events WHERE tool_use_id = 'tu-3'");
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.rows(ERRORS_KEPT), is(sidecar.rows(ERRORS_RECOUNT)));
            assertThat(sidecar.rows(AGENT_KEPT), is(sidecar.rows(AGENT_RECOUNT)));
            assertThat(sidecar.get("/views/metrics").body(), containsString("Tool call duration, newest 2 calls"));
            sidecar.execute("UPDATE agent_events SET timestamp = '2020-01-01T00:00:00.000Z'"
                            + " WHERE tool_use_id = 'tu-1'");
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.rows(AGENT_KEPT), is(sidecar.rows(AGENT_RECOUNT)));
        }
    }

    /**
     * The writer counts a hook's finish of a call (migration 15): from a call the telemetry finished first, and once
     * only for a background delegation that its hook finished as running and its subagent's stop finishes again.
     */
    @Test
    void finishesAfterTelemetryAndOfBackgroundDelegations_matchARecountOfTheEvents() {
        try (TestSidecar sidecar = cold()) {
            String s = "fin-1";
            sidecar.hooks(Hooks.prompt(s, "Test it"),
                          Hooks.pre(s, "Bash", "toolu_t", Hooks.bash("mvn test")).toString());
            TestSidecar.Response telemetry = sidecar.post("/v1/logs", new Otlp().event(s, "tool_result", Map.of(
                    "tool_name", "Bash", "tool_use_id", "toolu_t", "success", "false", "duration_ms", "700")).json(),
                    "Content-Type", "application/json");
            assertThat(telemetry.body(), telemetry.status(), is(200));
            assertThat(sidecar.value("SELECT status || ' ' || finished_by FROM agent_events"
                                     + " WHERE tool_use_id = 'toolu_t'"), is("error telemetry"));
            sidecar.hooks(Hooks.post(s, "Bash", "toolu_t", Hooks.bash("mvn test"), 2500, "BUILD SUCCESS")
                          .toString());
            assertThat(sidecar.value("SELECT status || ' ' || execution_duration_seconds || ' ' || finished_by"
                                     + " FROM agent_events WHERE tool_use_id = 'toolu_t'"), is("success 2.5 hook"));

            ObjectNode input = Hooks.agentInput("general-purpose", "run the slow suite");
            ObjectNode launched = Hooks.post(s, "Task", "tu-bg", input, 0, "");
            launched.set("tool_response", Hooks.agentResponse("async_launched", "started"));
            sidecar.hooks(Hooks.pre(s, "Task", "tu-bg", input).toString(), launched.toString(),
                          Hooks.subagentStart(s, "ag-bg", "general-purpose"));
            assertThat(sidecar.value("SELECT status FROM agent_events WHERE tool_use_id = 'tu-bg'"), is("running"));
            sidecar.hooks(Hooks.subagentStop(s, "ag-bg", "general-purpose", "All green"));
            assertThat(sidecar.value("SELECT status FROM agent_events WHERE tool_use_id = 'tu-bg'"), is("success"));

            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.rows(AGENT_KEPT), is(sidecar.rows(AGENT_RECOUNT)));
            assertThat(sidecar.rows(ERRORS_KEPT), is(sidecar.rows(ERRORS_RECOUNT)));
            assertThat(sidecar.value("SELECT sum(calls) || '/' || sum(errors) || '/' || sum(b3)"
                                     + " FROM activity_minutes"), is("1/0/1"));
        }
    }

    @Test
    void usageTotals_matchARecountOfTheRequestsAndSpawnerRuns_andTheHeaderShowsTheirSum() {
        try (TestSidecar demo = TestSidecar.start(Map.of("demo", "true", "query-cache-entries", "0"))) {
            assertThat(demo.rows(USAGE_KEPT).size() > 1, is(true));
            assertThat(demo.rows(USAGE_KEPT), is(demo.rows(USAGE_RECOUNT)));
            long tokens = demo.get("/api/initial-stats").json().get("total_tokens").asLong();
            assertThat(demo.get("/views/counters").body(),
                    containsString("id=\"c-tokens\">" + String.format(java.util.Locale.ROOT, "%,d", tokens)));

            demo.execute("UPDATE api_requests SET cost_usd = coalesce(cost_usd, 0) + 0.1, model = 'other-model',"
                         + " input_tokens = input_tokens + 7 WHERE rowid IN (SELECT rowid FROM api_requests LIMIT 2)");
            assertThat(demo.rows(USAGE_KEPT), is(demo.rows(USAGE_RECOUNT)));
            demo.execute("UPDATE api_requests SET kind = 'error' WHERE rowid IN (SELECT max(rowid) FROM api_requests)");
            demo.execute("DELETE FROM api_requests WHERE rowid IN (SELECT min(rowid) FROM api_requests)");
            assertThat(demo.rows(USAGE_KEPT), is(demo.rows(USAGE_RECOUNT)));
            demo.execute("UPDATE agent_events SET total_tokens = 5000, cost_usd = 0.25 WHERE spawner_type IS NOT NULL");
            assertThat(demo.rows(USAGE_KEPT), is(demo.rows(USAGE_RECOUNT)));
            demo.execute("DELETE FROM agent_events WHERE spawner_type IS NOT NULL");
            demo.execute("DELETE FROM api_requests");
            assertThat(demo.rows(USAGE_KEPT), is(List.of()));
        }
    }
}
