package io.htmlgraph.sidecar.metrics;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.otlp.Otlp;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** The token and cost families count each API request once, per agent, model and type. */
class UsageMetricsTest {
    @Test
    void telemetryAndSpawnerFigures_fillTheTokenAndCostFamilies_eachOnce() {
        try (TestSidecar s = TestSidecar.start()) {
            s.hooks(Hooks.base("m-s", "UserPromptSubmit").put("prompt", "Go").put("prompt_id", "p-m").toString(),
                    Hooks.pre("m-s", "Agent", "toolu_m", TestSidecar.JSON.createObjectNode()
                            .put("prompt", "look").put("subagent_type", "Explore")).toString(),
                    Hooks.base("m-s", "SubagentStart").put("agent_id", "ag-m").put("agent_type", "Explore")
                            .toString());
            Otlp batch = new Otlp()
                    .apiRequest("m-s", "p-m", "req_m1", "claude-opus-4-5", 1000, 200, 3000, 400, 0.5)
                    .apiRequest("m-s", "p-m", "req_m2", "claude-haiku-4-5", 100, 20, 0, 0, 0.25);
            batch.last().put("agent_id", "ag-m");
            batch.last().put("agent.name", "Explore");
            s.post("/v1/logs", batch.json());
            s.post("/v1/logs", batch.json()); // a resend changes nothing
            s.post("/v1/logs", new Otlp() // pending (no turn yet): counted too, once
                    .apiRequest("m-other", "p-later", "req_m3", "claude-opus-4-5", 1, 1, 0, 0, 0.125).json());
            s.post("/api/spawner-events", "{\"event_type\":\"spawner_start\",\"spawner_type\":\"codex\","
                    + "\"session_id\":\"m-s\",\"data\":{\"prompt_preview\":\"p\",\"model\":\"gpt-5-codex\"}}");
            s.post("/api/spawner-events", "{\"event_type\":\"spawner_complete\",\"spawner_type\":\"codex\","
                    + "\"session_id\":\"m-s\",\"data\":{\"success\":true,\"tokens_used\":50,\"cost_usd\":1.0}}");

            Exposition m = Exposition.parse(s.scrape());
            assertThat(m.value("htmlgraph_model_tokens{model=\"claude-opus-4-5\",type=\"input\"}"), is(1001.0));
            assertThat(m.value("htmlgraph_model_tokens{model=\"claude-opus-4-5\",type=\"cache_read\"}"), is(3000.0));
            assertThat(m.value("htmlgraph_model_tokens{model=\"claude-opus-4-5\",type=\"cache_creation\"}"),
                       is(400.0));
            assertThat(m.value("htmlgraph_model_cost_usd{model=\"claude-opus-4-5\"}"), closeTo(0.625, 1e-9));
            assertThat(m.value("htmlgraph_model_cost_usd{model=\"claude-haiku-4-5\"}"), closeTo(0.25, 1e-9));
            assertThat(m.value("htmlgraph_agent_cost_usd{agent=\"Explore\"}"), closeTo(0.25, 1e-9));
            assertThat(m.value("htmlgraph_agent_cost_usd{agent=\"claude-code\"}"), closeTo(0.625, 1e-9));
            assertThat(m.value("htmlgraph_agent_cost_usd{agent=\"codex\"}"), closeTo(1.0, 1e-9));
            assertThat(m.sum("htmlgraph_model_cost_usd"), closeTo(1.875, 1e-9));
            assertThat(m.sum("htmlgraph_agent_tokens"), is(m.sum("htmlgraph_model_tokens")));
            assertThat(m.sum("htmlgraph_agent_tokens"), is(1000.0 + 200 + 3000 + 400 + 120 + 2 + 50));
            assertThat(s.get("/api/initial-stats").json().get("total_cost_usd").asDouble(), closeTo(1.875, 1e-9));
        }
    }
}
