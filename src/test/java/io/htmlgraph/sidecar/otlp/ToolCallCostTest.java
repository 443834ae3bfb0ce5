package io.htmlgraph.sidecar.otlp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.otlp.TranscriptUsageTest.append;
import static io.htmlgraph.sidecar.otlp.TranscriptUsageTest.assistant;
import static io.htmlgraph.sidecar.otlp.TranscriptUsageTest.await;
import static io.htmlgraph.sidecar.otlp.TranscriptUsageTest.prompt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Cost per tool call: each call's share of the API request whose answer asked for it (SPEC 4.2). */
class ToolCallCostTest {
    private static final String MODEL = "claude-sonnet-4-5"; // $3 input, $15 output per million tokens
    /** A real session's transcript (chat.json) and hooks, read in place (see the fixtures' README). */
    private static final Path REAL = Path.of("..", "shared", "fixtures", "claude-code-hooks",
                                             "TomSelander__home-assistant-green-button");

    /** The assistant line {@code line} with one content block: a tool_use (Claude Code writes a line per block). */
    private static String toolUse(String line, String toolUseId, String name) throws Exception {
        ObjectNode node = (ObjectNode) TestSidecar.JSON.readTree(line);
        ObjectNode message = (ObjectNode) node.get("message");
        message.putArray("content").addObject().put("type", "tool_use").put("id", toolUseId).put("name", name)
                .putObject("input").put("command", "make");
        return node.toString();
    }

    private static double price(long in, long out) {
        return (in * 3 + out * 15) / 1e6;
    }

    @Test
    void eachToolCall_getsItsShareOfTheRequestThatAskedForIt_exactWhenTelemetryReportsThatRequest() throws Exception {
        Path root = Files.createTempDirectory("transcripts");
        Path main = root.resolve("tc.jsonl");
        append(main, "");
        try (TestSidecar s = TestSidecar.start(Map.of("transcript-roots", root.toString(),
                                                      "transcript-poll", "100ms"))) {
            s.hooks(prompt("tc", main, "Fix the build"));
            // request a asks for two calls at once, b for one, c answers (asks for none)
            String a = assistant("tc", "msg_a", "req_a", MODEL, 1000, 200, 0, 0, false, null);
            String b = assistant("tc", "msg_b", "req_b", MODEL, 2000, 100, 0, 0, false, null);
            String c = assistant("tc", "msg_c", "req_c", MODEL, 3000, 50, 0, 0, false, null);
            append(main, a + "\n" + toolUse(a, "toolu_1", "Bash") + "\n" + toolUse(a, "toolu_2", "Read") + "\n");
            String hostile = "make <img src=x onerror=alert(1)>"; // agent text: data in JSON, escaped in HTML
            s.hooks(pre("tc", "Bash", "toolu_1", bash(hostile)).toString(),
                    post("tc", "Bash", "toolu_1", bash(hostile), 20, "ok").toString());
            append(main, toolUse(b, "toolu_3", "Bash") + "\n" + c + "\n");
            await(() -> s.get("/api/sessions/tc").json().path("totals").path("tokens").path("total").asLong()
                        == 1200 + 2100 + 3050, "the transcript is read");

            JsonNode totals = s.get("/api/sessions/tc").json().get("totals");
            assertThat(tools(totals), is(List.of("Bash 2 " + (600 + 2100), "Read 1 600")));
            double bashComputed = price(1000, 200) / 2 + price(2000, 100);
            assertThat(totals.get("by_tool").get(0).get("usage").get("cost_usd").asDouble(),
                       closeTo(bashComputed, 1e-9));

            // telemetry reports request a with its own cost: both calls it asked for share that exact figure
            OtlpIngestTest.postJson(s, "/v1/logs", new Otlp()
                    .apiRequest("tc", null, "req_a", MODEL, 1000, 200, 0, 0, 0.5).json());
            totals = s.get("/api/sessions/tc").json().get("totals");
            JsonNode calls = totals.get("costliest_tool_calls");
            assertThat(calls.size(), is(3));
            assertThat(call(calls.get(0)), is("toolu_1 Bash req_a 2 600 0.25 telemetry"));
            assertThat(call(calls.get(1)), is("toolu_2 Read req_a 2 600 0.25 telemetry"));
            assertThat(call(calls.get(2)), is("toolu_3 Bash req_b 1 2100 " + price(2000, 100) + " computed"));
            assertThat("the call whose hooks arrived names its event", calls.get(0).get("event_id"),
                       notNullValue());
            assertThat(calls.get(0).get("input_summary").asText(), is("Bash: " + hostile));
            assertThat("a call without hooks yet has no event", calls.get(1).get("event_id").isNull(), is(true));

            // the shares and the answer add up to the session's cost: nothing counted twice or lost
            double shares = 0;
            for (JsonNode tool : totals.get("by_tool")) {
                shares += tool.get("usage").get("cost_usd").asDouble();
            }
            assertThat(shares + price(3000, 50), closeTo(totals.get("cost_usd").asDouble(), 1e-9));
            assertThat(totals.get("cost_usd").asDouble(), closeTo(0.5 + price(2000, 100) + price(3000, 50), 1e-9));

            // the metrics sum the same shares per tool (kept by the writer, not recomputed per scrape)
            String metrics = s.scrapeUntil("htmlgraph_tool_cost_usd{tool=\"Read\"} 0.25");
            assertThat(sample(metrics, "htmlgraph_tool_cost_usd{tool=\"Bash\"}"),
                       closeTo(0.25 + price(2000, 100), 1e-9));
            assertThat(sample(metrics, "htmlgraph_tool_cost_usd{tool=\"Read\"}"), closeTo(0.25, 1e-9));
            assertThat(sample(metrics, "htmlgraph_tool_calls_costed{tool=\"Bash\"}"), is(2.0));
            assertThat(sample(metrics, "htmlgraph_tool_tokens{tool=\"Bash\"}"), is(2700.0));

            String page = s.get("/sessions/tc").body();
            assertThat(page, containsString("<h3>Cost by tool</h3>"));
            assertThat(page, containsString("<tr><th scope=\"row\">Bash</th><td class=\"num\">2</td>"
                                            + "<td class=\"num\">2,700</td><td class=\"num\">$0.2575</td></tr>"));
            assertThat(page, containsString("Bash: make &lt;img src&#61;x onerror&#61;alert(1)&gt;"));
            assertThat(page, not(containsString("<img src=x")));

            // an opened turn's tree shows each call's share beside it
            String turn = s.get("/api/events-grouped-by-prompt?session_id=tc").json().at(
                    "/conversation_turns/0/userQuery/event_id").asText();
            String tree = s.get("/views/turns/" + turn + "/tree").body();
            assertThat(tree, containsString("<span class=\"cost\" title=\"its share of the API request that asked"
                                            + " for it\">$0.2500</span>"));
        }
    }

