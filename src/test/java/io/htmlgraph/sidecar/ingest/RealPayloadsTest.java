package io.htmlgraph.sidecar.ingest;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
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
            Map<String, Set<String>> sessions = new HashMap<>();
            for (String project : List.of("eltelemaco__azure-n8n-server", "TomSelander__home-assistant-green-button",
                                          "RaggioS__jcode")) {
                for (String hook : ORDER) {
                    Path file = FIXTURES.resolve(project).resolve(hook + ".json");
                    if (Files.exists(file)) {
                        ArrayNode payloads = unwrapped(TestSidecar.JSON.readTree(file.toFile()));
                        TestSidecar.Response answer = sidecar.post("/api/hooks", payloads.toString());
                        assertThat(file + ": " + answer.body(), answer.status(), is(200));
                        assertThat(answer.json().path("accepted").asInt(1), is(payloads.size()));
                        payloads.forEach(p -> sessions.computeIfAbsent(project, k -> new TreeSet<>())
                                .add(p.get("session_id").asText()));
                    }
                }
            }
            // eltelemaco: 104 Pre ids, 65 Post ids (64 shared), 2 failures that match a Pre, 38 Pre with no result.
            assertThat(toolCallsByStatus(sidecar, sessions.get("eltelemaco__azure-n8n-server")),
                       is(Map.of("error", 2, "started", 38, "success", 65)));
            // jcode: 64 Pre and 64 Post ids, 57 shared: 57 + 7 + 7 rows.
            assertThat(toolCallsByStatus(sidecar, sessions.get("RaggioS__jcode")).values().stream()
                               .mapToInt(Integer::intValue).sum(), is(71));
            Set<String> all = new TreeSet<>();
            sessions.values().forEach(all::addAll);
            assertThat(toolCallsByStatus(sidecar, all).get("recorded"), is(nullValue()));
            String session = all.stream().max(Comparator.comparingInt(s -> events(sidecar, s).size())).orElseThrow();
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

    /** The sessions' tool calls (events with a tool_use_id) counted by status, through {@code /api/events}. */
    private static Map<String, Integer> toolCallsByStatus(TestSidecar sidecar, Set<String> sessions) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String session : sessions) {
            for (JsonNode event : events(sidecar, session)) {
                if (event.hasNonNull("tool_use_id")) {
                    counts.merge(event.get("status").asText(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static JsonNode events(TestSidecar sidecar, String session) {
        TestSidecar.Response answer = sidecar.get("/api/events?limit=1000&session_id="
                                                  + URLEncoder.encode(session, StandardCharsets.UTF_8));
        assertThat(answer.body(), answer.status(), is(200));
        assertThat(answer.json().size() < 1000, is(true));
        return answer.json();
    }

    /** The failure log wraps each payload; the genuine one is its raw_input. */
    private static ArrayNode unwrapped(JsonNode payloads) {
        ArrayNode out = TestSidecar.JSON.createArrayNode();
        payloads.forEach(p -> out.add(p.has("raw_input") ? p.get("raw_input") : p));
        return out;
    }
}
