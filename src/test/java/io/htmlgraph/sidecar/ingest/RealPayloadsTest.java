package io.htmlgraph.sidecar.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replays real hook payloads captured from Claude Code (../shared/fixtures/claude-code-hooks, read in place, not
 * copied), checks that every one is accepted and that tool calls pair as the fixture README counts them, then
 * that every read route answers on that data.
 */
class RealPayloadsTest {
    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "claude-code-hooks");
    private static final List<String> ORDER = List.of("session_start", "user_prompt_submit", "pre_tool_use",
            "permission_request", "notification", "subagent_start", "post_tool_use", "post_tool_use_failure",
            "subagent_stop", "stop", "session_end");

    private static final List<String> READ_ROUTES = List.of("/api/events?limit=1000", "/api/initial-stats",
            "/api/sessions", "/api/sessions/{session}", "/api/sessions/{session}/events",
            "/api/events-grouped-by-prompt?limit=200", "/api/events-grouped-by-prompt?session_id={session}",
            "/api/event-traces", "/api/complete-activity-feed?limit=1000", "/api/orchestration",
            "/api/orchestration/delegations", "/api/spawner-activities", "/api/spawner-statistics",
            "/api/attention", "/api/query-metrics", "/api/export?session_id={session}&format=json");

    private static final List<String> VIEW_ROUTES = List.of("/?tab=activity", "/sessions/{session}",
            "/views/activity-feed?limit=200", "/views/sessions", "/views/agents", "/views/orchestration",
            "/views/features", "/views/spawners", "/views/metrics", "/views/attention", "/views/counters");

    @Test
    void everyCapturedPayload_isAccepted_andToolCallsPairByToolUseId() throws IOException {
        assumeTrue(Files.isDirectory(FIXTURES), "the shared fixtures are not beside this checkout");
        try (TestSidecar sidecar = TestSidecar.start()) {
            for (String project : List.of("eltelemaco__azure-n8n-server", "TomSelander__home-assistant-green-button",
                                          "RaggioS__jcode")) {
                for (String hook : ORDER) {
                    Path file = FIXTURES.resolve(project).resolve(hook + ".json");
                    if (Files.exists(file)) {
                        ArrayNode payloads = unwrapped(TestSidecar.JSON.readTree(file.toFile()));
                        TestSidecar.Response answer = sidecar.post("/api/hooks", payloads.toString());
                        assertThat(file + ": " + answer.body(), answer.status(), is(200));
                        assertThat(answer.json().path("accepted").asInt(1), is(payloads.size()));
                    }
                }
            }
            // eltelemaco: 104 Pre ids, 65 Post ids (64 shared), 2 failures that match a Pre, 38 Pre with no result.
            assertThat(sidecar.rows("SELECT status, count(*) AS n FROM agent_events WHERE tool_use_id IS NOT NULL"
                                    + " AND session_id IN (SELECT DISTINCT session_id FROM agent_events"
                                    + " WHERE payload LIKE '%antonioreynoso%') GROUP BY status ORDER BY status"),
                       is(List.of(Map.of("status", "error", "n", 2), Map.of("status", "started", "n", 38),
                                  Map.of("status", "success", "n", 65))));
            // jcode: 64 Pre and 64 Post ids, 57 shared: 57 + 7 + 7 rows.
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE tool_use_id IS NOT NULL AND session_id IN"
                                     + " (SELECT session_id FROM agent_events WHERE payload LIKE '%/Users/%jcode%')"),
                       is(71));
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE status = 'recorded'"
                                     + " AND tool_use_id IS NOT NULL"), is(0));
            String session = (String) sidecar.value(
                    "SELECT session_id FROM sessions ORDER BY total_events DESC LIMIT 1");
            for (String route : READ_ROUTES) {
                TestSidecar.Response answer = sidecar.get(route.replace("{session}", session));
                assertThat(route + ": " + answer.body(), answer.status(), is(200));
                answer.json();
            }
            for (String view : VIEW_ROUTES) {
                TestSidecar.Response answer = sidecar.get(view.replace("{session}", session));
                assertThat(view + ": " + answer.body(), answer.status(), is(200));
                assertThat(view, answer.body().contains("<script>") || answer.body().contains("<img"), is(false));
            }
        }
    }

    /** The failure log wraps each payload; the genuine one is its raw_input. */
    private static ArrayNode unwrapped(JsonNode payloads) {
        ArrayNode out = TestSidecar.JSON.createArrayNode();
        payloads.forEach(p -> out.add(p.has("raw_input") ? p.get("raw_input") : p));
        return out;
    }
}