    @Test
    void aRealTranscript_linksEveryToolCallToTheRequestThatAskedForIt_andTheHooksFindTheirShares() throws Exception {
        assumeTrue(Files.isDirectory(REAL), "the shared fixtures are not beside this checkout");
        String session = "cfef384f-4359-49de-94d5-31dfae6a0925";
        StringBuilder transcript = new StringBuilder();
        for (JsonNode line : TestSidecar.JSON.readTree(REAL.resolve("chat.json").toFile())) {
            transcript.append(line).append('\n');
        }
        ArrayNode hooks = TestSidecar.JSON.createArrayNode();
        for (JsonNode hook : TestSidecar.JSON.readTree(REAL.resolve("pre_tool_use.json").toFile())) {
            if (session.equals(hook.path("session_id").asText())) {
                hooks.add(hook);
            }
        }
        Path root = Files.createTempDirectory("transcripts");
        Path file = root.resolve("real.jsonl");
        append(file, "");
        try (TestSidecar s = TestSidecar.start(Map.of("transcript-roots", root.toString(),
                                                      "transcript-poll", "100ms"))) {
            assertThat(s.post("/api/hooks", hooks.toString()).status(), is(200));
            s.hooks(prompt(session, file, "replay")); // names the transcript (the hooks name the user's own path)
            append(file, transcript.toString());
            // its 16 tool_use blocks: 7 Agent, 4 Read, 4 Edit, 1 Bash, each id also a PreToolUse of the hooks
            await(() -> s.get("/api/sessions/" + session).json().path("totals").path("by_tool").size() == 4,
                  "the transcript's tool calls are linked");
            JsonNode totals = s.get("/api/sessions/" + session).json().get("totals");
            List<String> byName = new ArrayList<>();
            for (JsonNode tool : totals.get("by_tool")) {
                byName.add(tool.get("tool_name").asText() + " " + tool.get("calls").asLong());
                assertThat(tool.toString(), tool.get("usage").get("cost_usd").asDouble() > 0, is(true));
                assertThat(tool.get("usage").get("cost_source").asText(), is("computed"));
            }
            assertThat(new java.util.TreeSet<>(byName),
                       is(new java.util.TreeSet<>(List.of("Agent 7", "Read 4", "Edit 4", "Bash 1"))));
            for (JsonNode call : totals.get("costliest_tool_calls")) {
                assertThat(call.toString(), call.get("event_id").isTextual(), is(true));
            }
        }
    }

    /** The value of one series in a scrape. */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError(series + " not in the scrape"));
    }

    private static List<String> tools(JsonNode totals) {
        List<String> rows = new ArrayList<>();
        for (JsonNode t : totals.get("by_tool")) {
            rows.add(t.get("tool_name").asText() + " " + t.get("calls").asLong() + " "
                     + t.get("usage").get("total_tokens").asLong());
        }
        return rows;
    }

    private static String call(JsonNode c) {
        return c.get("tool_use_id").asText() + " " + c.get("tool_name").asText() + " " + c.get("request_id").asText()
               + " " + c.get("calls_in_request").asLong() + " " + c.get("total_tokens").asLong() + " "
               + c.get("cost_usd").asDouble() + " " + c.get("cost_source").asText();
    }
}
