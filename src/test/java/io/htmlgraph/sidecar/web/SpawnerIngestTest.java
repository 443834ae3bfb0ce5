package io.htmlgraph.sidecar.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.WiredServer;
import io.htmlgraph.sidecar.live.WsClient;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Spawner events keep their stream (read through the live stream's backlog, {@code /ws/events}) and one run per
 * spawn (read through {@code /api/events}). The real server with the production wiring (Helidon's
 * {@code @ServerTest}).
 */
@ServerTest
class SpawnerIngestTest extends WiredServer {
    private final URI uri;

    SpawnerIngestTest(Http1Client http, URI uri) {
        super(http);
        this.uri = uri;
    }

    @Test
    void aRunFromStartToComplete_isOneRowWithStatusDurationTokensAndCost() throws Exception {
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
        assertThat(stream("s-spawn"),
                   contains("spawner_start", "spawner_phase", "spawner_tool_use", "spawner_complete"));
    }

    @Test
    void aRedeliveredSpawnerEvent_changesNothing() throws Exception {
        post("s-again", "spawner_start", "codex", "{\"prompt_preview\":\"Once\"}");
        post("s-again", "spawner_start", "codex", "{\"prompt_preview\":\"Once\"}");
        post("s-again", "spawner_complete", "codex", "{\"success\":true,\"tokens_used\":10}");
        post("s-again", "spawner_complete", "codex", "{\"success\":true,\"tokens_used\":10}");
        assertThat(runs("s-again", "status", "cost_tokens"), contains("success 10"));
        assertThat(stream("s-again"), contains("spawner_start", "spawner_complete"));
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
        JsonNode page = Api.get(http, "/api/spawner-activities?session_id=s-report&spawner_type=copilot&limit=1");
        assertThat(page.get("total").asInt(), is(2));
        assertThat(page.get("count").asInt(), is(1));
        JsonNode run = page.get("spawner_activities").get(0);
        assertThat(run.get("task").asText(), is("Port the docs"));
        assertThat(run.get("status").asText(), is("error"));
        assertThat(run.get("result").asText(), is("timeout"));
        assertThat(run.get("duration").asDouble(), is(4.0));
        assertThat(run.get("orchestrator_agent").asText(), is("claude-code"));

        JsonNode stats = Api.get(http, "/api/spawner-statistics?session_id=s-report").get("spawner_statistics");
        assertThat(stats.toString(), is("[{\"spawner_type\":\"copilot\",\"total_delegations\":2,\"successful\":1,"
                + "\"failed\":1,\"success_rate\":50.0,\"avg_duration\":6.0,\"total_tokens\":1000,\"total_cost\":0.5,"
                + "\"first_used\":\"" + stats.get(0).get("first_used").asText() + "\",\"last_used\":\""
                + stats.get(0).get("last_used").asText() + "\"}]"));
    }

    @Test
    void badSpawnerEvents_are400() {
        Api.Answer answer = Api.post(http, "/api/spawner-events",
                "{\"event_type\":\"spawner_dance\",\"spawner_type\":\"gemini\",\"session_id\":\"s\"}");
        assertThat(answer.status().code(), is(400));
        assertThat(answer.json().get("detail").asText(), containsString("'event_type' must be one of"));
        answer = Api.post(http, "/api/spawner-events",
                          "{\"event_type\":\"spawner_complete\",\"spawner_type\":\"gemini\","
                                                     + "\"session_id\":\"s\",\"data\":{\"tokens_used\":\"many\"}}");
        assertThat(answer.json().get("detail").asText(), is("'data.tokens_used' must be a number, got string"));
        assertThat(Api.post(http, "/api/spawner-events", "{\"event_type\":\"spawner_start\",\"session_id\":\"s\"}")
                .json().get("detail").asText(), is("'spawner_type' is required"));
    }

    @Test
    void aRunNamedByAToolCallsId_is400_andStoresNothing() {
        Api.Answer hook = Api.post(http, "/api/hooks", "{\"session_id\":\"s-clash\",\"hook_event_name\":"
                + "\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_use_id\":\"run-7\",\"tool_input\":{}}");
        assertThat(hook.body(), hook.status().code(), is(200));
        Api.Answer answer = Api.post(http, "/api/spawner-events", "{\"event_type\":\"spawner_start\","
                + "\"spawner_type\":\"gemini\",\"session_id\":\"s-clash\",\"data\":{\"run_id\":\"run-7\"}}");
        assertThat(answer.body(), answer.status().code(), is(400));
        assertThat(answer.json().get("error").asText(), is("invalid_field"));
        assertThat(answer.json().get("detail").asText(),
                   is("'data.run_id' run-7 is the id of a tool call in session s-clash"));
        assertThat(runs("s-clash", "tool_name"), contains("Bash"));
        assertThat(Api.get(http, "/api/initial-stats").isObject(), is(true));
    }

    private void post(String session, String type, String spawner, String data) {
        String body = "{\"event_type\":\"" + type + "\",\"spawner_type\":\"" + spawner
                      + "\",\"session_id\":\"" + session + "\",\"parent_event_id\":\"evt-unknown\",\"data\":" + data
                      + "}";
        Api.Answer answer = Api.post(http, "/api/spawner-events", body);
        assertThat(answer.body(), answer.status().code(), is(200));
    }

    /** The event types of the session's spawner messages in the live stream's backlog ({@code /ws/events}). */
    private List<String> stream(String session) throws Exception {
        List<String> types = new ArrayList<>();
        for (JsonNode message : WsClient.backlog(uri, "")) {
            if ("spawner_event".equals(message.get("type").asText())
                && session.equals(message.get("session_id").asText())) {
                types.add(message.get("event_type").asText());
            }
        }
        return types;
    }

    /** The session's events through {@code /api/events}, each as the given fields' values joined by spaces. */
    private List<String> runs(String session, String... fields) {
        List<String> shown = new ArrayList<>();
        for (JsonNode event : Api.get(http, "/api/events?session_id=" + session)) {
            List<String> values = new ArrayList<>();
            for (String field : fields) {
                values.add(event.get(field).asText());
            }
            shown.add(String.join(" ", values));
        }
        return shown;
    }
}
