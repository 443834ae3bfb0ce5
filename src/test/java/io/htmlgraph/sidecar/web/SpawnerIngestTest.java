package io.htmlgraph.sidecar.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.htmlgraph.sidecar.SharedSidecarTest;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Spawner events keep their stream in live_events (the stream's own storage, read directly) and one run per spawn
 * (read through {@code /api/events}).
 */
class SpawnerIngestTest extends SharedSidecarTest {
    @Test
    void aRunFromStartToComplete_isOneRowWithStatusDurationTokensAndCost() {
        post("s-spawn", "spawner_start", "gemini",
             "{\"prompt_preview\":\"Review the diff\",\"model\":\"gemini-2.5-pro\"}");
        post("s-spawn", "spawner_phase", "gemini", "{\"phase\":\"executing\",\"progress\":50}");
        assertThat(runs("s-spawn", "status", "output_summary"), contains("running executing"));
        post("s-spawn", "spawner_tool_use", "gemini", "{\"tool_name\":\"read_file\"}");
        post("s-spawn", "spawner_complete", "gemini",
             "{\"success\":true,\"duration_seconds\":12.5,\"tokens_used\":4200,"
                                           + "\"cost_usd\":0.021,\"response_preview\":\"Looks good\"}");

        assertThat(runs("s-spawn", "agent_id", "event_type", "spawner_type", "status", "execution_duration_seconds",
                        "cost_tokens", "cost_usd", "input_summary", "output_summary", "model"),
                contains("gemini delegation gemini success 12.5 4200 0.021 Review the diff Looks good gemini-2.5-pro"));
        assertThat(sidecar.rows("SELECT event_type FROM live_events WHERE session_id = 's-spawn'"
                                + " ORDER BY live_event_id"),
                contains(Map.of("event_type", "spawner_start"), Map.of("event_type", "spawner_phase"),
                         Map.of("event_type", "spawner_tool_use"), Map.of("event_type", "spawner_complete")));
    }

    @Test
    void aRedeliveredSpawnerEvent_changesNothing() {
        post("s-again", "spawner_start", "codex", "{\"prompt_preview\":\"Once\"}");
        post("s-again", "spawner_start", "codex", "{\"prompt_preview\":\"Once\"}");
        post("s-again", "spawner_complete", "codex", "{\"success\":true,\"tokens_used\":10}");
        post("s-again", "spawner_complete", "codex", "{\"success\":true,\"tokens_used\":10}");
        assertThat(runs("s-again", "status", "cost_tokens"), contains("success 10"));
        assertThat(sidecar.value("SELECT count(*) FROM live_events WHERE session_id = 's-again'"), is(2));
    }

    @Test
    void aFailedRun_isAnError_withItsMessage() {
        post("s-fail", "spawner_start", "codex", "{\"prompt_preview\":\"Refactor\"}");
        post("s-fail", "spawner_complete", "codex", "{\"success\":false,\"error\":\"CLI failed with exit code 1\"}");
        assertThat(runs("s-fail", "status", "output_summary"), contains("error CLI failed with exit code 1"));
    }

    @Test
    void spawnerRoutes_reportRunsAndTotalsFromTheRunRows() {
        post("s-report", "spawner_start", "copilot", "{\"prompt_preview\":\"Port the tests\"}");
        post("s-report", "spawner_complete", "copilot", "{\"success\":true,\"duration_seconds\":8,"
                                                       + "\"tokens_used\":1000,\"cost_usd\":0.5}");
        post("s-report", "spawner_start", "copilot", "{\"prompt_preview\":\"Port the docs\"}");
        post("s-report", "spawner_complete", "copilot", "{\"success\":false,\"duration_seconds\":4,"
                                                       + "\"error\":\"timeout\"}");
        JsonNode page = sidecar.get("/api/spawner-activities?session_id=s-report&spawner_type=copilot&limit=1").json();
        assertThat(page.get("total").asInt(), is(2));
        assertThat(page.get("count").asInt(), is(1));
        JsonNode run = page.get("spawner_activities").get(0);
        assertThat(run.get("task").asText(), is("Port the docs"));
        assertThat(run.get("status").asText(), is("error"));
        assertThat(run.get("result").asText(), is("timeout"));
        assertThat(run.get("duration").asDouble(), is(4.0));
        assertThat(run.get("orchestrator_agent").asText(), is("claude-code"));

        JsonNode stats = sidecar.get("/api/spawner-statistics?session_id=s-report").json().get("spawner_statistics");
        assertThat(stats.toString(), is("[{\"spawner_type\":\"copilot\",\"total_delegations\":2,\"successful\":1,"
                + "\"failed\":1,\"success_rate\":50.0,\"avg_duration\":6.0,\"total_tokens\":1000,\"total_cost\":0.5,"
                + "\"first_used\":\"" + stats.get(0).get("first_used").asText() + "\",\"last_used\":\""
                + stats.get(0).get("last_used").asText() + "\"}]"));
    }

    @Test
    void badSpawnerEvents_are400() {
        TestSidecar.Response answer = sidecar.post("/api/spawner-events",
                "{\"event_type\":\"spawner_dance\",\"spawner_type\":\"gemini\",\"session_id\":\"s\"}");
        assertThat(answer.status(), is(400));
        assertThat(answer.json().get("detail").asText(), containsString("'event_type' must be one of"));
        answer = sidecar.post("/api/spawner-events", "{\"event_type\":\"spawner_complete\",\"spawner_type\":\"gemini\","
                                                     + "\"session_id\":\"s\",\"data\":{\"tokens_used\":\"many\"}}");
        assertThat(answer.json().get("detail").asText(), is("'data.tokens_used' must be a number, got string"));
        assertThat(sidecar.post("/api/spawner-events", "{\"event_type\":\"spawner_start\",\"session_id\":\"s\"}")
                .json().get("detail").asText(), is("'spawner_type' is required"));
    }

    private static void post(String session, String type, String spawner, String data) {
        String body = "{\"event_type\":\"" + type + "\",\"spawner_type\":\"" + spawner
                      + "\",\"session_id\":\"" + session + "\",\"parent_event_id\":\"evt-unknown\",\"data\":" + data
                      + "}";
        TestSidecar.Response answer = sidecar.post("/api/spawner-events", body);
        assertThat(answer.body(), answer.status(), is(200));
    }

    /** The session's events through {@code /api/events}, each as the given fields' values joined by spaces. */
    private static List<String> runs(String session, String... fields) {
        List<String> shown = new ArrayList<>();
        for (JsonNode event : sidecar.get("/api/events?session_id=" + session).json()) {
            List<String> values = new ArrayList<>();
            for (String field : fields) {
                values.add(event.get(field).asText());
            }
            shown.add(String.join(" ", values));
        }
        return shown;
    }
}
