package io.htmlgraph.sidecar.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.SharedSidecarTest;
import io.htmlgraph.sidecar.TestSidecar;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Claude Code's OTLP logs joined to its hook events: exact tokens and USD per turn and session, counted once. */
class OtlpIngestTest extends SharedSidecarTest {

    static String prompt(String session, String promptId, String text) {
        return Hooks.base(session, "UserPromptSubmit").put("prompt", text).put("prompt_id", promptId).toString();
    }

    static TestSidecar.Response postJson(TestSidecar s, String path, String body) {
        return s.post(path, body, "Content-Type", "application/json");
    }

    static TestSidecar.Response postProtobuf(TestSidecar s, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(s.uri(path))
                .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return s.send(request.build());
    }

    private JsonNode turn(String session) {
        return sidecar.get("/api/events-grouped-by-prompt?session_id=" + session).json()
                .get("conversation_turns").get(0);
    }

    @Test
    void apiRequestsAfterTheirPrompt_countOnTheTurn_withExactTokensAndUsd() {
        sidecar.hooks(Hooks.sessionStart("o-after", "claude-opus-4-5"), prompt("o-after", "p-after-1", "Fix it"));
        TestSidecar.Response answer = postJson(sidecar, "/v1/logs", new Otlp()
                .apiRequest("o-after", "p-after-1", "req_a1", "claude-opus-4-5", 1200, 300, 5000, 800, 0.0401)
                .apiRequest("o-after", "p-after-1", "req_a2", "claude-haiku-4-5", 100, 20, 0, 0, 0.0002)
                .json());
        assertThat(answer.status(), is(200));
        assertThat(answer.body(), is("{}"));

        JsonNode turn = turn("o-after");
        assertThat(turn.get("userQuery").get("total_tokens").asLong(), is(1200L + 300 + 5000 + 800 + 100 + 20));
        assertThat(turn.get("userQuery").get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        assertThat(turn.get("userQuery").get("cost_source").asText(), is("telemetry"));
        assertThat(turn.get("stats").get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        assertThat(turn.get("userQuery").get("usage").get("cache_read_tokens").asLong(), is(5000L));

        JsonNode session = sidecar.get("/api/sessions/o-after").json();
        assertThat(session.get("totals").get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        assertThat(session.get("totals").get("tokens").get("input").asLong(), is(1300L));
        assertThat(session.get("totals").get("by_model").size(), is(2));
        assertThat(session.get("turns").get(0).get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        // both requests are on the turn: the session's whole usage (attached or not) is the turn's
        assertThat(session.get("totals").get("tokens").get("total").asLong(), is(1200L + 300 + 5000 + 800 + 100 + 20));
        String fragment = sidecar.get("/views/turns/" + turn.get("userQuery").get("event_id").asText()).body();
        assertThat(fragment, containsString("7,420 tokens"));
        assertThat(fragment, containsString("$0.0403"));
    }

    @Test
    void requestsBeforeTheirTurn_waitAndAttachWhenThePromptArrives() {
        long stored = usageTotal(sidecar).path("total_tokens").asLong();
        postJson(sidecar, "/v1/logs", new Otlp()
                .apiRequest("o-before", "p-before-1", "req_b1", "claude-sonnet-4-5", 1000, 100, 0, 0, 0.0045).json());
        assertThat(usageTotal(sidecar).path("total_tokens").asLong(), is(stored + 1100)); // kept, on no turn yet
        assertThat(sidecar.get("/api/sessions/o-before").status(), is(404)); // telemetry alone makes no session

        sidecar.hooks(prompt("o-before", "p-before-1", "Explain"));
        JsonNode turn = turn("o-before");
        assertThat(turn.get("userQuery").get("total_tokens").asLong(), is(1100L));
        assertThat(turn.get("userQuery").get("cost_usd").asDouble(), closeTo(0.0045, 1e-9));
    }

    @Test
    void aResentBatch_inProtobuf_countsOnce() {
        sidecar.hooks(prompt("o-resend", "p-resend", "Go"));
        byte[] batch = new Otlp()
                .apiRequest("o-resend", "p-resend", "req_r1", "claude-opus-4-5", 10, 5, 0, 0, 0.5).protobuf();
        TestSidecar.Response first = postProtobuf(sidecar, "/v1/logs", batch);
        assertThat(first.status(), is(200));
        assertThat(first.headers().get("content-type").get(0), containsString("application/x-protobuf"));
        postProtobuf(sidecar, "/v1/logs", batch);
        assertThat(turn("o-resend").get("userQuery").get("cost_usd").asDouble(), closeTo(0.5, 1e-9));
        assertThat(sidecar.get("/api/sessions/o-resend").json().get("totals").get("tokens").get("total").asLong(),
                   is(15L)); // one request of 10 + 5, not two
    }

    @Test
    void withoutUsd_theCostIsComputedFromThePriceTable_andSaysSo() {
        sidecar.hooks(prompt("o-priced", "p-priced", "Go"));
        // claude-sonnet-4-5: input 3, output 15, cache write 3.75, cache read 0.30 USD per million tokens; past
        // 200k input tokens the whole request is priced at 6, 22.5, 7.5, 0.60
        postJson(sidecar, "/v1/logs", new Otlp()
                .apiRequest("o-priced", "p-priced", "req_c1", "claude-sonnet-4-5-20250929", 100_000, 10_000,
                            50_000, 10_000, null).json());
        JsonNode query = turn("o-priced").get("userQuery");
        assertThat(query.get("cost_usd").asDouble(), closeTo(0.3 + 0.15 + 0.015 + 0.0375, 1e-9));
        assertThat(query.get("cost_source").asText(), is("computed"));
        postJson(sidecar, "/v1/logs", new Otlp()
                .apiRequest("o-priced", "p-priced", "req_c2", "claude-sonnet-4-5", 1_000_000, 100_000,
                            1_000_000, 100_000, null).json());
        assertThat(turn("o-priced").get("userQuery").get("cost_usd").asDouble(),
                   closeTo(0.5025 + 6 + 2.25 + 0.6 + 0.75, 1e-9));
    }

    @Test
    void aBadBody_gets400WithAStatus_andStoresNothing() {
        JsonNode before = usageTotal(sidecar);
        TestSidecar.Response json = postJson(sidecar, "/v1/logs", "{\"resourceLogs\": [ {\"scopeLogs\": 7} ]}");
        assertThat(json.status(), is(400));
        assertThat(json.json().get("code").asInt(), is(3));
        assertThat(json.json().get("error").asText(), is("invalid_otlp"));
        TestSidecar.Response proto = postProtobuf(sidecar, "/v1/logs", new byte[] {0x0a, 0x7f, 0x01});
        assertThat(proto.status(), is(400));
        assertThat(proto.headers().get("content-type").get(0), containsString("application/x-protobuf"));
        assertThat(usageTotal(sidecar), is(before));
        assertThat(postJson(sidecar, "/v1/logs", "not json").status(), is(400));
        assertThat(sidecar.post("/v1/logs", "{}", "Content-Type", "text/plain").status(), is(415));
    }

    @Test
    void aRecordWithoutSession_isRejectedAlone_asAPartialSuccess() {
        long stored = usageTotal(sidecar).path("total_tokens").asLong();
        Otlp batch = new Otlp().apiRequest("o-partial", null, "req_p1", "claude-opus-4-5", 1, 1, 0, 0, 0.01)
                .apiRequest(null, null, "req_p2", "claude-opus-4-5", 1, 1, 0, 0, 0.01);
        TestSidecar.Response json = postJson(sidecar, "/v1/logs", batch.json());
        assertThat(json.status(), is(200));
        assertThat(json.json().get("partialSuccess").get("rejectedLogRecords").asText(), is("1"));
        assertThat(json.json().get("partialSuccess").get("errorMessage").asText(), containsString("session.id"));
        TestSidecar.Response proto = postProtobuf(sidecar, "/v1/logs", batch.protobuf());
        try {
            ExportLogsServiceResponse parsed = ExportLogsServiceResponse.parseFrom(
                    proto.body().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(parsed.getPartialSuccess().getRejectedLogRecords(), is(1L));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        // req_p1 (1 + 1 tokens) stored once across both posts, req_p2 never
        assertThat(usageTotal(sidecar).path("total_tokens").asLong(), is(stored + 2));
    }

    @Test
    void gzipBodies_areAccepted_andAZipBombIs413() throws IOException {
        sidecar.hooks(prompt("o-gzip", "p-gzip", "Go"));
        byte[] zipped = gzip(new Otlp()
                .apiRequest("o-gzip", "p-gzip", "req_g1", "claude-opus-4-5", 7, 3, 0, 0, 0.25).json().getBytes());
        TestSidecar.Response answer = sidecar.send(HttpRequest.newBuilder(sidecar.uri("/v1/logs"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped)).build());
        assertThat(answer.body(), answer.status(), is(200));
        assertThat(turn("o-gzip").get("userQuery").get("total_tokens").asLong(), is(10L));

        byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, ~64 KiB compressed
        TestSidecar.Response refused = sidecar.send(HttpRequest.newBuilder(sidecar.uri("/v1/logs"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build());
        assertThat(refused.status(), is(413));
    }

    @Test
    void toolResults_enrichTheToolCall_withoutASecondRow() {
        sidecar.hooks(prompt("o-tool", "p-tool", "Run tests"),
                      Hooks.pre("o-tool", "Bash", "toolu_1", Hooks.bash("npm test")).toString());
        postJson(sidecar, "/v1/logs", new Otlp().event("o-tool", "tool_result", Map.of("tool_name", "Bash",
                "tool_use_id", "toolu_1", "success", "false", "duration_ms", "1530", "error", "exit 1")).json());
        assertThat(call(sidecar, "o-tool", "toolu_1", "status", "execution_duration_seconds", "output_summary"),
                   is("error 1.53 exit 1"));
        // the hook still completes the call with its own result
        sidecar.hooks(Hooks.failure("o-tool", "Bash", "toolu_1", Hooks.bash("npm test"), "Exit code 1").toString());
        assertThat(events(sidecar, "o-tool").stream().filter(e -> "Bash".equals(e.get("tool_name").asText())).count(),
                   is(1L));
    }

    @Test
    void aToolResultBeforeItsCall_isKept_andAppliedWhenTheCallArrives() {
        sidecar.hooks(prompt("o-early", "p-early", "Go"));
        postJson(sidecar, "/v1/logs", new Otlp().event("o-early", "tool_result", Map.of("tool_name", "Grep",
                "tool_use_id", "toolu_early", "success", "true", "duration_ms", "40")).json());
        sidecar.hooks(Hooks.pre("o-early", "Grep", "toolu_early", Hooks.bash("x")).toString());
        assertThat(call(sidecar, "o-early", "toolu_early", "status", "execution_duration_seconds"),
                   is("success 0.04"));
        sidecar.hooks(Hooks.post("o-early", "Grep", "toolu_early", Hooks.bash("x"), 41, "3 matches").toString());
        assertThat(call(sidecar, "o-early", "toolu_early", "status", "output_summary"), is("success 3 matches"));
    }

    @Test
    void apiErrors_countOnTheTurn() {
        sidecar.hooks(prompt("o-err", "p-err", "Go"));
        postJson(sidecar, "/v1/logs", new Otlp().event("o-err", "api_error", Map.of("prompt.id", "p-err",
                "model", "claude-opus-4-5", "error", "overloaded", "status_code", "529", "attempt", "1")).json());
        assertThat(turn("o-err").get("userQuery").get("api_errors").asLong(), is(1L));
    }

    @Test
    void aUserPromptEvent_linksItsPromptIdToATurnStoredWithout() {
        sidecar.hooks(Hooks.prompt("o-link", "Old client"));
        postJson(sidecar, "/v1/logs", new Otlp()
                .event("o-link", "user_prompt", Map.of("prompt.id", "p-link", "prompt_length", "10"))
                .apiRequest("o-link", "p-link", "req_l1", "claude-opus-4-5", 5, 5, 0, 0, 0.125).json());
        assertThat(events(sidecar, "o-link").stream().filter(e -> "UserQuery".equals(e.get("tool_name").asText()))
                           .map(e -> e.path("prompt_id").asText()).toList(), is(java.util.List.of("p-link")));
        assertThat(turn("o-link").get("userQuery").get("cost_usd").asDouble(), closeTo(0.125, 1e-9));
    }

    @Test
    void aSubagentsRequests_countOnItsDelegation_andInTheTurnTotal() {
        String input = "{\"prompt\":\"Look around\",\"description\":\"Explore\",\"subagent_type\":\"Explore\"}";
        sidecar.hooks(prompt("o-sub", "p-sub", "Explore the repo"),
                      Hooks.pre("o-sub", "Agent", "toolu_agent", (com.fasterxml.jackson.databind.node.ObjectNode)
                              TestSidecar.JSON.valueToTree(Map.of("prompt", "Look around",
                                      "subagent_type", "Explore"))).toString(),
                      Hooks.base("o-sub", "SubagentStart").put("agent_id", "ag-1").put("agent_type", "Explore")
                              .toString());
        Otlp batch = new Otlp()
                .apiRequest("o-sub", "p-sub", "req_s1", "claude-opus-4-5", 100, 10, 0, 0, 0.01)
                .apiRequest("o-sub", "p-sub", "req_s2", "claude-haiku-4-5", 50, 5, 0, 0, 0.002);
        batch.last().put("agent_id", "ag-1");
        batch.last().put("agent.name", "Explore");
        batch.last().put("query_source", "subagent");
        postJson(sidecar, "/v1/logs", batch.json());
        assertThat(input.isEmpty(), is(false));
        assertThat(events(sidecar, "o-sub").stream().filter(e -> e.hasNonNull("cost_usd"))
                           .map(e -> e.get("tool_name").asText() + " " + e.get("usage").get("total_tokens").asLong()
                                     + " " + e.get("cost_usd").asDouble()).sorted().toList(),
                   is(java.util.List.of("Agent 55 0.002", "UserQuery 110 0.01")));
        assertThat(turn("o-sub").get("userQuery").get("cost_usd").asDouble(), closeTo(0.012, 1e-9));
        boolean explore = false; // req_s2 is the subagent's: usage of the agent Explore with its model
        for (JsonNode row : sidecar.get("/api/usage").json().get("by_agent_model")) {
            explore |= (row.get("agent_id").asText() + " " + row.get("model").asText() + " "
                        + row.get("usage").get("total_tokens").asLong()).equals("Explore claude-haiku-4-5 55");
        }
        assertThat(explore, is(true));
    }

    /** The store-wide usage ({@code GET /api/usage}'s {@code total}). */
    static JsonNode usageTotal(TestSidecar s) {
        return s.get("/api/usage").json().get("total");
    }

    /** The session's events through {@code /api/events}. */
    static java.util.List<JsonNode> events(TestSidecar s, String session) {
        java.util.List<JsonNode> events = new java.util.ArrayList<>();
        s.get("/api/events?limit=1000&session_id=" + session).json().forEach(events::add);
        return events;
    }

    /** The one call with this tool_use_id, through {@code /api/events}: the fields' values joined by spaces. */
    static String call(TestSidecar s, String session, String toolUseId, String... fields) {
        java.util.List<JsonNode> calls = events(s, session).stream()
                .filter(e -> toolUseId.equals(e.path("tool_use_id").asText())).toList();
        assertThat(calls.toString(), calls.size(), is(1));
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String field : fields) {
            values.add(calls.get(0).get(field).asText());
        }
        return String.join(" ", values);
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }
}
