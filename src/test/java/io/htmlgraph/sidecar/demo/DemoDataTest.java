package io.htmlgraph.sidecar.demo;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** The demo option's data, read through the JSON API as a dashboard user would see it. */
class DemoDataTest {
    @Test
    void demoOption_fillsSessionsWithPromptsFailuresDelegationsAndSpawnerRuns_once() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true"))) {
            assertThat(sidecar.storedSessions(), is(4L));
            JsonNode events = sidecar.get("/api/events?limit=1000").json();
            assertThat(events.size() < 1000, is(true));
            assertThat(count(events, e -> has(e, "tool_name", "UserQuery") && has(e, "status", "completed")), is(10));
            assertThat(count(events, e -> has(e, "tool_name", "Bash") && has(e, "status", "error")), is(2));
            assertThat(count(events, e -> e.hasNonNull("spawner_type")), is(4));
            JsonNode orchestration = sidecar.get("/api/orchestration").json();
            assertThat(orchestration.get("delegation_count").asInt(), is(4));
            int successful = 0;
            for (JsonNode chain : orchestration.get("delegation_chains")) {
                successful += count(chain, link -> has(link, "status", "success"));
            }
            assertThat(successful, is(4));
            assertThat(count(sidecar.get("/api/attention").json().get("waiting"),
                             w -> has(w, "reason", "permission")), is(1));
            assertThat(sidecar.get("/api/sessions?status=ended").json().get("total").asInt(), is(2));
        }
    }

    @Test
    void demoOption_givesEveryTurnClaudeCodesOwnTokensAndCost_andTheSubagentsTheirs() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true"))) {
            JsonNode turns = sidecar.get("/api/events-grouped-by-prompt?limit=50").json().get("conversation_turns");
            assertThat(turns.size(), is(10));
            for (JsonNode turn : turns) {
                JsonNode usage = turn.get("userQuery").get("usage");
                assertThat(turn.toString(), usage.get("cost_source").asText(), is("telemetry"));
                assertThat(turn.toString(), usage.get("total_tokens").asLong() > 10_000, is(true));
            }
            int subagents = 0;
            for (JsonNode row : sidecar.get("/api/usage").json().get("by_agent_model")) {
                JsonNode usage = row.get("usage");
                String model = row.get("model").asText();
                if (model.startsWith("claude-")) {
                    assertThat(row.toString(), usage.get("cost_usd").asDouble(), closeTo(listPrice(model, usage),
                                                                                          1e-6));
                }
                subagents += Set.of("Explore", "code-reviewer").contains(row.get("agent_id").asText()) ? 1 : 0;
            }
            assertThat(subagents, is(2));
            // every demo request asks for tool calls, so their shares add up to the session's Claude Code cost
            JsonNode totals = sidecar.get("/api/sessions/demo-session-1").json().get("totals");
            double claude = 0;
            for (JsonNode model : totals.get("by_model")) {
                claude += model.get("model").asText().startsWith("claude-") ? model.get("usage").get("cost_usd")
                        .asDouble() : 0;
            }
            double shares = 0;
            Set<String> tools = new java.util.TreeSet<>();
            for (JsonNode tool : totals.get("by_tool")) {
                shares += tool.get("usage").get("cost_usd").asDouble();
                tools.add(tool.get("tool_name").asText());
            }
            assertThat(tools, is(new java.util.TreeSet<>(Set.of("Agent", "Bash", "Edit", "Glob", "Grep", "Read"))));
            assertThat(shares, closeTo(claude, 1e-6));
            assertThat(totals.get("costliest_tool_calls").size(), is(10));
            JsonNode total = sidecar.get("/api/initial-stats").json().get("usage");
            assertThat(total.get("cost_source").asText(), is("mixed"));
            assertThat(total.get("cost_usd").asDouble() > 1.0, is(true));
        }
    }

    /** What Claude Code reports for these tokens: list prices per million tokens (input, output, cache read, write). */
    private static double listPrice(String model, JsonNode usage) {
        double[] perMillion = switch (model) {
            case "claude-opus-4-5" -> new double[] {5, 25, 0.5, 6.25};
            case "claude-sonnet-4-5" -> new double[] {3, 15, 0.3, 3.75};
            case "claude-haiku-4-5" -> new double[] {1, 5, 0.1, 1.25};
            default -> throw new AssertionError("no price for " + model);
        };
        return (usage.get("input_tokens").asLong() * perMillion[0] + usage.get("output_tokens").asLong() * perMillion[1]
                + usage.get("cache_read_tokens").asLong() * perMillion[2]
                + usage.get("cache_creation_tokens").asLong() * perMillion[3]) / 1e6;
    }

    private static boolean has(JsonNode node, String field, String value) {
        return value.equals(node.path(field).asText());
    }

    private static int count(JsonNode nodes, Predicate<JsonNode> which) {
        int n = 0;
        for (JsonNode node : nodes) {
            n += which.test(node) ? 1 : 0;
        }
        return n;
    }
}
